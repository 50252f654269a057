"""The errors and warnings benchlearn raises: every one of them is defined here.

Errors are a user's mistake. Every face of the product (library, command line, lesson, report)
reports them the same way: one paragraph that says what is wrong, where, and how to fix it. The
command line turns a :class:`BenchlearnError` into that paragraph and exit status 2, never a
traceback. Warnings say that a result stands but needs a second look; the command line and the
report print their messages.
"""

from __future__ import annotations


class BenchlearnError(Exception):
    """A problem the user can fix (bad input, a wrong option), as opposed to a bug.

    Parameters
    ----------
    what
        What is wrong, in plain words.
    where
        Where it is (a file, a row, a column, an option), if that is known.
    fix
        What the user can do about it.
    """

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The one-paragraph message: where, what, and how to fix it."""
        parts = [f"{self.where}: {self.what}" if self.where else self.what]
        if self.fix:
            parts.append(self.fix)
        return " ".join(_sentence(p) for p in parts)


class DataError(BenchlearnError, ValueError):
    """The data cannot be used as given: a file, a column or a value is wrong.

    Also a :class:`ValueError`, so that code written for scikit-learn's conventions catches it.

    Parameters
    ----------
    what, where, fix
        As for :class:`BenchlearnError`.
    path
        The file the data came from, if any.
    row
        The row number as the user sees it in their file or spreadsheet (1-based, counting the
        header line), if the problem is in one row.
    column
        The column's name, if the problem is in one column.
    """

    def __init__(
        self,
        what: str,
        *,
        where: str | None = None,
        fix: str | None = None,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = path
        self.row = row
        self.column = column
        if where is None:
            where = _describe_location(path, row, column)
        super().__init__(what, where=where, fix=fix)


class UsageError(BenchlearnError, ValueError):
    """An option or argument does not make sense (a column that does not exist, a bad degree)."""


class CollinearityWarning(UserWarning):
    """Some predictors are (nearly) linear combinations of others."""


class DivergenceWarning(UserWarning):
    """Gradient descent stopped because the loss was growing instead of shrinking."""


class MissingValuesDropped(UserWarning):
    """Rows with empty cells were left out because the user asked for it."""


class CurveShapeWarning(UserWarning):
    """A standard curve bends away from a straight line, or turns back inside its range."""


class FitError(BenchlearnError, RuntimeError):
    """The model could not be fitted to these data: the optimiser did not converge, or a
    parameter cannot be determined from them (e.g. a plateau the data never approach)."""


class WeightWarning(UserWarning):
    """A weighted fit's prediction was made without the new reading's weight (1 assumed)."""


def _describe_location(path: str | None, row: int | None, column: str | None) -> str | None:
    bits = []
    if path is not None:
        bits.append(f"file {path!s}")
    if row is not None:
        bits.append(f"row {row}")
    if column is not None:
        bits.append(f"column `{column}`")
    return ", ".join(bits) or None


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
