"""Filters read from the address (``core.forms.from_query``): a page opened from a plain link shows no
warning, a hand-edited value is refused with the field's message, and the page opens either way."""

from __future__ import annotations

import pytest

from directory.models import WorkingGroup

PAGES = [
    "/planning/timeline/?year={}&pillar={}",
    "/secretariat/access-requests/?status={}",
    "/secretariat/organisations/?kind={}",
]


def warnings(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("address", PAGES)
def test_a_plain_link_opens_the_page_without_a_warning(secretariat_client, address):
    # when the Secretariat opens the page from the menu, with no filter chosen
    response = secretariat_client.get(address.split("?")[0])
    # then the page opens with nothing to warn about
    assert response.status_code == 200
    assert warnings(response) == []


@pytest.mark.parametrize("address", PAGES)
def test_an_empty_filter_is_no_filter(secretariat_client, address):
    response = secretariat_client.get(address.format("", ""))
    assert response.status_code == 200
    assert warnings(response) == []


@pytest.mark.parametrize("address", PAGES)
def test_a_hand_edited_filter_is_refused_with_a_message(secretariat_client, address):
    # when the address holds a value no filter offers (a superscript two, which str.isdigit() would accept)
    response = secretariat_client.get(address.format("²", "²"))
    # then the page opens, saying why the filter was not applied
    assert response.status_code == 200
    assert warnings(response)


def test_a_workplan_opened_plainly_shows_no_warning(secretariat_client, compact):
    group = WorkingGroup.objects.get(number=2)
    response = secretariat_client.get(f"/planning/wg/{group.pk}/")
    assert response.status_code == 200
    assert warnings(response) == []
    assert warnings(secretariat_client.get(f"/planning/wg/{group.pk}/?status=nonsense"))
