"""In a real browser: the project list draws its world map beside the table of the same figures, and its
Export menu downloads the filtered list as CSV."""

import csv
import io
import re

import pytest

from tests.browser.steps import go_to
from tests.conftest import organization
from tests.projects.conftest import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_list_shows_its_map_and_table_and_exports_the_filtered_list(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the projects are under test
    make_user("analyst@unodc.example", organization=organization("entity:UNODC"), full_name="Ana", mfa=False)
    # given projects for Kenya and Niger, one of them completed
    make_project(
        "Border security in East Africa", countries=["KEN", "NER"], budget="1000000", status="ongoing"
    )
    make_project("Prison reform in Kenya", countries=["KEN"], budget="250000", status="completed")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("analyst@unodc.example")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")

    # when a focal point opens the projects
    go_to(page, "Coordination", "Projects")
    page.wait_for_url(re.compile(r"/projects/$"))

    # then the map is drawn (a canvas with a size, which our script marks drawn) beside the table
    figures = page.get_by_role("table", name="Projects and budgets (US$) by beneficiary country")
    assert figures.get_by_role("row").nth(1).inner_text().split() == ["Kenya", "2", "1,250,000"]
    canvas = page.locator("canvas[data-projects-map]")
    page.wait_for_function("document.querySelector('canvas[data-projects-map]').dataset.drawn === 'yes'")
    box = canvas.bounding_box()
    assert box["width"] > 200
    assert box["height"] > 100

    # and a country of the table opens the list filtered by it
    figures.get_by_role("link", name="Niger").click()
    page.wait_for_url(re.compile(r"/projects/\?country=NER$"))
    assert page.get_by_role("heading", name="1 project").is_visible()

    # and the Export menu downloads that filtered list as CSV
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert [(row["Title"], row["Countries"]) for row in rows] == [
        ("Border security in East Africa", "Kenya; Niger")
    ]
