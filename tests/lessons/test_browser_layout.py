"""Lesson 1's layout in Chromium: slides that fit the screen, controls beside their figures,
readouts and options at body-text size (issue 15).

The page checks reuse the one served lesson of the session (``lesson_page``); the slide check
serves the lesson in presenting mode (``presented_lesson``).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SCREEN = {"width": 1366, "height": 768}  # a common laptop screen
SLIDE_SCREEN = {"width": 1280, "height": 720}  # a projector
UPDATE_MS = 60_000
XFAIL_PART = "{part} still need scrolling on a slide (issue 15, open): {what}"

# Every control that changes a figure, by accessible name, with the part it belongs to. Its
# figure is the first figure after it on the page (:data:`FIGURE_AFTER`).
CONTROLS = {
    "Rule threshold: mean nucleus radius (pixels)": ("slider", "Part 1"),
    "Number of clusters (k)": ("slider", "Part 2"),
    "Intercept (b0)": ("slider", "Part 3"),
    "Slope (b1)": ("slider", "Part 3"),
    "Learning rate": ("slider", "Part 3"),
    "Take one step": ("button", "Part 3"),
    "Run 50 steps": ("button", "Part 3"),
    "Start again": ("button", "Part 3"),
    "Solve exactly": ("button", "Part 3"),
    "Polynomial degree": ("slider", "Part 3"),
    "Optimiser step": ("slider", "Part 3"),
    "Descriptors used to predict solubility": ("combobox", "Part 4"),
    "Untested compounds tested next (%)": ("slider", "Part 4"),
    "Tumour groups asked for (k)": ("slider", "Part 4"),
    "Cell groups asked for (k)": ("slider", "Part 4"),
    "Annotated pixels to learn from": ("slider", "Part 4"),
    "Patient groups by": ("combobox", "Part 4"),
}

# Part 4's controls and the start of their example's figure's alt text (biotech_page).
PART4_FIGURE = {
    "Descriptors used to predict solubility": "Predicted against measured solubility",
    "Untested compounds tested next (%)": "Hits found against compounds tested",
    "Tumour groups asked for (k)": "Tumours on two principal components",
    "Cell groups asked for (k)": "Cells on two principal components",
    "Annotated pixels to learn from": "The right half of the image",
    "Patient groups by": "Accuracy per patient group",
}

# The control's figure: the first <img> after the control in the page's order. marimo renders
# widgets inside shadow roots, so the walk goes through them.
FIGURE_AFTER = """
(control) => {
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const at = all.indexOf(control);
  const figure = all.slice(at + 1).find((el) => el.tagName === 'IMG' && el.src.startsWith('data:'));
  if (!figure) return null;
  const a = control.getBoundingClientRect(), b = figure.getBoundingClientRect();
  return {
    top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom),
    left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
    figureHeight: b.height, alt: figure.alt,
  };
}
"""

# Every widget on the page that can move a figure: sliders, marimo buttons and dropdowns.
CONTROL_NAMES = """
() => {
  const names = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const role = el.getAttribute('role');
      const kind = role === 'slider' ? 'slider'
        : el.tagName === 'SELECT' ? 'combobox'
        : (el.tagName === 'BUTTON' && el.closest('[data-testid="marimo-plugin-button"]'))
          ? 'button' : null;
      if (!kind) continue;
      const root_ = el.getRootNode();
      const by = el.getAttribute('aria-labelledby');
      let label = el.getAttribute('aria-label') || '';
      if (by) label = by.split(' ').map((id) => root_.getElementById(id)?.textContent || '')
        .join(' ');
      if (!label && el.id) label = root_.querySelector(`label[for="${el.id}"]`)?.textContent || '';
      if (kind === 'button') label = el.textContent;
      names.push([kind, label.trim()]);
    }
  };
  walk(document);
  return names;
}
"""


def locate(page, name: str):
    kind, _ = CONTROLS[name]
    return page.get_by_role(kind, name=name, exact=True)


def test_every_control_that_moves_a_figure_is_checked(lesson_page):
    page = lesson_page.page
    page.set_viewport_size(SCREEN)
    found = page.evaluate(CONTROL_NAMES)
    # Part 3's own-data widgets appear only with a file; the quiz has radios, not these.
    unchecked = {label for _, label in found if label and label not in CONTROLS}
    assert unchecked == set(), f"controls with no fit check: {sorted(unchecked)}"
    assert {label for _, label in found if label in CONTROLS} >= {
        name for name, (_, part) in CONTROLS.items() if part != "Part 4"
    }


@pytest.mark.parametrize("name", list(CONTROLS))
def test_a_control_and_its_figure_fit_one_laptop_screen(lesson_page, name):
    page = lesson_page.page
    page.set_viewport_size(SCREEN)
    control = locate(page, name)
    control.scroll_into_view_if_needed(timeout=UPDATE_MS)
    # Part 4's examples are computed when scrolled to: wait for the figure after the control,
    # and for an example's own figure (until it is drawn, the next example's comes first)
    handle = control.element_handle()
    page.wait_for_function(
        f"""([control, alt]) => {{ const box = ({FIGURE_AFTER})(control);
            return box !== null && box.alt.startsWith(alt); }}""",
        arg=[handle, PART4_FIGURE.get(name, "")],
        timeout=UPDATE_MS,
    )
    box = page.evaluate(FIGURE_AFTER, handle)
    assert box["figureHeight"] > 50, box
    height, width = box["bottom"] - box["top"], box["right"] - box["left"]
    assert height <= SCREEN["height"], f"{name!r} and {box['alt']!r} span {height:.0f} px"
    assert width <= SCREEN["width"], f"{name!r} and {box['alt']!r} span {width:.0f} px wide"


def test_readouts_and_quiz_options_are_at_body_text_size(lesson_page):
    page = lesson_page.page
    sizes = page.evaluate(
        """() => {
          const size = (el) => parseFloat(getComputedStyle(el).fontSize);
          const all = [];
          const walk = (root) => {
            for (const el of root.querySelectorAll('*')) {
              all.push(el);
              if (el.shadowRoot) walk(el.shadowRoot);
            }
          };
          walk(document);
          // marimo's Markdown paragraphs (<span class="paragraph">, or <p>)
          const prose = all.filter((el) => (el.tagName === 'P' || (el.classList
                                     && el.classList.contains('paragraph')))
                                     && !el.classList.contains('readout')
                                     && el.textContent.length > 80).map(size).sort();
          return {
            body: prose.length ? prose[Math.floor(prose.length / 2)] : null,
            readouts: all.filter((el) => el.classList && el.classList.contains('readout'))
                         .map(size),
            options: all.filter((el) => el.tagName === 'LABEL'
                                   && el.closest('[data-testid="marimo-plugin-radio"]'))
                        .map(size),
            sliderValues: all.filter((el) => el.classList
                                        && el.classList.contains('text-muted-foreground')
                                        && el.classList.contains('min-w-[16px]')).map(size),
          };
        }"""
    )
    body = sizes["body"]
    assert body and body >= 14
    for kind in ("readouts", "options", "sliderValues"):
        assert sizes[kind], f"no {kind} found on the page"
        assert min(sizes[kind]) >= body - 0.5, (kind, body, sorted(set(sizes[kind])))


@pytest.fixture(scope="module")
def slides_that_scroll(chromium, serve_lesson, lesson_artifacts):
    """Every slide of the presented lesson at 1280x720: ``(number, part, overflow)`` of those
    whose content needs scrolling (overflow in CSS pixels), and the number of slides."""
    with serve_lesson(chromium, present=True) as visit:
        page = visit.page
        page.set_viewport_size(SLIDE_SCREEN)
        # every cell has run when the last slide (the glossary) is there
        page.wait_for_function(
            "() => [...document.querySelectorAll('.reveal .slides > section')]"
            ".some((slide) => slide.textContent.includes('Glossary'))",
            timeout=UPDATE_MS * 5,
        )
        # ... and nothing is left to update (a stale or running output may change height)
        page.wait_for_function(
            "() => document.querySelectorAll('.marimo-output-stale').length === 0",
            polling=500,
            timeout=UPDATE_MS * 5,
        )
        count = page.locator(".reveal .slides > section").count()
        part, scrolling = "the introduction", []
        for index in range(count):
            page.wait_for_timeout(300)  # reveal's transition and the slide's layout
            slide = page.evaluate(SLIDE_OVERFLOW)
            if slide is None:
                continue
            heading = slide["text"].split("\n", 1)[0]
            if heading.startswith("Part "):
                part = heading.split(" ·")[0]
            elif heading.startswith("Glossary"):
                part = "the glossary"
            if slide["vertical"] > 1 or slide["horizontal"] > 1:
                scrolling.append((index + 1, part, slide))
                page.screenshot(path=str(lesson_artifacts / f"slide-{index + 1:02d}.png"))
            if index + 1 < count:
                page.get_by_role("button", name="next slide").click()
        assert visit.outside_requests() == []
    return scrolling, count


SLIDE_OVERFLOW = """() => {
  const slide = document.querySelector('.reveal .slides > section.present');
  const box = slide && slide.querySelector('[data-testid="slide-scroll-container"]');
  if (!box) return null;
  return {vertical: box.scrollHeight - box.clientHeight,
          horizontal: box.scrollWidth - box.clientWidth,
          text: slide.innerText.trim().slice(0, 60)};
}"""


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param(
            ("Part 1", "Part 2", "Part 3"),
            marks=pytest.mark.xfail(
                reason=XFAIL_PART.format(
                    part="Parts 1-3", what="sections and quizzes longer than a slide"
                ),
                strict=False,
            ),
            id="parts-1-to-3",
        ),
        pytest.param(("the introduction", "Part 4"), id="introduction-and-part-4"),
        pytest.param(
            ("the glossary",),
            marks=pytest.mark.xfail(
                reason="the glossary (about 70 terms) is several slides long; it is read on "
                "the page or the handout, not presented",
                strict=False,
            ),
            id="glossary",
        ),
    ],
)
def test_no_slide_needs_scrolling_on_a_1280_by_720_screen(slides_that_scroll, parts):
    scrolling, count = slides_that_scroll
    assert count >= 20
    mine = [(number, slide) for number, part, slide in scrolling if part in parts]
    assert mine == [], f"{len(mine)} slides of {', '.join(parts)} scroll: {mine}"
