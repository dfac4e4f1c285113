"""In a real browser, the one search box in the page header: a UNODC focal point finds a person, a document
and a project from it and opens each. And the search page meets WCAG 2.1 AA (axe-core, as
tests/browser/test_accessibility.py checks the main pages)."""

import re

import pytest

from directory.access import Visibility
from tests.browser.steps import sign_in
from tests.browser.test_accessibility import violations
from tests.calendar_app.conftest import make_event
from tests.conftest import make_profile, organization
from tests.library.conftest import add_resource  # noqa: F401 -- a fixture the test uses
from tests.projects.conftest import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "Maritime security in the Gulf of Guinea"


def search_from_the_header(page, words: str) -> None:
    """Type the words in the header's search box, as a person does, on whatever page is open."""
    box = page.get_by_role("search").get_by_label("Search the platform")
    if not box.is_visible():  # a narrow window: the box is in the collapsed menu
        page.get_by_role("button", name="Show or hide the menu").click()
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_a_person_a_document_and_a_project_are_found_from_the_header(
    page,
    compact,
    make_user,
    add_resource,  # noqa: F811
    settings,
):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the search is under test
    reader = make_user("focal@unodc.example", organization=organization("entity:UNODC"), mfa=False)
    colleague = make_user(
        "wanjiru@undp.example", organization=organization("entity:UNDP"), full_name="Wanjiru Njoroge"
    )
    make_profile(user=colleague, job_title="Passenger data analyst")
    add_resource(
        reader,
        title="Guidance on maritime domain awareness",
        summary="Maritime awareness for ports and coasts.",
    )
    make_project(PROJECT, description="Coast guards trained in maritime law.")
    make_event(organization("entity:UNODC"), Visibility.PLATFORM, title="Maritime week")

    sign_in(page, "focal@unodc.example")

    # a person: typed in the header's box on the home page, found and opened
    search_from_the_header(page, "Wanjiru")
    people = page.get_by_role("region", name=re.compile("^People"))
    people.get_by_role("link", name="Wanjiru Njoroge").click()
    assert page.get_by_role("heading", name="Wanjiru Njoroge").is_visible()

    # a document: from the person's page, the box again
    search_from_the_header(page, "maritime")
    library = page.get_by_role("region", name=re.compile("^Library"))
    assert library.locator("mark").first.is_visible()  # the words found are highlighted
    library.get_by_role("link", name="Guidance on maritime domain awareness").click()
    assert page.get_by_role("heading", name="Guidance on maritime domain awareness").is_visible()

    # a project, in a phone's width
    page.set_viewport_size({"width": 390, "height": 844})
    search_from_the_header(page, "maritime security")
    projects = page.get_by_role("region", name=re.compile("^Projects"))
    projects.get_by_role("link", name="Maritime security in the Gulf of Guinea").click()
    assert page.get_by_role(
        "heading", name=re.compile("Maritime security in the Gulf of Guinea")
    ).is_visible()


def test_the_search_page_meets_wcag_21_aa(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False
    make_user("focal@unodc.example", organization=organization("entity:UNODC"), mfa=False)
    make_project(PROJECT, description="Coast guards trained in maritime law.")
    sign_in(page, "focal@unodc.example")
    found = []
    for address in (
        "/search/",
        "/search/?q=maritime",
        "/search/?q=maritime&type=projects",
        "/search/?q=%21%21",
    ):
        page.goto(address)
        found += violations(page)
    assert found == []
