"""The projects by country: the map's data and its table checked against figures computed by hand (currency
conversion included), the list's filters and audience honoured, the fragment the list loads, and a constant
number of queries."""

from __future__ import annotations

from datetime import date

import pytest

from directory.access import Visibility
from tests.conftest import count_queries, organization, signed_in
from tests.pages import links, parse, table
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped() -> None:
    """A: UNODC, Kenya and Niger, US$ 100; B: UNODC, Kenya, 200 EUR at 1.5; C: CTED, Kenya, US$ 5,000, for
    CTED only; D: CTED, Kenya, no budget, completed; E: UNDP, global, US$ 9."""
    make_project("A", countries=["KEN", "NER"], budget="100", status="ongoing")
    make_project(
        "B", countries=["KEN"], currency="EUR", budget="200", usd_rate="1.5", rate_date=date(2025, 1, 1),
        status="ongoing",
    )  # fmt: skip
    make_project("C", lead="entity:CTED", visibility=Visibility.OWNER, countries=["KEN"], budget="5000")
    make_project("D", lead="entity:CTED", countries=["KEN"], status="completed")
    make_project("E", lead="entity:UNDP", is_global=True, budget="9")


def figures(response) -> dict[str, tuple]:
    assert response.status_code == 200
    return {
        c["iso3"]: (c["name"], c["numeric"], c["projects"], c["usd"]) for c in response.json()["countries"]
    }


def test_the_map_data_adds_up_by_country_in_dollars(unodc_person, mapped):
    # when UNODC's focal point asks for the map's figures
    response = signed_in(unodc_person).get("/projects/map.json")
    # then Kenya has A, B and D (100 + 200 × 1.5 = 400 dollars; D has no budget), Niger has A; CTED's own
    # project is not counted, the global one is on no country; each with its ISO numeric code (the map's)
    assert figures(response) == {
        "KEN": ("Kenya", "404", 3, "400.00"),
        "NER": ("Niger", "562", 1, "100.00"),
    }
    assert response.json()["currency"] == "USD"
    assert response["Cache-Control"] == "private, no-store"
    # and each country links to the list filtered by it
    assert [c["link"] for c in response.json()["countries"]] == ["?country=KEN", "?country=NER"]


def test_cteds_people_count_their_own_project(mapped, make_user):
    cted_person = make_user("c@cted.example", organization=organization("entity:CTED"), full_name="Cy Cted")
    assert figures(signed_in(cted_person).get("/projects/map.json"))["KEN"] == ("Kenya", "404", 4, "5400.00")


def test_the_map_follows_the_lists_filters(unodc_person, mapped):
    client = signed_in(unodc_person)
    unodc = organization("entity:UNODC").pk
    assert figures(client.get("/projects/map.json?status=completed")) == {"KEN": ("Kenya", "404", 1, "0.00")}
    # filtered by Niger: the projects for Niger, A, which is for Kenya too and counts there as well
    assert figures(client.get(f"/projects/map.json?lead={unodc}&country=NER")) == {
        "KEN": ("Kenya", "404", 1, "100.00"),
        "NER": ("Niger", "562", 1, "100.00"),
    }
    # a country's link keeps the other filters and replaces the country
    data = client.get(f"/projects/map.json?lead={unodc}&country=NER").json()
    assert [c["link"] for c in data["countries"]] == [
        f"?lead={unodc}&country=KEN",
        f"?lead={unodc}&country=NER",
    ]
    data = client.get("/projects/map.json?status=ongoing").json()
    assert [c["link"] for c in data["countries"]] == [
        "?status=ongoing&country=KEN",
        "?status=ongoing&country=NER",
    ]
    # a hand-edited filter is ignored, and said
    data = client.get("/projects/map.json?lead=abc").json()
    assert data["ignored"] == ["lead"]
    assert len(data["countries"]) == 2


def test_the_map_page_has_the_same_figures_as_a_table(unodc_person, mapped):
    # when UNODC's focal point opens the projects by country for ongoing projects
    response = signed_in(unodc_person).get("/projects/map/?status=ongoing")
    # then a table names each country (never its code) with its projects and dollars
    grid = table(response, "Projects and budgets (US$) by beneficiary country")
    rows = [
        [cell.text() for cell in row.all() if cell.tag in ("th", "td")]
        for row in grid.first("tbody").all("tr")
    ]
    assert rows == [["Kenya", "2", "400"], ["Niger", "1", "100"]]
    # each country opens the list, filtered by it and by the page's filters
    assert [href for _text, href in links(grid)] == [
        "/projects/?status=ongoing&country=KEN",
        "/projects/?status=ongoing&country=NER",
    ]
    # and the map's canvas reads the same filters' figures, drawn by our own script (no inline script)
    page = parse(response)
    canvas = page.first("canvas")
    assert canvas.attrs["data-source"] == "/projects/map.json?status=ongoing"
    assert canvas.attrs["data-atlas"].endswith("vendor/world-atlas/countries-110m.json")
    assert all(script.attrs.get("src") for script in page.all("script"))


def test_the_list_asks_for_the_figures_and_gets_them_alone(unodc_person, mapped):
    client = signed_in(unodc_person)
    # the list page links to the figures for its own filters (htmx loads them; the link works without it)
    listing = parse(client.get("/projects/?status=ongoing"))
    loader = next(element for element in listing.all("div") if "hx-get" in element.attrs)
    assert loader.attrs["hx-get"] == "/projects/map/?status=ongoing"
    exports = [
        a.attrs["href"] for a in listing.all("a") if a.attrs.get("href", "").startswith("/projects/export/")
    ]
    assert exports == [f"/projects/export/?status=ongoing&format={name}" for name in ("csv", "xlsx", "iati")]
    # and htmx's request gets the map and the table without the page around them
    fragment = client.get("/projects/map/?status=ongoing", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert "HX-Request" in fragment["Vary"]
    assert table(fragment, "Projects and budgets")


def test_nobody_else_sees_an_owner_only_projects_country(ken_person):
    make_project("Hidden", lead="entity:CTED", visibility=Visibility.OWNER, countries=["TUV"], budget="7")
    make_project("Open", countries=["KEN"], budget="1")
    client = signed_in(ken_person)
    assert set(figures(client.get("/projects/map.json"))) == {"KEN"}
    assert figures(client.get("/projects/map.json?country=TUV")) == {}
    assert "Tuvalu" not in client.get("/projects/map/").content.decode()


@pytest.mark.parametrize("url", ["/projects/map.json?status=ongoing", "/projects/map/?status=ongoing"])
def test_the_map_makes_the_same_queries_with_more_projects(unodc_person, mapped, url):
    client = signed_in(unodc_person)
    few = count_queries(client, url)
    for index in range(10):
        make_project(
            f"More {index}", lead="entity:UNDP", countries=["UGA", "TZA", f"{'KEN' if index else 'RWA'}"]
        )
    assert count_queries(client, url) == few
