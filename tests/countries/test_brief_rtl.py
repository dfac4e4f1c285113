"""The country brief in Arabic is right to left and its Arabic is whole: the PDF's page says dir="rtl" and its
text comes back in logical order (as typed, not reversed glyph by glyph); the DOCX's paragraphs, runs and
default language are marked right to left — and none of it in English."""

from __future__ import annotations

import io
import zipfile

import docx
import pypdf
import pytest
from django.template.loader import render_to_string
from django.utils import translation

from countries import brief
from directory.access import Visibility
from tests.conftest import organization, signed_in
from tests.countries.test_brief import brief_url
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "مشروع أمن الحدود في كينيا"


def download(user, format: str, language: str) -> bytes:
    client = signed_in(user)
    client.cookies["django_language"] = language
    response = client.get(brief_url(format))
    assert response.status_code == 200
    return response.content


def document_xml(content: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()


@pytest.fixture
def arabic_project(world):
    return make_project(ARABIC_TITLE, countries=["KEN"], visibility=Visibility.PLATFORM)


def test_the_arabic_pdf_page_is_right_to_left(world, member):
    with translation.override("ar"):
        built = brief.build(member, organization("state:KEN"))
    html = render_to_string(
        "countries/brief.html",
        {"brief": built, "document_title": built.title, "document_language": "ar", "document_rtl": True},
    )
    assert '<html lang="ar" dir="rtl">' in html


def test_the_arabic_pdf_gives_its_words_back_in_logical_order(arabic_project, member):
    content = download(member, "pdf", "ar")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert ARABIC_TITLE in " ".join(text.split())
    assert ARABIC_TITLE[::-1] not in text  # not stored glyph by glyph from the right


def test_the_arabic_docx_is_right_to_left(arabic_project, member):
    content = download(member, "docx", "ar")
    document = docx.Document(io.BytesIO(content))
    assert document.core_properties.language == "ar"
    xml = document_xml(content)
    paragraphs = xml.count("<w:p>") + xml.count("<w:p ")
    assert xml.count("<w:bidi/>") == paragraphs
    run = next(r for p in document.paragraphs for r in p.runs if r.text == ARABIC_TITLE)
    properties = run._r.rPr.xml
    assert "<w:rtl/>" in properties
    assert "<w:bCs/>" in properties  # the bold that Word applies to Arabic letters
    styles = zipfile.ZipFile(io.BytesIO(content)).read("word/styles.xml").decode()
    assert 'w:bidi="ar"' in styles


def test_the_english_docx_has_no_right_to_left_marks(arabic_project, member):
    content = download(member, "docx", "en")
    xml = document_xml(content)
    assert "<w:bidi/>" not in xml
    assert "<w:rtl/>" not in xml
    assert ARABIC_TITLE in xml  # the Arabic name is there, in an English document's paragraph
    assert docx.Document(io.BytesIO(content)).core_properties.language == "en"
