"""HTML building blocks of lesson 1 (figures, tables, readouts), shared by the app and handout.

They return plain HTML strings (no marimo), so the offline handout can use them as they are;
the marimo app wraps them in ``mo.Html``. The readout blocks take what the benchlearn calls
returned (those calls stay written out in the app's cells, for "Show code") and only format
it, once for the page and the handout.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from benchlearn.lessons.lesson1 import compute

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


def figure_html(fig: Figure, alt: str) -> str:
    """The figure as an ``<img>`` with a PNG data URI (nothing fetched) and alternative text."""
    from benchlearn.plots.render import figure_to_png_data_uri

    dpi = 110
    width = round(fig.get_figwidth() * dpi)
    return (
        f'<img src="{figure_to_png_data_uri(fig, dpi=dpi)}" alt="{html.escape(alt)}" '
        f'style="width:{width}px;max-width:100%;height:auto">'
    )


def table_html(frame: pd.DataFrame, *, digits: int = 4, index: bool = True) -> str:
    """A small DataFrame as a plain HTML table, numbers shown to ``digits`` significant digits."""
    return frame.to_html(
        index=index,
        float_format=lambda v: f"{v:.{digits}g}",
        border=0,
        classes="benchlearn-table",
        na_rep="",
    )


def readout_html(text: str, testid: str) -> str:
    """A key number in a stable element, e.g. ``readout_html("MSE = 0.0123", "mse")``.

    Browser tests find it by ``data-testid="readout-<testid>"``.
    """
    return (
        f'<p class="readout" data-testid="readout-{testid}">'
        f"<strong>{html.escape(text)}</strong></p>"
    )


def feedback_html(question_id: str, correct: bool, text: str) -> str:
    """Feedback on an answer, findable by ``data-testid="feedback-<question_id>"``."""
    return (
        f'<div data-testid="feedback-{question_id}" data-correct="{str(correct).lower()}">'
        f"{html.escape(text)}</div>"
    )


def percent(value: float) -> str:
    """A share as a percentage with one decimal, e.g. ``95.8%``."""
    return f"{100 * value:.1f}%"


# ---- Part 1: the rule and the two learned classifiers -----------------------------------------
def accuracy_readouts(rule_accuracy: float, classifiers: Mapping[str, Any]) -> str:
    """The test accuracies of the hand-written rule and the two learned classifiers."""
    return (
        readout_html(f"Rule accuracy = {percent(rule_accuracy)}", "rule-accuracy")
        + readout_html(
            f"Logistic regression accuracy = {percent(classifiers['logistic_accuracy'])}",
            "logistic-accuracy",
        )
        + readout_html(
            f"Neural network accuracy = {percent(classifiers['network_accuracy'])}",
            "network-accuracy",
        )
    )


# ---- Part 3: the line, solved exactly and by gradient descent ---------------------------------
def exact_readout(line: compute.LineSettings, b0: float, b1: float, loss: float) -> str:
    """The exact least-squares line and its mean squared error ("Solve exactly")."""
    return readout_html(
        f"Exact: b0 = {line.number(b0, '.4f')}, b1 = {line.number(b1, '.4f')}, "
        f"MSE = {line.number(loss, '.6f')}",
        "exact",
    )


def descent_readout(descent: compute.Descent) -> str:
    """The step gradient descent has reached and its loss."""
    last = descent.history.iloc[-1]
    return readout_html(f"Step {int(last['step'])}: loss = {last['loss']:.6g}", "gd")


# ---- Part 3: several predictors and evaluation ------------------------------------------------
def parameter_table_html(model: Any) -> str:
    """A fitted regression's estimates, standard errors, confidence limits and p-values."""
    headings = compute.PARAMETER_TABLE_HEADINGS
    shown = model.params_[list(headings)].rename(columns=headings)
    return table_html(shown)


def split_readouts(scores: Mapping[str, float]) -> str:
    """Test R² and RMSE as readouts, then the same on the training patients for comparison."""
    return (
        readout_html(f"Test R² = {scores['test_r2']:.3f}", "test-r2")
        + readout_html(f"Test RMSE = {scores['test_rmse']:.1f}", "test-rmse")
        + f"<p>On the training patients: R² = {scores['train_r2']:.3f}, "
        f"RMSE = {scores['train_rmse']:.1f}.</p>"
    )


def cross_validation_html(cv_scores: pd.DataFrame) -> str:
    """The scores of each fold (numbered from 1) and the mean ± SD cross-validated RMSE."""
    headings = compute.CV_TABLE_HEADINGS
    shown = cv_scores[list(headings)].assign(fold=cv_scores["fold"] + 1).rename(columns=headings)
    return table_html(shown, index=False) + readout_html(
        f"Cross-validated RMSE = {cv_scores['test_rmse'].mean():.1f} "
        f"± {cv_scores['test_rmse'].std():.1f}",
        "cv-rmse",
    )
