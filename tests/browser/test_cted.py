"""In a real browser, consent as a Member State gives it: Kenya's focal point opens its assessment from the
menu, shares it with UNDP, and a UNDP focal point — who could not open it before — now reads it, finds it in
the search among the needs with no project, and offers help."""

import re
from datetime import date

import pytest

from cted import services
from cted.models import Assessment, ReleaseLevel, VisitType
from tests.browser.steps import choose, go_to, sign_in
from tests.conftest import organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_state_focal_point_shares_an_assessment_and_an_entity_sees_it(
    page, live_server, compact, make_user, settings
):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here consent is under test
    cted = make_user("analyst@cted.example", organization=organization("entity:CTED"))
    make_user("focal@kenya.example", organization=organization("state:KEN"), full_name="Wanjiru", mfa=False)
    make_user("focal@undp.example", organization=organization("entity:UNDP"), full_name="Uma", mfa=False)
    assessment = services.record_assessment(
        state=organization("state:KEN"),
        visit_type=VisitType.COMPREHENSIVE,
        visit_start=date(2025, 3, 3),
        by=cted,
    )
    services.add_recommendation(
        assessment, text="Introduce passenger data systems", is_priority=True, by=cted
    )
    Assessment.objects.filter(pk=assessment.pk).update(release_level=ReleaseLevel.FULL)

    # given UNDP's focal point cannot open Kenya's assessment
    undp = page.context.browser.new_context(base_url=live_server.url).new_page()
    sign_in(undp, "focal@undp.example")
    assert undp.goto(f"/assessments/{assessment.pk}/").status == 404

    # when Kenya's focal point opens it from the menu and shares it with UNDP
    sign_in(page, "focal@kenya.example")
    go_to(page, "Coordination", "CTED assessments")
    page.get_by_role("link", name="Kenya").click()
    page.get_by_role("link", name="Give consent").click()
    page.get_by_label("A named entity or regional organisation").check()
    choose(page, "Organisation (optional)", "United Nations Development Programme (UNDP)")
    page.get_by_role("button", name="Give consent").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    assert page.get_by_text("The consent is given: it takes effect at once.").is_visible()

    # then UNDP's focal point reads the assessment and its recommendation at once
    assert undp.goto(f"/assessments/{assessment.pk}/").status == 200
    assert undp.get_by_role("cell", name=re.compile("Introduce passenger data systems")).count() == 0
    assert undp.get_by_role("rowheader", name=re.compile("Introduce passenger data systems")).is_visible()

    # and finds it among the needs with no project, counted under Kenya, and offers UNDP's help
    go_to(undp, "Coordination", "CTED recommendations")
    undp.get_by_role("link", name="Needs with no project").click()
    assert undp.get_by_role("region", name="Member State").get_by_text("Kenya (1)").is_visible()
    assert undp.get_by_role("listitem").filter(has_text="Introduce passenger data systems").is_visible()
    undp.get_by_role("link", name=re.compile("^Offer assistance")).click()
    undp.get_by_label("What your organisation offers").fill("Two experts for six months")
    undp.get_by_role("button", name="Send the offer").click()
    assert undp.get_by_text("Your offer is sent to Kenya's focal points and to CTED.").is_visible()
    undp.context.close()
