"""A curve from Dask goes everywhere an in-memory one goes: optimize, ValueModel.value, the explorer, the report.

Oracles: the same calls on the in-memory curve of the same rows, and a brute-force best row.
"""

import datetime
import math

import dask
import dask.dataframe as dd
import numpy as np
import pytest
from numpy.testing import assert_array_equal

import aipm_sim as am
from aipm_sim import report

from .test_dask_curve import ROLES, in_memory

VALUE = am.ValueModel(tp=40.0, fp=-5.0, fn=-20.0, tp_amount=0.5, fp_amount=-0.01)
CONSTRAINTS = {"min_recall": 0.3, "max_alert_rate": 0.5}


@pytest.fixture(autouse=True)
def threads():
    with dask.config.set(scheduler="threads"):
        yield


@pytest.fixture(params=[None, 64], ids=["exact", "binned"])
def curves(request, rows):
    """(curve from Dask, the in-memory curve of the same rows)."""
    grid = request.param
    frame = dd.from_pandas(rows, npartitions=5)
    return am.ThresholdCurve.from_dask(frame, **ROLES, grid=grid), in_memory(rows, grid=grid)


def test_value_and_optimize_equal_in_memory(curves):
    got, expected = curves
    assert_array_equal(VALUE.value(got, volume=10_000), VALUE.value(expected, volume=10_000))
    d, e = am.optimize(got, VALUE, volume=10_000, **CONSTRAINTS), am.optimize(expected, VALUE, volume=10_000,
                                                                            **CONSTRAINTS)
    assert (d.threshold, d.value, d.point) == (e.threshold, e.value, e.point)
    # Brute force over the rows: the best value among the rows meeting both constraints.
    values = VALUE.value(got, volume=10_000)
    ok = (got.recall >= 0.3) & (got.alert_rate <= 0.5)
    assert d.value == np.max(values[ok])


def test_the_explorer_reads_a_curve_from_dask(curves):
    got, expected = curves
    pytest.importorskip("ipywidgets")
    from aipm_sim.widgets import ThresholdExplorer

    ex = ThresholdExplorer(got, VALUE, volume=10_000, render=False, **CONSTRAINTS)
    ref = ThresholdExplorer(expected, VALUE, volume=10_000, render=False, **CONSTRAINTS)
    assert (ex.result.best_threshold, ex.result.best_value) == (ref.result.best_threshold, ref.result.best_value)
    assert ex.result.best_threshold == am.optimize(got, VALUE, volume=10_000, **CONSTRAINTS).threshold


def test_the_report_shows_a_decision_on_a_curve_from_dask(curves):
    # The report's figures are matplotlib Figures made without pyplot: no backend to set.
    got, _ = curves
    decision = am.optimize(got, VALUE, volume=10_000, **CONSTRAINTS)
    analysis = report.ReportAnalysis(
        title="Fraud review from the data lake", date=datetime.date(2026, 12, 4), version=am.__version__,
        inputs="scores on Dask", narrative="", scenario=None, decision=decision,
        nothing_value=float(decision.values[0]), assumptions=(), sensitivity=None, caveats=(), period="day",
        currency="EUR")
    table = report.decision_markdown(analysis)
    assert "EUR" in table
    assert analysis.headline().startswith("flag scores >= ")
    for make in (report.value_figure, report.metrics_figure, report.outcomes_figure):
        fig = make(analysis)
        assert len(fig.figure.axes) >= 1 and fig.alt
        assert fig.png().startswith(b"\x89PNG")
    assert math.isfinite(analysis.uplift_over_nothing)
