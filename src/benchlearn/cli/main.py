"""The ``benchlearn`` command: registers the sub-commands and turns user errors into messages.

Start-up must stay fast (``benchlearn --help`` well under half a second), so this module and the
sub-command modules import only typer and the standard library at module level; NumPy, pandas,
the estimators and the lesson are imported inside the commands that need them.
"""

from __future__ import annotations

import sys

from benchlearn.cli.app import app
from benchlearn.errors import BenchlearnError


def _register_commands() -> None:
    # Each sub-command module adds its own commands to ``app`` when imported.
    from benchlearn.cli import commands  # noqa: F401


def report_user_error(error: BenchlearnError) -> None:
    """Print a user error as one paragraph on standard error (no traceback)."""
    from rich.console import Console
    from rich.text import Text

    # Text, not markup: a message quoting a cell such as "[x]" must print as written.
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        Text.assemble(("Error: ", "bold red"), error.message)
    )


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 0 on success and 2 on a usage or data error."""
    _register_commands()
    try:
        app(args=argv, prog_name="benchlearn")
    except BenchlearnError as error:
        report_user_error(error)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main(sys.argv[1:])
