"""What the lesson server does for a short first load: marimo's page code from memory, each
Markdown text rendered once, each cell compiled once per session."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from benchlearn.lessons import page_load


class Recorder:
    """An ASGI app that records the requests it is given and answers 404."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(app, path: str, method: str = "GET", kind: str = "http") -> tuple[int, dict, bytes]:
    """Status, headers and body of ``method path`` through ``app``."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": kind, "method": method, "path": path, "headers": []}
    # A thread of its own: this worker may already run an event loop (Playwright's, for Chromium).
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


@pytest.fixture
def assets(tmp_path):
    (tmp_path / "index-AbCdEf12.js").write_text("export const a = 1;\n")
    (tmp_path / "Font-AbCdEf12.woff2").write_bytes(b"wOF2\x00\x01")
    inner = Recorder()
    return page_load.StaticAssets(inner, tmp_path), inner


def test_a_page_file_is_answered_from_memory_with_its_type_and_kept_by_the_browser(assets):
    app, inner = assets
    status, headers, body = call(app, "/assets/index-AbCdEf12.js")
    assert (status, body) == (200, b"export const a = 1;\n")
    assert headers["content-type"] == "text/javascript; charset=utf-8"
    assert headers["content-length"] == str(len(body))
    assert "immutable" in headers["cache-control"]
    assert call(app, "/assets/Font-AbCdEf12.woff2")[1]["content-type"] == "font/woff2"
    assert inner.paths == []


def test_a_head_request_gets_the_headers_without_the_file(assets):
    app, _ = assets
    status, headers, body = call(app, "/assets/index-AbCdEf12.js", method="HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", "20")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/assets/missing-00000000.js", "GET"),  # marimo answers its own 404
        ("/assets/../index.html", "GET"),  # a name is looked up, never joined to a path
        ("/assets/index-AbCdEf12.js", "POST"),
        ("/", "GET"),
        ("/health", "GET"),
    ],
)
def test_everything_else_goes_to_marimo(assets, path, method):
    app, inner = assets
    assert call(app, path, method=method)[0] == 404
    assert inner.paths == [path]


def test_marimos_own_page_code_is_found():
    names = {p.name for p in page_load.marimo_assets_dir().iterdir()}
    assert any(name.startswith("index-") and name.endswith(".js") for name in names)


def test_each_markdown_text_is_rendered_once_with_the_same_html():
    import marimo as mo
    from marimo._output import md

    text = "A *test* text for the cache: [link](#x), `code` and a list:\n\n- one\n- two"
    before = mo.md(text).text
    page_load.keep_rendered_markdown()
    page_load.keep_rendered_markdown()  # a second call changes nothing
    hits = md._render_markdown.cache_info().hits
    assert mo.md(text).text == before
    assert mo.md(text).text == before
    assert md._render_markdown.cache_info().hits == hits + 1


def test_a_starting_session_compiles_each_cell_once():
    from marimo._runtime.runtime import Kernel

    page_load.compile_each_cell_once()
    page_load.compile_each_cell_once()  # a second call changes nothing
    kernel = Kernel.__new__(Kernel)  # only what the two methods read
    kernel.graph = SimpleNamespace(cells={})
    kernel.app_metadata = SimpleNamespace(filename=None)
    code = {"a": "x = 1", "b": "y = x + 1\ny"}
    requests = {cid: SimpleNamespace(code=c) for cid, c in code.items()}
    kernel._handle_markdown_cells_on_instantiate(requests)
    kept = dict(kernel.__dict__["_benchlearn_kept"])
    assert set(kept) == {"a", "b"}
    # the run's compile gets the first one, once; a changed cell is compiled anew
    cell, error = kernel._try_compiling_cell("a", code["a"], [])
    assert error is None and cell is kept["a"][1] and cell.defs == {"x"}
    again, _ = kernel._try_compiling_cell("a", code["a"], [])
    assert again is not cell and again.defs == {"x"}
    changed, _ = kernel._try_compiling_cell("b", "z = 2", [])
    assert changed is not kept["b"][1] and changed.defs == {"z"}


def test_the_next_session_gets_its_own_copy_of_each_compiled_cell(monkeypatch):
    from marimo._ast import compiler
    from marimo._runtime.runtime import Kernel

    page_load.compile_each_cell_once()
    compiles = []
    original = compiler.compile_cell
    monkeypatch.setattr(
        "marimo._runtime.runtime.compile_cell",
        lambda *args, **kwargs: compiles.append(args[0]) or original(*args, **kwargs),
    )

    def session(filename: str) -> Kernel:
        kernel = Kernel.__new__(Kernel)
        kernel.graph = SimpleNamespace(cells={})
        kernel.app_metadata = SimpleNamespace(filename=filename)
        return kernel

    code = "import math\nradius = math.sqrt(2.0)  # a cell for this test only"
    first, _ = session("lesson.py")._try_compiling_cell("c1", code, [])
    first._status.state = "running"  # what the first session's run does to it
    first.import_workspace.imported_defs.add("math")
    second, error = session("lesson.py")._try_compiling_cell("c1", code, [])
    assert error is None and compiles == [code]  # compiled once for both sessions
    assert second is not first and second.body is first.body and second.defs == first.defs
    assert second.defs is not first.defs
    assert second._status.state is None and second.import_workspace.imported_defs == set()
    assert second.import_workspace.is_import_block == first.import_workspace.is_import_block
    # another file, or carried imports, are compiled as marimo does
    session("deck.py")._try_compiling_cell("c1", code, [])
    assert compiles == [code, code]
    assert page_load._fresh_copy(object()) is None


def test_the_served_file_is_compiled_once_when_marimo_loads_it(tmp_path):
    from marimo._ast.load import load_app

    page_load.load_each_notebook_once()
    page_load.load_each_notebook_once()  # a second call changes nothing
    notebook = tmp_path / "notebook.py"
    notebook.write_text(
        "import marimo\n\napp = marimo.App()\n\n\n@app.cell\ndef _():\n    x = 1\n    return (x,)\n"
    )
    first, second = load_app(str(notebook)), load_app(str(notebook))
    (one,), (two,) = (list(app._cell_manager.cell_data()) for app in (first, second))
    assert one.cell._cell is two.cell._cell and one.cell._cell.defs == {"x"}
    # a compile with any option (a source position, a file name) is compiled anew
    from marimo._ast import compiler

    fresh = compiler.compile_cell("x = 1", one.cell_id, filename=str(notebook))
    assert fresh is not one.cell._cell and fresh.defs == {"x"}


def test_marimos_plugins_are_looked_up_once_per_group(monkeypatch):
    from marimo._entrypoints import registry
    from marimo._runtime.executor.evaluator import _EXECUTOR_REGISTRY

    before = _EXECUTOR_REGISTRY.names()
    page_load.look_up_plugins_once()
    page_load.look_up_plugins_once()  # a second call changes nothing
    scans = []
    scan = registry.entry_points
    monkeypatch.setattr(registry, "entry_points", lambda: scans.append(1) or scan())
    group = "benchlearn.test.plugins.looked.up.once"  # asked for by nothing else
    assert list(registry.get_entry_points(group)) == []
    assert list(registry.get_entry_points(group)) == []
    assert len(scans) == 1
    # the kernel's own question (before every run of cells) has the same answer as before
    assert _EXECUTOR_REGISTRY.names() == before


def test_a_served_sessions_pictures_are_named_by_address_and_answered_from_memory(monkeypatch):
    import base64

    import marimo

    png = b"\x89PNG\r\n\x1a\n a picture for this test only"
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    # outside a served session (the handout, app.run(), this test): the picture itself
    assert page_load.picture_src(uri) == uri
    monkeypatch.setitem(page_load._served_here, "pictures", True)
    assert page_load.picture_src(uri) == uri  # served, but not in a marimo session
    monkeypatch.setattr(marimo, "running_in_notebook", lambda: True)
    src = page_load.picture_src(uri)
    assert src.startswith("/assets/benchlearn-") and src.endswith(".png")
    assert page_load.picture_src(uri) == src  # the same picture, the same address
    other = "data:image/png;base64," + base64.b64encode(png + b"!").decode()
    assert page_load.picture_src(other) != src
    status, headers, body = call(page_load.StaticAssets(Recorder()), src)
    assert (status, body, headers["content-type"]) == (200, png, "image/png")
    assert "immutable" in headers["cache-control"]
    # only pictures the process published are answered
    app = page_load.StaticAssets(Recorder())
    assert call(app, "/assets/benchlearn-0123456789abcdef0123456789abcdef.png")[0] == 404


def test_a_served_sessions_figures_name_each_picture_by_its_address(monkeypatch):
    import base64

    import marimo

    png = b"\x89PNG\r\n\x1a\n another picture for this test only"
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    html = f'<div><img src="{uri}" alt="a"><p>src="not a picture"</p><img src="{uri}"></div>'
    assert page_load.picture_srcs(html) == html  # outside a served session: unchanged
    monkeypatch.setitem(page_load._served_here, "pictures", True)
    monkeypatch.setattr(marimo, "running_in_notebook", lambda: True)
    named = page_load.picture_srcs(html)
    src = page_load.picture_src(uri)
    assert named == html.replace(uri, src) and "data:" not in named
    assert page_load.picture_srcs("<p>no picture</p>") == "<p>no picture</p>"


def test_the_server_compiles_the_served_notebook_before_the_first_session(tmp_path, monkeypatch):
    from marimo._ast.load import load_app
    from marimo._runtime.runtime import Kernel

    page_load.compile_each_cell_once()
    notebook = tmp_path / "served.py"
    notebook.write_text(
        "import marimo\n\napp = marimo.App()\n\n\n@app.cell\ndef _():\n    ahead = 40 + 2\n"
        "    return (ahead,)\n\n\n@app.cell\ndef _(ahead):\n    ahead * 2\n    return\n"
    )
    assert page_load.compile_ahead(notebook) == 2
    assert page_load.compile_ahead(notebook) == 0  # already compiled
    compiles = []
    monkeypatch.setattr(
        "marimo._runtime.runtime.compile_cell", lambda *args, **kwargs: compiles.append(args)
    )
    kernel = Kernel.__new__(Kernel)  # the first session's kernel: what the methods read
    kernel.graph = SimpleNamespace(cells={})
    kernel.app_metadata = SimpleNamespace(filename=str(notebook))
    for data in load_app(notebook)._cell_manager.cell_data():
        cell, error = kernel._try_compiling_cell(data.cell_id, data.code, [])
        assert error is None and cell.code == data.code and cell.body is not None
    assert compiles == []
