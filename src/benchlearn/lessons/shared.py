"""Results shared by every session of a lesson server, so a room's sessions open fast.

A lesson server runs each browser session's notebook as a thread of one process (marimo's run
mode), so a module-level cache is shared by all of them. When a class opens the lesson at once,
twenty sessions ask for the same default figures in the same second: :func:`shared` computes
each distinct call once, makes the other sessions wait for that one computation rather than
repeat it, and hands every session the same result.

Use it on the lesson's pure, deterministic functions whose arguments are hashable (slider
values, column names, tuples), typically the heavy data preparation and figure rendering::

    from benchlearn.lessons.shared import shared

    @shared
    def loss_surface_png(learning_rate: float, steps: int) -> str: ...

The result is the very same object for every session: treat it as read-only (return strings,
tuples, or frames no cell modifies). An exception is not cached; the next call tries again.

A cell that trains a model on fixed data (a seeded classifier the page only reads) can keep its
code in view and still train once for every session: :func:`kept` runs a function of
no arguments once per key::

    logistic, network = kept(("biopsy classifiers", SEED), train)

Figures are the other cost every session pays again: their builders take tables and arrays,
which are not hashable. :func:`shared_figure` marks a figure builder (a pure function of its
arguments that returns a matplotlib ``Figure``): equal arguments by content
(:func:`fingerprint`) give the same figure, built once, and :func:`render_once` renders it once
for every session that draws it.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
DEFAULT_MAXSIZE = 256
FIGURE_MAXSIZE = 128  # figures kept by shared_figure builders
RENDER_MAXSIZE = 256  # rendered figures (PNG data URIs of ~20-150 kB each) kept by render_once
KEPT_MAXSIZE = 1024  # results of cells' own computations kept by kept
FINGERPRINT_ATTRIBUTE = "_benchlearn_fingerprint"


@dataclass(frozen=True)
class CacheInfo:
    """How a shared cache has been used: ``hits`` (including calls that waited for another
    session's computation), ``misses`` (computations), ``size`` (results kept)."""

    hits: int
    misses: int
    size: int
    maxsize: int


class _Pending:
    """A computation under way: the first caller computes; the others wait on ``done``."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class SharedFunction(Generic[P, R]):
    """A function whose results are computed once per distinct arguments for all threads.

    Parameters
    ----------
    function
        A deterministic function of hashable arguments.
    maxsize
        How many results to keep (least recently used dropped first).
    """

    def __init__(self, function: Callable[P, R], maxsize: int = DEFAULT_MAXSIZE) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, not {maxsize}")
        functools.update_wrapper(self, function)
        self.function = function
        self.signature = inspect.signature(function)
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._results: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: dict[Hashable, _Pending] = {}
        self._hits = 0
        self._misses = 0

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        # The same call written with positional, keyword or default arguments is one key.
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        key = tuple(bound.arguments.items())
        try:
            hash(key)
        except TypeError:
            raise TypeError(
                f"{self.function.__qualname__} is shared across sessions, so its arguments "
                "must be hashable (numbers, strings, tuples); pass a tuple instead of a list "
                "or a name instead of a table"
            ) from None
        return self.get(key, lambda: self.function(*args, **kwargs))

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The result kept under ``key``, or ``compute()``'s, computed once for all threads."""
        with self._lock:
            if key in self._results:
                self._hits += 1
                self._results.move_to_end(key)
                return self._results[key]
            pending = self._pending.get(key)
            if pending is None:
                pending = self._pending[key] = _Pending()
                self._misses += 1
                computing = True
            else:
                self._hits += 1
                computing = False
        if not computing:
            pending.done.wait()
            if pending.error is not None:
                raise pending.error
            return pending.value
        try:
            pending.value = compute()
        except BaseException as error:
            pending.error = error
            raise
        else:
            with self._lock:
                self._results[key] = pending.value
                while len(self._results) > self.maxsize:
                    self._results.popitem(last=False)
            return pending.value
        finally:
            with self._lock:
                del self._pending[key]
            pending.done.set()

    def cache_info(self) -> CacheInfo:
        """Hits, misses and size so far."""
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._results), self.maxsize)

    def cache_clear(self) -> None:
        """Forget every result (computations under way finish for their waiting callers)."""
        with self._lock:
            self._results.clear()
            self._hits = self._misses = 0


def shared(function: Callable[P, R] | None = None, *, maxsize: int = DEFAULT_MAXSIZE) -> Any:
    """Decorator: share ``function``'s results across the lesson server's sessions.

    Usable bare (``@shared``) or with a size (``@shared(maxsize=64)``); see the module's text.

    Examples
    --------
    >>> calls = []
    >>> @shared
    ... def square(x):
    ...     calls.append(x)
    ...     return x * x
    >>> square(3), square(3), calls
    (9, 9, [3])
    >>> square.cache_info().hits
    1
    """
    if function is None:
        return lambda f: SharedFunction(f, maxsize)
    return SharedFunction(function, maxsize)


def fingerprint(*parts: Any) -> str | None:
    """A digest of ``parts``' contents (pickled), or None when they cannot be pickled.

    Equal contents give equal digests whatever the objects' identity (two copies of a table);
    a table whose values differ in any cell gives another digest.
    """
    try:
        data = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # lambdas, open files, ...: such a call is simply not shared
        return None
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def shared_figure(builder: Callable[P, R]) -> Callable[P, R]:
    """Decorator for a figure builder: one figure per distinct arguments, for every session.

    The builder must draw only from its arguments (no global state), so that equal arguments
    (by content: :func:`fingerprint`) mean an equal figure. The figure is built once and handed
    to every caller, marked with its fingerprint so that :func:`render_once` renders it once:
    callers must not modify it. Arguments that cannot be pickled build a new figure each call.
    """

    @functools.wraps(builder)
    def build(*args: P.args, **kwargs: P.kwargs) -> R:
        key = fingerprint(builder.__module__, builder.__qualname__, args, sorted(kwargs.items()))
        if key is None:
            return builder(*args, **kwargs)

        def make() -> R:
            fig = builder(*args, **kwargs)
            setattr(fig, FINGERPRINT_ATTRIBUTE, key)
            return fig

        return _figures.get(key, make)

    return build


def _no_function(*args: Any) -> Any:
    raise TypeError("this cache is filled through kept, shared_figure and render_once")


# Figures built by shared_figure builders, by fingerprint; their renderings, by (fingerprint, how).
_figures: SharedFunction[..., Any] = SharedFunction(_no_function, FIGURE_MAXSIZE)
_rendered: SharedFunction[..., str] = SharedFunction(_no_function, RENDER_MAXSIZE)


def render_once(fig: Any, render: Callable[[Any], str], *, how: Hashable = None) -> str:
    """``render(fig)``, computed once per distinct marked figure for every session.

    Parameters
    ----------
    fig
        A figure; when a :func:`shared_figure` builder made it, an earlier rendering of an
        equal figure (same builder, same arguments) with the same ``how`` is returned.
    render
        Turns the figure into text (e.g. an ``<img>`` element).
    how
        What distinguishes renderings of one figure (e.g. the resolution and alt text).
    """
    key = getattr(fig, FINGERPRINT_ATTRIBUTE, None)
    if key is None:
        return render(fig)
    return _rendered.get((key, how), lambda: render(fig))


_kept: SharedFunction[..., Any] = SharedFunction(_no_function, KEPT_MAXSIZE)


def kept(key: Hashable | None, compute: Callable[[], R]) -> R:
    """``compute()``, computed once per ``key`` for every session of the server.

    For a computation a lesson's cell writes out itself (for "Show code") rather than calling
    a :func:`shared` function: the cell names in ``key`` everything the result depends on (what
    it is, and the controls' values or a :func:`fingerprint` of the data), and ``compute`` does
    the work the first time any session asks. ``key`` None computes afresh every time (for
    data only one learner has). Treat the result as read-only.

    Examples
    --------
    >>> calls = []
    >>> def compute():
    ...     calls.append(1)
    ...     return len(calls)
    >>> kept(("doctest", 1), compute), kept(("doctest", 1), compute), kept(None, compute)
    (1, 1, 2)
    """
    if key is None:
        return compute()
    return _kept.get(key, compute)


def figure_cache_info() -> tuple[CacheInfo, CacheInfo]:
    """Hits, misses and size of the figures built (:func:`shared_figure`) and rendered
    (:func:`render_once`)."""
    return _figures.cache_info(), _rendered.cache_info()
