"""The report's "How sure are we?" section: what it shows for each kind of input, against the core functions."""

import matplotlib
import pytest

import aipm_sim as am
from aipm_sim import report
from aipm_sim.report._sections import SECTIONS
from aipm_sim.report._uncertainty import uncertainty_section

matplotlib.use("Agg")


def test_registered():
    assert ("aipm_sim.report._uncertainty", "uncertainty_section") in SECTIONS


def test_fraud_section_shows_intervals_best_threshold_verdict_and_labels():
    analysis = report.analyse(scenario="fraud_detection")
    parts = uncertainty_section(analysis)
    text = "\n".join(p for p in parts if isinstance(p, str))
    scenario = am.load_scenario("fraud_detection")
    point = scenario.score_model().point(analysis.decision.threshold)
    low, high = point.interval("recall", validation_cases=50_000)
    assert text.startswith("## How sure are we?")
    assert f"| {100 * low:.1f}% – {100 * high:.1f}% |" in text  # the decision table's format (fmt_fraction)
    for line in scenario.verdict().describe().splitlines():
        assert f"- {line}" in text
    assert "### The best threshold and its value" in text and "### Labels for a tighter answer" in text
    assert sum(not isinstance(p, str) for p in parts) == 1  # the band figure
    for code_word in ("min_recall", "alert_rate", "_"):
        assert code_word not in text.replace("`validation_cases`", "")


def test_file_scenario_and_a_model_without_a_validation_size():
    parts = uncertainty_section(report.analyse(scenario="medical_screening"))
    assert "569 labelled cases" in parts[0]
    labels = next(p for p in parts if isinstance(p, str) and p.startswith("### Labels"))
    import re
    now, half = (float(x) for x in re.findall(r"±([\d.]+) points", labels))
    assert half == pytest.approx(now / 2, rel=0.05)  # ±1.3 halved reads ±0.65, not ±0.6
    note = uncertainty_section(report.analyse(scenario="credit_approval"))
    assert len(note) == 1 and "no sampling error of their own" in note[0]


def test_data_reports_have_no_section(tmp_path):
    sample = am.BinormalModel(prevalence=0.2, auc=0.8).sample(200, seed=1)
    path = tmp_path / "d.csv"
    import pandas as pd

    pd.DataFrame({"s": sample.scores, "y": sample.labels.astype(int)}).to_csv(path, index=False)
    analysis = report.analyse(data=str(path), score="s", label="y", value={"tp": 10, "fp": -1})
    assert uncertainty_section(analysis) == []


@pytest.fixture(autouse=True)
def _close():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
