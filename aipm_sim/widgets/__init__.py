"""aipm_sim.widgets — ipywidgets apps over :mod:`aipm_sim.plotting` and :mod:`aipm_sim.core`.

    from aipm_sim.widgets import ThresholdExplorer
    explorer = ThresholdExplorer(curve, value_model, volume=10_000, min_recall=0.5)
    explorer              # the app, in JupyterLab or Voilà
    explorer.result       # the current state, without a browser
"""

from .experiments import RolloutPlanner
from .explorer import ExplorerResult, ThresholdExplorer
from .groups import GroupExplorer, GroupExplorerResult
from .monitoring import DashboardResult, MonitoringDashboard
from .progress import ProgressBar
from .self_check import SelfCheck

__all__ = ["DashboardResult", "ExplorerResult", "GroupExplorer", "GroupExplorerResult", "MonitoringDashboard",
           "ProgressBar", "RolloutPlanner", "SelfCheck", "ThresholdExplorer"]
