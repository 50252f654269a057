import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA as SklearnPCA  # noqa: N811

from benchlearn import PCA


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer().data


@pytest.mark.parametrize("k", [2, 5, None])
def test_components_and_variance_equal_scikit_learn_up_to_sign(cancer, k):
    ours = PCA(k).fit(cancer)
    theirs = SklearnPCA(k, svd_solver="full").fit(cancer)
    signs = np.sign(np.sum(ours.components_ * theirs.components_, axis=1))
    np.testing.assert_allclose(ours.components_ * signs[:, None], theirs.components_, atol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_, theirs.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, theirs.explained_variance_ratio_, rtol=1e-10
    )


def test_fraction_keeps_enough_components_for_that_share_of_variance(cancer):
    model = PCA(0.99).fit(cancer)
    assert model.explained_variance_ratio_.sum() >= 0.99
    assert model.explained_variance_ratio_[:-1].sum() < 0.99


def test_all_components_reconstruct_the_data(cancer):
    model = PCA().fit(cancer)
    np.testing.assert_allclose(model.inverse_transform(model.transform(cancer)), cancer, atol=1e-8)
    np.testing.assert_allclose(model.fit_transform(cancer), model.transform(cancer), atol=1e-8)


def test_passes_scikit_learn_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(PCA())
