"""The Member State pages' API (countries/api.py): the States and regional organisations whose page a token's
person may open, and each page's profile and numbers as that person sees them — every count taken among what
they may read (a confidential assessment, an owner-only project are never counted for someone else)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.models import Organization, OrganizationKind
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import organization
from tests.countries.conftest import PRIORITIES

LIST = reverse("api:countries-country-list")

pytestmark = pytest.mark.django_db


def detail(found) -> str:
    return reverse("api:countries-country-detail", args=[found.pk])


def test_the_list_holds_the_pages_the_caller_may_open(compact, unodc_person):
    rows = all_rows(bearer(unodc_person, "countries:read"), LIST, page_size=200)
    kinds = {row["kind"] for row in rows}
    assert kinds <= {OrganizationKind.MEMBER_STATE, OrganizationKind.REGIONAL_ORGANIZATION}
    assert (
        len(rows) == Organization.objects.filter(kind__in=kinds, is_active=True).count()
    )  # every active State and regional organisation, once
    assert organization("state:KEN").pk in {row["id"] for row in rows}
    assert organization("entity:UNODC").pk not in {row["id"] for row in rows}


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        # Kenya's own people: its assessment; not UNDP's owner-only project
        ("ken_person", {"assessments": 1, "recommendations": 1, "projects": 1}),
        # UNDP, whom Kenya shared the assessment with: that, and its own project too
        ("member", {"assessments": 1, "recommendations": 1, "projects": 2}),
        # UNODC, with no consent: neither the assessment nor its recommendation is counted
        ("unodc_person", {"assessments": 0, "recommendations": 0, "projects": 1}),
    ],
)
def test_every_number_on_a_page_counts_only_what_its_reader_may_see(request, world, reader, expected):
    client = bearer(request.getfixturevalue(reader), "countries:read")
    body = client.get(detail(organization("state:KEN"))).json()
    figures = body["figures"]
    assert {name: figures[name] for name in expected} == expected
    assert figures["focal_points"] == 1  # Kamau Kenya, whom the directory shows everyone signed in
    assert figures["support_requests"] == 0
    assert body["profile"]["priorities"] == PRIORITIES
    assert body["profile"]["updated_by"]["full_name"] == "Kamau Kenya"


def test_a_page_without_a_profile_says_null(compact, unodc_person):
    body = bearer(unodc_person, "countries:read").get(detail(organization("state:KEN"))).json()
    assert body["profile"] is None


def test_an_organisation_without_a_country_page_or_a_deactivated_one_is_a_404(compact, unodc_person):
    client = bearer(unodc_person, "countries:read")
    entity = client.get(detail(organization("entity:UNODC")))
    missing = client.get(detail(Organization(pk=10**9)))
    assert entity.status_code == missing.status_code == 404
    assert entity.json() == missing.json()
    Organization.objects.filter(pk=organization("state:KEN").pk).update(is_active=False)
    assert client.get(detail(organization("state:KEN"))).status_code == 404
    assert organization("state:KEN").pk not in {row["id"] for row in all_rows(client, LIST, page_size=200)}


@pytest.mark.parametrize(
    "url", [LIST + "?cursor=not-a-cursor", LIST + "99999999999999999999999/", LIST + "²/", LIST + "abc/"]
)
def test_bad_addresses_are_404s_not_errors(compact, unodc_person, url):
    assert bearer(unodc_person, "countries:read").get(url).status_code == 404


def test_a_page_of_the_list_costs_the_same_queries_whatever_its_length(compact, unodc_person):
    client = bearer(unodc_person, "countries:read")
    assert queries_of(client, LIST, page_size=2) == queries_of(client, LIST, page_size=100)
