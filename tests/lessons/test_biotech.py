"""Lesson 1's biotech examples: benchlearn's numbers are scikit-learn's where the maths is the same.

Each example is recomputed here from the dataset with scikit-learn's estimators and metrics
(same data, same split, same seed, same settings), and its control is checked to change what
it should.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn import decomposition
from sklearn.cluster import KMeans as SkKMeans
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.linear_model import Ridge as SkRidge
from sklearn.metrics import adjusted_rand_score, jaccard_score, r2_score
from sklearn.model_selection import KFold as SkKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchlearn.data import load_chembl2321810, load_gse7390, load_pbmc68k
from benchlearn.data.molecules import morgan_fingerprints
from benchlearn.errors import UsageError
from benchlearn.evaluate import KFold
from benchlearn.lessons.lesson1 import biotech
from benchlearn.lessons.lesson1.biotech import (
    bias_example,
    cell_types_example,
    nuclei_example,
    screening_example,
    solubility_example,
    subtypes_example,
)

EXAMPLES = {
    "solubility": lambda: solubility_example(),
    "screening": lambda: screening_example(0.1),
    "subtypes": lambda: subtypes_example(2),
    "cell types": lambda: cell_types_example(10),
    "nuclei": lambda: nuclei_example(1000),
    "bias": lambda: bias_example("age"),
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_says_its_kind_of_learning_and_what_it_does_and_does_not_show(name):
    result = EXAMPLES[name]()
    kind = "Unsupervised" if name in {"subtypes", "cell types"} else "Supervised"
    assert result.learning.startswith(kind)
    assert len(result.shows) > 60 and len(result.does_not_show) > 60
    out = json.loads(json.dumps(result.to_dict()))
    assert out["learning"] == result.learning
    assert isinstance(result.figure(), Figure)


# ---- (a) solubility ---------------------------------------------------------------------------
def test_solubility_test_r2_and_slopes_equal_scikit_learns():
    result = solubility_example(("logP", "mol_weight"))
    frame, descriptors = biotech._solubility_table()  # RDKit's numbers: tests/data/test_molecules
    X = descriptors[["logP", "mol_weight"]]
    train = (frame["split"] == "train").to_numpy()
    reference = SkLinearRegression().fit(X[train], frame["logS"][train])
    predicted = reference.predict(X[~train])
    assert result.test_r2 == pytest.approx(r2_score(frame["logS"][~train], predicted), abs=1e-10)
    assert result.coefficients["logP"] == pytest.approx(reference.coef_[0], rel=1e-8)
    assert result.coefficients["intercept"] == pytest.approx(reference.intercept_, rel=1e-8)
    assert (result.n_train, result.n_test) == (1025, 257)


def test_solubility_control_chooses_the_descriptors():
    logp = solubility_example(["logP"])
    esol = solubility_example()
    assert logp.test_r2 == pytest.approx(0.697, abs=0.005)  # logS ~ logP, as published
    assert esol.test_r2 > logp.test_r2 + 0.05
    assert esol.coefficients["logP"] < 0  # oilier molecules dissolve less
    with pytest.raises(UsageError, match="melting_point"):
        solubility_example(["logP", "melting_point"])
    with pytest.raises(UsageError, match="no descriptor"):
        solubility_example([])


def test_the_drawn_molecule_is_a_test_molecule_with_its_numbers():
    result = solubility_example()
    svg = result.molecule_svg()
    assert svg.startswith("<svg") and result.molecule in set(result.predictions["name"])
    with pytest.raises(UsageError, match="not one of the test molecules"):
        result.molecule_svg("water")


# ---- (b) virtual screen -----------------------------------------------------------------------
def test_screen_ranking_equals_scikit_learns_ridge_on_the_same_compounds():
    frame = load_chembl2321810().frame
    bits = morgan_fingerprints(frame["smiles"], 2, 2048)
    order = np.random.default_rng(biotech.SEED).permutation(len(frame))
    tested, untested = order[:305], order[305:]
    share = bits[tested].mean(axis=0)
    keep = (share >= 0.02) & (share <= 0.98)
    reference = SkRidge(alpha=1.0).fit(bits[tested][:, keep], frame["pIC50"].to_numpy()[tested])
    predicted = reference.predict(bits[untested][:, keep])
    result = screening_example(0.1)
    expected = pd.Series(predicted, index=frame["compound"].to_numpy()[untested])
    ours = result.ranking.set_index("compound")["predicted"]
    np.testing.assert_allclose(ours, expected[ours.index], atol=1e-8)
    assert result.untested_r2 == pytest.approx(
        r2_score(frame["pIC50"].to_numpy()[untested], predicted), abs=1e-8
    )


def test_screen_counts_hits_and_tests_saved_from_the_ranking():
    result = screening_example(0.1)
    hits = result.ranking["hit"].to_numpy()
    assert result.n_tested + result.n_untested == result.n_library == 1017
    assert result.n_selected == round(0.1 * result.n_untested) == 71
    assert result.hits_selected == hits[:71].sum()
    assert result.base_rate == pytest.approx(hits.mean())
    assert result.tests_saved == pytest.approx(result.hits_selected / result.base_rate - 71)
    assert result.hit_rate_selected > 2 * result.base_rate  # the point of the example
    everything = screening_example(1.0)
    assert everything.hit_rate_selected == pytest.approx(everything.base_rate)
    assert everything.tests_saved == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(UsageError, match="top_fraction"):
        screening_example(0.0)


# ---- (c) subtypes -----------------------------------------------------------------------------
def test_subtype_clusters_are_a_k_means_fixed_point_and_ari_equals_scikit_learns():
    result = subtypes_example(2)
    data = load_gse7390()
    X = data.X.to_numpy()
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    centres = np.array([Z[result.clusters == k].mean(axis=0) for k in range(2)])
    reference = SkKMeans(2, init=centres, n_init=1).fit(Z)
    assert np.array_equal(reference.labels_, result.clusters)
    assert result.inertia == pytest.approx(reference.inertia_, rel=1e-9)
    assert result.ari_er == pytest.approx(adjusted_rand_score(data.y, result.clusters), abs=1e-12)
    assert 0.15 < result.ari_er < 0.35  # partial agreement, well above chance
    assert result.ari_grade > 0.15  # "the clusters also follow tumour grade"
    assert result.table.to_numpy().sum() == 198


def test_subtypes_control_sets_the_number_of_groups():
    assert len(np.unique(subtypes_example(4).clusters)) == 4
    with pytest.raises(UsageError, match="n_clusters"):
        subtypes_example(1)


# ---- (d) cell types ---------------------------------------------------------------------------
def test_cell_map_equals_scikit_learns_pca_and_ari_equals_scikit_learns():
    result = cell_types_example(10)
    data = load_pbmc68k()
    reference = decomposition.PCA(20, svd_solver="full").fit(data.X.to_numpy())
    scores = reference.transform(data.X.to_numpy())[:, :2]
    np.testing.assert_allclose(np.abs(result.map), np.abs(scores), atol=1e-6)
    assert result.explained_variance == pytest.approx(
        reference.explained_variance_ratio_.sum(), rel=1e-9
    )
    assert result.ari == pytest.approx(adjusted_rand_score(data.y, result.clusters), abs=1e-12)
    assert 0.4 < result.ari < 0.8


def test_cell_types_control_sets_the_number_of_clusters():
    few = cell_types_example(3)
    assert few.table.shape == (10, 3)
    with pytest.raises(UsageError, match="n_clusters"):
        cell_types_example(40)


# ---- (e) nuclei -------------------------------------------------------------------------------
def test_nuclei_marks_equal_scikit_learns_logistic_regression_and_iou_its_jaccard():
    result = nuclei_example(300)
    _, truth, features = biotech._pixels()
    rows = biotech.labelled_sample(truth[:, :256], 300, np.random.default_rng(biotech.SEED))
    X = features[:, :256].reshape(-1, features.shape[-1])[rows]
    y = truth[:, :256].ravel()[rows]
    mean, sd = X.mean(axis=0), X.std(axis=0)
    reference = SkLogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit((X - mean) / sd, y)
    right = features[:, 256:].reshape(-1, features.shape[-1])
    expected = reference.predict((right - mean) / sd)
    assert np.mean(expected == result.predicted.ravel()) > 0.9999
    assert result.iou == pytest.approx(
        jaccard_score(result.truth.ravel(), result.predicted.ravel()), abs=1e-12
    )


def test_more_annotated_pixels_mark_the_nuclei_better_than_brightness_alone():
    few, many = nuclei_example(20), nuclei_example(1000)
    assert many.iou > few.iou and many.iou > 0.8
    assert many.iou > many.iou_intensity_only + 0.1
    assert many.pixel_accuracy > 0.95  # high even for poorer masks: most pixels are background
    with pytest.raises(UsageError, match="labelled_pixels"):
        nuclei_example(2)


# ---- the bias caution -------------------------------------------------------------------------
def test_per_group_accuracy_equals_scikit_learns_cross_validated_predictions():
    data = load_gse7390()
    X, y = data.X.to_numpy(), data.y.to_numpy()
    predicted = np.empty(len(y), dtype=object)
    folds = KFold(5, shuffle=True, random_state=biotech.SEED).split(X)
    for train, test in folds:
        model = make_pipeline(StandardScaler(), SkLogisticRegression(C=0.1, tol=1e-10))
        predicted[test] = model.fit(X[train], y[train]).predict(X[test])
    result = bias_example("age")
    assert result.overall_accuracy == pytest.approx(np.mean(predicted == y), abs=1e-12)
    young = (data.frame["age"] < 40).to_numpy()
    assert result.groups.loc["under 40", "patients"] == young.sum()
    assert result.groups.loc["under 40", "accuracy"] == pytest.approx(
        np.mean(predicted[young] == y[young]), abs=1e-12
    )
    assert result.groups["patients"].sum() == 198


def test_accuracy_differs_between_groups_and_drops_on_a_new_population():
    age, grade = bias_example("age"), bias_example("grade")
    assert age.groups["accuracy"].max() - age.groups["accuracy"].min() > 0.15
    assert grade.groups["patients"].sum() == 196  # two tumours of unknown grade left out
    assert grade.shift_same_population - grade.shift_new_population > 0.15
    assert grade.shift_new_er_negative_share > 3 * grade.shift_train_er_negative_share
    with pytest.raises(UsageError, match="grouping"):
        bias_example("sex")


def test_what_the_gap_means_for_a_patient_quotes_the_worst_and_best_groups():
    result = bias_example("age")
    worst = 1 - result.groups["accuracy"].min()
    sentence = result.to_dict()["for_a_patient"]
    assert "'under 40'" in sentence and f"{worst:.0%}" in sentence and "'50 and over'" in sentence
    assert "training data" in result.to_dict()["ask"]


def test_default_examples_cover_the_five_areas_and_the_caution():
    examples = biotech.default_examples()
    assert list(examples) == ["molecules", "screening", "subtypes", "omics", "imaging", "bias"]
    assert examples["screening"].top_fraction == 0.1 and examples["omics"].n_clusters == 10


def test_scikit_learn_kfold_is_not_what_the_folds_are_compared_with():
    # the folds are benchlearn's own; this guards the comparison above from silently using
    # scikit-learn's (a different shuffle), which would make it test nothing
    ours = [test for _, test in KFold(5, shuffle=True, random_state=0).split(np.zeros(198))]
    theirs = [test for _, test in SkKFold(5, shuffle=True, random_state=0).split(np.zeros(198))]
    assert any(not np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))


def test_the_solubility_caveat_quotes_the_molecules_weights_correctly():
    _, descriptors = biotech._solubility_table()
    assert (descriptors["mol_weight"] > 500).sum() == 4
    assert descriptors["mol_weight"].median() < 175
    assert "only 4 of 1,282" in solubility_example().does_not_show


def majority_share(table: pd.DataFrame, cell_type: str) -> float:
    """Share of a type's cells in the clusters where that type is the most common."""
    owned = table.columns[table.idxmax(axis=0) == cell_type]
    return table.loc[cell_type, owned].sum() / table.loc[cell_type].sum()


def test_the_cell_types_sentences_match_the_clusters():
    table = cell_types_example(10).table
    for cell_type in ["Dendritic", "CD14+ Monocyte", "CD19+ B", "CD34+"]:
        assert majority_share(table, cell_type) > 0.7, cell_type
    assert majority_share(table, "CD56+ NK") < 0.6  # NK cells share a cluster with CD8+ T cells
    assert majority_share(table, "CD4+/CD45RO+ Memory") == 0  # never the majority anywhere
