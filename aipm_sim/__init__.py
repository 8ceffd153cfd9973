"""aipm_sim — how a classifier's threshold turns into business results.

The public API lives in :mod:`aipm_sim.core` and is re-exported here::

    import aipm_sim as am
    curve = am.BinormalModel(prevalence=0.01, auc=0.8).curve()
    decision = am.optimize(curve, am.ValueModel(tp=100, fp=-5), min_recall=0.5)

Plotting (``aipm_sim.plotting``) and widgets (``aipm_sim.widgets``) are
imported on demand, so ``import aipm_sim`` stays light.
"""

from importlib.metadata import PackageNotFoundError, version

from .core import *  # noqa: F401,F403
from .core import __all__ as _core_all

try:
    __version__ = version("aipm_sim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [*_core_all, "__version__"]
