"""Lesson tests share one end-to-end run of the lesson 1 app (about 5 s)."""

import pytest


@pytest.fixture(scope="session")
def lesson_defs():
    """The variables every cell of lesson 1 defined, after ``app.run()`` at default widgets."""
    from benchlearn.lessons.lesson1.app import app

    _, defs = app.run()
    return defs
