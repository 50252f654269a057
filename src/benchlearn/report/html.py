"""The self-contained HTML report: one file, figures inline, nothing loaded from the network.

Every piece of HTML comes from a Jinja template or macro (``templates/``) with autoescape on:
text is escaped where it is inserted, and only the outputs of templates (Jinja ``Markup``) and
matplotlib's SVG figures pass unescaped.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from benchlearn import __version__
from benchlearn.evaluate.diagnostics import rows_worth_looking_at
from benchlearn.files import write_atomically


@dataclass(frozen=True)
class Section:
    """An extra part of the report (e.g. a standard curve's interpolated unknowns).

    ``html`` is the output of a template (:func:`macro`).
    """

    heading: str
    html: Markup


@cache
def environment() -> Environment:
    """The report's Jinja environment (autoescape on for .html and .j2 templates)."""
    return Environment(
        loader=PackageLoader("benchlearn.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )


def render_fragment(template: str, **context: Any) -> Markup:
    """A part of a page from one template of ``templates/``."""
    return Markup(environment().get_template(template).render(**context))


def macro(name: str, *args: Any, **kwargs: Any) -> Markup:
    """A part of a page from one macro of ``templates/macros.html.j2``."""
    return Markup(
        getattr(environment().get_template("macros.html.j2").module, name)(*args, **kwargs)
    )


def figure_svg(figure: Any) -> Markup:
    """A matplotlib figure as inline SVG (matplotlib's own output, inserted as it is)."""
    from benchlearn.plots.render import figure_to_svg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Markup(figure_to_svg(figure))


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
    summary: Any = None,
    diagnostics: pd.DataFrame | None = None,
    reading: list[str] | None = None,
) -> str:
    """Return the report as one HTML document (see :func:`write_html_report`).

    ``sample_weight``: the weights of a weighted fit, for the residual diagnostics (the fit
    figure then leaves out the prediction band, whose width depends on a new point's weight).
    ``summary``, ``diagnostics``, ``reading``: the fit's summary, residual diagnostics and
    plain-language reading when the caller has them already (computed here otherwise).
    """
    from benchlearn.evaluate import residual_diagnostics
    from benchlearn.linear.summary import RegressionSummary
    from benchlearn.plots import diagnostics as diagnostic_plots
    from benchlearn.plots import regression as regression_plots
    from benchlearn.report.interpret import plain_language
    from benchlearn.report.summary import summary_table

    if summary is None:
        summary = RegressionSummary(model, X, y)
    table = (
        diagnostics
        if diagnostics is not None
        else residual_diagnostics(model, X, y, sample_weight=sample_weight)
    )
    if reading is None:
        reading = plain_language(model, summary.response, table)
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
    columns = ["fitted", "residual", "studentized_residual", "leverage", "cooks_distance"]
    flagged = rows_worth_looking_at(table)
    n_flagged = int((table["outlier"] | table["influential"]).sum())
    flagged_rows = [
        [str(label), *(f"{row[c]:.4g}" for c in columns)] for label, row in flagged.iterrows()
    ]
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            version=__version__,
            source=source or X.attrs.get("source") or "(in memory)",
            summary=summary.to_dict(),
            summary_table=summary_table(summary),
            reading=reading,
            warnings=warnings_shown or [],
            sections=sections or [],
            figures=[
                {"id": fid, "svg": figure_svg(fig), "caption": caption}
                for fid, fig, caption in figures
            ],
            flagged_headers=["row", *columns],
            flagged_rows=flagged_rows,
            flagged_more=n_flagged - len(flagged_rows),
        )
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
        ``title``, ``source``, ``sections``, ``warnings_shown``, ``log_x``, ``sample_weight``,
        ``summary``, ``diagnostics``, ``reading``: see :func:`render_html_report`.
    """
    return write_atomically(path, render_html_report(model, X, y, **options), force=force)
