"""Weighted prediction intervals take the new reading's weight, checked against statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from benchlearn import LinearRegression
from benchlearn.assay.inverse import WeightWarning
from benchlearn.assay.prediction import prediction_interval

# A constant-CV assay: the SD of a reading is 4% of the signal, so weights 1/x².
X = np.array([0.5, 1, 1, 2, 2, 5, 5, 10, 10, 20, 20, 50])
Y = np.array([0.49, 1.03, 0.97, 2.05, 1.94, 5.2, 4.85, 10.3, 9.7, 19.4, 20.9, 51.5])
W = 1 / X**2


@pytest.fixture(scope="module")
def fits():
    model = LinearRegression().fit(X.reshape(-1, 1), Y, sample_weight=W)
    reference = sm.WLS(Y, sm.add_constant(X), weights=W).fit()
    return model, reference


def test_interval_with_the_rule_matches_statsmodels_wls_with_the_new_weight(fits):
    model, reference = fits
    table = prediction_interval(model, [5.0, 20.0, 30.0], weight_rule="1/x2")
    expected = reference.get_prediction(
        sm.add_constant(np.array([5.0, 20.0, 30.0]), has_constant="add"),
        weights=1 / np.array([25.0, 400, 900]),
    ).summary_frame(alpha=0.05)
    np.testing.assert_allclose(table["lower"], expected["obs_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(table["upper"], expected["obs_ci_upper"], rtol=1e-10)
    assert list(table["reading_weight"]) == [1 / 25, 1 / 400, 1 / 900]


def test_weight_one_gives_a_different_too_narrow_interval_at_x_5_and_warns(fits):
    model, reference = fits
    with pytest.warns(WeightWarning):
        assumed = prediction_interval(model, [5.0])
    right = prediction_interval(model, [5.0], weight_rule="1/x2")
    weight_one = reference.get_prediction(np.array([[1.0, 5.0]])).summary_frame(alpha=0.05)
    assert assumed["lower"].iloc[0] == pytest.approx(weight_one["obs_ci_lower"].iloc[0])
    assert (right["upper"] - right["lower"]).iloc[0] > 2 * (
        assumed["upper"] - assumed["lower"]
    ).iloc[0]
    assert assumed["weight_source"].iloc[0].startswith("assumed 1")


def test_given_weights_and_a_weight_function_are_used_and_reported(fits):
    model, _ = fits
    by_value = prediction_interval(model, [5.0, 10.0], reading_weight=[0.04, 0.01])
    by_function = prediction_interval(model, [5.0, 10.0], reading_weight=lambda x: 1 / x**2)
    np.testing.assert_allclose(by_value["lower"], by_function["lower"], rtol=1e-12)
    assert set(by_value["weight_source"]) == {"given"}
    assert by_function["convention"].iloc[0] and by_function["formula"].iloc[0]


def test_the_estimators_own_prediction_interval_warns_without_the_new_weights(fits):
    import warnings

    from benchlearn import PolynomialRegression

    model, reference = fits
    with pytest.warns(WeightWarning, match="weights were not given"):
        model.predict_interval(np.array([[5.0]]), kind="prediction")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # with the weight, or for the mean, nothing to say
        given = model.predict_interval(np.array([[5.0]]), kind="prediction", sample_weight=[0.04])
        model.predict_interval(np.array([[5.0]]), kind="confidence")
        LinearRegression().fit(X.reshape(-1, 1), Y).predict_interval(
            np.array([[5.0]]), kind="prediction")  # fmt: skip
    expected = reference.get_prediction(np.array([[1.0, 5.0]]), weights=[0.04])
    frame = expected.summary_frame(alpha=0.05)
    assert given["lower"].iloc[0] == pytest.approx(frame["obs_ci_lower"].iloc[0], rel=1e-10)
    curve = PolynomialRegression(degree=2).fit(X.reshape(-1, 1), Y, sample_weight=W)
    with pytest.warns(WeightWarning):
        curve.predict_interval(np.array([[5.0]]), kind="prediction")
