"""How numbers are written in every output: p-values, significance codes."""

from __future__ import annotations

import math

import numpy as np


def significance_stars(p: float) -> str:
    """R's codes: *** p < 0.001, ** p < 0.01, * p < 0.05, . p < 0.1."""
    if not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else "." if p < 0.1 else ""


def format_p(p: float) -> str:
    """A p-value as people write it: ``< 2e-16`` below float64's reach, else 3 digits."""
    if not np.isfinite(p):
        return "NaN"
    return "< 2e-16" if p < 2e-16 else f"{p:.3g}"


def p_phrase(p: float | None) -> str:
    """``p = 0.012`` or ``p < 2e-16``, for sentences."""
    text = format_p(math.nan if p is None else p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def number(value: float | None, digits: int = 6) -> str:
    """A number with ``digits`` significant digits; ``NaN`` for a missing one."""
    return "NaN" if value is None or not math.isfinite(value) else f"{value:.{digits}g}"
