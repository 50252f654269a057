"""Drawing a molecule from its SMILES string with RDKit, as an inline SVG for offline pages."""

from __future__ import annotations

from benchlearn.data.molecules import parse_smiles


def molecule_svg(smiles: str, *, width: int = 320, height: int = 220, legend: str = "") -> str:
    """The 2D structure of a molecule as an ``<svg>`` element (atom labels drawn as paths).

    Parameters
    ----------
    smiles
        The molecule's SMILES string.
    width, height
        Size in pixels.
    legend
        Text under the drawing (e.g. the molecule's name).

    Returns
    -------
    str
        Self-contained SVG text: no fonts or images are loaded from anywhere.
    """
    from rdkit.Chem.Draw import rdMolDraw2D

    (molecule,) = parse_smiles([smiles])
    drawer = rdMolDraw2D.MolDraw2DSVG(width, height)
    rdMolDraw2D.PrepareAndDrawMolecule(drawer, molecule, legend=legend)
    drawer.FinishDrawing()
    text = drawer.GetDrawingText()
    return text[text.index("<svg") :]
