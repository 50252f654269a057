"""Figures of a curve that bends: the fit with its bands, the residuals, groups, unknowns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

FIGSIZE = (6.4, 4.2)
COLOURS = ["#08519c", "#d94801", "#238b45", "#6a51a3", "#cb181d", "#525252"]


def _log_axis(x: np.ndarray, log_scale: bool, ax: Any) -> np.ndarray:
    """Use a log x axis when asked and possible; points at x <= 0 cannot be drawn on it."""
    if log_scale and np.any(x > 0):
        ax.set_xscale("log")
        return x > 0
    return np.ones(x.shape, dtype=bool)


def curve_with_bands(
    x: np.ndarray,
    y: np.ndarray,
    band: pd.DataFrame,
    *,
    x_label: str,
    y_label: str,
    log_scale: bool = False,
    level: float = 0.95,
) -> Figure:
    """The measurements, the fitted curve, its confidence band and its prediction band.

    Parameters
    ----------
    x, y
        The measurements (x in the fit's units).
    band
        :attr:`benchlearn.analysis.CurveFitAnalysis.band` (x, mean, conf_*, pred_*).
    x_label, y_label
        Axis labels.
    log_scale
        Draw x on a log axis (concentrations of a sigmoid); x <= 0 is left out of the figure.
    level
        Confidence level, for the legend.
    """
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    x = np.asarray(x, dtype=float)
    shown = _log_axis(x, log_scale, ax)
    grid = band["x"].to_numpy()
    keep = grid > 0 if ax.get_xscale() == "log" else np.ones(grid.shape, dtype=bool)
    pct = f"{100 * level:.0f}%"
    ax.fill_between(
        grid[keep],
        band["pred_lower"][keep],
        band["pred_upper"][keep],
        color="#c6dbef",
        alpha=0.5,
        label=f"{pct} prediction band (a new reading)",
        gid="prediction-band",
    )
    ax.fill_between(
        grid[keep],
        band["conf_lower"][keep],
        band["conf_upper"][keep],
        color="#6baed6",
        alpha=0.6,
        label=f"{pct} confidence band (the curve)",
        gid="confidence-band",
    )
    ax.plot(grid[keep], band["mean"][keep], color="#08306b", lw=1.8, label="fitted curve")
    ax.scatter(
        x[shown], np.asarray(y)[shown], color="#d94801", s=16, zorder=3, label="measurements"
    )
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def residuals_against_x(
    residuals: pd.DataFrame, *, x_label: str, log_scale: bool = False
) -> Figure:
    """Standardized residuals against x: a pattern means the curve misses the data's shape."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    x = residuals["x"].to_numpy(dtype=float)
    shown = _log_axis(x, log_scale, ax)
    ax.axhline(0, color="#525252", lw=1)
    for bound in (-2, 2):
        ax.axhline(bound, color="#bdbdbd", lw=0.8, ls="--")
    ax.scatter(x[shown], residuals["standardized"].to_numpy()[shown], color="#08519c", s=16)
    ax.set_xlabel(x_label)
    ax.set_ylabel("standardized residual")
    fig.tight_layout()
    return fig


def group_curves(
    x: np.ndarray,
    y: np.ndarray,
    labels: np.ndarray,
    models: dict[Any, Any],
    *,
    x_label: str,
    y_label: str,
    group: str,
    log_scale: bool = False,
) -> Figure:
    """Each group's measurements with its own fitted curve, one colour per group.

    ``x`` in the fit's units; ``labels`` each row's group; ``models`` each group's fitted
    estimator, by label.
    """
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    shown = _log_axis(x, log_scale, ax)
    for i, (name, model) in enumerate(models.items()):
        colour = COLOURS[i % len(COLOURS)]
        rows = (labels == name) & shown
        ax.scatter(x[rows], y[rows], s=14, color=colour)
        low, high = np.min(x[rows]), np.max(x[rows])
        grid = (
            np.geomspace(low, high, 200)
            if ax.get_xscale() == "log"
            else np.linspace(low, high, 200)
        )
        frame = pd.DataFrame({model.feature_names_in_[0]: grid})
        ax.plot(grid, model.predict(frame), color=colour, lw=1.6, label=f"{group} {name}")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def unknowns_on_bending_curve(
    band: pd.DataFrame,
    standards_x: np.ndarray,
    standards_y: np.ndarray,
    unknowns: pd.DataFrame,
    *,
    x_label: str,
    y_label: str,
    log_scale: bool = False,
    model: Any = None,
) -> Figure:
    """The standard curve with each unknown at its signal and its interval as a bar.

    Everything is in the fit's x units; unknowns flagged (near a plateau, outside the range)
    are red, the others blue. An open interval end runs to the edge of the figure. With the
    fitted ``model``, the curve is extended (dashed) to unknowns beyond the standards.
    """
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    x = np.asarray(standards_x, dtype=float)
    shown = _log_axis(x, log_scale, ax)
    grid = band["x"].to_numpy()
    keep = grid > 0 if ax.get_xscale() == "log" else np.ones(grid.shape, dtype=bool)
    ax.plot(grid[keep], band["mean"][keep], color="#525252", lw=1.5, label="standard curve")
    ax.scatter(
        x[shown], np.asarray(standards_y)[shown], color="#d94801", s=14, zorder=3, label="standards"
    )
    low, high = float(np.min(grid[keep])), float(np.max(grid[keep]))
    estimates = unknowns["estimate"].to_numpy(dtype=float)
    estimates = estimates[np.isfinite(estimates)]
    if ax.get_xscale() == "log":
        estimates = estimates[estimates > 0]
    if model is not None and estimates.size:
        spaced = np.geomspace if ax.get_xscale() == "log" else np.linspace
        for start, stop in [(min(estimates.min(), low), low), (high, max(estimates.max(), high))]:
            if stop > start:
                beyond = spaced(start, stop, 60)
                frame = pd.DataFrame({model.feature_names_in_[0]: beyond})
                ax.plot(beyond, model.predict(frame), "--", color="#525252", lw=1.2)
        low, high = min(low, estimates.min()), max(high, estimates.max())
    for flagged, colour, what in [(False, "#08519c", "reportable"), (True, "#cb181d", "flagged")]:
        rows = unknowns[(unknowns["flag"] != "") == flagged]
        rows = rows[np.isfinite(rows["estimate"].to_numpy(dtype=float))]
        if rows.empty:
            continue
        est = rows["estimate"].to_numpy(dtype=float)
        lower = np.clip(np.nan_to_num(rows["lower"].to_numpy(dtype=float), nan=low), low, None)
        upper = np.clip(
            np.nan_to_num(rows["upper"].to_numpy(dtype=float), nan=high, posinf=high), None, high
        )
        if ax.get_xscale() == "log":
            lower = np.where(lower > 0, lower, low)
        ax.errorbar(
            est,
            rows["signal"],
            xerr=[np.maximum(est - lower, 0), np.maximum(upper - est, 0)],
            fmt="D",
            color=colour,
            ms=5,
            capsize=3,
            zorder=4,
            label=f"unknowns, {what}",
            gid=f"unknowns-{what}",
        )
        for name, xe, ye in zip(rows["sample"], est, rows["signal"], strict=True):
            ax.annotate(
                str(name),
                (xe, ye),
                textcoords="offset points",
                xytext=(4, 5),
                fontsize=7,
                color=colour,
            )
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig
