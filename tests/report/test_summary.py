import json
import os

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.datasets import load_diabetes

from benchlearn import LinearRegression
from benchlearn.report import RegressionSummary
from benchlearn.report.summary import format_p, significance_stars


@pytest.fixture(scope="module")
def fitted():
    data = load_diabetes(as_frame=True, scaled=False)
    X, y = data.data, data.target.rename("progression")
    return LinearRegression().fit(X, y), X, y


def test_model_summary_method_returns_the_report_object(fitted):
    model, _, _ = fitted
    assert isinstance(model.summary(), RegressionSummary)


def test_text_is_laid_out_like_r_summary_lm(fitted):
    model, X, y = fitted
    text = str(RegressionSummary(model, X, y))
    ref = sm.OLS(y, sm.add_constant(X)).fit()
    assert "progression ~ age + sex + bmi" in text
    assert "Residual standard error: 54.1542 on 431 degrees of freedom" in text
    assert f"Multiple R-squared: {ref.rsquared:.6g}" in text
    assert "F-statistic: 46.2724 on 10 and 431 DF,  p-value: < 2e-16" in text
    residual_median = np.median(ref.resid)
    assert f"{residual_median:.4g}" in text


def test_to_dict_is_json_serialisable_and_complete(fitted):
    model, X, y = fitted
    numbers = RegressionSummary(model, X, y).to_dict()
    json.dumps(numbers, allow_nan=False)
    assert [p["name"] for p in numbers["parameters"]][:2] == ["intercept", "age"]
    assert {"r2", "r2_adj", "f_statistic", "f_pvalue", "residual_std", "condition_number"} <= set(
        numbers
    )


def test_html_rendering_has_a_row_per_parameter(fitted):
    model, _, _ = fitted
    html = model.summary()._repr_html_()
    assert html.count("<tr>") == len(model.params_) + 1  # plus the header row


def test_significance_codes_and_p_formatting_follow_r():
    assert [significance_stars(p) for p in [1e-5, 0.005, 0.03, 0.07, 0.5]] == [
        "***", "**", "*", ".", ""
    ]  # fmt: skip
    assert format_p(1e-20) == "< 2e-16"
    assert format_p(0.01234) == "0.0123"


@pytest.mark.parametrize("width", [80, 100])
def test_terminal_table_never_breaks_a_number_across_lines(fitted, width):
    # A p-value of 4.07e-14 split as "4.07e-1" over "4" would be read as 0.407.
    from rich.console import Console

    model, X, y = fitted
    console = Console(width=width, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(RegressionSummary(model, X, y))
    lines = console.export_text().splitlines()
    ref = sm.OLS(y, sm.add_constant(X)).fit()
    for name, p_value in ref.pvalues.rename({"const": "intercept"}).items():
        row = next(line for line in lines if line.split()[:1] == [name] and "+" not in line)
        assert format_p(p_value) in row
        assert f"{ref.params[name if name != 'intercept' else 'const']:.5g}" in row
    assert max(len(line.rstrip()) for line in lines) <= width
