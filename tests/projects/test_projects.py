"""The Matrix of UN projects: adding a project as its lead entity, what a reader sees in the list, its
filters and the entity × pillar matrix (figures checked by hand, currency conversion included), and the
bad input a form must survive."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from directory.access import Visibility
from directory.models import Membership, Pillar
from projects.models import Project
from tests.conftest import count_queries, organization, signed_in, wg
from tests.pages import field_error, links, messages, table, words
from tests.projects.conftest import make_project, theme

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    """The titles of the listed projects, in order."""
    return [text for text, href in links(response) if href.startswith("/projects/") and href[10:-1].isdigit()]


def valid_post(**changes) -> dict:
    data = {
        "title": "Border security in the Sahel",
        "status": "ongoing",
        "start": "2025-01-01",
        "end": "2027-12-31",
        "currency": "USD",
        "budget": "2500000",
        "owner": organization("entity:UNODC").pk,
        "visibility": Visibility.PLATFORM,
        "countries": ["MLI", "NER"],
        "sdg_targets": "16.4, 16.a",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_focal_point_adds_a_project_in_euros_and_reads_it_in_dollars(unodc_person):
    client = signed_in(unodc_person)
    # when UNODC's focal point adds a project budgeted in euros at a recorded rate
    response = client.post(
        "/projects/new/",
        valid_post(
            currency="EUR", budget="1000000", usd_rate="1.0850", rate_date="2025-01-02",
            pillars=[Pillar.objects.get(number=2).pk],
            themes=[theme("Border management and law enforcement").pk],
            focal_point=unodc_person.pk,
        ),
    )  # fmt: skip
    # then it is saved with its dollar value (1,000,000 × 1.085) and its page says both
    project = Project.objects.get(title="Border security in the Sahel")
    assert response.status_code == 302
    assert project.budget_usd == Decimal("1085000.00")
    assert project.sdg_targets == ["16.4", "16.a"]
    page = words(client.get(project.get_absolute_url()))
    assert "1,000,000.00 EUR" in page
    assert "US$ 1,085,000.00 at 1.0850 on 2 Jan 2025" in page
    assert "Mali, Niger" in page.replace(";", ",")
    assert "Everyone signed in to the platform." in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": "2024-12-31"}, "end", "The end comes before the start."),
        ({"budget": "-1"}, "budget", "greater than or equal to 0"),
        ({"budget": "1e309"}, "budget", "no more than 16 digits"),
        ({"budget": "12345678901234567890"}, "budget", "no more than 16 digits"),
        ({"currency": "XYZ"}, "currency", "Select a valid choice."),
        ({"currency": "EUR"}, "usd_rate", "Give the rate to US dollars"),
        ({"currency": "EUR", "usd_rate": "0", "rate_date": "2025-01-01"}, "usd_rate", "more than zero"),
        ({"sdg_targets": "16.x, 18.1"}, "sdg_targets", "Not an SDG target: 16.x, 18.1"),
        ({"start": "9999-01-01", "end": None}, "start", "Give a date up to"),
        ({"countries": ["XXX"]}, "countries", "Select a valid choice."),
        ({"title": "x" * 3000}, "title", "at most 300 characters"),
    ],
)
def test_bad_input_gets_the_form_back_with_a_message_and_saves_nothing(unodc_person, changes, field, message):
    response = signed_in(unodc_person).post("/projects/new/", valid_post(**changes))
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not Project.objects.exists()


def test_the_focal_point_is_one_of_the_lead_entitys_people(unodc_person, member):
    # given a person of UNODC and UNDP, and a colleague of UNDP only
    Membership.objects.create(user=unodc_person, organization=organization("entity:UNDP"), role="focal_point")
    # when a UNODC project names the UNDP colleague as its focal point
    response = signed_in(unodc_person).post("/projects/new/", valid_post(focal_point=member.pk))
    # then the form says why, and nothing is saved
    assert response.status_code == 200
    assert field_error(response, "focal_point") == "The focal point is one of the lead entity's people."
    assert not Project.objects.exists()


def test_a_project_for_its_owner_only_is_nowhere_for_others(unodc_person, ken_person):
    # given a UNODC project for UNODC only, and one for everyone
    private = make_project("Internal pipeline review", visibility=Visibility.OWNER, budget="900")
    make_project("Open project", budget="100", pillars=[1])
    other = signed_in(ken_person)
    # then another organisation's person gets the same 404 as for a project that does not exist
    assert other.get(private.get_absolute_url()).status_code == 404
    assert other.get("/projects/999999/").status_code == 404
    # and finds it in no list, count or matrix cell
    assert listed(other.get("/projects/")) == ["Open project"]
    assert "Internal pipeline review" not in words(other.get("/projects/?q=pipeline"))
    grid = words(table(other.get("/projects/matrix/"), "Projects and budgets"))
    assert "900" not in grid
    # while UNODC's people see both
    assert sorted(listed(signed_in(unodc_person).get("/projects/"))) == [
        "Internal pipeline review",
        "Open project",
    ]


def test_the_matrix_adds_up_by_entity_and_pillar_in_dollars(unodc_person):
    # given two UNODC projects (one under pillars I and II, one in euros) and one of CTED for CTED only
    make_project("A", pillars=[1, 2], budget="100")
    make_project("B", pillars=[2], currency="EUR", budget="200", usd_rate="1.5", rate_date=date(2025, 1, 1))
    make_project("C", lead="entity:CTED", visibility=Visibility.OWNER, pillars=[1], budget="5000")
    make_project("D", lead="entity:CTED", budget="7")
    # when UNODC's focal point opens the matrix
    grid = table(signed_in(unodc_person).get("/projects/matrix/"), "Projects and budgets")
    rows = {
        row.first("th").text(): [cell.text() for cell in row.all("td")]
        for row in grid.first("tbody").all("tr")
    }
    # then each cell holds the number of projects and their dollars (B: 200 EUR × 1.5 = 300 USD); a project
    # counts under each of its pillars and once in the total; CTED's own project is not counted
    assert rows["UNODC"] == ["1 100", "2 400", "—", "—", "—", "2 400"]
    assert rows["CTED"] == ["—", "—", "—", "—", "1 7", "1 7"]
    # and each figure opens the list behind it
    cell_link = f"/projects/?lead={organization('entity:UNODC').pk}&pillar={Pillar.objects.get(number=2).pk}"
    assert cell_link in [href for _text, href in links(grid)]


def test_the_matrix_adds_up_by_country_and_theme_in_dollars(unodc_person):
    # given a UNODC project for Kenya and Uganda on two themes in euros, a CTED one for Kenya without a
    # theme, a global UNDP one, and one for CTED only
    make_project(
        "A", countries=["KEN", "UGA"], themes=["Gender", "Human rights"],
        currency="EUR", budget="1000", usd_rate="1.1", rate_date=date(2025, 1, 1),
    )  # fmt: skip
    make_project("B", lead="entity:CTED", countries=["KEN"], budget="50")
    make_project("C", lead="entity:UNDP", is_global=True, themes=["Gender"], budget="7")
    make_project("D", lead="entity:CTED", visibility=Visibility.OWNER, countries=["KEN"], themes=["Gender"])
    # when UNODC's focal point opens the country view of the matrix
    response = signed_in(unodc_person).get("/projects/matrix/countries/")
    grid = table(response, "Projects and budgets (US$) by beneficiary country and theme")
    themes = [cell.text() for cell in grid.first("thead").all("th")][1:]
    rows = {
        row.first("th").text(): dict(zip(themes, (cell.text() for cell in row.all("td")), strict=True))
        for row in grid.first("tbody").all("tr")
    }
    # then "Global" comes first, then the countries by name; A counts 1,100 US$ (1,000 EUR × 1.1) in each
    # of its countries and themes but once in a country's total; B has no theme; D is not counted
    assert list(rows) == ["Global", "Kenya", "Uganda"]
    assert rows["Kenya"]["Gender"] == "1 1,100"
    assert rows["Kenya"]["Human rights"] == "1 1,100"
    assert rows["Kenya"]["No theme"] == "1 50"
    assert rows["Kenya"]["Total"] == "2 1,150"
    assert rows["Uganda"]["Total"] == "1 1,100"
    assert rows["Global"]["Gender"] == "1 7"
    assert rows["Global"]["Victims of terrorism"] == "—"
    # and each figure opens the list behind it
    hrefs = [href for _text, href in links(grid)]
    assert f"/projects/?country=KEN&theme={theme('Gender').pk}" in hrefs
    assert f"/projects/?region=global&theme={theme('Gender').pk}" in hrefs
    assert "/projects/?country=UGA" in hrefs


def filter_world() -> dict[str, str]:
    """Three projects that differ in every filter; returns each filter's query for the first one only."""
    make_project(
        "Alpha", lead="entity:UNODC", pillars=[1], themes=["Gender"], groups=[8], countries=["KEN"],
        status="ongoing", start=date(2024, 3, 1), end=date(2025, 6, 30), donors=["state:NOR"],
        sdg_targets=["5.2"], description="Mentoring women police officers.",
    )  # fmt: skip
    make_project(
        "Beta", lead="entity:CTED", pillars=[2], themes=["Human rights"], groups=[7], regions=["142"],
        status="pipeline", start=date(2027, 1, 1), donors=["state:JPN"], sdg_targets=["16.4"],
    )  # fmt: skip
    make_project("Gamma", lead="entity:UNDP", is_global=True, status="completed", start=date(2020, 1, 1))
    return {
        "lead": f"lead={organization('entity:UNODC').pk}",
        "pillar": f"pillar={Pillar.objects.get(number=1).pk}",
        "working_group": f"working_group={wg(8).pk}",
        "theme": f"theme={theme('Gender').pk}",
        "country": "country=KEN",
        "status": "status=ongoing",
        "year": "year=2025",
        "donor": f"donor={organization('state:NOR').pk}",
        "sdg": "sdg=5.2",
        "search": "q=police",
    }


def test_every_filter_finds_its_project_only(unodc_person):
    queries = filter_world()
    client = signed_in(unodc_person)
    for name, query in queries.items():
        assert listed(client.get(f"/projects/?{query}")) == ["Alpha"], name
    assert listed(client.get("/projects/?region=142")) == ["Beta"]
    assert listed(client.get("/projects/?region=global")) == ["Gamma"]
    assert listed(client.get("/projects/?year=2024&status=completed")) == []


def test_facets_count_what_the_other_filters_leave(unodc_person):
    filter_world()
    page = words(signed_in(unodc_person).get("/projects/?status=ongoing"))
    # the status facet still offers the other statuses, with their counts; the others count within it
    for offered in ("Pipeline (1)", "Completed (1)", "Ongoing (1)", "Kenya (1)"):
        assert offered in page
    assert "Japan" not in page


@pytest.mark.parametrize("query", ["lead=abc", "year=²", "year=99999", "country=kenya", "sdg=1e309", "q=%00"])
def test_a_hand_edited_filter_is_ignored_with_a_message(unodc_person, query):
    filter_world()
    response = signed_in(unodc_person).get(f"/projects/?{query}")
    assert response.status_code == 200
    if not query.startswith("q="):
        assert any("not understood" in message for message in messages(response))


@pytest.mark.parametrize(
    "url",
    [
        "/projects/?pillar={pillar}",
        "/projects/matrix/",
        "/projects/matrix/countries/",
        "/projects/{project}/",
    ],
)
def test_pages_make_the_same_queries_with_more_projects(unodc_person, url):
    first = make_project(
        "First", pillars=[1, 2], themes=["Gender"], donors=["state:NOR"], budget="1", countries=["KEN"]
    )
    address = url.format(pillar=Pillar.objects.get(number=1).pk, project=first.pk)
    client = signed_in(unodc_person)
    few = count_queries(client, address)
    for index in range(12):
        make_project(
            f"More {index}", lead="entity:UNDP", pillars=[1, 3], themes=["Gender"], donors=["state:JPN"],
            countries=["KEN", "UGA"],
        )  # fmt: skip
    assert count_queries(client, address) == few
