"""Partitioned Parquet data sets written to a temporary folder, and their in-memory twins."""

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")


def scored_rows(n, seed):
    """Heavy ties (scores in twentieths), 10 % positives, quarter weights and whole amounts.

    Quarter weights and whole amounts keep every sum exact in float64 whatever the order of
    addition, so a merged curve can be compared with the in-memory one by equality.
    """
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "score": rng.integers(0, 21, n) / 20,
        "fraud": rng.random(n) < 0.1,
        "amount": rng.integers(0, 500, n).astype(float),
        "weight": rng.integers(1, 9, n) / 4,
    })


def write_parts(folder, frame, sizes):
    """Write consecutive slices of ``frame`` of the given sizes, one Parquet file each (part-000 …)."""
    folder.mkdir(parents=True, exist_ok=True)
    start = 0
    for i, size in enumerate(sizes):
        frame.iloc[start:start + size].to_parquet(folder / f"part-{i:03d}.parquet", index=False)
        start += size
    assert start == len(frame)
    return folder


@pytest.fixture
def rows():
    return scored_rows(3000, seed=11)
