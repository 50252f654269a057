"""The offline handout of a lesson: one HTML file an instructor can hand out or print.

The handout is the lesson app's own run (``app.run()``), not a second copy of the lesson: every
cell runs as on the page, and each cell's output is turned into plain HTML. What only works in
the live page becomes its paper equivalent: a widget becomes a line saying the value it shows, a
question becomes its choices with the answer folded away under "Show the answer", a callout
becomes a coloured box, and an element marked ``data-live-only`` (the quiz scores) is left out.
Nothing is loaded from the network: figures are embedded PNG data, the stylesheet is inline,
there is no script.

The page starts at step 0 with the exact solution hidden; the handout shows what a learner sees
after one press of "Run 50 steps" and one of "Solve exactly", which is more telling on paper.
"""

from __future__ import annotations

import html
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from benchlearn.errors import UsageError
from benchlearn.files import write_atomically

HANDOUT_STEPS = 50
# On paper nothing "appears straight away": the answers are folded under "Show the answer".
LIVE_QUIZ_HINT = (
    "Pick an answer. If it is not the right one, you are told what it mixes up and can try "
    "again; after a second miss the answer is shown."
)
HANDOUT_QUIZ_HINT = "Pick an answer, then open “Show the answer” below the question."
# Widgets with nothing to show on paper (the buttons' effect is described in the settings).
SILENT_WIDGETS = {"marimo-button", "marimo-file", "marimo-checkbox", "marimo-dropdown"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}  # fmt: skip


def _pressed_buttons() -> dict[str, Any]:
    """Stand-ins for the app's button state: 50 steps taken and "Solve exactly" pressed once."""
    return {
        "get_steps": lambda: (0, HANDOUT_STEPS),  # taken at the first learning-rate setting
        "set_steps": lambda value: None,
        "rate_setting": [0],
        "get_solved": lambda: 1,
        "set_solved": lambda value: None,
    }


def _decoded(value: str | None) -> Any:
    """A marimo widget attribute: JSON (HTML-escaped in the page, unescaped by the parser)."""
    return json.loads(value) if value else None


def _text_of(fragment: str) -> str:
    """The plain text of an HTML fragment (a widget's rendered label)."""
    parser = _TextOnly()
    parser.feed(fragment)
    return " ".join(parser.text.split())


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    def handle_data(self, data: str) -> None:
        self.text += data


@dataclass
class _Paper(HTMLParser):
    """Rewrites one cell's output HTML for paper (see the module docstring)."""

    question_html: Callable[[str], str]
    settings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=False)
        self.out: list[str] = []
        self._inside_widget = 0
        self._question: str | None = None
        self._live_only: list[str] = []  # the open tags of an element marked data-live-only

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self._live_only or "data-live-only" in attributes:
            if tag not in VOID_TAGS:
                self._live_only.append(tag)
            return
        if tag == "marimo-ui-element":
            self._inside_widget += 1
            return
        if self._inside_widget:
            self._widget(tag, attributes)
            return
        if tag == "marimo-callout-output":
            kind = _decoded(attributes.get("data-kind")) or "neutral"
            inner = _decoded(attributes.get("data-html")) or ""
            self.out.append(f'<div class="callout {html.escape(kind)}">{self._paper(inner)}</div>')
            return
        testid = attributes.get("data-testid") or ""
        if tag == "div" and testid.startswith("question-"):
            self._question = testid.removeprefix("question-")
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._inside_widget and not self._live_only:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self._live_only:
            if tag == self._live_only[-1]:
                self._live_only.pop()
            return
        if tag == "marimo-ui-element":
            self._inside_widget -= 1
        elif not self._inside_widget and tag != "marimo-callout-output":
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self._inside_widget and not self._live_only:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def _widget(self, tag: str, attributes: dict[str, str | None]) -> None:
        label = _text_of(_decoded(attributes.get("data-label")) or "")
        value = _decoded(attributes.get("data-initial-value"))
        if tag == "marimo-radio" and self._question is not None:
            self.out.append(self.question_html(self._question))
            self._question = None
            return
        if tag in SILENT_WIDGETS or not label:
            return
        if tag == "marimo-slider" and _decoded(attributes.get("data-steps")):
            value = _decoded(attributes["data-steps"])[value]
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        setting = f"{label}: {value:g}" if isinstance(value, float) else f"{label}: {value}"
        self.settings.append(setting)
        self.out.append(f'<p class="setting">{html.escape(setting)}</p>')

    def _paper(self, fragment: str) -> str:
        nested = _Paper(self.question_html, self.settings)
        nested.feed(fragment)
        nested.close()
        return "".join(nested.out)


def paper_html(output_html: str, question_html: Callable[[str], str], settings: list[str]) -> str:
    """One cell's output as paper HTML; the widget values shown are appended to ``settings``."""
    paper = _Paper(question_html, settings)
    live_hint = r"\s+".join(map(re.escape, LIVE_QUIZ_HINT.split()))
    paper.feed(re.sub(live_hint, HANDOUT_QUIZ_HINT, output_html))
    paper.close()
    return "".join(paper.out)


def _check_lesson(number: int) -> None:
    if number != 1:
        raise UsageError(
            f"there is no lesson {number} to export",
            where="benchlearn lesson --export",
            fix="Run `benchlearn lesson 1 --export handout.html`",
        )


def _environment() -> Any:
    from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

    return Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("benchlearn.lessons", "templates"),
                PackageLoader("benchlearn.report", "templates"),  # the shared base.css
            ]
        ),
        autoescape=select_autoescape(["html", "j2"]),
    )


def handout_html(number: int = 1) -> str:
    """Return lesson ``number``'s handout as one self-contained HTML document.

    Raises
    ------
    UsageError
        There is no such lesson.
    """
    _check_lesson(number)
    from markupsafe import Markup

    from benchlearn import __version__
    from benchlearn.lessons.lesson1 import content
    from benchlearn.lessons.lesson1.app import app
    from benchlearn.lessons.lesson1.questions import QUESTIONS_BY_ID

    with warnings.catch_warnings():
        # the optimizers' and matplotlib's warnings belong to the live page, not to a handout
        warnings.simplefilter("ignore")
        outputs, _ = app.run(defs=_pressed_buttons())
    environment = _environment()
    question_macro = environment.get_template("handout.html.j2").module.question

    def question_html(question_id: str) -> str:
        return str(question_macro(QUESTIONS_BY_ID[question_id]))

    settings: list[str] = []
    parts = [
        # the app's own HTML (marimo builds it with its escaping), its widgets made static
        Markup(paper_html(output.text, question_html, settings))
        for output in outputs
        if getattr(output, "text", None)
    ]
    return environment.get_template("handout.html.j2").render(
        title=content.TITLE,
        version=__version__,
        settings=settings,
        steps=HANDOUT_STEPS,
        parts=parts,
    )


def write_handout(path: str | Path, number: int = 1, *, force: bool = False) -> Path:
    """Write lesson ``number``'s offline handout to ``path``, atomically.

    Parameters
    ----------
    path
        Output HTML file; an existing file is refused unless ``force``.
    number
        Which lesson (1).
    force
        Replace an existing file.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    UsageError
        No such lesson, ``path`` exists without ``force``, or its folder is missing.
    """
    _check_lesson(number)
    path = Path(path)
    if (path.exists() and not force) or not path.parent.exists():
        # Fail before spending seconds on the figures: this write only raises write_atomically's
        # own message (file exists / folder missing) and writes nothing.
        write_atomically(path, "", force=False)
    return write_atomically(path, handout_html(number), force=force)
