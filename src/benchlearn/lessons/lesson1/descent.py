"""The line found two ways: solved exactly, and by gradient descent step by step."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

SCALING_STEPS = 200


def exact_line(X: pd.DataFrame, y: pd.Series) -> tuple[Any, float]:
    """The exact least-squares line and its mean squared error, as the page computes them.

    The one place where the lesson fits a line to the data in use (its own or the learner's)
    outside the page's cells: the sliders' ranges are centred on it.
    """
    from benchlearn import LinearRegression
    from benchlearn.evaluate import mean_squared_error

    exact = LinearRegression(solver="exact").fit(X, y)
    return exact, mean_squared_error(y, exact.predict(X))


@dataclass(frozen=True)
class Descent:
    """A gradient-descent run of a given number of steps from (0, 0).

    Attributes
    ----------
    history : DataFrame
        ``step, loss, grad_norm, intercept, <feature>``, one row per step, step 0 the start.
    diverged : bool
        The optimizer stopped because the loss ran away.
    growing : bool
        The loss at the last step is above the loss at the start.
    limit : float
        ``2/L``: learning rates above it diverge on this loss surface.
    learning_rate : float
        The learning rate of the steps.
    """

    history: pd.DataFrame
    diverged: bool
    growing: bool
    limit: float
    learning_rate: float = float("nan")


def descent_so_far(model: Any, X: pd.DataFrame, steps: int) -> Descent:
    """The record of a gradient-descent fit after ``steps`` steps (0 = just the start).

    Parameters
    ----------
    model : LinearRegression
        Fitted on ``X`` with ``solver="gd"`` and ``max_iter`` at least ``steps`` (the page fits
        once per learning rate with the most steps the buttons allow); its history is cut to
        ``steps + 1`` rows, so 0 steps is just the start. The steps are the same as those of a
        fit stopped after ``steps``: each depends only on the ones before.
    X : DataFrame
        The data it was fitted on (for the loss surface's curvature L).
    steps : int
        The steps the learner has taken.
    """
    history = model.history_.iloc[: int(steps) + 1].reset_index(drop=True)
    # diverged_ is set exactly when the optimizer stopped with a DivergenceWarning, at the
    # last step of its history: the learner has seen it stop once they reached that step
    last_step = int(model.history_["step"].iloc[-1])
    diverged = steps > 0 and bool(model.diverged_) and steps >= last_step
    loss = history["loss"].to_numpy()
    growing = bool(len(loss) > 1 and not loss[-1] <= loss[0])
    return Descent(history=history, diverged=bool(diverged), growing=growing,
                   limit=divergence_limit(model, X),
                   learning_rate=float(model.learning_rate))  # fmt: skip


def divergence_limit(model: Any, X: pd.DataFrame) -> float:
    """``2/L``, the learning rate above which gradient descent on ``model``'s loss for ``X``
    diverges (L: the loss surface's steepest curvature).

    Kept per data set for every session (:func:`~benchlearn.lessons.shared.kept`): the
    validation of ``X`` behind the design matrix costs more than the rest of a step's cells.
    """
    from benchlearn.lessons.shared import fingerprint, kept
    from benchlearn.optim import lipschitz_constant_least_squares

    def limit() -> float:
        return 2.0 / lipschitz_constant_least_squares(model.design_matrix(X))

    key = fingerprint(X)
    return kept(None if key is None else ("divergence_limit", key, model.fit_intercept), limit)


def fit_descent(X: pd.DataFrame, y: pd.Series, learning_rate: float, max_steps: int) -> Any:
    """The page's gradient-descent fit: at most ``max_steps`` steps from (0, 0), quietly.

    The app writes the same ``LinearRegression`` call out, for "Show code".
    """
    from benchlearn import LinearRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the Descent record says what the warnings would
        return LinearRegression(
            solver="gd", learning_rate=learning_rate, max_iter=max_steps, tol=1e-12
        ).fit(X, y)


def descend(X: pd.DataFrame, y: pd.Series, learning_rate: float, steps: int) -> Descent:
    """The page's gradient-descent cell in one call: fit ``steps`` steps from (0, 0), quietly
    (the tests use it)."""
    return descent_so_far(fit_descent(X, y, learning_rate, max(int(steps), 1)), X, steps)


def descent_key(X: pd.DataFrame, y: pd.Series, learning_rate: float) -> tuple:
    """The key under which the page keeps (:func:`~benchlearn.lessons.shared.kept`) the
    gradient-descent run of ``learning_rate`` on ``X``, ``y``: the page's cell and
    :func:`descend_ahead` use the same one."""
    from benchlearn.lessons.shared import fingerprint

    return ("descent", fingerprint(X, y), float(learning_rate))


_started_ahead: set[tuple] = set()
_ahead_lock = threading.Lock()


def descend_ahead(
    X: pd.DataFrame, y: pd.Series, learning_rates: Iterable[float], max_steps: int
) -> threading.Thread | None:
    """Start fitting gradient descent at every learning rate of the slider in the background,
    once per data set and lesson server, so that a move of the slider finds its run ready.

    Each run is the page's own (:func:`fit_descent`), kept under :func:`descent_key`; a rate
    the page asks for while it is being fitted waits for that one fit. The server's preparation
    (:func:`benchlearn.lessons.serve.prepare`) waits for the thread. Returns None when already
    started for these data.
    """
    from benchlearn.lessons.shared import kept

    rates = tuple(float(rate) for rate in learning_rates)
    started = (descent_key(X, y, 0.0)[1], rates, int(max_steps))
    with _ahead_lock:
        if started in _started_ahead:
            return None
        _started_ahead.add(started)

    def fit_all() -> None:
        for rate in rates:
            kept(descent_key(X, y, rate), lambda rate=rate: fit_descent(X, y, rate, max_steps))

    thread = threading.Thread(target=fit_all, name="descent-ahead", daemon=True)
    thread.start()
    return thread


def descend_ahead_lesson() -> threading.Thread | None:
    """:func:`descend_ahead` on the lesson's own standards, with the slider's rates (for the
    server's preparation, which runs the page without a browser)."""
    from benchlearn.lessons.lesson1 import data, settings

    X, y = data.assay_line_data()
    line = settings.builtin_line_settings()
    return descend_ahead(X, y, line.learning_rates, settings.MAX_STEPS)


def scaling_comparison(X: pd.DataFrame, y: pd.Series, steps: int = SCALING_STEPS) -> pd.DataFrame:
    """Gradient descent with the automatic (largest safe) rate, x in log10 ng/mL and pg/mL.

    ``X`` is log10 of the concentration in ng/mL (values about −0.1 to 1.1); the same
    concentrations in pg/mL are 1000 times larger, so their log10 is ``X + 3`` (2.9 to 4.1):
    the same line, with x far from zero.

    Returns
    -------
    DataFrame
        Indexed by unit (``ng/mL``, ``pg/mL``): ``condition_number`` of the design,
        ``loss_after_steps`` and ``exact_loss``.
    """
    return _descent_by_scale({"ng/mL": X, "pg/mL": X + 3.0}, y, steps)


def _descent_by_scale(versions: dict[str, pd.DataFrame], y: pd.Series, steps: int) -> pd.DataFrame:
    """Condition number, loss after ``steps`` automatic-rate steps and exact loss, per version.

    ``versions`` maps a row name to the same predictor in another scale.
    """
    from sklearn.exceptions import ConvergenceWarning

    from benchlearn import LinearRegression

    rows = {}
    for name, Xs in versions.items():
        exact, exact_loss = exact_line(Xs, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gd = LinearRegression(solver="gd", max_iter=steps, tol=1e-12).fit(Xs, y)
        rows[name] = {
            "condition_number": exact.condition_number_,
            "loss_after_steps": float(gd.history_["loss"].iloc[-1]),
            "exact_loss": exact_loss,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def standardised_scaling_comparison(
    X: pd.DataFrame, y: pd.Series, steps: int = SCALING_STEPS
) -> pd.DataFrame:
    """Gradient descent with the automatic rate on x as given and on x standardised.

    The learner's own-data counterpart of :func:`scaling_comparison`: standardising (subtract
    the mean, divide by the standard deviation) is the usual fix for a badly scaled feature.

    Returns
    -------
    DataFrame
        Indexed by ``as given`` and ``standardised``: ``condition_number``,
        ``loss_after_steps`` and ``exact_loss`` (the same for both: one line, two units).
    """
    column = X.iloc[:, 0]
    standardised = ((column - column.mean()) / column.std()).to_frame()
    return _descent_by_scale({"as given": X, "standardised": standardised}, y, steps)


def read_back(
    X: pd.DataFrame, y: pd.Series, b0: float, b1: float, *, log10_x: bool = False
) -> pd.DataFrame:
    """Each standard read back through the line ``y = b0 + b1·x``, as an unknown would be.

    Parameters
    ----------
    X, y
        The standards: one column of known amounts (or their log10), and the signals.
    b0, b1
        The line.
    log10_x
        ``X`` holds log10 of the amounts (the lesson's ELISA): the table then shows the
        amounts themselves, read back as ``10 ** ((measured − b0) / b1)``.

    Returns
    -------
    DataFrame
        One row per known amount (replicates averaged): ``known``, ``measured`` (mean y),
        ``read_back`` ((measured − b0) / b1, or 10 to that power) and ``recovery_percent``
        (read back / known × 100; empty for a blank, whose known amount is 0).
    """
    table = pd.DataFrame({"known": X.iloc[:, 0].to_numpy(float), "measured": y.to_numpy(float)})
    table = table.groupby("known", as_index=False)["measured"].mean()
    table["read_back"] = (table["measured"] - b0) / b1
    if log10_x:
        table["known"], table["read_back"] = 10.0 ** table["known"], 10.0 ** table["read_back"]
    known = table["known"].where(table["known"] != 0)
    table["recovery_percent"] = 100 * table["read_back"] / known
    return table
