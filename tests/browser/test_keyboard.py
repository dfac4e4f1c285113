"""Journeys made with the keyboard alone, as a person who cannot use a mouse makes them: Tab, Enter, Space
and typing, never a click. Each focus stop on the way must show a visible focus indicator, and the journey
ends where a person would expect: signed in with a one-time code, a person found in the directory, a
document added to the library, a meeting answered from the home."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from calendar_app.models import Rsvp
from directory.access import Visibility
from directory.models import Profile
from directory.people import refresh_search_index
from library import samples
from library.models import Resource
from tests.browser.crawl import sign_in
from tests.calendar_app.conftest import make_event
from tests.conftest import TEST_PASSWORD, enrol_totp, make_profile, organization, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_transitions(page):
    # Bootstrap draws a field's focus ring with a 0.15 s transition: read at once, the ring is still "none".
    # A person who asks for reduced motion gets it at once (Bootstrap drops its transitions), and so does
    # the check.
    page.emulate_media(reduced_motion="reduce")


# What has the focus, and whether a person sees it: the platform's focus ring (an outline) or Bootstrap's
# (a shadow, on fields and buttons) on an element with a box on the screen. A searchable list (Tom Select)
# draws the ring on its box, not on the text field inside it that has the focus.
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const drawn = element.closest(".ts-control") || element;
  const style = getComputedStyle(drawn), box = drawn.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = outline || style.boxShadow !== "none";
  const name = (element.getAttribute("aria-label") || element.innerText || element.name || element.id).trim();
  return {shown: ring && box.width > 0 && box.height > 0, what: `<${element.tagName.toLowerCase()}> ${name}`};
}"""


def focus_is_visible(page) -> None:
    focus = page.evaluate(FOCUS)
    assert focus is not None, "the focus was lost"
    assert focus["shown"], f"no visible focus on {focus['what']}"


def tab_to(page, target, *, within: int = 40) -> int:
    """Press Tab until ``target`` has the focus, each stop on the way visibly focused; how many presses."""
    for presses in range(within + 1):
        if target.evaluate("element => element === document.activeElement"):
            return presses
        page.keyboard.press("Tab")
        focus_is_visible(page)
    raise AssertionError(f"{target} was not reached in {within} presses of Tab")


def submit(page, key: str = "Enter") -> None:
    """Press ``key`` on the focused field or button and wait for the page the form leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def skip_to_content(page) -> None:
    """The first Tab shows the skip link; Enter on it takes the focus to the page's own content."""
    skip = page.get_by_role("link", name="Skip to main content")
    assert tab_to(page, skip, within=1) == 1
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_sign_in_with_a_one_time_code(page, compact, make_user):
    person = make_user(
        "amina@unoct.example", organization=organization("entity:UNOCT"), full_name="Amina Rahman", mfa=False
    )
    secret = enrol_totp(person)

    # given the sign-in page, the first field is one Tab after the skip link
    page.goto("/accounts/login/")
    skip_to_content(page)
    assert tab_to(page, page.get_by_label("Email")) == 1
    page.keyboard.type("amina@unoct.example")
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(TEST_PASSWORD)
    submit(page)

    # when the second step asks for the authenticator's code, a wrong one is refused and said so
    code = page.get_by_label("Code")
    tab_to(page, code)
    page.keyboard.type("000000")
    submit(page)
    assert page.get_by_text("Incorrect code.").is_visible()

    # then the right one signs her in
    tab_to(page, code)
    page.keyboard.type(totp_code(secret))
    submit(page)
    assert page.url.endswith("/home/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Amina"


def test_search_the_directory_and_open_a_person(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # signing in is the first journey; these start signed in
    make_user("reader@undp.example", organization=organization("entity:UNDP"), full_name="Reader", mfa=False)
    for email, org, name in [("lucie@civ.example", "state:CIV", "Lucie Morel"),
                             ("amir@au.example", "regional:AU", "Amir Morsi")]:  # fmt: skip
        make_profile(
            user=make_user(email, organization=organization(org), full_name=name), job_title="Focal point"
        )
    refresh_search_index(Profile.objects.values_list("user_id", flat=True))
    page.goto("/")
    sign_in(page, "reader@undp.example")

    # given the home, the directory is in the main navigation's Network menu
    page.goto("/home/")
    navigation = page.get_by_role("navigation", name="Main navigation")
    tab_to(page, navigation.get_by_role("button", name="Network"))
    page.keyboard.press("Enter")
    tab_to(page, navigation.get_by_role("link", name="People", exact=True), within=5)
    submit(page)
    assert page.url.endswith("/people/")

    # when a few letters are typed into its search, the results follow
    skip_to_content(page)
    assert tab_to(page, page.get_by_role("main").get_by_role("searchbox")) == 1
    page.keyboard.type("morel")
    page.wait_for_url(re.compile(r"q=morel"))
    assert page.get_by_role("heading", name="1 person").is_visible()

    # then the person is a few Tabs away, and opens with Enter
    tab_to(page, page.get_by_role("link", name="Lucie Morel"))
    submit(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Lucie Morel"


def test_upload_a_document_to_the_library(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # signing in is the first journey; these start signed in
    make_user("analyst@unodc.example", organization=organization("entity:UNODC"), full_name="Ana", mfa=False)
    pdf = samples.pdf_bytes("Joint patrols", ["Border cooperation in the Sahel."])
    page.goto("/")
    sign_in(page, "analyst@unodc.example")

    # given "Add a resource", its title is the first field
    page.goto("/library/new/")
    skip_to_content(page)
    assert tab_to(page, page.get_by_label("Title")) == 1
    page.keyboard.type("Joint patrols: lessons learned")

    # when its type is chosen by typing in the list, and a file given to the file field reached by Tab
    kind = page.get_by_label("Type", exact=True)
    tab_to(page, kind)
    page.keyboard.type("Report")
    assert kind.input_value() == "report"
    files = page.locator("#id_files")
    tab_to(page, files, within=60)
    files.set_input_files(files=[{"name": "patrols.pdf", "mimeType": "application/pdf", "buffer": pdf}])

    # then the Add button sends it, and the resource's page shows it with its file
    tab_to(page, page.get_by_role("button", name="Add", exact=True))
    submit(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Joint patrols: lessons learned"
    assert page.get_by_role("link", name="patrols.pdf").is_visible()
    assert Resource.objects.get().documents.count() == 1


def test_answer_a_meeting_from_the_home(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # signing in is the first journey; these start signed in
    meeting = "Compact coordination meeting"
    person = make_user("focal@kenya.example", organization=organization("state:KEN"), full_name="Wanjiru",
                       mfa=False)  # fmt: skip
    make_event(organization("entity:UNOCT"), Visibility.PLATFORM, title=meeting,
               start=timezone.now() + timedelta(days=10), audience=[organization("state:KEN")])  # fmt: skip
    page.goto("/")
    sign_in(page, person.email)

    # given the home, the meeting waits for an answer, its buttons a few Tabs into the content
    page.goto("/home/")
    skip_to_content(page)
    answer = page.get_by_role("form", name=f"Your answer: Will you attend {meeting}?")
    tab_to(page, answer.get_by_role("button", name="Attending", exact=True), within=5)

    # when Space presses the next button, "Maybe"
    page.keyboard.press("Tab")
    focus_is_visible(page)
    submit(page, "Space")

    # then the meeting's page says the answer is recorded, and nothing waits on the home any more
    assert page.get_by_role("heading", level=1).inner_text() == meeting
    assert page.get_by_role("status").get_by_text("Your answer is recorded: Maybe.").is_visible()
    assert Rsvp.objects.get(user=person).response == "maybe"
    page.goto("/home/")
    assert (
        page.get_by_role("region", name="Waiting for you")
        .get_by_text("Nothing is waiting for you.")
        .is_visible()
    )
