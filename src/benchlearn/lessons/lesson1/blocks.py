"""HTML building blocks of lesson 1's cells: figures, tables, readouts, feedback, glossary.

They return plain HTML strings (no marimo) that the app wraps in ``mo.Html``, so the offline
handout (the app's own run) shows them unchanged. The readout blocks take what the benchlearn
calls returned (those calls stay written out in the app's cells, for "Show code") and only
format it.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from benchlearn.lessons.lesson1.descent import Descent
    from benchlearn.lessons.lesson1.questions import Feedback
    from benchlearn.lessons.lesson1.settings import LineSettings

PARAMETER_TABLE_HEADINGS = {
    "estimate": "estimate",
    "std_error": "standard error",
    "ci_lower": "95% CI lower",
    "ci_upper": "95% CI upper",
    "p_value": "p-value",
}
CV_TABLE_HEADINGS = {
    "fold": "test fold",
    "n_train": "training rows",
    "n_test": "test rows",
    "test_r2": "test R²",
    "test_rmse": "test RMSE",
}


FIGURE_DPI = 110
# stands for a field while a template is rendered: letters and digits only, which Markdown
# leaves as they are
FIELD_TOKEN = "benchlearnfield{}x"


def figure_html(fig: Figure, alt: str) -> str:
    """The figure as an ``<img>`` with a PNG data URI (nothing fetched) and alternative text; in
    a served lesson, the picture's address on the lesson server instead
    (:func:`~benchlearn.lessons.page_load.picture_srcs`).

    The lesson's figures are laid out by ``tight_layout()``, so they are drawn once at their
    own size (no second, cropping draw). A figure made by a builder marked
    :func:`~benchlearn.lessons.shared.shared_figure` is rendered once for every session that
    draws it with the same arguments (:func:`~benchlearn.lessons.shared.render_once`).
    """
    from benchlearn.lessons.page_load import picture_srcs
    from benchlearn.lessons.shared import render_once

    # in a served lesson, the picture's address (sent once) rather than the picture itself
    return picture_srcs(render_once(fig, lambda f: _img(f, alt), how=(FIGURE_DPI, alt)))


def _img(fig: Figure, alt: str) -> str:
    from benchlearn.plots.render import figure_to_png_data_uri

    width = round(fig.get_figwidth() * FIGURE_DPI)
    uri = figure_to_png_data_uri(fig, dpi=FIGURE_DPI, tight=False)
    return (
        f'<img src="{uri}" alt="{html.escape(alt)}" '
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


def feedback_html(question_id: str, judged: Feedback) -> str:
    """Feedback on the picks so far, findable by ``data-testid="feedback-<question_id>"``.

    ``data-correct`` says whether the last pick is right, ``data-revealed`` whether the answer
    is shown.
    """
    return (
        f'<div data-testid="feedback-{question_id}" data-correct="{str(judged.correct).lower()}" '
        f'data-revealed="{str(judged.revealed).lower()}">{html.escape(judged.text)}</div>'
    )


def feedback_callout(mo: Any, question_id: str, judged: Feedback) -> Any:
    """The feedback in a green (right), amber (try again) or red (answer revealed) box."""
    kind = "success" if judged.correct else "danger" if judged.revealed else "warn"
    return mo.callout(mo.Html(feedback_html(question_id, judged)), kind=kind)


def score_html(scores: Mapping[int, tuple[int, int, int]]) -> str:
    """Each objective's score, findable by ``data-testid="score-<objective>"``.

    ``scores`` maps an objective to ``(right at the first try, answered, questions)``; the
    cell shows them inside :func:`live_only`.
    """
    lines = "".join(
        f'<li data-testid="score-{objective}">Objective {objective}: {right} of {asked} right '
        f"at the first try ({answered} answered)</li>"
        for objective, (right, answered, asked) in scores.items()
    )
    return f'<ul class="scores">{lines}</ul>'


def live_only(inner_html: str) -> str:
    """HTML the live page shows and the paper handout leaves out (``data-live-only``)."""
    return f'<div data-live-only="true">{inner_html}</div>'


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
def exact_readout(line: LineSettings, b0: float, b1: float, loss: float) -> str:
    """The exact least-squares line and its mean squared error ("Solve exactly")."""
    return readout_html(
        f"Exact: b0 = {line.number(b0, '.4f')}, b1 = {line.number(b1, '.4f')}, "
        f"MSE = {line.number(loss, '.6f')}",
        "exact",
    )


@functools.lru_cache(maxsize=64)
def _rendered_template(key: str) -> str:
    from marimo import md

    from benchlearn.lessons.lesson1 import content

    tokens = {field: FIELD_TOKEN.format(field) for field in content.template_fields(key)}
    return md(content.fill(key, **tokens)).text


def filled_html(key: str, **values: object) -> str:
    """``mo.md(content.fill(key, **values))``'s HTML, the template rendered from Markdown once.

    For the texts a control changes on every move (a step's numbers): marimo's Markdown
    renderer takes milliseconds per text, the substitution microseconds. The values are
    inserted as text (escaped), so they must hold no Markdown of their own.
    """
    from benchlearn.lessons.lesson1 import content

    missing = content.template_fields(key) - set(values)
    if missing:
        raise KeyError(f"section {key!r} needs values for {sorted(missing)}")
    text = _rendered_template(key)
    for field in content.template_fields(key):
        text = text.replace(FIELD_TOKEN.format(field), html.escape(str(values[field]), False))
    return text


def descent_readout(descent: Descent) -> str:
    """The step gradient descent has reached and its loss."""
    last = descent.history.iloc[-1]
    return readout_html(f"Step {int(last['step'])}: loss = {last['loss']:.6g}", "gd")


def descent_stop_note(descent: Descent) -> str:
    """Where a runaway descent stopped, or that it has not stopped yet (for ``gd_diverged``)."""
    if descent.diverged:
        return f"here it stopped at step {int(descent.history['step'].iloc[-1])}"
    return "it has not come to that yet"


def read_back_html(table: pd.DataFrame, line: LineSettings) -> str:
    """The standards read back through the curve (``descent.read_back``), in the page's words."""
    x_name = "concentration (ng/mL)" if line.builtin else line.x_label
    y_name = "optical density" if line.builtin else line.y_label
    headings = {"known": f"known {x_name}", "measured": f"mean {y_name}",
                "read_back": "read back (ng/mL)" if line.builtin else "read back",
                "recovery_percent": "recovery (%)"}  # fmt: skip
    return table_html(table.rename(columns=headings), index=False)


def curve_readout(line: LineSettings, r2: float, slope: float) -> str:
    """The standard curve's R² and its slope in lab units."""
    return readout_html(
        f"Standard curve: R² = {r2:.4f}, slope = {line.number(slope, '.3f')} {line.slope_units()}",
        "curve",
    )


# ---- Part 3: several predictors and evaluation ------------------------------------------------
def parameter_table_html(model: Any) -> str:
    """A fitted regression's estimates, standard errors, confidence limits and p-values."""
    headings = PARAMETER_TABLE_HEADINGS
    shown = model.params_[list(headings)].rename(columns=headings)
    return table_html(shown)


def split_readouts(
    scores: Mapping[str, float], *, rmse_format: str = ".1f", unit: str = "", rows: str = "rows"
) -> str:
    """Test R² and RMSE as readouts, then the same on the training rows for comparison.

    ``unit`` follows each RMSE (e.g. ``" log units"``); ``rows`` names the rows.
    """
    return (
        readout_html(f"Test R² = {scores['test_r2']:.3f}", "test-r2")
        + readout_html(f"Test RMSE = {scores['test_rmse']:{rmse_format}}{unit}", "test-rmse")
        + f"<p>On the {scores['n_train']:,} training {rows}: R² = {scores['train_r2']:.3f}, "
        f"RMSE = {scores['train_rmse']:{rmse_format}}; tested on {scores['n_test']:,}.</p>"
    )


def cross_validation_html(
    cv_scores: pd.DataFrame, *, rmse_format: str = ".1f", unit: str = ""
) -> str:
    """The mean ± SD cross-validated RMSE, then the scores of each fold (numbered from 1)."""
    headings = CV_TABLE_HEADINGS
    shown = cv_scores[list(headings)].assign(fold=cv_scores["fold"] + 1).rename(columns=headings)
    return readout_html(
        f"Cross-validated RMSE = {cv_scores['test_rmse'].mean():{rmse_format}} "
        f"± {cv_scores['test_rmse'].std():{rmse_format}}{unit}",
        "cv-rmse",
    ) + table_html(shown, index=False)


# ---- The glossary -----------------------------------------------------------------------------
def glossary_html(entries: Mapping[str, str]) -> str:
    """The glossary as a definition list, each term findable by ``glossary.anchor(term)``."""
    from benchlearn.lessons.lesson1.glossary import anchor

    items = "".join(
        f'<dt id="{anchor(term)}">{html.escape(term)}</dt><dd>{html.escape(definition)}</dd>'
        for term, definition in sorted(entries.items())
    )
    return f'<dl class="glossary" data-testid="glossary">{items}</dl>'
