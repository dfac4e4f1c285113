"""The search's world: for each group, an item a UNODC focal point may see and one only UNDP (or Kenya, for
CTED) may see, whose words are nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from cted import services as cted_services
from cted.models import VisitType
from directory.access import Visibility
from directory.models import ContactVisibility
from tests.calendar_app.conftest import make_event
from tests.conftest import make_profile, organization
from tests.discussions.conftest import reply, thread
from tests.library.conftest import add_resource  # noqa: F401 -- a fixture the world uses
from tests.pages import parse
from tests.projects.conftest import make_project

#: The words each group's restricted item holds, and only it.
RESTRICTED = {
    "resources": "Quillwort",
    "events": "Marshmallow",
    "projects": "Bladderwrack",
    "recommendations": "Samphire",
    "discussions": "Liverwort",
}
#: A restricted thread's reply, and a hidden reply of a visible thread.
REPLY_OF_RESTRICTED_THREAD = "Hornwort"
HIDDEN_REPLY = "Stonecrop"
HIDDEN_EMAIL = "wanjiru.private@undp.example.org"
HIDDEN_PHONE = "+41 22 917 4455"


@dataclass
class World:
    reader: object  # a UNODC focal point
    undp: object  # a UNDP focal point
    kenya: object  # a Kenya focal point
    cted: object  # a CTED focal point
    person: object  # Wanjiru, of UNDP, her contact details hidden
    assessment: object
    recommendation: object


def url(query: str, **params) -> str:
    from django.utils.http import urlencode

    return f"{reverse('search:results')}?{urlencode({'q': query, **params})}"


def groups_of(response) -> dict[str, str]:
    """The text of each group's section on the page, by the group's heading id."""
    page = parse(response)
    return {
        section.attrs["aria-labelledby"].removeprefix("group-"): section.text()
        for section in page.all("section")
        if section.attrs.get("aria-labelledby", "").startswith("group-")
    }


@pytest.fixture
def world(compact, make_user, add_resource) -> World:  # noqa: F811
    reader = make_user(
        "reader@unodc.example.org", organization=organization("entity:UNODC"), full_name="Rosa Reader"
    )
    undp = make_user("mia@undp.example.org", organization=organization("entity:UNDP"), full_name="Mia Member")
    kenya = make_user("ken@example.org", organization=organization("state:KEN"), full_name="Kamau Kenya")
    cted = make_user("cted@example.org", organization=organization("entity:CTED"), full_name="Cleo Cted")
    person = make_user(HIDDEN_EMAIL, organization=organization("entity:UNDP"), full_name="Wanjiru Njoroge")
    make_profile(
        user=person, job_title="Passenger data analyst", expertise_tags=["aviation security"],
        phone_office=HIDDEN_PHONE, email_visibility=ContactVisibility.PRIVATE,
        phone_visibility=ContactVisibility.PRIVATE,
    )  # fmt: skip

    # the library: one resource for everyone, one for UNDP only
    add_resource(reader, title="Guidance on lighthouse safety", summary="Lighthouses guide ships at night.")
    add_resource(
        undp, owner_key="entity:UNDP", visibility=Visibility.OWNER,
        title=f"{RESTRICTED['resources']} internal note", summary=f"{RESTRICTED['resources']} budget lines.",
    )  # fmt: skip
    # the calendar
    make_event(organization("entity:UNODC"), title="Lighthouse workshop", description="Keepers meet at dawn.")
    make_event(
        organization("entity:UNDP"), Visibility.OWNER, title=f"{RESTRICTED['events']} retreat",
        description=f"{RESTRICTED['events']} planning.",
    )  # fmt: skip
    # the projects
    make_project("Lighthouse modernisation", description="New lamps for coastal lighthouses.")
    make_project(
        f"{RESTRICTED['projects']} programme", lead="entity:UNDP", visibility=Visibility.OWNER,
        description=f"{RESTRICTED['projects']} pipeline.",
    )  # fmt: skip
    # CTED: Kenya's assessment, shared with nobody
    assessment = cted_services.record_assessment(
        state=organization("state:KEN"), visit_type=VisitType.COMPREHENSIVE, visit_start=date(2025, 3, 3),
        visit_end=date(2025, 3, 7), by=cted,
    )  # fmt: skip
    recommendation = cted_services.add_recommendation(
        assessment, text=f"{RESTRICTED['recommendations']} controls at lighthouses and ports", by=cted
    )
    # discussions: a thread for everyone with a hidden reply, one for UNDP only with a reply
    open_thread = thread(
        undp, "entity:UNDP", Visibility.PLATFORM, title="Lighthouse rota", body="Who keeps watch?"
    )
    hidden = reply(open_thread, undp, f"{HIDDEN_REPLY} is what I think.")
    hidden.hidden_at = hidden.created_at
    hidden.save(update_fields=["hidden_at"])
    reply(open_thread, undp, "The beacon needs keepers on Sundays.")
    secret = thread(
        undp, "entity:UNDP", Visibility.OWNER, title=f"{RESTRICTED['discussions']} budget",
        body=f"{RESTRICTED['discussions']} lines.",
    )  # fmt: skip
    reply(secret, undp, f"{REPLY_OF_RESTRICTED_THREAD} figures attached.")
    return World(
        reader=reader,
        undp=undp,
        kenya=kenya,
        cted=cted,
        person=person,
        assessment=assessment,
        recommendation=recommendation,
    )
