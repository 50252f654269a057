"""``KMeans``: split samples into k groups around k centres, without any labels.

Lloyd's algorithm alternates two steps until nothing changes:

1. **Assign** every sample to its nearest centre.
2. **Update** every centre to the mean of the samples assigned to it.

Each step can only lower the *inertia* (the sum of squared distances from samples to their
centres), so it stops, though possibly in a local minimum: it is run from several starts and the
best is kept. Starts are chosen by k-means++: the first centre is a random sample, and each next
one a sample drawn with probability proportional to its squared distance from the nearest centre
chosen so far, which spreads the starts out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from benchlearn.errors import UsageError


def squared_distances(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Squared Euclidean distance from every sample (rows) to every centre (columns)."""
    return ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)


def kmeans_plus_plus(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Initial centres by k-means++ (Arthur & Vassilvitskii, 2007)."""
    centres = [X[rng.integers(len(X))]]
    for _ in range(1, k):
        d2 = squared_distances(X, np.array(centres)).min(axis=1)
        total = d2.sum()
        index = rng.choice(len(X), p=d2 / total) if total > 0 else rng.integers(len(X))
        centres.append(X[index])
    return np.array(centres)


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-means clustering (Lloyd's algorithm), with every iteration recorded.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of groups k.
    init : "k-means++" or ndarray of shape (n_clusters, n_features)
        How to choose the starting centres.
    n_init : int, default=10
        Starts to try (the best, lowest inertia, is kept); 1 when ``init`` is an array.
    max_iter : int, default=300
        Most assign/update rounds per start.
    tol : float, default=1e-4
        Stop when the centres move (sum of squared shifts) less than ``tol`` times the data's
        mean variance, as in scikit-learn; 0 means: stop only when no sample changes group.
    random_state : int or None

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,)
    inertia_ : float
        Sum of squared distances of samples to their centre.
    n_iter_ : int
    history_ : DataFrame
        Per iteration of the best start: iteration, inertia, centre_shift.
    centers_history_, labels_history_ : list of ndarray
        The centres and the assignments after every iteration, for plotting.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    >>> model = KMeans(n_clusters=2, random_state=0).fit(X)
    >>> len(set(model.labels_[:2])), model.labels_[0] != model.labels_[2]
    (1, np.True_)
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        init: str | np.ndarray = "k-means++",
        n_init: int = 10,
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: int | None = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> KMeans:
        """Cluster the samples (``y`` is ignored: k-means never sees labels)."""
        X = validate_data(self, X, dtype=np.float64)
        if len(X) < self.n_clusters:
            raise ValueError(
                f"n_samples={len(X)} should be >= n_clusters={self.n_clusters}: cannot make "
                "more groups than samples"
            )
        rng = np.random.default_rng(self.random_state)
        explicit = not isinstance(self.init, str)
        if not explicit and self.init != "k-means++":
            raise UsageError(
                f"init={self.init!r} is not 'k-means++' or an array of centres",
                fix="Use init='k-means++'",
            )
        threshold = self.tol * np.mean(np.var(X, axis=0))
        best = None
        for _ in range(1 if explicit else self.n_init):
            start = (
                np.array(self.init, dtype=float)
                if explicit
                else kmeans_plus_plus(X, self.n_clusters, rng)
            )
            run = self._lloyd(X, start.copy(), threshold)
            if best is None or run[2] < best[2]:
                best = run
        centres, labels, inertia, history, centres_seen, labels_seen = best
        self.cluster_centers_ = centres
        self.labels_ = labels
        self.inertia_ = float(inertia)
        self.history_ = history
        self.centers_history_ = centres_seen
        self.labels_history_ = labels_seen
        self.n_iter_ = len(history)
        return self

    def _lloyd(self, X: np.ndarray, centres: np.ndarray, threshold: float) -> tuple:
        labels = squared_distances(X, centres).argmin(axis=1)
        records, centres_seen, labels_seen = [], [centres.copy()], [labels.copy()]
        for iteration in range(1, self.max_iter + 1):
            new = centres.copy()
            for k in range(self.n_clusters):
                members = X[labels == k]
                if len(members):
                    new[k] = members.mean(axis=0)
                else:  # an empty group takes the sample farthest from its centre
                    d2 = squared_distances(X, new).min(axis=1)
                    new[k] = X[d2.argmax()]
            shift = float(((new - centres) ** 2).sum())
            centres = new
            d2 = squared_distances(X, centres)  # once for the assignment and the inertia
            new_labels = d2.argmin(axis=1)
            unchanged = np.array_equal(new_labels, labels)
            labels = new_labels
            inertia = float(d2[np.arange(len(X)), labels].sum())
            records.append((iteration, inertia, shift))
            centres_seen.append(centres.copy())
            labels_seen.append(labels.copy())
            if unchanged or shift <= threshold:
                break
        history = pd.DataFrame(records, columns=["iteration", "inertia", "centre_shift"])
        return centres, labels, inertia, history, centres_seen, labels_seen

    def predict(self, X: Any) -> np.ndarray:
        """Index of the nearest centre for each sample."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return squared_distances(X, self.cluster_centers_).argmin(axis=1)

    def transform(self, X: Any) -> np.ndarray:
        """Distance from each sample to each centre."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return np.sqrt(squared_distances(X, self.cluster_centers_))

    def score(self, X: Any, y: Any = None) -> float:
        """Minus the inertia of ``X`` around the fitted centres (higher is better)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return -float(squared_distances(X, self.cluster_centers_).min(axis=1).sum())
