"""After launch: drift statistics, performance estimated before labels arrive, prior shift, simulated production and policies (re-threshold, retrain) priced in money.
"""

from .drift import DEFAULT_THRESHOLDS, DRIFT_METHODS, DriftNull, DriftResult, drift_null, drift_statistic, psi_band
from .estimation import Calibration, EstimatedPoint, estimate_performance, fit_calibration
from .prior_shift import PrevalenceEstimate, adjust_threshold, estimate_prevalence

__all__ = ["DEFAULT_THRESHOLDS", "DRIFT_METHODS", "Calibration", "DriftNull", "DriftResult", "EstimatedPoint",
           "PrevalenceEstimate", "adjust_threshold", "drift_null", "drift_statistic", "estimate_performance",
           "estimate_prevalence", "fit_calibration", "psi_band"]
