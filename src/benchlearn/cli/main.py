"""The ``benchlearn`` command: registers the sub-commands and turns user errors into messages.

Start-up must stay fast (``benchlearn --help`` well under half a second), so this module and the
sub-command modules import only typer and the standard library at module level; NumPy, pandas,
the estimators and the lesson are imported inside the commands that need them.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from benchlearn import __version__
from benchlearn.errors import BenchlearnError

app = typer.Typer(
    name="benchlearn",
    help=(
        "Machine-learning fundamentals for people at the lab bench.\n\n"
        "Run the interactive lesson, fit regressions and standard curves to your own "
        "CSV/Excel files, and explore the bundled biotech datasets."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"benchlearn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and exit.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Machine-learning fundamentals for people at the lab bench."""


def _register_commands() -> None:
    # Each sub-command module adds its own commands to ``app`` when imported.
    from benchlearn.cli import commands  # noqa: F401


def report_user_error(error: BenchlearnError) -> None:
    """Print a user error as one paragraph on standard error (no traceback)."""
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"[bold red]Error:[/bold red] {error.message}", markup=True
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
