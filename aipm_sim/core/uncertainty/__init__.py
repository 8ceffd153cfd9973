"""How sure are we? Intervals on every number, the uncertainty of the best threshold, constraints met with a stated confidence and the labels a validation needs.
"""

__all__ = []
