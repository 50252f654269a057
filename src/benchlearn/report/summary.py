"""``RegressionSummary``: every number a scientist reads off a regression, in one object.

``str()`` gives the terminal text (laid out like R's ``summary(lm)``), ``_repr_html_`` a table
for notebooks, ``__rich__`` the command line's coloured tables, and ``to_dict()`` everything as
plain JSON-ready values.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.report.interpret import collinearity_notes


def significance_stars(p: float) -> str:
    """R's codes: *** p < 0.001, ** p < 0.01, * p < 0.05, . p < 0.1."""
    if not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else "." if p < 0.1 else ""


def p_phrase(p: float | None) -> str:
    """``p = 0.012`` or ``p < 2e-16``, for sentences."""
    text = format_p(math.nan if p is None else p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def format_p(p: float) -> str:
    """A p-value as people write it: ``< 2e-16`` below float64's reach, else 3 digits."""
    if not np.isfinite(p):
        return "NaN"
    return "< 2e-16" if p < 2e-16 else f"{p:.3g}"


class RegressionSummary:
    """A readable report of a fitted linear model.

    Parameters
    ----------
    model
        A fitted :class:`~benchlearn.LinearRegression` (or ``PolynomialRegression``).
    X, y
        Optionally the data it was fitted on: adds residual quantiles (and the response's name).
    response
        Name of the response, if ``y`` does not carry one.
    """

    def __init__(self, model: Any, X: Any = None, y: Any = None, response: str | None = None):
        self.model = model
        self.response = response or getattr(y, "name", None) or "y"
        self.residuals = None if X is None or y is None else np.asarray(y, float) - model.predict(X)

    # ------------------------------------------------------------------ content
    @property
    def formula(self) -> str:
        """The model in words: ``response ~ predictors`` (``- 1`` when through the origin)."""
        names = [n for n in self.model.params_.index if n != "intercept"]
        right = " + ".join(names) if names else "1"
        return f"{self.response} ~ {right}" + ("" if self.model.fit_intercept else " - 1")

    def to_dict(self) -> dict[str, Any]:
        """Every number of the summary as JSON-serialisable values (NaN and inf become None)."""
        m = self.model
        params = [
            {"name": name, **{k: _clean(v) for k, v in row.items()}}
            for name, row in m.params_.iterrows()
        ]
        out: dict[str, Any] = {
            "model": type(m).__name__,
            "formula": self.formula,
            "response": self.response,
            "fit_intercept": bool(m.fit_intercept),
            "n_samples": int(m.n_samples_),
            "dof_resid": int(m.dof_resid_),
            "rank": int(m.rank_),
            "parameters": params,
            "residual_std": _clean(m.residual_std_),
            "r2": _clean(m.r2_),
            "r2_adj": _clean(m.r2_adj_),
            "r2_kind": "centred" if m.fit_intercept else "uncentred (no intercept)",
            "f_statistic": _clean(m.f_statistic_),
            "f_df": [int(m.df_model_), int(m.dof_resid_)],
            "f_pvalue": _clean(m.f_pvalue_),
            "condition_number": _clean(m.condition_number_),
            "notes": collinearity_notes(m),
        }
        if self.residuals is not None:
            q = np.quantile(self.residuals, [0, 0.25, 0.5, 0.75, 1])
            out["residual_quantiles"] = dict(
                zip(["min", "q1", "median", "q3", "max"], map(float, q), strict=True)
            )
        return out

    def coefficient_table(self) -> pd.DataFrame:
        """The parameter table with significance codes."""
        table = self.model.params_.copy()
        table["signif"] = [significance_stars(p) for p in table["p_value"]]
        return table

    # ------------------------------------------------------------------ renderings
    def __str__(self) -> str:
        d = self.to_dict()
        lines = [f"{d['model']}:  {d['formula']}", ""]
        if "residual_quantiles" in d:
            q = d["residual_quantiles"]
            lines += [
                "Residuals:",
                "      Min        1Q    Median        3Q       Max",
                "".join(f"{q[k]:>10.4g}" for k in ["min", "q1", "median", "q3", "max"]),
                "",
            ]
        table = self.model.params_
        width = max(12, *(len(str(n)) for n in table.index))
        level = "95%"
        lines.append("Coefficients:")
        lines.append(
            f"{'':<{width}} {'Estimate':>12} {'Std. Error':>12} {'t value':>9} {'Pr(>|t|)':>10}"
            f" {'[' + level:>12} {'CI]':<12}"
        )
        for name, row in table.iterrows():
            lines.append(
                f"{name!s:<{width}} {row['estimate']:>12.6g} {row['std_error']:>12.6g} "
                f"{row['t']:>9.3f} {format_p(row['p_value']):>10} {row['ci_lower']:>12.6g} "
                f"{row['ci_upper']:<12.6g} {significance_stars(row['p_value'])}"
            )
        lines += [
            "---",
            "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1",
            "",
            f"Residual standard error: {d['residual_std']:.6g} on {d['dof_resid']} degrees of "
            "freedom"
            if d["residual_std"] is not None
            else "Residual standard error: NaN",
            f"Multiple R-squared: {_fmt(d['r2'])} ({d['r2_kind']}),  "
            f"Adjusted R-squared: {_fmt(d['r2_adj'])}",
            f"F-statistic: {_fmt(d['f_statistic'])} on {d['f_df'][0]} and {d['f_df'][1]} DF,  "
            f"p-value: {format_p(d['f_pvalue'] if d['f_pvalue'] is not None else math.nan)}",
            f"Observations: {d['n_samples']},  rank: {d['rank']},  "
            f"condition number: {_fmt(d['condition_number'])}",
        ]
        lines += [f"Note: {note}" for note in d["notes"]]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        d = self.to_dict()
        head = "".join(
            f"<th>{h}</th>"
            for h in ["parameter", "estimate", "std. error", "t", "p-value", "95% CI", ""]
        )
        rows = []
        for name, row in self.model.params_.iterrows():
            rows.append(
                "<tr>"
                f"<td>{html.escape(str(name))}</td><td>{row['estimate']:.6g}</td>"
                f"<td>{row['std_error']:.4g}</td><td>{row['t']:.3f}</td>"
                f"<td>{format_p(row['p_value'])}</td>"
                f"<td>{row['ci_lower']:.6g} to {row['ci_upper']:.6g}</td>"
                f"<td>{significance_stars(row['p_value'])}</td></tr>"
            )
        stats = (
            f"n = {d['n_samples']}, residual SD = {_fmt(d['residual_std'])} "
            f"({d['dof_resid']} df), R² = {_fmt(d['r2'])}, adjusted R² = {_fmt(d['r2_adj'])}, "
            f"F = {_fmt(d['f_statistic'])} ({p_phrase(d['f_pvalue'])})"
        )
        notes = "".join(f"<p><em>Note:</em> {html.escape(n)}</p>" for n in d["notes"])
        return (
            f"<div class='benchlearn-summary'><p><strong>{html.escape(d['model'])}</strong>: "
            f"<code>{html.escape(d['formula'])}</code></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p>{stats}</p>{notes}</div>"
        )

    def __rich__(self) -> Any:
        from rich import box
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        d = self.to_dict()
        rows = [
            [str(name), f"{row['estimate']:.5g}", f"{row['std_error']:.3g}", f"{row['t']:.2f}",
             format_p(row["p_value"]), f"{row['ci_lower']:.5g}", f"{row['ci_upper']:.5g}",
             significance_stars(row["p_value"])]
            for name, row in self.model.params_.iterrows()
        ]  # fmt: skip
        # In an 80-column terminal a wrapped number ("4.07e-1" over "4") would be misread, so
        # numbers never wrap; long parameter names fold instead, and the box is kept narrow.
        table = Table(title=f"{d['model']}: {d['formula']}", title_justify="left",
                      box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)  # fmt: skip
        longest_name = max((len(r[0]) for r in rows), default=1)
        table.add_column("parameter", overflow="fold", min_width=min(longest_name, 10))
        headers = ["estimate", "SE", "t", "p", "95% low", "95% high", ""]
        for k, header in enumerate(headers, start=1):
            width = max((len(r[k]) for r in rows), default=1)
            table.add_column(header, justify="right", no_wrap=True, min_width=width)
        for r in rows:
            table.add_row(*r)
        stats = Table.grid(padding=(0, 2))
        stats.add_row("Observations", str(d["n_samples"]))
        stats.add_row("Residual SD", f"{_fmt(d['residual_std'])} on {d['dof_resid']} df")
        stats.add_row("R²", f"{_fmt(d['r2'])} ({d['r2_kind']})")
        stats.add_row("Adjusted R²", _fmt(d["r2_adj"]))
        stats.add_row(
            "F-test",
            f"F = {_fmt(d['f_statistic'])} on {d['f_df'][0]} and {d['f_df'][1]} df, "
            f"{p_phrase(d['f_pvalue'])}",
        )
        stats.add_row("Condition number", _fmt(d["condition_number"]))
        parts: list[Any] = [table, stats]
        parts += [Text(f"Note: {note}", style="yellow") for note in d["notes"]]
        return Group(*parts)


def _clean(value: Any) -> Any:
    value = float(value)
    return value if math.isfinite(value) else None


def _fmt(value: float | None) -> str:
    return "NaN" if value is None else f"{value:.6g}"
