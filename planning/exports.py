"""The draft of the annual report's Working Group section: every group's progress report for one period,
as one DOCX (python-docx) or PDF (WeasyPrint, from templates/planning/export.html) document, in the active
language and its direction (``core.documents``: Arabic shaped and right to left in both).

Only submitted reports are exported with their text and frozen figures; a group without a submitted
report is listed as "not submitted" (its draft, if any, is the chairs' work in progress, not yet theirs to
hand over). Both formats are built from the same ``sections`` so they never disagree.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from core.documents import finish_docx, html_to_pdf
from planning.figures import status_rows
from planning.models import ReportingPeriod
from planning.selectors import side_by_side


@dataclass
class Section:
    heading: str
    status: str
    submitted: bool
    figures: list[tuple[str, str]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    lists: list[tuple[str, list[str]]] = field(default_factory=list)


def title(period: ReportingPeriod) -> str:
    return _("Working Groups' progress reports — %(period)s") % {"period": period.name}


def subtitle(period: ReportingPeriod) -> str:
    return _("Draft of the annual report's Working Group section. Period: %(start)s to %(end)s.") % {
        "start": formats.date_format(period.start, "DATE_FORMAT"),
        "end": formats.date_format(period.end, "DATE_FORMAT"),
    }


def sections(period: ReportingPeriod) -> list[Section]:
    result = []
    for entry in side_by_side(period):
        group, report = entry.working_group, entry.report
        heading = _("Working Group %(number)s: %(name)s") % {"number": group.number, "name": group.name}
        if report is None or not report.is_submitted:
            status = (
                _("Not submitted (a draft is in progress).") if report is not None else _("Not submitted.")
            )
            result.append(Section(heading=heading, status=status, submitted=False))
            continue
        data = report.figures
        submitted_at = formats.date_format(timezone.localtime(report.submitted_at), "DATE_FORMAT")
        who = report.submitted_by.full_name if report.submitted_by else ""
        status = _("Submitted on %(date)s by %(who)s.") % {"date": submitted_at, "who": who or _("a chair")}
        activities = data.get("activities", {})
        numbers = [(_("Activities in the period"), str(activities.get("total", 0)))]
        numbers += [
            (_("Activities: %(status)s") % {"status": label}, str(count))
            for label, count in status_rows(data)
        ]
        numbers.append((_("Meetings held"), str(data.get("meetings", {}).get("count", 0))))
        numbers.append((_("Documents produced"), str(data.get("documents", {}).get("count", 0))))
        lists = []
        if activities.get("completed_titles"):
            lists.append((_("Completed activities"), list(activities["completed_titles"])))
        documents = data.get("documents", {}).get("listed", [])
        if documents:
            lists.append((_("Documents published"), [f"{d['title']} ({d['date']})" for d in documents]))
        texts = [
            (_("Achievements"), report.achievements),
            (_("Challenges"), report.challenges),
            (_("Next steps"), report.next_steps),
        ]
        result.append(Section(heading, status, True, numbers, texts, lists))
    return result


def to_docx(period: ReportingPeriod) -> bytes:
    document = docx.Document()
    document.add_heading(title(period), level=0)
    document.add_paragraph(subtitle(period))
    for section in sections(period):
        document.add_heading(section.heading, level=1)
        document.add_paragraph(section.status).runs[0].italic = True
        if not section.submitted:
            continue
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in section.figures:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        for label, items in section.lists:
            document.add_heading(label, level=2)
            for item in items:
                document.add_paragraph(item, style="List Bullet")
        for label, text in section.texts:
            document.add_heading(label, level=2)
            for paragraph in (text or "—").split("\n"):
                if paragraph.strip():
                    document.add_paragraph(paragraph.strip())
    finish_docx(document, title=title(period), language=get_language() or "en", rtl=get_language_bidi())
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def to_pdf(period: ReportingPeriod) -> bytes:
    html = render_to_string(
        "planning/export.html",
        {
            "document_title": title(period),
            "document_language": get_language() or "en",
            "document_rtl": get_language_bidi(),
            "subtitle": subtitle(period),
            "sections": sections(period),
        },
    )
    return html_to_pdf(html)
