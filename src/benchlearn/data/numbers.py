"""One rule for reading numbers written as text, applied to whole columns.

A column's decimal mark and thousands grouping are decided from *all* its cells, never from one
cell, and the same rule serves every path that reads a file (in memory, streaming, Dask, the
lesson's upload). Each cell falls in one of these forms:

========================  ==============================  =====================================
form                      examples                        readings
========================  ==============================  =====================================
neutral                   ``12``, ``-3e5``, ``1 250``      the same under either decimal mark
point only                ``0.25``, ``1.5e3``, ``1,234.5``  only with a decimal point
comma only                ``0,25``, ``1,5e3``, ``1.234,5``  only with a decimal comma
ambiguous                 ``1.234``, ``12,345``           1.234 or 1234; 12.345 or 12345
========================  ==============================  =====================================

The column's mark is the one its point-only or comma-only cells use; a column with both is
refused (it mixes marks). An ambiguous cell is read only when the column settles it: a column
with decimal points settles ``1.234`` (the point cannot also group thousands), but ``12,345`` in
it needs a cell that shows the comma grouping thousands (``12,345.6`` or ``1,234,567``) — one
mistyped decimal comma is otherwise indistinguishable from a thousands separator. Whatever the
column cannot settle is refused with both readings; the user says which mark is the decimal
(``decimal="."`` or ``","``; ``--decimal`` on the command line).

Cells are pyarrow string arrays (nulls are empty cells), so the rule runs at the speed of
pyarrow's compute kernels: a column of plain numbers costs two passes over its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_SPACES = " \u00a0\u202f'"
_AMBIGUOUS_POINT = r"^[+-]?[1-9]\d{0,2}\.\d{3}$"
_AMBIGUOUS_COMMA = r"^[+-]?[1-9]\d{0,2},\d{3}$"
_INTEGER = r"^[+-]?\d+([eE][+-]?\d+)?$"
_SPACED = rf"^[+-]?[1-9]\d{{0,2}}([{_SPACES}]\d{{3}})+$"
_POINT_DECIMAL = r"^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$"
_COMMA_DECIMAL = r"^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$"
_POINT_GROUPED = rf"^[+-]?[1-9]\d{{0,2}}((,\d{{3}})+(\.\d*)?|([{_SPACES}]\d{{3}})+\.\d*)$"
_COMMA_GROUPED = rf"^[+-]?[1-9]\d{{0,2}}((\.\d{{3}})+(,\d*)?|([{_SPACES}]\d{{3}})+,\d*)$"
_SPECIAL = {
    "inf": np.inf,
    "+inf": np.inf,
    "-inf": -np.inf,
    "infinity": np.inf,
    "+infinity": np.inf,
    "-infinity": -np.inf,
}
DECIMAL_MARKS = {".": "point", ",": "comma"}


class NumberRuleError(Exception):
    """A column's cells cannot be read as numbers under one rule.

    Attributes
    ----------
    kind
        ``"not_number"`` (the cell is not a number under any mark), ``"mixed"`` (the column uses
        both marks) or ``"ambiguous"`` (the cell reads as two different numbers).
    index
        0-based position of the cell in the cells given (the caller maps it to a row number).
    text
        The cell as written.
    readings
        ``(with a decimal point, with a decimal comma)`` for an ambiguous or mixed cell.
    """

    def __init__(
        self,
        kind: str,
        index: int,
        text: str,
        readings: tuple[float | None, float | None] = (None, None),
        other: str = "",
    ) -> None:
        self.kind = kind
        self.index = index
        self.text = text
        self.readings = readings
        self.other = other
        super().__init__(f"{kind} at {index}: {text!r}")

    def describe(self) -> str:
        """What is wrong, in plain words (the location is the caller's)."""
        point, comma = (_show(r) for r in self.readings)
        if self.kind == "ambiguous":
            return (
                f"{self.text!r} could be {point} (read with a decimal point) or {comma} (read with "
                "a decimal comma), and nothing else in this column settles which"
            )
        if self.kind == "mixed":
            reading = comma if self.other == "points" else point
            return (
                f"{self.text!r} mixes decimal marks: it reads as {reading} only with a decimal "
                f"{'comma' if self.other == 'points' else 'point'}, but the other numbers in this "
                f"column use decimal {self.other}"
            )
        return f"{self.text!r} is not a number"


DECIMAL_FIX = (
    "Say which mark is the decimal: --decimal . or --decimal , on the command line "
    "(decimal='.' or decimal=',' in Python)"
)
MIXED_FIX = (
    "Write every number in the column with the same decimal mark (the spreadsheet's language "
    "setting decides which), or say which mark is the decimal with --decimal"
)


def _show(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:.15g}"


def check_decimal(decimal: str | None) -> str | None:
    """``decimal`` if it is ``"."``, ``","`` or None; a UsageError otherwise."""
    from benchlearn.errors import UsageError

    if decimal is None or decimal in DECIMAL_MARKS:
        return decimal
    raise UsageError(
        f"the decimal mark must be '.' or ',', not {decimal!r}",
        where="option --decimal",
        fix="Use --decimal . or --decimal ,",
    )


@dataclass
class ColumnRule:
    """The number rule for one column, kept across the blocks of a file read in pieces.

    Parameters
    ----------
    decimal
        The decimal mark if the user stated it (``"."`` or ``","``); None decides from the cells.

    Read block by block (streaming), an ambiguous cell must be settled by the cells read so far:
    later blocks are not yet known.
    """

    decimal: str | None = None
    point_seen: str | None = field(default=None, init=False)
    comma_seen: str | None = field(default=None, init=False)
    comma_groups: bool = field(default=False, init=False)
    point_groups: bool = field(default=False, init=False)

    def read(self, cells: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """The cells as floats (NaN for empty cells); a :class:`NumberRuleError` otherwise."""
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks() if cells.num_chunks != 1 else cells.chunk(0)
        if not pa.types.is_string(cells.type) and not pa.types.is_large_string(cells.type):
            cells = cells.cast(pa.string())
        if self.decimal != ",":
            values = _cast(cells)
            if values is not None:
                self._settle_points(cells)
                return values
        trimmed = pc.utf8_trim_whitespace(cells)
        trimmed = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
        return self._read_general(trimmed)

    # The common case: pyarrow's number parser read every cell (digits, at most a decimal point
    # and an exponent). Only cells like 1.234 need a second look, found without a regex pass
    # over the whole column: one point, three digits after it, one to three before.
    def _settle_points(self, cells: pa.Array) -> None:
        has_point, n_point, ambiguous = _decimal_points(cells)
        if not n_point:
            return
        n_ambiguous = int(ambiguous.sum())
        settled = None
        if n_point > n_ambiguous:
            settled = np.logical_and(has_point.to_numpy(zero_copy_only=False), ~ambiguous)
            if self.point_seen is None:
                self.point_seen = str(cells[int(np.argmax(settled))].as_py())
        if n_ambiguous:
            self._check_ambiguous(cells, pa.array(ambiguous), point=True)
        if self.comma_seen is not None and settled is not None and self.decimal is None:
            raise self._mixed(cells, pa.array(settled), "commas")

    def _read_general(self, cells: pa.Array) -> np.ndarray:
        common, point_only, comma_only, point_grouped, comma_grouped, amb_point, amb_comma = _forms(
            cells
        )
        if self.decimal == ".":
            valid = pc.or_(common, point_only)
        elif self.decimal == ",":
            valid = pc.or_(common, comma_only)
        else:
            valid = pc.or_(common, pc.or_(point_only, comma_only))
        valid = pc.fill_null(valid, True)
        if not _all(valid):
            raise NumberRuleError("not_number", *_first(cells, pc.invert(valid)))
        if _any(point_only) and self.point_seen is None:
            self.point_seen = _first_text(cells, point_only)
        if _any(comma_only) and self.comma_seen is None:
            self.comma_seen = _first_text(cells, comma_only)
        self.comma_groups |= _any(point_grouped)
        self.point_groups |= _any(comma_grouped)
        if self.decimal is None and self.point_seen is not None and self.comma_seen is not None:
            n_point, n_comma = pc.sum(point_only).as_py() or 0, pc.sum(comma_only).as_py() or 0
            if n_comma and (n_comma <= n_point or not n_point):
                raise self._mixed(cells, comma_only, "points")
            raise self._mixed(cells, point_only, "commas")
        if _any(amb_point):
            self._check_ambiguous(cells, amb_point, point=True)
        if _any(amb_comma):
            self._check_ambiguous(cells, amb_comma, point=False)
        mark = self.decimal or ("," if self.comma_seen is not None else ".")
        if mark == ".":
            text = pc.replace_substring_regex(cells, f"[,{_SPACES}]", "")
        else:
            text = pc.replace_substring_regex(cells, f"[.{_SPACES}]", "")
            text = pc.replace_substring(text, ",", ".")
        return _to_float(text)

    def _check_ambiguous(self, cells: pa.Array, mask: pa.Array, *, point: bool) -> None:
        """Refuse the first ambiguous cell unless the column (or the user) settles it."""
        if self.decimal is not None:
            return
        if point:  # '1.234': settled if '.' is the decimal mark, or shown grouping thousands
            settled = (self.point_seen is not None) or (
                self.point_groups and self.comma_seen is not None
            )
        else:
            settled = (self.comma_seen is not None) or (
                self.comma_groups and self.point_seen is not None
            )
        if settled:
            return
        index, text = _first(cells, mask)
        raise NumberRuleError("ambiguous", index, text, readings(text))

    def _mixed(self, cells: pa.Array, mask: pa.Array, other: str) -> NumberRuleError:
        index, text = _first(cells, mask)
        return NumberRuleError("mixed", index, text, readings(text), other)


def _decimal_points(cells: pa.Array) -> tuple[pa.Array, int, np.ndarray]:
    """Which cells hold a decimal point, how many, and which of them read as either mark."""
    position = pc.find_substring(cells, ".")
    has_point = pc.fill_null(pc.greater_equal(position, 0), False)
    n_point = pc.sum(has_point).as_py() or 0
    ambiguous = np.zeros(len(cells), dtype=bool)
    if not n_point:
        return has_point, 0, ambiguous
    after = pc.subtract(pc.binary_length(cells), position)
    candidate = pc.fill_null(
        pc.and_(pc.equal(after, 4), pc.and_(has_point, pc.less_equal(position, 4))), False
    )
    if pc.any(candidate).as_py():
        where = np.flatnonzero(candidate.to_numpy(zero_copy_only=False))
        matched = _match(cells.filter(candidate), _AMBIGUOUS_POINT)
        ambiguous[where[pc.fill_null(matched, False).to_numpy(zero_copy_only=False)]] = True
    return has_point, n_point, ambiguous


@dataclass
class PlainColumn:
    """A column read piece by piece, each piece's text freed once read, decided as one column.

    For the common case of a big file of plain numbers (digits, a decimal point, an exponent):
    each piece is parsed by pyarrow and only its numbers and a tally of its decimal points are
    kept, so that the column's text never has to be held whole. :meth:`values` then gives what
    ``ColumnRule(decimal).read`` gives for all the cells at once, or None when that needs the
    text (the rule refuses a column whose every decimal point could also group thousands).
    Decimal points are tallied only until one settles the column (a point that cannot group
    thousands): later pieces are only parsed.

    Parameters
    ----------
    decimal
        The decimal mark if the user stated it; a stated comma always needs the text.
    size
        The number of cells expected (at most): room for them is made once.
    room
        Where to write the numbers (a float64 array of ``size`` cells), when the caller keeps
        several columns side by side in one block; :meth:`values` is then a view of it.
    """

    decimal: str | None = None
    size: int = 0
    room: np.ndarray | None = field(default=None, repr=False)
    n_read: int = field(default=0, init=False)
    n_point: int = field(default=0, init=False)
    n_ambiguous: int = field(default=0, init=False)
    _values: np.ndarray = field(default_factory=lambda: np.zeros(0), init=False, repr=False)

    def __post_init__(self) -> None:
        if self.room is not None:
            self._values = self.room

    def add(self, cells: pa.Array | pa.ChunkedArray) -> bool:
        """Read the next piece's cells; False (and nothing kept) if one is not a plain number."""
        if self.decimal == ",":
            return False
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks() if cells.num_chunks != 1 else cells.chunk(0)
        values = _cast(cells)
        if values is None:
            self._values = np.zeros(0)
            return False
        if self.decimal is None and self.n_point == self.n_ambiguous:  # not yet settled
            _, n_point, ambiguous = _decimal_points(cells)
            self.n_point += n_point
            self.n_ambiguous += int(ambiguous.sum())
        end = self.n_read + len(values)
        if end > len(self._values):  # written in place: no piece is kept, nothing concatenated
            grown = np.empty(max(end, self.size, 2 * len(self._values)))
            grown[: self.n_read] = self._values[: self.n_read]
            self._values = grown
        self._values[self.n_read : end] = values
        self.n_read = end
        return True

    def values(self) -> np.ndarray | None:
        """The column's numbers, or None if the rule needs the text."""
        if self.decimal is None and self.n_ambiguous and self.n_point == self.n_ambiguous:
            return None  # every '1.234' unsettled: ColumnRule words the refusal from the text
        values, self._values = self._values, np.zeros(0)
        if self.room is None and len(values) - self.n_read > len(values) // 8:  # give it back
            return values[: self.n_read].copy()
        return values[: self.n_read]


def _forms(cells: pa.Array) -> tuple[pa.Array, ...]:
    """Which trimmed cells (empty ones null) have each form of the table in the module's
    docstring: (empty, special or neutral or ambiguous; point only; comma only; grouped with
    commas; grouped with points; ambiguous with a point; ambiguous with a comma)."""
    lowered = pc.utf8_lower(cells)
    special = pc.is_in(lowered, value_set=pa.array(list(_SPECIAL)))
    neutral = pc.or_(_match(cells, _INTEGER), _match(cells, _SPACED))
    amb_point = _match(cells, _AMBIGUOUS_POINT)
    amb_comma = _match(cells, _AMBIGUOUS_COMMA)
    point_grouped = pc.and_(_match(cells, _POINT_GROUPED), pc.invert(amb_comma))
    comma_grouped = pc.and_(_match(cells, _COMMA_GROUPED), pc.invert(amb_point))
    point_only = pc.or_(pc.and_(_match(cells, _POINT_DECIMAL), pc.invert(amb_point)), point_grouped)
    comma_only = pc.or_(pc.and_(_match(cells, _COMMA_DECIMAL), pc.invert(amb_comma)), comma_grouped)
    empty = pc.is_null(cells)
    common = pc.or_(pc.or_(empty, special), pc.or_(neutral, pc.or_(amb_point, amb_comma)))
    return common, point_only, comma_only, point_grouped, comma_grouped, amb_point, amb_comma


def count_numbers(cells: pa.Array | pa.ChunkedArray) -> int:
    """How many cells are empty or read as a number under a decimal point or a decimal comma.

    Each cell on its own (as :func:`benchlearn.data.reader.parse_number` reads one), for the
    whole column at once: how a column is recognised as meant to hold numbers.
    """
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks() if cells.num_chunks != 1 else cells.chunk(0)
    trimmed = pc.utf8_trim_whitespace(cells)
    trimmed = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    common, point_only, comma_only, *_ = _forms(trimmed)
    number = pc.fill_null(pc.or_(common, pc.or_(point_only, comma_only)), True)
    return int(pc.sum(number).as_py() or 0)


def readings(text: str) -> tuple[float | None, float | None]:
    """``text`` read with a decimal point and with a decimal comma (None where it is no number)."""
    text = text.strip()
    out: list[float | None] = []
    for mark in ".,":
        rule = ColumnRule(decimal=mark)
        try:
            out.append(float(rule.read(pa.array([text]))[0]))
        except NumberRuleError:
            out.append(None)
    return out[0], out[1]


def read_numbers(cells: list[str] | pa.Array, decimal: str | None = None) -> np.ndarray:
    """Convenience: the whole column ``cells`` under one :class:`ColumnRule`."""
    if not isinstance(cells, pa.Array | pa.ChunkedArray):
        cells = pa.array([None if c is None or str(c).strip() == "" else str(c) for c in cells],
                         type=pa.string())  # fmt: skip
    return ColumnRule(decimal=decimal).read(cells)


def _match(cells: pa.Array, pattern: str) -> pa.Array:
    return pc.match_substring_regex(cells, pattern)


def _any(mask: pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


def _all(mask: pa.Array) -> bool:
    return bool(pc.all(mask).as_py() if len(mask) else True)


def _first(cells: pa.Array, mask: pa.Array) -> tuple[int, str]:
    index = pc.index(pc.fill_null(mask, False), True).as_py()
    return int(index), str(cells[index].as_py())


def _first_text(cells: pa.Array, mask: pa.Array) -> str:
    return _first(cells, mask)[1]


def _cast(cells: pa.Array) -> np.ndarray | None:
    """pyarrow's parse of plain numbers, or None if a cell is anything else (or nan/inf text)."""
    try:
        values = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if np.count_nonzero(~np.isfinite(values)) != cells.null_count:  # "nan", "inf" as text
        return None
    return values


def _to_float(text: pa.Array) -> np.ndarray:
    lowered = pc.utf8_lower(text)
    special = pc.fill_null(pc.is_in(lowered, value_set=pa.array(list(_SPECIAL))), False)
    if _any(special):  # pyarrow's cast also reads "nan", which is text here; map only these
        text = pc.if_else(special, pc.replace_substring(lowered, "inity", ""), text)
    return pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
