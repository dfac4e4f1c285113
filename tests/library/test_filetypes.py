"""An upload's type is decided by its content, never its name; what is not a document is refused, saying why;
the name it is offered under is safe to show and to download."""

import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from library import samples
from library.filetypes import FileKind, RejectedFile, Sniffed, safe_filename, sniff

CAP = 5 * 1024 * 1024


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def sniffed(name: str, data: bytes, *, max_bytes: int = CAP) -> Sniffed:
    return sniff(upload(name, data), name=name, max_bytes=max_bytes)


def rejection(name: str, data: bytes, *, max_bytes: int = CAP) -> str:
    with pytest.raises(RejectedFile) as raised:
        sniffed(name, data, max_bytes=max_bytes)
    return str(raised.value)


def plain_zip() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("minutes.txt", "Minutes of the meeting")
        archive.writestr("agenda.txt", "Agenda")
    return output.getvalue()


ACCEPTED = [
    ("report.pdf", lambda: samples.pdf_bytes("Report", ["Text."]), FileKind.PDF, "application/pdf"),
    (
        "report.docx",
        lambda: samples.docx_bytes("Report", ["Text."]),
        FileKind.DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "figures.xlsx",
        lambda: samples.xlsx_bytes([["Year", "Total"], [2024, 12]]),
        FileKind.XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "briefing.pptx",
        lambda: samples.pptx_bytes([("Briefing", "Points")]),
        FileKind.PPTX,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    (
        "note.odt",
        lambda: samples.odt_bytes(["Text."]),
        FileKind.ODT,
        "application/vnd.oasis.opendocument.text",
    ),
    ("note.txt", lambda: "Réunion du groupe".encode(), FileKind.TXT, "text/plain; charset=utf-8"),
    ("bom.txt", lambda: "\ufeffwith a BOM".encode(), FileKind.TXT, "text/plain; charset=utf-8"),
    ("utf16.txt", lambda: "Заседание группы".encode("utf-16"), FileKind.TXT, "text/plain; charset=utf-16"),
    ("list.csv", lambda: b"name,country\nAmina,Kenya\n", FileKind.CSV, "text/csv; charset=utf-8"),
    ("logo.png", samples.png_bytes, FileKind.PNG, "image/png"),
    ("photo.jpg", samples.jpeg_bytes, FileKind.JPEG, "image/jpeg"),
]


@pytest.mark.parametrize(
    ("name", "make", "kind", "content_type"), ACCEPTED, ids=[case[0] for case in ACCEPTED]
)
def test_every_accepted_type_is_recognised_by_its_content(name, make, kind, content_type):
    # given a real file of the type, under its usual name
    file = upload(name, make())

    # when it is sniffed
    result = sniff(file, name=name, max_bytes=CAP)

    # then its kind and served type are right, it is not renamed, and the file is back at its start
    assert result.kind == kind
    assert result.content_type == content_type
    assert result.renamed is False
    assert file.tell() == 0


def test_the_jpeg_extension_is_accepted_too():
    assert sniffed("photo.JPEG", samples.jpeg_bytes()).renamed is False
    assert sniffed("photo.jpeg", samples.jpeg_bytes()).extension == ".jpg"


def test_text_is_a_csv_table_only_when_named_so():
    assert sniffed("data.csv", b"a,b\n1,2\n").kind == FileKind.CSV
    assert sniffed("data.txt", b"a,b\n1,2\n").kind == FileKind.TXT


def test_a_zero_byte_file_is_refused():
    assert rejection("empty.pdf", b"") == "The file is empty."


def test_a_file_over_the_cap_is_refused_and_the_message_states_the_cap():
    # given a PDF one byte over a 2 MB cap
    data = b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024 - 8)

    # when it is sniffed, then it is refused, saying what the cap is
    assert "2 MB" in rejection("big.pdf", data, max_bytes=2 * 1024 * 1024)


def test_a_pdf_named_docx_is_accepted_as_the_pdf_it_is():
    # given a PDF uploaded as "report.docx"
    result = sniffed("report.docx", samples.pdf_bytes("Report", ["Text."]))

    # then the content decides: a PDF, marked renamed, offered as report.pdf
    assert (result.kind, result.extension, result.renamed) == (FileKind.PDF, ".pdf", True)
    assert safe_filename("report.docx", result) == "report.pdf"


def test_a_docx_named_zip_is_accepted_as_a_word_document():
    result = sniffed("report.zip", samples.docx_bytes("Report", ["Text."]))

    assert (result.kind, result.renamed) == (FileKind.DOCX, True)
    assert safe_filename("report.zip", result) == "report.docx"


def test_a_windows_program_renamed_pdf_is_refused_as_a_program():
    # given the start of a Windows executable ("MZ", DOS stub) named like a document
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200

    assert "program" in rejection("invoice.pdf", program)


@pytest.mark.parametrize(
    "program",
    [
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,  # Linux
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 200,  # macOS (Mach-O, 64-bit)
        b"#!/bin/sh\nrm -rf ~\n",  # a script
    ],
    ids=["elf", "mach-o", "shebang"],
)
def test_other_programs_are_refused(program):
    assert "program" in rejection("notes.txt", program)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("documents.zip", plain_zip()),
        ("documents.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 100),
        ("documents.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 100),
        ("documents.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + b"\x00" * 100),
        ("documents.tar", b"minutes.txt".ljust(257, b"\x00") + b"ustar\x0000" + b"\x00" * 300),
    ],
    ids=["zip", "7z", "rar", "gzip", "tar"],
)
def test_archives_are_refused(name, data):
    assert "Archives" in rejection(name, data)


def test_a_zip_listing_too_many_members_is_refused_before_its_directory_is_read():
    # given a "Word document" with 10,001 members (a real one has a few dozen)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
        for number in range(9_999):
            package.writestr(f"word/media/{number}.bin", b"")

    assert "Archives" in rejection("report.docx", output.getvalue())


def test_a_truncated_word_document_is_refused_as_unreadable_not_as_an_archive():
    data = samples.docx_bytes("Report", ["Text."])

    assert "not accepted. Accepted:" in rejection("report.docx", data[: len(data) // 2])


def test_a_word_document_with_macros_is_refused():
    # given a Word package carrying a VBA project (the macros of a .docm)
    source = zipfile.ZipFile(io.BytesIO(samples.docx_bytes("Report", ["Text."])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        for member in source.infolist():
            package.writestr(member, source.read(member))
        package.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")

    assert "macros" in rejection("report.docx", output.getvalue())


def test_an_opendocument_spreadsheet_is_refused_as_an_unaccepted_type_not_as_an_archive():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<office:document-content/>")

    assert "not accepted. Accepted:" in rejection("figures.ods", output.getvalue())


@pytest.mark.parametrize(
    "markup",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"\n  <html><script>alert(1)</script>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "<html><script>alert(1)</script>".encode("utf-16"),
    ],
    ids=["html", "html-after-blank-lines", "svg", "xml-svg", "utf-16-html"],
)
def test_web_pages_and_svg_are_refused_even_named_txt(markup):
    assert "Web pages, SVG images" in rejection("notes.txt", markup)


def test_random_binary_is_refused_with_the_list_of_accepted_types():
    # given bytes that are no format at all
    data = random.Random(7).randbytes(4096)

    # then the message lists what is accepted
    message = rejection("data.bin", data)
    assert "PDF document (.pdf)" in message
    assert "JPEG image (.jpg, .jpeg)" in message


def test_text_that_is_not_utf8_or_has_nul_bytes_is_refused():
    assert "not accepted" in rejection("latin1.txt", "Réunion".encode("latin-1"))
    assert "not accepted" in rejection("nul.txt", b"text\x00with a NUL")


PDF = Sniffed(kind=FileKind.PDF, content_type="application/pdf", extension=".pdf", renamed=False)
TXT = Sniffed(kind=FileKind.TXT, content_type="text/plain; charset=utf-8", extension=".txt", renamed=True)


@pytest.mark.parametrize(
    ("name", "sniffed_as", "expected"),
    [
        ("../../etc/passwd", TXT, "passwd.txt"),
        ("C:\\Users\\amina\\Desktop\\report.pdf", PDF, "report.pdf"),
        ("a\x00b\x1f.pdf", PDF, "ab.pdf"),
        ('say "hello" <now>?.pdf', PDF, "say hello now.pdf"),
        ("  Annual \t report\n 2024 .pdf", PDF, "Annual report 2024.pdf"),
        ("invoice\u202efdp.exe", PDF, "invoicefdp.pdf"),
        ("تقرير الفريق العامل.pdf", PDF, "تقرير الفريق العامل.pdf"),
        ("会议纪要.pdf", PDF, "会议纪要.pdf"),
        ("Доклад.PDF", PDF, "Доклад.PDF"),
        ("Minutes 12.03", PDF, "Minutes 12.03.pdf"),
        (".pdf", PDF, "document.pdf"),
        ("", PDF, "document.pdf"),
        ("../..", PDF, "document.pdf"),
    ],
)
def test_safe_filename(name, sniffed_as, expected):
    assert safe_filename(name, sniffed_as) == expected


def test_safe_filename_keeps_composed_unicode():
    # given a name typed with a combining accent ("e" + U+0301)
    assert safe_filename("Re\u0301union.pdf", PDF) == "R\u00e9union.pdf"


def test_safe_filename_shortens_long_names_keeping_the_extension():
    # given a 400-character name, then it is cut to 150 characters, extension included
    assert safe_filename("x" * 400 + ".pdf", PDF) == "x" * 146 + ".pdf"

    # and a cut that falls after a space leaves no space before the extension
    assert safe_filename("a " * 200 + ".pdf", PDF) == ("a " * 73).rstrip() + ".pdf"
