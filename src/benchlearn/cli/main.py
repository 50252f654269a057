"""The ``benchlearn`` command: registers the sub-commands and turns user errors into messages.

Exit status: 0 success, 2 a usage or data error (a message saying what to fix), 3 an unexpected
problem, i.e. a bug in benchlearn (a short message asking for a report; ``BENCHLEARN_DEBUG=1``
shows the traceback).

Start-up must stay fast (``benchlearn --help`` well under half a second), so this module and the
sub-command modules import only typer and the standard library at module level; NumPy, pandas,
the estimators and the lesson are imported inside the commands that need them.
"""

from __future__ import annotations

import contextlib
import os
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


BUG_REPORT_HINT = (
    "This is a bug in benchlearn, not a problem with your data or options. Please report it "
    "with the command you ran (and, if you can, the file) to the benchlearn maintainers; "
    "run again with BENCHLEARN_DEBUG=1 to see the full traceback."
)


def report_unexpected_error(error: BaseException) -> None:
    """A short paragraph for an exception benchlearn did not expect (no traceback)."""
    from rich.console import Console
    from rich.text import Text

    detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        Text.assemble(
            ("Error: ", "bold red"),
            f"benchlearn stopped on an unexpected problem ({type(error).__name__}"
            + (f": {detail}" if detail else "")
            + "). ",
            BUG_REPORT_HINT,
        )
    )


def _option_like_file_hint(argv: list[str]) -> str | None:
    """A hint when an argument meant as a file name starts with '-' (e.g. ``-data.csv``)."""
    from pathlib import Path

    for arg in argv:
        option_like = arg.startswith("-") and not arg.startswith("--") and len(arg) > 2
        if option_like and ("." in arg or Path(arg).exists()):
            return (
                f"Hint: {arg!r} was read as an option because it starts with '-'. If it is a "
                f"file, write it as ./{arg} (or put -- before it)."
            )
    return None


def _tolerant_console_streams() -> None:
    # A console that cannot show a character (sigma on a cp1252 console) gets '?' instead of
    # a UnicodeEncodeError in the middle of the results.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if reconfigure is not None and encoding not in ("utf8", "utf16", "utf32"):
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 0 on success, 2 on a usage or data error, 3 on a bug."""
    _register_commands()
    _tolerant_console_streams()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        app(args=args, prog_name="benchlearn")
    except BenchlearnError as error:
        report_user_error(error)
        raise SystemExit(2) from None
    except SystemExit as done:
        if done.code == 2 and (hint := _option_like_file_hint(args)):
            print(hint, file=sys.stderr)
        raise
    except Exception as error:  # the net: anything else is a bug, said in one paragraph
        if os.environ.get("BENCHLEARN_DEBUG"):
            raise
        report_unexpected_error(error)
        raise SystemExit(3) from None


if __name__ == "__main__":
    main(sys.argv[1:])
