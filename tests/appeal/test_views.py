"""The Appeal's pages: a cycle's coverage tables read as a person reads them, an appeal project's page with
its requirements and the flows its reader may see, and the Secretariat's flow form with its refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from appeal.models import Flow
from tests.conftest import organization, signed_in
from tests.pages import messages, table, words


def words_of(element) -> str:
    return " ".join(element.text().split())


pytestmark = pytest.mark.django_db


def test_the_cycle_page_shows_the_coverage_tables(world, secretariat):
    page = signed_in(secretariat).get(f"/appeal/{world.cycle.pk}/")
    assert page.status_code == 200
    text = words(page)
    for figure in ("US$ 1,900,000.00", "US$ 777,889.75", "40.9 %"):
        assert figure in text
    by_entity = words_of(table(page, "Requirements and funding by lead entity (US$)"))
    assert "1,500,000.00 144,666.66 122,008.34 275,825.00 397,833.34 1,102,166.66 26.5 %" in by_entity


def test_an_appeal_project_page_shows_its_requirements_and_the_readers_flows(world, ken_person):
    page = signed_in(ken_person).get(f"/appeal/projects/{world.border.pk}/")
    text = words(page)
    for shown in ("1,000,000.00", "500,000.00", "Joint project"):
        assert shown in text
    assert "500,000.00 EUR" in text  # Kenya's own pledge
    victims = words(signed_in(ken_person).get(f"/appeal/projects/{world.victims.pk}/"))
    assert "350,000.00 USD" not in victims  # Norway's pledge is Norway's
    assert "300,000.00 USD" in victims  # its commitment is public


def test_an_unpublished_appeal_project_is_a_404_for_other_entities(world, cted_person, unodc_person):
    from appeal import services

    services.change_appeal_project(world.victims, is_published=False, by=cted_person)
    assert signed_in(unodc_person).get(f"/appeal/projects/{world.victims.pk}/").status_code == 404
    assert signed_in(cted_person).get(f"/appeal/projects/{world.victims.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-5"}, "The amount must be more than zero"),
        ({"currency": "EUR"}, "Give the rate to US dollars used for the amount in EUR."),
        ({"currency": "XYZ"}, "Select a valid choice."),
        ({"amount": "1e309"}, "Ensure that there are no more than 16 digits"),
        ({"earmark": "project"}, "Choose the appeal project of this cycle"),
    ],
)
def test_the_flow_form_refuses_bad_input_with_a_message(cycle, secretariat, changes, message):
    data = {
        "donor": organization("state:KEN").pk, "stage": "pledge", "date": "2021-02-01", "amount": "10",
        "currency": "USD", "earmark": "unearmarked", **changes,
    }  # fmt: skip
    page = signed_in(secretariat).post(f"/appeal/{cycle.pk}/flows/new/", data)
    assert page.status_code == 200
    assert message in words(page)
    assert not Flow.objects.exists()


def test_the_secretariat_records_a_flow_through_the_form(cycle, secretariat):
    data = {
        "donor": organization("state:KEN").pk, "stage": "commitment", "date": "2021-02-01",
        "amount": "100.10", "currency": "EUR", "usd_rate": "1.05", "earmark": "unearmarked",
    }  # fmt: skip
    client = signed_in(secretariat)
    response = client.post(f"/appeal/{cycle.pk}/flows/new/", data, follow=True)
    assert "The entry is recorded." in messages(response)
    assert Flow.objects.get().amount_usd == Decimal("105.11")
