"""Molecules drawn as self-contained SVG."""

from __future__ import annotations

import re

import pytest

from benchlearn.errors import DataError
from benchlearn.plots.molecules import molecule_svg


def test_molecule_is_drawn_as_inline_svg_that_loads_nothing():
    svg = molecule_svg("CC(=O)Oc1ccccc1C(=O)O", width=300, height=200, legend="aspirin")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "width='300px'" in svg and "height='200px'" in svg
    assert "<text" not in svg and "<image" not in svg  # labels drawn as paths: no font needed
    assert not re.search(r"href|url\(|@import", svg)
    assert svg.count("class='bond-") >= 13  # aspirin has 13 bonds


def test_an_unreadable_smiles_is_refused():
    with pytest.raises(DataError, match="not a SMILES string"):
        molecule_svg("not a molecule")
