"""Fixtures of the lesson tests: run the lesson once, serve it once, per pytest process.

- ``lesson_run`` / ``lesson_defs``: one ``app.run()`` at default widgets for the whole session,
  shared by every test file that reads the default page's outputs or variables (test_app,
  test_settings, test_app_biotech, ...). Never run the whole app again in a test when these
  serve; a run with other widget values (``app.run(defs=...)``) reuses the shared caches, so
  only what those values change is computed again.
- ``chromium`` (tests/conftest.py): one browser per pytest process.
- ``lesson_server``: one lesson server per pytest process, prepared once, serving the page and
  the slide deck (the server's ``/present/``).
- ``lesson_page``: the served lesson's page, loaded once per pytest process and shared by
  every browser test module; tests set the widgets they read (and give back what they change
  much, as the own-data test does). ``presented_lesson``: the same server's slide deck, loaded
  once, shared by the tests that present it.

Under ``make test`` (``pytest -n 2 --dist loadfile``) every test_browser*.py file runs on one
worker and every other file here on one worker (tests/conftest.py), so each of these session
fixtures is built once per run, not once per worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pandas as pd
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from benchlearn.lessons.server import LessonServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "lesson1"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
FIRST_LOAD_MS = 300_000  # generous: a first load takes minutes on a 2-core machine under load
# a common laptop screen: the size the one-screen checks measure the page at, so they resize
# nothing (each change of the window's size lays the whole page out and paints it again)
PAGE_SCREEN = {"width": 1366, "height": 768}
SLIDE_SCREEN = {"width": 1280, "height": 720}  # a projector


# A BCA plate as a lab would type it: sample names, concentrations in µg/mL, absorbances.
PLATE_CONC = (0, 0, 125, 125, 250, 250, 500, 500, 750, 1000, 1000)
PLATE_A562 = (0.101, 0.098, 0.247, 0.251, 0.392, 0.387, 0.662, 0.671, 0.949, 1.221, 1.230)


def press(page: Page, slider_name: str, *keys: str) -> float:
    """Scroll to the slider named ``slider_name``, focus it, press ``keys`` on it and return its
    position read back (aria-valuenow: the value over a range, the index over steps)."""
    slider = page.get_by_role("slider", name=slider_name, exact=True)
    slider.scroll_into_view_if_needed()
    slider.focus()
    for key in keys:
        slider.press(key)
    return float(slider.get_attribute("aria-valuenow"))


# The animations running on a page, shadow roots (where marimo draws its widgets) included.
RUNNING_ANIMATIONS = """() => {
  const running = [];
  const walk = (root) => {
    for (const animation of root.getAnimations()) {
      if (animation.playState !== 'running') continue;
      const target = animation.effect && animation.effect.target;
      const name = target ? `${target.tagName}.${target.getAttribute('class') || ''}` : '';
      running.push(`${animation.animationName || animation.transitionProperty}: ${name}`);
    }
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
  return running;
}"""


def running_animations(page: Page, settle_ms: int = 5_000) -> list[str]:
    """What keeps moving on ``page`` (each as "animation: element.class") once the moment's
    transitions (a slide sliding in) have ended, waiting up to ``settle_ms`` for them. On an
    idle lesson: nothing, since every animation makes the browser redraw many times a second."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    with suppress(PlaywrightTimeoutError):  # still moving: the caller's assertion names what
        page.wait_for_function(
            f"() => ({RUNNING_ANIMATIONS})().length === 0", polling=250, timeout=settle_ms
        )
    return page.evaluate(RUNNING_ANIMATIONS)


@pytest.fixture
def plate_values() -> tuple[list[float], list[float]]:
    """The plate's concentrations and absorbances."""
    return list(PLATE_CONC), list(PLATE_A562)


@pytest.fixture
def plate_csv() -> Callable[..., bytes]:
    """The plate as CSV bytes; ``plate_csv(a562)`` puts other absorbances (or typos) in."""

    def write(a562=None) -> bytes:
        values = PLATE_A562 if a562 is None else a562
        lines = ["sample,conc_ug_per_ml,A562"]
        rows = zip(PLATE_CONC, values, strict=True)
        lines += [f"S{i + 1},{c},{a}" for i, (c, a) in enumerate(rows)]
        return ("\n".join(lines) + "\n").encode()

    return write


@pytest.fixture
def plate(plate_csv) -> pd.DataFrame:
    """The plate uploaded as "plate 3.csv" and read as the lesson reads it."""
    from benchlearn.lessons.lesson1 import own_data

    return own_data.read_upload("plate 3.csv", plate_csv())


@pytest.fixture(scope="session")
def lesson_run():
    """Lesson 1's ``app.run()`` at default widgets: every cell's output and definitions."""
    from benchlearn.lessons.lesson1.app import app

    return app.run()


@pytest.fixture(scope="session")
def lesson_defs(lesson_run):
    """The variables every cell of lesson 1 defined, after ``app.run()`` at default widgets."""
    return lesson_run[1]


@dataclass
class Visit:
    """A browser page on a served lesson, with every URL it asked for."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        """Requests to any host other than this machine (data: and blob: URLs stay local)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob")
            and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture(scope="session")
def lesson_server() -> Iterator[LessonServer]:
    """Lesson 1 served once, prepared before it answers (its data, fits and figures computed
    once for every session), for the page and the slide deck alike."""
    from benchlearn.lessons.server import start_lesson

    with start_lesson(1) as server:
        yield server


@contextmanager
def open_visit(browser: Browser, url: str, screen: dict[str, int]) -> Iterator[Visit]:
    """Open ``url`` in a new page of ``screen``'s size logging every request; yield the visit."""
    page = browser.new_page(viewport=screen)
    visit = Visit(page, url)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("websocket", lambda socket: visit.requests.append(socket.url))
    page.set_default_timeout(30_000)
    try:
        page.goto(url, timeout=FIRST_LOAD_MS)
        yield visit
    finally:
        page.close()


@pytest.fixture(scope="session")
def lesson_page(chromium: Browser, lesson_server: LessonServer) -> Iterator[Visit]:
    """Lesson 1 loaded once, every cell run, shared by every browser test module.

    Tests change widgets on this one page, so each sets the widgets it reads. At the end the
    whole visit's requests are checked: nothing may leave 127.0.0.1.
    """
    with open_visit(chromium, lesson_server.page_url, PAGE_SCREEN) as visit:
        page = visit.page
        # The glossary is the last cell and the degree readout the slowest one.
        page.get_by_role("heading", name="Glossary").wait_for(timeout=FIRST_LOAD_MS)
        page.get_by_test_id("readout-degree-rmse").wait_for(timeout=FIRST_LOAD_MS)
        yield visit
        assert visit.outside_requests() == []


@pytest.fixture(scope="session")
def lesson_artifacts() -> Path:
    """``test-artifacts/lesson1/``, where browser tests save their screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def presented_lesson(chromium: Browser, lesson_server: LessonServer) -> Iterator[Visit]:
    """Lesson 1's slide deck (marimo's slides layout) from the page's own server, on a 1280x720
    screen, every cell run (the last slide, the glossary's, is there and nothing is stale),
    shared by the presenting tests. A test may move through the deck and leaves the code
    hidden."""
    with open_visit(chromium, lesson_server.deck_url, SLIDE_SCREEN) as visit:
        page = visit.page
        page.wait_for_function(
            "() => [...document.querySelectorAll('.reveal .slides > section')]"
            ".some((slide) => slide.textContent.includes('Glossary'))",
            timeout=FIRST_LOAD_MS,
        )
        page.wait_for_function(
            "() => document.querySelectorAll('.marimo-output-stale').length === 0",
            polling=500,
            timeout=FIRST_LOAD_MS,
        )
        yield visit
        assert visit.outside_requests() == []
