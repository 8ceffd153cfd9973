"""Comparative statics: the decision moves the way business sense says, for any plausible parameter values.

* A higher cost of a miss never lowers the optimal recall (the extra cost
  rewards every caught positive, so the best row never moves to fewer alerts:
  Topkis' monotonicity theorem, increasing differences in the number flagged).
* A higher cost of a false alarm never lowers the optimal precision. The
  optimum moves to fewer alerts; on a calibrated curve (the binormal
  scenarios) precision falls as more is flagged, so it can only rise.
* Less analyst capacity never raises the alert rate (the feasible set only
  loses its high-alert end).

Each property is checked with hypothesis over the other parameters' plausible
ranges, by re-optimising the scenario twice.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aipm_sim as am

SLACK = 1e-9


def within(scenario, name):
    p = scenario.parameters[name]
    return st.floats(p.low, p.high)


FRAUD = am.load_scenario("fraud_detection")
CREDIT = am.load_scenario("credit_approval")
MEDICAL = am.load_scenario("medical_screening")
CHURN = am.load_scenario("churn_retention")


def pair(scenario, name):
    """Two values of ``name`` in its plausible range, smaller first."""
    return st.tuples(within(scenario, name), within(scenario, name)).map(sorted)


def fraud_context():
    return st.fixed_dictionaries({
        "fraud_rate": within(FRAUD, "fraud_rate"),
        "model_auc": within(FRAUD, "model_auc"),
        "analysts": within(FRAUD, "analysts"),
        "fraud_amount_mean": within(FRAUD, "fraud_amount_mean"),
    })


@settings(max_examples=40)
@given(fraud_context(), pair(FRAUD, "chargeback_fee"))
def test_fraud_higher_chargeback_fee_never_lowers_recall(context, fees):
    low, high = (FRAUD.replace(**context, chargeback_fee=f).optimize() for f in fees)
    assert high.point.recall >= low.point.recall - SLACK


@settings(max_examples=40)
@given(fraud_context(), pair(FRAUD, "friction_cost_per_false_alert"), pair(FRAUD, "lost_sale_fraction"))
def test_fraud_higher_false_alarm_cost_never_lowers_precision(context, friction, lost):
    cheap = FRAUD.replace(**context, friction_cost_per_false_alert=friction[0], lost_sale_fraction=lost[0])
    dear = FRAUD.replace(**context, friction_cost_per_false_alert=friction[1], lost_sale_fraction=lost[1])
    assert dear.optimize().point.precision >= cheap.optimize().point.precision - SLACK


@settings(max_examples=40)
@given(fraud_context(), pair(FRAUD, "analysts"), within(FRAUD, "review_hours_per_analyst_day"))
def test_fraud_less_capacity_never_raises_the_alert_rate(context, team, hours):
    context = dict(context, review_hours_per_analyst_day=hours)
    small, large = (FRAUD.replace(**dict(context, analysts=a)).optimize() for a in team)
    assert small.point.alert_rate <= large.point.alert_rate + SLACK


@settings(max_examples=30)
@given(st.fixed_dictionaries({"default_rate": within(CREDIT, "default_rate"),
                              "model_auc": within(CREDIT, "model_auc"),
                              "min_approval_rate": within(CREDIT, "min_approval_rate")}),
       pair(CREDIT, "loss_given_default"), pair(CREDIT, "lifetime_margin"))
def test_credit_statics(context, lgd, margin):
    # Loss given default is the cost of a miss (an approved defaulter); the margin lost on a declined good
    # applicant is the cost of a false alarm.
    a, b = (CREDIT.replace(**context, loss_given_default=x).optimize() for x in lgd)
    assert b.point.recall >= a.point.recall - SLACK
    c, d = (CREDIT.replace(**context, lifetime_margin=x).optimize() for x in margin)
    assert d.point.precision >= c.point.precision - SLACK


@settings(max_examples=25)
@given(within(MEDICAL, "prevalence"), pair(MEDICAL, "missed_case_harm"), within(MEDICAL, "min_recall"))
def test_medical_higher_harm_of_a_miss_never_lowers_recall(prevalence, harms, min_recall):
    # Real (not calibrated-binormal) scores: the recall property needs no calibration.
    a, b = (MEDICAL.replace(prevalence=prevalence, min_recall=min_recall, missed_case_harm=h).optimize()
            for h in harms)
    assert b.point.recall >= a.point.recall - SLACK


@settings(max_examples=25)
@given(within(CHURN, "churn_rate"), within(CHURN, "model_auc"), pair(CHURN, "offer_budget_per_month"))
def test_churn_smaller_budget_never_raises_offers(churn_rate, auc, budgets):
    small, large = (CHURN.replace(churn_rate=churn_rate, model_auc=auc, offer_budget_per_month=b).optimize()
                    for b in budgets)
    assert small.point.alert_rate <= large.point.alert_rate + SLACK


def test_the_properties_are_not_vacuous():
    # Across the plausible range the decision really moves (so the inequalities above can fail).
    low, high = (FRAUD.replace(chargeback_fee=f, analysts=4).optimize() for f in (15, 200))
    assert high.point.recall > low.point.recall
    small, large = (FRAUD.replace(analysts=a).optimize() for a in (1, 4))
    assert small.point.alert_rate < large.point.alert_rate
    cheap, dear = (FRAUD.replace(friction_cost_per_false_alert=f, analysts=4).optimize() for f in (0, 3))
    assert dear.point.precision > cheap.point.precision
    assert pytest.approx(0) != high.value - low.value
