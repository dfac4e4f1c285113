"""The child process that reads a file's text: ``python -m library.extract_worker <kind> [cpu-seconds]``.

The file's bytes come on stdin; one JSON object goes to stdout: ``{"status", "text", "truncated"}`` with a
``library.extraction.ExtractionStatus`` value. Out of memory, the process exits with ``EXIT_TOO_BIG``
instead (writing JSON then could fail too). ``library.extraction.extract`` starts it; see there why.

The limits are set by the process on itself, first thing, before it reads a byte of the file. (Setting them
in the parent between fork and exec, with ``preexec_fn``, can deadlock a threaded parent such as a
gunicorn or Celery worker.) Parsers are imported only for the kind at hand, to keep the start-up short.

Defences beyond the limits: ZIP members are only read up to their declared size (Python's ``zipfile``
stops there), so refusing an absurd declared total refuses ZIP bombs before anything is inflated;
python-docx and python-pptx parse XML with entity expansion off, openpyxl and the ODT reader parse it with
defusedxml, so entity bombs are refused too; text is collected only up to what will be stored.
"""

from __future__ import annotations

import io
import json
import logging
import os
import resource
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator

from library.extraction import EXIT_TOO_BIG, EXTRACTION_TIMEOUT, MAX_TEXT_CHARS, ExtractionStatus, normalise
from library.filetypes import MAX_ZIP_MEMBERS, FileKind, decode_text

#: Address space for the whole process: Python and a parser take ~100 MB, a large real document a few
#: hundred; a ZIP or XML bomb hits this and ends as "too big" rather than taking the machine's memory.
MEMORY_LIMIT = 1024**3
#: Declared uncompressed size of all members of a ZIP-based document (the number of members is capped by
#: ``library.filetypes``, which refuses larger ZIPs at upload).
MAX_ZIP_BYTES = 200 * 1024**2
#: Raw text collected before normalising: room for the spaces and blank lines that normalising removes.
RAW_TEXT_BUDGET = 2 * MAX_TEXT_CHARS

ODT_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODT_PARAGRAPHS = {f"{{{ODT_TEXT}}}p", f"{{{ODT_TEXT}}}h"}
ODT_SPACE = f"{{{ODT_TEXT}}}s"
ODT_SPACE_COUNT = f"{{{ODT_TEXT}}}c"
ODT_TAB = f"{{{ODT_TEXT}}}tab"
ODT_LINE_BREAK = f"{{{ODT_TEXT}}}line-break"


class Encrypted(Exception):
    """The file needs a password."""


class TooBig(Exception):
    """The file declares more content than is reasonable to read."""


def main(argv: list[str]) -> int:
    kind = FileKind(argv[1])
    cpu_seconds = int(argv[2]) if len(argv) > 2 else EXTRACTION_TIMEOUT
    limit(resource.RLIMIT_AS, MEMORY_LIMIT)
    limit(resource.RLIMIT_CPU, cpu_seconds)  # then the kernel kills the process
    # Parsers' complaints about broken files are expected here, and only the answer matters; the protocol's
    # stdout is kept from anything a library might print.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    answer_to = sys.stdout.buffer
    sys.stdout = sys.stderr
    try:
        status, text, truncated = read(sys.stdin.buffer.read(), kind)
        answer = json.dumps({"status": status, "text": text, "truncated": truncated}, ensure_ascii=False)
        answer_to.write(answer.encode())
        answer_to.flush()
    except MemoryError:
        os._exit(EXIT_TOO_BIG)
    return 0


def limit(which: int, value: int) -> None:
    """Lower a resource limit, soft and hard alike (so nothing in this process can raise it again)."""
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def read(data: bytes, kind: FileKind) -> tuple[ExtractionStatus, str, bool]:
    """Status, normalised text and whether it was cut, for the bytes of a file of this kind."""
    try:
        text, truncated = collect(PARSERS[kind](data))
    except Encrypted:
        return ExtractionStatus.ENCRYPTED, "", False
    except TooBig:
        return ExtractionStatus.TOO_BIG, "", False
    except MemoryError:
        raise  # not the file's fault alone: the process is spent, ``main`` exits at once
    except Exception:  # noqa: BLE001 -- any parser error on a broken or hostile file means "cannot be read"
        return ExtractionStatus.FAILED, "", False
    return (ExtractionStatus.SEARCHABLE if text else ExtractionStatus.NO_TEXT), text, truncated


def collect(pieces: Iterable[str]) -> tuple[str, bool]:
    """The pieces joined and normalised, at most ``MAX_TEXT_CHARS``; stops asking for pieces (pages,
    paragraphs, rows) once there is enough, so a 10,000-page file is not read to the end."""
    parts = []
    size = 0
    stopped = False
    for piece in pieces:
        if not piece.strip() and not (parts and parts[-1].strip()):
            continue  # a run of empty paragraphs or rows adds nothing, and must not fill the budget
        if size + len(piece) > RAW_TEXT_BUDGET:
            parts.append(piece[: RAW_TEXT_BUDGET - size])
            stopped = True
            break
        parts.append(piece)
        size += len(piece)
    text = normalise("".join(parts))
    return text[:MAX_TEXT_CHARS].rstrip(), stopped or len(text) > MAX_TEXT_CHARS


def pdf_text(data: bytes) -> Iterator[str]:
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Many PDFs are encrypted with an empty password only to restrict printing or copying; those open.
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception as error:  # noqa: BLE001 -- an unsupported scheme is a lock we cannot open either
            raise Encrypted from error
        if not opened:
            raise Encrypted
    if not reader.pages:
        raise ValueError("a PDF without pages")
    for page in reader.pages:
        yield (page.extract_text() or "") + "\n\n"


def docx_text(data: bytes) -> Iterator[str]:
    import docx

    check_zip(data)
    yield from _docx_blocks(docx.Document(io.BytesIO(data)))


def _docx_blocks(container) -> Iterator[str]:
    """Paragraphs and tables in document order; a table row as one line of tab-separated cells."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if not isinstance(block, Table):
            yield block.text + "\n\n"
            continue
        for row in block.rows:
            cells = []
            for cell in row.cells:
                if not cells or cell is not cells[-1]:  # a merged cell is listed once per column it spans
                    cells.append(cell)
            yield "\t".join(" ".join("".join(_docx_blocks(cell)).split()) for cell in cells) + "\n"
        yield "\n"


def xlsx_text(data: bytes) -> Iterator[str]:
    import openpyxl

    check_zip(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            # The sheet's declared dimensions are not trusted: "A1:XFD1048576" would make openpyxl pad
            # every row to 16,384 cells and yield a million empty rows.
            sheet.reset_dimensions()
            yield sheet.title + "\n"
            for row in sheet.iter_rows(values_only=True):
                # Empty cells are left out: a row with one value in column XFD is one value, not 16,384.
                values = [text for text in map(_cell_text, row) if text]
                if values:
                    yield "\t".join(values) + "\n"
            yield "\n"
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def pptx_text(data: bytes) -> Iterator[str]:
    from pptx import Presentation

    check_zip(data)
    for slide in Presentation(io.BytesIO(data)).slides:
        yield from _pptx_shapes(slide.shapes)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            yield slide.notes_slide.notes_text_frame.text + "\n\n"


def _pptx_shapes(shapes) -> Iterator[str]:
    from pptx.shapes.group import GroupShape

    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _pptx_shapes(shape.shapes)
        elif shape.has_text_frame:
            yield shape.text_frame.text + "\n\n"
        elif shape.has_table:
            for row in shape.table.rows:
                yield "\t".join(" ".join(cell.text.split()) for cell in row.cells) + "\n"
            yield "\n"


def odt_text(data: bytes) -> Iterator[str]:
    """Paragraphs and headings of content.xml, streamed: each is read when it closes and then dropped, so
    memory stays small however long the document, and reading stops once enough text is collected."""
    from defusedxml.ElementTree import iterparse

    package = check_zip(data)
    names = set(package.namelist())
    if "META-INF/manifest.xml" in names and b"encryption-data" in package.read("META-INF/manifest.xml"):
        raise Encrypted
    open_elements = []
    with package.open("content.xml") as content:
        for event, element in iterparse(content, events=("start", "end")):
            if event == "start":
                open_elements.append(element)
                continue
            open_elements.pop()
            if element.tag in ODT_PARAGRAPHS:
                yield "".join(_odt_inline(element)) + "\n\n"
                if not any(outer.tag in ODT_PARAGRAPHS for outer in open_elements):
                    del open_elements[-1][-1]  # the paragraph just closed is its parent's last child


def _odt_inline(element) -> Iterator[str]:
    """The text of a paragraph or heading, with ODF's space, tab and line-break elements; a paragraph
    nested in it (in a frame or a note) is left to be read as a paragraph of its own."""
    if element.text:
        yield element.text
    for child in element:
        if child.tag == ODT_SPACE:
            count = child.get(ODT_SPACE_COUNT, "1")
            # isdecimal, not isdigit: "²" is a digit that int() refuses.
            yield " " * min(int(count) if count.isdecimal() else 1, 100)
        elif child.tag == ODT_TAB:
            yield "\t"
        elif child.tag == ODT_LINE_BREAK:
            yield "\n"
        elif child.tag not in ODT_PARAGRAPHS:
            yield from _odt_inline(child)
        if child.tail:
            yield child.tail


def plain_text(data: bytes) -> Iterator[str]:
    text = decode_text(data)
    if text is None:
        raise ValueError("not UTF-8 or UTF-16 text")
    yield text


def check_zip(data: bytes) -> zipfile.ZipFile:
    """The ZIP package, once its declared content is found reasonable (``TooBig`` otherwise)."""
    package = zipfile.ZipFile(io.BytesIO(data))
    members = package.infolist()
    if len(members) > MAX_ZIP_MEMBERS or sum(member.file_size for member in members) > MAX_ZIP_BYTES:
        raise TooBig
    return package


PARSERS: dict[FileKind, Callable[[bytes], Iterable[str]]] = {
    FileKind.PDF: pdf_text,
    FileKind.DOCX: docx_text,
    FileKind.XLSX: xlsx_text,
    FileKind.PPTX: pptx_text,
    FileKind.ODT: odt_text,
    FileKind.TXT: plain_text,
    FileKind.CSV: plain_text,
}


if __name__ == "__main__":
    sys.exit(main(sys.argv))
