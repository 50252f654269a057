"""Every term of the glossary is explained (or linked to its entry) where the page first uses it.

The page is lesson 1's own run (``app.run()``): its cells' outputs in page order, widget labels
and quiz choices included, headings and the glossary list itself left out.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from benchlearn.lessons.lesson1 import glossary

SKIPPED = ("h1", "h2", "h3", "h4")  # a heading names what the paragraph under it explains


@dataclass(frozen=True)
class Piece:
    """A run of page text, and whether it is bold (a definition) or a link (its href)."""

    text: str
    bold: bool
    link: str | None


class PageText(HTMLParser):
    """The page's text in order, in pieces marked bold or linked."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[Piece] = []
        self._bold = 0
        self._links: list[str] = []
        self._skipped = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._bold += tag in ("strong", "b")
        self._skipped += tag in SKIPPED or attributes.get("data-testid") == "glossary"
        if tag == "a":
            self._links.append(attributes.get("href") or "")
        for name in ("data-label", "data-options"):  # a widget's label and its choices
            if tag.startswith("marimo-") and attributes.get(name):
                value = json.loads(attributes[name])
                for text in value if isinstance(value, list) else [value]:
                    self.pieces.append(Piece(re.sub(r"<[^>]+>", " ", html.unescape(text)),
                                             False, None))  # fmt: skip

    def handle_endtag(self, tag):
        self._bold -= tag in ("strong", "b")
        self._skipped -= tag in SKIPPED or (tag == "dl" and self._skipped > 0)
        if tag == "a" and self._links:
            self._links.pop()

    def handle_data(self, data):
        if not self._skipped:
            self.pieces.append(
                Piece(data, self._bold > 0, self._links[-1] if self._links else None)
            )


@pytest.fixture(scope="module")
def page(lesson_run) -> tuple[str, list[tuple[int, int, Piece]]]:
    """The page's text and where each piece lies in it."""
    outputs, _ = lesson_run
    parser = PageText()
    for output in outputs:
        parser.feed(getattr(output, "text", "") or "")
    text, spans = "", []
    for piece in parser.pieces:
        spans.append((len(text), len(text) + len(piece.text), piece))
        text += piece.text + " "
    return text, spans


def uses(text: str, term: str, longer_uses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where ``term`` (or its plural) is used, not counting uses inside a longer term."""
    words = r"\s+".join(map(re.escape, term.split()))
    found = [m.span() for m in re.finditer(rf"(?<![\w-]){words}(?:e?s)?(?![\w-])", text.lower())]
    return [(a, b) for a, b in found
            if not any(c <= a and b <= d and d - c > b - a for c, d in longer_uses)]  # fmt: skip


def test_each_glossary_terms_first_use_is_its_definition_or_a_link_to_its_entry(page):
    text, spans = page
    early, longer_uses = {}, []
    for term in sorted(glossary.GLOSSARY, key=len, reverse=True):  # "loss surface" before "loss"
        found = uses(text, term, longer_uses)
        longer_uses += found
        assert found, f"the glossary defines {term!r}, which the page never uses"
        start = found[0][0]
        piece = next(piece for a, b, piece in spans if a <= start < b)
        if not (piece.bold or piece.link == f"#{glossary.anchor(term)}"):
            early[term] = " ".join(text[max(0, start - 50) : start + 30].split())
    assert early == {}


def test_every_glossary_link_points_to_an_entry(page):
    _, spans = page
    links = {piece.link for _, _, piece in spans if piece.link and piece.link.startswith("#")}
    anchors = {f"#{glossary.anchor(term)}" for term in glossary.GLOSSARY}
    assert links and links <= anchors


def test_the_glossary_list_has_one_entry_with_its_anchor_per_term(lesson_run):
    outputs, _ = lesson_run
    page_html = "".join(getattr(output, "text", "") or "" for output in outputs)
    for term in glossary.GLOSSARY:
        assert f'<dt id="{glossary.anchor(term)}">{html.escape(term)}</dt>' in page_html


def test_the_terms_the_issue_named_are_explained():
    named = ["k-means", "parameter table", "mse", "hidden layer", "standard error",
             "normal equations", "qr", "condition number", "1/l", "±", "e-notation"]  # fmt: skip
    assert [term for term in named if term not in glossary.GLOSSARY] == []


def test_the_molecules_descriptors_are_explained_before_they_can_be_chosen(page):
    from benchlearn.lessons.lesson1 import several

    text, _ = page
    chooser = text.index("Predictors")
    for name in several.descriptor_names():  # "- `mol_weight`: its molecular weight ..."
        assert re.search(rf"\b{name}\s*\)?\s*:\s*\w", text[:chooser]), name


def test_the_glossarys_slides_hold_every_entry_once_in_order_by_whole_first_letters():
    slides = [glossary.on_slide(n) for n in range(glossary.SLIDES)]
    terms = [term for slide in slides for term in slide]
    assert terms == sorted(glossary.GLOSSARY)
    assert all(slide[term] == glossary.GLOSSARY[term] for slide in slides for term in slide)
    letters = [{term[0] for term in slide} for slide in slides]
    assert all(a.isdisjoint(b) for i, a in enumerate(letters) for b in letters[i + 1 :])
    # as even as whole letters allow: no slide holds more than twice the text of another
    lengths = [sum(len(t) + len(d) for t, d in slide.items()) for slide in slides]
    assert max(lengths) <= 2 * min(lengths)
    with pytest.raises(IndexError, match="glossary has"):
        glossary.on_slide(glossary.SLIDES)
