"""``benchlearn lesson``: serve an interactive lesson in the browser, on this computer only."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer

from benchlearn.cli.app import app


@app.command("lesson")
def lesson_command(
    number: Annotated[int, typer.Argument(help="Which lesson (1).")] = 1,
    port: Annotated[
        int | None, typer.Option(help="Port on 127.0.0.1 (default: any free port).")
    ] = None,
    no_browser: Annotated[
        bool,
        typer.Option("--no-browser", metavar="", help="Print the address; do not open a browser."),
    ] = False,
    present: Annotated[
        bool,
        typer.Option("--present", metavar="", help="Slides layout, for presenting to a class."),
    ] = False,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            metavar="FILE.html",
            help="Write the lesson as one offline HTML handout (text, figures, questions with "
            "folded answers, glossary) instead of starting it.",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="With --export: replace an existing file.")
    ] = False,
) -> None:
    """Open the interactive lesson: learn machine learning by doing, on lab data.

    The lesson runs on this computer (127.0.0.1) and needs no internet. Press Ctrl+C here to
    stop it.

    Example: benchlearn lesson 1

    For a class handout that opens from disk: benchlearn lesson 1 --export lesson1.html
    """
    if export is not None:
        from benchlearn.lessons.export import write_handout

        typer.echo(f"Writing the handout of lesson {number} (this takes a few seconds)...")
        written = write_handout(export, number, force=force)
        typer.echo(f"Wrote {written}. Open it in any browser; it needs no internet.")
        return
    from benchlearn.lessons.server import start_lesson

    typer.echo(f"Starting lesson {number} (this takes a few seconds)...")
    server = start_lesson(number, port=port, present=present)
    # A polite "kill" (SIGTERM) must stop the marimo server too, as Ctrl+C does.
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    try:
        typer.echo(f"Lesson {number} is running at {server.url}")
        typer.echo("Open that address in your browser. Press Ctrl+C to stop.")
        if not no_browser:
            import webbrowser

            webbrowser.open(server.url)
        server.process.wait()
    except KeyboardInterrupt:
        typer.echo("\nStopping the lesson.")
    finally:
        server.stop()


def _exit_on_terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
