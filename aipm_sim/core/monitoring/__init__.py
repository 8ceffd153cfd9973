"""After launch: drift statistics, performance estimated before labels arrive, prior shift, simulated production and policies (re-threshold, retrain) priced in money.
"""

from .drift import DEFAULT_THRESHOLDS, DRIFT_METHODS, DriftNull, DriftResult, drift_null, drift_statistic, psi_band

__all__ = ["DEFAULT_THRESHOLDS", "DRIFT_METHODS", "DriftNull", "DriftResult", "drift_null", "drift_statistic",
           "psi_band"]
