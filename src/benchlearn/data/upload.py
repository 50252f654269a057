"""Reading a file that arrives as bytes with a name chosen elsewhere (a browser upload).

The name comes from the learner's computer and can be anything: ``..``, a path, characters a
file system refuses, hundreds of characters. :func:`read_upload` writes the bytes under a safe
version of that name in a fresh private folder and reads them with
:func:`~benchlearn.data.read_table`, so every outcome is either a table or the data layer's own
message (:class:`~benchlearn.errors.DataError` / :class:`~benchlearn.errors.UsageError`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from benchlearn.data.reader import read_table

FALLBACK_NAME = "upload"
MAX_NAME_BYTES = 200  # file systems allow 255 bytes; leave room
# Names Windows reserves whatever the extension.
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                   *(f"LPT{i}" for i in range(10))}  # fmt: skip


def upload_file_name(name: object) -> str:
    """A plain file name for ``name``: its last path part, printable, never ``.``/``..``.

    The extension is kept (it decides how the file is read) and the learner's own name is kept
    wherever it is a usable file name, so messages name the file they chose.

    Examples
    --------
    >>> upload_file_name("C:\\\\plates\\\\run 3.csv"), upload_file_name("..")
    ('run 3.csv', 'upload')
    """
    text = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    if not text.strip("."):
        return FALLBACK_NAME
    path = Path(text)
    suffix = path.suffix if len(path.suffix.encode()) <= 16 else ""
    stem = text[: len(text) - len(suffix)] if suffix else text
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    if stem.split(".")[0].upper() in WINDOWS_DEVICES or not stem.strip(". "):
        stem = f"{FALLBACK_NAME}-{stem}".rstrip("-. ")
    return stem + suffix


def read_upload(name: object, contents: bytes) -> pd.DataFrame:
    """Read uploaded bytes as the table file ``name`` (CSV, TSV, Excel or Parquet by extension).

    Parameters
    ----------
    name
        The name the file had on the learner's computer (any text).
    contents
        The file's bytes.

    Returns
    -------
    DataFrame
        As :func:`~benchlearn.data.read_table`; ``attrs["source"]`` is the safe file name.

    Raises
    ------
    DataError, UsageError
        The data layer's messages (empty file, unsupported type, malformed table, ...).
    """
    file_name = upload_file_name(name)
    with tempfile.TemporaryDirectory(prefix="benchlearn-upload-") as folder:
        path = Path(folder) / file_name
        path.write_bytes(bytes(contents))
        return read_table(path)
