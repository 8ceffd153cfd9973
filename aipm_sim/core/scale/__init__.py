"""Beyond one machine: exact and binned curves from partitioned data on Dask.

The public faces are :meth:`aipm_sim.ThresholdCurve.from_dask`, :func:`simulate_uncertainty_dask` (a
Poisson bootstrap, :mod:`.bootstrap`) and the command line's ``--engine dask``.
:mod:`.partials` holds what a partition sends back and how partials merge (numpy and numba only);
:mod:`.dask_curve` builds the tree reduction; :mod:`.files` turns a folder or a glob of Parquet/CSV
files into a Dask DataFrame with one partition per file. Dask is imported inside functions only, so
``import aipm_sim`` never loads it.
"""

from .bootstrap import simulate_uncertainty_dask
from .dask_curve import MAX_DISTINCT_SCORES  # noqa: F401 - the documented limit of an exact curve

__all__ = ["simulate_uncertainty_dask"]
