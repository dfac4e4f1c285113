"""In a real browser: upload a PDF, wait until its text is searchable, find it by a phrase inside it, and
download it."""

import re

import pytest

from library import samples
from tests.browser.steps import go_to, sign_in
from tests.conftest import organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHRASE = "liaison officers exchanged alerts through a shared radio network"


def test_upload_search_inside_and_download(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the library is under test
    make_user("analyst@unodc.example", organization=organization("entity:UNODC"), full_name="Ana", mfa=False)
    pdf = samples.pdf_bytes("Joint patrols", ["Border cooperation in the Sahel.", f"In 2021, {PHRASE}."])

    sign_in(page, "analyst@unodc.example")

    # given a focal point adding a resource with a PDF
    go_to(page, "Knowledge", "Library")
    page.get_by_role("link", name="Add a resource").first.click()
    page.get_by_label("Title").fill("Joint patrols: lessons learned")
    page.get_by_label("Type").select_option("report")
    page.locator("#id_files").set_input_files(
        files=[{"name": "patrols.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url(re.compile(r"/library/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Joint patrols: lessons learned"

    # when its text has been extracted (a background job; the page says so once it is done)
    for _attempt in range(20):
        if page.get_by_role("cell", name="Searchable").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert page.get_by_role("cell", name="Searchable").count() == 1

    # then a phrase from inside the file finds it, with the words highlighted
    go_to(page, "Knowledge", "Library")
    page.get_by_role("main").get_by_role("searchbox").fill('"shared radio network"')
    page.get_by_role("main").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/library/search/\?q="))
    result = page.get_by_role("link", name="Joint patrols: lessons learned")
    assert result.is_visible()
    assert page.locator(".library-snippet mark").first.inner_text().lower() in {"shared", "radio", "network"}

    # and the file downloads as the PDF that was uploaded
    result.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="patrols.pdf").click()
    assert download.value.suggested_filename == "patrols.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == pdf
