"""Scale: the same exact fit on files larger than memory, and on a Dask cluster.

Dask is optional (``pip install 'benchlearn[dask]'``); importing this package never imports it.
"""

from benchlearn.scale.streaming import fit_streaming

__all__ = ["fit_file_with_dask", "fit_streaming"]


def fit_file_with_dask(*args, **kwargs):
    """Fit a file with Dask: see :func:`benchlearn.scale.dask_fit.fit_file_with_dask`."""
    from benchlearn.scale.dask_fit import fit_file_with_dask as fit

    return fit(*args, **kwargs)
