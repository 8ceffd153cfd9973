"""Shared test settings.

Hypothesis: no per-example deadline (numba compiles, or loads its cache, on
the first call of each sweep) and a moderate number of examples, so that the
core suite stays well under a minute on two busy cores. Tests that need more
or fewer examples say so with their own ``@settings``.
"""

from hypothesis import settings

settings.register_profile("aipm_sim", deadline=None, max_examples=100)
settings.load_profile("aipm_sim")
