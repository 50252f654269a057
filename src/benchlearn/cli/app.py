"""The ``benchlearn`` Typer application that every sub-command module adds its commands to."""

from typing import Annotated

import typer

from benchlearn import __version__

app = typer.Typer(
    name="benchlearn",
    help=(
        "Machine-learning fundamentals for people at the lab bench.\n\n"
        "Run the interactive lesson, fit regressions and standard curves to your own "
        "CSV/Excel files, and explore the bundled biotech datasets."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
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
            metavar="",
            help="Show the version and exit.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Machine-learning fundamentals for people at the lab bench."""
