"""The Appeal's write pages as their users meet them: the Secretariat opens and closes a cycle and corrects
the ledger; a lead entity's person appeals for a project and changes it; a payment above the commitment is
recorded once its reason is given. Who may open each page is the permission matrix's
(tests/appeal/matrix.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from appeal import selectors
from appeal.models import AppealCycle, AppealProject, CycleStatus, Flow, Priority, Requirement
from tests.appeal.conftest import flow
from tests.conftest import organization, signed_in
from tests.pages import addresses, field_error, labels, messages, options, selected, table, value, words
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db


def funding(user, cycle) -> Decimal:
    return selectors.coverage(user, cycle).cycle.funding


# --- Opening and closing a cycle ----------------------------------------------------------------------------


def test_the_secretariat_opens_a_cycle(compact, secretariat, unodc_person):
    # given the cycles page: the Secretariat is offered to open one, a focal point is not
    assert "/appeal/new/" in addresses(signed_in(secretariat).get("/appeal/"))
    assert "/appeal/new/" not in addresses(signed_in(unodc_person).get("/appeal/"))
    # when the Secretariat opens 2025–2026
    client = signed_in(secretariat)
    page = client.post(
        "/appeal/new/", {"name": "2025–2026", "first_year": "2025", "last_year": "2026"}, follow=True
    )
    # then it is open, and its page says so
    cycle = AppealCycle.objects.get(name="2025–2026")
    assert (cycle.first_year, cycle.last_year, cycle.status) == (2025, 2026, CycleStatus.OPEN)
    assert page.redirect_chain[-1][0] == f"/appeal/{cycle.pk}/"
    assert "The appeal cycle 2025–2026 is open." in messages(page)


@pytest.mark.parametrize(
    ("years", "field", "message"),
    [
        (("9999", "2026"), "first_year", "less than or equal to 2100"),
        (("²", "2026"), "first_year", "Enter a whole number."),
        (("2025", "1999"), "last_year", "greater than or equal to 2000"),
        (("2026", "2025"), "last_year", "The last year is the first year or a later one."),
    ],
)
def test_a_cycle_with_impossible_years_is_refused_on_the_form(compact, secretariat, years, field, message):
    first, last = years
    page = signed_in(secretariat).post(
        "/appeal/new/", {"name": "Bad", "first_year": first, "last_year": last}
    )
    assert page.status_code == 200
    assert message in field_error(page, field)
    assert not AppealCycle.objects.filter(name="Bad").exists()


def test_a_second_cycle_of_the_same_name_is_refused_with_the_services_message(cycle, secretariat):
    page = signed_in(secretariat).post(
        "/appeal/new/", {"name": "2021–2022", "first_year": "2021", "last_year": "2022"}
    )
    assert "There is already a cycle named 2021–2022." in messages(page)
    assert AppealCycle.objects.count() == 1


def test_closing_a_cycle_says_what_it_means_then_nothing_more_is_recorded(cycle, secretariat):
    client = signed_in(secretariat)
    # given the cycle page, where the Secretariat finds the button
    assert f"/appeal/{cycle.pk}/close/" in addresses(client.get(f"/appeal/{cycle.pk}/"))
    # when it opens the page: what closing means
    page = words(client.get(f"/appeal/{cycle.pk}/close/"))
    assert "nothing more is recorded in it" in page
    assert "frozen" in page
    # when it closes the cycle
    closed = client.post(f"/appeal/{cycle.pk}/close/", follow=True)
    assert "The appeal cycle 2021–2022 is closed." in messages(closed)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    # then a flow is refused with a message, and the close page says the cycle is closed
    recorded = client.post(
        f"/appeal/{cycle.pk}/flows/new/",
        {"donor": organization("state:KEN").pk, "stage": "pledge", "date": "2021-02-01", "amount": "10",
         "currency": "USD", "earmark": "unearmarked"},
    )  # fmt: skip
    assert "The appeal cycle 2021–2022 is closed: nothing more is recorded in it." in messages(recorded)
    assert not Flow.objects.exists()
    again = client.get(f"/appeal/{cycle.pk}/close/")
    assert again.status_code == 200
    assert "is closed: nothing more is recorded in it." in words(again)
    assert f"/appeal/{cycle.pk}/close/" not in addresses(client.get(f"/appeal/{cycle.pk}/"))


# --- Appeal projects ----------------------------------------------------------------------------------------


def test_a_lead_entity_appeals_for_its_project_and_the_figures_appear_on_the_cycle(cycle, unodc_person):
    project = make_project("Border posts", lead="entity:UNODC")
    make_project("UNDP's own project", lead="entity:UNDP")
    client = signed_in(unodc_person)
    # given the cycle page's button and the form: only UNODC's projects to choose, a requirement per year
    assert f"/appeal/{cycle.pk}/projects/new/" in addresses(client.get(f"/appeal/{cycle.pk}/"))
    form = client.get(f"/appeal/{cycle.pk}/projects/new/")
    assert list(options(form, "Project of the matrix").values()) == ["---------", "Border posts — UNODC"]
    shown = set(labels(form))
    assert {"Thematic priorities", "Requirements in US dollars", "Requirement for 2021 (optional)"} <= shown
    # when UNODC's person appeals for it, published, with 2021 only
    page = client.post(
        f"/appeal/{cycle.pk}/projects/new/",
        {"project": project.pk, "priorities": [Priority.BORDER_SECURITY, Priority.CFT], "is_published": "on",
         "requirement_2021": "1250000.50", "requirement_2022": ""},
        follow=True,
    )  # fmt: skip
    # then it is in the appeal, and its requirement counts on the cycle page
    appealed = AppealProject.objects.get(cycle=cycle, project=project)
    assert appealed.is_published
    assert appealed.priorities == [Priority.BORDER_SECURITY, Priority.CFT]
    assert "Border posts is in the appeal." in messages(page)
    assert [(r.year, r.amount_usd) for r in appealed.requirements.all()] == [(2021, Decimal("1250000.50"))]
    cycle_page = client.get(f"/appeal/{cycle.pk}/")
    assert "US$ 1,250,000.50" in words(cycle_page)
    search = client.get(f"/appeal/projects/?cycle={cycle.pk}")
    assert "Border posts 2021–2022 UNODC" in table(search, "Appeal projects").text()
    # and the project is no choice any more
    assert "You have no project to add" in words(client.get(f"/appeal/{cycle.pk}/projects/new/"))


def test_a_bad_requirement_stores_nothing(cycle, unodc_person):
    project = make_project("Border posts", lead="entity:UNODC")
    url = f"/appeal/{cycle.pk}/projects/new/"
    body = {"project": project.pk, "priorities": [Priority.CFT], "requirement_2021": "-5"}
    page = signed_in(unodc_person).post(url, body)
    assert "greater than or equal to 0.01" in field_error(page, "requirement_2021")
    no_priority = signed_in(unodc_person).post(url, {**body, "priorities": [], "requirement_2021": "10"})
    assert "Choose at least one thematic priority." in words(no_priority)
    assert not AppealProject.objects.exists()


def test_who_leads_no_project_reads_that_there_is_none_to_add(cycle, ken_person):
    make_project("Border posts", lead="entity:UNODC")
    page = signed_in(ken_person).get(f"/appeal/{cycle.pk}/projects/new/")
    assert page.status_code == 200
    assert "You have no project to add to the appeal 2021–2022" in words(page)
    assert f"/appeal/{cycle.pk}/projects/new/" not in addresses(
        signed_in(ken_person).get(f"/appeal/{cycle.pk}/")
    )


def test_a_closed_cycle_takes_no_new_project(cycle, secretariat, unodc_person):
    from appeal import services

    project = make_project("Border posts", lead="entity:UNODC")
    services.close_cycle(cycle, by=secretariat)
    client = signed_in(unodc_person)
    assert "is closed: nothing more is recorded in it." in words(
        client.get(f"/appeal/{cycle.pk}/projects/new/")
    )
    client.post(f"/appeal/{cycle.pk}/projects/new/", {"project": project.pk, "priorities": [Priority.CFT]})
    assert not AppealProject.objects.exists()


def test_the_lead_entity_changes_priorities_publication_and_requirements(world, unodc_person):
    client = signed_in(unodc_person)
    url = f"/appeal/projects/{world.border.pk}/edit/"
    # given the project page's "Change" button and the form prefilled
    assert url in addresses(client.get(f"/appeal/projects/{world.border.pk}/"))
    form = client.get(url)
    assert value(form, "Requirement for 2021 (optional)") == "1000000.00"
    assert value(form, "Requirement for 2022 (optional)") == "500000.00"
    assert set(selected(form, "Thematic priorities")) == {Priority.BORDER_SECURITY, Priority.CRIMINAL_JUSTICE}
    # when UNODC's person changes them: one priority, unpublished, 2021 lower and no 2022
    page = client.post(
        url,
        {"priorities": [Priority.CRIMINAL_JUSTICE], "requirement_2021": "900000", "requirement_2022": ""},
        follow=True,
    )  # fmt: skip
    # then the project page shows them
    assert "The appeal project is changed." in messages(page)
    text = words(page)
    assert "Criminal justice and rule of law" in text
    assert "Border security management" not in text
    assert "No: its lead entity and the Secretariat see it." in text
    assert [(r.year, r.amount_usd) for r in Requirement.objects.filter(appeal_project=world.border)] == [
        (2021, Decimal("900000.00"))
    ]


def test_an_appeal_project_is_changed_by_its_lead_entity_only(world, cted_person, secretariat, unodc_person):
    from appeal import services

    url = f"/appeal/projects/{world.border.pk}/edit/"
    assert signed_in(cted_person).get(url).status_code == 403  # published: CTED sees it, it is UNODC's
    assert signed_in(secretariat).get(url).status_code == 403
    assert url not in addresses(signed_in(cted_person).get(f"/appeal/projects/{world.border.pk}/"))
    services.change_appeal_project(world.victims, is_published=False, by=cted_person)
    assert signed_in(unodc_person).get(f"/appeal/projects/{world.victims.pk}/edit/").status_code == 404


# --- Corrections of the ledger ------------------------------------------------------------------------------


def test_a_correction_reverses_part_of_an_entry_and_the_funding_goes_down_by_exactly_that(world, secretariat):
    entry = world.flows["nor commitment"]  # Norway to Victims' support, US$ 300,000, paid 120,000 of it
    before = funding(secretariat, world.cycle)
    client = signed_in(secretariat)
    # given the project page's "Correct" link and the page showing the entry
    assert f"/appeal/flows/{entry.pk}/correct/" in addresses(
        client.get(f"/appeal/projects/{world.victims.pk}/")
    )
    page = words(client.get(f"/appeal/flows/{entry.pk}/correct/"))
    for shown in ("Norway", "Commitment", "300,000.00 USD", "An appeal project: Victims' support"):
        assert shown in page
    # when it reverses US$ 100,000 of it
    done = client.post(
        f"/appeal/flows/{entry.pk}/correct/",
        {"amount": "-100000", "reason": "The agreement was amended.", "date": "2021-06-30"},
        follow=True,
    )
    # then the correction is recorded, and the cycle's funding is US$ 100,000.00 less
    assert "The correction is recorded." in messages(done)
    correction = Flow.objects.get(corrects=entry)
    assert (correction.amount_usd, correction.reason) == (Decimal("-100000.00"), "The agreement was amended.")
    assert before - funding(secretariat, world.cycle) == Decimal("100000.00")


def test_a_reversal_larger_than_what_remains_is_refused(world, secretariat):
    entry = world.flows["ken commitment"]  # EUR 400,000, adjusted by −33,333.33
    count = Flow.objects.count()
    client = signed_in(secretariat)
    assert "366,666.67 EUR" in words(client.get(f"/appeal/flows/{entry.pk}/correct/"))
    page = client.post(f"/appeal/flows/{entry.pk}/correct/", {"amount": "-366666.68", "reason": "Too much."})
    assert page.status_code == 200
    assert "A correction may not reverse more than what remains of the entry: 366,666.67 EUR." in messages(
        page
    )
    assert Flow.objects.count() == count


def test_a_correction_is_not_corrected_itself(world, secretariat):
    correction = world.flows["ken adjustment"]
    count = Flow.objects.count()
    client = signed_in(secretariat)
    page = client.get(f"/appeal/flows/{correction.pk}/correct/")
    assert "This entry is itself a correction: correct the entry it corrects." in words(page)
    assert f"/appeal/flows/{world.flows['ken commitment'].pk}/correct/" in addresses(page)
    client.post(f"/appeal/flows/{correction.pk}/correct/", {"amount": "-1", "reason": "Again."})
    assert Flow.objects.count() == count


def test_a_correction_needs_its_reason(world, secretariat):
    entry = world.flows["nor commitment"]
    page = signed_in(secretariat).post(f"/appeal/flows/{entry.pk}/correct/", {"amount": "-1", "reason": ""})
    assert "This field is required." in field_error(page, "reason")
    assert not Flow.objects.filter(corrects=entry).exists()


# --- A payment above the commitment: warned, allowed with a reason ------------------------------------------


def test_a_payment_above_the_commitment_asks_for_its_reason_then_is_recorded(cycle, secretariat):
    flow(secretariat, cycle, "state:KEN", "commitment", "1000")
    client = signed_in(secretariat)
    body = {
        "donor": organization("state:KEN").pk, "stage": "paid", "date": "2021-04-01", "amount": "1200",
        "currency": "USD", "earmark": "unearmarked",
    }  # fmt: skip
    # when the Secretariat records a payment above what Kenya committed, without a reason
    page = client.post(f"/appeal/{cycle.pk}/flows/new/", body)
    # then the message is next to the reason field, and nothing is recorded
    assert "above the US$ 1,000.00 it committed" in field_error(page, "reason")
    assert Flow.objects.count() == 1
    # when it gives the reason, the payment is recorded with it
    done = client.post(f"/appeal/{cycle.pk}/flows/new/", {**body, "reason": "A currency gain."}, follow=True)
    assert "The entry is recorded." in messages(done)
    assert Flow.objects.get(stage="paid").reason == "A currency gain."


def test_another_refusal_of_a_payment_stays_at_the_top_of_the_form(cycle, secretariat):
    body = {
        "donor": organization("state:KEN").pk, "stage": "paid", "date": "2021-04-01", "amount": "1200",
        "currency": "EUR", "earmark": "unearmarked",
    }  # fmt: skip
    page = signed_in(secretariat).post(f"/appeal/{cycle.pk}/flows/new/", body)
    assert "Give the rate to US dollars used for the amount in EUR." in messages(page)
    assert field_error(page, "reason") == ""
