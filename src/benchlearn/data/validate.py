"""Choosing the response and predictor columns of a user's table, and checking them."""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from benchlearn.data.numbers import (
    DECIMAL_FIX,
    MIXED_FIX,
    ColumnRule,
    NumberRuleError,
    count_numbers,
    readings,
)
from benchlearn.errors import DataError, MissingValuesDropped, UsageError


def select_columns(
    frame: pd.DataFrame,
    y: str,
    x: Sequence[str] | str | None = None,
    *,
    drop_missing: bool = False,
    min_rows: int = 2,
) -> tuple[pd.DataFrame, pd.Series]:
    """Pick the response ``y`` and predictors ``x`` from a table read by :func:`read_table`.

    Parameters
    ----------
    frame
        The table; its index holds the user's row numbers.
    y
        Name of the response column (what was measured).
    x
        Predictor column name(s). ``None``: every other numeric column (text columns such as
        sample names are left out).
    drop_missing
        Leave out rows with an empty cell in the chosen columns (a
        :class:`MissingValuesDropped` warning says how many and which). Without it, an empty cell
        is an error.
    min_rows
        Fewest rows the model needs.

    Returns
    -------
    (X, y)
        ``X`` a float DataFrame of the predictors, ``y`` a float Series; both indexed by the
        user's row numbers. ``X.attrs["dropped_rows"]`` lists rows left out.

    Raises
    ------
    UsageError
        A column that does not exist.
    DataError
        Text in a numeric column, an empty cell, an infinite value, a constant column, or too
        few rows.
    """
    source = frame.attrs.get("source")
    where_file = f"file {source}" if source else None
    x_names = [x] if isinstance(x, str) else None if x is None else list(x)
    for name in [y, *(x_names or [])]:
        if name not in frame.columns:
            raise UsageError(
                f"there is no column named `{name}`{_suggest(name, frame.columns)}",
                where=where_file,
                fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}",
            )
    if x_names is None:
        x_names = [c for c in frame.columns if c != y and _looks_numeric(frame[c])]
        if not x_names:
            raise UsageError(
                "there is no numeric column besides the response to use as a predictor",
                where=where_file,
                fix="Name the predictor column(s) explicitly (--x COLUMN)",
            )
    if y in x_names:
        raise UsageError(
            f"`{y}` is both the response and a predictor",
            where=where_file,
            fix="Choose different columns for --y and --x",
        )
    columns = [*x_names, y]
    edges = _edges(frame)
    table = pd.DataFrame(
        {
            c: numeric_column(frame[c], c, source, edges, frame.attrs.get("decimal"))
            for c in columns
        },
        index=frame.index,
        copy=False,  # the checks read the columns where they are; X and y below are copies
    )

    missing = np.zeros(len(table), dtype=bool)  # column by column: no n x p table of flags
    for column in columns:
        missing |= np.isnan(table[column].to_numpy())
    dropped: list[int] = []
    if missing.any():
        if not drop_missing:
            row = table.index[missing][0]
            column = table.columns[table.loc[row].isna()][0]
            raise DataError(
                f"the cell is empty ({int(missing.sum())} row(s) in the chosen columns have "
                "empty cells)",
                path=source,
                row=int(row),
                column=column,
                fix="Fill in the value, or leave such rows out with --drop-missing "
                "(drop_missing=True in Python)",
            )
        dropped = [int(r) for r in table.index[missing]]
        table = table.loc[~missing]
        shown = ", ".join(map(str, dropped[:10])) + (" ..." if len(dropped) > 10 else "")
        warnings.warn(
            f"{len(dropped)} row(s) with empty cells were left out (rows {shown}).",
            MissingValuesDropped,
            stacklevel=2,
        )
    for column in columns:
        infinite = np.isinf(table[column].to_numpy())
        if infinite.any():
            raise DataError(
                "the value is infinite",
                path=source,
                row=int(table.index[infinite][0]),
                column=column,
                fix="Replace it with a finite number (an overflow or a division by zero in the "
                "spreadsheet often causes this)",
            )
    for column in columns:
        _refuse_extreme_scale(table[column], column, source)
    if len(table) < min_rows:
        raise DataError(
            f"only {len(table)} usable row(s); the model needs at least {min_rows}",
            where=where_file,
            fix="Add measurements, or use a simpler model",
        )
    for column in columns:
        values = table[column].to_numpy()
        if len(values) > 1 and np.all(values == values[0]):
            raise DataError(
                f"column `{column}` has the same value ({values[0]:g}) in every row, so it "
                "cannot explain or show any variation",
                where=where_file,
                fix="Choose a column whose values vary",
            )
    X = None if dropped else _predictors_in_place(frame, x_names)
    if X is None:
        # One block of the predictors, filled column by column: the solver reads it in place.
        design = np.empty((len(table), len(x_names)), order="F")
        for k, column in enumerate(x_names):
            design[:, k] = table[column].to_numpy()
        X = pd.DataFrame(design, index=table.index, columns=x_names, copy=False)
    X.attrs = {"source": source, "dropped_rows": dropped}
    response = table[y] if _COPY_ON_WRITE else table[y].copy()
    response.attrs = {"source": source}
    return X, response


# pandas 3 copies a column or a slice of a table only when one of them is written to; before it,
# a view shared the table's numbers, and writing to X would have changed the user's table.
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3


def _predictors_in_place(frame: pd.DataFrame, x_names: list[str]) -> pd.DataFrame | None:
    """The predictors as a view of ``frame`` (no copy), or None where that is not possible.

    Possible when they are float columns next to each other, in order, and held side by side
    in one block, as :func:`read_table` holds a table of numbers: the view is then one float64
    array that the solver reads where it is (pandas copies it only if one of them is written
    to). For a 200 MB file that is the ~200 MB a copy of the predictors would take.
    """
    if not _COPY_ON_WRITE or not x_names or frame.columns.has_duplicates:
        return None
    start = frame.columns.get_loc(x_names[0])
    stop = start + len(x_names)
    if list(frame.columns[start:stop]) != x_names or any(
        dtype != np.float64 for dtype in frame.dtypes.iloc[start:stop]
    ):
        return None
    view = frame.iloc[:, start:stop]
    values = view.to_numpy()  # one block: a view; else pandas copies here, once, as we would
    if not np.shares_memory(values, frame[x_names[0]].to_numpy()):
        return pd.DataFrame(values, index=frame.index, columns=x_names, copy=False)
    return view


SCALE_LIMITS = (1e-150, 1e150)
_CHECK_ROWS = 1 << 16


def _refuse_extreme_scale(values: pd.Series, column: str, source: str | None) -> None:
    """Refuse values whose squares leave double precision (they would overflow or vanish)."""
    low, high = SCALE_LIMITS
    numbers = values.to_numpy()
    for start in range(0, len(numbers), _CHECK_ROWS):  # in pieces: no copy of the column
        size = np.abs(numbers[start : start + _CHECK_ROWS])
        extreme = ((size > 0) & (size < low)) | (size > high)
        if not extreme.any():
            continue
        at = start + int(np.argmax(extreme))
        row = values.index[at]
        raise DataError(
            f"the value {numbers[at]:g} is too close to the limits of double precision "
            f"(the fit squares it: only magnitudes between {low:g} and {high:g} are safe)",
            path=source,
            row=_row_number(row),
            column=column,
            fix="Rescale the column (change its units, e.g. divide by a power of 10) and "
            "convert the results back",
        )


def _looks_numeric(series: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return True
    import pyarrow as pa

    good = count_numbers(pa.array(series.astype(str).to_numpy(dtype=object), type=pa.string()))
    return good >= 0.5 * len(series) and good > 0  # mostly numbers: a column with a bad cell


def _edges(frame: pd.DataFrame) -> tuple[object, object]:
    """The first and last row numbers of the table (where units rows and notes are found)."""
    return (frame.index[0], frame.index[-1]) if len(frame) else (None, None)


def numeric_column(
    series: pd.Series,
    column: str,
    source: str | None,
    edges: tuple[object, object] = (None, None),
    decimal: str | None = None,
) -> pd.Series:
    """The column as floats; a located error for the first cell that is not a number.

    A text column is read by the one number rule (:class:`benchlearn.data.numbers.ColumnRule`):
    its decimal mark comes from all its cells (or ``decimal``). A column mixing ``0.2`` and
    ``0,2`` is refused at the first cell in the minority convention, and a cell the column
    cannot settle (``12,345``) with both its readings, rather than guessed. ``edges`` (first and
    last row numbers of the table) lets the message recognise a units row or a note below the
    table.
    """
    if pd.api.types.is_bool_dtype(series):
        raise DataError(
            "the column holds true/false values, not numbers",
            path=source,
            column=column,
            fix="Code them as 0 and 1",
        )
    if pd.api.types.is_numeric_dtype(series):
        if pd.api.types.is_integer_dtype(series):
            _refuse_inexact_integers(series, column, source)
        return series.astype(float)
    import pyarrow as pa

    cells = pa.array(
        [
            None
            if value is None or (isinstance(value, float) and np.isnan(value))
            else str(value).strip() or None
            for value in series.tolist()
        ],
        type=pa.string(),
    )
    try:
        values = ColumnRule(decimal=decimal).read(cells)
    except NumberRuleError as problem:
        row = series.index[problem.index]
        if problem.kind == "not_number":
            _raise_not_number(problem.text, row, column, source, edges, decimal)
        raise DataError(
            problem.describe(),
            path=source,
            row=_row_number(row),
            column=column,
            fix=DECIMAL_FIX if problem.kind == "ambiguous" else MIXED_FIX,
        ) from None
    return pd.Series(values, index=series.index, name=series.name, dtype=float)


def _refuse_inexact_integers(series: pd.Series, column: str, source: str | None) -> None:
    """Integers beyond 2**53 change when made floating point: refuse rather than round them."""
    values = series.to_numpy()
    too_big = np.abs(values.astype(np.float64)) > 2.0**53
    if too_big.any():
        at = int(np.flatnonzero(too_big)[0])
        raise DataError(
            f"the integer {values[at]} is too large to compute with exactly (beyond 2^53, about "
            "9.0e15, neighbouring integers become the same floating-point number)",
            path=source,
            row=_row_number(series.index[at]),
            column=column,
            fix="If the column is an identifier, leave it out of the model; if it is a "
            "measurement, store it in a smaller unit or as a floating-point column",
        )


def _row_number(row: object) -> int | None:
    return int(row) if isinstance(row, int | np.integer) else None


_MISSING_WORDS = {"n/a", "na", "nan", "#n/a", "-", "--", "null", "none", "missing", "nd", "n.d."}
_NO_AMPLIFICATION = {"undetermined", "no ct", "no cq", "n.a.", "nocall"}


def _raise_not_number(
    text: str,
    row: object,
    column: str,
    source: str | None,
    edges: tuple[object, object],
    decimal: str | None = None,
) -> None:
    lowered = text.lower()
    fix = "Replace it with a number"
    if decimal is not None and readings(text) != (None, None):
        fix = (
            f"It is a number only with a decimal {'comma' if decimal == '.' else 'point'}, "
            f"but the decimal mark was set to {decimal!r} (--decimal)"
        )
    elif lowered in _NO_AMPLIFICATION:
        fix = (
            "qPCR software writes this when a well never crossed the threshold (no "
            "amplification, e.g. a no-template control): leave such wells out of a standard "
            "curve (empty the cell and use --drop-missing)"
        )
    elif lowered in _MISSING_WORDS:
        fix = (
            "If the value is missing, leave the cell empty (and use --drop-missing to leave "
            "the row out)"
        )
    elif text.startswith(("<", ">")):
        fix = (
            "A value beyond a detection limit is not a number: leave the cell empty or enter "
            "the limit itself, and say so in your report"
        )
    elif text.startswith("#"):
        fix = "That is a spreadsheet error value: fix the formula, or leave the cell empty"
    elif lowered in {"overflow", "over", "ovrflw", "sat", "saturated", "range?"}:
        fix = (
            "The instrument's reading was off its scale: dilute and measure again, or leave the "
            "cell empty (and use --drop-missing)"
        )
    elif lowered in {"true", "false", "yes", "no", "wahr", "falsch"}:
        fix = "True/false values are not numbers: code them as 0 and 1"
    elif row == edges[0] and not any(ch.isdigit() for ch in text):
        fix = (
            "If this first row under the header holds units, delete it and put the unit in the "
            f"column name instead, e.g. `{column} ({text})`"
        )
    elif row == edges[1] and edges[0] != edges[1]:
        fix = (
            "If this is a note written below the table, delete it (or copy the table alone "
            "into a new file)"
        )
    raise DataError(
        f"{text!r} is not a number",
        path=source,
        row=_row_number(row),
        column=column,
        fix=fix,
    )


def _suggest(name: str, columns: pd.Index) -> str:
    close = difflib.get_close_matches(name, [str(c) for c in columns], n=2, cutoff=0.6)
    if not close:
        lowered = {str(c).lower(): str(c) for c in columns}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    return f" (did you mean {' or '.join(f'`{c}`' for c in close)}?)" if close else ""
