"""The self-contained HTML report: one file, figures inline, nothing loaded from the network."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from benchlearn import __version__
from benchlearn.evaluate import residual_diagnostics
from benchlearn.files import write_atomically
from benchlearn.plots import diagnostics as diagnostic_plots
from benchlearn.plots import regression as regression_plots
from benchlearn.plots.render import figure_to_svg
from benchlearn.report.interpret import plain_language
from benchlearn.report.summary import RegressionSummary


@dataclass
class Section:
    """An extra part of the report (e.g. a standard curve's interpolated unknowns)."""

    heading: str
    html: str


def render_html_report(
    model: Any,
    X: pd.DataFrame,
    y: pd.Series,
    *,
    title: str = "Regression report",
    source: str | None = None,
    sections: list[Section] | None = None,
    warnings_shown: list[str] | None = None,
    log_x: bool = False,
    sample_weight: Any = None,
) -> str:
    """Return the report as one HTML document (see :func:`write_html_report`).

    ``sample_weight``: the weights of a weighted fit, for the residual diagnostics (the fit
    figure then leaves out the prediction band, whose width depends on a new point's weight).
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    summary = RegressionSummary(model, X, y)
    table = residual_diagnostics(model, X, y, sample_weight=sample_weight)
    figures = []
    if X.shape[1] == 1:
        weighted = sample_weight is not None
        caption = (
            "Measurements with the weighted fitted line. Band: where the true line lies (95% "
            "confidence). No prediction band is drawn: in a weighted fit, how far a new "
            "measurement may fall depends on its weight."
            if weighted
            else "Measurements with the fitted line. Dark band: where the true line lies (95% "
            "confidence). Light band: where a new measurement is expected to fall (95% "
            "prediction)."
        )
        figures.append(("fit", regression_plots.fit_with_bands(model, X.iloc[:, 0], y, log_x=log_x,
                                                               prediction=not weighted),
                        caption))  # fmt: skip
    else:
        figures.append(("fit", regression_plots.observed_vs_predicted(model, X, y),
                        "Measured against predicted values; the dashed line is a perfect "
                        "prediction."))  # fmt: skip
    figures += [
        ("residuals", diagnostic_plots.residuals_vs_fitted(table),
         "Residuals against fitted values. A curved pattern means the model misses curvature; "
         "a funnel means the scatter grows with the signal (consider weights)."),
        ("qq", diagnostic_plots.normal_qq(table),
         "Normal Q-Q plot. Points near the line mean the scatter is roughly normal, which the "
         "p-values and intervals assume."),
        ("leverage", diagnostic_plots.leverage_cooks(table, model.rank_),
         "Leverage against standardized residual. Points beyond the red Cook's distance lines "
         "change the fit markedly on their own."),
    ]  # fmt: skip
    flagged = table[table["outlier"] | table["influential"]]
    flagged_html = (
        flagged[["fitted", "residual", "studentized_residual", "leverage", "cooks_distance"]]
        .rename_axis("row")
        .to_html(float_format=lambda v: f"{v:.4g}", border=0)
        if len(flagged)
        else ""
    )
    environment = Environment(
        loader=PackageLoader("benchlearn.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        svgs = [(fid, figure_to_svg(fig), caption) for fid, fig, caption in figures]
    return environment.get_template("report.html.j2").render(
        title=title,
        version=__version__,
        source=source or X.attrs.get("source") or "(in memory)",
        summary=summary.to_dict() | {"formula": summary.formula},
        summary_html=summary._repr_html_(),
        reading=plain_language(model, summary.response, table),
        warnings=warnings_shown or [],
        sections=sections or [],
        figures=[{"id": fid, "svg": svg, "caption": caption} for fid, svg, caption in svgs],
        flagged=flagged_html,
    )


def write_html_report(
    model: Any,
    X: pd.DataFrame,
    y: pd.Series,
    path: str | Path,
    *,
    force: bool = False,
    **options: Any,
) -> Path:
    """Write the self-contained HTML report of a fit to ``path``, atomically.

    Parameters
    ----------
    model
        The fitted model.
    X, y
        The data it was fitted on (DataFrame/Series: names label the tables and plots, the index
        gives the row numbers quoted for outliers).
    path
        Output file; an existing file is refused unless ``force``.
    force
        Replace an existing file.
    **options
        ``title``, ``source``, ``sections``, ``warnings_shown``, ``log_x``, ``sample_weight``: see
        :func:`render_html_report`.
    """
    return write_atomically(path, render_html_report(model, X, y, **options), force=force)
