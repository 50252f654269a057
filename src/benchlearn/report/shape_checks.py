"""Checks of a fitted model's shape, as reported: lack-of-fit test and runs test.

:func:`shape_checks` runs :func:`benchlearn.evaluate.lack_of_fit_test` and
:func:`benchlearn.evaluate.runs_test` on a fit and returns JSON-ready results, or the reason a
check does not apply (no replicated x, for the lack-of-fit test); the other functions word and lay
them out for the terminal and the HTML report.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Group
from rich.text import Text

from benchlearn.errors import DataError
from benchlearn.evaluate import lack_of_fit_test, runs_test
from benchlearn.linear.compare import separate_lines_design
from benchlearn.linear.regression import LinearRegression
from benchlearn.report.html import Section


def shape_checks(
    model: Any, X: Any, y: Any, sample_weight: Any = None, *, settings: Any = None
) -> dict[str, Any]:
    """Lack-of-fit test (when x is replicated) and runs test, or why each was not computed.

    Parameters
    ----------
    model, X, y, sample_weight
        The fitted model and its data (rows of ``X`` that are equal are replicates).
    settings
        DataFrame of the columns that order the runs test (e.g. the predictor; the group then
        the predictor). The residuals of replicates of one setting are averaged (weighted mean)
        first, so that replicates' own scatter does not count as runs. ``None`` (several
        predictors): individual residuals in order of the fitted value.
    """
    out: dict[str, Any] = {}
    try:
        out["lack_of_fit"] = {"computed": True} | lack_of_fit_test(
            model, X, y, sample_weight=sample_weight
        ).to_dict()
    except DataError as error:
        out["lack_of_fit"] = {"computed": False, "reason": error.what}
    fitted = np.asarray(model.predict(X), float).ravel()
    residual = np.asarray(y, dtype=float).ravel() - fitted
    weights = np.ones_like(residual) if sample_weight is None else np.asarray(sample_weight, float)
    if settings is None:
        ordered = residual[np.argsort(fitted, kind="stable")]
        order = "residuals in order of the fitted value"
    else:
        used = weights > 0
        keys = list(settings.columns)
        table = settings.loc[used].reset_index(drop=True)
        table["_wr"], table["_w"] = (weights * residual)[used], weights[used]
        sums = table.groupby(keys, sort=True)[["_wr", "_w"]].sum()
        ordered = (sums["_wr"] / sums["_w"]).to_numpy()
        by = " then ".join(str(k) for k in keys)
        order = (
            f"mean residual of each {by} setting, in order of {by}"
            if len(sums) < int(used.sum())
            else f"residuals in order of {by}"
        )
    try:
        out["runs_test"] = {"computed": True, "order": order} | runs_test(ordered).to_dict()
    except DataError as error:
        out["runs_test"] = {"computed": False, "reason": error.what}
    return out


def group_shape_checks(
    data: Any,
    y: Any,
    x: str,
    group: str,
    through_origin: bool,
    sample_weight: Any,
    *,
    model: Any = None,
) -> dict[str, Any]:
    """Shape checks of the separate-lines model: replicates are repeats of a (group, x) pair.

    ``model``: that model already fitted to these rows (``LineComparison.separate_fit``), if
    there is one; otherwise it is fitted here.
    """
    design = separate_lines_design(data, x, group, through_origin)
    if model is None:
        model = LinearRegression(fit_intercept=not through_origin).fit(
            design, y, sample_weight=sample_weight
        )
    settings = pd.DataFrame(
        {group: data[group].astype(str).str.strip().to_numpy(),
         x: pd.to_numeric(data[x]).to_numpy(dtype=float)}
    )  # fmt: skip
    checks = shape_checks(model, design, y, sample_weight, settings=settings)
    return {name: result | {"model": f"a separate line for each {group}"}
            for name, result in checks.items()}  # fmt: skip


def check_sentences(checks: dict[str, Any]) -> list[str]:
    """Each check's reading, or why it was not computed, in plain words."""
    lof, runs = checks["lack_of_fit"], checks["runs_test"]
    sentences = [
        lof["reading"] if lof["computed"] else f"Lack-of-fit test not computed: {lof['reason']}.",
        runs["reading"] if runs["computed"] else f"Runs test not computed: {runs['reason']}.",
    ]
    if runs["computed"]:
        sentences[1] += f" (Signs of the {runs['order']}.)"
    if "model" in lof:
        sentences.insert(0, f"Both checks are of the model with {lof['model']}.")
    return sentences


def checks_renderables(checks: dict[str, Any]) -> list[Any]:
    """The checks for the terminal (rich)."""
    lines = [Text("Checks of the model's shape:", style="bold")]
    lines += [Text(f"- {sentence}") for sentence in check_sentences(checks)]
    return [Group(*lines)]


def checks_section(checks: dict[str, Any]) -> Section:
    """The checks as a section of the HTML report."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in check_sentences(checks))
    return Section("Checks of the model's shape", f"<ul class='reading'>{items}</ul>")
