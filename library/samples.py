"""Real files of every accepted kind, made in memory: for the tests and for ``seed_demo``'s demo documents.

Each is produced by the same kind of library that produces such files in the wild (fpdf2, pypdf,
python-docx, openpyxl, python-pptx, Pillow; ODT is a ZIP assembled by hand, as its format is small), so
sniffing and extraction are exercised on the real formats, and nothing is downloaded.

The same arguments give the same bytes: creation dates and ZIP timestamps are fixed. The one exception is
``encrypted_pdf_bytes``, as encryption uses fresh random salts.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from xml.sax.saxutils import escape

import docx
import openpyxl
from fpdf import FPDF, XPos, YPos
from PIL import Image, ImageDraw
from pptx import Presentation
from pypdf import PdfReader, PdfWriter

#: The date every sample says it was made.
MADE_AT = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def pdf_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A PDF with a text layer: the title, then the paragraphs, wrapped, on as many pages as they need.

    The core Helvetica font covers Latin-1 only; fpdf2 refuses other characters."""
    pdf = FPDF()
    pdf.set_creation_date(MADE_AT)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.ln(3)
        pdf.multi_cell(0, 6, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def encrypted_pdf_bytes(text: str, password: str = "secret") -> bytes:  # noqa: S107 -- a sample's password
    """A PDF holding ``text`` that opens only with ``password`` (AES-256)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("Confidential", [text]))))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def scanned_pdf_bytes() -> bytes:
    """A PDF as a scanner makes it: its page is one picture of lines of "text", with no text layer."""
    scan = Image.new("L", (420, 594), color=255)
    draw = ImageDraw.Draw(scan)
    for top in range(60, 540, 18):
        draw.rectangle((40, top, 40 + (top * 7) % 300 + 60, top + 8), fill=30)
    picture = io.BytesIO()
    scan.save(picture, format="PNG")
    pdf = FPDF()
    pdf.set_creation_date(MADE_AT)
    pdf.add_page()
    pdf.image(picture, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def corrupt_pdf_bytes() -> bytes:
    """The start of a PDF cut off inside its first object, then garbage: no reader can make it out."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R" + bytes(range(256)) * 4


def docx_bytes(title: str, paragraphs: list[str], table_rows: list[list[str]] | None = None) -> bytes:
    """A Word document: the title as a heading, the paragraphs, then a table of ``table_rows`` if given."""
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table_rows:
        table = document.add_table(rows=0, cols=max(len(row) for row in table_rows))
        for values in table_rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=False):
                cell.text = value
    output = io.BytesIO()
    document.save(output)
    return _reproducible(output.getvalue())


def xlsx_bytes(rows: list[list], *, sheet: str = "Data") -> bytes:
    """An Excel workbook with one sheet of these rows (strings, numbers, dates)."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return _reproducible(output.getvalue())


def pptx_bytes(slides: list[tuple[str, str]]) -> bytes:
    """A PowerPoint presentation: one "Title and Content" slide per (title, body)."""
    presentation = Presentation()
    layout = presentation.slide_layouts[1]
    for title, body in slides:
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    output = io.BytesIO()
    presentation.save(output)
    return _reproducible(output.getvalue())


def odt_bytes(paragraphs: list[str]) -> bytes:
    """An OpenDocument text: the ``mimetype`` member first and stored uncompressed (how readers recognise
    the format), the manifest, and the paragraphs in content.xml."""
    body = "".join(f"<text:p>{escape(paragraph)}</text:p>" for paragraph in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        package.writestr(
            _member("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        package.writestr(_member("META-INF/manifest.xml"), manifest, zipfile.ZIP_DEFLATED)
        package.writestr(_member("content.xml"), content, zipfile.ZIP_DEFLATED)
    return output.getvalue()


def png_bytes() -> bytes:
    """A tiny PNG image (a blue square)."""
    return _image("PNG")


def jpeg_bytes() -> bytes:
    """A tiny JPEG image (a blue square)."""
    return _image("JPEG")


def _image(image_format: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (16, 16), color=(0, 94, 184)).save(output, format=image_format)
    return output.getvalue()


def _reproducible(package: bytes) -> bytes:
    """The Office file with fixed member timestamps and creation/modification dates (the libraries write
    the current time), members in the same order and compression."""
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":
                data = CORE_DATES.sub(rb"\g<1>2024-01-01T00:00:00Z\g<2>", data)
            target.writestr(_member(member.filename), data, member.compress_type)
    return output.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.external_attr = 0o644 << 16  # rw-r--r-- when unpacked (the default, 0, would be no access at all)
    return info
