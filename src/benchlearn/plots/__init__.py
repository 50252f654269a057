"""Figures shared by every face of benchlearn: the lesson, the HTML report, the handout, notebooks.

Each plotting function takes data or a fitted estimator and returns a matplotlib ``Figure``;
:mod:`benchlearn.plots.render` turns a figure into text that can be embedded in an offline page.
"""
