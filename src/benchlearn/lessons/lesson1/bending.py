"""Part 3's curve that bends: an ELISA standard curve fitted by least squares, step by step.

The same idea as the straight line (choose the parameters with the lowest mean squared error)
on a curve with no one-line solution: a four-parameter logistic (4PL) through one run of R's
DNase ELISA (:func:`benchlearn.data.load_dnase`, run 1: 8 standards from 0.049 to 12.5 ng/mL
in duplicate). :func:`benchlearn.optim.levenberg_marquardt` fits it from a start read off the
plot and writes every step down; the page's one control, the slider "Optimiser step", picks
which step to draw (everything is computed once, :func:`bend_fits`, and each step's figure is
drawn once for all sessions, :func:`step_figure_html`). The end is checked against
:class:`benchlearn.NonlinearRegression` and R's published fit of the same run.

Names a browser test can rely on: the slider ``get_by_role("slider", name=STEP_LABEL)``
(0 .. the last step; the live page starts at 0, a run such as the handout at the last step)
and ``[data-testid="readout-bend-step"]`` with :func:`readout_text`, e.g.
"Step 3 of 10: MSE = 0.02265; bottom = -0.00834, top = 2.33, EC50 = 2.91 ng/mL, Hill slope = 0.96".
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from benchlearn.lessons.shared import shared

RUN = 1  # the run R's documentation fits
FAR_EC50 = 0.001  # ng/mL: a poor start, fifty times below the lowest standard
FAR_STEPS = 50  # how long the poor start is given
STEP_LABEL = "Optimiser step"
UNIT = "ng/mL"
# Parameters in the lab's words, in the order of benchlearn's built-in "4pl" model.
PARAMETER_WORDS = {"bottom": "bottom", "top": "top", "EC50": "EC50", "hill": "Hill slope"}
# R, ?DNase: fm2 <- nls(density ~ SSfpl(log(conc), A, B, xmid, scal), subset = Run == 1)
# prints A = -0.007897, B = 2.377239, xmid = 1.507403, scal = 1.062579; in lab terms
# bottom = A, top = B, EC50 = exp(xmid), Hill slope = 1/scal.
R_PUBLISHED = {"A": -0.007897, "B": 2.377239, "xmid": 1.507403, "scal": 1.062579}

CURVE_COLOUR, LINE_COLOUR, MEASURED_COLOUR = "#08519c", "#969696", "#d94801"

SECTIONS: dict[str, str] = {
    "bend_intro": """
### A curve that bends: the same idea, fitted step by step

An ELISA standard curve is not straight. Here is one run of a published DNase ELISA (8
standards from 0.049 to 12.5 ng/mL, each read twice), with concentration on a log axis: the
optical density creeps up from a floor, rises steeply, then levels off as the antibodies
saturate. The curve labs fit to this is the **four-parameter logistic (4PL)**. Each of its
parameters has a lab meaning. *Bottom* and *top* are the two plateaus. The **EC50** is the
concentration half-way between them, the middle of the curve's useful range. The **Hill slope**
says how steeply the curve climbs around the EC50. Together:

    density = bottom + (top - bottom) / (1 + (EC50 / concentration)^Hill slope)

The idea is the one you used for the line: choose the four parameters with the lowest mean
squared error. What changes is how. A straight line's predictions are a sum of its parameters
times known numbers, so the loss is a smooth bowl and the normal equations give its bottom in
one calculation (a [closed form](#term-closed-form) answer). In the 4PL the EC50 and the Hill
slope sit inside a power: no formula gives the best values in one go. So the fit goes in steps.
**Levenberg–Marquardt**, the usual method for such curves, starts from a guess and at each step
pretends the curve is straight in its parameters near the current guess, solves that small
straight-line problem exactly, and moves there; whenever a step would raise the loss it takes a
shorter, more cautious one instead (the table's "refused" counts the bolder steps it tried and
threw away first). Move the slider to watch it, one step at a time: the curve, its
residuals and the loss after every step. The grey dashed line is the best straight line on the
same axis: its residuals lie above zero at both ends and below it in the middle, a pattern no
straight line can remove, the mark of a bend.
""",
    "bend_result": """
At the last step (step {last_step}) the loop stops because its steps no longer change anything.
It ends at bottom = {bottom}, top = {top}, EC50 = {ec50} ng/mL and Hill slope = {hill}, with an
MSE of {mse}: {line_ratio} times lower than the straight line's {line_mse}. benchlearn's own
estimator, `NonlinearRegression(model="4pl")`, finds the same curve, and so did R's `nls` when
its authors fitted this run (R reports the EC50 as its natural logarithm and the Hill slope as
its inverse; the table converts them).
""",
    "bend_start": """
*Why the start matters.* The loop above began from values read off the plot: the lowest and
highest readings as the plateaus, the EC50 half-way along the log axis between the lowest and
highest standards, and a Hill slope of 1. Each step only looks at the curve near the current
guess, so a poor **starting value** can lead it astray. Started from an EC50 of {far_ec50} ng/mL,
far below every standard, the curve is flat over all of them and moving the EC50 barely changes
the loss; after {far_steps} steps the same loop is still at an MSE of {far_mse}, {far_ratio}
times worse, with a bottom of {far_bottom}, a density no well ever read. There is no single
bowl here, and a fit can also stop in a dip that is not the lowest one. That is why benchlearn
reads its starting values off the data and tries several, and why a fitted curve is worth a
look before its numbers are used.
""",
}


@dataclass(frozen=True)
class BendFits:
    """Everything the section shows, computed once.

    Attributes
    ----------
    conc, density
        The run's standards (ng/mL) and optical densities.
    history
        The teaching loop's accepted steps from :func:`read_off_start` (``step``, ``loss``,
        ``damping``, ``refused``, ``bottom``, ``top``, ``EC50``, ``hill``).
    far_history
        The same loop from :func:`far_start`, given :data:`FAR_STEPS` steps.
    model
        ``NonlinearRegression(model="4pl")`` fitted to the same wells.
    line
        The best straight line ``density = b0 + b1·log10(conc)`` (a ``LinearRegression``).
    line_mse
        The straight line's mean squared error.
    """

    conc: np.ndarray
    density: np.ndarray
    history: pd.DataFrame
    far_history: pd.DataFrame
    model: object
    line: object
    line_mse: float

    @property
    def last_step(self) -> int:
        """The number of the last accepted step."""
        return int(self.history["step"].iloc[-1])

    @property
    def density_limits(self) -> tuple[float, float]:
        """Density axis limits holding the standards and every step's curve (fixed, so that
        moving the slider moves the curve, not the axes)."""
        curves = [four_pl(self.conc, *self.params_at(s)) for s in range(self.last_step + 1)]
        low, high = min(map(np.min, [self.density, *curves])), max(map(np.max, curves))
        pad = 0.08 * (high - low)
        return float(low - pad), float(max(high, self.density.max()) + pad)

    @property
    def residual_limit(self) -> float:
        """The largest residual of the line or of any step, with a margin."""
        line = self.density - self.line.predict(pd.DataFrame({"log10_conc": np.log10(self.conc)}))
        steps = [self.density - four_pl(self.conc, *self.params_at(s))
                 for s in range(self.last_step + 1)]  # fmt: skip
        return 1.1 * float(max(np.max(np.abs(r)) for r in [line, *steps]))

    def params_at(self, step: int) -> np.ndarray:
        """bottom, top, EC50 and Hill slope after ``step`` steps."""
        return self.history.loc[step, list(PARAMETER_WORDS)].to_numpy(dtype=float)


def dnase_run(run: int = RUN) -> tuple[np.ndarray, np.ndarray]:
    """Concentrations (ng/mL) and optical densities of one run of R's DNase ELISA."""
    from benchlearn.data import load_dnase

    frame = load_dnase().frame
    frame = frame[frame["Run"] == run]
    return frame["conc"].to_numpy(dtype=float), frame["density"].to_numpy(dtype=float)


def read_off_start(conc: np.ndarray, density: np.ndarray) -> np.ndarray:
    """A start a scientist would read off the plot: the lowest and highest readings as the
    plateaus, the EC50 half-way (on the log axis) between the extreme standards, slope 1."""
    return np.array(
        [density.min(), density.max(), np.sqrt(conc.min() * conc.max()), 1.0], dtype=float
    )


def far_start(conc: np.ndarray, density: np.ndarray) -> np.ndarray:
    """The same start with the EC50 at :data:`FAR_EC50`, far below every standard."""
    start = read_off_start(conc, density)
    start[2] = FAR_EC50
    return start


@shared
def bend_fits(run: int = RUN) -> BendFits:
    """The teaching loop from both starts, benchlearn's 4PL fit and the straight line."""
    from benchlearn import LinearRegression, NonlinearRegression
    from benchlearn.evaluate import mean_squared_error
    from benchlearn.nonlinear import get_model
    from benchlearn.optim import levenberg_marquardt

    conc, density = dnase_run(run)
    curve = get_model("4pl")
    names = list(PARAMETER_WORDS)

    def steps_from(start: np.ndarray, max_steps: int = 100) -> pd.DataFrame:
        return levenberg_marquardt(
            curve.function, curve.jacobian, conc, density, start, param_names=names,
            max_steps=max_steps,
        ).history  # fmt: skip

    log_conc = pd.DataFrame({"log10_conc": np.log10(conc)})
    line = LinearRegression().fit(log_conc, density)
    return BendFits(
        conc=conc,
        density=density,
        history=steps_from(read_off_start(conc, density)),
        far_history=steps_from(far_start(conc, density), FAR_STEPS),
        model=NonlinearRegression(model="4pl").fit(pd.DataFrame({"conc": conc}), density),
        line=line,
        line_mse=mean_squared_error(density, line.predict(log_conc)),
    )


def four_pl(conc: np.ndarray, bottom: float, top: float, ec50: float, hill: float) -> np.ndarray:
    """The 4PL's density at ``conc``: benchlearn's built-in curve, the one the loop fits."""
    from benchlearn.nonlinear import get_model

    return get_model("4pl").function(conc, bottom, top, ec50, hill)


def _line_at(fits: BendFits, conc: np.ndarray) -> np.ndarray:
    return fits.line.intercept_ + fits.line.coef_[0] * np.log10(conc)


class StepDrawing:
    """The figure of one run's steps, built once; :meth:`show` moves it to another step.

    Left: the standards, the straight line and the 4PL after the step (log axis). Right: both
    curves' residuals, the line's swinging with the bend.

    Only the 4PL curve, its residuals and their legend entries change from step to step (the
    axes' limits are fixed by the run: :attr:`BendFits.density_limits`), so the figure keeps
    its axes, ticks and labels and the other steps reuse them: drawing a step then costs about
    half of drawing a new figure, and the picture of a step is the same whichever steps were
    drawn before. One thread at a time may move and render it (:attr:`lock`).
    """

    def __init__(self, fits: BendFits) -> None:
        self.fits = fits
        self.lock = threading.Lock()
        grid = np.geomspace(fits.conc.min() / 1.5, fits.conc.max() * 1.5, 200)
        self.grid = grid
        fig = self.fig = Figure(figsize=(6.6, 3.0))
        curve_ax, residual_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
        curve_ax.plot(grid, _line_at(fits, grid), color=LINE_COLOUR, ls="--", lw=1.5,
                      label="straight line")  # fmt: skip
        (self.curve,) = curve_ax.plot(grid, np.full_like(grid, np.nan), color=CURVE_COLOUR, lw=2,
                                      label="4PL, step 0")  # fmt: skip
        curve_ax.scatter(fits.conc, fits.density, color=MEASURED_COLOUR, s=16, zorder=3,
                         label="standards")  # fmt: skip
        curve_ax.set_ylim(*fits.density_limits)
        curve_ax.set_ylabel("optical density")
        self.curve_legend = curve_ax.legend(fontsize=7.5, loc="upper left")
        residual_ax.axhline(0, color="black", lw=0.8)
        residual_ax.scatter(fits.conc, fits.density - _line_at(fits, fits.conc), marker="s",
                            s=14, color=LINE_COLOUR, label="straight line")  # fmt: skip
        self.residuals = residual_ax.scatter(fits.conc, np.zeros_like(fits.conc), s=16,
                                             color=CURVE_COLOUR, label="4PL, step 0")  # fmt: skip
        residual_ax.set_ylim(-fits.residual_limit, fits.residual_limit)
        residual_ax.set_ylabel("residual (measured − predicted)")
        self.residual_legend = residual_ax.legend(fontsize=7.5, loc="best")
        for ax in (curve_ax, residual_ax):
            ax.set_xscale("log")
            ax.set_xlabel(f"DNase ({UNIT}, log axis)")
        # fixed margins rather than tight_layout: one drawing pass less on every step
        fig.subplots_adjust(left=0.09, right=0.985, bottom=0.16, top=0.97, wspace=0.33)

    def show(self, step: int) -> None:
        """Move the 4PL curve, its residuals and their legend entries to ``step``."""
        params = self.fits.params_at(step)
        label = f"4PL, step {step}"
        self.curve.set_ydata(four_pl(self.grid, *params))
        self.curve.set_label(label)
        residuals = self.fits.density - four_pl(self.fits.conc, *params)
        self.residuals.set_offsets(np.column_stack([self.fits.conc, residuals]))
        self.residuals.set_label(label)
        for legend in (self.curve_legend, self.residual_legend):
            legend.get_texts()[1].set_text(label)

    def html(self, step: int) -> str:
        """The figure at ``step`` as an ``<img>`` (:func:`~.blocks.figure_html`)."""
        from benchlearn.lessons.lesson1.blocks import figure_html

        with self.lock:
            self.show(step)
            return figure_html(self.fig, figure_alt(self.fits, step))


@shared
def step_drawing(run: int = RUN) -> StepDrawing:
    """The one :class:`StepDrawing` of ``run`` in this process (for every session)."""
    return StepDrawing(bend_fits(run))


def figure_alt(fits: BendFits, step: int) -> str:
    """The figure's alternative text."""
    return (
        f"DNase ELISA standards on a log concentration axis with the straight line and the "
        f"four-parameter logistic after {step} of {fits.last_step} optimiser steps, and both "
        "curves' residuals"
    )


@shared
def step_figure_html(run: int, step: int) -> str:
    """The figure of one step as an ``<img>``, drawn once for every session."""
    return step_drawing(run).html(step)


@shared
def draw_ahead(run: int = RUN) -> threading.Thread:
    """Start drawing every step's figure in the background, once per lesson server, so that
    moving the slider only picks a finished picture."""

    def draw_all() -> None:
        for step in range(bend_fits(run).last_step + 1):
            step_figure_html(run, step)

    thread = threading.Thread(target=draw_all, name="bend-figures", daemon=True)
    thread.start()
    return thread


def _params_text(bottom: float, top: float, ec50: float, hill: float) -> str:
    return (
        f"bottom = {bottom:.3g}, top = {top:.3g}, EC50 = {ec50:.3g} {UNIT}, Hill slope = {hill:.2f}"
    )


def readout_text(fits: BendFits, step: int) -> str:
    """The step's loss and parameters, e.g. "Step 3 of 10: MSE = 0.02265; bottom = ..."."""
    loss = fits.history.loc[step, "loss"]
    return f"Step {step} of {fits.last_step}: MSE = {loss:.4g}; " + _params_text(
        *fits.params_at(step)
    )


def _table_html(testid: str, headings: Sequence[str], rows: Iterable[tuple[str, Sequence[str]]],
                style: str = "") -> str:  # fmt: skip
    """A table of the section: ``headings`` over ``rows``, each the attributes of its ``<tr>``
    and its cells (HTML already)."""
    head = "".join(f"<th>{heading}</th>" for heading in headings)
    body = "".join(f"<tr{attributes}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
                   for attributes, cells in rows)  # fmt: skip
    styled = f' style="{style}"' if style else ""
    return (
        f'<table class="benchlearn-table" data-testid="{testid}"{styled}>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def steps_table_html(fits: BendFits, step: int) -> str:
    """Every step's MSE, EC50, Hill slope and refused tries; the current step in bold, the
    steps still to come faded."""
    rows = []
    for _, row in fits.history.iterrows():
        number = int(row["step"])
        style = ' aria-current="step" style="font-weight:bold"' if number == step else ""
        style = ' style="opacity:0.35"' if number > step else style
        cells = [f"{number}", f"{row['loss']:.6f}", f"{row['EC50']:.4g}", f"{row['hill']:.4g}",
                 f"{int(row['refused'])}"]  # fmt: skip
        rows.append((style, cells))
    headings = ["step", "MSE", f"EC50 ({UNIT})", "Hill slope", "refused"]
    spacing = "border-collapse:separate;border-spacing:0.8em 0.15em;text-align:right"
    return _table_html("bend-steps", headings, rows, spacing)


def r_published_lab_terms() -> dict[str, float]:
    """R's published 4PL of run 1 in the lab's parameters."""
    return {
        "bottom": R_PUBLISHED["A"],
        "top": R_PUBLISHED["B"],
        "EC50": float(np.exp(R_PUBLISHED["xmid"])),
        "hill": 1.0 / R_PUBLISHED["scal"],
    }


def comparison_table_html(fits: BendFits) -> str:
    """The loop's last step beside NonlinearRegression's estimates and R's published fit."""
    estimates = fits.model.params_["estimate"]
    published = r_published_lab_terms()
    last = fits.params_at(fits.last_step)
    rows = [("", [html.escape(words), f"{last[i]:.6g}", f"{estimates[name]:.6g}",
                  f"{published[name]:.6g}"])
            for i, (name, words) in enumerate(PARAMETER_WORDS.items())]  # fmt: skip
    headings = ["parameter", "teaching loop, last step", 'NonlinearRegression(model="4pl")',
                "R, nls (published)"]  # fmt: skip
    return _table_html("bend-comparison", headings, rows)


def result_text(fits: BendFits) -> str:
    """The section's ending in words, with the numbers of the fit."""
    bottom, top, ec50, hill = fits.params_at(fits.last_step)
    mse = fits.history["loss"].iloc[-1]
    return SECTIONS["bend_result"].format(
        last_step=fits.last_step,
        bottom=f"{bottom:.4f}",
        top=f"{top:.3f}",
        ec50=f"{ec50:.2f}",
        hill=f"{hill:.3f}",
        mse=f"{mse:.6f}",
        line_ratio=f"{fits.line_mse / mse:.0f}",
        line_mse=f"{fits.line_mse:.4f}",
    )


def start_text(fits: BendFits) -> str:
    """Why the start matters, with the poor start's numbers."""
    far = fits.far_history.iloc[-1]
    near_mse = fits.history["loss"].iloc[-1]
    return SECTIONS["bend_start"].format(
        far_ec50=f"{FAR_EC50:g}",
        far_steps=int(far["step"]),
        far_mse=f"{far['loss']:.4f}",
        far_ratio=f"{far['loss'] / near_mse:.0f}",
        far_bottom=f"{far['bottom']:.2f}",
    )
