"""Workshop teaching logic: the exercises' answers, computed from the shipped scenarios, and their checks.

Numbers only (it builds on :mod:`aipm_sim.core`); the check-yourself widget
that shows a verdict lives in :mod:`aipm_sim.widgets`.
"""
