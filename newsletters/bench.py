"""newsletters' part of ``bench``: the archive and the Secretariat's list, and compiling a year's draft from
the bench data (the content apps' rows at their bench scale) — the work behind "Open a period"."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from core.benchmarking import Page, Query, Scale
from directory.bench import focal_point, secretariat_member
from newsletters.compiler import compile_period
from newsletters.models import Kind


def measurements(scale: Scale, write):
    data = f"{scale.users:,} users"
    yield Page(
        "newsletters: archive (focal point)", reverse("newsletters:archive"), user=focal_point, data=data
    )
    yield Page(
        "newsletters: the Secretariat's list",
        reverse("newsletters:manage"),
        user=secretariat_member,
        data=data,
    )
    year = timezone.localdate().year
    yield Query(
        "newsletters: compile an annual draft (a year of every app's data)",
        lambda: compile_period(Kind.ANNUAL, date(year, 1, 1), date(year, 12, 31)),
        data,
        max_runs=3,
    )
