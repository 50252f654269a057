"""Data: bundled real datasets, simulated lab experiments, and reading a scientist's own files."""

from benchlearn.data.dataset import Dataset, list_datasets, load_dataset
from benchlearn.data.lab_curves import load_dnase, load_puromycin
from benchlearn.data.measured import (
    load_chembl2321810,
    load_gse7390,
    load_nuclei_image,
    load_pbmc68k,
    load_solubility,
    nuclei_image,
)
from benchlearn.data.reader import read_table
from benchlearn.data.real import load_breast_cancer, load_diabetes
from benchlearn.data.simulate import (
    simulate_compound_library,
    simulate_dose_response,
    simulate_patient_subtypes,
    simulate_protein_assay,
    simulate_qpcr_standard_curve,
)
from benchlearn.data.validate import MissingValuesDropped, select_columns

__all__ = [
    "Dataset",
    "MissingValuesDropped",
    "list_datasets",
    "load_breast_cancer",
    "load_chembl2321810",
    "load_dataset",
    "load_diabetes",
    "load_dnase",
    "load_gse7390",
    "load_nuclei_image",
    "load_pbmc68k",
    "load_puromycin",
    "load_solubility",
    "nuclei_image",
    "read_table",
    "select_columns",
    "simulate_compound_library",
    "simulate_dose_response",
    "simulate_patient_subtypes",
    "simulate_protein_assay",
    "simulate_qpcr_standard_curve",
]
