"""In a real browser, a visitor's journey without signing in: from the landing page's figures to the public
project map (drawn, beside its table, a country opening its list), then a public document downloaded —
and no restricted project anywhere on the way."""

import re

import pytest

from directory.access import Visibility
from library.models import Resource
from tests.conftest import organization
from tests.permission_matrix import APP_MODULES
from tests.projects.conftest import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_with_file = next(module for module in APP_MODULES if module.__name__ == "tests.library.matrix")._with_file


def test_a_visitor_finds_the_public_projects_on_the_map_and_downloads_a_public_document(page, compact):
    # given two public projects (Kenya; Kenya and Niger), a restricted one in Kenya, and a public document
    make_project(
        "Public border project", visibility=Visibility.PUBLIC, countries=["KEN", "NER"], budget="1000"
    )
    make_project("Public prisons project", visibility=Visibility.PUBLIC, countries=["KEN"], budget="500")
    make_project("Restricted Kenyan project", visibility=Visibility.OWNER, countries=["KEN"], budget="9")
    resource = Resource.objects.create(
        title="Public guidance", resource_type="guidance", owner=organization("entity:UNODC"),
        visibility=Visibility.PUBLIC,
    )  # fmt: skip
    _with_file(resource)

    # when a visitor opens the landing page and follows its link to the public project map
    page.goto("/")
    assert page.get_by_role("link", name="2", exact=True).is_visible()  # the public projects' figure
    page.get_by_role("link", name="Public project map").click()

    # then the map is drawn beside its table: Kenya 2 projects (the restricted one not counted), Niger 1
    page.wait_for_url("**/public/projects/")
    figures = page.get_by_role("table", name="Projects and budgets (US$) by beneficiary country")
    assert figures.get_by_role("row").nth(1).inner_text().split() == ["Kenya", "2", "1,500"]
    assert figures.get_by_role("row").nth(2).inner_text().split() == ["Niger", "1", "1,000"]
    page.wait_for_function("document.querySelector('canvas[data-projects-map]').dataset.drawn === 'yes'")
    assert "Restricted Kenyan project" not in page.content()

    # and a country of the table opens the public list filtered by it
    figures.get_by_role("link", name="Niger").click()
    page.wait_for_url(re.compile(r"/public/projects/\?.*country=NER"))
    assert page.get_by_role("heading", name="1 public project").is_visible()

    # and the public document downloads without signing in
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Documents").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download report.pdf")).click()
    assert download.value.suggested_filename == "report.pdf"
