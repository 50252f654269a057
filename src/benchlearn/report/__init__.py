"""How results look: the terminal (rich), HTML (Jinja templates) and JSON renderers.

:mod:`~benchlearn.report.summary` draws a regression summary, :mod:`~benchlearn.report.fit` and
:mod:`~benchlearn.report.curve` a fitted table and a standard curve (from
:mod:`benchlearn.analysis`), :mod:`~benchlearn.report.html` writes the self-contained HTML report.
"""

from benchlearn.report.summary import RegressionSummary

__all__ = ["RegressionSummary"]
