"""The State's deadlines on its page in the directory: its assessments the reader may see, each with what
the State still owes and whether it is overdue — and nothing at all for a reader who sees none."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cted import services
from cted.models import ConsentAudience, ReportStage, VisitType
from tests.conftest import organization, signed_in
from tests.pages import headings, links, parse

pytestmark = pytest.mark.django_db


def kenya_page(user):
    return signed_in(user).get(f"/organisations/{organization('state:KEN').pk}/")


def section(page) -> str:
    found = parse(page).first("section", **{"aria-labelledby": "cted-title"})
    return found.text() if found else ""


@pytest.fixture
def overdue(kenya, cted_person):
    """Kenya's draft went out on 10 April 2025: its comments were due on 10 May and never came."""
    return services.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=date(2025, 4, 10), by=cted_person
    )


@pytest.mark.parametrize("reader", ["ken_person", "cted_person"])
def test_the_states_people_and_cted_see_its_deadlines_overdue_flagged(overdue, reader, request):
    page = kenya_page(request.getfixturevalue(reader))
    assert page.status_code == 200
    assert section(page) == (
        "CTED assessments Comprehensive · 3 Mar 2025 · Draft report sent to the State "
        "The State's comments on the draft report: due 10 May 2025 Overdue "
        "The 3 recommendations you may read"
    )
    assert ("Comprehensive · 3 Mar 2025", f"/assessments/{overdue.pk}/") in links(page)


def test_an_entity_the_state_shared_with_sees_it_and_one_without_consent_nothing(
    overdue, ken_person, member, unodc_person
):
    services.grant_consent(
        overdue,
        audience=ConsentAudience.ORGANIZATION,
        organization=organization("entity:UNDP"),
        by=ken_person,
    )
    assert "Overdue" in section(kenya_page(member))
    # UNODC was not named: not even the heading
    page = kenya_page(unodc_person)
    assert page.status_code == 200
    assert "CTED assessments" not in headings(page)
    assert section(page) == ""


def test_a_delivered_deadline_is_no_longer_listed(overdue, ken_person, cted_person):
    services.record_report_step(overdue, step=ReportStage.ADOPTED, on=date(2025, 6, 1), by=cted_person)
    services.record_report_step(overdue, step=ReportStage.STEPS, on=date(2025, 9, 1), by=cted_person)
    assert section(kenya_page(ken_person)).endswith(
        "Nothing awaited from the State. The 3 recommendations you may read"
    )


def test_other_organisations_pages_have_no_such_section(overdue, cted_person):
    page = signed_in(cted_person).get(f"/organisations/{organization('entity:UNDP').pk}/")
    assert page.status_code == 200
    assert section(page) == ""


def test_the_section_takes_as_many_queries_whatever_the_number_of_assessments(overdue, cted_person):
    client = signed_in(cted_person)
    url = f"/organisations/{organization('state:KEN').pk}/"
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for year in (2021, 2022, 2023):
        assessment = services.record_assessment(
            state=organization("state:KEN"), visit_type=VisitType.FOLLOW_UP, visit_start=date(year, 5, 1),
            by=cted_person,
        )  # fmt: skip
        services.record_report_step(assessment, step=ReportStage.DRAFT, on=date(year, 6, 1), by=cted_person)
    assert section(client.get(url)).count("Overdue") == 4
    assert queries() == before
