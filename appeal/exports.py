"""The Appeal's figures as files for others to reuse, as FTS publishes its flows: a cycle's ledger (the
entries the reader may see, filtered as on the page) and a dashboard's table, in CSV or XLSX, optionally with
an HXL hashtag row under the header (the Humanitarian Exchange Language, which HDX and humanitarian data
tools read).

Pure functions: the views (``appeal.export_views``) decide what is exported. Tables are written by
``core.tables`` like every export of the platform (formulas neutralised); amounts are plain decimals with a
point and no thousands separator, so a spreadsheet reads them as numbers; every relation is named, never an
id (an entry's own number is kept: a correction names the entry it corrects by it).

HXL hashtags follow the HXL Standard's core schema (``#org``, ``#value``, ``#currency``, ``#date``,
``#sector``, ``#activity``, ``#status``, ``#meta``) with the attributes FTS's datasets on HDX use for
funding: ``+funder``, ``+impl``, ``+funding``, ``+required``, ``+pct``, ``+usd``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeal.models import Flow, Priority
from appeal.selectors import Figures
from core import tables

#: The most entries one export holds; beyond, the file is cut and says so (the filters narrow it).
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Column:
    title: str
    hxl: str
    width: int = 16


def _table(
    columns: Sequence[Column], rows: Iterable[Sequence[object]], *, hxl: bool
) -> tuple[list, Iterable]:
    header = [str(column.title) for column in columns]
    if not hxl:
        return header, rows
    return header, [[column.hxl for column in columns], *rows]


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


# --- The ledger ---------------------------------------------------------------------------------------------

FLOW_COLUMNS = (
    Column(gettext_lazy("Entry"), "#meta+id", 8),
    Column(gettext_lazy("Appeal cycle"), "#meta+appeal", 12),
    Column(gettext_lazy("Date"), "#date", 12),
    Column(gettext_lazy("Donor"), "#org+funder+name", 30),
    Column(gettext_lazy("Stage"), "#status+stage", 18),
    Column(gettext_lazy("Amount"), "#value+original", 16),
    Column(gettext_lazy("Currency"), "#currency+original", 10),
    Column(gettext_lazy("US dollars for one unit"), "#value+rate+usd", 14),
    Column(gettext_lazy("Amount in US dollars"), "#value+funding+usd", 16),
    Column(gettext_lazy("Earmarked to"), "#meta+earmark", 18),
    Column(gettext_lazy("Appeal project"), "#activity+name", 40),
    Column(gettext_lazy("Lead entity"), "#org+impl+name", 30),
    Column(gettext_lazy("Thematic priorities"), "#sector+name", 40),
    Column(gettext_lazy("Strategy pillar"), "#sector+pillar", 30),
    Column(gettext_lazy("Correction of entry"), "#meta+corrects", 10),
    Column(gettext_lazy("Reason"), "#description+reason", 40),
)


def for_export(flows):
    """The entries with everything an export writes fetched alongside."""
    return flows.select_related("cycle", "donor", "pillar", "appeal_project__project__owner")


def flow_rows(flows: Iterable[Flow]) -> Iterable[list[str]]:
    for flow in flows:
        appealed = flow.appeal_project
        priorities = appealed.priorities if appealed else ([flow.priority] if flow.priority else [])
        yield [
            str(flow.pk),
            flow.cycle.name,
            flow.date.isoformat(),
            flow.donor.name,
            str(flow.get_stage_display()),
            _money(flow.amount),
            flow.currency,
            f"{flow.usd_rate.normalize():f}",
            _money(flow.amount_usd),
            str(flow.get_earmark_display()),
            appealed.project.title if appealed else "",
            appealed.project.owner.name if appealed else "",
            "; ".join(str(Priority(value).label) for value in priorities),
            str(flow.pillar) if flow.pillar else "",
            str(flow.corrects_id or ""),
            flow.reason,
        ]


def flows_file(
    format: str, flows: Iterable[Flow], *, hxl: bool, about: Sequence[tuple[str, str]] = ()
) -> bytes:
    header, rows = _table(FLOW_COLUMNS, flow_rows(flows), hxl=hxl)
    if format == "csv":
        return tables.csv_bytes(header, rows)
    widths = [column.width for column in FLOW_COLUMNS]
    return tables.xlsx_bytes(_("Flows"), header, rows, widths=widths, about=about)


# --- A dashboard's table ------------------------------------------------------------------------------------

#: The dimension of a dashboard's table → its first column (title, HXL hashtag).
DIMENSION_COLUMNS = {
    "entity": Column(gettext_lazy("Lead entity"), "#org+impl+name", 40),
    "priority": Column(gettext_lazy("Thematic priority"), "#sector+name", 40),
    "pillar": Column(gettext_lazy("Strategy pillar"), "#sector+pillar", 40),
    "donor": Column(gettext_lazy("Donor"), "#org+funder+name", 40),
}

FIGURE_COLUMNS = (
    Column(gettext_lazy("Requirements (US$)"), "#value+funding+required+usd"),
    Column(gettext_lazy("Pledged, not yet committed (US$)"), "#value+funding+pledged+usd"),
    Column(gettext_lazy("Committed, not yet paid (US$)"), "#value+funding+committed+usd"),
    Column(gettext_lazy("Paid (US$)"), "#value+funding+paid+usd"),
    Column(gettext_lazy("Funding (US$)"), "#value+funding+total+usd"),
    Column(gettext_lazy("Coverage (%)"), "#value+funding+pct", 12),
)


def figure_rows(rows: Iterable[Figures]) -> Iterable[list[str]]:
    for row in rows:
        yield [
            row.label,
            _money(row.requirements),
            _money(row.pledged),
            _money(row.committed),
            _money(row.paid),
            _money(row.funding),
            "" if row.coverage is None else f"{row.coverage:.1f}",
        ]


def figures_file(
    format: str, dimension: str, rows: Sequence[Figures], *, hxl: bool, about: Sequence[tuple[str, str]] = ()
) -> bytes:
    columns = (DIMENSION_COLUMNS[dimension], *FIGURE_COLUMNS)
    header, body = _table(columns, figure_rows(rows), hxl=hxl)
    if format == "csv":
        return tables.csv_bytes(header, body)
    widths = [column.width for column in columns]
    return tables.xlsx_bytes(_("Coverage"), header, body, widths=widths, about=about)
