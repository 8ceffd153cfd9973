"""Small scored data sets shared by the plot tests, with brute-force oracles."""

import numpy as np

import aipm_sim as am

# Eight cases with a tie at 0.6; flagging >= 0.6 catches 2 of 3 positives and 1 negative... and so on.
SCORES = np.array([0.95, 0.8, 0.6, 0.6, 0.4, 0.3, 0.2, 0.05])
LABELS = np.array([1, 0, 1, 0, 0, 1, 0, 0])
AMOUNTS = np.array([120.0, 30.0, 80.0, 10.0, 15.0, 300.0, 5.0, 40.0])


def toy_scores(amounts=False):
    return am.ScoreSet(SCORES, LABELS, amounts=AMOUNTS if amounts else None)


def toy_curve(amounts=False):
    return am.ThresholdCurve.from_scores(toy_scores(amounts))


def brute_cells(scores, labels, threshold, weights=None):
    """tp, fp, fn, tn of flagging ``score >= threshold``, by a loop over cases."""
    w = np.ones(len(scores)) if weights is None else np.asarray(weights, dtype=float)
    tp = fp = fn = tn = 0.0
    for s, y, wi in zip(scores, labels, w):
        flagged = s >= threshold
        if y and flagged:
            tp += wi
        elif y:
            fn += wi
        elif flagged:
            fp += wi
        else:
            tn += wi
    return tp, fp, fn, tn


def brute_value(value_model, scores, labels, threshold, amounts=None):
    """Value of flagging ``score >= threshold``, case by case."""
    vm = value_model
    total = 0.0
    for i, (s, y) in enumerate(zip(scores, labels)):
        cell = ("tp" if s >= threshold else "fn") if y else ("fp" if s >= threshold else "tn")
        total += getattr(vm, cell)
        if amounts is not None:
            total += getattr(vm, f"{cell}_amount") * amounts[i]
    return total


def big_curve(n=20_000, seed=3):
    return am.ThresholdCurve.from_scores(am.BinormalModel(prevalence=0.05, auc=0.85).sample(n, seed=seed))
