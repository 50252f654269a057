"""Weights from lab rules: hand-computed values, replicate variances against pandas, messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from benchlearn import LinearRegression
from benchlearn.errors import DataError, UsageError
from benchlearn.linear.weighting import WEIGHT_RULES, weight_at, weights_by

X = [1.0, 2.0, 4.0]
Y = [0.5, 2.0, 8.0]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("1/x", [1.0, 0.5, 0.25]),
        ("1/x2", [1.0, 0.25, 0.0625]),
        ("1/y", [2.0, 0.5, 0.125]),
        ("1/y2", [4.0, 0.25, 1.0 / 64.0]),
    ],
)
def test_power_rules_give_the_hand_computed_weights(rule, expected):
    np.testing.assert_allclose(weights_by(rule, X, Y), expected, rtol=1e-15)


def test_squared_rules_accept_negative_values_through_their_square():
    # A blank-subtracted signal can be negative; its variance is still proportional to y².
    np.testing.assert_allclose(weights_by("1/y2", X, [-0.5, 2.0, 8.0])[0], 4.0, rtol=1e-15)


def test_replicate_weights_are_inverse_sample_variances_of_each_level():
    # x = 1: y = 1, 3 -> variance 2; x = 2: y = 2, 4, 9 -> mean 5, variance (9 + 1 + 16) / 2 = 13
    weights = weights_by("replicates", [1, 1, 2, 2, 2], [1.0, 3.0, 2.0, 4.0, 9.0])
    np.testing.assert_allclose(weights, [1 / 2, 1 / 2, 1 / 13, 1 / 13, 1 / 13], rtol=1e-15)


def test_replicate_weights_equal_pandas_groupby_variance_in_file_order():
    rng = np.random.default_rng(3)
    levels = np.array([0.5, 1.0, 2.0, 5.0, 10.0])
    frame = pd.DataFrame({"conc": rng.permutation(np.repeat(levels, 3))})
    frame["A562"] = 0.1 + 0.2 * frame["conc"] * (1 + rng.normal(0, 0.05, len(frame)))
    frame.index = frame.index + 2  # the user's row numbers
    expected = 1.0 / frame.groupby("conc")["A562"].transform("var")
    ours = weights_by("replicates", frame["conc"], frame["A562"])
    np.testing.assert_allclose(ours, expected.to_numpy(), rtol=1e-13)


def test_fit_with_replicate_weights_equals_statsmodels_wls_with_the_same_weights():
    rng = np.random.default_rng(8)
    conc = np.repeat([1.0, 2.0, 4.0, 8.0, 16.0], 3)
    signal = 0.05 + 0.1 * conc * (1 + rng.normal(0, 0.04, conc.size))
    frame = pd.DataFrame({"conc": conc, "signal": signal})
    w = 1.0 / frame.groupby("conc")["signal"].transform("var").to_numpy()
    ours = LinearRegression().fit(
        frame[["conc"]], frame["signal"], sample_weight=weights_by("replicates", conc, signal)
    )
    ref = sm.WLS(frame["signal"], sm.add_constant(frame[["conc"]]), weights=w).fit()
    np.testing.assert_allclose(ours.params_["estimate"], ref.params, rtol=1e-10)
    np.testing.assert_allclose(ours.params_["std_error"], ref.bse, rtol=1e-10)


def test_a_dataframe_column_works_like_a_series():
    frame = pd.DataFrame({"conc": X})
    np.testing.assert_allclose(weights_by("1/x", frame, Y), weights_by("1/x", frame["conc"], Y))


def test_unknown_rule_is_a_usage_error_listing_the_rules():
    with pytest.raises(UsageError) as caught:
        weights_by("1/z", X, Y)
    assert caught.value.message == (
        "--weight-by '1/z' is not one of 1/x, 1/x2, 1/y, 1/y2, replicates. "
        "For a constant coefficient of variation use 1/x2 (or 1/y2)."
    )
    assert WEIGHT_RULES == ("1/x", "1/x2", "1/y", "1/y2", "replicates")


def test_zero_x_under_1_over_x2_names_file_row_and_column():
    conc = pd.Series([0.0, 1.0, 2.0], index=[2, 3, 4], name="conc")
    with pytest.raises(DataError) as caught:
        weights_by("1/x2", conc, [0.1, 0.2, 0.3], source="bca.csv")
    error = caught.value
    assert (error.path, error.row, error.column) == ("bca.csv", 2, "conc")
    assert error.message == (
        "file bca.csv, row 2, column `conc`: the value 0 is 0, so 1/value² is infinite. "
        "Leave such rows out (e.g. the blank), or choose another weighting."
    )


def test_non_positive_y_under_1_over_y_is_refused_with_its_row():
    signal = pd.Series([0.3, -0.1, 0.5], index=[5, 6, 7], name="A562")
    with pytest.raises(DataError) as caught:
        weights_by("1/y", [1.0, 2.0, 3.0], signal)
    assert caught.value.row == 6 and caught.value.column == "A562"
    assert "the value -0.1 is not positive, so 1/value is not a usable weight" in (
        caught.value.message
    )


def test_array_positions_are_not_reported_as_file_rows():
    with pytest.raises(DataError) as caught:
        weights_by("1/x", [1.0, 0.0], [1.0, 2.0])
    assert caught.value.row is None and caught.value.column == "x"


def test_a_level_measured_once_cannot_give_a_replicate_variance():
    conc = pd.Series([1.0, 1.0, 2.0, 4.0, 4.0], index=range(2, 7), name="conc")
    with pytest.raises(DataError) as caught:
        weights_by("replicates", conc, [1.0, 1.1, 2.0, 4.0, 4.2], source="std.csv")
    assert caught.value.row == 4
    assert caught.value.message == (
        "file std.csv, row 4, column `conc`: conc = 2 has a single measurement, so the variance "
        "of its replicates cannot be estimated. Measure every level at least twice, or use "
        "--weight-by 1/x2 or 1/y2."
    )


def test_identical_replicates_give_an_infinite_weight_and_are_refused():
    conc = pd.Series([1.0, 1.0, 2.0, 2.0], index=range(2, 6), name="conc")
    signal = pd.Series([1.0, 1.2, 2.5, 2.5], index=range(2, 6), name="A562")
    with pytest.raises(DataError) as caught:
        weights_by("replicates", conc, signal)
    assert caught.value.row == 4 and caught.value.column == "A562"
    assert "the replicates at conc = 2 are identical, so their variance is 0" in (
        caught.value.message
    )


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("1/x", 1 / 3.0), ("1/x2", 1 / 9.0), ("1/y", 1 / 0.5), ("1/y2", 1 / 0.25)],
)
def test_weight_of_a_new_reading_follows_the_rule(rule, expected):
    assert weight_at(rule, 3.0, 0.5, X, [1.0, 1.0, 1.0]) == pytest.approx(expected, rel=1e-15)


def test_weight_of_a_new_reading_interpolates_level_means_and_is_flat_outside():
    x = [1.0, 1.0, 3.0, 3.0]
    w = [2.0, 4.0, 1.0, 1.0]  # level means 3 and 1
    assert weight_at("replicates", 2.0, 0.0, x, w) == pytest.approx(2.0)
    assert weight_at(None, 1.5, 0.0, x, w) == pytest.approx(2.5)
    assert weight_at(None, 0.0, 0.0, x, w) == pytest.approx(3.0)
    assert weight_at(None, 10.0, 0.0, x, w) == pytest.approx(1.0)


def test_x_and_y_of_different_lengths_are_a_usage_error():
    with pytest.raises(UsageError, match="x has 3 values and y 2"):
        weights_by("1/x", X, [1.0, 2.0])
