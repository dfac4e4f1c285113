"""Every content form addresses only audiences its author is part of: a guest or an observer of a Working
Group writes for its space, never for its members only — on notices, resources, events and threads alike
(one rule, ``directory.rules.can_post_for_audience``, asked by the forms and by the save path)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from calendar_app.models import Event
from directory.access import Visibility
from directory.models import Participation, WorkingGroup
from discussions.models import Thread
from library.models import Resource
from notices.forms import NoticeForm
from notices.models import Notice
from notices.services import save_notice
from tests.calendar_app.test_events import valid_post as event_post
from tests.conftest import organization, signed_in
from tests.library.conftest import resource_data

MEMBERS_ONLY = "only member organisations write for its members only"


@pytest.fixture
def guest(compact, make_user):
    """A Kenyan focal point; Kenya is invited to WG 2 as a guest."""
    Participation.objects.create(
        working_group=WorkingGroup.objects.get(number=2),
        organization=organization("state:KEN"),
        role="guest",
        topic="Border data",
    )
    return make_user("guest@ken.example.org", organization=organization("state:KEN"))


def forms(group: WorkingGroup, visibility: str):
    """(url, data, model) of each content app's "new" form, addressed to the group with ``visibility``."""
    kenya = organization("state:KEN")
    addressed = {"visibility": visibility, "working_group": group.pk}
    audience = {"owner": kenya.pk, **addressed}
    return [
        ("/notices/new/", {"title": "Guest notice", "body": "Text.", **audience}, Notice),
        ("/library/new/", resource_data(kenya, external_url="https://example.org/r", resource_type="link",
                                        **addressed), Resource),
        ("/calendar/new/", event_post(title="Guest meeting", **audience), Event),
        ("/discussions/new/", {"title": "Guest thread", "body": "Text.", **audience}, Thread),
    ]  # fmt: skip


@pytest.mark.parametrize("app", ["notices", "library", "calendar", "discussions"])
def test_a_guest_cannot_write_for_the_members_only(guest, app):
    group = WorkingGroup.objects.get(number=2)
    client = signed_in(guest)
    url, data, model = next(form for form in forms(group, Visibility.WORKING_GROUP_MEMBERS) if app in form[0])

    # when the guest posts members-only content for WG 2
    response = client.post(url, data)

    # then the form comes back saying why, and nothing is stored
    assert response.status_code == 200
    assert MEMBERS_ONLY in response.content.decode()
    assert not model.objects.exists()

    # while content for everyone in the space goes through
    url, data, model = next(form for form in forms(group, Visibility.WORKING_GROUP) if app in form[0])
    assert client.post(url, data).status_code == 302
    assert model.objects.get().visibility == Visibility.WORKING_GROUP


def test_the_save_path_refuses_it_whatever_the_form_says(guest):
    # given a form a caller filled in past its checks
    form = NoticeForm(
        {"title": "T", "body": "B", "owner": organization("state:KEN").pk, "visibility": Visibility.PLATFORM},
        user=guest,
    )
    assert form.is_valid()
    form.instance.visibility = Visibility.WORKING_GROUP_MEMBERS
    form.instance.working_group = WorkingGroup.objects.get(number=2)
    # then the service refuses it, and nothing is stored
    with pytest.raises(PermissionDenied):
        save_notice(form=form, by=guest)
    assert not Notice.objects.exists()


@pytest.mark.parametrize("url", ["/library/new/", "/calendar/new/", "/discussions/new/"])
def test_content_started_from_a_space_is_for_that_space(compact, make_user, url):
    # given a CTED focal point (CTED chairs WG 2) following a "new" link of WG 2's space
    person = make_user("chair@cted.example.org", organization=organization("entity:CTED"))
    group = WorkingGroup.objects.get(number=2)
    page = signed_in(person).get(f"{url}?working_group={group.pk}").content.decode()
    # then the form is addressed to everyone in that space
    assert f'<option value="{group.pk}" selected>' in page
    assert '<option value="working_group" selected>' in page


def test_a_new_resource_is_for_everyone_unless_its_author_says_otherwise(compact, make_user):
    person = make_user("someone@unodc.example.org", organization=organization("entity:UNODC"))
    page = signed_in(person).get("/library/new/").content.decode()
    assert '<option value="platform" selected>' in page
    # and a space the person's organisation takes no part in is not offered as a start
    group = WorkingGroup.objects.exclude(participations__organization=organization("entity:UNODC")).first()
    page = signed_in(person).get(f"/library/new/?working_group={group.pk}").content.decode()
    assert '<option value="platform" selected>' in page


# --- The public level: offered by the forms of the models that allow it, refused elsewhere ----------------


@pytest.mark.parametrize(
    ("url", "offered"),
    [("/projects/new/", True), ("/library/new/", True), ("/calendar/new/", True), ("/notices/new/", False),
     ("/discussions/new/", False)],
)  # fmt: skip
def test_the_public_level_is_offered_only_where_the_model_allows_it(compact, make_user, url, offered):
    person = make_user("someone@unodc.example.org", organization=organization("entity:UNODC"))
    page = signed_in(person).get(url).content.decode()
    assert ('<option value="public"' in page) is offered


def test_a_posted_public_notice_is_refused_with_a_message(compact, make_user):
    person = make_user("someone@unodc.example.org", organization=organization("entity:UNODC"))
    data = {
        "title": "Hand-made",
        "body": "Text.",
        "owner": organization("entity:UNODC").pk,
        "visibility": "public",
    }
    # when someone posts "public" to a form that does not offer it
    response = signed_in(person).post("/notices/new/", data)
    # then the form comes back with its message, and nothing is stored
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not Notice.objects.exists()


def test_the_save_path_refuses_a_public_notice_whatever_the_form_says(guest):
    form = NoticeForm(
        {"title": "T", "body": "B", "owner": organization("state:KEN").pk, "visibility": Visibility.PLATFORM},
        user=guest,
    )
    assert form.is_valid()
    form.instance.visibility = Visibility.PUBLIC
    with pytest.raises((PermissionDenied, ValidationError)):
        save_notice(form=form, by=guest)
    assert not Notice.objects.exists()


def test_a_public_resource_is_saved_through_its_form(compact, make_user):
    person = make_user("someone@unodc.example.org", organization=organization("entity:UNODC"))
    data = resource_data(
        organization("entity:UNODC"),
        external_url="https://example.org/r",
        resource_type="link",
        visibility="public",
    )
    assert signed_in(person).post("/library/new/", data).status_code == 302
    assert Resource.objects.get().visibility == Visibility.PUBLIC
