"""Writing output files safely: never over a user's file unless asked, never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchlearn.errors import UsageError


def write_atomically(path: str | Path, content: str | bytes, *, force: bool = False) -> Path:
    """Write ``content`` to ``path`` all at once.

    The content goes to a temporary file in the same folder, which then replaces ``path`` in a
    single step: a reader never sees a half-written file, and an interrupted run leaves nothing.

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
        ``path`` exists and ``force`` is false, or its folder does not exist.
    """
    path = Path(path)
    if path.exists() and not force:
        raise _already_exists(path)
    if not path.parent.exists():
        raise UsageError(
            "the folder for the output file does not exist",
            where=f"file {path}",
            fix=f"Create the folder {path.parent} first, or write somewhere else",
        )
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private (0600); give it the permissions any new file gets.
        os.chmod(temporary, 0o666 & ~_umask())
        if force:
            os.replace(temporary, path)
        else:
            _publish_without_replacing(Path(temporary), path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _publish_without_replacing(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the name ``path`` unless a file of that name appeared meanwhile."""
    try:
        os.link(temporary, path)  # fails if ``path`` exists: no window for a race
    except FileExistsError:
        raise _already_exists(path) from None
    except OSError:  # a file system without hard links
        os.replace(temporary, path)
        return
    temporary.unlink()


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
