"""What every ``benchlearn`` command does with its outputs: refuse to overwrite, write JSON.

Shared by the sub-command modules, which do not import each other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from benchlearn.errors import UsageError


def refuse_existing(paths: list[Path | None], force: bool) -> None:
    """Refuse an existing output file unless ``force``.

    Checked before the fit, so a long fit is not wasted on an output that will be refused.
    """
    for path in paths:
        if path is not None and path.exists() and not force:
            raise UsageError(
                "the output file already exists and was left untouched",
                where=f"file {path}",
                fix="Choose another name, or add --force to replace it",
            )


def output_paths(report: Path | None, json_out: str | None) -> list[Path | None]:
    """The files the options name (standard output, ``--json -``, is not a file)."""
    return [report, None if json_out in (None, "-") else Path(json_out)]


def sheet_option(sheet: str | None) -> str | int | None:
    """``--sheet``: a name, or a position when it is a whole number."""
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def write_json(payload: dict[str, Any], json_out: str, force: bool, console: Any) -> None:
    """Every number as JSON: to standard output for '-', else atomically to the file named."""
    text = json.dumps(payload, indent=2, allow_nan=False)
    if json_out == "-":
        typer.echo(text)
        return
    from benchlearn.files import write_atomically

    write_atomically(json_out, text + "\n", force=force)
    console.print(f"Wrote the numbers to {json_out}")
