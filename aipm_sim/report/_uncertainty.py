"""The report's "How sure are we?" section: intervals, the best threshold's interval, the success verdict, labels needed."""

from __future__ import annotations

import math

from ..plotting._base import fmt_count
from ..plotting._base import fmt_fraction as fmt_percent
from ..plotting._base import fmt_level
from ._analysis import fmt_money, fmt_threshold

#: Resamples of the report's bootstrap (the best threshold's interval and the value band).
RESAMPLES = 200
#: Confidence of the intervals shown.
CONFIDENCE = 0.95
#: Seed of the report's random numbers (a synthetic validation set, the bootstrap).
SEED = 0
def rows(words):
    """The interval table's rows, ``(metric, label)``, in a decision's words (a Vocabulary)."""
    return (("recall", f"Recall (share of {words.positives} {words.flagged})"),
            ("precision", f"Precision (share of {words.alerts} that are {words.positives})"),
            ("alert_rate", f"Share of {words.cases} {words.flagged}"))


def _evidence(analysis):
    """``(score_set, model, validation_cases, words)`` behind the report's numbers, or None when unknown."""
    s = analysis.scenario
    if s is None:
        return None
    source = s.scores.get("source")
    if source == "file":
        data = s.score_set()
        return (data, None, None,
                f"Every number above is measured on the {len(data):,} labelled cases of the scenario's data "
                "file. A different sample of the same size would give somewhat different numbers; the ranges "
                "below hold the true value with {share} confidence (Wilson intervals).")
    if source == "binormal":
        n = None if s.success is None else s.success.get("validation_cases")
        if n is None:
            return "model", None, None, None
        model = s.score_model()
        return (model.sample(int(n), seed=SEED), model, float(n),
                f"The numbers above are the scenario's synthetic model's exact rates. A validation of "
                f"{int(n):,} labelled cases (the size the scenario names) would measure them only within a "
                f"range: the ranges below hold the true value with {{share}} confidence (Wilson intervals); "
                f"the bootstrap below resamples one such validation set drawn from the model.")
    return None


def _interval_text(low, high):
    return f"{fmt_percent(low)} – {fmt_percent(high)}"


def uncertainty_section(analysis):
    """Parts of the "How sure are we?" section (Markdown and one figure); [] when it does not apply."""
    from ..core.errors import ConstraintError
    from ..core.uncertainty import interval_width, labels_needed, simulate_uncertainty
    from ..core.uncertainty.intervals import effective_counts

    evidence = _evidence(analysis)
    d = analysis.decision
    if evidence is None or analysis.flags_nothing:
        return []
    if evidence[0] == "model":
        return ["## How sure are we?\n\nThe scores come from a synthetic model, whose rates are exact: "
                "they have no sampling error of their own. A real validation has one. Name the size of "
                "the validation set (`validation_cases` in the scenario's `[success]` table) to see the "
                "ranges it would show."]
    data, model, n_val, words = evidence
    share = fmt_level(CONFIDENCE)
    lines = ["## How sure are we?", "", words.format(share=share), "",
             f"| At the recommended threshold | Measured | {share} interval |", "|:--|--:|--:|"]
    point = d.point if model is None else model.point(d.threshold)
    counts = {}
    for metric, label in rows(analysis.words):
        kw = dict(validation_cases=n_val) if model is not None else dict(score_set=data)
        low, high = point.interval(metric, confidence=CONFIDENCE, **kw)
        counts[metric] = effective_counts(point, metric, **kw)
        lines.append(f"| {label} | {fmt_percent(getattr(point, metric))} | {_interval_text(low, high)} |")
    parts = ["\n".join(lines)]

    s = analysis.scenario
    try:
        u = simulate_uncertainty(data, s.value_model(), resamples=RESAMPLES, seed=SEED, confidence=CONFIDENCE,
                                 volume=s.volume, period=analysis.period, currency=analysis.currency,
                                 **s.constraints)
    except ConstraintError:
        u = None
    if u is not None:
        lo, hi = u.threshold_interval
        vlo, vhi = u.value_interval
        cur, per = analysis.currency, analysis.per_period
        parts.append(_band_figure(analysis, u))  # beside the words that follow it
        parts.append(
            "### The best threshold and its value\n\n"
            f"Across {RESAMPLES} resamples of the validation data, the best threshold falls between "
            f"**{fmt_threshold(lo)}** and **{fmt_threshold(hi)}** in {share} of them, and the value of the "
            f"threshold chosen on the validation data ({fmt_threshold(u.decision.threshold)}) between "
            f"**{fmt_money(vlo, cur)}** and **{fmt_money(vhi, cur)}** {per}. The chart shows the value "
            f"against the threshold with the range the resamples span."
        )

    if s.success is not None:
        verdict = s.verdict()
        bullet = "\n".join(f"- {c.words}" for c in verdict.criteria)
        parts.append(f"### Success criteria\n\nJudged on {verdict.validation}, each with "
                     f"{fmt_level(verdict.confidence)} confidence:\n\n{bullet}")

    k, n = counts["recall"]
    r = point.recall
    if n >= 1 and 0 < r < 1:
        h = interval_width("recall", r, n, confidence=CONFIDENCE)
        need = labels_needed("recall", r, h / 2, confidence=CONFIDENCE, prevalence=point.prevalence)
        parts.append(
            "### Labels for a tighter answer\n\n"
            f"Today recall is known to within about ±{100 * h:.2g} points, from {fmt_count(n)} positives. "
            f"To halve that margin (±{100 * h / 2:.2g} points) a validation needs about "
            f"**{fmt_count(need.relevant)} positives**, that is about **{fmt_count(need.cases)} labelled cases** at a "
            f"prevalence of {fmt_percent(point.prevalence)}."
        )
    return parts


def _band_figure(analysis, u):
    from ..plotting import BandDisplay
    from ._figures import HALF_FIGSIZE, ReportFigure, _figure, small_text

    fig = _figure((HALF_FIGSIZE[0], 2.8))  # the legend goes under the chart
    display = BandDisplay.from_uncertainty(u, "value", ax=fig.add_subplot(), period=analysis.period,
                                           currency=analysis.currency,
                                           vocabulary=analysis.words if analysis.scenario is not None else None)
    lo, hi = u.threshold_interval
    if all(map(math.isfinite, (lo, hi))):
        pad = max(hi - lo, 1e-9)  # the best thresholds' span, and as much on each side
        x0, x1 = max(lo - pad, lo / 2 if lo > 0 else lo - pad, float(u.thresholds[-1])), hi + pad
        display.ax_.set_xlim(x0, x1)
        band = u.band("value")
        inside = band[(band["threshold"] >= x0) & (band["threshold"] <= x1)]
        if len(inside):
            y0, y1 = float(inside["low"].min()), float(inside["high"].max())
            margin = 0.05 * max(y1 - y0, 1.0)
            display.ax_.set_ylim(y0 - margin, y1 + margin)
    display.ax_.set_xlabel("threshold")
    display.ax_.get_legend().remove()
    fig.legend(handles=display.ax_.get_legend_handles_labels()[0], loc="outside lower center", ncols=1,
               fontsize="small", frameon=False)
    small_text(display.ax_)
    alt = (f"Line chart of the value {analysis.per_period} against the threshold with the range of "
           f"{RESAMPLES} resamples; the best threshold falls between {fmt_threshold(lo)} and {fmt_threshold(hi)}.")
    return ReportFigure(fig, alt, side=True)
