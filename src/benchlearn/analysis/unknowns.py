"""``unknown_samples``: the unknowns' rows grouped into samples, none lost or merged silently.

Both standard curves (:func:`benchlearn.analysis.standard_curve` and
:func:`benchlearn.analysis.bending_standard_curve`) read unknowns the same way: replicate rows
of a sample are averaged, and every row is either in a sample or named in a refusal.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import DataError, UsageError

ID_NAMES = ("sample", "sample_id", "sampleid", "sample id", "id", "name", "sample name")


def unknown_samples(
    frame: pd.DataFrame, column: str, sample_column: str | None = None
) -> pd.DataFrame:
    """One row per sample: ``sample`` (its name as text), ``mean`` and ``count`` of its signal.

    Parameters
    ----------
    frame
        The unknowns (index = the user's row numbers; ``attrs["source"]`` names the file).
    column
        The signal column.
    sample_column
        The sample names. Default: the first text column other than the signal; else a numeric
        column named like an ID (``sample``, ``id``, ``name``, ...), so that replicates of
        sample 101 are averaged; else each row is its own sample, named by its row number.

    Raises
    ------
    DataError
        A row has an empty signal (it would vanish from the table) or an empty sample name
        (it would be averaged with the other unnamed rows); the rows are named.
    """
    from benchlearn.data.validate import numeric_column

    source = frame.attrs.get("source")
    where = None if source is None else f"file {source}"
    if column not in frame.columns:
        raise UsageError(
            f"there is no column named `{column}` in the unknowns file",
            where=where,
            fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}; choose one "
            "with --unknown-column",
        )
    if sample_column is not None and sample_column not in frame.columns:
        raise UsageError(
            f"there is no column named `{sample_column}` in the unknowns file",
            where=where,
            fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}; choose one "
            "with --sample-column",
        )
    signal = numeric_column(frame[column], column, source)
    sample_column = sample_column or _default_name_column(frame, column)
    if sample_column is None:
        names = pd.Series([f"row {r}" for r in frame.index], index=frame.index)
    else:
        names = _names(frame[sample_column])
        blank = names.isna()
        if blank.any():
            raise DataError(
                f"{_rows(frame.index[blank])} of the unknowns have no sample name in "
                f"`{sample_column}`, so they cannot be told apart or averaged with their "
                "replicates",
                path=source,
                column=sample_column,
                fix="Give every row its sample's name (replicates share a name), or remove "
                "the rows that are not samples",
            )
    empty = signal.isna()
    if empty.any():
        samples = ", ".join(dict.fromkeys(str(n) for n in names[empty]))
        raise DataError(
            f"{_rows(frame.index[empty])} of the unknowns ({samples}) have no signal in "
            f"`{column}`; they would be missing from the results",
            path=source,
            column=column,
            fix="Fill in the signal, or remove the rows of samples that were not measured",
        )
    grouped = signal.groupby(names, sort=False).agg(["mean", "count"])
    return pd.DataFrame(
        {
            "sample": [str(n) for n in grouped.index],
            "mean": grouped["mean"].to_numpy(dtype=float),
            "count": grouped["count"].to_numpy(dtype=int),
        }
    )


def _default_name_column(frame: pd.DataFrame, signal: str) -> str | None:
    others = [c for c in frame.columns if c != signal]
    text = [c for c in others if not pd.api.types.is_numeric_dtype(frame[c])]
    if text:
        return text[0]
    ids = [c for c in others if str(c).strip().lower() in ID_NAMES]
    return ids[0] if ids else None


def _names(values: pd.Series) -> pd.Series:
    """Sample names as text (``101``, not ``101.0``); None where the cell is empty."""

    def name(value: Any) -> str | None:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        text = str(value).strip()
        return text or None

    return pd.Series([name(v) for v in values.tolist()], index=values.index, dtype=object)


def _rows(index: pd.Index) -> str:
    rows = [str(r) for r in index]
    shown = ", ".join(rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}"
