"""Writing output files safely: never over an input, never over a user's file unless asked, never
half-written, and all of a run's outputs together or none.

:func:`write_outputs` is the one way a run writes files: it checks every output first (a name
given twice, an output that is one of the run's inputs — by resolved path or as the same file
through a hard or symbolic link, a missing or read-only folder, a folder in place of a file, a
name too long for the file system), renders them all, writes each to a temporary file next to
its destination, and only then gives them their names. SIGTERM and SIGHUP are treated like
Ctrl-C while it writes: the temporary files are removed and nothing is left half-done.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from benchlearn.errors import UsageError

Content = str | bytes | Callable[[], str | bytes]
_TEMP_PREFIX = ".benchlearn-"


def write_atomically(path: str | Path, content: str | bytes, *, force: bool = False) -> Path:
    """Write ``content`` to ``path`` all at once (one output; see :func:`write_outputs`).

    Parameters
    ----------
    path
        Destination.
    content
        Text (written as UTF-8) or bytes.
    force
        Replace an existing file. Without it an existing file is refused.

    Raises
    ------
    UsageError
        ``path`` exists and ``force`` is false, or it cannot be written (see
        :func:`check_outputs`).
    """
    return write_outputs({path: content}, force=force)[0]


def write_outputs(
    outputs: Mapping[str | Path, Content],
    *,
    inputs: Iterable[str | Path | None] = (),
    force: bool = False,
) -> list[Path]:
    """Write all of a run's output files, or none of them.

    Parameters
    ----------
    outputs
        Destination -> content: text (UTF-8), bytes, or a function returning either (called
        after every destination has been checked, so that slow rendering is not wasted).
    inputs
        The files the run read: no output may replace one of them, even with ``force``.
    force
        Replace existing files (never an input).

    Returns
    -------
    list of Path
        The files written, in the order given.

    Raises
    ------
    UsageError
        Any output that cannot or must not be written; nothing is written then.
    """
    paths = check_outputs(list(outputs), inputs=inputs, force=force)
    contents = []
    for content in outputs.values():
        data = content() if callable(content) else content
        contents.append(data.encode("utf-8") if isinstance(data, str) else data)
    temporaries: list[Path] = []
    inodes: list[int] = []
    with _signals_as_interrupts():
        try:
            for path, data in zip(paths, contents, strict=True):
                temporaries.append(_write_temporary(path, data))
                inodes.append(temporaries[-1].stat().st_ino)
            for path, temporary in zip(paths, temporaries, strict=True):
                _publish(temporary, path, force)
        except BaseException:
            for temporary in temporaries:
                temporary.unlink(missing_ok=True)
            if not force:  # take back the outputs this run already named, never another file
                for path, inode in zip(paths, inodes, strict=False):
                    with contextlib.suppress(OSError):
                        if path.stat().st_ino == inode:
                            path.unlink()
            raise
    return paths


def check_outputs(
    outputs: Iterable[str | Path | None],
    *,
    inputs: Iterable[str | Path | None] = (),
    force: bool = False,
) -> list[Path]:
    """The outputs as paths, after checking that each can and may be written.

    ``None`` entries are skipped (an option that was not given). Call it before a long
    computation so that a bad output name fails fast; :func:`write_outputs` checks again.
    """
    paths: list[Path] = []
    sources = [Path(p) for p in inputs if p is not None and str(p) not in ("", "-")]
    for given in outputs:
        if given is None:
            continue
        if str(given).strip() == "":
            raise UsageError(
                "the output file name is empty", fix="Give a file name, e.g. --report fit.html"
            )
        path = Path(given)
        for earlier in paths:
            if _same_file(earlier, path):
                raise UsageError(
                    "the same output file is given twice",
                    where=f"file {path}",
                    fix="Give each output (--report, --json, ...) its own file name",
                )
        for source in sources:
            if _same_file(source, path):
                raise UsageError(
                    "this output would replace an input file of the same run (--force never "
                    "allows that)",
                    where=f"file {path}",
                    fix="Write the output under another name",
                )
        _check_destination(path, force)
        paths.append(path)
    return paths


def _same_file(a: Path, b: Path) -> bool:
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)  # hard links and symbolic links too
    except OSError:
        pass
    return os.path.abspath(a) == os.path.abspath(b) or a.resolve() == b.resolve()


def _check_destination(path: Path, force: bool) -> None:
    try:
        limit = os.pathconf(path.parent if path.parent.exists() else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(path.name)) > limit:
        raise UsageError(
            f"the file name is longer than the file system allows ({limit} bytes)",
            where=f"file {str(path)[:60]}...",
            fix="Choose a shorter name",
        )
    if path.is_dir():
        raise UsageError(
            "this is a folder; an output must be a file",
            where=f"file {path}",
            fix=f"Give a file name inside it, e.g. {path / 'report.html'}",
        )
    if path.exists() and not force:
        raise _already_exists(path)
    folder = path.parent
    if not folder.exists():
        raise UsageError(
            "the folder for the output file does not exist",
            where=f"file {path}",
            fix=f"Create the folder {folder} first, or write somewhere else",
        )
    if not folder.is_dir():
        raise UsageError(
            f"{folder} is a file, not a folder",
            where=f"file {path}",
            fix="Write the output somewhere else",
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(
            "the output's folder cannot be written to (no permission, or read-only)",
            where=f"file {path}",
            fix="Write the output somewhere else",
        )


def _write_temporary(path: Path, data: bytes) -> Path:
    # A short fixed prefix: a temporary name built from a long output name could be too long.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX, suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private (0600); give it the permissions any new file gets.
        os.chmod(temporary, 0o666 & ~_umask())
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UsageError(
            f"the output could not be written ({error.strerror or error})",
            where=f"file {path}",
            fix="Check the free space and permissions of the folder, or write somewhere else",
        ) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _publish(temporary: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails if ``path`` exists: no window for a race
    except FileExistsError:
        raise _already_exists(path) from None
    except OSError:  # a file system without hard links
        os.replace(temporary, path)
        return
    temporary.unlink()


@contextlib.contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    """SIGTERM and SIGHUP raise KeyboardInterrupt (as Ctrl-C does) while files are written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(number: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(number).name)

    kinds = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    previous = {kind: signal.signal(kind, interrupt) for kind in kinds}
    try:
        yield
    finally:
        for kind, handler in previous.items():
            signal.signal(kind, handler)


def _already_exists(path: Path) -> UsageError:
    return UsageError(
        "the output file already exists and was left untouched",
        where=f"file {path}",
        fix="Choose another name, or add --force to replace it",
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_text(payload: object) -> str:
    """``payload`` as indented JSON in which every non-finite number is ``null``.

    JSON has no NaN or infinity (Python's ``json`` would write ``NaN``, which other programs
    refuse); a value that is not a finite number is not known, so it is written as null. NumPy
    scalars and arrays are written as plain numbers and lists.
    """
    import json

    return json.dumps(_finite(payload), indent=2, allow_nan=False)


def _finite(value: object) -> object:
    import math

    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):  # NumPy values
        return _finite(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
