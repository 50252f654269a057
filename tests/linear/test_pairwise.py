"""Pairwise slope and elevation differences checked against statsmodels' contrasts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.formula.api import ols, wls
from statsmodels.stats.multitest import multipletests

from benchlearn.errors import UsageError
from benchlearn.linear.pairwise import ADJUSTMENTS, pairwise_lines


def groups_frame(slopes, intercepts, n=8, seed=0):
    rng = np.random.default_rng(seed)
    parts = []
    for k, (b, a) in enumerate(zip(slopes, intercepts, strict=True)):
        x = np.linspace(0.5, 5.0, n) + rng.uniform(0, 0.2, n)
        parts.append(pd.DataFrame({"conc": x, "signal": a + b * x + rng.normal(0, 0.3, n),
                                   "plate": f"plate {chr(65 + k)}"}))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def design_row(fit, plate, conc):
    """statsmodels' design row (by its parameter names) for one point of one plate."""
    row = []
    for name in fit.model.exog_names:
        value = 1.0
        for factor in name.split(":"):
            if factor == "Intercept":
                continue
            if factor == "conc":
                value *= conc
            else:  # C(plate)[T.plate B]
                value *= float(factor == f"C(plate)[T.{plate}]")
        row.append(value)
    return np.array(row)


def contrast_rows(fit, a, b):
    """Design row of group b's point minus group a's, as a 1 × p contrast."""
    return (design_row(fit, *b) - design_row(fit, *a)).reshape(1, -1)


def point(plate, conc):
    return plate, conc


@pytest.fixture(scope="module")
def three_plates():
    return groups_frame([1.0, 1.6, 1.05], [0.0, 0.3, 0.6], n=7, seed=3)


@pytest.fixture(scope="module")
def results(three_plates):
    """One comparison per adjustment (each fits four models)."""
    return {adjust: pairwise_lines(three_plates, "signal", "conc", "plate", adjust=adjust)
            for adjust in ADJUSTMENTS}  # fmt: skip


def test_slope_differences_equal_statsmodels_t_tests_on_the_interaction_model(
    three_plates, results
):
    result = results["none"]
    ref = ols("signal ~ conc * C(plate)", three_plates).fit()
    for row in result.slopes.itertuples():
        # A slope is the change per unit x: the contrast of x = 1 and x = 0 in each group.
        L = contrast_rows(ref, point(row.group_a, 1.0), point(row.group_b, 1.0)) - contrast_rows(
            ref, point(row.group_a, 0.0), point(row.group_b, 0.0)
        )
        test = ref.t_test(L)
        assert row.difference == pytest.approx(float(test.effect[0]), rel=1e-10)
        assert row.std_error == pytest.approx(float(test.sd[0, 0]), rel=1e-10)
        assert row.p_value == pytest.approx(float(test.pvalue), rel=1e-8)
        assert row.df == ref.df_resid


def test_elevations_equal_the_parallel_lines_model_contrasts(three_plates, results):
    result = results["none"]
    ref = ols("signal ~ conc + C(plate)", three_plates).fit()
    for row in result.elevations.itertuples():
        test = ref.t_test(contrast_rows(ref, point(row.group_a, 2.0), point(row.group_b, 2.0)))
        assert row.difference == pytest.approx(float(test.effect[0]), rel=1e-10)
        assert row.std_error == pytest.approx(float(test.sd[0, 0]), rel=1e-10)
        assert row.ci_lower == pytest.approx(float(test.conf_int()[0, 0]), rel=1e-9)


def test_differences_at_x_use_the_separate_lines_like_emmeans(three_plates, results):
    result = pairwise_lines(three_plates, "signal", "conc", "plate", adjust="none", at=1.5)
    ref = ols("signal ~ conc * C(plate)", three_plates).fit()
    for row in result.at_x.itertuples():
        test = ref.t_test(contrast_rows(ref, point(row.group_a, 1.5), point(row.group_b, 1.5)))
        assert row.difference == pytest.approx(float(test.effect[0]), rel=1e-10)
        assert row.std_error == pytest.approx(float(test.sd[0, 0]), rel=1e-10)
    default = results["holm"]
    assert default.at == pytest.approx(three_plates["conc"].mean())


def test_pooled_and_own_standard_errors_are_both_reported_and_labelled(three_plates, results):
    result = results["holm"]
    ref = ols("signal ~ conc * C(plate)", three_plates).fit()
    test = ref.t_test(contrast_rows(ref, point("plate B", 0.0), point("plate B", 1.0)))
    assert result.lines.loc["plate B", "slope_se_pooled"] == pytest.approx(float(test.sd[0, 0]))
    own = ols("signal ~ conc", three_plates[three_plates["plate"] == "plate B"]).fit()
    assert result.lines.loc["plate B", "slope_se_own"] == pytest.approx(own.bse["conc"])
    labels = result.to_dict()["lines"]["conventions"]
    assert "pooled" in labels["pooled"] and "own" in labels["own"]


def test_holm_adjustment_equals_statsmodels_multipletests(three_plates, results):
    result = results["holm"]
    expected = multipletests(result.slopes["p_value"], method="holm")[1]
    np.testing.assert_allclose(result.slopes["p_adjusted"], expected, rtol=1e-12)
    bonferroni = results["bonferroni"]
    expected = multipletests(bonferroni.slopes["p_value"], method="bonferroni")[1]
    np.testing.assert_allclose(bonferroni.slopes["p_adjusted"], expected, rtol=1e-12)


def test_tukey_with_two_groups_is_the_plain_t_test():
    frame = groups_frame([1.0, 1.3], [0.0, 0.2])
    tukey = pairwise_lines(frame, "signal", "conc", "plate", adjust="tukey")
    plain = pairwise_lines(frame, "signal", "conc", "plate", adjust="none")
    assert tukey.slopes["p_adjusted"][0] == pytest.approx(plain.slopes["p_value"][0], rel=1e-6)
    assert tukey.slopes["ci_lower"][0] == pytest.approx(plain.slopes["ci_lower"][0], rel=1e-6)


def test_tukey_widens_intervals_with_more_groups(three_plates, results):
    tukey = results["tukey"]
    plain = results["none"]
    assert (tukey.slopes["ci_upper"] - tukey.slopes["ci_lower"] > plain.slopes["ci_upper"]
            - plain.slopes["ci_lower"]).all()  # fmt: skip
    assert (tukey.slopes["p_adjusted"] >= plain.slopes["p_value"]).all()


def test_weighted_fit_matches_statsmodels_wls(three_plates):
    weights = 1 / three_plates["conc"] ** 2
    result = pairwise_lines(three_plates, "signal", "conc", "plate", sample_weight=weights,
                            adjust="none")  # fmt: skip
    ref = wls("signal ~ conc * C(plate)", three_plates, weights=weights).fit()
    row = result.slopes.iloc[0]
    L = contrast_rows(ref, point(row.group_a, 1.0), point(row.group_b, 1.0)) - contrast_rows(
        ref, point(row.group_a, 0.0), point(row.group_b, 0.0)
    )
    assert row.std_error == pytest.approx(float(ref.t_test(L).sd[0, 0]), rel=1e-10)


def test_json_names_every_table_convention_and_the_adjustment(three_plates, results):
    report = results["tukey"].to_dict()
    for part in ("slopes", "elevations", "at_x"):
        assert report[part]["convention"] and report[part]["formula"]
        assert len(report[part]["rows"]) == 3
    assert report["adjust"]["method"] == ADJUSTMENTS["tukey"]


def test_unknown_adjustment_is_refused(three_plates):
    with pytest.raises(UsageError, match="not one of"):
        pairwise_lines(three_plates, "signal", "conc", "plate", adjust="scheffe")
