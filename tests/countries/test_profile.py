"""The country profile: only the State's own people (focal points, alternates, organisation admins) write
it — everyone else gets a 403, the Secretariat included —, every save is a version, and the history says
who saved which texts when, for whoever may read the page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from countries import services
from countries.models import CountryProfile
from directory.models import MembershipRole
from tests.conftest import organization, signed_in
from tests.countries.conftest import PRIORITIES
from tests.pages import field_error, main_words, parse

pytestmark = pytest.mark.django_db

TEXTS = {"priorities": "Border security.", "challenges": "Forensics.", "good_practices": "Forums."}


def edit_url(key: str = "state:KEN") -> str:
    return f"/countries/{organization(key).pk}/profile/edit/"


def history_url(key: str = "state:KEN") -> str:
    return f"/countries/{organization(key).pk}/profile/history/"


def test_a_focal_point_of_the_state_writes_its_profile(ken_person):
    client = signed_in(ken_person)
    assert client.get(edit_url()).status_code == 200
    response = client.post(edit_url(), TEXTS)
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organization('state:KEN').pk}/"
    profile = CountryProfile.objects.get(organization=organization("state:KEN"))
    assert (profile.priorities, profile.updated_by) == ("Border security.", ken_person)


@pytest.mark.parametrize("role", [MembershipRole.ALTERNATE, MembershipRole.ORGANIZATION_ADMIN])
def test_alternates_and_organisation_admins_of_the_state_write_it_too(compact, make_user, role):
    person = make_user("alt@example.org", organization=organization("state:KEN"), role=role)
    assert signed_in(person).post(edit_url(), TEXTS).status_code == 302
    assert CountryProfile.objects.filter(organization__reference_key="state:KEN").exists()


@pytest.mark.parametrize("reader", ["unodc_person", "secretariat", "undp_admin", "au_person", "cted_person"])
def test_everyone_else_gets_a_403_and_nothing_is_written(reader, request):
    client = signed_in(request.getfixturevalue(reader))
    assert client.get(edit_url()).status_code == 403
    assert client.post(edit_url(), TEXTS).status_code == 403
    assert not CountryProfile.objects.exists()


def test_the_service_refuses_too(unodc_person):
    with pytest.raises(PermissionDenied):
        services.save_country_profile(organization=organization("state:KEN"), by=unodc_person, **TEXTS)


def test_an_entity_has_no_profile_to_edit(member):
    assert signed_in(member).get(edit_url("entity:UNDP")).status_code == 404
    assert signed_in(member).get(history_url("entity:UNDP")).status_code == 404


def test_a_regional_organisation_writes_its_own(au_person):
    assert signed_in(au_person).post(edit_url("regional:AU"), TEXTS).status_code == 302


def test_a_missing_organisation_is_a_404(ken_person):
    assert signed_in(ken_person).get("/countries/999999/profile/edit/").status_code == 404


@pytest.mark.parametrize(
    ("value", "message"),
    [("x" * 10_001, "at most 10000 characters"), ("Border\x00security", "Null characters are not allowed")],
)
def test_bad_input_comes_back_with_a_message_and_nothing_is_stored(ken_person, value, message):
    page = signed_in(ken_person).post(edit_url(), {**TEXTS, "priorities": value})
    assert page.status_code == 200
    assert message in field_error(page, "priorities")
    # what was typed in the other fields is kept
    assert parse(page).first("textarea", name="challenges").text() == "Forensics."
    assert not CountryProfile.objects.exists()


def test_every_save_is_a_version_and_the_history_says_who_changed_what(world, ken_person, make_user, member):
    alternate = make_user(
        "alt@example.org", organization=organization("state:KEN"), role=MembershipRole.ALTERNATE,
        full_name="Akinyi Alternate",
    )  # fmt: skip
    client = signed_in(alternate)
    current = CountryProfile.objects.get()
    same = {
        "priorities": PRIORITIES,
        "challenges": current.challenges,
        "good_practices": current.good_practices,
    }
    client.post(edit_url(), {**same, "challenges": "Porous borders."})
    client.post(edit_url(), {**same, "challenges": "Porous borders."})  # nothing changed: no version
    page = signed_in(member).get(history_url())
    assert page.status_code == 200
    cards = [card.text() for card in parse(page).all("section")]
    assert len(cards) == 2
    assert "Version 2" in cards[0]
    assert "by Akinyi Alternate" in cards[0]
    assert "Changed: Challenges" in cards[0]
    assert "Priorities" not in cards[0].split("Changed:")[1][:30]
    assert "Version 1" in cards[1]
    assert "by Kamau Kenya" in cards[1]
    assert "Changed: Priorities, Challenges, Good practices" in cards[1]
    # the earlier texts stay readable
    assert "Forensic capacity." in cards[1]
    assert "Porous borders." in cards[0]


def test_the_history_is_for_readers_of_the_page_only(world, unodc_person, client):
    assert signed_in(unodc_person).get(history_url()).status_code == 200
    assert client.get(history_url()).status_code == 302  # anonymous: to the sign-in page


def test_a_deactivated_states_profile_is_read_by_the_secretariat_only(world, ken_person, secretariat):
    kenya = organization("state:KEN")
    kenya.is_active = False
    kenya.save()
    assert signed_in(ken_person).get(history_url()).status_code == 404
    page = signed_in(secretariat).get(history_url())
    assert page.status_code == 200
    assert PRIORITIES in main_words(page)
    assert signed_in(secretariat).get(edit_url()).status_code == 403
