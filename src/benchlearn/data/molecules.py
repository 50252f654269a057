"""Numbers a model can learn from, computed from a molecule's SMILES with RDKit.

A SMILES string (``CCO`` is ethanol) says which atoms a molecule has and how they are bonded.
A model needs numbers: *descriptors* (computed properties such as the octanol/water partition
coefficient logP) or a *fingerprint* (one 0/1 bit per small substructure). RDKit, the field's
standard toolkit, computes both; it is imported only when one of these functions is called, so
``import benchlearn`` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import DataError, UsageError

# name -> meaning (unit); the order is the order of the columns returned
DESCRIPTORS: dict[str, str] = {
    "logP": "octanol/water partition coefficient, Crippen's estimate (log10 units)",
    "mol_weight": "molecular weight (g/mol)",
    "tpsa": "topological polar surface area (Å²)",
    "h_donors": "hydrogen-bond donors (count)",
    "h_acceptors": "hydrogen-bond acceptors (count)",
    "rotatable_bonds": "rotatable bonds (count)",
    "aromatic_proportion": "share of heavy atoms that are aromatic (fraction, 0 to 1)",
    "rings": "rings (count)",
}


def parse_smiles(smiles: Iterable[str]) -> list[Any]:
    """RDKit molecules for each SMILES string, refusing any string RDKit cannot read.

    Raises
    ------
    DataError
        Naming the first unreadable string and its position (1-based).
    """
    from rdkit import Chem, RDLogger

    RDLogger.DisableLog("rdApp.*")
    molecules = []
    for position, text in enumerate(smiles, start=1):
        molecule = Chem.MolFromSmiles(str(text)) if isinstance(text, str) and text else None
        if molecule is None:
            raise DataError(
                f"{text!r} is not a SMILES string RDKit can read",
                where=f"molecule {position}",
                fix="Check the string (e.g. copy it again from PubChem or ChEMBL)",
            )
        molecules.append(molecule)
    return molecules


def molecular_descriptors(
    smiles: Iterable[str], names: Sequence[str] | None = None
) -> pd.DataFrame:
    """A handful of RDKit descriptors for each molecule, one row per SMILES string.

    Parameters
    ----------
    smiles
        SMILES strings.
    names
        Descriptors to compute, from :data:`DESCRIPTORS` (default: all of them).

    Returns
    -------
    DataFrame
        One column per descriptor (see :data:`DESCRIPTORS` for meanings and units).

    Examples
    --------
    >>> molecular_descriptors(["CCO"], ["mol_weight", "h_donors"])
       mol_weight  h_donors
    0      46.069       1.0
    """
    from rdkit.Chem import Crippen, Descriptors, Lipinski, rdMolDescriptors

    names = list(DESCRIPTORS) if names is None else list(names)
    unknown = [n for n in names if n not in DESCRIPTORS]
    if unknown or not names:
        raise UsageError(
            f"unknown descriptor(s): {', '.join(map(repr, unknown))}" if unknown else
            "no descriptor was asked for",
            fix=f"Choose from {', '.join(DESCRIPTORS)}",
        )  # fmt: skip

    def aromatic_proportion(m: Any) -> float:
        return len(m.GetAromaticAtoms()) / m.GetNumHeavyAtoms()

    compute = {
        "logP": Crippen.MolLogP,
        "mol_weight": Descriptors.MolWt,
        "tpsa": rdMolDescriptors.CalcTPSA,
        "h_donors": Lipinski.NumHDonors,
        "h_acceptors": Lipinski.NumHAcceptors,
        "rotatable_bonds": rdMolDescriptors.CalcNumRotatableBonds,
        "aromatic_proportion": aromatic_proportion,
        "rings": rdMolDescriptors.CalcNumRings,
    }
    molecules = parse_smiles(smiles)
    rows = [[float(compute[name](m)) for name in names] for m in molecules]
    return pd.DataFrame(rows, columns=names).round(6)


def morgan_fingerprints(smiles: Iterable[str], radius: int = 2, n_bits: int = 2048) -> np.ndarray:
    """Morgan (circular, ECFP-like) fingerprints: one 0/1 column per hashed substructure.

    Bit ``j`` of a molecule is 1 when a substructure of up to ``radius`` bonds around some atom
    hashes to ``j``. Two molecules sharing many bits share many substructures.

    Parameters
    ----------
    smiles
        SMILES strings.
    radius
        Bonds out from each atom (2 is the usual ECFP4).
    n_bits
        Length of the fingerprint.

    Returns
    -------
    ndarray of shape (n_molecules, n_bits), float 0.0 or 1.0

    Examples
    --------
    >>> bits = morgan_fingerprints(["CCO", "CCN"], n_bits=1024)
    >>> bits.shape, bool(bits.max() == 1)
    ((2, 1024), True)
    """
    from rdkit.Chem import rdFingerprintGenerator

    generator = rdFingerprintGenerator.GetMorganGenerator(radius=radius, fpSize=n_bits)
    molecules = parse_smiles(smiles)
    return np.array([generator.GetFingerprintAsNumPy(m) for m in molecules], dtype=float).reshape(
        len(molecules), n_bits
    )
