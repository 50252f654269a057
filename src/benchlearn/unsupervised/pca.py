"""``PCA``: the directions along which samples vary most, found by a singular value decomposition.

Centre the data (subtract each column's mean) and factor it as ``U S Vᵀ``. The rows of ``Vᵀ``
are the principal components: orthogonal directions, ordered by how much of the variation lies
along them (``S²/(n-1)`` each). Projecting samples onto the first two gives a map of the data in
which nearby samples have similar profiles: a first look at, say, 20,000 genes per patient.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from benchlearn.errors import UsageError


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis via the SVD of the centred data.

    Parameters
    ----------
    n_components : int, float or None
        Components to keep: a number; a fraction in (0, 1) = as many as needed to explain that
        share of the variance; None = all.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        Principal directions. Sign convention: each component's largest-magnitude entry is
        positive (the SVD itself leaves the sign free).
    explained_variance_, explained_variance_ratio_ : ndarray
        Variance along each component, and its share of the total.
    singular_values_ : ndarray
    mean_ : ndarray of shape (n_features,)
    n_components_ : int

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9], [4.0, 8.0]])
    >>> float(np.round(PCA(1).fit(X).explained_variance_ratio_[0], 4))
    0.9999
    """

    def __init__(self, n_components: int | float | None = None) -> None:
        self.n_components = n_components

    def fit(self, X: Any, y: Any = None) -> PCA:
        """Find the principal components of ``X``."""
        self._fit(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit, and return the samples' coordinates on the components."""
        U, S = self._fit(X)
        k = self.n_components_
        return U[:, :k] * S[:k]

    def _fit(self, X: Any) -> tuple[np.ndarray, np.ndarray]:
        X = validate_data(self, X, dtype=np.float64, ensure_min_samples=2)
        n, p = X.shape
        self.mean_ = X.mean(axis=0)
        U, S, Vt = scipy.linalg.svd(X - self.mean_, full_matrices=False)
        signs = np.sign(Vt[np.arange(len(Vt)), np.argmax(np.abs(Vt), axis=1)])
        signs[signs == 0] = 1.0
        U, Vt = U * signs, Vt * signs[:, None]
        variance = S**2 / (n - 1)
        total = variance.sum()
        ratio = variance / total if total > 0 else np.zeros_like(variance)
        k = self._choose(ratio, min(n, p))
        self.n_components_ = k
        self.components_ = Vt[:k]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = ratio[:k]
        self.singular_values_ = S[:k]
        self.n_samples_ = n
        return U, S

    def _choose(self, ratio: np.ndarray, most: int) -> int:
        wanted = self.n_components
        if wanted is None:
            return most
        if isinstance(wanted, float) and 0 < wanted < 1:
            return int(np.searchsorted(np.cumsum(ratio), wanted) + 1)
        if isinstance(wanted, int | np.integer) and 1 <= wanted <= most:
            return int(wanted)
        raise UsageError(
            f"n_components={wanted!r} must be between 1 and {most}, or a fraction in (0, 1)",
            fix="e.g. n_components=2 for a map, or 0.9 to keep 90% of the variance",
        )

    def transform(self, X: Any) -> np.ndarray:
        """Coordinates of samples on the principal components."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return (X - self.mean_) @ self.components_.T

    def inverse_transform(self, Z: Any) -> np.ndarray:
        """Back from component coordinates to the original features (lossy if k < p)."""
        check_is_fitted(self)
        return np.asarray(Z, dtype=float) @ self.components_ + self.mean_
