"""A progress bar for long work in a notebook that leaves a short note, not a bar, in the saved notebook.

    from aipm_sim.widgets import ProgressBar
    uncertainty = am.simulate_uncertainty(data, value, resamples=200,
                                          progress=ProgressBar(200, desc="resamples"))

While the work runs, the reader sees a live bar (``tqdm.notebook``). When
the last step is done the bar's place in the notebook is replaced by one
line of words ("Done: 200 resamples."), through the display's id, so the
stored output of an executed notebook holds that line rather than a widget
frozen at 0 %. Outside a notebook kernel the bar is tqdm's text bar on
stderr.
"""

from __future__ import annotations

from .._format import fmt_count
from ..notebook import Prose


class ProgressBar:
    """A bar of ``total`` steps with an ``update(n)`` method (what the package's long functions accept).

    Parameters
    ----------
    total : int
        Steps in all (> 0).
    desc : str
        What a step is, in words (``"resamples"``).

    Attributes
    ----------
    n : int
        Steps done so far.
    done : bool
        True once ``total`` steps are done (the note is then shown).
    note : Prose
        What remains in the notebook once done.
    """

    def __init__(self, total, *, desc="steps"):
        total = int(total)
        if total <= 0:
            raise ValueError(f"total must be a whole number of steps > 0; found {total!r}")
        self.total, self.desc, self.n, self.done = total, str(desc), 0, False
        self.note = Prose(f"Done: {fmt_count(total)} {self.desc}.")
        self._handle = None
        try:
            from IPython import get_ipython
            in_kernel = get_ipython() is not None and hasattr(get_ipython(), "kernel")
        except ImportError:
            in_kernel = False
        if in_kernel:
            from IPython.display import display
            from tqdm.notebook import tqdm

            self._bar = tqdm(total=total, desc=self.desc, display=False, leave=False)
            self._handle = display(self._bar.container, display_id=True)
            self._bar.displayed = True
        else:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=self.desc, leave=False)

    def update(self, n=1):
        """Mark ``n`` more steps done; the last one closes the bar and leaves :attr:`note` in its place."""
        self.n += int(n)
        self._bar.update(int(n))
        if self.n >= self.total and not self.done:
            self.close()

    def close(self):
        """Close the bar (early, e.g. after an error: then no note is left)."""
        finished = self.n >= self.total
        self._bar.close()
        if finished:
            self.done = True
            if self._handle is not None:
                self._handle.update(self.note)

    def _repr_markdown_(self):
        return self.note.text if self.done else f"{fmt_count(self.n)} of {fmt_count(self.total)} {self.desc} done."

    def __repr__(self):
        return self._repr_markdown_()
