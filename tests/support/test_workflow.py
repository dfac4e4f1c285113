"""The workflow of a request for support: who asks, whom it reaches, who offers, the asker accepting one
offer, delivered or closed — each change dated in its history, a bad one refused with a message; and the
notifications each offer and acceptance sends to the other side."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.access import Visibility
from directory.models import MembershipRole
from notifications.models import Notification
from support import services
from support.forms import RequestForm
from support.models import Offer, OfferState, RequestStatus, SupportRequest
from tests.conftest import organization, wg
from tests.support.conftest import ask, theme

pytestmark = pytest.mark.django_db


def offer(request, by, key: str = "entity:UNODC", text: str = "Two experts for six months") -> Offer:
    return services.offer_support(request, organization=organization(key), text=text, by=by)


# --- Asking ------------------------------------------------------------------------------------------------


def test_a_state_focal_point_asks_and_the_request_starts_open_with_its_history(kenya_request, ken_person):
    assert kenya_request.owner == organization("state:KEN")
    assert kenya_request.status == RequestStatus.OPEN
    assert kenya_request.author == ken_person
    (change,) = kenya_request.history.all()
    assert (change.from_status, change.to_status, change.changed_by) == ("", RequestStatus.OPEN, ken_person)


def test_an_alternate_and_a_regional_organisation_ask_too(make_user, compact):
    alternate = make_user(
        "alt@ken.example", organization=organization("state:KEN"), role=MembershipRole.ALTERNATE
    )
    au = make_user("focal@au.example", organization=organization("regional:AU"))
    assert ask(alternate).owner == organization("state:KEN")
    assert ask(au, owner="regional:AU").owner == organization("regional:AU")


def test_an_entity_or_an_organisation_admin_may_not_ask(unodc_person, make_user, compact):
    admin = make_user(
        "admin@ken.example", organization=organization("state:KEN"), role=MembershipRole.ORGANIZATION_ADMIN
    )
    for person in (unodc_person, admin):
        form = RequestForm({"owner": organization("state:KEN").pk}, user=person)
        assert not form.is_valid()
        assert "owner" in form.errors  # Kenya is not one of their choices
        form.instance.owner = organization("state:KEN")
        with pytest.raises(PermissionDenied):
            services.ask(form=form, by=person)


def test_a_public_audience_is_never_offered(ken_person):
    form = RequestForm(user=ken_person)
    values = [value for value, _label in form.fields["visibility"].choices]
    assert Visibility.OWNER in values
    assert Visibility.COMPACT in values
    assert not any("public" in value for value in values)


def test_the_addressees_are_added_to_the_audience(wg2_request, ken_person):
    # given a request for Kenya only, addressed to Working Group 2 and to OHCHR by name
    request = ask(ken_person, group=wg(2), entities=["entity:OHCHR"])
    audience = set(request.audience_organizations.values_list("reference_key", flat=True))
    # then the group's members (chairs and members) and the named entity read it; its observers do not
    assert {"entity:CTED", "entity:UNODC", "entity:UNDP", "entity:OHCHR"} <= audience
    assert "entity:UNHCR" not in audience  # an observer of Working Group 2
    assert "state:KEN" not in audience  # the owner reads it anyway


def test_a_compact_audience_adds_no_entity_twice(ken_person):
    request = ask(ken_person, visibility=Visibility.COMPACT, entities=["entity:UNODC"], group=wg(2))
    assert not request.audience_organizations.exists()


# --- Offers ------------------------------------------------------------------------------------------------


def test_the_first_offer_moves_the_request_to_offers_and_tells_the_asker(
    kenya_request, unodc_person, ken_person, make_user
):
    alternate = make_user(
        "alt@ken.example", organization=organization("state:KEN"), role=MembershipRole.ALTERNATE
    )
    make_user(
        "admin@ken.example", organization=organization("state:KEN"), role=MembershipRole.ORGANIZATION_ADMIN
    )
    made = offer(kenya_request, unodc_person)
    kenya_request.refresh_from_db()
    assert kenya_request.status == RequestStatus.OFFERS
    assert made.state == OfferState.OPEN
    assert made.offered_by == unodc_person
    last = kenya_request.history.last()
    assert (last.from_status, last.to_status, last.changed_by) == ("open", "offers", unodc_person)
    # the asker's focal point and alternate are told — not its organisation admin, nor the one who offered
    told = Notification.objects.filter(kind="support_offer")
    assert {n.recipient for n in told} == {ken_person, alternate}
    assert told.first().url == f"/support/{kenya_request.pk}/"


def test_one_open_offer_per_organisation(kenya_request, unodc_person, make_user):
    offer(kenya_request, unodc_person)
    colleague = make_user("colleague@unodc.example", organization=organization("entity:UNODC"))
    with pytest.raises(ValidationError, match="has an open offer on this request already"):
        offer(kenya_request, colleague, text="Another")
    assert Offer.objects.count() == 1


def test_the_asker_does_not_offer_to_itself(kenya_request, ken_person):
    with pytest.raises(PermissionDenied):
        offer(kenya_request, ken_person, key="state:KEN")


def test_an_entity_outside_the_audience_cannot_offer(kenya_request, member):
    # UNDP is not addressed and not in the audience: it does not see the request at all
    with pytest.raises(PermissionDenied):
        offer(kenya_request, member, key="entity:UNDP")


def test_an_entity_offers_only_for_its_own_organisation(kenya_request, unodc_person):
    with pytest.raises(ValidationError, match="your own organisation"):
        offer(kenya_request, unodc_person, key="entity:CTED")


def test_the_chair_of_the_addressed_working_group_offers(wg2_request, chair):
    made = offer(wg2_request, chair, key="entity:CTED")
    assert made.organization == organization("entity:CTED")


def test_a_member_state_chairing_the_addressed_group_offers(ken_person, make_user, compact):
    # given Morocco co-chairs Working Group 2 (a State chairing: the rule is the chair, not the kind)
    from directory.models import Participation

    Participation.objects.create(working_group=wg(2), organization=organization("state:MAR"), role="co_chair")
    moroccan = make_user("focal@mar.example", organization=organization("state:MAR"))
    request = ask(ken_person, group=wg(2))
    assert offer(request, moroccan, key="state:MAR").organization == organization("state:MAR")
    # while a State that only reads a request (through its audience) may not offer
    other = ask(ken_person, audience=["state:IDN"])
    indonesian = make_user("focal@idn.example", organization=organization("state:IDN"))
    with pytest.raises(PermissionDenied):
        offer(other, indonesian, key="state:IDN")


def test_a_blank_offer_is_refused(kenya_request, unodc_person):
    with pytest.raises(ValidationError, match="Say what"):
        offer(kenya_request, unodc_person, text="   ")


# --- Accepting, delivering, closing -----------------------------------------------------------------------


def test_the_asker_accepts_one_offer_the_others_stay_not_accepted(
    wg2_request, unodc_person, chair, ken_person, make_user
):
    cted_alternate = make_user(
        "alt@cted.example", organization=organization("entity:CTED"), role=MembershipRole.ALTERNATE
    )
    first = offer(wg2_request, unodc_person)
    second = offer(wg2_request, chair, key="entity:CTED")
    services.accept_offer(wg2_request, offer=second, by=ken_person)
    wg2_request.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert wg2_request.status == RequestStatus.AGREED
    assert (first.state, second.state) == (OfferState.NOT_ACCEPTED, OfferState.ACCEPTED)
    assert [c.to_status for c in wg2_request.history.all()] == ["open", "offers", "agreed"]
    # CTED's focal points and alternates are told; UNODC is not
    told = {n.recipient for n in Notification.objects.filter(kind="support_accepted")}
    assert told == {chair, cted_alternate}
    # and no more offers are taken
    with pytest.raises(ValidationError, match="takes no more offers"):
        offer(
            wg2_request,
            make_user("x@undp.example", organization=organization("entity:UNDP")),
            key="entity:UNDP",
        )


def test_only_the_asker_accepts(kenya_request, unodc_person):
    made = offer(kenya_request, unodc_person)
    with pytest.raises(PermissionDenied):
        services.accept_offer(kenya_request, offer=made, by=unodc_person)


def test_an_offer_of_another_request_is_not_accepted(kenya_request, wg2_request, unodc_person, ken_person):
    other = offer(wg2_request, unodc_person)
    offer(kenya_request, unodc_person)
    with pytest.raises(ValidationError, match="not open"):
        services.accept_offer(kenya_request, offer=other, by=ken_person)


def test_delivered_after_agreed_and_nothing_after(kenya_request, unodc_person, ken_person):
    services.accept_offer(kenya_request, offer=offer(kenya_request, unodc_person), by=ken_person)
    services.change_status(
        kenya_request, to=RequestStatus.DELIVERED, reason="Systems installed", by=ken_person
    )
    kenya_request.refresh_from_db()
    assert kenya_request.status == RequestStatus.DELIVERED
    assert kenya_request.history.last().reason == "Systems installed"
    with pytest.raises(ValidationError, match="cannot become"):
        services.change_status(kenya_request, to=RequestStatus.CLOSED, reason="x", by=ken_person)


def test_an_open_request_cannot_be_delivered_but_can_be_closed_with_a_reason(kenya_request, ken_person):
    with pytest.raises(ValidationError, match="Possible: Closed"):
        services.change_status(kenya_request, to=RequestStatus.DELIVERED, by=ken_person)
    with pytest.raises(ValidationError, match="Say why"):
        services.change_status(kenya_request, to=RequestStatus.CLOSED, reason=" ", by=ken_person)
    services.change_status(kenya_request, to=RequestStatus.CLOSED, reason="Funded bilaterally", by=ken_person)
    assert SupportRequest.objects.get(pk=kenya_request.pk).status == RequestStatus.CLOSED


def test_only_the_asker_changes_the_status(kenya_request, unodc_person):
    with pytest.raises(PermissionDenied):
        services.change_status(kenya_request, to=RequestStatus.CLOSED, reason="x", by=unodc_person)


def test_a_request_is_asked_on_an_offered_theme_only(ken_person):
    retired = theme()
    retired.is_active = False
    retired.save()
    with pytest.raises(AssertionError):
        ask(ken_person)
