"""What the lesson server process does so that a learner's first page load is short.

A first load has four parts the server pays for (measured on lesson 1 with
``benchmarks/bench_lesson_latency.py`` and a profile of the server process):

- marimo's page code: about 300 JavaScript, stylesheet and font files for each new browser.
  marimo serves each through its whole middleware stack (sessions, authentication, CORS) and a
  file lookup, about 5 ms of processor time per file on a loaded machine, one after the other
  on the server's single event loop. :class:`StaticAssets` answers them from memory instead,
  and lets the browser keep them (their names carry a hash of their contents).
- the learner's session: marimo compiles every cell of the lesson twice when a session starts
  (once to look for cells that hold only Markdown, once to run them) and renders every
  ``mo.md`` text from Markdown to HTML again. :func:`compile_each_cell_once` compiles each
  cell once for the whole process (every session gets its own copy) and :func:`compile_ahead`
  does it before the first session; :func:`keep_rendered_markdown` renders each text once per
  process.
- the page and the session's start: marimo parses and loads the lesson file again (compiling
  every cell) for each page it sends and each session it starts;
  :func:`parse_each_notebook_once` and :func:`load_each_notebook_once` do both once per process.
- the outputs, sent over the websocket: compressing them costs more processor time than it
  saves on a connection to the same computer (the server process switches compression off).

A control's move has one part the server pays for besides the cells it reruns:

- marimo's kernel looks, before each run of cells, for plugins that would run cells in its place
  (an entry-point group, ``marimo.cell.executor``): a scan of the metadata of every installed
  package, about 10 ms of processor time on an idle machine and several times that on a busy
  one, on every slider move and button click. :func:`look_up_plugins_once` scans once per
  process: the packages installed do not change while the lesson is served.

- The lesson's figures are PNG pictures (drawn once per data set and control value) that an
  output would carry as data URIs of 15-90 KB: the server would encode, decode and send them
  again in every output that shows them (the first load's outputs would be about twice as
  large), the page parse and sanitise them again. In a lesson served by this process the
  pictures are answered from memory at ``/assets/benchlearn-<digest>.png``
  (:func:`picture_src`, :func:`picture_srcs`) and the outputs only name them; the browser
  fetches each once and keeps it. The handout and every run outside a served session keep
  the data URI, so they need nothing from anywhere.

The rest (the browser's own work on marimo's page code, its drawing of the cells) is the
browser's.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import mimetypes
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ASSETS_PREFIX = "/assets/"
# marimo's page files are named for a hash of their contents: a browser may keep them.
IMMUTABLE = b"public, max-age=31536000, immutable"


def marimo_assets_dir() -> Path:
    """The folder of marimo's page code (JavaScript, stylesheets, fonts, images)."""
    import marimo

    return Path(marimo.__file__).resolve().parent / "_static" / "assets"


PICTURE_PREFIX = "benchlearn-"
# the pictures this process serves (name -> PNG), and whether it serves them: only a lesson
# server process (prepare_marimo) does, and only to its sessions (picture_src)
_pictures: dict[str, bytes] = {}
_served_here = {"pictures": False}


@functools.lru_cache(maxsize=256)
def _published(uri: str) -> str | None:
    header, _, data = uri.partition(",")
    if header != "data:image/png;base64":
        return None
    png = base64.b64decode(data)
    name = f"{PICTURE_PREFIX}{hashlib.blake2b(png, digest_size=16).hexdigest()}.png"
    _pictures[name] = png
    return ASSETS_PREFIX + name


def picture_src(uri: str) -> str:
    """What an ``<img src>`` of the PNG data URI ``uri`` should say in the output of a cell.

    In a session of the lesson server (:func:`serve_pictures` called, a marimo kernel
    running): the picture's address in this server, ``/assets/benchlearn-<digest>.png``,
    answered from memory by :class:`StaticAssets` (the digest of its bytes names it, so the
    browser keeps it). Anywhere else (the handout, ``app.run()``, a test): ``uri`` itself.
    """
    if not _served_here["pictures"]:
        return uri
    import marimo as mo

    if not mo.running_in_notebook():
        return uri
    return _published(uri) or uri


_PICTURE_SRC = re.compile(r'src="(data:image/png;base64,[A-Za-z0-9+/=]+)"')


def picture_srcs(text: str) -> str:
    """``text`` (HTML) with the ``src`` of each PNG data URI ``<img>`` as :func:`picture_src`
    says: the picture's address in a served session, the data URI itself anywhere else."""
    if not _served_here["pictures"] or "data:image/png;base64," not in text:
        return text
    return _PICTURE_SRC.sub(lambda found: f'src="{picture_src(found.group(1))}"', text)


def serve_pictures() -> None:
    """Let this process's lesson sessions name their pictures by address (:func:`picture_src`)."""
    _served_here["pictures"] = True


class StaticAssets:
    """Answer ``GET``/``HEAD /assets/<name>`` for marimo's page files from memory.

    Each file is read once, on its first request, and kept; only names found in marimo's
    asset folder are answered (a name is looked up, never joined to a path), everything
    else goes to ``app`` (so a missing file gets marimo's own 404). Put this inside the
    Host/Origin guard: the guard still checks every request first.
    """

    def __init__(self, app: ASGIApp, directory: Path | None = None) -> None:
        self.app = app
        directory = directory or marimo_assets_dir()
        self._paths = (
            {p.name: p for p in directory.iterdir() if p.is_file()} if directory.is_dir() else {}
        )
        self._kept: dict[str, tuple[bytes, bytes]] = {}

    def _file(self, name: str) -> tuple[bytes, bytes] | None:
        kept = self._kept.get(name)
        if kept is None and name.startswith(PICTURE_PREFIX):
            png = _pictures.get(name)
            return None if png is None else (png, b"image/png")
        if kept is None:
            path = self._paths.get(name)
            if path is None:
                return None
            # the type marimo's own file server (Starlette's) would send
            kind = mimetypes.guess_type(name)[0] or "text/plain"
            if kind.startswith("text/"):
                kind += "; charset=utf-8"
            kept = self._kept[name] = (path.read_bytes(), kind.encode("latin-1"))
        return kept

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or not path.startswith(ASSETS_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        found = self._file(path[len(ASSETS_PREFIX) :])
        if found is None:
            await self.app(scope, receive, send)
            return
        body, kind = found
        headers = [
            (b"content-type", kind),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", IMMUTABLE),
            (b"x-content-type-options", b"nosniff"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        if scope["method"] == "HEAD":
            body = b""
        await send({"type": "http.response.body", "body": body})


def keep_rendered_markdown(maxsize: int = 2048) -> None:
    """Render each Markdown text to HTML once for the whole process.

    marimo renders a ``mo.md`` text anew for every session (a pure function of the text: its
    Markdown converter is reset before each text). A marimo without that function is left as
    it is.
    """
    from marimo._output import md

    original = getattr(md, "_render_markdown", None)
    if original is None or hasattr(original, "cache_info"):
        return
    md._render_markdown = functools.lru_cache(maxsize=maxsize)(original)


# A compiled cell's fields that a session's kernel changes as it runs the cell: each session
# gets its own, as a fresh compile would give it.
_RUN_STATE = ("config", "_status", "_run_result_status", "_stale", "_output")


def _fresh_copy(cell: Any) -> Any:
    """A compiled cell (marimo's ``CellImpl``) as a new compile of the same code would return
    it: the same code objects and names, its own run state, sets and maps. ``None`` for a
    marimo whose compiled cells look otherwise."""
    import dataclasses

    if not dataclasses.is_dataclass(cell):
        return None
    fields = {f.name: f for f in dataclasses.fields(cell)}
    if any(name not in fields for name in (*_RUN_STATE, "import_workspace")):
        return None
    changes: dict[str, Any] = {}
    for name, f in fields.items():
        value = getattr(cell, name)
        if name in _RUN_STATE:
            if f.default_factory is dataclasses.MISSING:
                return None
            changes[name] = f.default_factory()
        elif name == "import_workspace":
            changes[name] = dataclasses.replace(value, imported_defs=set(value.imported_defs))
        elif isinstance(value, (set, dict)):
            changes[name] = type(value)(value)
    return dataclasses.replace(cell, **changes)


# compiled cells by (absolute file name, cell id, code): kept apart from any session's cells
_compiled: dict[tuple[Any, ...], Any] = {}
COMPILED_MAXSIZE = 1024


def _keep_compiled(key: tuple[Any, ...], cell: Any) -> None:
    pristine = _fresh_copy(cell)
    if pristine is not None:
        if len(_compiled) >= COMPILED_MAXSIZE:
            _compiled.clear()
        _compiled[key] = pristine


def compile_each_cell_once() -> None:
    """Let the server compile each cell of a lesson once, not twice for every session.

    When a session starts, marimo's kernel compiles every cell to find those holding only
    Markdown, drops the results, then compiles every cell again to run it: ~0.2 s of
    processor time for lesson 1, before its first cell runs. Here a cell compiled from the
    same code of the same file is compiled once for the whole process; each use gets a copy
    with its own run state (:func:`_fresh_copy`), the code objects and names shared. In run
    mode the files never change, and a cell whose code differs is compiled as marimo does.
    A marimo without those methods is left as it is.
    """
    from marimo._runtime.runtime import Kernel

    handle = getattr(Kernel, "_handle_markdown_cells_on_instantiate", None)
    compile_ = getattr(Kernel, "_try_compiling_cell", None)
    if handle is None or compile_ is None or hasattr(handle, "__benchlearn__"):
        return

    @functools.wraps(handle)
    def handle_keeping(self: Any, execution_requests: Any) -> None:
        self.__dict__["_benchlearn_keeping"] = {}
        try:
            handle(self, execution_requests)
        finally:
            self.__dict__["_benchlearn_kept"] = self.__dict__.pop("_benchlearn_keeping")

    @functools.wraps(compile_)
    def compile_once(self: Any, cell_id: Any, code: str, carried_imports: list) -> Any:
        if carried_imports:  # imports carried over from a cell run before: as marimo does
            return compile_(self, cell_id, code, carried_imports)
        kept = self.__dict__.get("_benchlearn_kept")
        found = kept.pop(cell_id, None) if kept else None
        if found is not None and found[0] == code:
            return found[1], None
        key = (getattr(getattr(self, "app_metadata", None), "filename", None), cell_id, code)
        earlier = _compiled.get(key)
        if earlier is not None:  # kept only when it can be copied (_keep_compiled)
            cell, error = _fresh_copy(earlier), None
        else:
            cell, error = compile_(self, cell_id, code, carried_imports)
            if cell is not None:
                _keep_compiled(key, cell)
        keeping = self.__dict__.get("_benchlearn_keeping")
        if keeping is not None and cell is not None:
            keeping[cell_id] = (code, cell)
        return cell, error

    handle_keeping.__benchlearn__ = True  # type: ignore[attr-defined]
    Kernel._handle_markdown_cells_on_instantiate = handle_keeping
    Kernel._try_compiling_cell = compile_once


def compile_ahead(*files: str | Path) -> int:
    """Compile every cell of each served notebook file as a starting session's kernel does
    (:func:`compile_each_cell_once`), so that the first learner's session, like every later
    one, finds its cells compiled.

    Returns
    -------
    int
        How many cells were compiled.
    """
    import os

    from marimo._ast.compiler import compile_cell
    from marimo._ast.load import load_app

    count = 0
    for file in files:
        app = load_app(file)
        if app is None:
            continue
        # the name a session's kernel compiles with (marimo's file manager gives it absolute)
        filename = os.path.abspath(str(file))
        for data in app._cell_manager.cell_data():
            key = (filename, data.cell_id, data.code)
            if key not in _compiled:
                # as marimo's kernel compiles a cell in run mode (Kernel._try_compiling_cell)
                cell = compile_cell(data.code, cell_id=data.cell_id, carried_imports=[],
                                    filename=filename)  # fmt: skip
                _keep_compiled(key, cell)
                count += 1
    return count


def load_each_notebook_once(maxsize: int = 1024) -> None:
    """Compile the lesson file's cells once for the whole process when marimo loads it.

    marimo loads the served file anew (compiling every cell) for each page it sends and for
    each session it starts, only to read its cells' code, names and settings; a session's
    kernel compiles the cells it runs itself. Here a cell compiled from the same code with the
    same id is compiled once (only marimo's loading of a file asks for a compile with no
    source position, file name or other option). A marimo without that function is left as
    it is.
    """
    from marimo._ast import compiler

    original = getattr(compiler, "compile_cell", None)
    if original is None or hasattr(original, "__benchlearn__"):
        return
    compiled = functools.lru_cache(maxsize=maxsize)(original)

    @functools.wraps(original)
    def compile_loaded_once(code: str, cell_id: Any, *args: Any, **options: Any) -> Any:
        if args or any(value not in (None, False) for value in options.values()):
            return original(code, cell_id, *args, **options)
        return compiled(code, cell_id)

    compile_loaded_once.__benchlearn__ = True  # type: ignore[attr-defined]
    compiler.compile_cell = compile_loaded_once


def parse_each_notebook_once() -> None:
    """Make marimo parse the lesson file's text once for the whole process.

    marimo parses the served file again for every page load, every new session and (through
    its map of cell positions, which each session's kernel clears) every kernel: about a
    second of processor time per learner for lesson 1. In run mode the file never changes,
    so the parse of each text (a pure function of it) is kept. A marimo without that function
    is left as it is.
    """
    from marimo._ast import parse

    original = getattr(parse, "parse_notebook", None)
    if original is None or hasattr(original, "cache_info"):
        return
    # marimo imports it inside the functions that use it, so the module's name is the one.
    parse.parse_notebook = functools.lru_cache(maxsize=8)(original)


def look_up_plugins_once(maxsize: int = 64) -> None:
    """Make marimo look up each group of plugins (entry points) once for the whole process.

    marimo's kernel asks for the ``marimo.cell.executor`` entry points before every run of
    cells, and each ask reads the metadata of every installed package again. The answer of
    each group (a pure function of what is installed) is kept. A marimo without that function
    is left as it is.
    """
    from marimo._entrypoints import registry

    original = getattr(registry, "get_entry_points", None)
    if original is None or hasattr(original, "cache_info"):
        return
    # EntryPointRegistry's methods look the function up in their module at each call.
    registry.get_entry_points = functools.lru_cache(maxsize=maxsize)(original)


def prepare_marimo() -> None:
    """Everything above that changes marimo's behaviour in this process (run mode only)."""
    look_up_plugins_once()
    serve_pictures()
    parse_each_notebook_once()
    keep_rendered_markdown()
    compile_each_cell_once()
    load_each_notebook_once()


__all__ = [
    "StaticAssets",
    "compile_ahead",
    "compile_each_cell_once",
    "keep_rendered_markdown",
    "load_each_notebook_once",
    "look_up_plugins_once",
    "marimo_assets_dir",
    "parse_each_notebook_once",
    "picture_src",
    "picture_srcs",
    "prepare_marimo",
    "serve_pictures",
]
