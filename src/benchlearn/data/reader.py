"""Reading a scientist's own table: CSV, TSV, Excel (.xlsx) and Parquet, as instruments write them.

One reader for every face of benchlearn (library, command line, lesson, report). It accepts what
plate readers, qPCR machines and spreadsheets really produce, and refuses, with a message naming
the file, row and column, whatever it would otherwise have to guess.

Rules, in the order they are applied to text files:

1. **Encoding**: a byte-order mark decides (UTF-8 or UTF-16). Without one the file must be UTF-8;
   if it is not, Windows-1252 (what Excel on Windows writes) is used and noted in
   ``df.attrs["encoding"]``. A file with NUL bytes and no UTF-16 mark is refused as binary.
2. **Separator**: comma, semicolon or tab — whichever splits the most lines into the same number
   (at least two) of fields. Lines that stay whole (instrument metadata such as
   ``* Chemistry = SYBR_GREEN``) do not count, so a long preamble cannot outvote the table.
3. **Header row**: instruments write metadata lines above the table. The table's width is the
   most common number of fields; the header is the first line of that width that is followed by
   another line of that width. Lines above it are ignored (kept in ``df.attrs["preamble"]``).
4. **Numbers**: a column is numeric when every non-empty cell is a number. Decimal commas are
   recognised when the separator is not a comma and values such as ``0,25`` outnumber ``0.25``;
   thousands separators (``1,234.5``, ``1.234,5``, ``1 234,5``) are removed. Only an *empty*
   cell is missing: text such as ``n/a`` stays text, so that :func:`select_columns` can point
   at it.
5. **Blank rows and columns** at the edges (trailing empty lines, a trailing separator) are
   dropped.

The returned frame's index holds the row numbers the user sees: the line number in a text file,
the spreadsheet row in Excel, and the 1-based row for Parquet (which has no header line).
"""

from __future__ import annotations

import collections
import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import DataError, UsageError

TEXT_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab"}
EXCEL_EXTENSIONS = {".xlsx", ".xlsm"}
PARQUET_EXTENSIONS = {".parquet", ".pq"}
SUPPORTED = sorted(TEXT_EXTENSIONS | EXCEL_EXTENSIONS | PARQUET_EXTENSIONS)

_NUMBER_POINT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_NUMBER_COMMA = re.compile(r"^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$")
_THOUSANDS_POINT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}([. \u00a0\u202f]\d{3})+(,\d+)?$")
_SPECIAL = {
    "inf": np.inf,
    "+inf": np.inf,
    "-inf": -np.inf,
    "infinity": np.inf,
    "-infinity": -np.inf,
    "nan": np.nan,
}


def read_table(path: str | Path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV, TSV, Excel (.xlsx) or Parquet file into a DataFrame.

    Parameters
    ----------
    path
        The file. It is only read, never changed.
    sheet
        Excel only: the sheet's name or 0-based position (default: the first sheet).

    Returns
    -------
    DataFrame
        Numeric columns as float, other columns as text; index = the user's row numbers;
        ``attrs["source"]`` is the file name.

    Raises
    ------
    DataError
        The file is missing, empty, binary, unreadable, or its table is malformed.
    UsageError
        An unsupported file type, or a sheet that does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "Reader: Synergy H1\\nconc;A562\\n0;0,05\\n1,5;0,91\\n"
    >>> _ = (folder / "plate.csv").write_text(text)
    >>> read_table(folder / "plate.csv")
         conc  A562
    row
    3     0.0  0.05
    4     1.5  0.91
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise DataError(
            "the file does not exist",
            where=f"file {path}",
            fix="Check the name and folder (the path is relative to where you run the command)",
        )
    if path.is_dir():
        raise DataError(
            "this is a folder, not a file",
            where=f"file {path}",
            fix="Give the path of the data file inside it",
        )
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        hint = " Save it from Excel as .xlsx (or CSV)." if suffix == ".xls" else ""
        raise UsageError(
            f"files ending in '{suffix or '(nothing)'}' are not supported",
            where=f"file {name}",
            fix=f"Use one of {', '.join(SUPPORTED)}.{hint}",
        )
    if path.stat().st_size == 0:
        raise DataError(
            "the file is empty",
            where=f"file {name}",
            fix="Export the table again; the file has no bytes at all",
        )
    if suffix in TEXT_EXTENSIONS:
        frame = _read_text(path, default_tab=suffix in {".tsv", ".tab"})
    elif suffix in EXCEL_EXTENSIONS:
        frame = _read_excel(path, sheet)
    else:
        frame = _read_parquet(path)
    frame.attrs["source"] = name
    return frame


# ---------------------------------------------------------------------------- text files
def _decode(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise DataError(
                "the file says it is UTF-16 text but is damaged",
                where=f"file {path.name}",
                fix="Export the table again as CSV",
            ) from error
    if b"\x00" in raw[:4096]:
        raise DataError(
            "this is not a text table (it contains binary data)",
            where=f"file {path.name}",
            fix="If it came from Excel, save it as .xlsx or 'CSV UTF-8'; instrument project "
            "files must be exported as CSV first",
        )
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _read_text(path: Path, *, default_tab: bool) -> pd.DataFrame:
    text, encoding = _decode(path)
    text = text.lstrip("\ufeff")  # some exporters write the byte-order mark twice
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise DataError(
            "the file has no data, only blank lines",
            where=f"file {path.name}",
            fix="Export the table again",
        )
    delimiter = "\t" if default_tab else _choose_delimiter(lines)
    rows: list[list[str]] = []
    numbers: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        start = 1
        for row in reader:
            rows.append(row)
            numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise DataError(
            f"the text cannot be split into cells ({error})",
            where=f"file {path.name}, row {reader.line_num}",
            fix='Check for an unclosed quote mark (") on that line',
        ) from error
    frame = _table_from_grid(rows, numbers, path.name, decimal_comma_allowed=delimiter != ",")
    frame.attrs["encoding"] = encoding
    frame.attrs["delimiter"] = delimiter
    return frame


def _choose_delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1
    sample = [line for line in lines if line.strip()][:200]
    for delimiter in [",", ";", "\t"]:
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in sample]
        split = collections.Counter(c for c in counts if c > 1).most_common(1)
        score = split[0][1] if split else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


# ---------------------------------------------------------------------------- Excel, Parquet
def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise DataError(
            "this is not a readable Excel workbook (the file is damaged or not really .xlsx)",
            where=f"file {path.name}",
            fix="Open it in Excel and save it again as .xlsx",
        ) from error
    names = book.sheetnames
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int) or (
        isinstance(sheet, str) and sheet.isdigit() and sheet not in names
    ):
        index = int(sheet)
        if not 0 <= index < len(names):
            raise UsageError(
                f"there is no sheet number {index}",
                where=f"file {path.name}",
                fix=f"The sheets are: {', '.join(map(repr, names))} (numbered from 0)",
            )
        chosen = names[index]
    elif sheet in names:
        chosen = sheet
    else:
        raise UsageError(
            f"there is no sheet named {sheet!r}",
            where=f"file {path.name}",
            fix=f"The sheets are: {', '.join(map(repr, names))}",
        )
    worksheet = book[chosen]
    rows, numbers = [], []
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        rows.append(["" if v is None else v for v in row])
        numbers.append(number)
    book.close()
    if not any(any(str(v).strip() for v in row) for row in rows):
        raise DataError(
            f"sheet {chosen!r} is empty",
            where=f"file {path.name}",
            fix="Choose the sheet that holds the table (--sheet)",
        )
    frame = _table_from_grid(rows, numbers, path.name, decimal_comma_allowed=True)
    frame.attrs["sheet"] = chosen
    return frame


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several unrelated types for a damaged file
        raise DataError(
            "this is not a readable Parquet file (it is damaged or truncated)",
            where=f"file {path.name}",
            fix="Write the file again",
        ) from error
    if frame.empty:
        raise DataError(
            "the table has no rows",
            where=f"file {path.name}",
            fix="Write the file again with its data",
        )
    frame = frame.reset_index(drop=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    _check_column_names([str(c) for c in frame.columns], path.name, header_row=None)
    frame.columns = [str(c) for c in frame.columns]
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
            frame[column]
        ):
            frame[column] = frame[column].astype(float)
    return frame


# ---------------------------------------------------------------------------- the grid
def _table_from_grid(
    rows: list[list[Any]], numbers: list[int], source: str, *, decimal_comma_allowed: bool
) -> pd.DataFrame:
    cells = [[_cell_text(v) for v in row] for row in rows]
    filled = [_filled_width(row) for row in cells]
    widths = [w for w in filled if w > 0]
    if not widths:
        raise DataError("the file has no data", where=f"file {source}", fix="Export it again")
    width = collections.Counter(w for w in widths if w > 1).most_common(1)
    width = width[0][0] if width else 1
    header_at = None
    for i, w in enumerate(filled):
        if w == width and any(filled[j] == width for j in range(i + 1, min(i + 3, len(filled)))):
            header_at = i
            break
    if header_at is None:
        raise DataError(
            "no table found: there is a header line but no data rows under it",
            where=f"file {source}",
            fix="The file needs a header row followed by at least one row of values",
        )
    header = [c.strip() for c in cells[header_at]]
    body = [(numbers[i], cells[i]) for i in range(header_at + 1, len(cells))]
    body = [(n, row) for n, row in body if any(c.strip() for c in row)]
    ncols = max([width] + [len(row) for _, row in body])
    header += [""] * (ncols - len(header))
    records = [row + [""] * (ncols - len(row)) for _, row in body]
    keep = [j for j in range(ncols) if header[j] or any(r[j].strip() for r in records)]
    extra = [j for j in keep if j >= width and not header[j]]
    if extra:
        n, row = next(
            (n, row) for n, row in body if any(row[j].strip() for j in extra if j < len(row))
        )
        raise DataError(
            f"this row has more cells than the header has names ({_filled_width(row)} vs {width})",
            where=f"file {source}, row {n}",
            fix="Check for a stray separator in that row, or give the extra column a name",
        )
    unnamed = [j for j in keep if not header[j]]
    if unnamed and _is_plate_layout(header, records):
        raise DataError(
            "this is a plate layout (rows A, B, ... by columns 1, 2, ... of the plate), not a "
            "table with one row per sample",
            where=f"file {source}, row {numbers[header_at]}",
            fix="Make a table with one row per well and one column per variable (e.g. `well`, "
            "`conc`, `signal`); most plate-reader programs can export such a 'list' or "
            "'column' format directly",
        )
    if unnamed:
        raise DataError(
            f"column {unnamed[0] + 1} has values but no name in the header row",
            where=f"file {source}, row {numbers[header_at]}",
            fix="Give every column a name in the header row",
        )
    names = [header[j] for j in keep]
    _check_column_names(names, source, header_row=numbers[header_at])
    if not records:
        raise DataError(
            "the table has a header but no rows of data",
            where=f"file {source}",
            fix="Add the measurements under the header row",
        )
    columns = {name: [r[j].strip() for r in records] for name, j in zip(names, keep, strict=True)}
    decimal_comma = decimal_comma_allowed and _uses_decimal_comma(columns.values())
    frame = pd.DataFrame(
        {name: _convert(values, decimal_comma).to_numpy() for name, values in columns.items()},
        index=pd.Index([n for n, _ in body], name="row"),
    )
    frame.attrs["preamble"] = [",".join(row) for row in cells[:header_at] if any(row)]
    frame.attrs["header_row"] = numbers[header_at]
    frame.attrs["decimal_comma"] = decimal_comma
    return frame


def _is_plate_layout(header: list[str], records: list[list[str]]) -> bool:
    """A grid whose first column holds row letters (A-P) and whose header holds numbers 1, 2..."""
    names = [h for h in header[1:] if h]
    letters = [r[0].strip() for r in records if r and r[0].strip()]
    return (
        not header[0]
        and len(names) >= 2
        and all(h.removesuffix(".0").isdigit() for h in names)
        and bool(letters)
        and all(len(c) == 1 and "A" <= c.upper() <= "P" for c in letters)
    )


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value) if value is not None else ""


def _filled_width(row: list[str]) -> int:
    width = len(row)
    while width and not row[width - 1].strip():
        width -= 1
    return width


def _check_column_names(names: list[str], source: str, header_row: int | None) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name in seen:
            where = f"file {source}" + (f", row {header_row}" if header_row else "")
            raise DataError(
                f"the column name `{name}` appears twice (columns {seen[name]} and {position})",
                where=where,
                fix="Give each column a different name",
            )
        seen[name] = position


def _uses_decimal_comma(columns: Any) -> bool:
    comma = point = 0
    for values in columns:
        for value in values:
            if "," in value and _NUMBER_COMMA.match(value):
                comma += 1
            elif "." in value and _NUMBER_POINT.match(value):
                point += 1
    return comma > point


def _convert(values: list[str], decimal_comma: bool) -> pd.Series:
    """Numbers if every non-empty cell is one (empty = missing); the text unchanged otherwise."""
    parsed = []
    for value in values:
        number = parse_number(value, decimal_comma)
        if number is None:
            return pd.Series(values, dtype=object)
        parsed.append(number)
    return pd.Series(parsed, dtype=float)


def parse_number(value: str, decimal_comma: bool = False) -> float | None:
    """The number written in ``value`` (NaN for an empty cell), or None if it is not a number."""
    text = value.strip()
    if text == "":
        return np.nan
    lowered = text.lower()
    if lowered in _SPECIAL and lowered != "nan":
        return _SPECIAL[lowered]
    if decimal_comma:
        if _THOUSANDS_COMMA.match(text):
            text = re.sub(r"[. \u00a0\u202f]", "", text)
        if _NUMBER_COMMA.match(text):
            return float(text.replace(",", "."))
        return None
    if _THOUSANDS_POINT.match(text):
        text = text.replace(",", "")
    if _NUMBER_POINT.match(text):
        return float(text)
    return None
