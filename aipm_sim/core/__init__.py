"""aipm_sim.core — the numbers, in rooms named for the question each answers.

* :mod:`~aipm_sim.core.engine` — scored data, the exact curve, value, the optimum, the binormal model;
* :mod:`~aipm_sim.core.business` — scenarios, rankings, ROI, sensitivity;
* :mod:`~aipm_sim.core.uncertainty` — how sure are we?
* :mod:`~aipm_sim.core.monitoring` — after launch;
* :mod:`~aipm_sim.core.experiments` — A/B tests and rollouts;
* :mod:`~aipm_sim.core.groups` — metrics and thresholds by group;
* :mod:`~aipm_sim.core.scale` — partitioned data on Dask.

numpy, scipy, pandas and numba only; nothing here imports a plotting or UI
library, and Dask is imported only inside the functions that use it. Every
room's public names are re-exported here and from ``aipm_sim``.
"""

from . import business, engine, experiments, groups, monitoring, scale, uncertainty
from .business import *  # noqa: F401,F403
from .engine import *  # noqa: F401,F403
from .errors import ConstraintError, DataError, DegenerateWarning, ParameterError, ScenarioError
from .experiments import *  # noqa: F401,F403
from .groups import *  # noqa: F401,F403
from .monitoring import *  # noqa: F401,F403
from .scale import *  # noqa: F401,F403
from .uncertainty import *  # noqa: F401,F403

_ERRORS = ["ConstraintError", "DataError", "DegenerateWarning", "ParameterError", "ScenarioError"]
__all__ = sorted({*_ERRORS, *engine.__all__, *business.__all__, *uncertainty.__all__, *monitoring.__all__,
                  *experiments.__all__, *groups.__all__, *scale.__all__})
