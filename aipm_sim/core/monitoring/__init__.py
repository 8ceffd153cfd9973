"""After launch: drift statistics, performance estimated before labels arrive, prior shift, simulated production and policies (re-threshold, retrain) priced in money.
"""

from .drift import DEFAULT_THRESHOLDS, DRIFT_METHODS, DriftNull, DriftResult, drift_null, drift_statistic, psi_band
from .estimation import Calibration, EstimatedPoint, estimate_performance, fit_calibration
from .plan import PLAN_POLICIES, MonitoringPlan, plan_monitoring
from .policies import DEFAULT_POLICIES, Policy, PolicyComparison, compare_policies
from .prior_shift import PrevalenceEstimate, adjust_threshold, estimate_prevalence
from .production import PREVALENCE_SHAPES, DeployedModel, DriftPlan, Production, simulate_production

__all__ = ["DEFAULT_POLICIES", "DEFAULT_THRESHOLDS", "DRIFT_METHODS", "PREVALENCE_SHAPES", "Calibration",
           "DeployedModel", "DriftNull", "DriftPlan", "DriftResult", "EstimatedPoint", "MonitoringPlan",
           "PLAN_POLICIES", "Policy", "PolicyComparison",
           "PrevalenceEstimate", "Production", "adjust_threshold", "compare_policies", "drift_null",
           "drift_statistic", "estimate_performance", "estimate_prevalence", "fit_calibration", "plan_monitoring", "psi_band",
           "simulate_production"]
