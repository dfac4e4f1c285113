"""core.documents and core.tables in a right-to-left language: DOCX tables with their first column on the
right, runs of Arabic marked and runs of Latin text left alone, the properties in the order Word requires;
XLSX sheets right to left in Arabic only."""

from __future__ import annotations

import io
import zipfile

import docx
from django.utils import translation

from core.documents import finish_docx, has_rtl_text
from core.tables import xlsx_bytes


def written(rtl: bool) -> tuple[docx.Document, str]:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("الدولة العضو").bold = True
    paragraph.add_run(" UNODC")
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "الاجتماعات"
    finish_docx(document, title="تقرير", language="ar" if rtl else "en", rtl=rtl)
    output = io.BytesIO()
    document.save(output)
    reread = docx.Document(io.BytesIO(output.getvalue()))
    return reread, zipfile.ZipFile(output).read("word/document.xml").decode()


def test_an_arabic_docx_marks_paragraphs_tables_and_arabic_runs():
    document, xml = written(rtl=True)
    assert "<w:bidiVisual/>" in xml
    arabic, latin = document.paragraphs[0].runs
    assert "<w:rtl/>" in arabic._r.rPr.xml
    assert latin._r.rPr is None or "<w:rtl/>" not in latin._r.rPr.xml
    cell = document.tables[0].rows[0].cells[0].paragraphs[0]
    assert "<w:bidi/>" in cell._p.pPr.xml
    # OOXML's order: bold, its complex-script twin, then the direction
    tags = [child.tag.split("}")[1] for child in arabic._r.rPr]
    assert tags.index("b") < tags.index("bCs") < tags.index("rtl")
    assert document.core_properties.title == "تقرير"


def test_a_left_to_right_docx_has_no_direction_marks():
    _, xml = written(rtl=False)
    for mark in ("<w:bidi/>", "<w:bidiVisual/>", "<w:rtl/>"):
        assert mark not in xml


def test_right_to_left_text_is_told_apart():
    assert has_rtl_text("Kenya — كينيا")
    assert has_rtl_text("שלום")
    assert not has_rtl_text("Кения 肯尼亚 Kenya 2026")


def sheet_views(language: str) -> str:
    with translation.override(language):
        content = xlsx_bytes("Flows", ["Donor"], [["UNODC"]], about=[("Date", "2026")])
    archive = zipfile.ZipFile(io.BytesIO(content))
    return (
        archive.read("xl/worksheets/sheet1.xml").decode() + archive.read("xl/worksheets/sheet2.xml").decode()
    )


def test_an_arabic_workbook_is_right_to_left_and_an_english_one_is_not():
    assert sheet_views("ar").count('rightToLeft="1"') == 2
    assert "rightToLeft" not in sheet_views("en")
