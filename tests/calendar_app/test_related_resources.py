"""An event's documents come from the library: the organiser links resources they may see, and each
reader sees only the ones they may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from calendar_app.models import Event
from directory.access import Visibility
from library.models import Resource
from tests.calendar_app.test_events import valid_post
from tests.conftest import organization, signed_in

pytestmark = pytest.mark.django_db


def resource(title: str, visibility: str) -> Resource:
    return Resource.objects.create(
        title=title, resource_type="meeting_record", owner=organization("entity:UNODC"), visibility=visibility
    )


def test_an_event_links_library_resources_and_each_reader_sees_only_theirs(unodc_person, ken_person):
    # given a public agenda and a UNODC-only background note
    agenda = resource("Agenda of the workshop", Visibility.PLATFORM)
    note = resource("Internal background note", Visibility.OWNER)

    # when the UNODC organiser links both to a public event
    links = f"/library/{agenda.pk}/\n{note.pk}"
    response = signed_in(unodc_person).post(reverse("calendar_app:new"), valid_post(attachment_links=links))
    assert response.status_code == 302
    event = Event.objects.get(title="Border security workshop")
    assert set(event.related_resources.all()) == {agenda, note}

    # then the organiser sees both on the event's page, Kenya's focal point only the agenda
    mine = signed_in(unodc_person).get(event.get_absolute_url()).content.decode()
    assert "Agenda of the workshop" in mine
    assert "Internal background note" in mine
    theirs = signed_in(ken_person).get(event.get_absolute_url()).content.decode()
    assert "Agenda of the workshop" in theirs
    assert "Internal background note" not in theirs


def test_a_resource_the_organiser_may_not_see_cannot_be_linked(unodc_person, cted_person):
    hidden = Resource.objects.create(
        title="CTED only",
        resource_type="report",
        owner=organization("entity:CTED"),
        visibility=Visibility.OWNER,
    )
    response = signed_in(unodc_person).post(
        reverse("calendar_app:new"), valid_post(attachment_links=f"/library/{hidden.pk}/\nnot an address")
    )
    assert response.status_code == 200
    assert "No library resource you may see has this address" in response.content.decode()
    assert "CTED only" not in response.content.decode()
    assert not Event.objects.exists()
