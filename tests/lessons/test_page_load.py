"""What the lesson server does for a short first load: marimo's page code from memory, each
Markdown text rendered once, each cell compiled once per session."""

from __future__ import annotations

import asyncio
import re
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


def test_the_page_names_the_run_pages_modules_to_fetch_with_the_first_round(tmp_path):
    (tmp_path / "run-page-Ab12.js").write_text(
        'import{a as b}from"./layout-Cd34.js";import"./mode-Ef56.js";'
        'const later=()=>import("./chart-Gh78.js");export{b};'
    )
    (tmp_path / "layout-Cd34.js").write_text('export*from"./react-Ij90.js";export const a=1;')
    (tmp_path / "mode-Ef56.js").write_text("export const m=1;")
    (tmp_path / "react-Ij90.js").write_text("export const r=1;")
    (tmp_path / "chart-Gh78.js").write_text("export const c=1;")  # imported when needed only
    modules = page_load.run_page_modules(tmp_path)
    assert modules == ["run-page-Ab12.js", "layout-Cd34.js", "mode-Ef56.js", "react-Ij90.js"]

    page = b'<html><head><link rel="modulepreload" href="./assets/react-Ij90.js"></head></html>'

    async def marimo_page(scope, receive, send):
        kind = b"text/html; charset=utf-8" if scope["path"] == "/" else b"application/json"
        headers = [(b"content-type", kind), (b"content-length", str(len(page)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": page[:20], "more_body": True})
        await send({"type": "http.response.body", "body": page[20:]})

    app = page_load.StaticAssets(marimo_page, tmp_path)
    status, headers, body = call(app, "/")
    assert status == 200 and headers["content-length"] == str(len(body))
    named = re.findall(rb'modulepreload"? ?(?:crossorigin )?href="\./assets/([^"]+)"', body)
    # each module once (react was named already), in the head, before the page's own script
    assert sorted(named) == sorted(m.encode() for m in modules)
    assert body.index(b"layout-Cd34.js") < body.index(b"</head>")
    # anything but an HTML page passes unchanged
    assert call(app, "/api/status")[2] == page
    assert call(app, "/", method="HEAD")[2] == page


def test_marimos_run_page_and_its_modules_are_found_in_marimos_own_files():
    directory = page_load.marimo_assets_dir()
    modules = page_load.run_page_modules(directory)
    assert modules[0].startswith("run-page-") and len(modules) > 50
    assert all((directory / name).is_file() for name in modules)
