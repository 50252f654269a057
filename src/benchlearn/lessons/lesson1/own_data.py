"""Part 3 on the learner's own file: the data-source choice, reading the upload, its columns.

With the built-in example everything in Part 3 is exactly as the lesson describes; with an
uploaded file the same widgets run on the learner's two chosen columns.
"""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from benchlearn.errors import BenchlearnError

if TYPE_CHECKING:
    from benchlearn.analysis import FitAnalysis
    from benchlearn.lessons.lesson1.settings import LineSettings

# The data-source choice at the top of Part 3. With the built-in example everything is exactly
# as above; with an uploaded file the same widgets run on the learner's two chosen columns.
BUILTIN_DATA = "The lesson's example: ELISA standards (DNase, run 1)"
OWN_DATA = "Your own file"
DATA_SOURCES = (BUILTIN_DATA, OWN_DATA)
UPLOAD_TYPES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")
UPLOAD_MAX_BYTES = 20_000_000
MIN_OWN_ROWS = 3  # a line through two points always fits perfectly: nothing left to learn
# Every widget redraws all rows and reruns gradient descent from the start on each change;
# beyond this the page stops being interactive (``benchlearn fit`` has no such limit).
MAX_OWN_ROWS = 10_000
# A test quarter and five cross-validation folds need rows to score: below this the sections
# on several predictors and evaluation stay on the lesson's molecules.
MIN_OWN_SPLIT_ROWS = 10


@dataclass(frozen=True, eq=False)
class Part3Data:
    """The data Part 3 runs on: the lesson's standards, or the learner's usable columns.

    Attributes
    ----------
    X_line, y_line
        The line's predictor (one column) and measured quantity.
    line
        The widgets' settings for them.
    table, columns, y_name, x_name, drop_missing
        The learner's table, its numeric columns, the chosen y and x and whether rows with
        empty cells are left out (``None``, ``[]``, ``None``, ``None``, False on the lesson's
        example): the several-predictors section reads further columns of the same table.
    key
        A digest of all of the above: equal keys mean the page would show the same.
    """

    X_line: pd.DataFrame
    y_line: pd.Series
    line: LineSettings
    table: pd.DataFrame | None = None
    columns: list[str] = field(default_factory=list)
    y_name: str | None = None
    x_name: str | None = None
    drop_missing: bool = False
    key: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        from benchlearn.lessons.shared import fingerprint

        parts = (self.X_line, self.y_line, self.line, self.table, self.columns, self.y_name,
                 self.x_name, self.drop_missing)  # fmt: skip
        object.__setattr__(self, "key", fingerprint(*parts))


def read_upload(name: str, contents: bytes) -> pd.DataFrame:
    """Read an uploaded file by the data layer's rules, under any name the learner's file had.

    See :func:`benchlearn.data.upload.read_upload`: the messages name the learner's file.

    Raises
    ------
    DataError, UsageError
        The data layer's messages (empty file, unsupported type, malformed table, ...).
    """
    from benchlearn.data.upload import read_upload as read_uploaded_bytes

    return read_uploaded_bytes(name, contents)


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """The columns a learner can choose for y and x: those holding numbers.

    A column counts when at least half of its non-empty cells are numbers, so that a column
    with one stray ``n/a`` is still offered and choosing it shows the data layer's message
    naming that cell.

    Raises
    ------
    DataError
        Fewer than two such columns (a line needs a measured quantity and a predictor).
    """
    from benchlearn.data.reader import parse_number
    from benchlearn.errors import DataError

    chosen = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            chosen.append(str(column))
            continue
        cells = [str(v).strip() for v in series if isinstance(v, str) and v.strip()]
        numbers = sum(
            parse_number(c) is not None or parse_number(c, True) is not None for c in cells
        )
        if cells and numbers >= 0.5 * len(cells):
            chosen.append(str(column))
    if len(chosen) < 2:
        found = ", ".join(f"`{c}`" for c in chosen) or "none"
        raise DataError(
            f"a line needs two columns of numbers, and this table has {len(chosen)} "
            f"(numeric columns: {found}; all columns: "
            f"{', '.join(f'`{c}`' for c in frame.columns)})",
            where=f"file {frame.attrs.get('source', 'uploaded')}",
            fix="Put one measured quantity in each column, with its name in the first row, "
            "and one sample per row",
        )
    return chosen


def default_columns(columns: list[str]) -> tuple[str, str]:
    """``(y, x)`` to start with: the last numeric column against the first.

    Lab tables usually list what was set (concentration, dose, time) before what was measured.
    """
    return columns[-1], columns[0]


def own_line_data(
    frame: pd.DataFrame, y: str, x: str, *, drop_missing: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """The learner's y and x columns for the line (see :func:`own_table_data`)."""
    return own_table_data(frame, y, [x], drop_missing=drop_missing)


def own_table_data(
    frame: pd.DataFrame, y: str, xs: list[str], *, drop_missing: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """The learner's chosen columns, checked by :func:`benchlearn.data.select_columns`.

    This is where the lesson reads the learner's table into numbers; the fits are the app's
    cells (``LinearRegression(...).fit``).

    Returns
    -------
    X : DataFrame
        The predictor columns; ``X.attrs["dropped_rows"]`` lists rows left out.
    y : Series
        The measured quantity.

    Raises
    ------
    DataError, UsageError
        Text in a number column, an empty cell (unless ``drop_missing``), a constant column,
        fewer than :data:`MIN_OWN_ROWS` rows, the same column chosen twice, or more than
        :data:`MAX_OWN_ROWS` rows.
    """
    from benchlearn.data import MissingValuesDropped, select_columns
    from benchlearn.errors import UsageError

    with warnings.catch_warnings():
        # the page says which rows were left out; the warning would only reach the console
        warnings.simplefilter("ignore", MissingValuesDropped)
        X, response = select_columns(
            frame, y, list(xs), drop_missing=drop_missing, min_rows=MIN_OWN_ROWS
        )
    if len(response) > MAX_OWN_ROWS:
        raise UsageError(
            f"the table has {len(response):,} usable rows; this lesson redraws every row at "
            f"each move of a slider, and takes at most {MAX_OWN_ROWS:,}",
            where=f"file {frame.attrs.get('source', 'uploaded')}",
            fix="Load a sample of its rows here, and fit the whole file from a terminal as "
            "“Try it on your own data” at the end of the lesson shows",
        )
    return X, response


def own_table_fit(X: pd.DataFrame, y: pd.Series) -> FitAnalysis:
    """The learner's chosen columns fitted as ``benchlearn fit`` fits them.

    The rows are those :func:`own_table_data` kept; :func:`benchlearn.analysis.fit_table` gives
    the model, its summary and diagnostics, the same numbers as the command line's ``--json``.
    """
    from benchlearn.analysis import fit_table

    table = pd.concat([X, y], axis=1)
    table.attrs = dict(X.attrs)
    return fit_table(table, str(y.name), list(X.columns))


# The data layer speaks to the command line and to Python; the page names its own widgets.
_PAGE_WORDS = (
    (r"\s*\([^()]*\bin Python\)", ""),
    (r"with --drop-missing", "by ticking “Leave out rows with empty cells”"),
    (r"(?:use )?--drop-missing", "tick “Leave out rows with empty cells”"),
    (r"--y\b", "“Measured quantity (y)”"),
    (r"--x\b", "“Predictor (x)”"),
)


def page_message(error: BenchlearnError) -> str:
    """The data layer's message about the learner's file, in the words of the page.

    Option names of ``benchlearn fit`` (``--y``, ``--drop-missing``) and remarks for Python users
    become the names of the widgets that do the same here.
    """
    message = error.message
    for pattern, words in _PAGE_WORDS:
        message = re.sub(pattern, words, message)
    return message


def problem_html(message: str) -> str:
    """A problem with the learner's file, findable by ``data-testid="own-data-error"``."""
    return f'<p data-testid="own-data-error">{html.escape(message)}</p>'
