"""The home's "Waiting for you": what each person has to do, from every app, as one dated list
(docs/dashboard.md).

Each source is a selector of the app that owns the workflow, given the acting user and reading through
``visible_to`` (or the app's own rules for records that are not content: rounds, reports, assessments). This
module only turns their answers into ``Item``s — what to do, by when, where — so the home's template is one
loop. Nothing here decides a right or invents a workflow: an app without something waiting adds nothing.
Every source answers in at most two queries, and most without a query when the person cannot be concerned
(no organisation, no Working Group, nothing to vote in...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calendar_app.selectors import awaiting_rsvp
from cted.selectors import consent_decisions, deadlines_awaited
from directory.access import viewer
from directory.selectors import reconfirmation_due, waiting_membership_requests
from planning.selectors import reports_due, rounds_awaiting_ballot
from support.selectors import awaiting_answer

#: A due date this close is "soon".
SOON_DAYS = 7


class Urgency:
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


#: The list's order: overdue first, then due soon, then the rest; by due date within each (undated last).
RANK = {Urgency.OVERDUE: 0, Urgency.SOON: 1, Urgency.LATER: 2}


@dataclass(frozen=True)
class Item:
    """One thing waiting for the person: what (``label``), by when (``due``, a date in their time zone, or
    None), where to do it (``url``, with ``action`` as the link's words) and how urgent. ``rsvp_url``: an
    event's answer form, shown in place (attending / maybe / not attending)."""

    kind: str
    label: str
    due: date | None
    url: str
    action: str
    urgency: str
    rsvp_url: str = ""


def _day(moment: date | datetime | None) -> date | None:
    """A date as the person reads it: a moment in their time zone (the request's, set by the middleware)."""
    if isinstance(moment, datetime):
        return timezone.localdate(moment)
    return moment


def _item(kind: str, label: str, due, url: str, action: str, today: date, **extra) -> Item:
    day = _day(due)
    if day is None:
        urgency = Urgency.LATER
    elif day < today:
        urgency = Urgency.OVERDUE
    elif (day - today).days <= SOON_DAYS:
        urgency = Urgency.SOON
    else:
        urgency = Urgency.LATER
    return Item(kind, label, day, url, action, urgency, **extra)


def _reconfirmation(user, today):
    due = reconfirmation_due(user)
    if due is not None:
        yield _item(
            "reconfirm",
            _("Confirm that your details in the directory are current"),
            due.due,
            reverse("directory:reconfirm"),
            _("Review and confirm"),
            today,
        )


def _membership_requests(user, today):
    count = waiting_membership_requests(user)
    if count:
        label = ngettext(
            "An organisation asked you to take a role in it.",
            "%(count)d organisations asked you to take a role in them.",
            count,
        ) % {"count": count}
        yield _item(
            "membership", label, None, reverse("directory:membership_requests"), _("Accept or decline"), today
        )


def _rsvps(user, today):
    for occurrence in awaiting_rsvp(user):
        event = occurrence.event
        yield _item(
            "rsvp",
            _("Will you attend %(event)s?") % {"event": event.title},
            occurrence.start,
            reverse("calendar_app:detail", args=[event.pk]),
            _("See the event"),
            today,
            rsvp_url=reverse("calendar_app:rsvp", args=[event.parent_id or event.pk]),
        )


def _rounds(user, today):
    for round_ in rounds_awaiting_ballot(user):
        yield _item(
            "round",
            _("Vote for your organisation in the round “%(round)s” (WG %(number)s)")
            % {"round": round_.title, "number": round_.working_group.number},
            round_.closes_at,
            reverse("planning:ballot", args=[round_.pk]),
            _("Vote"),
            today,
        )


def _reports(user, today):
    for report in reports_due(user):
        yield _item(
            "report",
            _("Submit the progress report of %(group)s for %(period)s")
            % {"group": report.working_group, "period": report.period.name},
            report.period.due,
            report.url,
            _("Open the report"),
            today,
        )


def _cted_deadlines(user, today):
    for assessment, deadline in deadlines_awaited(user):
        yield _item(
            "cted_deadline",
            _("%(deadline)s — %(assessment)s") % {"deadline": deadline.label, "assessment": assessment},
            deadline.due,
            reverse("cted:assessment", args=[assessment.pk]),
            _("Open the assessment"),
            today,
        )


def _consents(user, today):
    for decision in consent_decisions(user):
        assessment = decision.assessment
        if decision.grant is not None:
            shared_with = (
                decision.grant.organization.display_name
                if decision.grant.organization
                else _("every Compact entity")
            )
            label = _("Renew or let end your consent to share %(assessment)s with %(audience)s") % {
                "assessment": assessment,
                "audience": shared_with,
            }
        else:
            label = _("Decide whether to share %(assessment)s, whose report is adopted") % {
                "assessment": assessment
            }
        yield _item(
            "consent",
            label,
            decision.due,
            reverse("cted:assessment", args=[assessment.pk]),
            _("Decide"),
            today,
        )


def _support(user, today):
    who = viewer(user)
    for request in awaiting_answer(user):
        # The person's own organisation's request waits for its choice among offers; any other, for an offer.
        if who is not None and request.owner_id in who.organization_ids:
            label = _("Choose among the offers for your request “%(title)s”") % {"title": request.title}
        else:
            label = _("Answer the request for support “%(title)s” of %(asker)s") % {
                "title": request.title,
                "asker": request.owner.display_name,
            }
        yield _item("support", label, None, request.get_absolute_url(), _("Open the request"), today)


SOURCES = (
    _reconfirmation,
    _membership_requests,
    _rsvps,
    _rounds,
    _reports,
    _cted_deadlines,
    _consents,
    _support,
)


def waiting_for(user) -> list[Item]:
    """Everything waiting for the person, most urgent first."""
    today = timezone.localdate()
    items = [item for source in SOURCES for item in source(user, today)]
    return sorted(items, key=lambda item: (RANK[item.urgency], item.due is None, item.due or today))
