"""Comparing lines between groups: F-tests checked against statsmodels' nested-model anova_lm."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.formula.api import ols
from statsmodels.stats.anova import anova_lm

from benchlearn.errors import DataError, UsageError
from benchlearn.linear.compare import compare_lines
from benchlearn.report.groups import comparison_sentences


def groups_frame(slopes, intercepts, n=8, seed=0):
    rng = np.random.default_rng(seed)
    parts = []
    for k, (b, a) in enumerate(zip(slopes, intercepts, strict=True)):
        x = np.linspace(0.5, 5.0, n) + rng.uniform(0, 0.2, n)
        parts.append(pd.DataFrame({"conc": x, "signal": a + b * x + rng.normal(0, 0.3, n),
                                   "plate": f"plate {chr(65 + k)}"}))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def anova(frame, small, big):
    table = anova_lm(ols(small, frame).fit(), ols(big, frame).fit())
    return (
        table.loc[1, "F"],
        table.loc[1, "df_diff"],
        table.loc[1, "df_resid"],
        table.loc[1, "Pr(>F)"],
    )


@pytest.mark.parametrize(
    ("slopes", "intercepts"),
    [([1.0, 1.1], [0.0, 0.5]), ([1.0, 1.0, 1.05], [0.0, 0.2, 0.1]), ([1.0, 2.0, 1.5], [0, 0, 1])],
)
def test_slope_and_elevation_f_tests_equal_statsmodels_anova_lm(slopes, intercepts):
    frame = groups_frame(slopes, intercepts)
    result = compare_lines(frame, "signal", "conc", "plate")
    f, df1, df2, p = anova(frame, "signal ~ conc + C(plate)", "signal ~ conc * C(plate)")
    assert result.slopes.f == pytest.approx(f, rel=1e-10)
    assert (result.slopes.df1, result.slopes.df2) == (df1, df2)
    assert result.slopes.p_value == pytest.approx(p, rel=1e-10)
    f, df1, df2, p = anova(frame, "signal ~ conc", "signal ~ conc + C(plate)")
    assert result.elevations.f == pytest.approx(f, rel=1e-10)
    assert (result.elevations.df1, result.elevations.df2) == (df1, df2)
    assert result.elevations.p_value == pytest.approx(p, rel=1e-10)


def test_through_origin_compares_only_slopes_like_statsmodels():
    frame = groups_frame([1.0, 1.2, 0.9], [0, 0, 0])
    result = compare_lines(frame, "signal", "conc", "plate", through_origin=True)
    f, df1, df2, p = anova(frame, "signal ~ conc - 1", "signal ~ conc:C(plate) - 1")
    assert result.slopes.f == pytest.approx(f, rel=1e-10)
    assert (result.slopes.df1, result.slopes.df2) == (df1, df2) == (2, 21)
    assert result.slopes.p_value == pytest.approx(p, rel=1e-10)
    assert result.elevations is None
    assert "intercept" not in result.lines.columns


def test_per_group_lines_equal_separate_statsmodels_fits():
    frame = groups_frame([1.0, 1.5], [0.3, 0.1])
    result = compare_lines(frame, "signal", "conc", "plate")
    for name, part in frame.groupby("plate"):
        ref = sm.OLS(part["signal"], sm.add_constant(part["conc"])).fit()
        row = result.lines.loc[name]
        assert row["slope"] == pytest.approx(ref.params["conc"], rel=1e-10)
        assert row["slope_se"] == pytest.approx(ref.bse["conc"], rel=1e-10)
        assert row["intercept_ci_lower"] == pytest.approx(ref.conf_int().loc["const", 0], rel=1e-10)
        assert row["slope_ci_upper"] == pytest.approx(ref.conf_int().loc["conc", 1], rel=1e-10)
        assert row["n"] == len(part)


def test_common_slope_equals_the_parallel_lines_fit():
    frame = groups_frame([1.0, 1.0], [0.0, 1.0])
    ref = ols("signal ~ conc + C(plate)", frame).fit()
    result = compare_lines(frame, "signal", "conc", "plate")
    assert result.common_slope["estimate"] == pytest.approx(ref.params["conc"], rel=1e-10)
    assert result.common_slope["ci_lower"] == pytest.approx(
        ref.conf_int().loc["conc", 0], rel=1e-10
    )


def test_weighted_comparison_equals_statsmodels_wls_anova():
    frame = groups_frame([1.0, 1.3], [0.0, 0.0])
    w = 1 / frame["conc"] ** 2
    result = compare_lines(frame, "signal", "conc", "plate", sample_weight=w)
    from statsmodels.formula.api import wls

    table = anova_lm(wls("signal ~ conc + C(plate)", frame, weights=w).fit(),
                     wls("signal ~ conc * C(plate)", frame, weights=w).fit())  # fmt: skip
    assert result.slopes.f == pytest.approx(table.loc[1, "F"], rel=1e-10)
    assert result.slopes.p_value == pytest.approx(table.loc[1, "Pr(>F)"], rel=1e-10)


def test_sentences_say_slopes_differ_and_elevation_test_is_not_interpretable():
    frame = groups_frame([1.0, 3.0], [0.0, 0.0])
    result = compare_lines(frame, "signal", "conc", "plate")
    assert result.slopes_differ
    text = " ".join(comparison_sentences(result))
    assert "slopes of signal against conc differ" in text
    assert "not interpretable" in text
    assert result.to_dict()["elevations_interpretable"] is False


def test_sentences_report_parallel_lines_at_different_heights():
    frame = groups_frame([1.0, 1.0], [0.0, 3.0])
    result = compare_lines(frame, "signal", "conc", "plate")
    assert not result.slopes_differ
    assert "different heights" in " ".join(comparison_sentences(result))


def test_a_single_group_is_refused_with_a_message():
    frame = groups_frame([1.0], [0.0])
    with pytest.raises(DataError, match="only one group"):
        compare_lines(frame, "signal", "conc", "plate")


def test_a_missing_group_column_is_a_usage_error():
    with pytest.raises(UsageError, match="no column named `arm`"):
        compare_lines(groups_frame([1, 2], [0, 0]), "signal", "conc", "arm")


def test_a_group_with_too_few_points_is_named():
    frame = groups_frame([1.0, 1.0], [0.0, 0.0])
    tiny = pd.DataFrame({"conc": [1.0, 2.0], "signal": [1.0, 2.0], "plate": ["tiny", "tiny"]})
    frame = pd.concat([frame, tiny], ignore_index=True)
    with pytest.raises(DataError, match="group tiny has 2 row"):
        compare_lines(frame, "signal", "conc", "plate")
