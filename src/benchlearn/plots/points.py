"""Drawing many measurements so a figure stays small: points when few, a density when many.

Up to :data:`POINT_LIMIT` rows every measurement is drawn as a point. Above it, a scatter of
every row would make a figure of hundreds of megabytes that no browser draws comfortably, and
the points hide each other anyway; the rows are then drawn as a density of hexagonal cells
(darker = more rows, on a log scale) rendered as one bitmap inside the vector figure, and the
figure says so. Labels of flagged rows are limited to the :data:`LABEL_LIMIT` most extreme.
"""

from __future__ import annotations

from typing import Any

import numpy as np

POINT_LIMIT = 5_000
LABEL_LIMIT = 10
QUANTILE_LIMIT = 1_000
GRIDSIZE = 60
DENSITY_COLOURMAPS = {"#d94801": "Oranges", "#3182bd": "Blues"}


def is_dense(n: int) -> bool:
    """Whether ``n`` rows are drawn as a density rather than as points."""
    return n > POINT_LIMIT


def draw_points(
    ax: Any,
    x: Any,
    y: Any,
    *,
    color: str,
    size: float = 16,
    label: str | None = None,
    zorder: float = 3,
) -> None:
    """Every row as a point, or (above :data:`POINT_LIMIT` rows) a density of hexagonal cells.

    Parameters
    ----------
    ax
        A matplotlib Axes.
    x, y
        The coordinates (NaN rows are left out of the density).
    color
        The points' colour; a density uses the matching sequential colour map.
    size
        Marker size of the points.
    label
        Legend label; a density's label adds the number of rows it shows.
    zorder
        Drawing order.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if not is_dense(len(x)):
        ax.scatter(x, y, color=color, s=size, zorder=zorder, label=label)
        return
    finite = np.isfinite(x) & np.isfinite(y)
    ax.hexbin(x[finite], y[finite], gridsize=GRIDSIZE, bins="log", mincnt=1,
              cmap=DENSITY_COLOURMAPS.get(color, "Greys"), linewidths=0, zorder=zorder,
              rasterized=True)  # fmt: skip
    # An empty scatter carries the density's legend entry.
    ax.scatter([], [], color=color, marker="h", s=40, label=density_label(label, int(finite.sum())))
    if label is None:
        ax.text(0.99, 0.01, density_label(None, int(finite.sum())), transform=ax.transAxes,
                ha="right", va="bottom", fontsize=7, color="#636363")  # fmt: skip


def density_label(label: str | None, n: int) -> str:
    """``label`` followed by the number of rows a density shows."""
    note = f"{n:,} rows as a density (darker = more)"
    return f"{label}: {note}" if label else note


def label_rows(ax: Any, rows: Any, x: Any, y: Any, extremeness: Any) -> None:
    """Write "row N" next to flagged points, at most :data:`LABEL_LIMIT` (the most extreme).

    Parameters
    ----------
    ax
        A matplotlib Axes.
    rows
        The flagged rows' labels (the user's row numbers).
    x, y
        Their coordinates.
    extremeness
        How extreme each is; the largest get labels.
    """
    rows, x, y = np.asarray(rows), np.asarray(x, float), np.asarray(y, float)
    order = np.argsort(-np.nan_to_num(np.asarray(extremeness, float), nan=-np.inf), kind="stable")
    chosen = order[:LABEL_LIMIT]
    for label, xi, yi in zip(rows[chosen], x[chosen], y[chosen], strict=True):
        ax.annotate(f"row {label}", (xi, yi), fontsize=7, xytext=(3, 3),
                    textcoords="offset points")  # fmt: skip
    if len(rows) > LABEL_LIMIT:
        ax.text(0.01, 0.99, f"labels: the {LABEL_LIMIT} most extreme of {len(rows):,} flagged rows",
                transform=ax.transAxes, ha="left", va="top", fontsize=7,
                color="#636363")  # fmt: skip


def quantile_positions(n: int) -> np.ndarray:
    """Ranks (0-based) of the order statistics a Q-Q plot draws: all of them up to
    :data:`QUANTILE_LIMIT`, else that many evenly spaced (always the first and last)."""
    if n <= QUANTILE_LIMIT:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, QUANTILE_LIMIT).round().astype(np.int64))
