"""The Appeal's dashboards as their readers meet them: every figure of a cycle's dashboard leads to the flows
behind it, whose own figures are the same to the cent; the search of appeal projects; trends across cycles; a
donor's page and the status of its pledges, seen by its own people only; the downloads with their HXL row;
bad filters answered with a message; query counts that do not grow with the ledger."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeal import selectors, services
from appeal.models import Priority, Stage
from tests.appeal.conftest import appeal_for, flow
from tests.conftest import organization, signed_in
from tests.pages import messages, options, parse, table, words
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db

D = Decimal
TOTALS = re.compile(
    r"Pledged, not yet committed US\$ ([\d,.]+) Committed, not yet paid US\$ ([\d,.]+) "
    r"Paid US\$ ([\d,.]+) Funding US\$ ([\d,.]+)"
)


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def ledger_figures(client, url: str) -> tuple[Decimal, ...]:
    """The figures the ledger page at ``url`` gives for its entries."""
    found = TOTALS.search(words(client.get(url)))
    assert found, url
    return tuple(money(value) for value in found.groups())


def figure_links(page):
    """(table caption, row label, {stage: (figure, url)}) for every row of every dashboard table."""
    for found in parse(page).all("table"):
        caption = found.first("caption").text()
        for row in found.all("tr"):
            cells = row.all("td")
            stages = {}
            for cell in cells:
                link = cell.first("a")
                if link is None or "/flows/" not in link.attrs["href"]:
                    continue
                stage = parse_qs(urlsplit(link.attrs["href"]).query)["stage"][0]
                stages[stage] = (money(link.text()), link.attrs["href"])
            if stages:
                yield caption, row.first("th").text(), stages


def test_every_figure_of_the_dashboard_opens_flows_with_the_same_figures(world, secretariat):
    # given the hand-computed ledger, when the Secretariat opens the cycle's dashboard
    client = signed_in(secretariat)
    page = client.get(f"/appeal/{world.cycle.pk}/")
    assert page.status_code == 200
    checked = 0
    for caption, label, stages in figure_links(page):
        # then each row's stage figures open the ledger, which counts the same entries the same way
        assert set(stages) == {"pledge", "commitment", "paid", "funding"}, (caption, label)
        pledged, committed, paid, funding = (
            stages[name][0] for name in ("pledge", "commitment", "paid", "funding")
        )
        assert ledger_figures(client, stages["pledge"][1]) == (pledged, committed, paid, funding), (
            caption,
            label,
        )
        checked += 1
    # every table's every row, totals included: 3 top unfunded, 4 priorities, 3 pillars, 2 entities + total,
    # 3 donors + total
    assert checked == 3 + 4 + 3 + 3 + 4


def test_the_dashboard_figures_are_the_hand_computed_ones(world, secretariat):
    page = signed_in(secretariat).get(f"/appeal/{world.cycle.pk}/")
    text = words(page)
    for figure in ("US$ 1,900,000.00", "US$ 777,889.75", "40.9 %", "US$ 194,666.66"):
        assert figure in text
    priorities = table(page, "Requirements and funding by thematic priority").text()
    # border security: requirement, pledged, committed, paid, funding, still to find, coverage
    assert (
        "Border security management 1,500,000.00 144,666.66 122,008.34 275,825.00 397,833.34 "
        "1,102,166.66 26.5 %" in priorities
    )
    unfunded = table(page, "The thematic priorities with the most still to find").text()
    assert unfunded.index("Border security") < unfunded.index("Criminal justice") < unfunded.index("Victims")
    donors = table(page, "Funding by donor").text()
    # the largest donor first: Kenya 397,938.45, Norway 367,251.30, Japan 12,700
    assert donors.index("Kenya") < donors.index("Norway") < donors.index("Japan")


def test_a_stage_link_lists_the_entries_of_that_stage(world, secretariat):
    kenya = organization("state:KEN").pk
    page = signed_in(secretariat).get(f"/appeal/{world.cycle.pk}/flows/?donor={kenya}&stage=commitment")
    rows = table(page, "Entries of the ledger").all("tr")[1:]
    stages = {row.all("td")[1].text() for row in rows}
    assert stages == {"Commitment"}
    # the commitment to the border project, its adjustment and the unearmarked one
    assert len(rows) == 3


def test_a_focal_point_sees_no_pledge_of_another_donor_in_any_figure(world, unodc_person):
    # given UNODC's person, who is no donor: Kenya's and Norway's pledges are theirs and the Secretariat's
    client = signed_in(unodc_person)
    page = client.get(f"/appeal/{world.cycle.pk}/")
    assert "US$ 0.00" in words(page)  # pledged, not yet committed: none visible
    listed = words(client.get(f"/appeal/{world.cycle.pk}/flows/?stage=pledge"))
    assert "No flow you may see here." in listed


def test_a_donors_people_see_the_status_of_their_pledges_and_nobody_else(world, ken_person, unodc_person):
    kenya = organization("state:KEN").pk
    own = signed_in(ken_person).get(f"/appeal/donors/{kenya}/")
    status = table(own, "Each pledge by appeal cycle and earmark").text()
    # pledged 542,500; committed 434,000 − 36,166.66; paid 275,825: partly committed
    assert "Border security 2021–2022 542,500.00 397,833.34 275,825.00 Partly committed" in status
    cycles = table(own, "Funding by appeal cycle").text()
    assert "2021–2022 144,666.66 122,113.45 275,825.00 397,938.45" in cycles
    # another entity's person sees the commitments and payments, not the pledge nor its status
    other = signed_in(unodc_person).get(f"/appeal/donors/{kenya}/")
    assert "What became of its pledges" not in words(other)
    assert "2021–2022 0.00 122,113.45 275,825.00 397,938.45" in table(other, "Funding by appeal cycle").text()


def test_a_pledge_paid_in_full_says_so(world, secretariat, ken_person):
    # given Kenya pays the rest of what it pledged to the border project (a reason: above its commitment)
    flow(
        secretariat, world.cycle, "state:KEN", Stage.PAID, "266675", to=world.border,
        reason="Paid the rest of the pledge.",
    )  # fmt: skip
    page = signed_in(ken_person).get(f"/appeal/donors/{organization('state:KEN').pk}/")
    assert "542,500.00 397,833.34 542,500.00 Paid in full" in table(page, "Each pledge").text()


def test_the_search_finds_appeal_projects_by_country_region_priority_and_entity(
    world, unodc_person, cted_person
):
    # given the border project is for Kenya in Africa and the victims' one global
    project = world.border.project
    project.countries, project.regions = ["KEN"], ["002"]
    project.save()
    from projects import indexing

    indexing.refresh([project.pk])
    client = signed_in(unodc_person)

    def titles(query: str) -> list[str]:
        page = client.get(f"/appeal/projects/?{query}")
        assert page.status_code == 200
        rows = table(page, "Appeal projects").all("tr")[1:]
        return [row.all()[0].text().split(" Joint")[0] for row in rows]

    assert titles("country=KEN") == ["Border security"]
    assert "Africa, Kenya" in table(client.get("/appeal/projects/?country=KEN"), "Appeal projects").text()
    assert titles("region=002") == ["Border security"]
    assert titles(f"priority={Priority.VICTIMS}") == ["Victims' support"]
    undp = organization("entity:UNDP").pk
    assert titles(f"entity={undp}") == ["Border security"]  # a partner implements it too
    assert titles(f"lead={organization('entity:CTED').pk}") == ["Victims' support"]
    # the lists offer the entities of the appeal projects found: UNDP leads none
    lead_options = options(client.get("/appeal/projects/"), "Lead entity")
    assert "UNDP" not in lead_options.values()
    assert "UNDP" in options(client.get("/appeal/projects/"), "Implementing entity").values()
    # and an unpublished project is found by its lead entity only
    services.change_appeal_project(world.victims, is_published=False, by=cted_person)
    assert titles(f"cycle={world.cycle.pk}") == ["Border security"]


def test_the_search_gives_each_project_its_coverage(world, secretariat):
    page = signed_in(secretariat).get(f"/appeal/projects/?cycle={world.cycle.pk}")
    text = table(page, "Appeal projects").text()
    assert "1,500,000.00 397,833.34 26.5 %" in text
    assert "400,000.00 300,000.00 75.0 %" in text


def test_trends_show_each_cycle(world, secretariat):
    page = signed_in(secretariat).get("/appeal/trends/")
    assert "2021–2022 1,900,000.00 369,364.75 408,525.00 777,889.75 1,122,110.25 40.9 %" in (
        table(page, "Requirements and funding by appeal cycle").text()
    )


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_ledger_downloads_as_the_page_filters_it_with_an_hxl_row(world, secretariat):
    kenya = organization("state:KEN").pk
    response = signed_in(secretariat).get(
        f"/appeal/{world.cycle.pk}/flows/export/?donor={kenya}&format=csv&hxl=1"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="appeal-flows-2021-2022-')
    header, hxl, *rows = read_csv(response)
    assert header[:4] == ["Entry", "Appeal cycle", "Date", "Donor"]
    assert hxl[:4] == ["#meta+id", "#meta+appeal", "#date", "#org+funder+name"]
    assert {row[3] for row in rows} == {"Kenya"}
    assert len(rows) == 5  # pledge, commitment, its adjustment, payment, unearmarked commitment
    adjustment = next(row for row in rows if row[14])
    assert adjustment[5:9] == ["-33333.33", "EUR", "1.085", "-36166.66"]
    assert adjustment[14] == str(world.flows["ken commitment"].pk)


def test_a_dashboard_table_downloads_with_its_total(world, secretariat):
    response = signed_in(secretariat).get(f"/appeal/{world.cycle.pk}/export/?by=priority&format=csv&hxl=1")
    header, hxl, *rows = read_csv(response)
    assert (header[0], hxl[0]) == ("Thematic priority", "#sector+name")
    assert "#value+funding+pct" in hxl
    assert [
        "Border security management",
        "1500000.00",
        "144666.66",
        "122008.34",
        "275825.00",
        "397833.34",
        "26.5",
    ] in rows
    assert (rows[-1][0], rows[-1][5]) == ("Total of the cycle", "777889.75")
    xlsx = signed_in(secretariat).get(f"/appeal/{world.cycle.pk}/export/?by=donor&format=xlsx")
    assert (xlsx.status_code, xlsx.content[:2]) == (200, b"PK")


@pytest.mark.parametrize("query", ["format=pdf", "by=country", "format=CSV", "by=../donor"])
def test_a_download_not_understood_is_a_400_page(world, secretariat, query):
    response = signed_in(secretariat).get(f"/appeal/{world.cycle.pk}/export/?{query}")
    assert response.status_code == 400
    assert "The download asked for is not one there is" in words(response)


def test_bad_filters_are_dropped_with_a_message(world, secretariat):
    page = signed_in(secretariat).get(
        f"/appeal/{world.cycle.pk}/flows/?donor=²&since=9999-99-99&pillar=-1&priority=nothing&stage=paid"
    )
    assert page.status_code == 200
    assert any("not understood" in message for message in messages(page))
    rows = table(page, "Entries of the ledger").all("tr")[1:]
    assert len(rows) == 5  # every paid entry (Norway's reversal too), the bad filters ignored


def test_pages_take_a_constant_number_of_queries_whatever_the_ledger(world, secretariat):
    client = signed_in(secretariat)
    urls = [
        f"/appeal/{world.cycle.pk}/",
        f"/appeal/{world.cycle.pk}/flows/",
        "/appeal/projects/",
        "/appeal/trends/",
        f"/appeal/donors/{organization('state:NOR').pk}/",
    ]

    for url in urls:  # the first visit reads what later visits find cached (session, registry names)
        client.get(url)

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    # when the ledger grows by entries of new donors, earmarks and projects
    later = services.open_cycle(name="2023–2024", first_year=2023, last_year=2024, by=secretariat)
    for donor in ("state:JPN", "state:DEU", "state:FRA"):
        flow(secretariat, world.cycle, donor, Stage.PLEDGE, "1000", to=world.victims)
        flow(secretariat, world.cycle, donor, Stage.COMMITMENT, "900", priority="cft")
        flow(secretariat, world.cycle, "state:NOR", Stage.COMMITMENT, "100", pillar=3)
        flow(secretariat, later, "state:NOR", Stage.COMMITMENT, "100")
    # then no page reads more
    assert counts() == before


def test_an_organisation_page_leads_to_its_part_in_the_appeal(world, unodc_person):
    client = signed_in(unodc_person)
    kenya = words(client.get(f"/organisations/{organization('state:KEN').pk}/"))
    assert "In the Multi-Year Appeal Its pledges, commitments and paid contributions" in kenya
    unodc = words(client.get(f"/organisations/{organization('entity:UNODC').pk}/"))
    assert "The appeal project it leads" in unodc
    # an organisation with no part in it says nothing of the Appeal
    assert "In the Multi-Year Appeal" not in words(
        client.get(f"/organisations/{organization('entity:WHO').pk}/")
    )


def test_a_member_states_page_leads_to_the_appeal_projects_for_it_that_the_reader_may_see(
    world, unodc_person, cted_person, member
):
    # given two appeal projects for Somalia: UNODC's published, and CTED's not yet (CTED alone sees it)
    appeal_for(world.cycle, "Somali coastguard", "entity:UNODC", unodc_person, [Priority.BORDER_SECURITY],
               {2021: "10000"}, countries=["SOM"])  # fmt: skip
    services.add_appeal_project(
        cycle=world.cycle, project=make_project("Somali prisons", lead="entity:CTED", countries=["SOM"]),
        priorities=[Priority.CRIMINAL_JUSTICE], by=cted_person, is_published=False,
    )  # fmt: skip
    somalia = f"/organisations/{organization('state:SOM').pk}/"
    # then CTED's people count both, UNDP's one, each linked to the Appeal's list filtered on Somalia
    cted_page = signed_in(cted_person).get(somalia)
    assert "The 2 appeal projects for Somalia, with their requirements and funding" in words(cted_page)
    undp_page = signed_in(member).get(somalia)
    assert "The appeal project for Somalia, with its requirements and funding" in words(undp_page)
    assert 'href="/appeal/projects/?country=SOM"' in undp_page.content.decode()
    # and the list behind the link shows UNDP exactly that one
    listed = words(signed_in(member).get("/appeal/projects/?country=SOM"))
    assert "Somali coastguard" in listed
    assert "Somali prisons" not in listed


def test_the_dashboard_lists_the_largest_donors_and_the_download_all(world, secretariat, monkeypatch):
    monkeypatch.setattr(selectors, "TOP_DONORS", 2)
    page = signed_in(secretariat).get(f"/appeal/{world.cycle.pk}/")
    donors = table(page, "Funding by donor").text()
    assert "Kenya" in donors
    assert "Norway" in donors
    assert "Japan" not in donors
    assert "The largest 2 of 3 donors; the download has them all." in words(page)
    rows = read_csv(signed_in(secretariat).get(f"/appeal/{world.cycle.pk}/export/?by=donor"))
    assert [row[0] for row in rows[1:]] == ["Kenya", "Norway", "Japan", "Total of the cycle"]


def test_a_projects_funding_opens_its_entries_named_on_the_ledger(world, secretariat):
    page = signed_in(secretariat).get(
        f"/appeal/{world.cycle.pk}/flows/?project={world.victims.pk}&stage=funding"
    )
    assert "Earmarked to the appeal project Victims' support." in words(page)
    rows = table(page, "Entries of the ledger").all("tr")[1:]
    assert {row.all("td")[0].text() for row in rows} == {"Norway"}
    assert len(rows) == 4  # the commitment, two payments and the reversal of one
    # the hidden field keeps the project when the form is sent again
    assert parse(page).first("input", name="project").attrs["value"] == str(world.victims.pk)
