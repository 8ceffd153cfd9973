"""The report's sections beyond the decision itself: one per area (how sure, launch, after launch, groups).

Each section is a function of the :class:`~aipm_sim.report.ReportAnalysis`
that returns its parts in order: Markdown text (str) or a matplotlib Figure,
and an empty list when the section does not apply to this report (a
scenario without groups has no "Groups" section). The template shows them
all with one call, :func:`show_sections`, so a new area adds one line to
:data:`SECTIONS` and no cell to the template.
"""

from __future__ import annotations

import importlib

#: (module, function) of each section, in report order.
SECTIONS = (
    ("aipm_sim.report._uncertainty", "uncertainty_section"),
    ("aipm_sim.report._experiments", "launch_section"),
    ("aipm_sim.report._monitoring", "monitoring_section"),
    ("aipm_sim.report._groups", "groups_section"),
)


def section_parts(analysis):
    """Every part of every section that applies, in order (Markdown text or a matplotlib Figure)."""
    parts = []
    for module, name in SECTIONS:
        parts.extend(getattr(importlib.import_module(module), name)(analysis))
    return parts


def show_sections(analysis):
    """Display :func:`section_parts` in a notebook (the report template's call)."""
    from IPython.display import Markdown, display

    for part in section_parts(analysis):
        display(Markdown(part) if isinstance(part, str) else part)
