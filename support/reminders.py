"""Reminding the addressees of requests for support that have had no offer (docs/support.md, "Reminders").

A request still open — no offer — ``SUPPORT_REMINDER_DAYS`` (a setting, 14 by default) after it was asked is
reminded once: to the focal points and alternates of its addressees (the named entities, the addressed
Working Group's member organisations) who may read it, or, when it has none, to the Secretariat's people who
may read it. Through ``notifications.notify``, as the platform's other messages: on the platform, and by email
as each recipient chose.

Each reminder is sent once, however often the job runs: its ``SupportReminder`` row is inserted first, in the
transaction that makes the notifications; the unique request makes a second run — or a second worker at the
same time, which waits for the first's insert — find it and send nothing, and a rolled-back run leaves no
row, so the next run sends it (the pattern of ``cted.reminders``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.i18n import in_each_readers_language
from notifications.services import absolute, notify
from support import selectors
from support.models import RequestStatus, SupportReminder, SupportRequest


def send_support_reminders(*, now=None) -> int:
    """Remind the requests whose time has come; returns how many people were notified."""
    now = now or timezone.now()
    due = SupportRequest.objects.filter(
        status=RequestStatus.OPEN,
        created_at__lte=now - timedelta(days=settings.SUPPORT_REMINDER_DAYS),
        reminder__isnull=True,
    ).order_by("created_at", "pk")
    return sum(send_reminder(request) for request in due.select_related("owner", "theme"))


@transaction.atomic
def send_reminder(request: SupportRequest) -> int:
    """Claim one request's reminder and notify its recipients, in one transaction; 0 if already sent."""
    claim, created = SupportReminder.objects.get_or_create(request=request)
    if not created:
        return 0
    recipients = list(selectors.focal_points_reading(request, selectors.addressee_organization_ids(request)))
    if not recipients:
        recipients = list(selectors.secretariat_reading(request))
    path = request.get_absolute_url()
    names = {
        "asker": request.owner.display_name,
        "title": request.title,
        "days": settings.SUPPORT_REMINDER_DAYS,
        "date": formats.date_format(timezone.localtime(request.created_at), "DATE_FORMAT"),
        "theme": request.theme.name,
    }
    body = in_each_readers_language(
        lambda: "\n".join(
            [
                _("%(asker)s asked for support on %(date)s (%(theme)s): “%(title)s”.") % names,
                _("No organisation has offered help in %(days)s days.") % names,
                "",
                _("The request: %(link)s") % {"link": absolute(path)},
            ]
        )
    )
    sent = notify(
        recipients=recipients,
        subject=in_each_readers_language(
            lambda: _("No offer yet: %(asker)s's request for support, “%(title)s”") % names
        ),
        body=body,
        url=path,
        kind="support_reminder",
        dedupe_key=f"support-reminder:{claim.pk}",
    )
    claim.recipients = len(sent)
    claim.save(update_fields=["recipients"])
    return len(sent)
