"""In a real browser: search the directory while typing, narrow with a filter, open a profile."""

import re

import pytest

from directory.models import Profile
from directory.people import refresh_search_index
from tests.browser.steps import go_to, sign_in
from tests.conftest import make_profile, organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_filter_and_open_a_profile(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the directory is under test
    reader = make_user(
        "reader@undp.example", organization=organization("entity:UNDP"), full_name="Reader", mfa=False
    )
    for email, org, name, languages in [
        ("lucas@unodc.example", "entity:UNODC", "Lucas Moreau", ["fr", "en"]),
        ("lucie@civ.example", "state:CIV", "Lucie Morel", ["fr"]),
        ("amir@au.example", "regional:AU", "Amir Morsi", ["ar"]),
    ]:
        person = make_user(email, organization=organization(org), full_name=name)
        make_profile(user=person, languages=languages, job_title="Focal point")
    refresh_search_index(Profile.objects.values_list("user_id", flat=True))
    assert reader.pk

    sign_in(page, "reader@undp.example")

    # given the directory, when typing a prefix, the results follow (htmx) and the URL keeps the search
    go_to(page, "Network", "People")
    page.get_by_role("main").get_by_role("searchbox").fill("mor")
    page.wait_for_url(re.compile(r"q=mor"))  # pushed once the new results are in
    results = page.locator("#directory a.fw-semibold")
    assert sorted(results.all_inner_texts()) == ["Amir Morsi", "Lucas Moreau", "Lucie Morel"]

    # when a filter is applied (Member States), only matching people stay, and the search is kept
    page.get_by_role("link", name="Member State").click()
    page.wait_for_url(re.compile(r"kind=member_state"))
    assert results.all_inner_texts() == ["Lucie Morel"]
    assert "q=mor" in page.url

    # then the profile opens
    page.get_by_role("link", name="Lucie Morel").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lucie Morel"
    assert page.get_by_text("Côte d'Ivoire").is_visible()
