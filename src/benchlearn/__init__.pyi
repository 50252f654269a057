# The public surface of ``import benchlearn``, loaded lazily at run time (see __init__.py).
from .classify import LogisticRegression as LogisticRegression
from .errors import BenchlearnError as BenchlearnError
from .errors import DataError as DataError
from .errors import FitError as FitError
from .linear import LinearRegression as LinearRegression
from .linear import PolynomialRegression as PolynomialRegression
from .linear import Ridge as Ridge
from .neural import MLPClassifier as MLPClassifier
from .neural import MLPRegressor as MLPRegressor
from .nonlinear import NonlinearRegression as NonlinearRegression
from .unsupervised import PCA as PCA
from .unsupervised import KMeans as KMeans

__version__: str
