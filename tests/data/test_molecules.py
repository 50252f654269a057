"""RDKit descriptors and fingerprints from SMILES, with clear errors for unreadable strings."""

from __future__ import annotations

import numpy as np
import pytest
from rdkit import Chem
from rdkit.Chem import Crippen, Descriptors

from benchlearn.data.molecules import DESCRIPTORS, molecular_descriptors, morgan_fingerprints
from benchlearn.errors import DataError, UsageError


def test_descriptors_of_known_molecules():
    table = molecular_descriptors(["CCO", "c1ccccc1", "c1ccccc1O", "CC(=O)Oc1ccccc1C(=O)O"])
    assert list(table.columns) == list(DESCRIPTORS)
    assert table.loc[0, "mol_weight"] == pytest.approx(46.069, abs=1e-3)  # ethanol
    assert table.loc[1, "aromatic_proportion"] == 1.0  # benzene
    assert table.loc[2, "aromatic_proportion"] == pytest.approx(6 / 7)  # phenol: 6 of 7 atoms
    assert table.loc[2, ["h_donors", "rings"]].tolist() == [1.0, 1.0]
    assert table.loc[3, "mol_weight"] == pytest.approx(180.159, abs=1e-3)  # aspirin
    assert table.loc[3, "rotatable_bonds"] == 2  # RDKit's strict rotatable-bond count
    aspirin = Chem.MolFromSmiles("CC(=O)Oc1ccccc1C(=O)O")
    assert table.loc[3, "logP"] == pytest.approx(Crippen.MolLogP(aspirin), abs=1e-6)
    assert table.loc[3, "tpsa"] == pytest.approx(Descriptors.TPSA(aspirin), abs=1e-6)


def test_unreadable_smiles_is_named_with_its_position():
    with pytest.raises(DataError, match=r"molecule 2: 'C1CC' is not a SMILES string"):
        molecular_descriptors(["CCO", "C1CC"])
    with pytest.raises(DataError, match="molecule 1"):
        morgan_fingerprints([""])


def test_unknown_descriptor_is_refused_with_the_choices():
    with pytest.raises(UsageError, match=r"'boiling_point'.*Choose from logP"):
        molecular_descriptors(["CCO"], ["logP", "boiling_point"])


def test_fingerprints_share_bits_for_shared_substructures():
    bits = morgan_fingerprints(["CCO", "CCO", "CCN", "c1ccccc1"], n_bits=512)
    assert bits.shape == (4, 512) and set(np.unique(bits)) <= {0.0, 1.0}
    assert np.array_equal(bits[0], bits[1])
    shared = lambda a, b: int((bits[a] * bits[b]).sum())  # noqa: E731
    assert shared(0, 2) > shared(0, 3) == 0  # ethanol shares a CH3-CH2 with ethylamine only
