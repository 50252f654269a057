"""Where the widgets start and how far they reach, on the lesson's data or the learner's file."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 15.0
DEFAULT_K = 2
DEFAULT_PREDICTORS = ("logP", "mol_weight", "aromatic_proportion")  # solubility descriptors
DEFAULT_B0, DEFAULT_B1 = 0.3, 0.5
LEARNING_RATES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.2)
DEFAULT_LEARNING_RATE = 0.5
MAX_STEPS = 2000
SLIDER_TICKS = 200  # about this many slider positions across each parameter's range
RANGE_WIDTH = 1.5  # slider half-widths, in units of the data's natural scale (see line_settings)
SAFE_RATE_SHARE = 0.6  # default learning rate: the largest offered below this share of 2/L
OWN_NUMBER_FORMAT = ".6g"  # readouts on the learner's data: significant digits, any scale


@dataclass(frozen=True)
class SliderRange:
    """``start``, ``stop``, ``step`` and starting ``value`` of one parameter's slider."""

    start: float
    stop: float
    step: float
    value: float


@dataclass(frozen=True)
class LineSettings:
    """How Part 3's widgets fit the data in use (the built-in standards or the learner's file).

    Attributes
    ----------
    b0, b1
        Slider ranges for the intercept and the slope (also the loss surface's axes).
    learning_rates
        The learning-rate slider's positions.
    default_learning_rate
        Its starting position.
    x_label, y_label
        Axis titles.
    builtin
        True for the lesson's own example (the page then looks exactly as it always did).
    source
        The file name (``None`` for the built-in example).
    dropped_rows
        Rows of the learner's file left out because of empty cells.
    """

    b0: SliderRange
    b1: SliderRange
    learning_rates: tuple[float, ...]
    default_learning_rate: float
    x_label: str
    y_label: str
    builtin: bool
    source: str | None = None
    dropped_rows: tuple[int, ...] = ()

    def number(self, value: float, builtin_format: str) -> str:
        """A readout number: the lesson's fixed format on the example, significant digits else."""
        return format(value, builtin_format if self.builtin else OWN_NUMBER_FORMAT)

    def slope_units(self) -> str:
        """The slope's units: y's unit per unit of x (on a learner's file, the column names)."""
        if self.builtin:
            return "OD per tenfold concentration"
        return f"{self.y_label} per unit of {self.x_label}"


def nearest_position(slider: SliderRange, value: float) -> float:
    """The slider position closest to ``value`` (within the range, on the step grid)."""
    inside = min(max(value, slider.start), slider.stop)
    return _on_grid(slider.start + round((inside - slider.start) / slider.step) * slider.step,
                    slider.step)  # fmt: skip


def builtin_line_settings() -> LineSettings:
    """The settings of the built-in ELISA example (ranges chosen to show its loss valley)."""
    from benchlearn.lessons.lesson1.figures import B0_RANGE, B1_RANGE

    return LineSettings(
        b0=SliderRange(*B0_RANGE, 0.01, DEFAULT_B0),
        b1=SliderRange(*B1_RANGE, 0.01, DEFAULT_B1),
        learning_rates=LEARNING_RATES,
        default_learning_rate=DEFAULT_LEARNING_RATE,
        x_label="log10 of DNase concentration (ng/mL)",
        y_label="optical density (OD)",
        builtin=True,
    )


def nice_step(span: float, ticks: int = SLIDER_TICKS) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` steps over ``span``."""
    raw = span / ticks
    power = 10.0 ** np.floor(np.log10(raw))
    for multiple in (1.0, 2.0, 5.0, 10.0):
        if multiple * power >= raw:
            return float(f"{multiple * power:.1g}")
    return float(10 * power)  # pragma: no cover - the loop always returns


def _on_grid(value: float, step: float) -> float:
    """``value`` rounded to a multiple of ``step``, without binary noise in the digits."""
    decimals = max(0, int(-np.floor(np.log10(step))) + 1)
    return round(round(value / step) * step, decimals)


def _slider(centre: float, half_width: float, value: float) -> SliderRange:
    step = nice_step(2 * half_width)
    start = _on_grid(np.floor((centre - half_width) / step) * step, step)
    stop = _on_grid(np.ceil((centre + half_width) / step) * step, step)
    return SliderRange(start, stop, step, _on_grid(min(max(value, start), stop), step))


def learning_rate_options(X: pd.DataFrame) -> tuple[tuple[float, ...], float]:
    """Learning rates suited to the data, and the one to start with.

    The lesson's rates (0.01 to 1.2) times a power of ten chosen so that the divergence limit
    2/L falls between the smallest and the largest: some rates converge, the largest diverge,
    whatever the units of x. The starting rate is the largest below 60% of 2/L.
    """
    from benchlearn.optim import lipschitz_constant_least_squares

    x = X.iloc[:, 0].to_numpy(dtype=float)
    limit = 2.0 / lipschitz_constant_least_squares(np.column_stack([np.ones_like(x), x]))
    power = int(np.floor(np.log10(limit))) + 1  # limit / 10**power lies in [0.1, 1)
    rates = tuple(float(f"{r * 10.0**power:.6g}") for r in LEARNING_RATES)
    safe = [r for r in rates if r <= SAFE_RATE_SHARE * limit]
    return rates, (safe[-1] if safe else rates[0])


def line_settings(X: pd.DataFrame, y: pd.Series) -> LineSettings:
    """Slider ranges, learning rates and labels for the learner's own data.

    The ranges come from the data's natural scale, not from its fit's standard errors (those
    shrink to nothing on a good standard curve, leaving nothing to explore): the slope slider
    spans the exact slope ± 1.5·sd(y)/sd(x) (sd(y)/sd(x) is the slope of a perfect
    correlation), the intercept slider the exact intercept ± 1.5·(sd(y) + |mean(x)|·sd(y)/sd(x))
    (moving the slope by that much moves the intercept of lines through the data's centre by
    |mean(x)| times as much). Both contain the flat line through the mean of y, where the
    sliders start: the "no model" line the learner improves on.
    """
    x = X.iloc[:, 0].to_numpy(dtype=float)
    values = y.to_numpy(dtype=float)
    from benchlearn.lessons.lesson1.descent import exact_line

    exact, _ = exact_line(X, y)
    b0_exact, b1_exact = float(exact.intercept_), float(exact.coef_[0])
    sd_x, sd_y = float(np.std(x, ddof=1)), float(np.std(values, ddof=1))
    slope_scale = sd_y / sd_x
    rates, rate = learning_rate_options(X)
    intercept_width = RANGE_WIDTH * (sd_y + abs(float(np.mean(x))) * slope_scale)
    return LineSettings(
        b0=_slider(b0_exact, intercept_width, float(np.mean(values))),
        b1=_slider(b1_exact, RANGE_WIDTH * slope_scale, 0.0),
        learning_rates=rates,
        default_learning_rate=rate,
        x_label=str(X.columns[0]),
        y_label=str(y.name),
        builtin=False,
        source=X.attrs.get("source"),
        dropped_rows=tuple(X.attrs.get("dropped_rows", ())),
    )
