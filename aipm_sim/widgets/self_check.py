"""A self-check for a workshop question: an answer box, a "check" button and a verdict.

    from aipm_sim.widgets import SelfCheck
    SelfCheck("capacity_threshold")             # the participant types and clicks "check"
    SelfCheck("capacity_threshold", answer=0.065)   # pre-filled and checked (solutions)

The numbers and the tolerance live in :mod:`aipm_sim.workshop.self_check`; the
widget never shows the expected answer, only whether the answer is within
tolerance. The latest :class:`~aipm_sim.workshop.self_check.Verdict` is
``.result`` (None before the first check).
"""

from __future__ import annotations

import html

from ..workshop.self_check import question
from ._text_form import with_text

#: The empty first option of a multiple-choice question.
CHOOSE = "choose…"


class SelfCheck:
    """Self-check widget for workshop question ``key``.

    Parameters
    ----------
    key : str
        A key of :data:`aipm_sim.workshop.self_check.QUESTIONS`.
    answer : str or float, optional
        Pre-fill the answer and check it at once.

    Attributes
    ----------
    question : Question
    answer : Text or Dropdown
        Where the participant answers (CSS class ``aipm-self-check-answer``).
    button : Button
        "check" (CSS class ``aipm-self-check-button``).
    verdict : HTML
        The verdict (CSS class ``aipm-self-check-verdict``).
    result : Verdict or None
    widget : VBox
    """

    def __init__(self, key, *, answer=None):
        import ipywidgets as widgets

        self.question = question(key)
        self._expected = self.question.expected()
        self._options = self.question.options()
        if self._options:
            self.answer = widgets.Dropdown(options=[CHOOSE, *self._options], value=CHOOSE,
                                           description="your answer", style={"description_width": "initial"})
        else:
            unit = f" ({self.question.unit})" if self.question.unit else ""
            self.answer = widgets.Text(placeholder="e.g. 0.05, \N{MINUS SIGN}1,250 or 12%", description=f"your answer{unit}",
                                       continuous_update=False, style={"description_width": "initial"},
                                       layout=widgets.Layout(width="28em"))
        # A committed answer (Enter, or leaving the box) is checked at once, like a click on "check".
        self.answer.observe(lambda _change: self.check(), names="value")
        self.answer.add_class("aipm-self-check-answer")
        self.button = widgets.Button(description="check", icon="check", button_style="info")
        self.button.add_class("aipm-self-check-button")
        self.button.on_click(lambda _button: self.check())
        self.verdict = widgets.HTML()
        self.verdict.add_class("aipm-self-check-verdict")
        self.result = None
        prompt = widgets.HTML(f"<b>Check yourself:</b> {html.escape(self.question.prompt)}")
        self.widget = widgets.VBox([prompt, widgets.HBox([self.answer, self.button]), self.verdict])
        self.widget.add_class("aipm-self-check")
        if answer is not None:
            self.answer.value = str(answer)
            self.check()  # also when the pre-filled answer equals the box's current value

    def check(self):
        """Check the current answer; show and return the :class:`Verdict`."""
        given = self.answer.value
        if self._options and given == CHOOSE:
            given = ""
        verdict = self.question.check(given, expected=self._expected)
        self.result = verdict
        color = "#1b7a3a" if verdict.correct else "#a33"
        mark = "✔" if verdict.correct else "✘"
        self.verdict.value = f'<span style="color:{color}">{mark} {html.escape(verdict.message)}</span>'
        return verdict

    def text(self):
        """What the widget says, as text: the question, then the verdict once checked (never the answer)."""
        out = f"Check yourself: {self.question.prompt}"
        if self.result is not None:
            out += f"\n{'✔' if self.result.correct else '✘'} {self.result.message}"
        return out

    def _repr_mimebundle_(self, **kwargs):
        # Where widgets do not render (a saved notebook as HTML, nbval): the question and the verdict in words.
        text = self.text()
        return with_text(self.widget, text, markdown="**Check yourself:** "
                         + text[len("Check yourself: "):].replace("\n", "  \n"), **kwargs)

    def __repr__(self):
        state = "not checked yet" if self.result is None else self.result.message
        return f"SelfCheck({self.question.key!r}: {state})"
