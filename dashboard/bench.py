"""dashboard's part of ``bench``: the landing page and a focal point's home."""

from django.urls import reverse

from core.benchmarking import Page, Scale
from directory.bench import focal_point


def measurements(scale: Scale, write) -> list[Page]:
    data = f"{scale.users:,} users"
    return [
        Page("landing page (anonymous)", reverse("dashboard:landing")),
        Page("home (focal point)", reverse("dashboard:home"), user=focal_point, data=data),
    ]
