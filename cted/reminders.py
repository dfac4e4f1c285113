"""Reminding the State and CTED of the State's deadlines by email (docs/cted.md, "Reminders").

For each deadline still awaited (``Assessment.deadlines``), three reminders: two weeks before the due date,
on the due date, and once when it has passed (the pages keep flagging it overdue; a weekly email for the
months a report can be late would be noise). Each reminder has a window rather than a single day, so a day
the job did not run is caught up the next day — and a stale one is never sent: before (from 14 days before
the due date until the day before it), on the day (that day only), overdue (the week after it).

The reminders go through ``notifications.notify``, as the platform's other messages to people do: each
recipient finds it on the platform and gets the email as they chose (at once, in a digest, or not at all),
and the link in the email opens the assessment. The recipients are the focal points (and alternates) of the
State and of CTED, each checked against ``Assessment.objects.visible_to`` so that nobody is told about an
assessment they may not see.

Each reminder is sent once, however often the job runs: its ``DeadlineReminder`` row is inserted first, in
the transaction that makes the notifications; the unique constraint makes a second run — or a second worker
at the same time, which waits for the first's insert — find it and send nothing, and a rolled-back run
leaves no row, so the next run sends it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.i18n import in_each_readers_language
from cted import selectors
from cted.models import Assessment, Deadline, DeadlineReminder, ReminderKind
from notifications.services import absolute, notify

#: The first reminder goes this many days before the due date.
BEFORE_DAYS = 14
#: The overdue reminder is sent within this many days after the due date, never later.
OVERDUE_WINDOW_DAYS = 7

SUBJECTS = {
    ReminderKind.BEFORE: gettext_lazy("Due on %(due)s: %(deadline)s (%(state)s)"),
    ReminderKind.DUE: gettext_lazy("Due today, %(due)s: %(deadline)s (%(state)s)"),
    ReminderKind.OVERDUE: gettext_lazy("Overdue since %(due)s: %(deadline)s (%(state)s)"),
}


def reminder_for(deadline: Deadline, today: date) -> ReminderKind | None:
    """The reminder whose window ``today`` falls in, for a deadline still awaited; None otherwise."""
    if not deadline.awaited:
        return None
    if deadline.due - timedelta(days=BEFORE_DAYS) <= today < deadline.due:
        return ReminderKind.BEFORE
    if today == deadline.due:
        return ReminderKind.DUE
    if deadline.due < today <= deadline.due + timedelta(days=OVERDUE_WINDOW_DAYS):
        return ReminderKind.OVERDUE
    return None


def send_deadline_reminders(*, today: date | None = None) -> int:
    """Send the reminders whose day has come; returns how many people were notified. Safe to run twice or
    concurrently: each reminder is claimed before it is sent."""
    today = today or timezone.localdate()
    awaiting = Assessment.objects.filter(
        Q(draft_sent_on__isnull=False, comments_received_on__isnull=True, adopted_on__isnull=True)
        | Q(adopted_on__isnull=False, steps_received_on__isnull=True)
    ).select_related("state")
    notified = 0
    for assessment in awaiting:
        for deadline in assessment.deadlines(today):
            kind = reminder_for(deadline, today)
            if kind is not None:
                notified += send_reminder(assessment, deadline, kind)
    return notified


@transaction.atomic
def send_reminder(assessment: Assessment, deadline: Deadline, kind: ReminderKind) -> int:
    """Claim one reminder and notify its recipients, in one transaction; 0 if it was already sent."""
    claim, created = DeadlineReminder.objects.get_or_create(
        assessment=assessment, deadline=deadline.kind, reminder=kind, defaults={"due": deadline.due}
    )
    if not created:
        return 0
    path = reverse("cted:assessment", kwargs={"pk": assessment.pk})

    def names() -> dict:
        due = formats.date_format(deadline.due, "DATE_FORMAT")
        return {"due": due, "deadline": deadline.label, "state": assessment.state.name}

    def body() -> str:  # written in each reader's language (notify)
        status = (
            _("overdue since %(due)s: nothing has been received.")
            if kind == ReminderKind.OVERDUE
            else _("due on %(due)s, not received yet.")
        ) % names()
        return "\n".join(
            [
                _("CTED's assessment of %(state)s: %(visit)s · %(date)s.")
                % {
                    "state": assessment.state.name,
                    "visit": assessment.get_visit_type_display(),
                    "date": formats.date_format(assessment.visit_start, "DATE_FORMAT"),
                },
                f"{deadline.label}: {status}",
                _("The State's focal points send it to CTED; CTED's focal points receive this reminder too."),
                "",
                _("The assessment: %(link)s") % {"link": absolute(path)},
            ]
        )

    sent = notify(
        recipients=selectors.focal_points_of(assessment),
        subject=in_each_readers_language(lambda: str(SUBJECTS[kind]) % names()),
        body=in_each_readers_language(body),
        url=path,
        kind="cted_deadline",
        dedupe_key=f"cted-deadline:{claim.pk}",
    )
    claim.recipients = len(sent)
    claim.save(update_fields=["recipients"])
    return len(sent)
