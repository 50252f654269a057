import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans as SklearnKMeans
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from benchlearn import KMeans


@pytest.fixture(scope="module")
def cancer():
    return StandardScaler().fit_transform(load_breast_cancer().data)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_same_start_gives_the_same_inertia_and_labels_as_scikit_learn(cancer, k):
    start = cancer[np.random.default_rng(k).choice(len(cancer), k, replace=False)]
    ours = KMeans(n_clusters=k, init=start, tol=0, max_iter=500).fit(cancer)
    theirs = SklearnKMeans(
        n_clusters=k, init=start, n_init=1, tol=0, max_iter=500, algorithm="lloyd"
    ).fit(cancer)
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=1e-10)
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, theirs.cluster_centers_, rtol=1e-10)


def test_every_iteration_is_recorded_and_inertia_never_increases(cancer):
    model = KMeans(n_clusters=3, n_init=1, random_state=0).fit(cancer)
    assert len(model.centers_history_) == model.n_iter_ + 1
    assert len(model.labels_history_) == model.n_iter_ + 1
    assert np.all(np.diff(model.history_["inertia"]) <= 1e-9)


def test_kmeans_plus_plus_with_restarts_is_reproducible(cancer):
    a = KMeans(n_clusters=4, random_state=1).fit(cancer)
    b = KMeans(n_clusters=4, random_state=1).fit(cancer)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    reference = SklearnKMeans(n_clusters=4, random_state=0, n_init=10).fit(cancer).inertia_
    assert a.inertia_ <= reference * 1.02  # as good as scikit-learn's best of 10 starts


def test_passes_scikit_learn_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(KMeans(n_clusters=3, random_state=0))
