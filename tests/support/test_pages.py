"""The pages of requests for support as their readers meet them: the audience (an organisation outside it
never sees a request — not in the list, its page, the counts or the asking State's page), the actions each
reader is offered, bad input answered with a message, linking only projects the person may see, and a fixed
number of queries for the list and a request's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.access import Visibility
from support import services
from support.models import Offer, ProjectLink, RequestStatus, SupportRequest
from tests.conftest import count_queries, organization, signed_in, wg
from tests.projects.conftest import make_project
from tests.support.conftest import ask, theme

pytestmark = pytest.mark.django_db

SECRET = "Confidential: passenger data at Nairobi"


@pytest.fixture
def secret_request(ken_person) -> SupportRequest:
    """Kenya's request for Kenya and UNODC (addressed) only."""
    return ask(ken_person, title=SECRET, entities=["entity:UNODC"])


def org_page(key: str) -> str:
    return reverse("directory:organization_page", kwargs={"pk": organization(key).pk})


# --- The audience -----------------------------------------------------------------------------------------


def test_an_organisation_outside_the_audience_never_sees_the_request(secret_request, member, au_person):
    for outsider in (member, au_person):
        client = signed_in(outsider)
        listed = client.get(reverse("support:list"))
        assert SECRET not in listed.content.decode()
        assert listed.context["count"] == 0
        assert client.get(reverse("support:detail", args=[secret_request.pk])).status_code == 404
        for action in ("offer", "accept", "status", "link"):
            assert client.get(reverse(f"support:{action}", args=[secret_request.pk])).status_code == 404
        # nor on Kenya's page, where the section is not even shown
        page = client.get(org_page("state:KEN")).content.decode()
        assert SECRET not in page
        assert 'id="support-title"' not in page


def test_the_asker_and_the_addressee_see_it_in_the_list_the_page_and_the_state_page(
    secret_request, ken_person, unodc_person
):
    for reader in (ken_person, unodc_person):
        client = signed_in(reader)
        listed = client.get(reverse("support:list"))
        assert SECRET in listed.content.decode()
        assert listed.context["count"] == 1
        assert client.get(reverse("support:detail", args=[secret_request.pk])).status_code == 200
        section = client.get(org_page("state:KEN")).content.decode()
        assert SECRET in section
        assert "Open" in section


def test_the_state_page_section_counts_only_what_the_reader_sees(ken_person, unodc_person):
    ask(ken_person, title="For UNODC", entities=["entity:UNODC"])
    ask(ken_person, title="For Kenya only")
    ask(ken_person, title="For the Compact", visibility=Visibility.COMPACT)
    page = signed_in(unodc_person).get(org_page("state:KEN")).content.decode()
    assert "All 2 requests" in page
    assert "For Kenya only" not in page
    assert "All 3 requests" in signed_in(ken_person).get(org_page("state:KEN")).content.decode()


# --- Actions and pages ------------------------------------------------------------------------------------


def test_each_reader_is_offered_the_actions_they_may_take(secret_request, ken_person, unodc_person):
    url = reverse("support:detail", args=[secret_request.pk])
    asker = signed_in(ken_person).get(url)
    assert asker.context["may_change_status"]
    assert not asker.context["may_offer"]
    entity = signed_in(unodc_person).get(url)
    assert entity.context["may_offer"]
    assert not entity.context["may_change_status"]
    assert signed_in(ken_person).get(reverse("support:offer", args=[secret_request.pk])).status_code == 403
    assert signed_in(unodc_person).get(reverse("support:status", args=[secret_request.pk])).status_code == 403


def test_ask_offer_accept_through_the_pages(ken_person, unodc_person):
    kenya, unodc = signed_in(ken_person), signed_in(unodc_person)
    response = kenya.post(
        reverse("support:new"),
        {
            "title": "Forensics laboratory",
            "description": "Equipment and training",
            "theme": theme().pk,
            "owner": organization("state:KEN").pk,
            "visibility": Visibility.OWNER,
            "addressed_entities": [organization("entity:UNODC").pk],
        },
    )
    request = SupportRequest.objects.get(title="Forensics laboratory")
    assert response.status_code == 302
    assert response.url == request.get_absolute_url()
    response = unodc.post(reverse("support:offer", args=[request.pk]), {"text": "A forensic expert"})
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.organization == organization("entity:UNODC")  # their one organisation, not to choose
    page = kenya.get(request.get_absolute_url()).content.decode()
    assert "Accept the offer of UNODC" in page
    response = kenya.post(reverse("support:accept", args=[request.pk]), {"offer": offer.pk}, follow=True)
    assert "the request is agreed" in response.content.decode()
    assert SupportRequest.objects.get(pk=request.pk).status == RequestStatus.AGREED


def test_an_entity_person_gets_a_403_on_the_asking_page(unodc_person, ken_person):
    assert signed_in(unodc_person).get(reverse("support:new")).status_code == 403
    assert signed_in(ken_person).get(reverse("support:new")).status_code == 200


def test_a_bad_transition_is_a_message_not_an_error(secret_request, ken_person):
    response = signed_in(ken_person).post(
        reverse("support:status", args=[secret_request.pk]), {"to": "delivered", "reason": ""}
    )
    assert response.status_code == 200
    assert "cannot become" in response.content.decode()
    assert SupportRequest.objects.get(pk=secret_request.pk).status == RequestStatus.OPEN


@pytest.mark.parametrize("value", ["²", "9999-12-31", "x" * 3000, "abc\x00def", "-1", "99999999999999999999"])
def test_hostile_values_are_messages_and_nothing_is_stored(secret_request, ken_person, unodc_person, value):
    kenya, unodc = signed_in(ken_person), signed_in(unodc_person)
    for client, name, data in (
        (kenya, "status", {"to": value, "reason": value}),
        (kenya, "accept", {"offer": value}),
        (kenya, "link", {"projects": [value]}),
        (unodc, "offer", {"organization": value, "text": value + "x" * 5000}),  # too long, whatever else
    ):
        response = client.post(reverse(f"support:{name}", args=[secret_request.pk]), data)
        assert response.status_code == 200, name
    response = kenya.post(
        reverse("support:new"), {"title": value, "theme": value, "owner": value, "visibility": value}
    )
    assert response.status_code == 200
    assert SupportRequest.objects.count() == 1
    assert not Offer.objects.exists()


def test_bad_filters_are_said_and_ignored(secret_request, ken_person):
    response = signed_in(ken_person).get(
        reverse("support:list"), {"status": "nonsense", "theme": "²", "organization": "abc", "page": "x"}
    )
    assert response.status_code == 200
    assert "not understood and are ignored: organization, status, theme" in response.content.decode()
    assert response.context["count"] == 1


def test_the_filters_narrow_the_list(ken_person, unodc_person):
    first = ask(ken_person, title="First", visibility=Visibility.COMPACT)
    ask(ken_person, title="Second", visibility=Visibility.COMPACT)
    services.change_status(first, to=RequestStatus.CLOSED, reason="Solved", by=ken_person)
    client = signed_in(unodc_person)
    closed = client.get(reverse("support:list"), {"status": "closed"}).context["page"]
    assert [item.title for item in closed] == ["First"]
    by_state = client.get(reverse("support:list"), {"organization": organization("state:KEN").pk})
    assert by_state.context["count"] == 2
    assert (
        client.get(reverse("support:list"), {"organization": organization("state:MAR").pk}).context["count"]
        == 0
    )


# --- Linking projects -------------------------------------------------------------------------------------


def test_only_visible_projects_are_linked_and_shown(secret_request, ken_person, unodc_person):
    seen = make_project("Border posts in East Africa", visibility=Visibility.PLATFORM)
    hidden = make_project("UNODC internal pipeline", visibility=Visibility.OWNER)
    kenya = signed_in(ken_person)
    url = reverse("support:link", args=[secret_request.pk])
    form = kenya.get(url).content.decode()
    assert seen.title in form
    assert hidden.title not in form
    # an invisible id is "not one of the choices", its title never shown, nothing linked
    response = kenya.post(url, {"projects": [seen.pk, hidden.pk]})
    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    assert hidden.title not in response.content.decode()
    assert not ProjectLink.objects.exists()
    response = kenya.post(url, {"projects": [seen.pk]})
    assert response.status_code == 302
    assert list(secret_request.projects.all()) == [seen]


def test_a_link_to_a_project_the_reader_may_not_see_is_kept_and_never_shown(
    secret_request, ken_person, unodc_person
):
    hidden = make_project("UNODC internal pipeline", visibility=Visibility.OWNER)
    shown = make_project("Border posts in East Africa", visibility=Visibility.PLATFORM)
    offer = services.offer_support(
        secret_request, organization=organization("entity:UNODC"), text="Help", by=unodc_person
    )
    services.accept_offer(secret_request, offer=offer, by=ken_person)
    # UNODC (the accepted offer's organisation) links its own project, which Kenya may not see
    services.link_projects(secret_request, projects=[hidden, shown], by=unodc_person)
    page = signed_in(ken_person).get(secret_request.get_absolute_url()).content.decode()
    assert shown.title in page
    assert hidden.title not in page
    # and Kenya saving its links keeps UNODC's
    services.link_projects(secret_request, projects=[], by=ken_person)
    assert list(secret_request.projects.all()) == [hidden]


def test_an_entity_whose_offer_was_not_accepted_may_not_link(wg2_request, ken_person, unodc_person, chair):
    offer = services.offer_support(
        wg2_request, organization=organization("entity:CTED"), text="Help", by=chair
    )
    services.offer_support(
        wg2_request, organization=organization("entity:UNODC"), text="Also", by=unodc_person
    )
    services.accept_offer(wg2_request, offer=offer, by=ken_person)
    assert signed_in(unodc_person).get(reverse("support:link", args=[wg2_request.pk])).status_code == 403
    assert signed_in(chair).get(reverse("support:link", args=[wg2_request.pk])).status_code == 200


# --- Query counts -----------------------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_two_requests_or_twenty(ken_person, unodc_person):
    client = signed_in(unodc_person)
    for n in range(2):
        ask(ken_person, title=f"Request {n}", visibility=Visibility.COMPACT, group=wg(2))
    few = count_queries(client, reverse("support:list"))
    for n in range(2, 20):
        ask(ken_person, title=f"Request {n}", visibility=Visibility.COMPACT, group=wg(2))
    assert count_queries(client, reverse("support:list")) == few


def test_a_request_page_costs_the_same_queries_whatever_its_offers_history_and_links(
    wg2_request, ken_person, unodc_person, chair, make_user
):
    client = signed_in(ken_person)
    url = wg2_request.get_absolute_url()
    services.offer_support(wg2_request, organization=organization("entity:CTED"), text="Help", by=chair)
    services.link_projects(wg2_request, projects=[make_project("First answer")], by=ken_person)
    few = count_queries(client, url)
    services.offer_support(
        wg2_request, organization=organization("entity:UNODC"), text="Also", by=unodc_person
    )
    for key in ("entity:WCO", "entity:INTERPOL"):
        person = make_user(f"focal@{key[7:].lower()}.example", organization=organization(key))
        services.offer_support(wg2_request, organization=organization(key), text="More", by=person)
    services.link_projects(
        wg2_request, projects=[make_project(f"Answer {n}") for n in range(3)], by=ken_person
    )
    assert count_queries(client, url) == few
