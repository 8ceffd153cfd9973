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
best k), as core's :meth:`~aipm_sim.Scenario.threshold_view` describes it:
its cases are the top-k candidates of every visit, a "caught" case is a
relevant item shown and a "false alarm" an irrelevant item shown. The slot
cost (``per_slot`` × k in every visit that shows at least one item) rides on
each visit's top candidate as its amount, so the explorer's values are the
scenario's own: clicks' value minus annoyance and page space, per month.
"""

from __future__ import annotations

from ..core.errors import ParameterError
from ..core.business.scenario import MSG_K_THRESHOLD, MSG_RANKING_CONSTRAINT  # noqa: F401 - raised here (via core)
from .explorer import ThresholdExplorer


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
    options = dict(period="month", currency=scenario.currency, vocabulary=scenario.words)
    options.update(kwargs)
    if scenario.kind != "ranking":
        if k is not None:
            raise ParameterError(MSG_K_THRESHOLD.format(scenario.name))
        source = scenario.score_model() if scenario.scores["source"] == "binormal" else scenario.score_set()
        return ThresholdExplorer(source, scenario.value_model(), volume=scenario.volume,
                                 **scenario.constraints, **options)
    view = scenario.threshold_view(k)
    return ThresholdExplorer(view.curve, view.value_model, volume=view.volume, **view.constraints, **options)
