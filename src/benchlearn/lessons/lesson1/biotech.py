"""Where machine learning meets biotech: five live examples on measured data, and a caution.

Each example is one function with one control (the argument a page binds to a slider or a
dropdown) and returns a frozen result: the numbers, a ``figure()`` (a matplotlib ``Figure``),
``to_dict()`` for JSON, and three sentences: which kind of learning it is (``learning``), what
it shows (``shows``) and what it does not (``does_not_show``). Every fit, prediction and score
is a call into benchlearn's estimators and metrics; RDKit turns molecules into numbers and
draws them. Data and seeds are fixed, so the page shows the same numbers on every visit.

- :func:`solubility_example` (molecules; ``solubility``): ``descriptors``, which to use.
- :func:`screening_example` (compound screening; ``chembl2321810``): ``top_fraction``, the
  share of untested compounds tested next.
- :func:`subtypes_example` (patient subtypes; ``gse7390``): ``n_clusters``, groups asked for.
- :func:`cell_types_example` (omics; ``pbmc68k``): ``n_clusters``, groups asked for.
- :func:`nuclei_example` (imaging; ``nuclei_image``): ``labelled_pixels``, the annotation.
- :func:`bias_example` (the caution; ``gse7390``): ``grouping``, age or grade.

The slow parts (descriptors, fingerprints, the screening model, the image filters) and each
result are computed once per process, even when many sessions of a lesson server ask at the
same moment (:func:`benchlearn.lessons.shared.shared`); results are shared between callers,
who must not modify them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from benchlearn.errors import UsageError
from benchlearn.lessons.shared import shared

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SEED = 0

# ---- (a) solubility ---------------------------------------------------------------------------
# The four descriptors of Delaney's ESOL equation (J. Chem. Inf. Comput. Sci. 2004, 44, 1000).
ESOL_DESCRIPTORS = ("logP", "mol_weight", "rotatable_bonds", "aromatic_proportion")

# ---- (b) virtual screen -----------------------------------------------------------------------
TESTED_FRACTION = 0.3  # the share of the library already measured, which the model learns from
HIT_PIC50 = 7.0  # a "hit": IC50 of 100 nM or better
FINGERPRINT_BITS = 2048
FINGERPRINT_RADIUS = 2
RARE_BIT = 0.02  # bits set in fewer than 2% (or more than 98%) of tested compounds are dropped
SCREEN_ALPHA = 1.0
TOP_FRACTIONS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)

# ---- (c) subtypes, (d) cell types -------------------------------------------------------------
CLUSTER_CHOICES = (2, 3, 4, 5, 6)
CELL_CLUSTER_CHOICES = tuple(range(2, 16))
CELL_COMPONENTS = 20

# ---- (e) nuclei -------------------------------------------------------------------------------
LABELLED_PIXELS = (20, 50, 100, 300, 1000, 3000, 10000)
PIXEL_SCALES = (1.0, 2.0, 4.0, 8.0)  # Gaussian blur widths (pixels) of the pixel features

# ---- bias -------------------------------------------------------------------------------------
GROUPINGS = ("age", "grade")
BIAS_C = 0.1
BIAS_FOLDS = 5
LOW_GRADES = ("well differentiated", "intermediate")
HIGH_GRADE = "poorly differentiated"


class _Example:
    """What every example result has: its kind of learning, and what it shows and does not."""

    learning: ClassVar[str]
    shows: ClassVar[str]
    does_not_show: ClassVar[str]
    _hidden: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        """Numbers and sentences, ready for JSON (tables as lists of records)."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.name in self._hidden:
                continue
            value = getattr(self, f.name)
            if isinstance(value, pd.DataFrame):
                value = value.reset_index().to_dict(orient="records")
            elif isinstance(value, pd.Series):
                value = {str(k): float(v) for k, v in value.items()}
            elif isinstance(value, np.ndarray):
                continue
            out[f.name] = value
        return out | {
            "learning": self.learning,
            "shows": self.shows,
            "does_not_show": self.does_not_show,
        }


# ==== (a) solubility from descriptors ==========================================================
@dataclass(frozen=True)
class SolubilityExample(_Example):
    """Aqueous solubility predicted from RDKit descriptors by a linear regression.

    Attributes
    ----------
    descriptors : tuple of str
        The predictors used (names from ``benchlearn.data.molecules.DESCRIPTORS``).
    n_train, n_test : int
        Molecules in the published training and test sets.
    test_r2, test_rmse : float
        On the 257 test molecules the model never saw (RMSE in log10 mol/L).
    train_r2 : float
    coefficients : Series
        ``intercept`` and one slope per descriptor (log10 mol/L per descriptor unit).
    predictions : DataFrame
        Test molecules: ``name, smiles, measured, predicted``.
    molecule : str
        Name of the test molecule drawn by :meth:`molecule_svg`: of the test molecules of
        200 g/mol or more, the one of median measured solubility.
    """

    descriptors: tuple[str, ...]
    n_train: int
    n_test: int
    train_r2: float
    test_r2: float
    test_rmse: float
    coefficients: pd.Series
    predictions: pd.DataFrame
    molecule: str

    learning: ClassVar[str] = (
        "Supervised learning, regression: the model learns a number (solubility) from "
        "molecules whose solubility was measured."
    )
    shows: ClassVar[str] = (
        "A few numbers computed from a structure (how oily it is, its size, its flexibility, "
        "its aromatic share) predict the solubility of molecules the model never saw."
    )
    does_not_show: ClassVar[str] = (
        "It does not explain why a molecule dissolves, nor promise accuracy for molecules "
        "unlike these mostly small organic ones (half weigh under 175 g/mol; only 4 of 1,282 "
        "exceed 500 g/mol, where many drugs lie)."
    )
    _hidden: ClassVar[tuple[str, ...]] = ("predictions",)

    def figure(self) -> Figure:
        """Predicted against measured solubility of the test molecules."""
        from benchlearn.lessons.lesson1.biotech_figures import solubility_figure

        return solubility_figure(self.predictions, self.test_r2, self.descriptors)

    def molecule_svg(self, name: str | None = None) -> str:
        """One test molecule drawn by RDKit, with its measured and predicted logS.

        Parameters
        ----------
        name
            A test molecule's name (default: :attr:`molecule`).
        """
        from benchlearn.plots.molecules import molecule_svg

        name = self.molecule if name is None else name
        rows = self.predictions[self.predictions["name"] == name]
        if rows.empty:
            raise UsageError(
                f"{name!r} is not one of the test molecules",
                fix="Use a name from the example's predictions table",
            )
        row = rows.iloc[0]
        legend = f"{name}: measured {row.measured:.2f}, predicted {row.predicted:.2f}"
        return molecule_svg(row.smiles, legend=legend)


@shared
def _solubility_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    from benchlearn.data import load_solubility
    from benchlearn.data.molecules import molecular_descriptors

    frame = load_solubility().frame
    return frame, molecular_descriptors(frame["smiles"])


def solubility_example(descriptors: Sequence[str] = ESOL_DESCRIPTORS) -> SolubilityExample:
    """Fit logS on the chosen descriptors of the training molecules; score on the test ones.

    Parameters
    ----------
    descriptors
        One or more names from ``benchlearn.data.molecules.DESCRIPTORS`` (the control: a
        multi-select). Default: the four of Delaney's ESOL equation.
    """
    from benchlearn.data.molecules import DESCRIPTORS

    chosen = tuple(d for d in DESCRIPTORS if d in set(descriptors))
    unknown = sorted(set(descriptors) - set(DESCRIPTORS))
    if unknown or not chosen:
        raise UsageError(
            f"unknown descriptor(s) {', '.join(unknown)}" if unknown else "no descriptor chosen",
            fix=f"Choose one or more of {', '.join(DESCRIPTORS)}",
        )
    return _solubility(chosen)


@shared
def _solubility(descriptors: tuple[str, ...]) -> SolubilityExample:
    from benchlearn import LinearRegression
    from benchlearn.evaluate import r2_score, root_mean_squared_error

    frame, table = _solubility_table()
    train = (frame["split"] == "train").to_numpy()
    X = table[list(descriptors)]
    y = frame["logS"]
    model = LinearRegression().fit(X[train], y[train])
    predicted = model.predict(X[~train])
    test = frame[~train]
    predictions = pd.DataFrame(
        {
            "name": test["name"].to_numpy(),
            "smiles": test["smiles"].to_numpy(),
            "measured": test["logS"].to_numpy(),
            "predicted": predicted,
        }
    )
    # the drawn molecule: of the drug-sized test molecules (200 g/mol or more), the one of
    # median solubility
    sized = predictions[table["mol_weight"].to_numpy()[~train] >= 200]
    middle = (sized["measured"] - sized["measured"].median()).abs().idxmin()
    return SolubilityExample(
        descriptors=descriptors,
        n_train=int(train.sum()),
        n_test=int((~train).sum()),
        train_r2=r2_score(y[train], model.predict(X[train])),
        test_r2=r2_score(test["logS"], predicted),
        test_rmse=root_mean_squared_error(test["logS"], predicted),
        coefficients=pd.Series(
            [float(model.intercept_), *map(float, model.coef_)], index=["intercept", *descriptors]
        ),
        predictions=predictions,
        molecule=str(predictions.loc[middle, "name"]),
    )


# ==== (b) a virtual screen =====================================================================
@dataclass(frozen=True)
class ScreeningExample(_Example):
    """A model trained on the compounds tested so far ranks the untested ones.

    Attributes
    ----------
    n_library, n_tested, n_untested : int
        Compounds in the series; measured already (the training set); still untested.
    hit_pic50 : float
        A hit has pIC50 at or above this (7: IC50 of 100 nM or better).
    untested_r2 : float
        R² of the predicted pIC50 of the untested compounds (their measured values are known
        here, which is what lets the screen be scored).
    top_fraction : float
        The share of the untested compounds tested next, best-ranked first (the control).
    n_selected, hits_selected : int
        Compounds tested next, and the hits among them.
    hit_rate_selected, base_rate : float
        Share of hits among the selected compounds, and among all untested ones (what testing
        in random order finds on average).
    enrichment : float
        ``hit_rate_selected / base_rate``.
    hits_untested : int
        Hits among all untested compounds.
    random_tests_needed : float
        Tests needed on average to find ``hits_selected`` hits in random order.
    tests_saved : float
        ``random_tests_needed - n_selected``.
    ranking : DataFrame
        Untested compounds, best-ranked first: ``compound, smiles, predicted, measured, hit``.
    """

    n_library: int
    n_tested: int
    n_untested: int
    hit_pic50: float
    untested_r2: float
    top_fraction: float
    n_selected: int
    hits_selected: int
    hit_rate_selected: float
    base_rate: float
    enrichment: float
    hits_untested: int
    random_tests_needed: float
    tests_saved: float
    ranking: pd.DataFrame

    learning: ClassVar[str] = (
        "Supervised learning, regression used for ranking: the model learns potency from the "
        "compounds measured so far, then orders the rest from most to least promising."
    )
    shows: ClassVar[str] = (
        "Testing the top of the ranking first finds hits far more often than testing in "
        "random order: the same number of hits for a fraction of the assays. Biodiversity "
        "mining uses the same idea to choose which natural extracts, microbes or gene clusters "
        "to test first out of thousands."
    )
    does_not_show: ClassVar[str] = (
        "These compounds are close relatives of one series, which flatters the model; on "
        "unfamiliar chemistry rankings are much less reliable, and a ranking never replaces "
        "the assay that confirms a hit."
    )
    _hidden: ClassVar[tuple[str, ...]] = ("ranking",)

    def figure(self) -> Figure:
        """Hits found against compounds tested: model's order vs random order."""
        from benchlearn.lessons.lesson1.biotech_figures import screening_figure

        return screening_figure(self.ranking["hit"].to_numpy(), self.n_selected, self.base_rate)


@shared
def _screen() -> pd.DataFrame:
    """The untested compounds with their predicted pIC50, best first, and the model's R²."""
    from benchlearn import Ridge
    from benchlearn.data import load_chembl2321810
    from benchlearn.data.molecules import morgan_fingerprints

    frame = load_chembl2321810().frame
    bits = morgan_fingerprints(frame["smiles"], FINGERPRINT_RADIUS, FINGERPRINT_BITS)
    order = np.random.default_rng(SEED).permutation(len(frame))
    n_tested = round(TESTED_FRACTION * len(frame))
    tested, untested = order[:n_tested], order[n_tested:]
    share = bits[tested].mean(axis=0)
    keep = (share >= RARE_BIT) & (share <= 1 - RARE_BIT)
    model = Ridge(alpha=SCREEN_ALPHA).fit(bits[tested][:, keep], frame["pIC50"].to_numpy()[tested])
    predicted = model.predict(bits[untested][:, keep])
    ranking = pd.DataFrame(
        {
            "compound": frame["compound"].to_numpy()[untested],
            "smiles": frame["smiles"].to_numpy()[untested],
            "predicted": predicted,
            "measured": frame["pIC50"].to_numpy()[untested],
        }
    )
    ranking["hit"] = ranking["measured"] >= HIT_PIC50
    ranking = ranking.sort_values("predicted", ascending=False, kind="stable")
    ranking.attrs |= {"n_library": len(frame), "n_tested": n_tested, "n_bits": int(keep.sum())}
    return ranking.reset_index(drop=True)


def screening_example(top_fraction: float = 0.1) -> ScreeningExample:
    """Rank the untested 70% of the series by predicted potency and test the top share.

    Parameters
    ----------
    top_fraction
        Share of the untested compounds to test next, best-ranked first (the control; e.g. a
        dropdown of :data:`TOP_FRACTIONS`). Between 0 (excluded) and 1.
    """
    from benchlearn.evaluate import r2_score

    if not 0 < top_fraction <= 1:
        raise UsageError(
            f"top_fraction={top_fraction!r} is not a share between 0 and 1",
            fix="Use e.g. 0.1 to test the best-ranked 10%",
        )
    ranking = _screen()
    n_untested = len(ranking)
    n_selected = max(1, round(top_fraction * n_untested))
    hits = ranking["hit"].to_numpy()
    hits_selected = int(hits[:n_selected].sum())
    base_rate = float(hits.mean())
    hit_rate = hits_selected / n_selected
    random_needed = hits_selected / base_rate
    return ScreeningExample(
        n_library=int(ranking.attrs["n_library"]),
        n_tested=int(ranking.attrs["n_tested"]),
        n_untested=n_untested,
        hit_pic50=HIT_PIC50,
        untested_r2=r2_score(ranking["measured"], ranking["predicted"]),
        top_fraction=float(top_fraction),
        n_selected=n_selected,
        hits_selected=hits_selected,
        hit_rate_selected=hit_rate,
        base_rate=base_rate,
        enrichment=hit_rate / base_rate,
        hits_untested=int(hits.sum()),
        random_tests_needed=random_needed,
        tests_saved=random_needed - n_selected,
        ranking=ranking,
    )


# ==== (c) subtypes without labels ==============================================================
@dataclass(frozen=True)
class SubtypesExample(_Example):
    """k-means on 76 genes of 198 breast tumours, compared afterwards with the known subtypes.

    Attributes
    ----------
    n_clusters : int
        Groups asked for (the control).
    ari_er, ari_grade : float
        Adjusted Rand index of the clusters against ER status and against grade (tumours of
        unknown grade left out): 1 = the same grouping, about 0 = no better than chance.
    table : DataFrame
        Patients per cluster (columns) and ER status (rows).
    inertia : float
    clusters : ndarray
        Each patient's cluster.
    map : ndarray of shape (198, 2)
        Each patient on the first two principal components (for the figure).
    er_status : ndarray
    """

    n_clusters: int
    ari_er: float
    ari_grade: float
    table: pd.DataFrame
    inertia: float
    clusters: np.ndarray
    map: np.ndarray
    er_status: np.ndarray

    learning: ClassVar[str] = (
        "Unsupervised learning, clustering: k-means groups the tumours by their gene "
        "expression without ever seeing their ER status; the labels are used only afterwards, "
        "to compare."
    )
    shows: ClassVar[str] = (
        "Groups found in expression alone overlap the clinic's ER-positive and ER-negative "
        "subtypes well above chance: structure in the data can point to biology."
    )
    does_not_show: ClassVar[str] = (
        "The overlap is partial, and the clusters also follow tumour grade: clustering finds "
        "whatever differences are largest in the genes given to it, which need not be the "
        "subtype a clinician cares about, and it always returns as many groups as asked."
    )
    _hidden: ClassVar[tuple[str, ...]] = ("clusters", "map", "er_status")

    def figure(self) -> Figure:
        """The tumours on the first two principal components: colour = cluster, shape = ER."""
        from benchlearn.lessons.lesson1.biotech_figures import clusters_on_map

        return clusters_on_map(
            self.map, self.clusters, self.er_status, title=f"ARI with ER status {self.ari_er:.2f}",
            label_name="ER status",
        )  # fmt: skip


@shared
def _expression() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    from benchlearn import PCA
    from benchlearn.data import load_gse7390

    data = load_gse7390()
    X = data.X.to_numpy(dtype=float)
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    return data.frame, Z, PCA(2).fit_transform(Z)


def subtypes_example(n_clusters: int = 2) -> SubtypesExample:
    """Cluster the tumours by their (standardised) expression of 76 genes.

    Parameters
    ----------
    n_clusters
        How many groups k-means should form (the control: 2 to 6).
    """
    from benchlearn import KMeans
    from benchlearn.evaluate import adjusted_rand_index, contingency_table

    _check_choice("n_clusters", n_clusters, CLUSTER_CHOICES)
    frame, Z, pcs = _expression()
    model = KMeans(n_clusters, random_state=SEED).fit(Z)
    er = frame["er_status"].to_numpy()
    known = frame["grade"].notna().to_numpy()
    return SubtypesExample(
        n_clusters=n_clusters,
        ari_er=adjusted_rand_index(er, model.labels_),
        ari_grade=adjusted_rand_index(frame["grade"][known], model.labels_[known]),
        table=contingency_table(er, model.labels_),
        inertia=model.inertia_,
        clusters=model.labels_,
        map=pcs,
        er_status=er,
    )


# ==== (d) cell types from single-cell expression ===============================================
@dataclass(frozen=True)
class CellTypesExample(_Example):
    """PCA then k-means on 700 single blood cells, compared with their FACS-sorted cell types.

    Attributes
    ----------
    n_clusters : int
        Groups asked for (the control).
    n_components : int
        Principal components kept before clustering.
    explained_variance : float
        Share of the expression variance those components hold.
    ari : float
        Adjusted Rand index of the clusters against the 10 sorted cell types.
    table : DataFrame
        Cells per cell type (rows) and cluster (columns).
    clusters, map, cell_types : ndarray
        Each cell's cluster, position on the first two components, and cell type.
    """

    n_clusters: int
    n_components: int
    explained_variance: float
    ari: float
    table: pd.DataFrame
    clusters: np.ndarray
    map: np.ndarray
    cell_types: np.ndarray

    learning: ClassVar[str] = (
        "Unsupervised learning: principal component analysis compresses 765 genes into 20 "
        "numbers per cell, and k-means groups the cells; the cell types are looked at only "
        "afterwards."
    )
    shows: ClassVar[str] = (
        "Cells group by type from their RNA alone: dendritic cells, monocytes, B cells and "
        "CD34+ progenitors each fall mostly into clusters of their own, which is how new "
        "single-cell atlases are first mapped."
    )
    does_not_show: ClassVar[str] = (
        "Related types mix (the T-cell subsets with each other, NK cells with cytotoxic T "
        "cells), a cluster gets a name only from a person reading its marker genes, and the "
        "labels compared with were assigned by matching to sorted reference cells, not "
        "measured in these cells."
    )
    _hidden: ClassVar[tuple[str, ...]] = ("clusters", "map", "cell_types")

    def figure(self) -> Figure:
        """The cells on the first two principal components: by cell type, and by cluster."""
        from benchlearn.lessons.lesson1.biotech_figures import cells_figure

        return cells_figure(self.map, self.clusters, self.cell_types, self.ari)


@shared
def _cells() -> tuple[np.ndarray, np.ndarray, float]:
    from benchlearn import PCA
    from benchlearn.data import load_pbmc68k

    data = load_pbmc68k()
    pca = PCA(CELL_COMPONENTS).fit(data.X.to_numpy(dtype=float))
    scores = pca.transform(data.X.to_numpy(dtype=float))
    return scores, data.y.to_numpy(), float(pca.explained_variance_ratio_.sum())


def cell_types_example(n_clusters: int = 10) -> CellTypesExample:
    """Cluster the cells on their first 20 principal components.

    Parameters
    ----------
    n_clusters
        How many groups k-means should form (the control: 2 to 15; 10 cell types were sorted).
    """
    from benchlearn import KMeans
    from benchlearn.evaluate import adjusted_rand_index, contingency_table

    _check_choice("n_clusters", n_clusters, CELL_CLUSTER_CHOICES)
    scores, types, explained = _cells()
    model = KMeans(n_clusters, random_state=SEED).fit(scores)
    return CellTypesExample(
        n_clusters=n_clusters,
        n_components=CELL_COMPONENTS,
        explained_variance=explained,
        ari=adjusted_rand_index(types, model.labels_),
        table=contingency_table(types, model.labels_),
        clusters=model.labels_,
        map=scores[:, :2],
        cell_types=types,
    )


# ==== (e) nuclei marked in an image ============================================================
@dataclass(frozen=True)
class NucleiExample(_Example):
    """A pixel classifier trained on a few annotated pixels of the left half marks the right.

    Attributes
    ----------
    labelled_pixels : int
        Annotated pixels the model learned from, all in the left half (the control).
    iou : float
        Intersection over union of the marked pixels with the hand-drawn nuclei, right half.
    iou_intensity_only : float
        The same model given only each pixel's brightness (a learned threshold).
    pixel_accuracy : float
        Share of right-half pixels classified correctly (high even for poor masks: most
        pixels are background).
    nucleus_share : float
        Share of right-half pixels inside a nucleus.
    image, truth, predicted : ndarray
        The right half: intensities, the true mask, the model's mask.
    """

    labelled_pixels: int
    iou: float
    iou_intensity_only: float
    pixel_accuracy: float
    nucleus_share: float
    image: np.ndarray
    truth: np.ndarray
    predicted: np.ndarray

    learning: ClassVar[str] = (
        "Supervised learning, classification: each pixel is labelled nucleus or background "
        "from its brightness and the brightness around it, learned from pixels a person "
        "annotated."
    )
    shows: ClassVar[str] = (
        "With a thousand annotated pixels from one half of the image, the model marks the "
        "nuclei of the other half close to a person's outlines, better than a brightness "
        "threshold."
    )
    does_not_show: ClassVar[str] = (
        "It marks pixels, not separate nuclei (touching nuclei merge), it is scored on the "
        "same image it learned from, and it would need new annotations for another stain, "
        "microscope or tissue; deciding that a nucleus is abnormal is a further step."
    )
    _hidden: ClassVar[tuple[str, ...]] = ("image", "truth", "predicted")

    def figure(self) -> Figure:
        """The right half: the image, the hand-drawn nuclei, and the model's marks."""
        from benchlearn.lessons.lesson1.biotech_figures import nuclei_figure

        return nuclei_figure(self.image, self.truth, self.predicted, self.iou)


def pixel_features(image: np.ndarray) -> np.ndarray:
    """Per-pixel features: brightness, blurred brightness, edges and blob filters at 4 scales.

    Parameters
    ----------
    image
        A 2D grey-level image.

    Returns
    -------
    ndarray of shape (rows, columns, 13)
        Column 0 is the standardised intensity itself.
    """
    from scipy import ndimage

    image = np.asarray(image, dtype=float)
    image = (image - image.mean()) / image.std()
    layers = [image]
    for scale in PIXEL_SCALES:
        layers += [
            ndimage.gaussian_filter(image, scale),
            ndimage.gaussian_gradient_magnitude(image, scale),
            ndimage.gaussian_laplace(image, scale),
        ]
    return np.stack(layers, axis=-1)


@shared
def _pixels() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from benchlearn.data import nuclei_image

    image, mask = nuclei_image()
    return image, mask > 0, pixel_features(image)


def labelled_sample(truth: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Flat indices of ``n`` annotated pixels, nuclei and background in their true shares.

    At least two of each class, so that a classifier can be fitted from any ``n`` >= 4.
    """
    flat = truth.ravel()
    inside, outside = np.flatnonzero(flat), np.flatnonzero(~flat)
    n_inside = min(max(2, round(n * len(inside) / flat.size)), n - 2)
    return np.concatenate(
        [
            rng.choice(inside, n_inside, replace=False),
            rng.choice(outside, n - n_inside, replace=False),
        ]
    )


def nuclei_example(labelled_pixels: int = 1000) -> NucleiExample:
    """Train a logistic-regression pixel classifier on the left half; mark the right half.

    Parameters
    ----------
    labelled_pixels
        How many annotated pixels of the left half to learn from (the control: e.g. a slider
        over :data:`LABELLED_PIXELS`). At least 4; at most the half's 131,072 pixels.
    """
    if not isinstance(labelled_pixels, int | np.integer) or not 4 <= labelled_pixels <= 131_072:
        raise UsageError(
            f"labelled_pixels={labelled_pixels!r} is not a whole number from 4 to 131072",
            fix=f"Use one of {', '.join(map(str, LABELLED_PIXELS))}",
        )
    return _nuclei(int(labelled_pixels))


@shared
def _nuclei(labelled_pixels: int) -> NucleiExample:
    from benchlearn import LogisticRegression
    from benchlearn.evaluate import accuracy, intersection_over_union

    image, truth, features = _pixels()
    half = image.shape[1] // 2
    left = features[:, :half].reshape(-1, features.shape[-1])
    right = features[:, half:].reshape(-1, features.shape[-1])
    rng = np.random.default_rng(SEED)
    rows = labelled_sample(truth[:, :half], labelled_pixels, rng)
    y = truth[:, :half].ravel()[rows]
    right_truth = truth[:, half:]

    def marks(columns: list[int] | slice) -> np.ndarray:
        X = left[rows][:, columns]
        mean, sd = X.mean(axis=0), X.std(axis=0)
        sd[sd == 0] = 1.0
        model = LogisticRegression(C=1.0).fit((X - mean) / sd, y)
        return model.predict((right[:, columns] - mean) / sd).reshape(right_truth.shape)

    predicted = marks(slice(None))
    return NucleiExample(
        labelled_pixels=labelled_pixels,
        iou=intersection_over_union(right_truth, predicted),
        iou_intensity_only=intersection_over_union(right_truth, marks([0])),
        pixel_accuracy=accuracy(right_truth.ravel(), predicted.ravel()),
        nucleus_share=float(right_truth.mean()),
        image=image[:, half:],
        truth=right_truth,
        predicted=predicted,
    )


# ==== the bias caution =========================================================================
@dataclass(frozen=True)
class BiasExample(_Example):
    """A model of ER status from 76 genes, checked patient group by patient group.

    Attributes
    ----------
    grouping : str
        ``"age"`` or ``"grade"`` (the control).
    overall_accuracy : float
        Cross-validated accuracy over all 198 patients (each predicted by a model that did not
        see them).
    groups : DataFrame
        Per group: ``patients``, ``er_negative_share``, ``accuracy`` (cross-validated), and
        ``always_positive`` (the accuracy of calling every tumour ER-positive).
    shift_same_population, shift_new_population : float
        A model trained only on grade 1-2 tumours: its cross-validated accuracy on grade 1-2
        tumours, and its accuracy on grade 3 tumours, a population it never saw.
    shift_train_er_negative_share, shift_new_er_negative_share : float
        Share of ER-negative tumours in the two populations.
    """

    grouping: str
    overall_accuracy: float
    groups: pd.DataFrame
    shift_same_population: float
    shift_new_population: float
    shift_train_er_negative_share: float
    shift_new_er_negative_share: float

    learning: ClassVar[str] = (
        "Supervised learning, classification, checked the way a clinical model should be: "
        "separately for each group of patients, and on patients unlike those it learned from."
    )
    shows: ClassVar[str] = (
        "One overall accuracy hides large differences: the model is right less often for "
        "some groups of patients, and trained on low-grade tumours it does much worse on "
        "high-grade ones, where ER-negative tumours are common."
    )
    does_not_show: ClassVar[str] = (
        "Groups of a few dozen patients give uncertain accuracies; the reasons for a gap "
        "(biology, fewer examples, different measurement) need study, and a fair overall "
        "number does not make a model fair for each patient."
    )

    ask: ClassVar[str] = (
        "Ask of any clinical model: who was in its training data (ages, tumour types, "
        "ancestry, hospitals, instruments), how well it does for each group of patients "
        "separately, and whether it was tested on patients from elsewhere."
    )

    def for_a_patient(self) -> str:
        """What the gap means for one patient's result, in words, with this grouping's numbers."""
        worst = self.groups["accuracy"].idxmin()
        best = self.groups["accuracy"].idxmax()
        wrong_worst = 1 - self.groups.loc[worst, "accuracy"]
        wrong_best = 1 - self.groups.loc[best, "accuracy"]
        return (
            f"For a patient in the group '{worst}' the model's call is wrong about "
            f"{wrong_worst:.0%} of the time, against {wrong_best:.0%} in the group '{best}': "
            "the same answer deserves less trust there, and a confirming test matters more."
        )

    def to_dict(self) -> dict[str, Any]:
        """Numbers and sentences, ready for JSON, with what to ask and what it means."""
        return super().to_dict() | {"ask": self.ask, "for_a_patient": self.for_a_patient()}

    def figure(self) -> Figure:
        """Accuracy per group, with the accuracy of always answering ER-positive."""
        from benchlearn.lessons.lesson1.biotech_figures import bias_figure

        return bias_figure(
            self.groups, self.grouping, self.shift_same_population, self.shift_new_population
        )


def _standardised_logistic(X_train: np.ndarray, y_train: np.ndarray) -> Any:
    """Logistic regression on genes standardised by the training patients only."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from benchlearn import LogisticRegression

    return make_pipeline(StandardScaler(), LogisticRegression(C=BIAS_C)).fit(X_train, y_train)


def out_of_fold_predictions(X: np.ndarray, y: np.ndarray, seed: int = SEED) -> np.ndarray:
    """Each patient's ER status predicted by a model fitted on the other folds (5-fold CV)."""
    from benchlearn.evaluate import KFold

    predicted = np.empty(len(y), dtype=object)
    for train, test in KFold(BIAS_FOLDS, shuffle=True, random_state=seed).split(X):
        predicted[test] = _standardised_logistic(X[train], y[train]).predict(X[test])
    return predicted


def patient_groups(frame: pd.DataFrame, grouping: str) -> pd.Series:
    """Each patient's group: age band (under 40, 40-49, 50 and over) or tumour grade."""
    if grouping == "age":
        bands = pd.cut(frame["age"], [0, 40, 50, 200], right=False,
                       labels=["under 40", "40-49", "50 and over"])  # fmt: skip
        return bands.astype(str)
    return frame["grade"].fillna("grade unknown")


@shared
def _bias_predictions() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    from benchlearn.data import load_gse7390

    data = load_gse7390()
    X, y = data.X.to_numpy(dtype=float), data.y.to_numpy()
    return data.frame, y, out_of_fold_predictions(X, y)


@shared
def _shift() -> tuple[float, float, float, float]:
    from benchlearn.data import load_gse7390
    from benchlearn.evaluate import accuracy

    data = load_gse7390()
    X, y = data.X.to_numpy(dtype=float), data.y.to_numpy()
    low = data.frame["grade"].isin(LOW_GRADES).to_numpy()
    high = (data.frame["grade"] == HIGH_GRADE).to_numpy()
    same = accuracy(y[low], out_of_fold_predictions(X[low], y[low]))
    new = accuracy(y[high], _standardised_logistic(X[low], y[low]).predict(X[high]))
    return same, new, float(np.mean(y[low] == "negative")), float(np.mean(y[high] == "negative"))


def bias_example(grouping: str = "age") -> BiasExample:
    """Cross-validated accuracy of predicting ER status from 76 genes, per patient group.

    Parameters
    ----------
    grouping
        ``"age"`` (under 40, 40-49, 50 and over) or ``"grade"`` (the control: a dropdown).
    """
    from benchlearn.evaluate import accuracy

    _check_choice("grouping", grouping, GROUPINGS)
    frame, y, predicted = _bias_predictions()
    group = patient_groups(frame, grouping).to_numpy()
    rows = []
    for name in pd.unique(group):
        if name == "grade unknown":
            continue
        members = group == name
        rows.append(
            {
                "group": name,
                "patients": int(members.sum()),
                "er_negative_share": float(np.mean(y[members] == "negative")),
                "accuracy": accuracy(y[members], predicted[members]),
                "always_positive": float(np.mean(y[members] == "positive")),
            }
        )
    order = ["under 40", "40-49", "50 and over"] if grouping == "age" else [*LOW_GRADES, HIGH_GRADE]
    groups = pd.DataFrame(rows).set_index("group").loc[order]
    same, new, low_negative, high_negative = _shift()
    return BiasExample(
        grouping=grouping,
        overall_accuracy=accuracy(y, predicted),
        groups=groups,
        shift_same_population=same,
        shift_new_population=new,
        shift_train_er_negative_share=low_negative,
        shift_new_er_negative_share=high_negative,
    )


def default_examples() -> dict[str, _Example]:
    """Every example at its control's default, by area (for the handout and the tests)."""
    return {
        "molecules": solubility_example(),
        "screening": screening_example(),
        "subtypes": subtypes_example(),
        "omics": cell_types_example(),
        "imaging": nuclei_example(),
        "bias": bias_example(),
    }


def _check_choice(name: str, value: Any, choices: Sequence[Any]) -> None:
    if value not in choices:
        raise UsageError(
            f"{name}={value!r} is not one of the choices",
            fix=f"Use one of {', '.join(map(str, choices))}",
        )


__all__ = [
    "BiasExample",
    "CellTypesExample",
    "NucleiExample",
    "ScreeningExample",
    "SolubilityExample",
    "SubtypesExample",
    "bias_example",
    "cell_types_example",
    "default_examples",
    "nuclei_example",
    "screening_example",
    "solubility_example",
    "solubility_table",
    "subtypes_example",
]


def solubility_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The solubility molecules and all their RDKit descriptors, computed once per process.

    Part 3's several-predictors section reads the same table. Shared: do not modify.

    Returns
    -------
    frame : DataFrame
        ``benchlearn.data.load_solubility().frame`` (name, smiles, logS, ..., split).
    descriptors : DataFrame
        One row per molecule, one column per ``benchlearn.data.molecules.DESCRIPTORS`` entry.
    """
    return _solubility_table()
