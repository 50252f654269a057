"""Lesson 1: what machine learning is, supervised vs unsupervised, and linear regression whole.

``app.py`` is the marimo app; ``content``, ``questions`` and ``glossary`` hold its words as
plain data; ``data`` its data sets, ``settings`` where its widgets start and reach,
``own_data`` the learner's file, ``approaches``, ``descent`` and ``overfitting`` the tables that
would drown a cell; ``figures`` and ``blocks`` draw. The handout is the app's own run
(:mod:`benchlearn.lessons.export`).
"""

from pathlib import Path

APP_PATH = Path(__file__).with_name("app.py")
SLIDES_LAYOUT = Path(__file__).parent / "layouts" / "app.slides.json"
# The page's styles (readouts and options at body-text size, slides that fit the screen).
STYLESHEET = Path(__file__).with_name("lesson.css")
