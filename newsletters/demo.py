"""newsletters' part of ``seed_demo``: the last bi-monthly period's issue, in the archive as sent (no e-mail
goes out from the demo: it is marked sent, with no deliveries), and the current period's draft, both
compiled from the demo data as the Secretariat's "Open a period" compiles them. Idempotent: a period that
has its issue already is left as it is."""

from datetime import date, timedelta

from django.utils import timezone

from core.demo import DemoRun
from newsletters import services
from newsletters.models import Kind, Newsletter, Status


def _two_months_before(day: date) -> date:
    """The first day of the month two months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - 2
    return date(index // 12, index % 12 + 1, 1)


def seed(run: DemoRun) -> None:
    secretariat = run.users["secretariat"]
    today = timezone.localdate()
    current_start = _two_months_before(today.replace(day=1))
    previous_start = _two_months_before(current_start)
    periods = [(previous_start, current_start - timedelta(days=1), True), (current_start, today, False)]
    for start, end, sent in periods:
        if Newsletter.objects.filter(kind=Kind.BIMONTHLY, period_start=start).exists():
            continue
        issue = services.open_period(kind=Kind.BIMONTHLY, start=start, end=end, by=secretariat)
        if sent:
            moment = timezone.now()
            Newsletter.objects.filter(pk=issue.pk).update(
                status=Status.SENT, sent_by=secretariat, send_started_at=moment, sent_at=moment
            )
    run.write("newsletters: the last period's issue (sent) and the current period's draft")
