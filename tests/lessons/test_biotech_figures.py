"""Part 4's figures: what each one draws stays inside it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchlearn.lessons.lesson1 import biotech_figures
from benchlearn.lessons.lesson1.biotech_page import SOLUBILITY_SETS


@pytest.mark.parametrize("descriptors", list(SOLUBILITY_SETS.values()), ids=list(SOLUBILITY_SETS))
def test_the_solubility_title_naming_the_descriptors_stays_inside_the_figure(descriptors):
    predictions = pd.DataFrame(
        {"measured": np.linspace(-6.0, 1.0, 30), "predicted": np.linspace(-5.5, 0.5, 30)}
    )
    fig = biotech_figures.solubility_figure(predictions, 0.71, descriptors)
    fig.canvas.draw()
    title = fig.axes[0].title
    box = title.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width
    assert box.y0 >= 0 and box.y1 <= fig.bbox.height
    for name in descriptors:
        assert name in title.get_text()
