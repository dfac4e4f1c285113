"""In a real browser, a Member State's page and its brief: a UNODC focal point finds Kenya in the
organisations' list, reads the profile Kenya wrote, and downloads Kenya's country brief, a PDF that holds
the profile's text."""

import io
from pathlib import Path

import pypdf
import pytest

from countries import services
from tests.browser.steps import sign_in
from tests.conftest import organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIORITIES = "One-stop border posts on the land borders"


def test_a_focal_point_opens_kenyas_page_and_downloads_its_brief(
    page, live_server, compact, make_user, settings
):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the page and its brief are
    kenya_person = make_user("focal@kenya.example", organization=organization("state:KEN"), mfa=False)
    make_user("focal@unodc.example", organization=organization("entity:UNODC"), full_name="Ana", mfa=False)
    services.save_country_profile(
        organization=organization("state:KEN"), by=kenya_person, priorities=PRIORITIES,
        challenges="Forensic capacity outside Nairobi.", good_practices="County engagement forums.",
    )  # fmt: skip

    # given UNODC's focal point, signed in, on Kenya's page
    sign_in(page, "focal@unodc.example")
    page.goto(f"/organisations/{organization('state:KEN').pk}/")
    profile = page.get_by_role("region", name="Counter-terrorism priorities, challenges and good practices")
    assert profile.get_by_text(PRIORITIES).is_visible()
    # only Kenya's own people are offered the editor
    assert page.get_by_role("link", name="Edit the profile").count() == 0

    # when they download the country brief
    with page.expect_download() as download_info:
        profile.get_by_role("link", name="Country brief (PDF)").click()
    download = download_info.value

    # then it is a PDF named for Kenya, holding the profile's text
    assert download.suggested_filename.startswith("country-brief-kenya-")
    assert download.suggested_filename.endswith(".pdf")
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert PRIORITIES in " ".join(text.split())
