"""Prediction intervals of a weighted calibration that say which weight the new reading got.

In a weighted fit a reading of weight ``w`` has variance ``σ²/w``, so the interval for a new
reading at ``x`` depends on the weight that reading would have. Under ``1/x²`` weights a
reading at x = 5 has weight 1/25, and its interval is five times as wide (in its scatter
term) as one that silently assumes weight 1. :func:`prediction_interval` takes the weights
(or the rule that gives them), reports which it used, and warns when it had to assume 1.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from benchlearn.assay.inverse import reading_weight_for
from benchlearn.assay.line import straight_line

CONVENTION = "prediction interval for one new reading of weight w0"
FORMULA = "ŷ ± t(1-α/2; n-2)·s·sqrt(1/w0 + 1/Σw + (x - x̄)²/Σw(xi - x̄)²)"


def prediction_interval(
    model: Any,
    x: Any,
    *,
    level: float = 0.95,
    reading_weight: Any = None,
    weight_rule: str | None = None,
    weighted: bool | None = None,
) -> pd.DataFrame:
    """Where one new reading at each ``x`` will fall, with the weight it was given.

    Parameters
    ----------
    model
        A fitted straight line (``LinearRegression`` with one predictor), weighted or not.
    x
        Concentrations to predict at.
    level
        Coverage probability.
    reading_weight
        The weight of each new reading (a number, one per x, or a function of x).
    weight_rule
        ``"1/x"``, ``"1/x2"``, ``"1/y"`` or ``"1/y2"``: the weight at each x (the ``y``
        rules at the predicted signal).
    weighted
        Whether the fit used weights. Default: judged from whether the weights sum to ``n``;
        weights normalised to mean 1 look unweighted, so declare them with ``True``.

    Returns
    -------
    DataFrame
        ``x``, ``mean``, ``lower``, ``upper``, ``reading_weight``, ``weight_source``,
        ``convention`` and ``formula``.

    Warns
    -----
    WeightWarning
        A weighted fit with neither ``reading_weight`` nor ``weight_rule``: weight 1 assumed.

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import LinearRegression
    >>> x = np.array([1.0, 2, 5, 10, 20])
    >>> y = np.array([1.02, 1.95, 5.1, 9.8, 20.5])
    >>> model = LinearRegression().fit(x.reshape(-1, 1), y, sample_weight=1 / x**2)
    >>> table = prediction_interval(model, [5.0], weight_rule="1/x2")
    >>> float(table.loc[0, "reading_weight"]), table.loc[0, "weight_source"]
    (0.04, 'rule 1/x2 at x = 5')
    """
    line = straight_line(model, weighted)
    xs = np.atleast_1d(np.asarray(x, dtype=float))
    means = line.a + line.b * xs
    given = reading_weight
    if given is not None and not callable(given):
        given = np.broadcast_to(np.asarray(given, dtype=float), xs.shape)
    weights, sources = [], []
    for i, (xi, yi) in enumerate(zip(xs, means, strict=True)):
        w = given[i] if isinstance(given, np.ndarray) else given
        w0, source = reading_weight_for(line, xi, yi, w, weight_rule)
        weights.append(w0)
        sources.append(source)
    names = getattr(model, "feature_names_in_", None)
    X = pd.DataFrame({str(names[0]): xs}) if names is not None else xs.reshape(-1, 1)
    band = model.predict_interval(
        X, kind="prediction", level=level, sample_weight=np.asarray(weights)
    )
    return pd.DataFrame(
        {
            "x": xs,
            "mean": band["mean"].to_numpy(),
            "lower": band["lower"].to_numpy(),
            "upper": band["upper"].to_numpy(),
            "reading_weight": weights,
            "weight_source": sources,
            "convention": CONVENTION,
            "formula": FORMULA,
        }
    )
