"""Part 1's three approaches to the biopsies: the hand-written rule and the learned models."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

HIDDEN_UNITS = 8


def rule_predictions(X: pd.DataFrame, threshold: float) -> np.ndarray:
    """The hand-written rule: malignant if the mean nucleus radius is above ``threshold``."""
    return np.where(X["mean_radius"] > threshold, "malignant", "benign")


def parameter_count(model: Any) -> int:
    """Weights plus intercepts a fitted classifier learned (every layer, for a network)."""
    if hasattr(model, "coefs_"):
        layers = [*model.coefs_, *model.intercepts_]
    else:
        layers = [model.coef_, model.intercept_]
    return int(sum(np.size(values) for values in layers))
