"""The log of the reports shared with the Platform: counts per year of every State's shared assessments
(counted from their first consent on the assessment itself, in force or not since — never which States), and
the shared assessments each reader may see, with, for the State's people and CTED, whom they are shared with
now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cted import services
from cted.models import Assessment, ConsentAudience, ConsentGrant, VisitType
from tests.conftest import organization, signed_in
from tests.pages import links, table, words

pytestmark = pytest.mark.django_db

SHARED = "Shared assessments you may see"
COUNTS = "Every Member State's"


def granted_on(grant: ConsentGrant, day: date) -> None:
    """Date a consent as if given that day (the service dates it now)."""
    ConsentGrant.objects.filter(pk=grant.pk).update(
        granted_at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    )


def assess(state: str, cted_person, visit: date) -> Assessment:
    return services.record_assessment(
        state=organization(state), visit_type=VisitType.DESK_REVIEW, visit_start=visit, by=cted_person
    )


@dataclass
class Log:
    kenya: Assessment
    morocco: Assessment
    indonesia: Assessment


@pytest.fixture
def log(kenya, ken_person, cted_person, make_user) -> Log:
    """Kenya shared its assessment with UNDP in 2025 (in force); Morocco with every Compact entity in 2024,
    then withdrew it; Indonesia shared one recommendation only (not a shared assessment); Peru nothing."""
    to_undp = services.grant_consent(
        kenya.assessment, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNDP"),
        by=ken_person,
    )  # fmt: skip
    granted_on(to_undp, date(2025, 6, 2))
    morocco = assess("state:MAR", cted_person, date(2023, 10, 1))
    moroccan = make_user("mar@example.org", organization=organization("state:MAR"), full_name="Mona Maroc")
    to_all = services.grant_consent(morocco, audience=ConsentAudience.COMPACT_ENTITIES, by=moroccan)
    granted_on(to_all, date(2024, 2, 1))
    services.revoke_consent(to_all, by=moroccan)
    indonesia = assess("state:IDN", cted_person, date(2024, 5, 5))
    need = services.add_recommendation(indonesia, text="Protect critical infrastructure", by=cted_person)
    indonesian = make_user("idn@example.org", organization=organization("state:IDN"))
    services.grant_consent(
        indonesia, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNODC"),
        recommendation=need, by=indonesian,
    )  # fmt: skip
    assess("state:PER", cted_person, date(2022, 1, 1))
    return Log(kenya.assessment, morocco, indonesia)


def rows(page) -> list[str]:
    return [row.text() for row in table(page, SHARED).all("tr")[1:]]


def counts(page) -> list[str]:
    return [row.text() for row in table(page, COUNTS).all("tr")[1:]]


def test_the_counts_are_every_states_by_year_first_shared_and_name_no_state(log, unodc_person):
    page = signed_in(unodc_person).get("/assessments/shared/")
    assert page.status_code == 200
    # then Kenya's (2025) and Morocco's (2024, withdrawn since) count; Indonesia's single recommendation
    # and Peru's unshared assessment do not
    assert counts(page) == ["2025 1", "2024 1"]
    assert "whether that consent is still in force or was withdrawn since" in words(page)
    # and UNODC, which may see none of them as shared, gets no row and no State's name
    assert rows(page) == ["No shared assessment you may see."]
    for name in ("Kenya", "Morocco", "Indonesia", "Peru"):
        assert name not in words(page)


def test_the_state_sees_its_own_shared_assessment_and_with_whom(log, ken_person):
    page = signed_in(ken_person).get("/assessments/shared/")
    assert rows(page) == [
        "Kenya Comprehensive · 3 Mar 2025 2 Jun 2025 United Nations Development Programme In force"
    ]
    assert ("Kenya", f"/assessments/{log.kenya.pk}/") in links(page)


def test_cted_sees_every_shared_assessment_withdrawn_ones_too(log, cted_person):
    page = signed_in(cted_person).get("/assessments/shared/")
    assert rows(page) == [
        "Kenya Comprehensive · 3 Mar 2025 2 Jun 2025 United Nations Development Programme In force",
        "Morocco Desk review · 1 Oct 2023 1 Feb 2024 Nobody Withdrawn",
    ]


def test_a_consented_entity_sees_the_row_but_not_whom_else_it_is_shared_with(log, member):
    page = signed_in(member).get("/assessments/shared/")
    assert rows(page) == ["Kenya Comprehensive · 3 Mar 2025 2 Jun 2025 — Not shown In force"]
    assert "United Nations Development Programme" not in words(page)
    # when Kenya withdraws it, UNDP's row goes at once; the count stays (it was shared in 2025)
    services.revoke_consent(ConsentGrant.objects.get(assessment=log.kenya), by=_kenya_focal_point())
    page = signed_in(member).get("/assessments/shared/")
    assert rows(page) == ["No shared assessment you may see."]
    assert counts(page) == ["2025 1", "2024 1"]


def _kenya_focal_point():
    from directory.models import User

    return User.objects.get(email="ken@example.org")


def test_an_expired_consent_reads_expired(log, cted_person):
    ConsentGrant.objects.filter(assessment=log.kenya).update(expires_on=date(2025, 12, 31))
    page = signed_in(cted_person).get("/assessments/shared/")
    assert rows(page)[0] == "Kenya Comprehensive · 3 Mar 2025 2 Jun 2025 Nobody Expired"


def test_nothing_shared_yet_says_so(compact, cted_person):
    page = signed_in(cted_person).get("/assessments/shared/")
    assert counts(page) == ["No assessment has been shared yet."]
    assert rows(page) == ["No shared assessment you may see."]


def test_the_assessments_list_links_to_the_log(compact, member):
    page = signed_in(member).get("/assessments/")
    assert ("Reports shared with the Platform, year by year", "/assessments/shared/") in links(page)


def test_the_log_takes_as_many_queries_whatever_its_length(log, cted_person, ken_person, make_user):
    client = signed_in(cted_person)
    client.get("/assessments/shared/")  # the first visit reads what later ones find cached (the session)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/assessments/shared/").status_code == 200
        return len(captured)

    before = queries()
    # when more States share more assessments, with several organisations each
    for state in ("state:FRA", "state:JPN", "state:BRA"):
        assessment = assess(state, cted_person, date(2024, 1, 1))
        person = make_user(f"{state[-3:]}@example.org", organization=organization(state))
        for entity in ("entity:UNDP", "entity:UNODC"):
            services.grant_consent(
                assessment,
                audience=ConsentAudience.ORGANIZATION,
                organization=organization(entity),
                by=person,
            )
    assert len(rows(client.get("/assessments/shared/"))) == 5
    assert queries() == before
