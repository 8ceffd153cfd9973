"""The threshold explorer opened on a business scenario, with its money, volume and constraints.

    import aipm_sim as am
    from aipm_sim.widgets.scenario_explorer import scenario_explorer
    explorer = scenario_explorer(am.load_scenario("fraud_detection"))
    explorer               # the app
    explorer.result        # its state, per month

A threshold scenario opens the explorer on its score source (the binormal
model, so prevalence and AUC stay adjustable, or the scored cases of a data
file), its value model, its volume per month and its constraints. Analyst
capacity is the constraint ``max_alerts``: the scenarios model alerts beyond
capacity as not reviewed, which is the same as capping the alerts.

A ranking scenario (recommendations) has two decisions, k and a minimum
score. The explorer shows the minimum-score choice at one k (default: the
best k): its cases are the top-k candidates of every visit, a "caught" case
is a relevant item shown and a "false alarm" an irrelevant item shown.
The slot cost of the scenario (``per_slot`` × k per visit) is the same for
every minimum score above "show nothing", so it is left out of the
explorer's values: they are the clicks' value minus the annoyance, per month.
"""

from __future__ import annotations

from ..core import ValueModel
from ..core.errors import ParameterError
from .explorer import ThresholdExplorer

MSG_RANKING_CONSTRAINT = (
    "the explorer shows the minimum score at one k, where only min_precision applies; "
    "scenario {!r} also has {}"
)
MSG_K_THRESHOLD = "k is only for ranking scenarios; {!r} is a threshold scenario"


def scenario_explorer(scenario, *, k=None, **kwargs):
    """A :class:`ThresholdExplorer` for ``scenario`` (a :class:`~aipm_sim.Scenario`).

    Parameters
    ----------
    scenario : Scenario
    k : int, optional
        Ranking scenarios only: the number of slots whose minimum score is
        explored (default: the best k of ``scenario.optimize()``).
    **kwargs
        Passed on to :class:`ThresholdExplorer` (e.g. ``threshold``, ``render``).

    Returns
    -------
    ThresholdExplorer
        Values per month, in the scenario's currency.
    """
    options = dict(period="month", currency=scenario.currency)
    options.update(kwargs)
    if scenario.kind != "ranking":
        if k is not None:
            raise ParameterError(MSG_K_THRESHOLD.format(scenario.name))
        source = scenario.score_model() if scenario.scores["source"] == "binormal" else scenario.score_set()
        return ThresholdExplorer(source, scenario.value_model(), volume=scenario.volume,
                                 **scenario.constraints, **options)
    constraints = scenario.constraints
    other = [name for name in constraints if name != "min_precision"]
    if other:
        raise ParameterError(MSG_RANKING_CONSTRAINT.format(scenario.name, ", ".join(other)))
    curve = scenario.curve()
    if k is None:
        k = scenario.optimize().k
    vm = scenario.value_model()
    slots = curve.threshold_curve(k)
    # The cases are the k top candidates of each visit: k cases per visit.
    return ThresholdExplorer(slots, ValueModel(tp=vm.relevant, fp=vm.irrelevant),
                             volume=scenario.volume * slots.n_cases / curve.sessions, **constraints, **options)
