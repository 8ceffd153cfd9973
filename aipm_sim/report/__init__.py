"""Decision reports: a memo a PM can forward, reproducible from its inputs.

``aipm-sim report ... -o REPORT.html`` (or :func:`build_report`) executes
the template notebook shipped in ``aipm_sim/reports/`` with papermill and
renders it without code with nbconvert. The template itself is a thin
client of this module::

    from aipm_sim import report
    analysis = report.analyse(data="scores.csv", score="p", label="y",
                              value={"tp": -5, "fp": -5, "fn": -200}, volume=10_000)
    report.decision_markdown(analysis)   # the recommended threshold, in a table
    report.value_figure(analysis)        # a matplotlib Figure

Same inputs give the same numbers: the only difference between two runs is
the date.
"""

from ._analysis import (
    GENERAL_CAVEATS,
    MSG_BOTH_INPUTS,
    MSG_DATA_COLUMNS,
    MSG_DATA_ONLY,
    MSG_NO_INPUT,
    MSG_OVERRIDES_NEED_SCENARIO,
    MSG_RANKING,
    MSG_UNKNOWN_FACT,
    MSG_WORD,
    NOTHING_CONSTRAINED,
    NOTHING_PAYS_BEST,
    Assumption,
    ReportAnalysis,
    analyse,
    assumptions_markdown,
    band_markdown,
    bottom_line_markdown,
    caveats_markdown,
    decision_markdown,
    escape_text,
    facts_markdown,
    fmt_count,
    fmt_money,
    fmt_number,
    fmt_percent,
    header_markdown,
    sensitivity_markdown,
    situation_markdown,
)
from ._figures import metrics_figure, outcomes_figure, tornado_figure, value_figure
from ._sections import SECTIONS, section_parts, show_sections
from ._render import (
    MSG_FOLDER,
    MSG_FOLDER_NOT_WRITABLE,
    MSG_FORMAT,
    MSG_OUTPUT_IS_FOLDER,
    build_report,
    check_output,
    render_html,
    report_parameters,
    template_path,
)

__all__ = [
    "GENERAL_CAVEATS",
    "SECTIONS",
    "section_parts",
    "show_sections",
    "MSG_BOTH_INPUTS",
    "MSG_DATA_COLUMNS",
    "MSG_DATA_ONLY",
    "MSG_FOLDER",
    "MSG_FOLDER_NOT_WRITABLE",
    "MSG_FORMAT",
    "MSG_NO_INPUT",
    "MSG_OUTPUT_IS_FOLDER",
    "MSG_OVERRIDES_NEED_SCENARIO",
    "MSG_RANKING",
    "MSG_UNKNOWN_FACT",
    "MSG_WORD",
    "NOTHING_CONSTRAINED",
    "NOTHING_PAYS_BEST",
    "Assumption",
    "ReportAnalysis",
    "analyse",
    "assumptions_markdown",
    "band_markdown",
    "bottom_line_markdown",
    "build_report",
    "check_output",
    "caveats_markdown",
    "decision_markdown",
    "escape_text",
    "facts_markdown",
    "fmt_count",
    "fmt_money",
    "fmt_number",
    "fmt_percent",
    "header_markdown",
    "metrics_figure",
    "outcomes_figure",
    "render_html",
    "report_parameters",
    "sensitivity_markdown",
    "situation_markdown",
    "template_path",
    "tornado_figure",
    "value_figure",
]
