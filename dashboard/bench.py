"""dashboard's part of ``bench``: the landing page, a focal point's home, and the Secretariat's statistics
(two years of visits, with the other apps' data at bench scale)."""

from datetime import timedelta

from django.urls import reverse

from core.benchmarking import Page, Scale
from dashboard.models import VisitDay
from dashboard.visits import utc_today
from directory.bench import focal_point, secretariat_member

#: Days of visits in the bench data set: the statistics' default two years, and some.
VISIT_DAYS = 800


def generate(scale: Scale, write) -> None:
    """Days of visits, as the roll-up would have written them (only the missing ones: a rerun adds nothing)."""
    today = utc_today()
    days = [today - timedelta(days=back) for back in range(1, VISIT_DAYS + 1)]
    before = VisitDay.objects.count()
    VisitDay.objects.bulk_create(
        [
            VisitDay(date=day, views=scale.users // 4 + day.toordinal() % 997, visitors=scale.users // 40)
            for day in days
        ],
        ignore_conflicts=True,
    )
    write(f"dashboard: {VisitDay.objects.count() - before:,} days of visits added")


def measurements(scale: Scale, write) -> list[Page]:
    data = f"{scale.users:,} users"
    return [
        Page(
            "statistics (Secretariat)",
            reverse("dashboard:statistics"),
            user=secretariat_member,
            data=f"{data}, {scale.resources:,} resources, {scale.events:,} events, {scale.projects:,} projects, "
            f"{scale.recommendations:,} recommendations, {VISIT_DAYS} days of visits",
        ),
        Page("landing page (anonymous)", reverse("dashboard:landing")),
        Page("home (focal point)", reverse("dashboard:home"), user=focal_point, data=data),
    ]
