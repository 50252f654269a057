"""Method-comparison figures draw the fitted lines and the Bland-Altman limits they report."""

from __future__ import annotations

import numpy as np
import pytest

from benchlearn.assay.method_comparison import compare_methods
from benchlearn.plots.method_comparison import bland_altman_plot, comparison_scatter

REFERENCE = np.array([1.0, 2.1, 2.9, 4.2, 5.0, 6.1, 7.0, 8.2, 8.9, 10.1])
NEW = np.array([1.2, 2.0, 3.2, 4.5, 5.1, 6.6, 7.3, 8.9, 9.4, 10.8])


@pytest.fixture(scope="module")
def comparison():
    return compare_methods(REFERENCE, NEW)


def test_scatter_draws_identity_and_both_fitted_lines(comparison):
    ax = comparison_scatter(REFERENCE, NEW, comparison).axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert "identity (y = x)" in lines
    for fit in (comparison.deming, comparison.passing_bablok):
        (line,) = [v for k, v in lines.items() if k.startswith(fit.method)]
        xs, ys = line.get_data()
        np.testing.assert_allclose(ys, fit.intercept.value + fit.slope.value * np.asarray(xs))


def test_bland_altman_plot_draws_bias_and_limits_with_their_intervals(comparison):
    result = comparison.bland_altman
    ax = bland_altman_plot(result).axes[0]
    heights = sorted(line.get_ydata()[0] for line in ax.get_lines() if line.get_label()[0] != "_")
    expected = sorted(q.value for q in (result.bias, result.lower_limit, result.upper_limit))
    np.testing.assert_allclose(heights, expected)
    bands = sorted((p.get_y(), p.get_y() + p.get_height()) for p in ax.patches)
    expected_bands = sorted((q.lower, q.upper) for q in (result.bias, result.lower_limit,
                                                         result.upper_limit))  # fmt: skip
    np.testing.assert_allclose(bands, expected_bands)
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], NEW - REFERENCE)
