"""After launch: drift statistics, performance estimated before labels arrive, prior shift, simulated production and policies (re-threshold, retrain) priced in money.
"""

__all__ = []
