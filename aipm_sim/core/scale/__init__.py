"""Beyond one machine: exact and binned curves from partitioned data on Dask.

The public face is :meth:`aipm_sim.ThresholdCurve.from_dask` (and the command line's ``--engine dask``).
:mod:`.partials` holds what a partition sends back and how partials merge (numpy and numba only);
:mod:`.dask_curve` builds the tree reduction; :mod:`.files` turns a folder or a glob of Parquet/CSV
files into a Dask DataFrame with one partition per file. Dask is imported inside functions only, so
``import aipm_sim`` never loads it.
"""

from .dask_curve import MAX_DISTINCT_SCORES  # noqa: F401 - the documented limit of an exact curve

__all__ = []
