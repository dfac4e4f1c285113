"""CTED's API (cted/api.py): an assessment and its recommendations are the Member State's and CTED's until the
State shares them; a token reads exactly what its person reads on the pages — in lists, details, searches and
filters — and a consent withdrawn stops the reads at the very next request."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cted import services
from cted.models import Assessment, ConsentAudience, Recommendation, ReleaseLevel, VisitType
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import organization

ASSESSMENTS = reverse("api:cted-assessment-list")
RECOMMENDATIONS = reverse("api:cted-recommendation-list")
ALL = {"Border", "Criminalise", "Train"}

pytestmark = pytest.mark.django_db


def assessment_url(assessment) -> str:
    return reverse("api:cted-assessment-detail", args=[assessment.pk])


def recommendation_url(recommendation) -> str:
    return reverse("api:cted-recommendation-detail", args=[recommendation.pk])


def first_words(rows) -> set[str]:
    return {row["text"].split()[0] for row in rows}


def share_with_unodc(kenya, ken_person, level=ReleaseLevel.FULL):
    services.set_release_level(kenya.assessment, level=level, by=ken_person)
    return services.grant_consent(
        kenya.assessment, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNODC"),
        by=ken_person,
    )  # fmt: skip


def test_an_assessment_is_the_state_s_and_cted_s_until_shared(kenya, cted_person, ken_person, unodc_person):
    # given Kenya's assessment, shared with nobody
    cted, ken = bearer(cted_person, "cted:read"), bearer(ken_person, "cted:read")
    unodc = bearer(unodc_person, "cted:read")
    # then CTED's and Kenya's tokens read it and its recommendations, UNODC's nothing
    for client in (cted, ken):
        assert [row["id"] for row in all_rows(client, ASSESSMENTS)] == [kenya.assessment.pk]
        assert first_words(all_rows(client, RECOMMENDATIONS)) == ALL
        assert client.get(assessment_url(kenya.assessment)).status_code == 200
    assert all_rows(unodc, ASSESSMENTS) == []
    assert all_rows(unodc, RECOMMENDATIONS) == []
    # and a hidden one answers as a missing one
    hidden = unodc.get(assessment_url(kenya.assessment))
    missing = unodc.get(assessment_url(Assessment(pk=kenya.assessment.pk + 1000)))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert unodc.get(recommendation_url(kenya.priority)).status_code == 404


def test_a_consent_shares_at_once_and_its_withdrawal_stops_the_reads_at_once(kenya, ken_person, unodc_person):
    unodc = bearer(unodc_person, "cted:read")
    # when Kenya shares its assessment, released in full, with UNODC
    grant = share_with_unodc(kenya, ken_person)
    # then UNODC's token reads it and every recommendation — but not whom Kenya shares it with
    body = unodc.get(assessment_url(kenya.assessment)).json()
    assert body["state"]["acronym"] == organization("state:KEN").acronym
    assert body["consents"] == []
    assert first_words(all_rows(unodc, RECOMMENDATIONS)) == ALL
    assert unodc.get(recommendation_url(kenya.training)).status_code == 200
    # while Kenya's token sees the consent it gave
    (consent,) = bearer(ken_person, "cted:read").get(assessment_url(kenya.assessment)).json()["consents"]
    assert consent["organization"]["acronym"] == "UNODC"
    assert consent["in_force"] is True
    # when Kenya withdraws it, the same token's next requests read nothing of it
    services.revoke_consent(grant, by=ken_person)
    assert unodc.get(assessment_url(kenya.assessment)).status_code == 404
    assert unodc.get(recommendation_url(kenya.training)).status_code == 404
    assert all_rows(unodc, ASSESSMENTS) == []
    assert all_rows(unodc, RECOMMENDATIONS) == []
    assert all_rows(unodc, RECOMMENDATIONS, state=organization("state:KEN").pk) == []
    # and Kenya's token sees the consent kept, withdrawn
    (consent,) = bearer(ken_person, "cted:read").get(assessment_url(kenya.assessment)).json()["consents"]
    assert consent["in_force"] is False
    assert consent["revoked_at"] is not None


def test_a_partial_release_shares_the_priority_needs_only(kenya, ken_person, unodc_person):
    share_with_unodc(kenya, ken_person, ReleaseLevel.PARTIAL)
    unodc = bearer(unodc_person, "cted:read")
    assert first_words(all_rows(unodc, RECOMMENDATIONS)) == {"Border"}
    assert unodc.get(recommendation_url(kenya.legislation)).status_code == 404
    # filtering on what the release withholds finds nothing
    assert all_rows(unodc, RECOMMENDATIONS, priority="no") == []
    assert all_rows(unodc, RECOMMENDATIONS, q="prosecutors electronic evidence") == []


def test_searches_and_filters_never_reveal_what_the_caller_may_not_read(kenya, unodc_person, ken_person):
    unodc = bearer(unodc_person, "cted:read")
    kenya_id = organization("state:KEN").pk
    # when UNODC searches for the words of Kenya's needs or filters on its State, priority, status or year
    for params in (
        {"q": "passenger data"},
        {"state": kenya_id},
        {"priority": "yes"},
        {"implementation": "open", "assistance": "requested"},
        {"year": 2025, "visit": VisitType.COMPREHENSIVE},
        {"chain": "no_project"},
    ):
        assert all_rows(unodc, RECOMMENDATIONS, **params) == [], params
    # while Kenya's own token finds them by the same words and filters
    ken = bearer(ken_person, "cted:read")
    assert first_words(all_rows(ken, RECOMMENDATIONS, q="passenger data")) == {"Border"}
    assert first_words(all_rows(ken, RECOMMENDATIONS, state=kenya_id, priority="yes")) == {"Border"}
    assert first_words(all_rows(ken, RECOMMENDATIONS, chain="no_project")) == ALL
    assert all_rows(ken, RECOMMENDATIONS, chain="funded") == []


def test_a_row_says_what_the_search_page_says(kenya, cted_person):
    row = bearer(cted_person, "cted:read").get(recommendation_url(kenya.priority)).json()
    assert row["is_priority"] is True
    assert row["state"]["id"] == organization("state:KEN").pk
    assert row["assistance_status"] == "requested"
    assert row["implementation_status"] == "open"
    assert row["has_project"] is False
    assert row["is_funded"] is False
    assessment = bearer(cted_person, "cted:read").get(assessment_url(kenya.assessment)).json()
    assert assessment["report"] is None
    assert assessment["web_url"] == reverse("cted:assessment", args=[kenya.assessment.pk])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "²"}, "state"),
        ({"state": "abc"}, "state"),
        ({"theme": "99999999999999999999"}, "theme"),
        ({"year": "99999"}, "year"),
        ({"priority": "maybe"}, "priority"),
        ({"chain": "everything"}, "chain"),
        ({"implementation": "done"}, "implementation"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(ken_person, params, field):
    response = bearer(ken_person, "cted:read").get(RECOMMENDATIONS, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url",
    [
        RECOMMENDATIONS + "?cursor=not-a-cursor",
        ASSESSMENTS + "?cursor=not-a-cursor",
        ASSESSMENTS + "99999999999999999999999/",
        RECOMMENDATIONS + "²/",
        ASSESSMENTS + "abc/",
    ],
)
def test_bad_addresses_are_404s_not_errors(ken_person, url):
    assert bearer(ken_person, "cted:read").get(url).status_code == 404


def test_a_token_without_the_cted_scope_reads_nothing(kenya, ken_person):
    assert bearer(ken_person, "library:read").get(RECOMMENDATIONS).status_code == 403


def test_the_cursor_walks_every_row_once(kenya, cted_person):
    rows = all_rows(bearer(cted_person, "cted:read"), RECOMMENDATIONS, page_size=1)
    assert sorted(row["id"] for row in rows) == sorted(r.pk for r in Recommendation.objects.all())


def _more_assessments(cted_person, ken_person, count: int) -> None:
    for number in range(count):
        assessment = services.record_assessment(
            state=organization("state:KEN"), visit_type=VisitType.FOLLOW_UP,
            visit_start=date(2020 + number % 5, 1 + number, 1), by=cted_person,
        )  # fmt: skip
        services.add_recommendation(assessment, text=f"Need {number}", is_priority=True, by=cted_person)
        services.set_release_level(assessment, level=ReleaseLevel.FULL, by=ken_person)
        services.grant_consent(
            assessment, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNODC"),
            by=ken_person,
        )  # fmt: skip


@pytest.mark.parametrize("reader", ["ken_person", "unodc_person"])
def test_a_page_costs_the_same_queries_whatever_its_length(
    request, kenya, cted_person, ken_person, unodc_person, reader
):
    share_with_unodc(kenya, ken_person)
    client = bearer(request.getfixturevalue(reader), "cted:read")
    few = (queries_of(client, ASSESSMENTS), queries_of(client, RECOMMENDATIONS))
    _more_assessments(cted_person, ken_person, 6)
    assert len(all_rows(client, ASSESSMENTS)) == 7
    assert (queries_of(client, ASSESSMENTS), queries_of(client, RECOMMENDATIONS)) == few
