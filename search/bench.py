"""search's part of ``bench``: the search page over every group, for a common word and a rare one, as an
entity's focal point and a Member State's (the two ends of the audience rule)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from core.benchmarking import Page, Scale
from directory.bench import focal_point, state_focal_point

#: In the bench's data set: "security" is in every project, most of the people's, a sixth of CTED's
#: recommendations and a third of the library; "coordination" in every event; "livestreaming" in a few dozen
#: resources and nothing else.
WORDS = ("security", "coordination", "livestreaming")


def measurements(scale: Scale, write) -> list[Page]:
    data = (
        f"{scale.users:,} people, {scale.resources:,} resources, {scale.events:,} events, "
        f"{scale.projects:,} projects, {scale.recommendations:,} recommendations"
    )
    pages = []
    for who, user in (("entity focal point", focal_point), ("Member State focal point", state_focal_point)):
        for word in WORDS:
            pages.append(
                Page(
                    f"search: “{word}” in every group ({who})",
                    f"{reverse('search:results')}?{urlencode({'q': word})}",
                    user=user,
                    data=data,
                    target_ms=100,
                )
            )
    return pages
