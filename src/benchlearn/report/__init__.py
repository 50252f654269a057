"""Reports of a fit: the terminal and notebook summary, and the self-contained HTML report."""

from benchlearn.report.summary import RegressionSummary


def write_html_report(*args, **kwargs):
    """Write the HTML report: see :func:`benchlearn.report.html.write_html_report`."""
    from benchlearn.report.html import write_html_report as write

    return write(*args, **kwargs)


__all__ = ["RegressionSummary", "write_html_report"]
