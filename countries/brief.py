"""The country brief: a Member State's (or regional organisation's) page as one document, PDF or DOCX, built
for one reader — the same sections, each holding what that reader may see (a consent not given means no CTED
item here either), in the reader's language, dated in the reader's time zone.

Both formats are written from one ``Brief`` (``build``), so they never disagree: DOCX with python-docx, PDF
with WeasyPrint from an HTML template, in the DejaVu fonts of Debian's ``fonts-dejavu-core`` package (Latin,
Greek, Cyrillic and Arabic; Arabic set right to left), found through fontconfig — WeasyPrint is given no way
to fetch anything (no web fonts, no images from the network). In Arabic both are right to left
(``core.documents``: the PDF's ``<html dir="rtl">``, the DOCX's bidirectional paragraphs and runs).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from appeal.selectors import organization_section as appeal_section
from core.documents import finish_docx, html_to_pdf
from countries import sections
from cted.selectors import organization_section as cted_section
from cted.selectors import recommendations_of_state
from directory.models import Organization
from directory.people import organization_people
from projects.selectors import organization_section as projects_section
from support.selectors import organization_section as support_section

#: At most this many of the State's recommendations are written out (the count says how many there are).
RECOMMENDATIONS_LIMIT = 50

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class Entry:
    """One line of a part: a title and what follows it in smaller print."""

    text: str
    detail: str = ""


@dataclass
class Part:
    """One section of the brief: labelled texts (the profile's), entries (lists), and a sentence for an
    empty section."""

    heading: str
    texts: list[tuple[str, str]] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    note: str = ""


@dataclass
class Brief:
    title: str
    subtitle: str
    generated: str
    language: str
    rtl: bool
    parts: list[Part]


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def _profile(user, organization: Organization) -> Part:
    found = sections.profile_section(user, organization)["profile"]
    part = Part(_("Counter-terrorism priorities, challenges and good practices"))
    if found is None or found.is_empty:
        part.note = _("Its people have not written this profile yet.")
        return part
    part.texts = [
        (_("Priorities"), found.priorities or "—"),
        (_("Challenges"), found.challenges or "—"),
        (_("Good practices"), found.good_practices or "—"),
    ]
    part.note = _("Last saved on %(date)s by %(name)s.") % {
        "date": _moment(found.updated_at),
        "name": found.updated_by.full_name,
    }
    return part


def _people(user, organization: Organization) -> Part:
    part = Part(_("People"))
    for row in organization_people(user, organization):
        detail = [", ".join(str(role) for role in row.roles)]
        if row.job_title:
            detail.append(row.job_title)
        if not row.card.hidden and row.card.email:
            detail.append(row.card.email)
        part.entries.append(Entry(row.person.full_name, " · ".join(detail)))
    if not part.entries:
        part.note = _("Nobody represents this organisation on the platform yet.")
    return part


def _cted(user, organization: Organization) -> list[Part]:
    """As on the page: nothing at all — not even a heading — for a reader who sees no assessment and no
    recommendation of the State."""
    found = cted_section(user, organization)
    parts = []
    if found["assessments"]:
        part = Part(_("CTED assessments"))
        for assessment in found["assessments"]:
            awaited = "; ".join(
                _("%(label)s: due %(due)s") % {"label": deadline.label, "due": _date(deadline.due)}
                for deadline in assessment.pending
            )
            part.entries.append(
                Entry(
                    f"{assessment.get_visit_type_display()} · {_date(assessment.visit_start)}",
                    f"{assessment.get_stage_display()}" + (f" · {awaited}" if awaited else ""),
                )
            )
        parts.append(part)
    count = found["recommendations"]
    if count:
        part = Part(_("CTED recommendations"))
        part.note = _("Recommendations that you may read: %(count)s, priority needs first.") % {
            "count": count
        }
        if count > RECOMMENDATIONS_LIMIT:
            part.note += " " + _("The first %(limit)s are listed.") % {"limit": RECOMMENDATIONS_LIMIT}
        for need in recommendations_of_state(user, organization)[:RECOMMENDATIONS_LIMIT]:
            detail = [need.theme.name if need.theme else _("No thematic area")]
            if need.is_priority:
                detail.append(_("Priority need"))
            detail += [need.get_assistance_status_display(), need.get_implementation_status_display()]
            part.entries.append(Entry(need.text, " · ".join(str(item) for item in detail)))
        parts.append(part)
    return parts


def _support(user, organization: Organization) -> Part | None:
    """Its requests for tailored support the reader may see (none: no part), the latest first."""
    found = support_section(user, organization)
    if not found["requests"]:
        return None
    part = Part(str(found["heading"]))
    for request in found["requests"]:
        part.entries.append(
            Entry(
                request.title,
                f"{request.theme} · {request.get_status_display()} · {_moment(request.created_at)}",
            )
        )
    count = f"{found['count']}+" if found["more"] else str(found["count"])
    part.note = _("Requests in all that you may see: %(count)s.") % {"count": count}
    return part


def _projects(user, organization: Organization) -> Part:
    found = projects_section(user, organization)
    part = Part(str(found["heading"]))
    summary = found["summary"]
    for project in summary.projects:
        when = f" · {_date(project.start)}–{_date(project.end)}" if project.start else ""
        part.entries.append(
            Entry(project.title, f"{project.owner.display_name} · {project.get_status_display()}{when}")
        )
    if summary.count:
        count = f"{summary.count}+" if summary.more else str(summary.count)
        part.note = _("Projects in all that you may see: %(count)s.") % {"count": count}
    else:
        part.note = _("No projects that you may see yet.")
    return part


def _appeal(user, organization: Organization) -> Part | None:
    found = appeal_section(user, organization)
    if not (found["donor"] or found["leads"] or found["for_country"]):
        return None
    part = Part(_("In the Multi-Year Appeal"))
    if found["donor"]:
        part.entries.append(Entry(_("It gives to the Appeal: pledges, commitments or paid contributions.")))
    if found["leads"]:
        part.entries.append(Entry(_("Appeal projects it leads: %(count)s.") % {"count": found["leads"]}))
    if found["for_country"]:
        part.entries.append(
            Entry(
                _("Appeal projects for %(name)s: %(count)s.")
                % {"name": organization.name, "count": found["for_country"]}
            )
        )
    return part


def _events(user, organization: Organization) -> Part | None:
    found = sections.events_section(user, organization)
    if not found["shown"]:
        return None
    part = Part(_("Upcoming events in the country"))
    for occurrence in found["occurrences"]:
        event = occurrence.event
        where = f" · {event.city}" if event.city else ""
        part.entries.append(
            Entry(event.title, f"{_moment(occurrence.start)}{where} · {event.owner.display_name}")
        )
    if not part.entries:
        part.note = _("No upcoming events in the country that you may see.")
    return part


def _documents(user, organization: Organization) -> Part | None:
    found = sections.documents_section(user, organization)
    if not found["shown"]:
        return None
    part = Part(_("Documents about the country"))
    for resource in found["resources"]:
        detail = f"{resource.get_resource_type_display()} · {resource.owner.display_name}"
        part.entries.append(Entry(resource.title, f"{detail} · {_date(resource.publication_date)}"))
    if not part.entries:
        part.note = _("No documents about the country that you may see.")
    return part


def _showcase(user, organization: Organization) -> Part | None:
    found = sections.showcase_section(user, organization)
    if not (found["shown"] and (found["resources"] or found["notices"])):
        return None
    part = Part(_("Its efforts, shared with the Working Groups"))
    for resource in found["resources"]:
        part.entries.append(
            Entry(resource.title, f"{resource.working_group} · {_date(resource.publication_date)}")
        )
    for notice in found["notices"]:
        part.entries.append(Entry(notice.title, f"{notice.working_group} · {_moment(notice.created_at)}"))
    return part


def build(user, organization: Organization) -> Brief:
    """The brief of the organisation's page as ``user`` sees it, in the active language and time zone, in
    the page's order."""
    parts = [
        _profile(user, organization),
        _people(user, organization),
        *_cted(user, organization),
        _support(user, organization),
        _projects(user, organization),
        _appeal(user, organization),
        _events(user, organization),
        _documents(user, organization),
        _showcase(user, organization),
    ]
    subtitle = organization.get_kind_display()
    if organization.region:
        subtitle += f" · {organization.get_region_display()}"
    now = timezone.localtime()
    return Brief(
        title=_("Country brief: %(name)s") % {"name": organization.name},
        subtitle=str(subtitle),
        generated=_("Generated on %(date)s at %(time)s (%(zone)s) for %(reader)s, from what they may see.")
        % {
            "date": formats.date_format(now, "DATE_FORMAT"),
            "time": formats.time_format(now, "TIME_FORMAT"),
            "zone": timezone.get_current_timezone_name(),
            "reader": user.full_name,
        },
        language=get_language() or "en",
        rtl=get_language_bidi(),
        parts=[part for part in parts if part is not None],
    )


# --- DOCX ---------------------------------------------------------------------------------------------------


def to_docx(brief: Brief) -> bytes:
    document = docx.Document()
    document.add_heading(brief.title, level=0)
    document.add_paragraph(brief.subtitle)
    document.add_paragraph(brief.generated).runs[0].italic = True
    for part in brief.parts:
        document.add_heading(part.heading, level=1)
        for label, text in part.texts:
            document.add_heading(label, level=2)
            for line in text.splitlines():
                if line.strip():
                    document.add_paragraph(line.strip())
        for entry in part.entries:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(entry.text).bold = True
            if entry.detail:
                paragraph.add_run(f"\n{entry.detail}")
        if part.note:
            document.add_paragraph(part.note).runs[0].italic = True
    finish_docx(document, title=brief.title, language=brief.language, rtl=brief.rtl)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------------


def to_pdf(brief: Brief) -> bytes:
    context = {
        "brief": brief,
        "document_title": brief.title,
        "document_language": brief.language,
        "document_rtl": brief.rtl,
    }
    return html_to_pdf(render_to_string("countries/brief.html", context))


RENDERERS = {"pdf": to_pdf, "docx": to_docx}
