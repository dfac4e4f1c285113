"""core's part of ``bench``: the health endpoint load balancers poll."""

from django.urls import reverse

from core.benchmarking import Page, Scale


def measurements(scale: Scale, write) -> list[Page]:
    return [Page("health (database, cache, broker)", reverse("core:health"))]
