"""Items of each of the four models that allow the public level, at every visibility, for the showcase's
tests: only the public ones may ever reach an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from appeal import services as appeal_services
from appeal.models import AppealProject, Stage
from directory.access import Visibility
from library.models import Resource
from projects.models import Project
from tests.appeal.conftest import flow
from tests.calendar_app.conftest import make_event
from tests.conftest import organization, wg
from tests.projects.conftest import make_project

BY_GROUP = (Visibility.WORKING_GROUP, Visibility.WORKING_GROUP_MEMBERS)


def audience(visibility: str) -> dict:
    return {"visibility": visibility, "working_group": wg(2) if visibility in BY_GROUP else None}


@dataclass
class Showcase:
    #: {visibility: title} of each model's items
    projects: dict[str, str]
    events: dict[str, str]
    resources: dict[str, str]
    #: {"public" | "published" | "unpublished" | "stale": appeal project}
    appeal: dict[str, AppealProject]

    def hidden_titles(self) -> list[str]:
        """Every project, event and resource title an anonymous visitor must never read."""
        return [
            t
            for items in (self.projects, self.events, self.resources)
            for v, t in items.items()
            if v != "public"
        ]

    def hidden_appeal_titles(self) -> list[str]:
        """The appeal projects a visitor must not find in the Appeal (their projects are public, but not
        their appeal; the "stale" one's project is no longer public at all)."""
        return [appealed.project.title for key, appealed in self.appeal.items() if key != "public"]


def every_level(cycle, secretariat, unodc_person) -> Showcase:
    unodc = organization("entity:UNODC")
    soon = timezone.now() + timedelta(days=10)
    projects, events, resources = {}, {}, {}
    for visibility in Visibility.values:
        projects[visibility] = make_project(
            f"Project seen by {visibility}", countries=["KEN"], budget="1000", **audience(visibility)
        ).title
        events[visibility] = make_event(
            unodc, title=f"Event seen by {visibility}", start=soon, **audience(visibility)
        ).title
        resources[visibility] = Resource.objects.create(
            title=f"Resource seen by {visibility}",
            resource_type="report",
            owner=unodc,
            **audience(visibility),
        ).title
    appeal = {}
    for key in ("public", "published", "unpublished", "stale"):
        project = make_project(f"Appeal project {key}", visibility=Visibility.PUBLIC, countries=["NER"])
        appealed = appeal_services.add_appeal_project(
            cycle=cycle, project=project, priorities=["border_security"], by=unodc_person,
            is_published=key != "unpublished", is_public=key in ("public", "stale"),
        )  # fmt: skip
        appeal_services.set_requirements(
            appealed, amounts={2021: Decimal(1000 if key == "public" else 5000)}, by=unodc_person
        )
        appeal[key] = appealed
    # made private again after it was shown: it leaves the public pages with its project
    Project.objects.filter(pk=appeal["stale"].project_id).update(visibility=Visibility.PLATFORM)
    flow(secretariat, cycle, "state:DEU", Stage.COMMITMENT, "100", to=appeal["public"])
    flow(secretariat, cycle, "state:DEU", Stage.PAID, "50", to=appeal["public"])
    flow(secretariat, cycle, "state:JPN", Stage.PLEDGE, "1000", to=appeal["public"])  # never funding
    flow(secretariat, cycle, "state:DEU", Stage.COMMITMENT, "7000", to=appeal["published"])
    flow(secretariat, cycle, "state:DEU", Stage.COMMITMENT, "7000", to=appeal["stale"])
    flow(secretariat, cycle, "state:DEU", Stage.COMMITMENT, "9000")  # unearmarked
    return Showcase(projects, events, resources, appeal)


def open_cycle(secretariat):
    return appeal_services.open_cycle(name="2021–2022", first_year=2021, last_year=2022, by=secretariat)


@pytest.fixture
def showcase(secretariat, unodc_person) -> Showcase:
    return every_level(open_cycle(secretariat), secretariat, unodc_person)
