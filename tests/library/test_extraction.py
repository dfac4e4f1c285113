"""The text of every accepted kind is found, in a child process; files that cannot be read get a status that
says why, never an exception; hostile files end as "too big" within the time limit."""

import io
import time
import zipfile

import pytest

from library import samples
from library.extraction import (
    MAX_TEXT_CHARS,
    Extraction,
    ExtractionStatus,
    extract,
    normalise,
    passages,
)
from library.filetypes import FileKind

SENTENCE = "Member States reaffirmed their commitment to the Global Counter-Terrorism Strategy."


def words(text: str) -> str:
    """Text with its line wrapping undone, to find a sentence however a format broke its lines."""
    return " ".join(text.split())


DOCUMENTS = [
    (FileKind.PDF, lambda: samples.pdf_bytes("Review", ["An opening paragraph.", SENTENCE])),
    (FileKind.DOCX, lambda: samples.docx_bytes("Review", ["An opening paragraph.", SENTENCE])),
    (FileKind.PPTX, lambda: samples.pptx_bytes([("Review", "Opening"), ("Outcome", SENTENCE)])),
    (FileKind.ODT, lambda: samples.odt_bytes(["An opening paragraph.", SENTENCE])),
    (FileKind.TXT, lambda: f"An opening paragraph.\n\n{SENTENCE}\n".encode()),
    (FileKind.CSV, lambda: f'year,outcome\n2024,"{SENTENCE}"\n'.encode("utf-16")),
]


@pytest.mark.parametrize(("kind", "make"), DOCUMENTS, ids=[kind for kind, _make in DOCUMENTS])
def test_the_text_of_every_document_kind_is_found(kind, make):
    # given a real file of the kind, holding a known sentence
    data = make()

    # when its text is extracted
    result = extract(data, kind)

    # then it is searchable and the sentence is in its text
    assert result.status == ExtractionStatus.SEARCHABLE
    assert SENTENCE in words(result.text)
    assert result.truncated is False


def test_word_tables_are_read_a_row_a_line():
    # given a Word document with a table
    data = samples.docx_bytes("Contacts", ["Focal points:"], [["Kenya", "Nairobi"], ["Peru", "Lima"]])

    # then each row is a line of tab-separated cells, after the paragraphs
    assert extract(data, FileKind.DOCX).text == "Contacts\n\nFocal points:\n\nKenya\tNairobi\nPeru\tLima"


def test_workbooks_are_read_sheet_by_sheet_with_tab_separated_cells():
    data = samples.xlsx_bytes([["Country", "Projects"], ["Kenya", 12], ["Peru", 3.5]], sheet="Projects 2024")

    assert extract(data, FileKind.XLSX).text == "Projects 2024\nCountry\tProjects\nKenya\t12\nPeru\t3.5"


def test_a_workbook_declaring_the_largest_sheet_is_read_by_its_actual_cells():
    # given a workbook whose sheet claims all 16,384 x 1,048,576 cells, with a value in the very last one
    last_cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>end</t></is></c></row>'
    source = zipfile.ZipFile(io.BytesIO(samples.xlsx_bytes([["Country", "Projects"], ["Kenya", 12]])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
                data = data.replace(b"</sheetData>", last_cell + b"</sheetData>")
            package.writestr(member, data)

    # then only the cells that exist are read, at once
    started = time.monotonic()
    assert extract(output.getvalue(), FileKind.XLSX).text == "Data\nCountry\tProjects\nKenya\t12\nend"
    assert time.monotonic() - started < 5


def test_pdf_pages_are_separated_by_a_blank_line():
    # given a PDF long enough for several pages
    data = samples.pdf_bytes("Long report", [f"Paragraph {number} of the report." for number in range(120)])

    # then all of it is read, a blank line between pages
    text = extract(data, FileKind.PDF).text
    assert "Paragraph 0 of the report." in text
    assert "Paragraph 119 of the report." in text
    assert "\n\n" in text


def test_a_password_protected_pdf_is_reported_as_such():
    result = extract(samples.encrypted_pdf_bytes(SENTENCE), FileKind.PDF)

    assert result == Extraction(ExtractionStatus.ENCRYPTED, "", truncated=False)


def test_a_scanned_pdf_has_no_text():
    assert extract(samples.scanned_pdf_bytes(), FileKind.PDF).status == ExtractionStatus.NO_TEXT


def test_a_corrupt_pdf_is_reported_unreadable_without_raising():
    assert extract(samples.corrupt_pdf_bytes(), FileKind.PDF) == Extraction(
        ExtractionStatus.FAILED, "", False
    )


@pytest.mark.parametrize("kind", [FileKind.DOCX, FileKind.XLSX, FileKind.PPTX, FileKind.ODT])
def test_a_broken_office_file_is_reported_unreadable(kind):
    # given the first half of a real file of the kind
    data = {
        FileKind.DOCX: samples.docx_bytes("Title", [SENTENCE]),
        FileKind.XLSX: samples.xlsx_bytes([[SENTENCE]]),
        FileKind.PPTX: samples.pptx_bytes([("Title", SENTENCE)]),
        FileKind.ODT: samples.odt_bytes([SENTENCE]),
    }[kind]

    assert extract(data[: len(data) // 2], kind).status == ExtractionStatus.FAILED


@pytest.mark.parametrize("image", [samples.png_bytes, samples.jpeg_bytes], ids=["png", "jpeg"])
def test_images_have_no_text(image):
    kind = FileKind.PNG if image is samples.png_bytes else FileKind.JPEG

    assert extract(image(), kind) == Extraction(ExtractionStatus.NO_TEXT, "", truncated=False)


def test_a_file_that_takes_too_long_is_too_big_and_the_call_returns_promptly():
    # given a real PDF, and no time to read it
    data = samples.pdf_bytes("Report", [SENTENCE] * 50)

    # when its text is extracted
    started = time.monotonic()
    result = extract(data, FileKind.PDF, timeout=0.001)

    # then the child is killed and the file reported too big, at once
    assert result.status == ExtractionStatus.TOO_BIG
    assert time.monotonic() - started < 5


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    # given a "Word document" whose main part inflates to 201 MB of spaces (a few hundred kB on the wire)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w") as member:
            for _megabyte in range(201):
                member.write(b" " * 1024 * 1024)

    # then it is too big to read, and quickly so
    started = time.monotonic()
    assert extract(output.getvalue(), FileKind.DOCX).status == ExtractionStatus.TOO_BIG
    assert time.monotonic() - started < 10


def test_an_xml_entity_bomb_in_an_odt_is_refused():
    # given an ODT whose content.xml defines entities that expand a billion times
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    content = f'<?xml version="1.0"?><!DOCTYPE bomb [{entities}]><bomb>&i;</bomb>'
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", content)

    assert extract(output.getvalue(), FileKind.ODT).status == ExtractionStatus.FAILED


def test_an_odt_space_count_that_is_a_digit_but_no_number_counts_one_space():
    # given an ODT whose spaces element counts "²" (str.isdigit() says yes, int() refuses it)
    source = zipfile.ZipFile(io.BytesIO(samples.odt_bytes(["Border SPACES security"])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "content.xml":
                data = data.replace(b" SPACES ", '<text:s text:c="²"/>'.encode())
            package.writestr(member, data)

    # when its text is extracted
    result = extract(output.getvalue(), FileKind.ODT)

    # then the document is read, the element standing for one space
    assert result.status == ExtractionStatus.SEARCHABLE
    assert result.text == "Border security"


def test_text_beyond_the_limit_is_cut_and_marked_truncated():
    # given a text file longer than what is stored
    line = "The Working Group met to discuss border security and management.\n"
    data = (line * (MAX_TEXT_CHARS // len(line) + 100)).encode()

    # when its text is extracted
    result = extract(data, FileKind.TXT)

    # then the text is cut at the limit and says so
    assert result.status == ExtractionStatus.SEARCHABLE
    assert result.truncated is True
    assert MAX_TEXT_CHARS - len(line) < len(result.text) <= MAX_TEXT_CHARS


def test_a_long_word_document_stops_being_read_at_the_limit():
    paragraph = "Capacity-building for the criminal justice sector, in every region. " * 20
    data = samples.docx_bytes("Programme", [paragraph] * (2 * MAX_TEXT_CHARS // len(paragraph) + 10))

    result = extract(data, FileKind.DOCX)

    assert result.truncated is True
    assert len(result.text) <= MAX_TEXT_CHARS


def test_the_timeout_setting_is_used_when_none_is_given(settings):
    # given a setting that leaves no time at all
    settings.LIBRARY_EXTRACTION_TIMEOUT = 0.001

    assert extract(samples.odt_bytes([SENTENCE]), FileKind.ODT).status == ExtractionStatus.TOO_BIG


def test_normalise_removes_control_characters_and_collapses_blank_lines():
    raw = "Title\r\n\r\n\r\n\x00Body\x07 text   \n \n\n\n\tindented\x0cnext page\ud800"

    assert normalise(raw) == "Title\n\nBody text\n\n\tindented\nnext page"


def test_passages_of_empty_text():
    assert passages("") == []
    assert passages(" \n\n ") == []


def test_passages_end_at_paragraph_breaks():
    # given paragraphs of 600 characters
    paragraphs = [f"{number} " + "word " * 119 for number in range(6)]
    text = "\n\n".join(paragraph.strip() for paragraph in paragraphs)

    # then a passage holds two whole paragraphs
    found = passages(text, size=1500)
    assert len(found) == 3
    assert all(passage.count("\n\n") == 1 for passage in found)


def test_passages_end_at_sentences_within_a_long_paragraph():
    # given one paragraph of 100 sentences
    text = " ".join(f"Sentence number {number} is about the Compact." for number in range(100))

    # when it is cut into passages of at most 500 characters
    found = passages(text, size=500)

    # then every passage ends a sentence, and is the text verbatim (indexing stores offsets into it)
    assert all(passage.endswith("Compact.") for passage in found)
    assert all(len(passage) <= 500 for passage in found)
    assert " ".join(found) == text


def test_passages_never_split_a_word():
    # given a paragraph without sentence ends
    text = " ".join(f"word{number}" for number in range(1000))

    found = passages(text, size=300)

    assert all(len(passage) <= 300 for passage in found)
    assert " ".join(found).split() == text.split()


def test_a_run_longer_than_a_passage_is_cut_inside():
    # given text without any space (a very long URL, or Chinese without punctuation)
    text = "检索" * 1000

    found = passages(text, size=700)

    assert [len(passage) for passage in found] == [700, 700, 600]
