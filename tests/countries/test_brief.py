"""The country brief, PDF and DOCX, opened and read back: the page's sections as the reader sees them (no
CTED item for an entity without consent, no restricted item outside its audience), in the reader's language
and time zone, each download in the security log."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest

from core.models import SecurityEvent, SecurityEventKind
from directory.access import Visibility
from tests.conftest import make_profile, organization, signed_in
from tests.countries.conftest import CONFIDENTIAL, KENYA_ONLY, PRIORITIES, PUBLIC, SHOWCASE, UNDP_ONLY
from tests.projects.conftest import make_project
from tests.support.conftest import ask

pytestmark = pytest.mark.django_db


def brief_url(format: str, key: str = "state:KEN") -> str:
    return f"/countries/{organization(key).pk}/brief.{format}"


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages
    )


def docx_text(content: bytes) -> str:
    return " ".join(" ".join(p.text.split()) for p in docx.Document(io.BytesIO(content)).paragraphs)


def read(user, format: str, **headers) -> str:
    response = signed_in(user).get(brief_url(format), **headers)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="country-brief-kenya-')
    assert response["X-Content-Type-Options"] == "nosniff"
    return pdf_text(response.content) if format == "pdf" else docx_text(response.content)


@pytest.mark.parametrize("format", ["pdf", "docx"])
def test_a_consented_entity_reads_every_section_meant_for_it(world, member, format):
    text = read(member, format)
    assert "Country brief: Kenya" in text
    for expected in [
        PRIORITIES,
        "Kamau Kenya",
        "CTED assessments",
        CONFIDENTIAL,
        *PUBLIC,
        *UNDP_ONLY,
        SHOWCASE,
    ]:
        assert expected in text


@pytest.mark.parametrize("format", ["pdf", "docx"])
def test_an_entity_without_consent_reads_no_cted_item_and_no_restricted_item(world, unodc_person, format):
    text = read(unodc_person, format)
    for expected in [PRIORITIES, *PUBLIC, SHOWCASE]:
        assert expected in text
    for hidden in [CONFIDENTIAL, "CTED", "recommendations", *UNDP_ONLY, KENYA_ONLY]:
        assert hidden not in text
    # counts too are of what the reader may see
    assert "Projects in all that you may see: 1." in text


def test_both_formats_say_the_same(world, member):
    pdf, word = read(member, "pdf"), read(member, "docx")
    for expected in [PRIORITIES, CONFIDENTIAL, *PUBLIC, *UNDP_ONLY, SHOWCASE]:
        assert (expected in pdf) == (expected in word)


def test_the_brief_is_dated_in_the_readers_time_zone(world, member):
    make_profile(user=member, time_zone="Asia/Tokyo")
    assert "(Asia/Tokyo) for Mia Member" in read(member, "docx")


def test_the_brief_is_in_the_readers_language(world, member):
    content = signed_in(member).get(brief_url("docx"), HTTP_ACCEPT_LANGUAGE="fr").content
    assert docx.Document(io.BytesIO(content)).core_properties.language == "fr"


def test_arabic_text_is_written_in_the_pdf_with_a_debian_font(world, ken_person, member):
    make_project("مشروع أمن الحدود في كينيا", countries=["KEN"], visibility=Visibility.PLATFORM)
    content = signed_in(member).get(brief_url("pdf"), HTTP_ACCEPT_LANGUAGE="ar").content
    reader = pypdf.PdfReader(io.BytesIO(content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].get_object().values()
    }
    assert any("DejaVu" in font for font in fonts)
    assert "مشروع" in pdf_text(content) or "عورشم" in pdf_text(content)  # logical or visual order


def test_each_download_is_in_the_security_log(world, member):
    read(member, "pdf")
    read(member, "docx")
    events = SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT, user=member).order_by("pk")
    assert [(e.detail["what"], e.detail["format"]) for e in events] == [
        ("country-brief", "pdf"),
        ("country-brief", "docx"),
    ]
    assert events[0].detail["organization"] == organization("state:KEN").pk


def test_an_unknown_format_or_an_entity_is_a_404(world, member):
    client = signed_in(member)
    assert client.get(brief_url("exe")).status_code == 404
    assert client.get(brief_url("pdf", "entity:UNODC")).status_code == 404
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()


def test_anonymous_readers_are_sent_to_sign_in(world, client):
    assert client.get(brief_url("pdf")).status_code == 302


@pytest.mark.parametrize("format", ["pdf", "docx"])
def test_the_states_requests_for_support_are_in_its_brief_for_their_audience_only(
    world, ken_person, member, unodc_person, format
):
    # given Kenya's request for support addressed to UNDP (so UNDP may read it), and nobody else
    ask(ken_person, title="Forensic laboratory accreditation", entities=["entity:UNDP"])
    # then UNDP's brief of Kenya lists it with its status
    text = read(member, format)
    assert "Requests for support" in text
    assert "Forensic laboratory accreditation" in text
    # and UNODC's names neither the request nor the section
    text = read(unodc_person, format)
    assert "Forensic laboratory accreditation" not in text
    assert "Requests for support" not in text
