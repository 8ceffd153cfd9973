"""Groups: metrics by group, per-group thresholds under fairness rules and the price of fairness in money.
"""

__all__ = []
