"""Exception and warning types shared by the whole package.

Every error aipm_sim raises for bad input is a ``ValueError`` subclass, so
``except ValueError`` catches them all; the command line turns them into one
line on stderr and exit status 2.
"""


class DataError(ValueError):
    """Scored data that breaks a rule (missing column, NaN score, bad label …)."""


class ParameterError(ValueError):
    """A model, value or constraint parameter outside its allowed range."""


class ConstraintError(ValueError):
    """Constraints passed to :func:`aipm_sim.optimize` that cannot all hold."""


class ScenarioError(ValueError):
    """A scenario that cannot be found or a scenario file that breaks the format."""


class DegenerateWarning(UserWarning):
    """A computable but degenerate case: some metric is undefined (NaN)."""
