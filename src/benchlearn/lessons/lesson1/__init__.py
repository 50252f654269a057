"""Lesson 1: what machine learning is, supervised vs unsupervised, and linear regression whole.

``app.py`` is the marimo app; ``content``, ``questions`` and ``glossary`` hold its words as
plain data; ``compute`` says which benchlearn calls produce its numbers; ``figures`` and
``blocks`` draw them. The handout exporter reads the same modules.
"""

from pathlib import Path

APP_PATH = Path(__file__).with_name("app.py")
SLIDES_LAYOUT = Path(__file__).parent / "layouts" / "app.slides.json"
