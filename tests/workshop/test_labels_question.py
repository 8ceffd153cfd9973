"""Exercise 5's question: the answer by brute force over statsmodels' Wilson interval; feedback gives only a direction."""

import math
import re

import numpy as np
from statsmodels.stats.proportion import proportion_confint

import aipm_sim as am
from aipm_sim.workshop import self_check as sc


def test_answer_by_brute_force():
    rate = am.load_scenario("fraud_detection").values["fraud_rate"]
    n = np.arange(1, 3000)
    low, high = proportion_confint(0.8 * n, n, alpha=0.05, method="wilson")
    frauds = int(n[np.argmax((high - low) / 2 <= 0.03)])
    assert sc.labels_for_recall_margin() == math.ceil(frauds / rate - 1e-9)


def test_feedback_never_shows_a_number():
    expected = sc.labels_for_recall_margin()
    for answer, message in ((expected / 3, sc.MSG_LABELS_TOO_FEW), (expected * 3, sc.MSG_LABELS_TOO_MANY),
                            (682, sc.MSG_LABELS_TOO_FEW)):
        verdict = sc.check("labels_for_recall_margin", f"{answer:.0f}")
        assert not verdict.correct and verdict.message == f"Not yet: {message}"
        assert not re.search(r"\d", message.replace("±3", ""))
    assert sc.check("labels_for_recall_margin", f"{expected * 1.04:.0f}").correct
    assert sc.check("labels_for_recall_margin", f"{683 / 0.003:.0f}").correct  # the normal formula's answer
