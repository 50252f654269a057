"""Part 4 of lesson 1, "Where machine learning meets biotech": its words, controls and blocks.

The five live examples and the bias caution are computed by
:mod:`benchlearn.lessons.lesson1.biotech`; this module holds what the page adds around them:
the Markdown of each example (:data:`SECTIONS`), the settings of each example's one control
(:data:`SOLUBILITY_SETS`, :data:`SCREEN_PERCENTS`, ...), and the HTML of each result (its
readout, figure and the sentences on the kind of learning, what it shows and what it does not).
Like :mod:`~benchlearn.lessons.lesson1.blocks`, the blocks return plain HTML strings, so the
offline handout (the app's own run) shows them unchanged.

Readouts (``data-testid="readout-<id>"``): ``solubility``, ``screening``, ``subtypes``,
``cell-types``, ``nuclei``, ``bias`` and ``bias-shift``; the formats are those of
:func:`readout_text`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from benchlearn.lessons.lesson1 import biotech
from benchlearn.lessons.lesson1.blocks import figure_html, readout_html, table_html
from benchlearn.lessons.shared import shared

if TYPE_CHECKING:
    from benchlearn.lessons.lesson1.biotech import BiasExample

# ---- the controls -----------------------------------------------------------------------------
SOLUBILITY_LABEL = "Descriptors used to predict solubility"
SOLUBILITY_SETS: dict[str, tuple[str, ...]] = {
    "logP only (how oily)": ("logP",),
    "molecular weight only (size)": ("mol_weight",),
    "the four of Delaney's ESOL equation": biotech.ESOL_DESCRIPTORS,
    "all eight descriptors": (
        "logP", "mol_weight", "tpsa", "h_donors", "h_acceptors", "rotatable_bonds",
        "aromatic_proportion", "rings",
    ),
}  # fmt: skip
DEFAULT_SOLUBILITY_SET = "the four of Delaney's ESOL equation"

SCREEN_LABEL = "Untested compounds tested next (%)"
SCREEN_PERCENTS = tuple(round(100 * f) for f in biotech.TOP_FRACTIONS)
DEFAULT_SCREEN_PERCENT = 10

SUBTYPES_LABEL = "Tumour groups asked for (k)"
DEFAULT_SUBTYPES_K = 2

CELLS_LABEL = "Cell groups asked for (k)"
DEFAULT_CELLS_K = 10

PIXELS_LABEL = "Annotated pixels to learn from"
DEFAULT_PIXELS = 1000

BIAS_LABEL = "Patient groups by"
BIAS_GROUPINGS: dict[str, str] = {"age at diagnosis": "age", "tumour grade": "grade"}
DEFAULT_BIAS_GROUPING = "age at diagnosis"

# ---- the words --------------------------------------------------------------------------------
SECTIONS: dict[str, str] = {
    "part4_intro": """
## Part 4 · Where machine learning meets biotech, live

Five examples on measured data, one for each place named at the start of the lesson. Each has
one control: move it and the model is fitted again, here, on this computer. Each says which
kind of learning it is (supervised regression, supervised classification, or unsupervised),
what it shows, and what it does not show. The last one is a caution that belongs to every
clinical model.
""",
    "molecules": """
### Molecules: solubility predicted from the structure

Whether a compound dissolves in water decides whether it can become a drug. Here are 1,282
molecules whose aqueous solubility was measured (Delaney, 2004), written as **logS**: the
log10 of the solubility in mol/L, so −2 means 0.01 mol/L. RDKit, the chemists' standard
toolkit, computes **descriptors** from each structure: numbers such as logP (how much the
molecule prefers oil to water), its molecular weight, its flexible bonds and its share of
aromatic atoms. A [linear regression](#term-linear-regression) learns logS from the
descriptors of the 1,025 training molecules and is scored on 257 it never saw. Choose which
descriptors it may use.
""",
    "screening": """
### Compound screening and biodiversity mining: test the likeliest first

A drug-discovery team has measured the potency of 30% of a compound series against its target
(ChEMBL assay CHEMBL2321810), as **pIC50**: minus the log10 of the concentration (in mol/L) that
halves the target's activity, so 7 means 100 nM and higher is more potent. A compound with
pIC50 of 7 or more is a **hit**. A [model](#term-model) trained on the measured compounds, from
a fingerprint of which chemical fragments each one contains, predicts the potency of the other
70% and ranks them. Testing the top of the ranking first is a virtual screen. The same idea
drives **biodiversity mining**: choosing which of thousands of natural extracts, microbes or
gene clusters to test first. Choose how many of the untested compounds to test next: the
**enrichment** is how many times more often the chosen ones are hits than compounds tested in
random order.
""",
    "subtypes": """
### Patient subtypes: groups found in tumour gene expression

Breast tumours of 198 patients, each with the **gene expression** (how active each gene is,
measured from the tumour's RNA) of 76 genes (GEO series GSE7390). Clinicians sort breast
cancers by **ER status**: whether the tumour cells carry the oestrogen receptor, which decides
whether hormone therapy can work. [k-means](#term-k-means) sees only the expression, never the
ER status; the status is brought in afterwards to compare, as in Part 2 with the biopsies.
Choose how many groups it should form.
""",
    "omics": """
### Omics: cell types recovered from single-cell RNA

**Single-cell RNA sequencing** measures the expression of thousands of genes in each of
thousands of single cells. Here: 700 blood cells and 765 genes (from 10x Genomics' 68,000
blood-cell set), each cell also given one of 10 cell types by matching it to cells sorted by
their surface markers. [Principal component analysis](#term-principal-component-analysis)
compresses each cell's 765 numbers into 20, and k-means groups the cells without seeing the
types. Choose how many groups.
""",
    "imaging": """
### Clinical imaging: marking the nuclei in a microscope image

A fluorescence image of cell nuclei whose outlines a person drew by hand. A
[logistic regression](#term-logistic-regression) learns to call each pixel nucleus or
background from its brightness and the brightness around it, from a few annotated pixels of
the left half of the image, and then marks every pixel of the right half. The score is the
**intersection over union** (IoU): the pixels both the model and the person marked, divided by
the pixels either of them marked (1 is a perfect match, 0 no overlap). Choose how many pixels
were annotated.
""",
    "bias": """
### A caution: is a clinical model as good for every patient?

A model can be right most of the time overall and still be wrong much more often for some
patients. This is **bias** in the sense that matters in the clinic: the model's errors fall
unevenly on groups of patients, often those who were rare in its training data or unlike them.
Below, a logistic regression predicts the ER status of the 198 tumours of the subtypes example
from their 76 genes. Each patient is predicted by a model that never saw them
([cross-validation](#term-cross-validation)), and the accuracy is then counted group by group.
Tumour grade says how abnormal the cells look under the microscope: grade 1 (well
differentiated), 2 (intermediate) or 3 (poorly differentiated). The right-hand chart is a
**population shift**: a model trained only on grade 1 and 2 tumours, then used on grade 3
tumours, a population it never saw. Choose how to group the patients.
""",
    "bias_meaning": """
*What it means for a patient.* {for_a_patient}

*What to ask of a clinical model.* {ask}
""",
}


# ---- the blocks -------------------------------------------------------------------------------
def readout_text(example: Any) -> str:
    """The key numbers of an example, as its readout shows them."""
    if isinstance(example, biotech.SolubilityExample):
        return (
            f"From {', '.join(example.descriptors)}: test R² = {example.test_r2:.3f}, "
            f"test RMSE = {example.test_rmse:.2f} log units"
        )
    if isinstance(example, biotech.ScreeningExample):
        return (
            f"Top {100 * example.top_fraction:g}%: {example.n_selected} compounds tested, "
            f"{example.hits_selected} hits ({100 * example.hit_rate_selected:.1f}%) against "
            f"{100 * example.base_rate:.1f}% in random order: enrichment "
            f"{example.enrichment:.1f}×, about {example.tests_saved:.0f} tests saved"
        )
    if isinstance(example, biotech.SubtypesExample):
        return (
            f"k = {example.n_clusters}: ARI with ER status = {example.ari_er:.3f}, "
            f"with grade = {example.ari_grade:.3f}"
        )
    if isinstance(example, biotech.CellTypesExample):
        return f"k = {example.n_clusters}: ARI with the 10 cell types = {example.ari:.3f}"
    if isinstance(example, biotech.NucleiExample):
        return (
            f"{example.labelled_pixels} annotated pixels: IoU = {example.iou:.3f} "
            f"(brightness alone: {example.iou_intensity_only:.3f})"
        )
    if isinstance(example, biotech.BiasExample):
        accuracy = example.groups["accuracy"]
        worst, best = accuracy.idxmin(), accuracy.idxmax()
        return (
            f"Overall accuracy = {100 * example.overall_accuracy:.1f}%; {worst}: "
            f"{100 * accuracy[worst]:.1f}%; {best}: {100 * accuracy[best]:.1f}%"
        )
    raise TypeError(f"not a biotech example: {type(example).__name__}")


READOUT_IDS = {
    "SolubilityExample": "solubility",
    "ScreeningExample": "screening",
    "SubtypesExample": "subtypes",
    "CellTypesExample": "cell-types",
    "NucleiExample": "nuclei",
    "BiasExample": "bias",
}


def shift_text(example: BiasExample) -> str:
    """The population-shift readout: the same model on tumours like and unlike its training."""
    return (
        f"Trained on grade 1-2 tumours: accuracy {100 * example.shift_same_population:.1f}% "
        f"on grade 1-2, {100 * example.shift_new_population:.1f}% on grade 3"
    )


def sentences_html(example: Any) -> str:
    """Which kind of learning it is, what it shows and what it does not, as three paragraphs."""
    return (
        f"<p><em>Kind of learning.</em> {html.escape(example.learning)}</p>"
        f"<p><em>What it shows.</em> {html.escape(example.shows)}</p>"
        f"<p><em>What it does not show.</em> {html.escape(example.does_not_show)}</p>"
    )


def _figure_alt(example: Any) -> str:
    return {
        "SolubilityExample": "Predicted against measured solubility of the test molecules",
        "ScreeningExample": "Hits found against compounds tested, in the model's order and in "
        "random order",
        "SubtypesExample": "Tumours on two principal components, coloured by cluster, shaped "
        "by ER status",
        "CellTypesExample": "Cells on two principal components, coloured by cell type (left) "
        "and by cluster (right)",
        "NucleiExample": "The right half of the image, the nuclei drawn by a person, and the "
        "model's marks",
        "BiasExample": "Accuracy per patient group, and on a population unlike the training "
        "tumours",
    }[type(example).__name__]


def example_html(example: Any) -> str:
    """One example's output: its readout, figure (and molecule or table), and its sentences."""
    name = type(example).__name__
    parts = [readout_html(readout_text(example), READOUT_IDS[name])]
    if isinstance(example, biotech.BiasExample):
        parts.append(readout_html(shift_text(example), "bias-shift"))
    figure = figure_html(example.figure(), _figure_alt(example))
    if isinstance(example, biotech.SolubilityExample):
        figure += f'<div class="molecule">{example.molecule_svg()}</div>'
    parts.append(f'<div class="figures" style="display:flex;flex-wrap:wrap">{figure}</div>')
    if isinstance(example, biotech.SubtypesExample):
        parts.append(table_html(example.table.rename_axis(index="ER status")))
    if isinstance(example, biotech.BiasExample):
        shown = example.groups.rename(
            columns={
                "patients": "patients",
                "er_negative_share": "share ER-negative",
                "accuracy": "model accuracy",
                "always_positive": "accuracy of always saying ER-positive",
            }
        )
        parts.append(table_html(shown, digits=3))
    parts.append(sentences_html(example))
    return "".join(parts)


# Each area's example function, called with its control's value.
EXAMPLES: dict[str, Callable[[Any], Any]] = {
    "molecules": lambda descriptors: biotech.solubility_example(descriptors),
    "screening": lambda percent: biotech.screening_example(top_fraction=percent / 100),
    "subtypes": lambda k: biotech.subtypes_example(n_clusters=k),
    "omics": lambda k: biotech.cell_types_example(n_clusters=k),
    "imaging": lambda pixels: biotech.nuclei_example(labelled_pixels=pixels),
    "bias": lambda grouping: biotech.bias_example(grouping),
}


@shared(maxsize=64)
def shown_example(area: str, control: Hashable) -> str:
    """The HTML of ``area``'s example (:func:`example_html`) at its control's value.

    Computed and drawn once per server process for every session that asks (a room opening
    the lesson at once waits for one computation). ``control`` is the value the example
    function takes: the descriptor tuple, the percentage tested, k, the annotated pixels, or
    ``"age"``/``"grade"``.
    """
    if area not in EXAMPLES:
        raise KeyError(f"no Part 4 example {area!r}; the areas are {', '.join(EXAMPLES)}")
    return example_html(EXAMPLES[area](control))


def bias_meaning(example: BiasExample) -> str:
    """What the gap means for a patient, and what to ask of a clinical model (Markdown)."""
    return SECTIONS["bias_meaning"].format(for_a_patient=example.for_a_patient(), ask=example.ask)


__all__ = [
    "SECTIONS",
    "bias_meaning",
    "example_html",
    "readout_text",
    "sentences_html",
    "shift_text",
    "shown_example",
]
