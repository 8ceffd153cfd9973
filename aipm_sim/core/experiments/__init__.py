"""Launch: A/B tests and staged rollouts sized on the business metric.
"""

__all__ = []
