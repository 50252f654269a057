"""``benchlearn lesson``: serve an interactive lesson in the browser, to its learner only
(or, with ``--classroom``, to a room on the local network)."""

import signal
from pathlib import Path
from typing import Annotated

import typer

from benchlearn.cli.app import app


@app.command("lesson")
def lesson_command(
    number: Annotated[int, typer.Argument(help="Which lesson (1).")] = 1,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default: any free port).")
    ] = None,
    classroom: Annotated[
        bool,
        typer.Option(
            "--classroom",
            metavar="",
            help="Serve a room: listen on the local network (not only this computer) and print "
            "a join link, with this launch's secret, to share with the class.",
        ),
    ] = False,
    no_browser: Annotated[
        bool,
        typer.Option("--no-browser", metavar="", help="Print the address; do not open a browser."),
    ] = False,
    present: Annotated[
        bool,
        typer.Option(
            "--present",
            metavar="",
            help="Open the lesson as slides, for presenting to a class. The same server serves "
            "the learners' page: with --classroom the join link opens the page and the slides "
            "open here.",
        ),
    ] = False,
    prepare: Annotated[
        bool,
        typer.Option(
            "--prepare/--no-prepare",
            help="Prepare the lesson (compute its data and figures once, for every learner) "
            "before printing the link, so every page opens fast; --no-prepare prints the link "
            "at once and the first page opens slowly.",
        ),
    ] = True,
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

    The lesson runs on this computer (127.0.0.1) and needs no internet. Its link carries a
    secret made for this launch: only a browser given the link can use the lesson. Press Ctrl+C
    here to stop it.

    Example: benchlearn lesson 1

    For an instructor serving a room on the local network: benchlearn lesson 1 --classroom
    (add --present to show the slides from the same server)

    For a class handout that opens from disk: benchlearn lesson 1 --export lesson1.html
    """
    if export is not None:
        from benchlearn.lessons.export import write_handout

        typer.echo(f"Writing the handout of lesson {number} (this takes a few seconds)...")
        written = write_handout(export, number, force=force)
        typer.echo(f"Wrote {written}. Open it in any browser; it needs no internet.")
        return
    from benchlearn.lessons.server import start_lesson

    if prepare:
        typer.echo(
            f"Preparing lesson {number}: computing its data and figures once, so every page "
            "opens fast (about 15 s; up to a few minutes on a busy computer)..."
        )
    else:
        typer.echo(f"Starting lesson {number} (this takes a few seconds)...")
    server = start_lesson(number, port=port, present=present, classroom=classroom, warm=prepare)
    # A polite "kill" (SIGTERM) must stop the marimo server too, as Ctrl+C does.
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    try:
        if classroom:
            typer.echo(
                f"Lesson {number} is running for a classroom. Join link:\n\n  {server.page_url}\n"
            )
            typer.echo(
                "Anyone on this local network who has the link can open the lesson: share it "
                "with the class only (e.g. on the projector). It changes at every start. "
                "Press Ctrl+C to stop."
            )
            if present:
                typer.echo(
                    f"\nYour slides, from the same server as the class's pages:\n\n  "
                    f"{server.deck_url}\n"
                )
        else:
            typer.echo(f"Lesson {number} is running at {server.url}")
            typer.echo(
                "Open that address in your browser; it holds a secret made for this launch, "
                "so only you can use the lesson. Press Ctrl+C to stop."
            )
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
