"""A number together with the convention it follows and the formula that gives it.

Validation reports are audited against named conventions (ICH Q2, DIN 32645, ISO 8466-1,
CLSI EP09): the same "limit of detection" differs by a factor of three between them. A
:class:`Quantity` never travels without its convention and formula, so every face that shows
the number can show where it comes from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Quantity:
    """One reported number, its interval if it has one, and how it was obtained.

    Attributes
    ----------
    name
        What the number is ("slope", "LOD", "s_x0").
    value
        The number.
    convention
        The named convention it follows (e.g. "ICH Q2(R1), σ = residual SD").
    formula
        The formula, in plain text with the symbols of the convention.
    lower, upper
        Confidence limits, when the number has an interval.
    level
        Confidence level of the interval.
    interval_convention
        How the interval was obtained (e.g. "t-interval, n - 2 df", "jackknife").
    std_error
        Standard error, when one is defined.
    note
        Anything the reader must know to use the number (an assumption, a fallback).
    """

    name: str
    value: float
    convention: str
    formula: str
    lower: float | None = None
    upper: float | None = None
    level: float | None = None
    interval_convention: str | None = None
    std_error: float | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (non-finite numbers become ``None``)."""
        return {
            "name": self.name,
            "value": _clean(self.value),
            "convention": self.convention,
            "formula": self.formula,
            "lower": _clean(self.lower),
            "upper": _clean(self.upper),
            "level": self.level,
            "interval_convention": self.interval_convention,
            "std_error": _clean(self.std_error),
            "note": self.note,
        }

    def __str__(self) -> str:
        text = f"{self.name} = {self.value:.6g}"
        if self.lower is not None and self.upper is not None:
            level = f"{100 * self.level:g}% " if self.level is not None else ""
            text += f" ({level}CI {self.lower:.6g} to {self.upper:.6g})"
        return f"{text}  [{self.convention}: {self.formula}]"


def _clean(value: Any) -> Any:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class QuantityTable:
    """Named quantities reported together (a calibration's statistics, a set of limits).

    Attributes
    ----------
    title
        What the table describes.
    quantities
        The quantities by key, in reporting order.
    notes
        Sentences the reader needs beside the numbers (assumptions, warnings).
    details
        The numbers and codes behind the table that a face turns into words (how σ was
        obtained, the settings of a convention), JSON-ready.
    """

    title: str
    quantities: dict[str, Quantity]
    notes: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Quantity:
        return self.quantities[key]

    def __contains__(self, key: object) -> bool:
        return key in self.quantities

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: the title, every quantity with its convention, the notes."""
        out = {
            "title": self.title,
            "quantities": {k: q.to_dict() for k, q in self.quantities.items()},
            "notes": list(self.notes),
        }
        if self.details:
            out["details"] = {k: _clean(v) if isinstance(v, float) else v
                              for k, v in self.details.items()}  # fmt: skip
        return out

    def __str__(self) -> str:
        return "\n".join([self.title, *(f"  {q}" for q in self.quantities.values()),
                          *(f"  note: {n}" for n in self.notes)])  # fmt: skip
