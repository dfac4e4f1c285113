"""In a real browser, the matrix's journey: a cell of the matrix opens its list, which draws its world map
beside the table of the same figures, and the list's Export menu downloads it as CSV."""

import csv
import io
import re

import pytest

from tests.browser.steps import go_to, sign_in
from tests.conftest import organization
from tests.projects.conftest import make_project, theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_matrix_cell_to_its_list_with_map_and_table_then_its_export(
    page, compact, make_user, settings
):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the projects are under test
    make_user("analyst@unodc.example", organization=organization("entity:UNODC"), full_name="Ana", mfa=False)
    # given two projects on gender for Kenya (one also for Niger) and one on human rights in Kenya
    make_project(
        "Border security in East Africa", countries=["KEN", "NER"], budget="1000000", status="ongoing",
        themes=["Gender"],
    )  # fmt: skip
    make_project(
        "Prison reform in Kenya", countries=["KEN"], budget="250000", status="completed", themes=["Gender"]
    )
    make_project("Rights training in Kenya", countries=["KEN"], budget="5", themes=["Human rights"])

    sign_in(page, "analyst@unodc.example")

    # when a focal point opens the matrix by country and theme and clicks the cell of Kenya × Gender
    go_to(page, "Coordination", "Projects")
    page.get_by_role("link", name="Matrix", exact=True).click()
    page.get_by_role("link", name="By country and theme").click()
    matrix = page.get_by_role("table", name="Projects and budgets (US$) by beneficiary country and theme")
    kenya = matrix.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Kenya"))
    kenya.locator(f'a[href$="country=KEN&theme={theme("Gender").pk}"]').click()

    # then the list shows the cell's two projects
    page.wait_for_url(re.compile(rf"/projects/\?country=KEN&theme={theme('Gender').pk}$"))
    assert page.get_by_role("heading", name="2 projects").is_visible()
    # and the map is drawn (a canvas with a size, which our script marks drawn) beside its table of figures
    figures = page.get_by_role("table", name="Projects and budgets (US$) by beneficiary country")
    assert figures.get_by_role("row").nth(1).inner_text().split() == ["Kenya", "2", "1,250,000"]
    assert figures.get_by_role("row").nth(2).inner_text().split() == ["Niger", "1", "1,000,000"]
    canvas = page.locator("canvas[data-projects-map]")
    page.wait_for_function("document.querySelector('canvas[data-projects-map]').dataset.drawn === 'yes'")
    box = canvas.bounding_box()
    assert box["width"] > 200
    assert box["height"] > 100

    # and the Export menu downloads that filtered list as CSV
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert sorted((row["Title"], row["Countries"]) for row in rows) == [
        ("Border security in East Africa", "Kenya; Niger"),
        ("Prison reform in Kenya", "Kenya"),
    ]

    # and a country of the map's table opens the list filtered by it
    figures.get_by_role("link", name="Niger").click()
    page.wait_for_url(re.compile(r"/projects/\?.*country=NER"))
    assert page.get_by_role("heading", name="1 project").is_visible()
