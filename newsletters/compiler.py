"""A newsletter's first draft, compiled from a period's data through the apps' selectors.

**Confidentiality.** An issue goes to every subscriber, so it is compiled only from what every signed-in
person may read: content whose audience is the whole platform or the public (``visibility`` ``platform``
or ``public``, never the trash), organisations and people as the directory shows them to every signed-in
member — organisations by name, focal points as counts per organisation, never a person's name — and, of
the Working Groups' progress reports, the fact that a group reported (the text is its members'). The
selectors named ``*_between`` in each app say so; nothing here reads another app's models.

The draft is plain text (see ``Newsletter``): one paragraph per section, its heading on the first line,
one line per item with its link on the platform. The Secretariat edits it freely before sending.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calendar_app.selectors import held_between
from directory.models import OrganizationKind
from directory.selectors import focal_points_nominated_between, organizations_joined_between
from library.selectors import published_between
from newsletters.models import Kind
from notifications.services import absolute
from planning.selectors import reports_submitted_between
from projects.selectors import added_between

#: Items listed per section; the rest are counted ("and 12 more"). An issue stays readable, and its body
#: within its length, whatever the period holds.
LISTED = 40
#: Items listed per Working Group in its highlights.
LISTED_PER_GROUP = 8


@dataclass(frozen=True)
class Draft:
    title: str
    introduction: str
    body: str


def window(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as moments: [start 00:00, the day after end 00:00) in the platform's time zone."""
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def title_for(kind: str, start: date, end: date) -> str:
    if kind == Kind.ANNUAL:
        years = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
        return _("Annual newsletter %(years)s") % {"years": years}
    return _("Newsletter, %(start)s – %(end)s") % {
        "start": date_format(start, "F Y"),
        "end": date_format(end, "F Y"),
    }


def _more(count: int, shown: int) -> list[str]:
    rest = count - shown
    if rest <= 0:
        return []
    return [ngettext("- and %(count)s more", "- and %(count)s more", rest) % {"count": rest}]


def _section(heading: str, lines: list[str]) -> str:
    return "\n".join([heading, *lines]) if lines else ""


def _item(text: str, path: str) -> str:
    return f"- {text}\n  {absolute(path)}"


def _kind_label(kind: str) -> str:
    return str(OrganizationKind(kind).label) if kind in OrganizationKind.values else kind


def compile_period(kind: str, start: date, end: date) -> Draft:
    """The draft of an issue of ``kind`` for the period from ``start`` to ``end`` (both included)."""
    first, last = window(start, end)
    occurrences = list(held_between(first, last)[: LISTED * 10])
    documents = list(published_between(start, end)[: LISTED * 10])
    reports = list(reports_submitted_between(first, last))
    projects = list(added_between(first, last)[: LISTED + 1])
    joined = list(organizations_joined_between(first, last))
    nominating = list(focal_points_nominated_between(first, last))

    sections = [
        _section(
            _("Events held"),
            [
                _item(
                    f"{date_format(timezone.localtime(o.start).date(), 'DATE_FORMAT')} — {o.event.title} "
                    f"({o.event.owner.display_name})",
                    o.event.get_absolute_url(),
                )
                for o in occurrences[:LISTED]
            ]
            + _more(len(occurrences), LISTED),
        ),
        _section(
            _("New documents"),
            [
                _item(
                    f"{r.title} ({r.owner.display_name}, {date_format(r.publication_date)})",
                    r.get_absolute_url(),
                )
                for r in documents[:LISTED]
            ]
            + _more(len(documents), LISTED),
        ),
        _group_highlights(occurrences, documents, reports),
        _new_members(joined, nominating),
        _section(
            _("New projects"),
            [_item(f"{p.title} ({p.owner.display_name})", p.get_absolute_url()) for p in projects[:LISTED]]
            + _more(len(projects), LISTED),
        ),
    ]
    body = "\n\n".join(section for section in sections if section)
    return Draft(
        title=title_for(kind, start, end),
        introduction="",
        body=body or _("Nothing was published for everyone on the platform in this period."),
    )


def _group_highlights(occurrences, documents, reports) -> str:
    """Per Working Group (by number): its meetings held, its documents, its progress reports submitted."""
    groups = {}
    meetings, papers, reported = defaultdict(list), defaultdict(list), defaultdict(list)
    for occurrence in occurrences:
        if occurrence.working_group is not None:
            groups[occurrence.working_group.number] = occurrence.working_group
            meetings[occurrence.working_group.number].append(occurrence)
    for resource in documents:
        if resource.working_group is not None:
            groups[resource.working_group.number] = resource.working_group
            papers[resource.working_group.number].append(resource)
    for report in reports:
        groups[report.working_group.number] = report.working_group
        reported[report.working_group.number].append(report)
    lines = []
    for number in sorted(groups):
        lines.append(f"* {groups[number]}")
        found = meetings[number]
        if found:
            names = "; ".join(
                f"{o.event.title} ({date_format(timezone.localtime(o.start).date())})"
                for o in found[:LISTED_PER_GROUP]
            )
            lines.append(
                ngettext(
                    "  %(count)s meeting held: %(names)s", "  %(count)s meetings held: %(names)s", len(found)
                )
                % {"count": len(found), "names": names}
            )
        found = papers[number]
        if found:
            names = "; ".join(resource.title for resource in found[:LISTED_PER_GROUP])
            lines.append(
                ngettext(
                    "  %(count)s new document: %(names)s", "  %(count)s new documents: %(names)s", len(found)
                )
                % {"count": len(found), "names": names}
            )
        for report in reported[number]:
            lines.append(_("  Progress report submitted for %(period)s") % {"period": report.period.name})
    return _section(_("Working Group highlights"), lines)


def _new_members(joined, nominating) -> str:
    """Organisations that joined, and focal points nominated, counted per kind of organisation with the
    organisations named."""
    lines = []
    by_kind = defaultdict(list)
    for organization in joined:
        by_kind[organization.kind].append(organization.display_name)
    for kind, names in by_kind.items():
        lines.append(
            ngettext(
                "- %(count)s %(kind)s joined: %(names)s",
                "- %(count)s organisations (%(kind)s) joined: %(names)s",
                len(names),
            )
            % {"count": len(names), "kind": _kind_label(kind), "names": ", ".join(names)}
        )
    nominated = defaultdict(list)
    for organization in nominating:
        nominated[organization.kind].append(organization)
    for kind, organizations in nominated.items():
        people = sum(organization.nominated for organization in organizations)
        names = ", ".join(f"{o.display_name} ({o.nominated})" for o in organizations)
        lines.append(
            ngettext(
                "- %(count)s focal point nominated by %(kind)s: %(names)s",
                "- %(count)s focal points nominated by %(kind)s: %(names)s",
                people,
            )
            % {"count": people, "kind": _kind_label(kind), "names": names}
        )
    return _section(_("New members"), lines)
