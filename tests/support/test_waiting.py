"""``support.selectors.awaiting_answer``: the requests waiting for a person's answer (the home's list)."""

from directory.access import Visibility
from support import services
from support.selectors import awaiting_answer
from tests.conftest import organization, wg
from tests.support.conftest import ask


def test_a_request_addressed_to_a_working_group_does_not_wait_for_its_members_by_name(
    ken_person, unodc_person, chair
):
    # given a request addressed to WG 2 only, and one naming CTED
    ask(ken_person, title="To the group", group=wg(), visibility=Visibility.PLATFORM)
    named = ask(ken_person, title="To CTED", entities=["entity:CTED"], visibility=Visibility.PLATFORM)

    # then only the named entity is asked to answer (the group's list is the support page's)
    assert awaiting_answer(chair) == [named]
    assert awaiting_answer(unodc_person) == []


def test_a_closed_request_waits_for_nobody(ken_person, chair):
    request = ask(ken_person, entities=["entity:CTED"], visibility=Visibility.PLATFORM)
    offer = services.offer_support(request, organization=organization("entity:CTED"), text="Help", by=chair)
    assert awaiting_answer(ken_person) == [request]
    services.accept_offer(request, offer=offer, by=ken_person)
    assert awaiting_answer(ken_person) == []
    assert awaiting_answer(chair) == []
