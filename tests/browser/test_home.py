"""In a real browser, a person acts on their home's "Waiting for you" list: Kenya's focal point, whose
details fell due for reconfirmation, confirms them from the home, and answers a Working Group meeting's
invitation with the home's own buttons — each item is gone from the list afterwards. And the home, with
its waiting list and "Needs updating", meets WCAG 2.1 AA (axe-core, as tests/browser/test_accessibility.py
checks the main pages)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from calendar_app.models import EventType, Rsvp
from directory.access import Visibility
from directory.models import Participation, ParticipationRole
from library.models import Resource
from tests.browser.steps import sign_in
from tests.browser.test_accessibility import violations
from tests.calendar_app.conftest import make_event
from tests.conftest import make_profile, organization, wg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING = "WG 2 meeting on passenger data"


@pytest.fixture
def kenya_focal_point(compact, make_user, settings):
    """Kenya's focal point: Kenya is a guest of WG 2, the details were confirmed 400 days ago, and WG 2
    meets in ten days."""
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the home is under test
    person = make_user(
        "focal@kenya.example", organization=organization("state:KEN"), full_name="Wanjiru", mfa=False
    )
    make_profile(user=person, reconfirmed_at=timezone.now() - timedelta(days=400))
    Participation.objects.update_or_create(
        working_group=wg(), organization=organization("state:KEN"), defaults={"role": ParticipationRole.GUEST}
    )
    make_event(
        organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(), title=MEETING,
        event_type=EventType.WG_MEETING, start=timezone.now() + timedelta(days=10),
    )  # fmt: skip
    return person


def test_a_focal_point_reconfirms_and_answers_from_the_home(page, live_server, kenya_focal_point):
    # given Kenya's focal point on their home: two things wait for them
    sign_in(page, "focal@kenya.example")
    waiting = page.get_by_role("region", name="Waiting for you")
    assert waiting.get_by_text("Confirm that your details in the directory are current").is_visible()
    assert waiting.get_by_text(f"Will you attend {MEETING}?").is_visible()

    # when they review and confirm their details from the list
    waiting.get_by_role("link", name="Review and confirm").click()
    page.get_by_role("button", name="My details are correct").click()
    assert page.get_by_text("your details are confirmed as current").is_visible()

    # then, back home, the reconfirmation is gone and the meeting still waits
    page.goto("/home/")
    waiting = page.get_by_role("region", name="Waiting for you")
    assert waiting.get_by_text("Confirm that your details").count() == 0
    answer = waiting.get_by_role("form", name=f"Your answer: Will you attend {MEETING}?")

    # when they answer the meeting with the home's own buttons
    answer.get_by_role("button", name="Attending", exact=True).click()
    assert page.get_by_text("Your answer is recorded: Attending.").is_visible()
    assert Rsvp.objects.get(user=kenya_focal_point).response == "attending"

    # then nothing waits for them any more
    page.goto("/home/")
    waiting = page.get_by_role("region", name="Waiting for you")
    assert waiting.get_by_text("Nothing is waiting for you.").is_visible()


def test_the_home_meets_wcag_21_aa(page, live_server, kenya_focal_point):
    # with something waiting and something that needs updating (Kenya's resource, not updated for 400 days)
    resource = Resource.objects.create(
        owner=organization("state:KEN"), visibility=Visibility.PLATFORM, title="National strategy",
        resource_type="guidance",
    )  # fmt: skip
    Resource.objects.filter(pk=resource.pk).update(updated_at=timezone.now() - timedelta(days=400))
    sign_in(page, "focal@kenya.example")
    assert page.get_by_role("region", name="Needs updating").is_visible()
    assert violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert violations(page) == []
