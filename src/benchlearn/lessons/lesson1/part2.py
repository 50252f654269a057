"""Part 2's two data sets, each analysed with its labels (supervised) and without (unsupervised).

The learner chooses the data: the breast biopsies of Part 1 (label: the diagnosis) or the gene
expression of 198 breast tumours (label: ER status; the ``gse7390`` set that Part 4's subtypes
example clusters). Both come as :class:`LabelledRows`, split and standardised the same way: a
stratified quarter held out as the test set, features standardised with the training rows' mean
and standard deviation for the classifier and with every row's for k-means and the map.

k-means takes a few hundred milliseconds on these tables, too slow for a slider, so
:func:`fitted` fits each (model settings, data set) once per server process and hands every
session the same fitted model; :func:`clusters_map_html` does the same for the map's picture.
Results are shared: callers must not modify them.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchlearn.lessons.lesson1 import data
from benchlearn.lessons.shared import shared

# The data choice's labels (what the learner reads) and keys.
DATA_CHOICES: dict[str, str] = {
    "Breast biopsies (label: the diagnosis)": "biopsies",
    "Tumour gene expression (label: ER status)": "tumours",
}
DEFAULT_DATA = "biopsies"
K_CHOICES = (2, 3, 4, 5, 6)  # the k slider's positions
WARM_UP_DELAY = 30.0  # seconds after a server's first page before the other k are prepared
WARM_UP_PACE = 0.5  # seconds of rest between two preparations, leaving the sessions room
LABEL_COLOURS = {
    "biopsies": {"benign": "#3182bd", "malignant": "#d94801"},
    "tumours": {"positive": "#3182bd", "negative": "#cb181d"},
}


@dataclass(frozen=True)
class LabelledRows(data.Split):
    """One of Part 2's data sets, split as Part 1 splits the biopsies
    (:func:`benchlearn.lessons.lesson1.data.split_rows`).

    Attributes
    ----------
    key
        ``"biopsies"`` or ``"tumours"``.
    rows, label, features
        How the page names a row, its label and its features ("tumours", "ER status",
        "76 genes").
    Z_train, Z_test, y_train, y_test
        The stratified split: features standardised by the training rows, and the labels.
    Z_all, y_all
        Every row, standardised by all rows (what k-means and the map see), and its label.
    X_train, X_test
        The training and test rows' features as read.
    """

    key: str
    rows: str
    label: str
    features: str

    def majority_share(self) -> tuple[str, float]:
        """The commonest label among the test rows and its share: the score of always guessing
        it, which a classifier must beat to have learned anything."""
        counts = self.y_test.value_counts()
        return str(counts.index[0]), float(counts.iloc[0] / len(self.y_test))


@functools.cache
def tumours() -> LabelledRows:
    """The 198 tumours' expression of 76 genes and their ER status, split like the biopsies."""
    from benchlearn.data import load_gse7390

    gse = load_gse7390()
    return LabelledRows(
        key="tumours",
        rows="tumours",
        label="ER status",
        features=f"{gse.X.shape[1]} genes",
        **vars(data.split_rows(gse.X, gse.y)),
    )


@functools.cache
def biopsies() -> LabelledRows:
    """Part 1's biopsies (:func:`benchlearn.lessons.lesson1.data.biopsies`) as Part 2 names them."""
    biopsy = data.biopsies()
    return LabelledRows(
        key="biopsies",
        rows="biopsies",
        label="diagnosis",
        features=f"{biopsy.Z_all.shape[1]} nucleus measurements",
        **vars(biopsy),
    )


def rows_for(key: str) -> LabelledRows:
    """The data set named ``key`` (a value of :data:`DATA_CHOICES`)."""
    loaders = {"biopsies": biopsies, "tumours": tumours}
    if key not in loaders:
        raise ValueError(f"no Part 2 data set {key!r}; choose one of {', '.join(loaders)}")
    return loaders[key]()


@shared
def _fit(model_type: type, settings: tuple[tuple[str, Hashable], ...], key: str) -> Any:
    return model_type(**dict(settings)).fit(rows_for(key).Z_all)


def fitted(model: Any, key: str) -> Any:
    """``model`` fitted to every row of data set ``key`` (no labels), once per server process.

    The same settings on the same data give the same fitted model, so it is fitted the first
    time any session asks and handed to every later caller. Treat it as read-only.
    """
    settings = tuple(sorted(model.get_params().items()))
    return _fit(type(model), settings, key)


@shared
def clusters_map_html(key: str, clusters: tuple[int, ...], pca: Any) -> str:
    """The map of data set ``key`` coloured by ``clusters`` and by its labels, as an ``<img>``.

    Each row is drawn at ``pca.transform`` of its features (``pca``: the fitted principal
    component analysis :func:`fitted` keeps for the data set, so the same object each time).
    Drawn once per distinct clustering.
    """
    from benchlearn.lessons.lesson1.blocks import figure_html

    rows = rows_for(key)
    k = len(set(clusters))
    drawing = _map(key, pca)
    with drawing.lock:
        return figure_html(
            drawing.recolour(clusters),
            f"The {len(rows.y_all)} {rows.rows} on the first two principal components, coloured "
            f"by {k} k-means clusters (left) and by {rows.label} (right)",
        )


@shared
def _map(key: str, pca: Any) -> Any:
    """The map of data set ``key`` (a :class:`~.figures.ClustersMap`), built once per process:
    each clustering recolours it."""
    from benchlearn.lessons.lesson1.figures import ClustersMap

    rows = rows_for(key)
    return ClustersMap(
        pca.transform(rows.Z_all), np.zeros(len(rows.y_all), dtype=int), rows.y_all.to_numpy(),
        label_colours=LABEL_COLOURS[key], label_name=rows.label, figsize=(6.6, 3.0),
    )  # fmt: skip


def supervised_readout(key: str, accuracy: float) -> str:
    """The classifier's test accuracy on data set ``key``, beside always guessing the commonest
    label (e.g. "Trained with the labels: 82.0% of 50 test tumours right (always ER-positive:
    68.0%)")."""
    from benchlearn.lessons.lesson1.blocks import percent, readout_html

    rows = rows_for(key)
    label, share = rows.majority_share()
    guess = f"ER-{label}" if key == "tumours" else label
    return readout_html(
        f"Trained with the labels: {percent(accuracy)} of {len(rows.y_test)} test {rows.rows} "
        f"right (always {guess}: {percent(share)})",
        "supervised-accuracy",
    )


_warm_up_started = threading.Event()


def warm_up(delay: float = WARM_UP_DELAY, pace: float = WARM_UP_PACE) -> threading.Thread | None:
    """Fit and draw every k of both data sets in a background thread, once per process.

    A served lesson calls this when its first page opens: ``delay`` seconds later (the first page
    has its outputs by then), every k-means fit and map the slider can ask for is prepared, one
    at a time with ``pace`` seconds of rest between them so that the learners' sessions keep
    the processor, and no learner waits for one later. Returns the thread, or ``None`` if one
    was already started.
    """
    if _warm_up_started.is_set():
        return None
    _warm_up_started.set()

    def prepare() -> None:
        from benchlearn import PCA, KMeans

        for key in DATA_CHOICES.values():
            pca = fitted(PCA(n_components=2), key)
            for k in K_CHOICES:
                labels = fitted(KMeans(n_clusters=k, random_state=data.SEED), key).labels_ + 1
                clusters_map_html(key, tuple(labels.tolist()), pca)
                time.sleep(pace)

    thread = threading.Timer(delay, prepare)
    thread.daemon = True
    thread.start()
    return thread
