"""The projects' API (projects/api.py): what a token reads is what its person reads on the projects' pages —
in lists, details, searches and filters — and what it writes goes through the project form and service."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from directory.access import Visibility
from directory.models import Pillar
from library.models import Resource
from projects.models import Project
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import organization
from tests.projects.conftest import make_project, theme

LIST = reverse("api:projects-project-list")
SECRET = "Owner-only border project of UNODC"


def detail(project) -> str:
    return reverse("api:projects-project-detail", args=[project.pk])


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


@pytest.fixture
def owner_only(unodc_person):
    return make_project(
        SECRET, visibility=Visibility.OWNER, countries=["TUV"], pillars=[2], themes=["Gender"],
        donors=["state:NOR"], description="Confidential checkpoints along the lagoon.", start="2024-01-01",
    )  # fmt: skip


@pytest.fixture
def for_everyone(unodc_person):
    return make_project(
        "Victims' associations", countries=["KEN"], pillars=[1], budget="100000", currency="EUR",
        usd_rate="1.1", rate_date="2024-01-02", start="2024-02-01",
    )  # fmt: skip


def test_a_token_reads_what_its_person_reads_and_nothing_else(
    owner_only, for_everyone, unodc_person, ken_person
):
    unodc, kenya = bearer(unodc_person, "projects:read"), bearer(ken_person, "projects:read")
    assert titles(all_rows(unodc, LIST)) == {SECRET, for_everyone.title}
    assert titles(all_rows(kenya, LIST)) == {for_everyone.title}
    assert unodc.get(detail(owner_only)).status_code == 200
    hidden, missing = kenya.get(detail(owner_only)), kenya.get(detail(Project(pk=owner_only.pk + 1000)))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()  # the same answer for "not yours" and "not there"


def test_the_budget_reads_as_the_page_shows_it(for_everyone, ken_person):
    body = bearer(ken_person, "projects:read").get(detail(for_everyone)).json()
    assert (body["budget"], body["currency"], body["budget_usd"]) == (100000, "EUR", 110000)
    assert (Decimal(str(body["usd_rate"])), body["rate_date"]) == (Decimal("1.1"), "2024-01-02")
    assert body["owner"]["acronym"] == "UNODC"
    assert body["beneficiaries"] == ["Kenya"]
    assert [pillar["number"] for pillar in body["pillars"]] == [1]


@pytest.mark.parametrize(
    "params",
    [
        {"country": "TUV"},
        {"lead": "entity:UNODC"},
        {"pillar": 2},
        {"theme": "Gender"},
        {"donor": "state:NOR"},
        {"year": 2024},
        {"status": "ongoing"},
        {"q": "Confidential checkpoints lagoon"},
    ],
)
def test_filters_and_searches_never_reveal_what_the_caller_may_not_read(
    owner_only, unodc_person, ken_person, params
):
    # given the filter values of UNODC's owner-only project (its country, lead, pillar, theme, donor, year...)
    params = dict(params)
    if "lead" in params or "donor" in params:
        name = "lead" if "lead" in params else "donor"
        params[name] = organization(params[name]).pk
    if "theme" in params:
        params["theme"] = theme(params["theme"]).pk
    if "pillar" in params:
        params["pillar"] = owner_only.pillars.get().pk
    # then Kenya's token finds nothing of it, while UNODC's own finds it by the same filter
    assert SECRET not in titles(all_rows(bearer(ken_person, "projects:read"), LIST, **params))
    assert SECRET in titles(all_rows(bearer(unodc_person, "projects:read"), LIST, **params))


def test_related_resources_are_those_the_reader_may_see(for_everyone, unodc_person, ken_person):
    mine = Resource.objects.create(
        title="UNODC's own notes", resource_type="report", owner=organization("entity:UNODC"),
        visibility=Visibility.OWNER,
    )  # fmt: skip
    shared = Resource.objects.create(
        title="Shared guidance", resource_type="report", owner=organization("entity:UNODC"),
        visibility=Visibility.PLATFORM,
    )  # fmt: skip
    for_everyone.resources.set([mine, shared])
    read = {
        person: [
            r["title"] for r in bearer(person, "projects:read").get(detail(for_everyone)).json()["resources"]
        ]
        for person in (unodc_person, ken_person)
    }
    assert read == {unodc_person: ["Shared guidance", "UNODC's own notes"], ken_person: ["Shared guidance"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pillar": "²"}, "pillar"),
        ({"lead": "abc"}, "lead"),
        ({"year": "99999"}, "year"),
        ({"year": "²"}, "year"),
        ({"country": "kenya"}, "country"),
        ({"status": "finished"}, "status"),
        ({"sdg": "99.99.9"}, "sdg"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(ken_person, params, field):
    response = bearer(ken_person, "projects:read").get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url", [LIST + "?cursor=not-a-cursor", LIST + "99999999999999999999999/", LIST + "²/", LIST + "-1/"]
)
def test_bad_addresses_are_404s_not_errors(ken_person, url):
    assert bearer(ken_person, "projects:read").get(url).status_code == 404


def test_a_page_costs_the_same_queries_whatever_its_length(unodc_person):
    client = bearer(unodc_person, "projects:read")

    def add(number):
        project = make_project(
            f"Project {number}", pillars=[1, 2], themes=["Gender"], donors=["state:NOR"],
            partners=["entity:UNDP"], groups=[2], countries=["KEN", "MLI"], focal_point=unodc_person,
        )  # fmt: skip
        project.resources.add(
            Resource.objects.create(title=f"R {number}", resource_type="report", owner=project.owner)
        )

    add(0)
    few = queries_of(client, LIST)
    for number in range(1, 7):
        add(number)
    assert queries_of(client, LIST) == few
    assert len(client.get(LIST).json()["results"]) == 7


# --- Writes -------------------------------------------------------------------------------------------------


def test_adding_a_project_in_euros_gives_its_dollar_budget(unodc_person):
    client = bearer(unodc_person, "projects:write")
    body = {
        "title": "Border posts", "status": "pipeline", "countries": ["MLI", "NER"], "budget": "200000",
        "currency": "EUR", "usd_rate": "1.08", "rate_date": "2024-03-01", "sdg_targets": "16.4, 16.a",
        "pillars": [Pillar.objects.get(number=2).pk],
    }  # fmt: skip
    response = client.post(LIST, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    created = response.json()
    # stored in UNODC's name (the caller's one organisation, as the page proposes), for everyone signed in
    assert created["owner"]["acronym"] == "UNODC"
    assert created["visibility"] == Visibility.PLATFORM
    assert created["budget_usd"] == 216000
    assert created["sdg_targets"] == ["16.4", "16.a"]
    project = Project.objects.get(pk=created["id"])
    assert project.author == unodc_person
    assert "country:MLI" in project.facet_keys  # indexed by the service: the list's filters find it


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget": "1e999"}, "budget"),
        ({"budget": "²"}, "budget"),
        ({"budget": "-5"}, "budget"),
        ({"budget": "NaN"}, "budget"),
        ({"start": "99999-01-01"}, "start"),
        ({"start": "2024-05-01", "end": "2024-01-01"}, "end"),
        ({"currency": "EUR", "budget": "10"}, "usd_rate"),
        ({"usd_rate": "-1", "currency": "EUR", "budget": "10", "rate_date": "2024-01-01"}, "usd_rate"),
        ({"status": "finished"}, "status"),
        ({"countries": ["ATL"]}, "countries"),
        ({"pillars": ["²"]}, "pillars"),
        ({"sdg_targets": "99.9"}, "sdg_targets"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_with_nothing_stored(unodc_person, changes, field):
    body = {"title": "Refused project", "status": "ongoing", **changes}
    response = bearer(unodc_person, "projects:write").post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Project.objects.filter(title="Refused project").exists()


def test_a_lead_entity_the_caller_may_not_choose_is_refused(ken_person):
    body = {"title": "In UNODC's name", "status": "ongoing", "owner": organization("entity:UNODC").pk}
    response = bearer(ken_person, "projects:write").post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert "owner" in response.json()
    assert not Project.objects.filter(title="In UNODC's name").exists()


def test_a_partial_update_keeps_what_it_does_not_name(for_everyone, unodc_person):
    client = bearer(unodc_person, "projects:write")
    response = client.patch(detail(for_everyone), {"budget": "50000"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["budget_usd"] == 55000  # the service recomputes it at the recorded rate
    for_everyone.refresh_from_db()
    assert (for_everyone.title, for_everyone.currency, for_everyone.countries) == (
        "Victims' associations", "EUR", ["KEN"],
    )  # fmt: skip


def test_a_change_grant_edits_the_figures_but_not_the_audience(for_everyone, undp_admin):
    assign_perm("projects.change_project", undp_admin, for_everyone)
    client = bearer(undp_admin, "projects:write")
    # when UNDP's admin, who holds a "change" grant, renames it and tries to make it UNDP's alone
    body = {"title": "Renamed", "visibility": "owner", "owner": organization("entity:UNDP").pk}
    response = client.patch(detail(for_everyone), body, content_type="application/json")
    # then the title changes, the audience stays (the page's form keeps its fields disabled for them)
    assert response.status_code == 200, response.json()
    for_everyone.refresh_from_db()
    assert (for_everyone.title, for_everyone.visibility) == ("Renamed", Visibility.PLATFORM)
    assert for_everyone.owner == organization("entity:UNODC")


def test_who_may_not_change_it_gets_a_403_or_a_404_and_nothing_changes(for_everyone, owner_only, ken_person):
    client = bearer(ken_person, "projects:write")
    response = client.patch(detail(for_everyone), {"title": "Taken over"}, content_type="application/json")
    assert response.status_code == 403
    assert client.put(detail(for_everyone), {"title": "Taken over", "status": "ongoing"},
                      content_type="application/json").status_code == 403  # fmt: skip
    assert (
        client.patch(detail(owner_only), {"title": "Taken over"}, content_type="application/json").status_code
        == 404
    )
    assert not Project.objects.filter(title="Taken over").exists()


def test_projects_cannot_be_deleted_as_on_the_pages(for_everyone, unodc_person):
    assert bearer(unodc_person, "projects:write").delete(detail(for_everyone)).status_code == 405
    assert Project.objects.filter(pk=for_everyone.pk).exists()


def test_a_read_token_cannot_write(for_everyone, unodc_person):
    client = bearer(unodc_person, "projects:read")
    response = client.patch(detail(for_everyone), {"title": "Changed"}, content_type="application/json")
    assert response.status_code == 403
    assert "projects:write" in response.json()["detail"]
    assert (
        client.post(LIST, {"title": "New", "status": "ongoing"}, content_type="application/json").status_code
        == 403
    )
    assert not Project.objects.filter(title__in=["Changed", "New"]).exists()
