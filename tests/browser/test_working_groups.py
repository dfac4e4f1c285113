"""In a real browser: a Working Group chair invites a guest organisation, starts a thread mentioning a
colleague, and opens the group's progress report draft."""

import re
from datetime import date

import pytest

from directory.models import WorkingGroup
from notifications.models import Notification
from planning.models import ReportingPeriod
from tests.browser.steps import choose, go_to, sign_in
from tests.conftest import organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chair_runs_the_space(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the space is under test
    make_user(
        "chair@cted.example", organization=organization("entity:CTED"), full_name="Chloé Chair", mfa=False
    )
    colleague = make_user(
        "lucas@unodc.example", organization=organization("entity:UNODC"), full_name="Lucas Moreau", mfa=False
    )
    ReportingPeriod.objects.create(
        name="2026", start=date(2026, 1, 1), end=date(2026, 12, 31), due=date(2027, 1, 31)
    )
    group = WorkingGroup.objects.get(number=2)

    sign_in(page, "chair@cted.example")

    # given the chair's Working Group space
    go_to(page, "Network", "Working Groups")
    page.get_by_role("link", name=re.compile(r"^WG 2:")).click()
    page.wait_for_url(f"**/groups/{group.pk}/")

    # when the chair invites Kenya as a guest on a topic
    page.get_by_role("link", name="Manage participants").click()
    choose(page, "Guest organisation", "Kenya")
    page.get_by_label("Topic").fill("One-stop border posts")
    page.get_by_role("button", name="Invite").click()
    assert page.get_by_text("Kenya added as guest.").is_visible()
    assert page.get_by_text("Guest on “One-stop border posts”").is_visible()

    # and starts a thread in the space mentioning a colleague
    page.get_by_role("link", name="WG 2:", exact=False).first.click()
    page.get_by_role("link", name="Start a discussion").click()
    page.get_by_label("Title").fill("Draft workplan for 2027")
    page.get_by_label("Message").fill("@lucas@unodc.example could you review the border posts activity?")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/discussions/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Draft workplan for 2027"
    assert page.get_by_role("link", name="@Lucas Moreau").count() >= 1
    assert Notification.objects.filter(recipient=colleague, kind="mention").count() == 1

    # then the group's progress report for the period opens as a draft with figures from the space
    page.goto(f"/groups/{group.pk}/")
    page.get_by_role("link", name="Progress reports").click()
    page.get_by_role("link", name=re.compile("2026")).first.click()
    assert page.get_by_text(re.compile("Draft|draft")).first.is_visible()
