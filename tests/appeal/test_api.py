"""The Appeal's API (appeal/api.py), read only: a token reads the cycles' and the appeal projects' figures as
its person reads them on the Appeal's pages — unpublished appeal projects and other donors' pledges stay out
of lists, details, filters and totals — in a constant number of queries per page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from appeal import services
from appeal.models import AppealCycle, AppealProject, Priority
from directory.access import Visibility
from projects import indexing
from tests.api.support import all_rows, bearer, queries_of
from tests.appeal.conftest import appeal_for
from tests.conftest import organization

CYCLES = reverse("api:appeal-cycle-list")
PROJECTS = reverse("api:appeal-project-list")
D = Decimal


def cycle_url(cycle) -> str:
    return reverse("api:appeal-cycle-detail", args=[cycle.pk])


def project_url(appealed) -> str:
    return reverse("api:appeal-project-detail", args=[appealed.pk])


def money(figures: dict) -> tuple:
    return tuple(
        None if figures[name] is None else D(str(figures[name]))
        for name in ("requirements", "pledged", "committed", "paid", "funding", "coverage")
    )


@pytest.fixture
def unpublished(world, cted_person):
    """CTED withdraws Victims' support (in Kenya) from publication."""
    world.victims.project.countries = ["KEN"]
    world.victims.project.save()
    indexing.refresh([world.victims.project_id])  # as the project's service does: the country filter's keys
    services.change_appeal_project(world.victims, is_published=False, by=cted_person)
    return world


def test_the_figures_are_those_of_the_appeal_pages(world, secretariat):
    client = bearer(secretariat, "appeal:read")
    # then the cycle's and each project's figures are the hand computation's (tests/appeal/test_coverage.py)
    (cycle,) = all_rows(client, CYCLES)
    assert money(cycle["figures"]) == (
        D("1900000.00"), D("194666.66"), D("369364.75"), D("408525.00"), D("777889.75"), D("40.9"),
    )  # fmt: skip
    assert cycle["is_open"] is True
    border = client.get(project_url(world.border)).json()
    assert money(border["figures"]) == (
        D("1500000.00"), D("144666.66"), D("122008.34"), D("275825.00"), D("397833.34"), D("26.5"),
    )  # fmt: skip
    assert [(row["year"], D(str(row["amount_usd"]))) for row in border["requirements"]] == [
        (2021, D("1000000.00")), (2022, D("500000.00")),
    ]  # fmt: skip
    assert (border["title"], border["lead"]["acronym"], border["joint"]) == ("Border security", "UNODC", True)
    assert border["priorities"] == [Priority.BORDER_SECURITY, Priority.CRIMINAL_JUSTICE]


def test_pledges_are_their_donors_and_the_secretariats_only(world, ken_person, unodc_person):
    # Kenya's people see Kenya's pledge outstanding; UNODC's see no pledge at all, in any total
    kenya = all_rows(bearer(ken_person, "appeal:read"), CYCLES)[0]["figures"]
    unodc = all_rows(bearer(unodc_person, "appeal:read"), CYCLES)[0]["figures"]
    assert D(str(kenya["pledged"])) == D("144666.66")
    assert D(str(unodc["pledged"])) == 0
    rows = all_rows(bearer(unodc_person, "appeal:read"), PROJECTS)
    assert {D(str(row["figures"]["pledged"])) for row in rows} == {0}


def test_an_unpublished_appeal_project_is_its_lead_entitys_and_the_secretariats(
    unpublished, unodc_person, cted_person, secretariat
):
    world = unpublished
    unodc = bearer(unodc_person, "appeal:read")
    # then UNODC's people see neither it nor its requirement in a list, a detail or a cycle's total
    assert {row["title"] for row in all_rows(unodc, PROJECTS)} == {"Border security"}
    hidden, missing = unodc.get(project_url(world.victims)), unodc.get(project_url(AppealProject(pk=10**9)))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert D(str(unodc.get(cycle_url(world.cycle)).json()["figures"]["requirements"])) == D("1500000.00")
    # while CTED's people and the Secretariat do
    for person in (cted_person, secretariat):
        client = bearer(person, "appeal:read")
        assert client.get(project_url(world.victims)).status_code == 200
        assert D(str(client.get(cycle_url(world.cycle)).json()["figures"]["requirements"])) == D("1900000.00")


def test_filters_never_reveal_an_unpublished_appeal_project(unpublished, unodc_person, cted_person):
    world = unpublished
    unodc, cted = bearer(unodc_person, "appeal:read"), bearer(cted_person, "appeal:read")
    cted_id = organization("entity:CTED").pk
    for params in (
        {"country": "KEN"}, {"priority": Priority.VICTIMS}, {"q": "Victims"}, {"cycle": world.cycle.pk},
        {"pillar": world.victims.project.pillars.first().pk},
    ):  # fmt: skip
        assert "Victims' support" not in {row["title"] for row in all_rows(unodc, PROJECTS, **params)}
        assert "Victims' support" in {row["title"] for row in all_rows(cted, PROJECTS, **params)}
    # its lead entity is no choice for whoever sees none of its appeal projects: the same 400 as no entity
    for name in ("entity", "lead"):
        refused, unknown = unodc.get(PROJECTS, {name: cted_id}), unodc.get(PROJECTS, {name: 10**9})
        assert refused.status_code == unknown.status_code == 400
        assert refused.json() == unknown.json()


def test_the_matrix_project_is_linked_only_for_its_readers(world, unodc_person, cted_person):
    # given CTED's project made CTED's alone in the matrix, its appeal still published
    world.victims.project.visibility = Visibility.OWNER
    world.victims.project.save()
    # then UNODC's people read the appeal project, without the id of a project they may not open
    assert bearer(unodc_person, "appeal:read").get(project_url(world.victims)).json()["project"] is None
    cted = bearer(cted_person, "appeal:read").get(project_url(world.victims)).json()
    assert cted["project"] == world.victims.project_id


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cycle": "²"}, "cycle"),
        ({"cycle": "abc"}, "cycle"),
        ({"country": "kenya"}, "country"),
        ({"priority": "peace"}, "priority"),
        ({"pillar": "99999"}, "pillar"),
        ({"entity": "-1"}, "entity"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(world, ken_person, params, field):
    response = bearer(ken_person, "appeal:read").get(PROJECTS, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url",
    [
        CYCLES + "?cursor=not-a-cursor", PROJECTS + "?cursor=%C2%B2", CYCLES + "99999999999999999999999/",
        PROJECTS + "²/", CYCLES + "1e3/",
    ],
)  # fmt: skip
def test_bad_addresses_are_404s_not_errors(world, ken_person, url):
    assert bearer(ken_person, "appeal:read").get(url).status_code == 404


def test_a_page_costs_the_same_queries_whatever_its_length(world, secretariat, unodc_person):
    client = bearer(unodc_person, "appeal:read")
    few = queries_of(client, PROJECTS), queries_of(client, CYCLES)
    # given more cycles, each with an appeal project and its requirements
    for year in (2023, 2025, 2027):
        cycle = services.open_cycle(
            name=f"{year}–{year + 1}", first_year=year, last_year=year + 1, by=secretariat
        )
        appeal_for(
            cycle, f"Project of {year}", "entity:UNODC", unodc_person, [Priority.CFT],
            {year: "1000", year + 1: "2000"}, partners=["entity:UNDP"], countries=["KEN"],
        )  # fmt: skip
    assert (queries_of(client, PROJECTS), queries_of(client, CYCLES)) == few
    assert len(all_rows(client, PROJECTS)) == 5


def test_the_appeal_is_read_only_whatever_the_token(world, secretariat):
    client = bearer(secretariat, "appeal:read")
    created = client.post(CYCLES, {"name": "2031–2032", "first_year": 2031, "last_year": 2032})
    assert created.status_code in (403, 405)
    assert client.delete(cycle_url(world.cycle)).status_code in (403, 405)
    assert client.patch(project_url(world.border), {"is_published": False},
                        content_type="application/json").status_code in (403, 405)  # fmt: skip
    assert not AppealCycle.objects.filter(name="2031–2032").exists()
    assert AppealProject.objects.get(pk=world.border.pk).is_published


def test_a_token_without_the_appeal_scope_reads_nothing(world, secretariat):
    client = bearer(secretariat, "projects:read")
    assert client.get(CYCLES).status_code == 403
    assert client.get(project_url(world.border)).status_code == 403
