"""Learning without labels: k-means clustering and principal component analysis."""

from benchlearn.unsupervised.kmeans import KMeans
from benchlearn.unsupervised.pca import PCA

__all__ = ["PCA", "KMeans"]
