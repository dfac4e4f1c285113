"""Exports of the project list: CSV and XLSX with names (not ids) and dollars, the IATI activity file read
back with an XML parser, the list's filters and audience honoured, a bad format, the cap, the security log
and a constant number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from defusedxml import ElementTree
from openpyxl import load_workbook

from core.models import SecurityEvent, SecurityEventKind
from directory.access import Visibility
from projects import exports
from tests.conftest import count_queries, organization, signed_in
from tests.pages import links, words
from tests.projects.conftest import make_project, theme

pytestmark = pytest.mark.django_db

TODAY = date.today()


def csv_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the accents right
    return list(csv.DictReader(io.StringIO(text[1:])))


def activities(response) -> list:
    root = ElementTree.fromstring(response.content)
    assert root.tag == "iati-activities"
    assert root.get("version") == "2.03"
    return root.findall("iati-activity")


def by_identifier(response) -> dict:
    return {activity.findtext("iati-identifier"): activity for activity in activities(response)}


@pytest.fixture
def portfolio() -> dict:
    """UNODC's project in euros for Kenya and Niger; a completed global one of UNODC; a CTED project for
    Mali; and a CTED project for CTED only."""
    euros = make_project(
        "=HYPERLINK(\"http://evil.example\")Border security in East Africa", code="UNODC-BS-1",
        iati_identifier="XM-DAC-41114-BS-1", countries=["KEN", "NER"], pillars=[2],
        themes=["Gender", "Human rights"], groups=[8], donors=["state:NOR"], partners=["entity:CTED"],
        implementing_partners="Interpol, IGAD",
        status="ongoing", start=date(2024, 1, 1), end=date(2030, 12, 31), currency="EUR", budget="1000000",
        usd_rate="1.085", rate_date=date(2024, 1, 2), sdg_targets=["16.4", "16.a"],
        description="Training border officers.", expected_results="Fewer illicit crossings.",
    )  # fmt: skip
    closed = make_project(
        "Global victims' network", is_global=True, status="completed", start=date(2019, 1, 1),
        end=date(2021, 6, 30), budget="250000",
    )  # fmt: skip
    mali = make_project(
        "Prison management in Mali", lead="entity:CTED", countries=["MLI"], regions=["002"],
        status="pipeline", start=TODAY + timedelta(days=30), end=TODAY + timedelta(days=400), budget="5",
    )  # fmt: skip
    hidden = make_project(
        "CTED internal assessment plan", lead="entity:CTED", visibility=Visibility.OWNER, countries=["KEN"]
    )
    return {"euros": euros, "closed": closed, "mali": mali, "hidden": hidden}


def test_the_csv_holds_the_filtered_list_with_names_and_dollars(unodc_person, portfolio):
    # given UNODC's focal point on the list filtered by lead entity
    client = signed_in(unodc_person)
    unodc = organization("entity:UNODC").pk
    # when they export it as CSV
    response = client.get(f"/projects/export/?lead={unodc}&format=csv")
    # then they get a file of UNODC's two projects (latest start first, as the list shows them)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="projects-')
    assert response["X-Export-Count"] == "2"
    rows = csv_rows(response)
    assert [row["Code"] for row in rows] == ["UNODC-BS-1", ""]
    first = rows[0]
    # with every relation named, never an id, and the budget in euros and in dollars (1,000,000 × 1.085)
    assert (
        first["Title"] == '\'=HYPERLINK("http://evil.example")Border security in East Africa'
    )  # neutralised
    assert first["Lead entity"] == "UNODC"
    assert first["Partner entities"] == "CTED"
    assert first["Implementing partners"] == "Interpol, IGAD"
    assert first["Strategy pillars"].startswith("Pillar II: ")
    assert first["Working Groups"].startswith("WG 8: ")
    assert first["Themes"] == "Gender; Human rights"
    assert first["Countries"] == "Kenya; Niger"
    assert first["Donors"] == "Norway"
    assert first["SDG targets"] == "16.4; 16.a"
    assert (first["Start"], first["End"], first["Status"]) == ("2024-01-01", "2030-12-31", "Ongoing")
    assert (first["Budget"], first["Currency"], first["US dollars for one unit"]) == (
        "1000000.00",
        "EUR",
        "1.08500000",
    )
    assert (first["Date of the rate"], first["Budget in US dollars"]) == ("2024-01-02", "1085000.00")
    assert first["Page"] == f"http://testserver/projects/{portfolio['euros'].pk}/"
    assert rows[1]["Global"] == "Yes"
    assert rows[1]["Budget in US dollars"] == "250000.00"


def test_the_xlsx_has_the_same_table_and_says_what_was_exported(unodc_person, portfolio):
    # when UNODC's focal point exports the projects for Kenya as XLSX
    response = signed_in(unodc_person).get("/projects/export/?country=KEN&format=xlsx")
    # then the workbook holds the one project they may see for Kenya, with the same columns as the CSV
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    header, *rows = list(workbook.worksheets[0].values)
    assert list(header) == exports.columns()
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Title"].endswith("Border security in East Africa")
    assert row["Countries"] == "Kenya; Niger"
    assert row["Budget in US dollars"] == "1085000.00"
    # and the second sheet says which filters made it
    about = dict(workbook.worksheets[1].values)
    assert about["Filters"] == "country=KEN"
    assert about["Projects"] == "1"


def test_the_iati_file_reads_back_with_codes_dates_countries_and_budgets(unodc_person, portfolio):
    # when UNODC's focal point exports every project they may see as IATI XML
    response = signed_in(unodc_person).get("/projects/export/?format=iati")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"].endswith('.xml"')
    found = by_identifier(response)
    closed, mali = portfolio["closed"], portfolio["mali"]
    # then an XML parser reads one activity per project: the own identifier where there is one, otherwise
    # one derived from the platform's prefix and the project's id
    assert set(found) == {"XM-DAC-41114-BS-1", f"ZZ-COMPACT-{closed.pk}", f"ZZ-COMPACT-{mali.pk}"}
    euros = found["XM-DAC-41114-BS-1"]
    assert euros.get("default-currency") == "EUR"
    reporting = euros.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("secondary-reporter")) == ("ZZ-COMPACT", "1")
    assert euros.findtext("title/narrative").endswith("Border security in East Africa")
    descriptions = {d.get("type"): d.findtext("narrative") for d in euros.findall("description")}
    assert descriptions == {"1": "Training border officers.", "2": "Fewer illicit crossings."}
    roles = [
        (org.get("role"), org.get("type"), org.findtext("narrative"))
        for org in euros.findall("participating-org")
    ]
    unodc, cted = organization("entity:UNODC").name, organization("entity:CTED").name
    assert roles == [
        ("2", "40", unodc), ("4", "40", unodc), ("4", "40", cted),
        ("4", None, "Interpol"), ("4", None, "IGAD"), ("1", "10", organization("state:NOR").name),
    ]  # fmt: skip
    assert euros.find("other-identifier").attrib == {"ref": "UNODC-BS-1", "type": "A1"}
    # statuses and dates: ongoing (2) started (actual start, 2) with a planned end (3)
    assert euros.find("activity-status").get("code") == "2"
    assert [(d.get("type"), d.get("iso-date")) for d in euros.findall("activity-date")] == [
        ("2", "2024-01-01"),
        ("3", "2030-12-31"),
    ]
    # countries in ISO 3166-1 alpha-2, sharing 100 %
    assert euros.find("activity-scope").get("code") == "3"
    countries = [
        (c.get("code"), c.get("percentage"), c.findtext("narrative"))
        for c in euros.findall("recipient-country")
    ]
    assert countries == [("KE", "50.00", "Kenya"), ("NE", "50.00", "Niger")]
    sectors = [
        (s.get("vocabulary"), s.findtext("narrative"), s.get("percentage")) for s in euros.findall("sector")
    ]
    assert sectors == [("98", "Gender", "50.00"), ("98", "Human rights", "50.00")]
    assert euros.find("sector").get("code") == str(theme("Gender").pk)
    assert [(t.get("vocabulary"), t.get("code")) for t in euros.findall("tag")] == [
        ("3", "16.4"),
        ("3", "16.a"),
    ]
    # the budget in its own currency, valued at the date of its rate, over the project's period
    budget = euros.find("budget")
    assert (budget.get("type"), budget.get("status")) == ("1", "1")
    assert budget.find("period-start").get("iso-date") == "2024-01-01"
    assert budget.find("period-end").get("iso-date") == "2030-12-31"
    value = budget.find("value")
    assert (value.text, value.get("currency"), value.get("value-date")) == ("1000000.00", "EUR", "2024-01-02")
    # a completed global project: status 3, actual start and end, DAC region 998, scope global, in dollars
    done = found[f"ZZ-COMPACT-{closed.pk}"]
    assert done.find("activity-status").get("code") == "3"
    assert [d.get("type") for d in done.findall("activity-date")] == ["2", "4"]
    assert done.find("activity-scope").get("code") == "1"
    region = done.find("recipient-region")
    assert (region.get("code"), region.get("vocabulary"), region.get("percentage")) == ("998", "1", None)
    assert done.find("budget/value").get("value-date") == "2019-01-01"
    assert done.findtext("description/narrative") == "Global victims' network"  # IATI requires a description
    # a pipeline project: status 1, planned dates only (IATI forbids actual dates in the future), a country
    # and a UN M49 region sharing 100 %
    pipeline = found[f"ZZ-COMPACT-{mali.pk}"]
    assert pipeline.find("activity-status").get("code") == "1"
    assert [d.get("type") for d in pipeline.findall("activity-date")] == ["1", "3"]
    assert [(e.tag, e.get("code"), e.get("vocabulary"), e.get("percentage")) for e in pipeline.iter()
            if e.tag.startswith("recipient-")] == [
        ("recipient-country", "ML", None, "50.00"), ("recipient-region", "002", "2", "50.00"),
    ]  # fmt: skip


def test_a_cancelled_project_and_shares_of_three(unodc_person):
    # given a cancelled project for three countries and no dates
    make_project("Cancelled", status="cancelled", countries=["KEN", "UGA", "TZA"])
    # when exported as IATI
    (activity,) = activities(signed_in(unodc_person).get("/projects/export/?format=iati"))
    # then its status is 5, it has no invented date nor budget, and the three shares add up to 100
    assert activity.find("activity-status").get("code") == "5"
    assert activity.findall("activity-date") == []
    assert activity.find("budget") is None
    shares = [c.get("percentage") for c in activity.findall("recipient-country")]
    assert shares == ["33.33", "33.33", "33.34"]


def test_another_organisations_owner_only_project_is_in_no_export(ken_person, portfolio):
    # given Kenya's focal point, who may not see CTED's internal project (for Kenya too)
    client = signed_in(ken_person)
    # then no format holds it, even filtered by its own country
    for query in (
        "format=csv",
        "format=csv&country=KEN",
        "format=xlsx&country=KEN",
        "format=iati&country=KEN",
    ):
        response = client.get(f"/projects/export/?{query}")
        assert response.status_code == 200
        assert b"CTED internal assessment plan" not in response.content, query
    assert [row["Title"] for row in csv_rows(client.get("/projects/export/?country=KEN"))] == [
        '\'=HYPERLINK("http://evil.example")Border security in East Africa'
    ]
    identifiers = set(by_identifier(client.get("/projects/export/?format=iati")))
    assert f"ZZ-COMPACT-{portfolio['hidden'].pk}" not in identifiers
    assert len(identifiers) == 3


@pytest.mark.parametrize("asked", ["pdf", "CSV", "x" * 300, "<script>"])
def test_a_format_not_offered_is_a_page_that_says_which_are(unodc_person, asked):
    response = signed_in(unodc_person).get("/projects/export/", {"format": asked, "status": "ongoing"})
    assert response.status_code == 400
    assert "This export format is not offered" in words(response)
    offered = [href for _text, href in links(response) if href.startswith("/projects/export/")]
    assert offered == [f"/projects/export/?status=ongoing&format={name}" for name in ("csv", "xlsx", "iati")]
    assert b"<script>" not in response.content.split(b"<main")[1].split(b"</main>")[0]


def test_a_hand_edited_filter_is_ignored_and_said_in_the_file(unodc_person, portfolio):
    response = signed_in(unodc_person).get("/projects/export/?country=kenya&lead=abc&format=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(list(workbook.worksheets[0].values)) == 1 + 3
    assert dict(workbook.worksheets[1].values)["Filters not understood, ignored"] == "country, lead"


def test_an_export_is_capped_and_says_so(unodc_person, monkeypatch):
    for index in range(3):
        make_project(f"Project {index}", start=date(2020 + index, 1, 1))
    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    response = signed_in(unodc_person).get("/projects/export/?format=xlsx")
    assert response["X-Export-Truncated"] == "2"
    workbook = load_workbook(io.BytesIO(response.content))
    assert [row[0] for row in list(workbook.worksheets[0].values)[1:]] == ["Project 2", "Project 1"]
    assert "Only the first 2 projects are exported" in dict(workbook.worksheets[1].values)["Truncated"]


def test_every_export_is_in_the_security_log_without_titles(unodc_person, portfolio):
    signed_in(unodc_person).get("/projects/export/?format=iati&status=ongoing")
    event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
    assert event.user == unodc_person
    assert event.detail == {
        "what": "projects", "format": "iati", "count": 1, "truncated": False,
        "filters": {"status": "ongoing"}, "ignored_filters": [],
    }  # fmt: skip


def test_the_export_needs_a_signed_in_reader(client):
    response = client.get("/projects/export/?format=csv")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("format", ["csv", "xlsx", "iati"])
def test_exports_make_the_same_queries_with_more_projects(unodc_person, format):
    make_project("First", pillars=[1], themes=["Gender"], donors=["state:NOR"], partners=["entity:CTED"])
    client = signed_in(unodc_person)
    url = f"/projects/export/?format={format}&theme={theme('Gender').pk}"
    few = count_queries(client, url)
    for index in range(10):
        make_project(
            f"More {index}", lead="entity:UNDP", pillars=[1, 3], themes=["Gender"], groups=[8],
            donors=["state:JPN", "state:NOR"], partners=["entity:UNODC"], countries=["KEN"],
        )  # fmt: skip
    assert count_queries(client, url) == few
