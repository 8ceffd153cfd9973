"""Shared test settings.

Hypothesis: no per-example deadline (numba compiles, or loads its cache, on
the first call of each sweep) and a moderate number of examples, so that the
core suite stays well under a minute on two busy cores. Tests that need more
or fewer examples say so with their own ``@settings``.
"""

import pytest
from hypothesis import settings

settings.register_profile("aipm_sim", deadline=None, max_examples=100)
settings.load_profile("aipm_sim")


@pytest.fixture(scope="module")
def dask_cluster():
    """ONE LocalCluster of 2 worker threads per test module that needs a cluster (tests/core/scale, tests/cli).

    Per module, not per session: the cluster's threads draw from Python's global ``random`` now and
    then, and Hypothesis fails any property test (in any later module) during which that state
    changes ("Do not use the random module inside strategies"); closed at the module's end, the
    cluster cannot reach the rest of the suite. (So: no @given test after a cluster test in a module.)

    processes=False: worker threads in this process (fast to start); protocol="tcp" because the
    default for threads (inproc) takes no host, and so that a client in another process (or the
    CLI's ``--scheduler``) connects by address. No dashboard and random ports (the scheduler's, and
    its HTTP server's, which would otherwise take 8787), so that concurrent test runs never clash.
    """
    distributed = pytest.importorskip("distributed")
    from aipm_sim.core.scale.files import LOCAL_CLUSTER_OPTIONS

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                                       **LOCAL_CLUSTER_OPTIONS)
    yield cluster
    cluster.close()
