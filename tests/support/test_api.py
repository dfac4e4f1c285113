"""The technical-assistance API (support/api.py): a token reads the requests for support its person reads on
the pages — in the list, a request's page, its filters — with the offers, history and only the linked
projects that person may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.access import Visibility
from support import services
from support.models import SupportRequest
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import organization
from tests.projects.conftest import make_project
from tests.support.conftest import ask, theme

LIST = reverse("api:support-request-list")

pytestmark = pytest.mark.django_db


def detail(found) -> str:
    return reverse("api:support-request-detail", args=[found.pk])


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


def test_a_token_reads_the_requests_its_person_reads_and_nothing_else(kenya_request, ken_person, member):
    # given Kenya's request, for Kenya only, addressed to UNODC; and UNDP's focal point, not addressed
    kenya, undp = bearer(ken_person, "support:read"), bearer(member, "support:read")
    assert titles(all_rows(kenya, LIST)) == {kenya_request.title}
    assert all_rows(undp, LIST) == []
    hidden, missing = (
        undp.get(detail(kenya_request)),
        undp.get(detail(SupportRequest(pk=kenya_request.pk + 99))),
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    # and filtering on its owner, theme or status finds nothing for UNDP
    for params in (
        {"organization": organization("state:KEN").pk},
        {"theme": theme().pk, "status": "open"},
    ):
        assert all_rows(undp, LIST, **params) == [], params
        assert titles(all_rows(kenya, LIST, **params)) == {kenya_request.title}


def test_a_request_s_page_shows_offers_history_and_only_the_projects_the_reader_may_see(
    kenya_request, ken_person, unodc_person
):
    # given UNODC's offer, and two linked projects: one UNODC may see, one UNODC may not
    services.offer_support(
        kenya_request, organization=organization("entity:UNODC"), text="Training in 2026.", by=unodc_person
    )
    seen_by_both = make_project("Seen by both", lead="state:KEN", visibility=Visibility.PLATFORM)
    kenya_only = make_project("Kenya's own project", lead="state:KEN", visibility=Visibility.OWNER)
    services.link_projects(kenya_request, projects=[seen_by_both, kenya_only], by=ken_person)
    # then each reader gets the offers and history, and the projects they may see
    body = bearer(unodc_person, "support:read").get(detail(kenya_request)).json()
    assert [offer["organization"]["acronym"] for offer in body["offers"]] == ["UNODC"]
    assert body["offers"][0]["offered_by"]["full_name"] == "Ana Unodc"
    assert body["status"] == "offers"
    assert [project["title"] for project in body["projects"]] == ["Seen by both"]
    assert [entity["acronym"] for entity in body["addressed_entities"]] == ["UNODC"]
    kenya_body = bearer(ken_person, "support:read").get(detail(kenya_request)).json()
    assert {project["title"] for project in kenya_body["projects"]} == {"Seen by both", "Kenya's own project"}
    assert [change["to_status"] for change in kenya_body["history"]][-1] == "offers"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"organization": "²"}, "organization"),
        ({"organization": "abc"}, "organization"),
        ({"theme": "99999999999999999999"}, "theme"),
        ({"status": "lost"}, "status"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(ken_person, params, field):
    response = bearer(ken_person, "support:read").get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url", [LIST + "?cursor=not-a-cursor", LIST + "99999999999999999999999/", LIST + "²/", LIST + "abc/"]
)
def test_bad_addresses_are_404s_not_errors(ken_person, url):
    assert bearer(ken_person, "support:read").get(url).status_code == 404


def test_a_page_costs_the_same_queries_whatever_its_length(ken_person):
    client = bearer(ken_person, "support:read")
    ask(ken_person, title="First", entities=["entity:UNODC"])
    few = queries_of(client, LIST)
    for number in range(6):
        ask(ken_person, title=f"More {number}", entities=["entity:UNODC", "entity:CTED"])
    assert len(all_rows(client, LIST, page_size=2)) == 7
    assert queries_of(client, LIST) == few
