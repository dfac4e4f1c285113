"""The countries tests' world: Kenya's page as three readers see it.

Kenya (``ken_person``) wrote its profile. CTED assessed Kenya, released the report in full and Kenya shared
it with UNDP only: UNDP's ``member`` reads it, UNODC's ``unodc_person`` does not. Beside what everyone
signed in sees (a project, an event, a document about Kenya, Kenya's notice to WG 2), UNDP keeps an
owner-only project, event and document about Kenya, and Kenya an owner-only note to WG 2: UNDP sees its
own, Kenya its own, UNODC none. A global project, a past event and an event elsewhere are on no one's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from countries import services
from cted import services as cted_services
from cted.models import Assessment, ConsentAudience, ReleaseLevel, VisitType
from directory.access import Visibility
from library import indexing as library_indexing
from library.models import Resource
from tests.calendar_app.conftest import make_event
from tests.conftest import notice, organization, signed_in, wg
from tests.projects.conftest import make_project

CONFIDENTIAL = "Confidential need: passenger data systems at the main airports"
PUBLIC = ["Border posts in Kenya", "Nairobi workshop on border security", "Kenya border study"]
UNDP_ONLY = [
    "UNDP's restricted project in Kenya",
    "UNDP's restricted meeting in Mombasa",
    "UNDP's Kenya memo",
]
KENYA_ONLY = "Kenya's own draft for WG 2"
SHOWCASE = "Kenya's county action plans, shared with WG 2"
NOWHERE = ["A global project", "A past event in Nairobi", "An event in Rabat"]
PRIORITIES = "Securing the land borders and the coast."


def kenya_page(user):
    return signed_in(user).get(kenya_url())


def kenya_url(suffix: str = "") -> str:
    return f"/organisations/{organization('state:KEN').pk}/{suffix}"


def resource(title: str, owner: str, visibility=Visibility.PLATFORM, **fields) -> Resource:
    made = Resource.objects.create(
        title=title, resource_type="report", owner=organization(owner), visibility=visibility, **fields
    )
    library_indexing.refresh([made.pk])
    return made


@dataclass
class World:
    assessment: Assessment


@pytest.fixture
def cted_person(compact, make_user):
    return make_user("cted@example.org", organization=organization("entity:CTED"), full_name="Cleo Cted")


@pytest.fixture
def world(ken_person, member, unodc_person, cted_person) -> World:
    kenya, undp = organization("state:KEN"), organization("entity:UNDP")
    services.save_country_profile(
        organization=kenya, by=ken_person, priorities=PRIORITIES, challenges="Forensic capacity.",
        good_practices="County engagement forums.",
    )  # fmt: skip
    assessment = cted_services.record_assessment(
        state=kenya, visit_type=VisitType.COMPREHENSIVE, visit_start=date(2025, 3, 3), by=cted_person
    )
    cted_services.add_recommendation(assessment, text=CONFIDENTIAL, is_priority=True, by=cted_person)
    Assessment.objects.filter(pk=assessment.pk).update(release_level=ReleaseLevel.FULL)
    cted_services.grant_consent(
        assessment, audience=ConsentAudience.ORGANIZATION, organization=undp, by=ken_person
    )
    soon = timezone.now() + timedelta(days=30)
    make_project(PUBLIC[0], countries=["KEN"])
    make_project(UNDP_ONLY[0], lead="entity:UNDP", visibility=Visibility.OWNER, countries=["KEN"])
    make_project(NOWHERE[0], is_global=True)
    make_event(organization("entity:UNODC"), title=PUBLIC[1], start=soon, country="KEN", city="Nairobi")
    make_event(undp, Visibility.OWNER, title=UNDP_ONLY[1], start=soon, country="KEN")
    make_event(kenya, title=NOWHERE[1], start=timezone.now() - timedelta(days=3), country="KEN")
    make_event(kenya, title=NOWHERE[2], start=soon, country="MAR")
    resource(PUBLIC[2], "entity:UNODC", countries=["KEN"])
    resource(UNDP_ONLY[2], "entity:UNDP", Visibility.OWNER, countries=["KEN"])
    notice(kenya, Visibility.PLATFORM, title=SHOWCASE, working_group=wg(2))
    notice(kenya, Visibility.OWNER, title=KENYA_ONLY, working_group=wg(2))
    return World(assessment)
