"""In a real browser, a request for support from asking to agreed: Kenya's focal point asks Working Group 2
for support from the menu, UNODC's focal point (UNODC vice-chairs the group) finds it and offers help, and
Kenya's focal point accepts the offer — the request is agreed, its history says so. And the request's pages
meet WCAG 2.1 AA (axe-core, as tests/browser/test_accessibility.py checks the main pages)."""

import re

import pytest
from django.urls import reverse

from projects.models import ThematicArea
from support import services
from support.models import RequestStatus, SupportRequest
from tests.browser.steps import go_to, sign_in
from tests.browser.test_accessibility import violations
from tests.conftest import organization
from tests.support.conftest import ask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Passenger data systems at Nairobi airport"
OFFERED = "A legal drafting expert and a two-week training"


def test_a_request_goes_from_kenya_to_unodcs_offer_to_agreed(page, live_server, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the request is under test
    make_user("focal@kenya.example", organization=organization("state:KEN"), full_name="Wanjiru", mfa=False)
    make_user("focal@unodc.example", organization=organization("entity:UNODC"), full_name="Lucas", mfa=False)
    ThematicArea.objects.get_or_create(name="Border management and law enforcement")

    # when Kenya's focal point asks Working Group 2 for support, for Kenya and its addressees only
    sign_in(page, "focal@kenya.example")
    go_to(page, "Coordination", "Requests for support")
    page.get_by_role("link", name="Ask for support").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What support is needed").fill("Legal drafting and training for the passenger unit")
    page.get_by_label("Thematic area").select_option(label="Border management and law enforcement")
    page.get_by_label("Addressed to a Working Group").select_option(
        label="WG 2: Border Management and Law Enforcement"
    )
    page.get_by_label("Who can see it", exact=True).select_option(label="The owner organisation only")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r"/support/\d+/$"))
    assert page.get_by_text("Your request is sent").is_visible()
    assert page.get_by_role("heading", name=re.compile(TITLE)).is_visible()

    # then UNODC's focal point finds it in the list and offers help
    unodc = page.context.browser.new_context(base_url=live_server.url).new_page()
    sign_in(unodc, "focal@unodc.example")
    go_to(unodc, "Coordination", "Requests for support")
    unodc.get_by_role("link", name=TITLE).click()
    unodc.get_by_role("link", name="Offer support").click()
    unodc.get_by_label("What your organisation offers").fill(OFFERED)
    unodc.get_by_role("button", name="Send the offer").click()
    assert unodc.get_by_text("Your offer is sent to Kenya's focal points.").is_visible()
    unodc.context.close()

    # and Kenya's focal point, back on the request, accepts UNODC's offer: the request is agreed
    page.reload()
    assert page.get_by_text(OFFERED).is_visible()
    page.get_by_role("button", name="Accept the offer of UNODC").click()
    assert page.get_by_text("the request is agreed").is_visible()
    history = page.get_by_role("region", name="History")
    for status in ("Open", "Offers received", "Agreed"):
        assert history.get_by_text(status, exact=True).is_visible()
    assert SupportRequest.objects.get(title=TITLE).status == RequestStatus.AGREED


def test_the_request_pages_meet_wcag_21_aa(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False
    kenya = make_user("focal@kenya.example", organization=organization("state:KEN"), mfa=False)
    unodc = make_user("focal@unodc.example", organization=organization("entity:UNODC"), mfa=False)
    request = ask(kenya, entities=["entity:UNODC"])
    services.offer_support(request, organization=organization("entity:UNODC"), text=OFFERED, by=unodc)
    found = []
    sign_in(page, "focal@kenya.example")
    for name in ("list", "new"):
        page.goto(reverse(f"support:{name}"))
        found += violations(page)
    for name in ("detail", "accept", "status", "link"):
        page.goto(reverse(f"support:{name}", args=[request.pk]))
        found += violations(page)
    # a form sent back with its errors, too
    page.goto(reverse("support:status", args=[request.pk]))
    page.get_by_role("button", name="Change the status").click()
    found += violations(page)
    page.context.clear_cookies()
    sign_in(page, "focal@unodc.example")
    page.goto(reverse("support:offer", args=[request.pk]))
    found += violations(page)
    assert found == []
