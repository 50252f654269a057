"""What every ``benchlearn`` command does with its outputs: check them all before the work,
then write them together.

Shared by the sub-command modules, which do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

DecimalOption = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        help="The decimal mark, '.' or ',', when the file cannot settle it (a cell such as "
        "12,345 reads as 12345 or 12.345; benchlearn refuses rather than guess).",
    ),
]


class RunOutputs:
    """The files one run writes (``--json``, ``--report``): all checked before the work starts,
    then written together, or none of them.

    No output may replace one of ``inputs`` (even with ``force``, through any path or link),
    the same path may not be named twice, and an existing file needs ``force``.
    """

    def __init__(
        self,
        *,
        json_out: str | None,
        report: Path | None,
        inputs: Iterable[Path | None],
        force: bool,
    ) -> None:
        from benchlearn.files import check_outputs

        self.json_out, self.report, self.force = json_out, report, force
        self.inputs = [p for p in inputs if p is not None]
        self._contents: dict[str | Path, str | Callable[[], str]] = {}
        check_outputs(self.paths, inputs=self.inputs, force=force)

    @property
    def paths(self) -> list[str | Path]:
        """The files named (standard output, ``--json -``, is not a file)."""
        named: list[str | Path] = [] if self.json_out in (None, "-") else [self.json_out]
        return named + ([] if self.report is None else [self.report])

    def json(self, payload: dict[str, Any]) -> None:
        """Every number as JSON (non-finite numbers as null): printed now for ``-``."""
        from benchlearn.files import json_text

        if self.json_out is None:
            return
        text = json_text(payload)
        if self.json_out == "-":
            typer.echo(text)
        else:
            self._contents[self.json_out] = text + "\n"

    def html(self, render: Callable[[], str]) -> None:
        """The report, rendered only once every output has been checked again."""
        if self.report is not None:
            self._contents[self.report] = render

    def write(self, console: Any) -> None:
        """Write what was given, together; say where."""
        from benchlearn.files import write_outputs

        if not self._contents:
            return
        write_outputs(self._contents, inputs=self.inputs, force=self.force)
        for path in self._contents:
            what = "numbers" if path == self.json_out else "report"
            console.print(f"Wrote the {what} to {path}")
