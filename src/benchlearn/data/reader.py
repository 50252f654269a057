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
   most common number of filled fields; the first data row is the first line of that width
   holding a number and followed by another such line; the header is the line above it (or the
   top of a block of text lines above it, so that a units row under the header is caught).
   Lines above the header are ignored (kept in ``df.attrs["preamble"]``).
4. **Numbers**: a column is numeric when every non-empty cell is a number under one rule for
   the whole column (:mod:`benchlearn.data.numbers`): its decimal mark and thousands grouping
   are decided from all its cells, and a cell the column cannot settle (``12,345`` is 12345 or
   12.345) leaves the column as text, so that :func:`select_columns` can refuse it with both
   readings. ``decimal=`` states the mark for every column. Only an *empty* cell is missing:
   text such as ``n/a`` stays text, so that :func:`select_columns` can point at it.
5. **Blank rows and columns** at the edges (trailing empty lines, a trailing separator) are
   dropped.

Text is split by pyarrow's CSV parser (columns, not cells, are checked), falling back to
Python's csv module for irregular files so that their messages name the exact row. A big UTF-8
file is read from disk in pieces of lines, each piece's text freed once its numbers are read,
so that memory holds little more than the table of numbers; the rules above still look at
whole columns. A table of numbers is one float64 block, which :func:`select_columns` and the
fit read in place.

The returned frame's index holds the row numbers the user sees: the line number in a text file,
the spreadsheet row in Excel, and the 1-based row for Parquet (which has no header line).
"""

from __future__ import annotations

import collections
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.data.numbers import ColumnRule, NumberRuleError, PlainColumn, check_decimal
from benchlearn.errors import DataError, UsageError

TEXT_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab"}
EXCEL_EXTENSIONS = {".xlsx", ".xlsm"}
PARQUET_EXTENSIONS = {".parquet", ".pq"}
SUPPORTED = sorted(TEXT_EXTENSIONS | EXCEL_EXTENSIONS | PARQUET_EXTENSIONS)


def read_table(
    path: str | Path, *, sheet: str | int | None = None, decimal: str | None = None
) -> pd.DataFrame:
    """Read a CSV, TSV, Excel (.xlsx) or Parquet file into a DataFrame.

    Parameters
    ----------
    path
        The file. It is only read, never changed.
    sheet
        Excel only: the sheet's name or 0-based position (default: the first sheet). A sheet
        whose name is the text given wins over a position: ``"2"`` is the sheet named 2 if
        there is one, else the third sheet; ``df.attrs["sheet"]`` says which was read.
    decimal
        The decimal mark of every column, ``"."`` or ``","``, when the cells cannot settle it
        (see :mod:`benchlearn.data.numbers`). Default: decided per column from its cells.

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
    decimal = check_decimal(decimal)
    path = Path(path)
    check_input_file(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        frame = _read_text(path, default_tab=suffix in {".tsv", ".tab"}, decimal=decimal)
    elif suffix in EXCEL_EXTENSIONS:
        frame = _read_excel(path, sheet, decimal)
    else:
        frame = _read_parquet(path)
    frame.attrs["source"] = name
    return frame


def check_input_file(path: Path) -> None:
    """Refuse a path that is not an existing, non-empty file of a supported type."""
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


# ---------------------------------------------------------------------------- text files
_SAMPLE_BYTES = 1 << 18


def load_text(path: Path) -> tuple[bytes, str]:
    """The file's text as UTF-8 bytes (transcoded if needed) and the encoding it was in.

    Old Mac files (lines ending in a lone CR) get LF line ends. A file with NUL bytes and no
    UTF-16 mark is refused as binary.
    """
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, encoding = raw[3:], "utf-8-sig"
        _check_utf8(raw, path)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw, encoding = raw.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError as error:
            raise DataError(
                "the file says it is UTF-16 text but is damaged",
                where=f"file {path.name}",
                fix="Export the table again as CSV",
            ) from error
    elif (bare := _bare_utf16(raw)) is not None:
        raw, encoding = raw.decode(bare, errors="replace").encode("utf-8"), bare
    elif b"\x00" in raw[:4096]:
        raise DataError(
            "this is not a text table (it contains binary data)",
            where=f"file {path.name}",
            fix="If it came from Excel, save it as .xlsx or 'CSV UTF-8'; instrument project "
            "files must be exported as CSV first",
        )
    elif raw.isascii() or _is_utf8(raw):
        encoding = "utf-8"
    else:
        raw, encoding = raw.decode("cp1252", errors="replace").encode("utf-8"), "cp1252"
    while raw.startswith(b"\xef\xbb\xbf"):  # some exporters write the byte-order mark twice
        raw = raw[3:]
    if b"\r" in raw and b"\n" not in raw:
        raw = raw.replace(b"\r", b"\n")
    return raw, encoding


def bare_utf16(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for UTF-16 text without a byte-order mark, else None.

    Text in UTF-16 has a NUL in every other byte where it is plain ASCII (digits, separators,
    letters); binary files do not show that pattern.
    """
    sample = head[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


_bare_utf16 = bare_utf16


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_utf8(raw: bytes, path: Path) -> None:
    if not _is_utf8(raw):
        raise DataError(
            "the file says it is UTF-8 text but holds bytes that are not UTF-8",
            where=f"file {path.name}",
            fix="Export the table again as 'CSV UTF-8'",
        )


@dataclass
class TextLayout:
    """Where the table is in a text file: found from its first megabyte."""

    delimiter: str
    header_line: int  # 1-based line number of the header row
    data_offset: int  # byte offset of the line after the header
    data_line: int  # its 1-based line number
    names: list[str]  # one per field of the header line (empty for unnamed fields)
    keep: list[int]  # the fields that make the table's columns
    preamble: list[str]


def text_layout(data: bytes, source: str, *, default_tab: bool) -> TextLayout:
    """Find the delimiter, the header row and the columns from the start of ``data``."""
    sample = data if len(data) <= _SAMPLE_BYTES else data[: data.rfind(b"\n", 0, _SAMPLE_BYTES) + 1]
    text = sample.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise DataError(
            "the file has no data, only blank lines",
            where=f"file {source}",
            fix="Export the table again",
        )
    delimiter = "\t" if default_tab else _choose_delimiter(lines)
    try:
        rows, numbers, ends = _split(text, delimiter, source)
    except DataError:
        if len(sample) == len(data):
            raise
        # The sample may cut a quoted field in two: split the whole file to be sure.
        rows, numbers, ends = _split(data.decode("utf-8", errors="replace"), delimiter, source)
    layout = _layout(rows, numbers, source)
    header_at = layout.header_at
    data_line = ends[header_at] + 1
    offset = 0
    for _ in range(data_line - 1):
        found = data.find(b"\n", offset)
        offset = len(data) if found < 0 else found + 1
    return TextLayout(
        delimiter=delimiter,
        header_line=numbers[header_at],
        data_offset=offset,
        data_line=data_line,
        names=[c.strip() for c in rows[header_at]],
        keep=layout.keep if max(layout.keep) < len(rows[header_at]) else [],
        preamble=[delimiter.join(r) for r in rows[:header_at] if any(c.strip() for c in r)],
    )


def _split(text: str, delimiter: str, source: str) -> tuple[list[list[str]], list[int], list[int]]:
    """Rows of cells, the line each starts on and the line each ends on."""
    rows: list[list[str]] = []
    starts: list[int] = []
    ends: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        start = 1
        for row in reader:
            rows.append(row)
            starts.append(start)
            ends.append(reader.line_num)
            start = reader.line_num + 1
    except csv.Error as error:
        raise DataError(
            f"the text cannot be split into cells ({error})",
            where=f"file {source}, row {reader.line_num}",
            fix='Check for an unclosed quote mark (") on that line',
        ) from error
    return rows, starts, ends


def _read_text(path: Path, *, default_tab: bool, decimal: str | None) -> pd.DataFrame:
    frame = _read_plain_text(path, default_tab=default_tab, decimal=decimal)
    if frame is not None:
        return frame
    data, encoding = load_text(path)
    layout = text_layout(data, path.name, default_tab=default_tab)
    size = data.count(b"\n", layout.data_offset) + 1
    frame = (
        _frame_from_text(lambda: _pieces(data, layout), size, layout, decimal)
        if layout.keep
        else None
    )
    if frame is not None:
        del data
        frame.attrs["preamble"] = layout.preamble
        frame.attrs["header_row"] = layout.header_line
    else:  # irregular rows: the csv module finds the exact row to name
        text = data.decode("utf-8", errors="replace")
        del data
        rows_, numbers, _ = _split(text, layout.delimiter, path.name)
        frame = _table_from_grid(rows_, numbers, path.name, decimal=decimal)
    frame.attrs["encoding"] = encoding
    frame.attrs["delimiter"] = layout.delimiter
    return frame


# A piece of a text file: its bytes, where its lines start and stop in them, the number of
# its first line in the file, and whether it is the file's last piece.
Piece = tuple[bytes, int, int, int, bool]
# 1 MiB: pyarrow's memory for splitting a piece is about 5x the piece, and what it and
# the allocators keep grows with it (8 MiB pieces cost 0.5x a 200 MB file on top of its numbers).
_PIECE_BYTES = 1 << 20


def _read_plain_text(path: Path, *, default_tab: bool, decimal: str | None) -> pd.DataFrame | None:
    """A big UTF-8 file read from disk piece by piece, never held whole; None otherwise.

    Only for a file that :func:`load_text` would only strip of its byte-order marks (UTF-8,
    lines ending in LF or CRLF) and whose table is regular; everything else (None) is read
    whole by the general path, which gives the same table and messages.
    """
    if path.stat().st_size <= _PIECE_BYTES:
        return None
    plain = _plain_utf8(path)
    if plain is None:
        return None
    skip, lines, encoding = plain
    with path.open("rb") as stream:
        stream.seek(skip)
        head = stream.read(_SAMPLE_BYTES)
    sample = head[: head.rfind(b"\n") + 1]  # what text_layout samples from the whole file
    try:
        layout = text_layout(sample, path.name, default_tab=default_tab)
    except DataError:  # perhaps a quoted line break cut by the sample: read whole
        return None
    if not layout.keep:
        return None
    size = lines - layout.data_line + 2  # at least the rows under the header
    frame = _frame_from_text(lambda: _file_pieces(path, skip, layout), size, layout, decimal)
    if frame is not None:
        frame.attrs |= {"preamble": layout.preamble, "header_row": layout.header_line,
                        "encoding": encoding, "delimiter": layout.delimiter}  # fmt: skip
    return frame


_BOM = b"\xef\xbb\xbf"


def _plain_utf8(path: Path) -> tuple[int, int, str] | None:
    """For a UTF-8 file with LF line ends: the bytes of its byte-order marks, its number of
    lines and its encoding as :func:`load_text` names it; None for any other file."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with path.open("rb") as stream:
        head = stream.read(max(_PIECE_BYTES, 1 << 16))
        skip = 0
        while head.startswith(_BOM, skip):  # some exporters write the mark twice
            skip += len(_BOM)
        if (
            head.startswith((b"\xff\xfe", b"\xfe\xff"))
            or b"\x00" in head[:4096]
            or bare_utf16(head) is not None
        ):
            return None
        chunk = head[skip:]
        while chunk:
            if not chunk.isascii():
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    return None
            lines += chunk.count(b"\n")
            chunk = stream.read(_PIECE_BYTES)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    if not lines:  # no LF at all: old Mac line ends, which load_text rewrites
        return None
    return skip, lines, "utf-8-sig" if skip else "utf-8"


def _pieces(data: bytes, layout: TextLayout) -> Iterator[Piece]:
    """Consecutive runs of whole lines of ``data`` under the header."""
    start, line = layout.data_offset, layout.data_line
    while start < len(data):
        stop = data.find(b"\n", start + _PIECE_BYTES)
        stop = len(data) if stop < 0 else stop + 1
        yield data, start, stop, line, stop == len(data)
        line += data.count(b"\n", start, stop)
        start = stop


def _file_pieces(path: Path, skip: int, layout: TextLayout) -> Iterator[Piece]:
    """Consecutive runs of whole lines under the header, read from the file one at a time.

    ``skip``: the bytes before the text (byte-order marks), which ``layout`` does not count.
    """
    line = layout.data_line
    pending: bytes | None = None
    carry = b""
    with path.open("rb") as stream:
        stream.seek(skip + layout.data_offset)
        while True:
            raw = stream.read(_PIECE_BYTES)
            if not raw:
                break
            data = carry + raw
            cut = data.rfind(b"\n") + 1
            data, carry = data[:cut], data[cut:]
            if not data:
                continue
            if pending is not None:
                yield pending, 0, len(pending), line, False
                line += pending.count(b"\n")
            pending = data
    if pending is not None and carry:
        yield pending, 0, len(pending), line, False
        line += pending.count(b"\n")
        pending = None
    last = pending if pending is not None else carry
    if last:
        yield last, 0, len(last), line, True


def _frame_from_text(
    pieces: Callable[[], Iterator[Piece]], size: int, layout: TextLayout, decimal: str | None
) -> pd.DataFrame | None:
    """The table under the header, read by pyarrow in pieces of lines; None if it cannot be.

    Each piece's cells are read as numbers (:class:`~benchlearn.data.numbers.PlainColumn`,
    written into one block with room for ``size`` rows of every column, made once) and their
    text freed before the next piece is parsed, so memory holds the numbers and one piece. A
    table of numbers only is that block (one float64 array that :func:`select_columns` and the
    fit read in place). Only a column that is not plain numbers keeps its text, read whole by
    :func:`column_values` (read again if that showed only after its first piece). None, as from
    :func:`parse_block`, sends the file to the csv module.
    """
    import pyarrow as pa

    names = [layout.names[j] for j in layout.keep]
    block = np.empty((len(names), size))  # column k's numbers in block[k]
    plain: list[PlainColumn | None] = [
        PlainColumn(decimal, size, room=block[k]) for k in range(len(names))
    ]
    text: list[list[Any] | None] = [None] * len(names)
    rows: list[np.ndarray] = []
    for data, start, stop, line, last in pieces():
        parsed = parse_block(data, start, line, layout, stop=stop, last=last)
        del data
        if parsed is None:
            return None
        piece_rows, cells = parsed
        del parsed
        rows.append(piece_rows)
        for k in range(len(names)):
            column = cells[k]
            cells[k] = None  # freed as soon as read
            if (kept := text[k]) is not None:
                kept.append(column)
            elif (rule := plain[k]) is not None and not rule.add(column):
                plain[k] = None
                if len(rows) == 1:  # not numbers from the first piece on: keep the text
                    text[k] = [column]
    pa.default_memory_pool().release_unused()  # what pyarrow kept of the pieces' text
    n_rows = sum(len(r) for r in rows)
    if not n_rows:
        return None
    values: list[Any] = [None if rule is None else rule.values() for rule in plain]
    index = _row_index(rows)
    del rows, plain
    unused = size - n_rows > 1 + size // 8  # much room left unused (blank lines): give it back
    if all(v is not None and np.shares_memory(v, block[k]) for k, v in enumerate(values)):
        del values
        numbers = block[:, :n_rows]
        if unused:
            numbers = numbers.copy()
        del block
        frame = pd.DataFrame(numbers.T, index=index, columns=names, copy=False)
        frame.attrs["decimal"] = decimal
        return frame
    again = [k for k in range(len(names)) if values[k] is None and text[k] is None]
    if again:  # the text of these columns is needed whole: read them again
        for k in again:
            text[k] = []
        for data, start, stop, line, last in pieces():
            parsed = parse_block(data, start, line, layout, stop=stop, last=last)
            if parsed is None:  # the file changed since the first reading: read it whole
                return None
            for k in again:
                text[k].append(parsed[1][k])  # type: ignore[union-attr]
    run = [k for k, v in enumerate(values) if v is not None and np.shares_memory(v, block[k])]
    if not run or run != list(range(run[0], run[-1] + 1)) or unused:
        run = []  # numbers in several runs, or much room left unused: a frame of columns
    columns = {}
    for k, name in enumerate(names):
        if values[k] is None:
            chunks = [c for piece in text[k] or [] for c in piece.chunks]
            text[k] = None
            values[k] = column_values(pa.chunked_array(chunks, type=pa.string()), decimal)
            del chunks
        elif unused and np.shares_memory(values[k], block):
            values[k] = values[k].copy()
        columns[name] = values[k]
        values[k] = None
    if not run:
        del block
        frame = pd.DataFrame(columns, index=index, copy=False)
    else:  # the run of number columns stays one block; the other columns go in around it
        numbers = block[run[0] : run[-1] + 1, :n_rows]
        del block
        frame = pd.DataFrame(numbers.T, index=index, columns=names[run[0] : run[-1] + 1],
                             copy=False)  # fmt: skip
        for k, name in enumerate(names):
            if k not in run:  # the columns before position k are in place
                frame.insert(k, name, columns[name])
    frame.attrs["decimal"] = decimal
    return frame


def _row_index(pieces: list[np.ndarray]) -> pd.Index:
    """The row numbers of the pieces' rows: a range (no array) when they follow one another."""
    pieces = [p for p in pieces if len(p)]
    first, last, n = int(pieces[0][0]), int(pieces[-1][-1]), sum(len(p) for p in pieces)
    if last - first == n - 1:  # increasing numbers, so none is skipped
        return pd.RangeIndex(first, last + 1, name="row")
    return pd.Index(np.concatenate(pieces), name="row")


def parse_block(
    data: bytes,
    start: int,
    first_line: int,
    layout: TextLayout,
    *,
    stop: int | None = None,
    last: bool | None = None,
) -> tuple[np.ndarray, list[Any]] | None:
    """Whole lines of a text table, split by pyarrow: (row numbers, the kept columns' cells).

    ``data[start:stop]`` holds the lines, the first of them line ``first_line`` of the file;
    ``last`` says whether they end the file (default: whether ``stop`` ends ``data``).

    Blank rows are left out. None when pyarrow's rows are not one per line (blank lines, line
    breaks inside quotes) or a row has the wrong number of cells: the csv module then reads
    the block so that the message can name the row.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    width = len(layout.names)
    stop = len(data) if stop is None else stop
    block = memoryview(data)[start:stop]
    end = len(block)
    while end and block[end - 1] in b"\r\n":
        end -= 1
    last = stop == len(data) if last is None else last
    if not last and data.count(b"\n", start + end, stop) > 1:
        return None  # blank lines before more rows: as when read whole, the csv module reads it
    if end == 0:
        return np.zeros(0, dtype=np.int64), [pa.chunked_array([], pa.string()) for _ in layout.keep]
    n_lines = data.count(b"\n", start, start + end) + 1
    field_names = [f"f{j}" for j in range(width)]
    try:
        table = pcsv.read_csv(
            pa.py_buffer(block[:end]),
            read_options=pcsv.ReadOptions(column_names=field_names, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=layout.delimiter, newlines_in_values=False),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(field_names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.num_rows != n_lines:  # blank lines or line breaks inside quotes: rows != lines
        return None
    rows = np.arange(first_line, first_line + n_lines)
    columns = {j: table.column(j) for j in range(width)}
    del table
    filled = {j: pc_is_valid(col) for j, col in columns.items()}
    for j in range(width):
        if not layout.names[j] and filled[j].any():
            return None  # values under an unnamed field: the grid reader words the message
    blank = ~np.logical_or.reduce([filled[j] for j in range(width)])
    kept = [columns.pop(j) for j in layout.keep]
    if blank.any():
        rows = rows[~blank]
        kept = [col.filter(pa.array(~blank)) for col in kept]
    return rows, kept


def pc_is_valid(column: Any) -> Any:
    import pyarrow.compute as pc

    return pc.is_valid(column).to_numpy(zero_copy_only=False)


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
_EXCEL_CELL_LIMIT = 20_000_000


def choose_sheet(names: list[str], sheet: str | int | None, source: str) -> str:
    """The sheet asked for: a name wins over a position ("2" is the sheet named 2 if any)."""
    if sheet is None:
        return names[0]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.strip().isdigit()):
        index = int(sheet)
        if not 0 <= index < len(names):
            raise UsageError(
                f"there is no sheet number {index}",
                where=f"file {source}",
                fix=f"The sheets are: {', '.join(map(repr, names))} (numbered from 0)",
            )
        return names[index]
    raise UsageError(
        f"there is no sheet named {sheet!r}",
        where=f"file {source}",
        fix=f"The sheets are: {', '.join(map(repr, names))}",
    )


def _read_excel(path: Path, sheet: str | int | None, decimal: str | None) -> pd.DataFrame:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise DataError(
            "this is not a readable Excel workbook (the file is damaged or not really .xlsx)",
            where=f"file {path.name}",
            fix="Open it in Excel and save it again as .xlsx",
        ) from error
    try:
        names = book.sheetnames
        chosen = choose_sheet(names, sheet, path.name)
        rows, numbers = _sheet_rows(book[chosen], path.name, chosen)
    finally:
        book.close()
    others = [n for n in names if n != chosen]
    hint = f" (the other sheets are: {', '.join(map(repr, others))})" if others else ""
    if not any(any(_cell_text(v).strip() for v in row) for row in rows):
        raise DataError(
            f"sheet {chosen!r} is empty",
            where=f"file {path.name}",
            fix=f"Choose the sheet that holds the table with --sheet NAME{hint}",
        )
    _refuse_uncalculated_formulas(path, chosen, rows, numbers)
    notes = DataError(
        f"the first sheet, {chosen!r}, holds no table of numbers",
        where=f"file {path.name}",
        fix=f"Choose the sheet that holds the table with --sheet NAME{hint}",
    )
    try:
        frame = _table_from_grid(rows, numbers, path.name, decimal=decimal)
    except DataError as error:
        if sheet is None and others and "no table found" in error.what:
            raise notes from error
        raise
    if sheet is None and others and not any(frame[c].dtype.kind == "f" for c in frame.columns):
        raise notes
    frame.attrs["sheet"] = chosen
    return frame


def _sheet_rows(worksheet: Any, source: str, name: str) -> tuple[list[list[Any]], list[int]]:
    """The sheet's rows, each only as wide as its last cell with a value.

    openpyxl pads every row to the sheet's recorded dimensions, which a single stray cell (or a
    wrong dimension record) can make 16,384 columns by a million rows; forgetting the recorded
    dimensions makes it yield only the cells the file holds.
    """
    worksheet.reset_dimensions()
    rows: list[list[Any]] = []
    numbers: list[int] = []
    cells = 0
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        values = list(row)
        while values and (values[-1] is None or str(values[-1]).strip() == ""):
            values.pop()
        cells += len(values)
        if cells > _EXCEL_CELL_LIMIT:
            raise DataError(
                f"sheet {name!r} is too large to read in memory (more than "
                f"{_EXCEL_CELL_LIMIT:,} cells up to row {number})",
                where=f"file {source}",
                fix="Save the table as CSV or Parquet and fit it with --stream",
            )
        if values or (rows and rows[-1]):  # a run of empty rows is kept as one (a separator)
            rows.append(["" if v is None else v for v in values])
            numbers.append(number)
    while rows and not rows[-1]:
        rows.pop()
        numbers.pop()
    return rows, numbers


def _refuse_uncalculated_formulas(
    path: Path, sheet: str, rows: list[list[Any]], numbers: list[int]
) -> None:
    """Formulas whose results were never saved read as empty cells: refuse, naming one."""
    widest = max((len(row) for row in rows), default=0)
    if path.stat().st_size > 20_000_000 or all(len(r) == widest and "" not in r for r in rows):
        return
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        worksheet = book[sheet]
        worksheet.reset_dimensions()
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            for j, value in enumerate(row):
                if not (isinstance(value, str) and value.startswith("=")):
                    continue
                index = number - 1
                cached = rows[index][j] if index < len(rows) and j < len(rows[index]) else ""
                if cached == "":
                    raise DataError(
                        f"cell {get_column_letter(j + 1)}{number} holds a formula ({value}) "
                        "whose result was never saved in the file",
                        where=f"file {path.name}, sheet {sheet!r}, row {number}",
                        fix="Open the file in Excel (or LibreOffice) and save it, so that the "
                        "results are stored; or paste the values",
                    )
    finally:
        book.close()


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception:  # damaged: said below
        names = []
    _check_column_names([str(c) for c in names], path.name, header_row=None)
    try:
        table = pq.read_table(path)
    except Exception as error:  # pyarrow raises several unrelated types for a damaged file
        raise DataError(
            "this is not a readable Parquet file (it is damaged or truncated)",
            where=f"file {path.name}",
            fix="Write the file again",
        ) from error
    _check_column_names([str(c) for c in table.column_names], path.name, header_row=None)
    frame = table.to_pandas()
    if frame.empty:
        raise DataError(
            "the table has no rows",
            where=f"file {path.name}",
            fix="Write the file again with its data",
        )
    frame = frame.reset_index(drop=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame.columns = [str(c) for c in frame.columns]
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_integer_dtype(values) and (values.abs() > 2**53).any():
            continue  # left as integers: select_columns refuses them rather than round them
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            frame[column] = values.astype(float)
    return frame


# ---------------------------------------------------------------------------- the grid
@dataclass
class _Layout:
    header_at: int  # index of the header row among the rows
    names: list[str]  # the columns' names
    keep: list[int]  # the fields holding them


_METADATA_CELL = re.compile(r"(:\s*$)|=|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_LOOKS_NUMERIC = re.compile(r"^[+-]?[\d.,\s\u00a0\u202f']*\d[\d.,\s\u00a0\u202f']*([eE][+-]?\d+)?$")


def _has_number(row: list[str]) -> bool:
    return any(_LOOKS_NUMERIC.match(c.strip()) for c in row if c.strip())


def _find_header(cells: list[list[str]], filled: list[int], width: int) -> int | None:
    """The index of the header row (see rule 3 of the module's docstring)."""
    n = len(cells)

    def data_like(i: int) -> bool:
        return filled[i] >= width and _has_number(cells[i])

    first_data = next(
        (
            i
            for i in range(1, n)
            if data_like(i) and filled[i - 1] >= width and not _has_number(cells[i - 1])
        ),
        None,
    )
    if first_data is not None:
        header = first_data - 1
        while (
            header > 0
            and filled[header - 1] >= width
            and not _has_number(cells[header - 1])
            and not _has_number(cells[header])
            and not any(_METADATA_CELL.search(c.strip()) for c in cells[header - 1] if c.strip())
        ):
            header -= 1
        return header
    for i, w in enumerate(filled):  # a table of text only: a line followed by one as wide
        if w == width and any(filled[j] == width for j in range(i + 1, min(i + 3, n))):
            return i
    return None


def _layout(rows: list[list[Any]], numbers: list[int], source: str) -> _Layout:
    """Find the header and the columns, refusing what cannot be a table."""
    cells = [row if all(type(v) is str for v in row) else [_cell_text(v) for v in row]
             for row in rows]  # fmt: skip
    filled = [_filled_width(row) for row in cells]
    widths = [w for w in filled if w > 0]
    if not widths:
        raise DataError("the file has no data", where=f"file {source}", fix="Export it again")
    common = collections.Counter(w for w in widths if w > 1).most_common(1)
    width = common[0][0] if common else 1
    header_at = _find_header(cells, filled, width)
    if header_at is None:
        raise DataError(
            "no table found: there is a header line but no data rows under it",
            where=f"file {source}",
            fix="The file needs a header row followed by at least one row of values",
        )
    header = [c.strip() for c in cells[header_at]]
    named = _filled_width(header)
    body = [i for i in range(header_at + 1, len(cells)) if filled[i]]
    for i in body:
        if filled[i] > max(named, width):
            raise DataError(
                f"this row has more cells than the header has names ({filled[i]} vs {named})",
                where=f"file {source}, row {numbers[i]}",
                fix="Check for a stray separator or value in that row (in a spreadsheet it may "
                "be far to the right), or give the extra column a name",
            )
    ncols = max([named, width] + [filled[i] for i in body]) if body else named
    keep = [
        j
        for j in range(ncols)
        if (j < len(header) and header[j])
        or any(j < len(cells[i]) and cells[i][j].strip() for i in body)
    ]
    unnamed = [j for j in keep if j >= len(header) or not header[j]]
    records = [cells[i] for i in body]
    if unnamed and _is_plate_layout(header + [""] * (ncols - len(header)), records):
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
    if not body:
        raise DataError(
            "the table has a header but no rows of data",
            where=f"file {source}",
            fix="Add the measurements under the header row",
        )
    return _Layout(header_at=header_at, names=names, keep=keep)


def _table_from_grid(
    rows: list[list[Any]], numbers: list[int], source: str, *, decimal: str | None
) -> pd.DataFrame:
    layout = _layout(rows, numbers, source)
    body = [
        i
        for i in range(layout.header_at + 1, len(rows))
        if any(_cell_text(v).strip() for v in rows[i])
    ]
    columns = [[rows[i][j] if j < len(rows[i]) else "" for i in body] for j in layout.keep]
    frame = _frame_from_columns(
        layout.names, columns, np.asarray([numbers[i] for i in body]), decimal=decimal
    )
    frame.attrs["preamble"] = [
        ",".join(_cell_text(v) for v in row)
        for row in rows[: layout.header_at]
        if any(_cell_text(v).strip() for v in row)
    ]
    frame.attrs["header_row"] = numbers[layout.header_at]
    return frame


def _frame_from_columns(
    names: list[str], columns: list[Any], rows: np.ndarray, *, decimal: str | None
) -> pd.DataFrame:
    """Numbers where a whole column is numbers under one rule; text (stripped) otherwise."""
    data = {}
    columns.reverse()
    for name in names:  # one column at a time, its text freed as its numbers are made
        data[name] = column_values(columns.pop(), decimal)
    frame = pd.DataFrame(data, index=pd.Index(rows, name="row"), copy=False)
    frame.attrs["decimal"] = decimal
    return frame


def column_values(column: Any, decimal: str | None) -> np.ndarray:
    """One column's cells as floats if the number rule reads them all, else as text.

    ``column`` is a pyarrow string array (text files) or a list of cell values (Excel: numbers
    stay numbers; only text cells go through the rule).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, list):
        native = [isinstance(v, int | float) and not isinstance(v, bool) for v in column]
        texts = [
            None if n or v is None or str(v).strip() == "" else str(v)
            for v, n in zip(column, native, strict=True)
        ]
        arrow = pa.array(texts, type=pa.string())
        try:
            values = ColumnRule(decimal=decimal).read(arrow)
        except NumberRuleError:
            return np.asarray([_cell_text(v).strip() for v in column], dtype=object)
        for i, is_native in enumerate(native):
            if is_native:
                values[i] = float(column[i])
        return values
    try:
        return ColumnRule(decimal=decimal).read(column)
    except NumberRuleError:
        text = pc.fill_null(pc.utf8_trim_whitespace(column), "")
        return text.to_numpy(zero_copy_only=False).astype(object)


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
    while width and not str(row[width - 1]).strip():
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


def parse_number(value: str, decimal_comma: bool = False) -> float | None:
    """The number one cell reads as under one decimal mark (NaN if empty), or None if none.

    For a single cell only (e.g. a lesson's check that a column looks numeric); whole columns
    are read by :class:`benchlearn.data.numbers.ColumnRule`, which settles the marks.
    """
    import pyarrow as pa

    text = str(value).strip()
    if text == "":
        return np.nan
    try:
        return float(ColumnRule(decimal="," if decimal_comma else ".").read(pa.array([text]))[0])
    except NumberRuleError:
        return None
