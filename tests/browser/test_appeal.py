"""In a real browser, the Appeal's journey: a donor's focal point opens a cycle's coverage dashboard from the
menu, sees a chart drawn from its data table, reads the table, and follows a figure to the flows behind it —
whose figures are the same."""

import re

import pytest

from appeal import services
from appeal.models import Priority, Stage
from tests.appeal.conftest import appeal_for, flow
from tests.browser.steps import go_to, sign_in
from tests.conftest import organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_coverage_dashboard_to_the_flows_behind_a_figure(
    page, compact, make_user, secretariat, settings
):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the Appeal is under test
    make_user("focal@kenya.example", organization=organization("state:KEN"), full_name="Kip", mfa=False)
    unodc = make_user("lead@unodc.example", organization=organization("entity:UNODC"))
    # given a cycle where UNODC appeals for border security, and Kenya pledges, commits and pays in euros
    cycle = services.open_cycle(name="2025–2026", first_year=2025, last_year=2026, by=secretariat)
    border = appeal_for(
        cycle,
        "Border posts in the Sahel",
        "entity:UNODC",
        unodc,
        [Priority.BORDER_SECURITY],
        {2025: "1000000"},
    )
    flow(secretariat, cycle, "state:KEN", Stage.PLEDGE, "500000", "EUR", "1.1", to=border)
    flow(secretariat, cycle, "state:KEN", Stage.COMMITMENT, "400000", "EUR", "1.1", to=border)
    flow(secretariat, cycle, "state:KEN", Stage.PAID, "100000", "EUR", "1.1", to=border)
    flow(secretariat, cycle, "state:NOR", Stage.COMMITMENT, "60000", to=border)

    sign_in(page, "focal@kenya.example")

    # when Kenya's focal point opens the cycle from the Coordination menu
    go_to(page, "Coordination", "Multi-Year Appeal")
    page.get_by_role("link", name="2025–2026").click()
    page.wait_for_url(re.compile(rf"/appeal/{cycle.pk}/$"))

    # then the priorities' chart is drawn (a canvas with a size, which our script marks drawn)
    page.wait_for_function(
        "document.querySelector('canvas[data-appeal-chart=\"priority-table\"]').dataset.drawn"
    )
    box = page.locator('canvas[data-appeal-chart="priority-table"]').bounding_box()
    assert box["width"] > 200
    assert box["height"] > 50
    # and its data table gives the figures: 1,000,000 asked; Kenya's 110,000 pledged beyond its 440,000
    # committed, of which 110,000 paid; Norway's 60,000 committed
    table = page.get_by_role("table", name=re.compile(r"^Requirements and funding by thematic priority"))
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Border security management")
    )
    assert row.inner_text().split("\t") == [
        "Border security management",
        "1,000,000.00",
        "110,000.00",
        "390,000.00",
        "110,000.00",
        "500,000.00",
        "500,000.00",
        "50.0 %",
    ]

    # when the focal point follows the funding figure
    row.get_by_role("link", name="500,000.00").first.click()

    # then the ledger lists the commitments and payments behind it, with the same figures
    page.wait_for_url(re.compile(r"/flows/\?priority=border_security&stage=funding$"))
    entries = page.get_by_role("table", name=re.compile(r"^Entries of the ledger"))
    donors = [entries.get_by_role("row").nth(n).get_by_role("cell").nth(0).inner_text() for n in (1, 2, 3)]
    assert donors == ["Norway", "Kenya", "Kenya"]  # newest first (the same day: the latest recorded first)
    figures = page.get_by_role("region", name="The figures of these entries, at every stage")
    assert "Funding\nUS$ 500,000.00" in figures.inner_text()
    assert "Pledged, not yet committed\nUS$ 110,000.00" in figures.inner_text()
