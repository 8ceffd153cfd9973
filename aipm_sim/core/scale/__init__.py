"""Beyond one machine: exact and binned curves from partitioned data on Dask (imported only when used).
"""

__all__ = []
