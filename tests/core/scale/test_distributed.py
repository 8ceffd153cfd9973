"""The same curves on a dask.distributed cluster (2 workers) as on the threaded scheduler and in memory."""

import socket

import dask
import dask.dataframe as dd
import pytest

import aipm_sim as am
from aipm_sim.core._checks import data_row
from aipm_sim.core.engine.scores import MSG_LABELS
from aipm_sim.core.errors import DataError
from aipm_sim.core.scale.dask_curve import curve_from_dask
from aipm_sim.core.scale.partials import MSG_WHERE, partition_name

from .conftest import write_parts
from .test_dask_curve import ROLES, assert_same_curve, exactly, in_memory

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client(dask_cluster):
    # A client of the session's one cluster (tests/conftest.py) for this module only: while it is open it
    # is the default scheduler, so it is closed before other modules' threaded-scheduler tests run.
    with distributed.Client(dask_cluster) as client:
        yield client


@pytest.fixture
def lake(tmp_path, rows):
    return write_parts(tmp_path / "lake", rows, [700, 0, 300, 1200, 800])


@pytest.mark.parametrize("grid", [None, 200, [0.05, 0.5, 0.95]])
def test_cluster_threads_and_memory_give_the_same_curve(client, lake, rows, grid):
    frame = dd.read_parquet(lake)
    with distributed.get_task_stream(client) as stream:
        on_cluster = am.ThresholdCurve.from_dask(frame, **ROLES, grid=grid)
    assert {t["worker"] for t in stream.data} <= set(client.scheduler_info()["workers"])
    assert len(stream.data) >= 5  # at least a task per partition ran on the cluster's workers
    with dask.config.set(scheduler="threads"):
        on_threads = am.ThresholdCurve.from_dask(frame, **ROLES, grid=grid)
    assert_same_curve(on_cluster, on_threads)
    assert_same_curve(on_cluster, in_memory(rows, grid=grid))
    # Merged two at a time on the workers, then on the client: the same curve.
    assert_same_curve(curve_from_dask(frame, **ROLES, grid=grid, split_every=2), on_cluster)


def test_a_bad_row_on_a_worker_is_the_same_error_on_the_client(client, rows):
    rows = rows.astype({"fraud": float})
    rows.loc[1502, "fraud"] = 0.5
    frame = dd.from_pandas(rows, npartitions=3, sort=False)  # 1000 rows each
    message = MSG_WHERE.format(partition_name(1, 3), MSG_LABELS.format("column 'fraud'", 0.5, 1, data_row(502)))
    with pytest.raises(DataError, match=exactly(message)):
        am.ThresholdCurve.from_dask(frame, **ROLES)


def test_a_cluster_starts_while_port_8787_is_taken():
    # The scheduler's HTTP server takes 8787 unless told otherwise, even without a dashboard; a second
    # cluster then warns "Port 8787 is already in use" (an error under filterwarnings=error).
    from aipm_sim.core.scale.files import LOCAL_CLUSTER_OPTIONS

    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", 8787))
            taken.listen()
        except OSError:  # already taken by someone else: the same situation
            pass
        cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                           **LOCAL_CLUSTER_OPTIONS)
        try:
            assert cluster.scheduler.http_server.port != 8787
            assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        finally:
            cluster.close()
