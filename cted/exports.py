"""The recommendations' download: one row per recommendation the reader may see, as the search found it,
with where it stands in the chain for that reader; names, never ids."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core import tables
from cted.models import Recommendation

#: A download holds at most this many rows (the 70,000 of the whole platform in one file is CTED's backup,
#: not a reader's list); the workbook says when it was cut.
MAX_ROWS = 20_000


def _chain(recommendation: Recommendation) -> str:
    if recommendation.is_funded:
        return _("Funded")
    return _("With a project, not funded") if recommendation.has_project else _("No project")


def recommendations_file(format: str, rows: list[Recommendation], *, filters: dict, truncated: bool, by: str):
    """The rows, placed in the chain and their entities named (``ChainSets.place``,
    ``selectors.name_entities``), as a CSV or XLSX file."""
    header = [
        _("Member State"), _("Visit type"), _("Visit from"), _("Thematic area"), _("Recommendation"),
        _("High-priority need"), _("Assistance"), _("Implementation"), _("Entities that could deliver"),
        _("Project and funding"),
    ]  # fmt: skip
    lines = [
        [
            r.assessment.state.name,
            r.assessment.get_visit_type_display(),
            r.assessment.visit_start.isoformat(),
            r.theme.name if r.theme else "",
            r.text,
            _("yes") if r.is_priority else _("no"),
            r.get_assistance_status_display(),
            r.get_implementation_status_display(),
            "; ".join(r.entity_names),
            _chain(r),
        ]  # fmt: skip
        for r in rows
    ]
    if format == "csv":
        return tables.csv_bytes(header, lines)
    about = [
        (_("Exported"), f"{timezone.localtime():%Y-%m-%d %H:%M %Z}"),
        (_("Exported by"), by),
        (_("Filters"), "; ".join(f"{name}={value}" for name, value in filters.items()) or _("none")),
        (_("Recommendations"), str(len(lines))),
    ]
    if truncated:
        about.append(
            (_("Truncated"), _("Only the first %(max)s recommendations.") % {"max": f"{MAX_ROWS:,}"})
        )
    return tables.xlsx_bytes(
        _("Recommendations"), header, lines, widths=(24, 18, 12, 28, 80, 10, 12, 14, 30, 22), about=about
    )
