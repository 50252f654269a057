"""The fitted-line figure: its bands come from the model's own intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchlearn import LinearRegression
from benchlearn.plots.regression import fit_with_bands


@pytest.fixture(scope="module")
def fitted():
    x = pd.Series(np.linspace(1, 10, 12), name="conc")
    y = pd.Series(0.2 + 0.5 * x + np.random.default_rng(0).normal(0, 0.3, 12), name="signal")
    return LinearRegression().fit(x.to_frame(), y), x, y


def band_tops(figure):
    return [c.get_paths()[0].vertices[:, 1].max() for c in figure.axes[0].collections[:-1]]


def test_both_bands_are_drawn_and_the_prediction_band_is_the_wider(fitted):
    model, x, y = fitted
    figure = fit_with_bands(model, x, y)
    prediction_top, confidence_top = band_tops(figure)
    grid = pd.DataFrame({"conc": [x.max()]})
    assert prediction_top == pytest.approx(
        model.predict_interval(grid, kind="prediction")["upper"].iloc[0], rel=1e-12
    )
    assert confidence_top == pytest.approx(model.predict_interval(grid)["upper"].iloc[0], rel=1e-12)


def test_weighted_fits_can_leave_out_the_prediction_band(fitted):
    model, x, y = fitted
    figure = fit_with_bands(model, x, y, prediction=False)
    labels = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert not any("prediction" in label for label in labels)
    assert any("confidence band" in label for label in labels)
    assert len(band_tops(figure)) == 1


def test_column_names_with_dollar_signs_are_drawn_as_written_not_as_math():
    import numpy as np
    import pandas as pd

    from benchlearn import LinearRegression
    from benchlearn.plots.regression import fit_with_bands
    from benchlearn.plots.render import figure_to_png_data_uri, figure_to_svg

    X = pd.DataFrame({"$\\frac{a$": [1.0, 2.0, 3.0, 4.0]})
    y = pd.Series([1.1, 1.9, 3.2, 3.9], name="cost ($)")
    model = LinearRegression().fit(X, y)
    fig = fit_with_bands(model, X.iloc[:, 0], y, title="$x$ vs $y")
    assert figure_to_svg(fig).startswith("<svg")  # unbalanced $ once raised a ValueError
    assert figure_to_png_data_uri(fig).startswith("data:image/png")
    assert fig.axes[0].get_xlabel() == "\\$\\frac{a\\$"  # escaped: drawn as written
    assert np.isfinite(fig.axes[0].get_xlim()).all()
