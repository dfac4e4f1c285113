"""What an uploaded file really is, decided by its content, and the name it is offered under.

The extension and the browser's Content-Type are whatever the uploader's machine said; they decide nothing.
The first bytes (and, for ZIP-based formats, the list of members) decide the type, the type decides the
MIME type the file is served with and its extension. So a program renamed ``report.pdf`` is refused, a PDF
named ``report.docx`` is accepted as the PDF it is, and nothing is ever served as HTML or SVG, which a
browser would run as part of the platform's own pages.

Only the types a resource library needs are accepted: documents we can extract text from, plain text and
CSV, and PNG/JPEG images. Everything else is refused with a message saying why, in the uploader's language.
"""

from __future__ import annotations

import codecs
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from filetype import match
from filetype.types import application, archive, image


class FileKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    DOCX = "docx", _("Word document")
    XLSX = "xlsx", _("Excel workbook")
    PPTX = "pptx", _("PowerPoint presentation")
    ODT = "odt", _("OpenDocument text")
    TXT = "txt", _("Plain text")
    CSV = "csv", _("CSV table")
    PNG = "png", _("PNG image")
    JPEG = "jpeg", _("JPEG image")


@dataclass(frozen=True)
class Sniffed:
    kind: FileKind
    content_type: str
    extension: str
    renamed: bool


class RejectedFile(ValueError):
    """Raised with a user-facing, translated message (``str(exc)``), shown in the upload form."""


#: Served types. Text is also served with its charset (added by ``sniff``), so a browser never guesses one.
CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.TXT: "text/plain",
    FileKind.CSV: "text/csv",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
}

#: The extensions a name may have for each kind without being renamed; the first is the canonical one.
EXTENSIONS = {
    FileKind.PDF: (".pdf",),
    FileKind.DOCX: (".docx",),
    FileKind.XLSX: (".xlsx",),
    FileKind.PPTX: (".pptx",),
    FileKind.ODT: (".odt",),
    FileKind.TXT: (".txt",),
    FileKind.CSV: (".csv",),
    FileKind.PNG: (".png",),
    FileKind.JPEG: (".jpg", ".jpeg"),
}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

#: Python's zipfile reads a ZIP's whole central directory into memory, a few hundred bytes per member:
#: a 50 MB upload listing a million empty members would cost a web process gigabytes. Office documents
#: have tens of members; a ZIP beyond these limits is no document, and is refused before zipfile reads it.
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_DIRECTORY_BYTES = 2 * 1024 * 1024
ZIP_END_RECORD = b"PK\x05\x06"
ZIP_END_RECORD_BYTES = 22

#: Enough for every signature below (tar's sits at byte 257) and for the start of a text file.
HEAD_BYTES = 8192

IMAGE_MATCHERS = ((image.Png(), FileKind.PNG), (image.Jpeg(), FileKind.JPEG))

#: Programs: Windows (MZ) and Linux (ELF) executables and WebAssembly by the ``filetype`` library's
#: matchers; Mach-O (32/64-bit, both byte orders, universal binaries — whose magic Java classes share),
#: Android's Dalvik executables and scripts (``#!``, read by the kernel only at byte 0) by their magic here.
PROGRAM_MATCHERS = (archive.Exe(), archive.Elf(), application.Wasm())
PROGRAM_MAGIC = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"dex\n",
    b"#!",
)

#: Archives and compressed files other than ZIP (told apart from ZIP-based documents by their members).
ARCHIVE_MATCHERS = (
    archive.SevenZ(),
    archive.Rar(),
    archive.Gz(),
    archive.Tar(),
    archive.Bz2(),
    archive.Xz(),
    archive.Zstd(),
    archive.Lz(),
    archive.Lz4(),
    archive.Lzop(),
    archive.Z(),
    archive.Cab(),
    archive.Deb(),
    archive.Rpm(),
    archive.Ar(),
)

#: Markup a browser could render as a page or run scripts from. The test is the one browsers apply when
#: sniffing an unlabelled response (WHATWG MIME Sniffing): after leading whitespace, a tag, a comment, a
#: doctype or an XML declaration. Refused even when named .txt, so a served copy can never become a page.
MARKUP_START = re.compile(r"\A[\t\n\x0c\r ]*<[!?/A-Za-z]")

#: An extension is a dot and one to five letters or digits, at least one a letter: "report.pdf" has one,
#: "Q1.2024" and "Minutes 12.03" do not (their dot is part of the name).
EXTENSION = re.compile(r"\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,5}\Z")

#: Removed from names: path separators, characters Windows forbids in file names, and the quote and
#: backslash that Content-Disposition's quoted-string would otherwise have to escape.
UNSAFE_IN_NAMES = frozenset('/\\"*:<>?|')
#: Bidirectional formatting characters reorder how a name is displayed: "invoice\u202efdp.exe" shows as
#: "invoiceexe.pdf". Joiners (U+200C/U+200D), which Persian and Indic names need, are kept.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_NAME_CHARS = 150


def sniff(file, *, name: str, max_bytes: int) -> Sniffed:
    """The type of an uploaded file (a Django ``File``), decided by its content; ``RejectedFile`` if refused.

    Reads the first bytes, the ZIP central directory for ZIP-based formats, or all of a text file (only a
    complete read can tell text from binary); leaves the file at position 0.
    """
    if not file.size:
        raise RejectedFile(gettext("The file is empty."))
    if file.size > max_bytes:
        raise RejectedFile(
            gettext("The file is larger than %(cap)s MB, the largest file accepted.")
            % {"cap": f"{max_bytes / 2**20:.1f}".removesuffix(".0")}
        )
    try:
        kind = _kind(file)
        if kind is FileKind.TXT and name.lower().endswith(".csv"):
            kind = FileKind.CSV
        content_type = CONTENT_TYPES[kind]
        if kind in (FileKind.TXT, FileKind.CSV):
            file.seek(0)
            charset = "utf-16" if text_encoding(file.read(2)) == "utf-16" else "utf-8"
            content_type = f"{content_type}; charset={charset}"
    finally:
        file.seek(0)
    return Sniffed(
        kind=kind,
        content_type=content_type,
        extension=EXTENSIONS[kind][0],
        renamed=_extension(name).lower() not in EXTENSIONS[kind],
    )


def safe_filename(name: str, sniffed: Sniffed) -> str:
    """The name the file is shown and downloaded under: the uploaded base name, cleaned, with an extension
    that matches its content."""
    base = re.split(r"[/\\]", name)[-1]
    cleaned = "".join(" " if char.isspace() else char for char in base if _allowed_in_name(char))
    cleaned = " ".join(unicodedata.normalize("NFC", cleaned).split())
    extension = _extension(cleaned)
    stem = cleaned.removesuffix(extension)
    if extension.lower() not in EXTENSIONS[sniffed.kind]:
        extension = sniffed.extension
    # Leading dots would hide the file on Unix; trailing dots and spaces are dropped by Windows.
    stem = stem.strip(" .")[: MAX_NAME_CHARS - len(extension)].rstrip(" .")
    return (stem or "document") + extension


def text_encoding(head: bytes) -> str:
    """The codec text files are read with: UTF-16 when they start with its byte-order mark (the codec reads
    the mark to know the byte order), otherwise UTF-8 ("utf-8-sig" drops a UTF-8 byte-order mark if any)."""
    return "utf-16" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"


def decode_text(data: bytes) -> str | None:
    """The text of a text file by the rules ``sniff`` accepted it with; None if it is not text."""
    try:
        text = data.decode(text_encoding(data))
    except UnicodeDecodeError:
        return None
    # A NUL never occurs in text; in "UTF-8" it is the mark of a binary file (or of UTF-16 without a BOM).
    return None if "\x00" in text else text


def accepted_types() -> str:
    """The accepted types with their extensions, for messages and the upload form's help text."""
    return ", ".join(f"{kind.label} ({', '.join(EXTENSIONS[kind])})" for kind in FileKind)


def _kind(file) -> FileKind:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    if head.startswith(b"%PDF-"):
        # Only at byte 0 (readers accept it up to byte 1024): a prefix would be room for another format.
        return FileKind.PDF
    for matcher, kind in IMAGE_MATCHERS:
        if matcher.match(head):
            return kind
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(file)
    if head.startswith(PROGRAM_MAGIC) or match(head, PROGRAM_MATCHERS):
        raise RejectedFile(gettext("This file is a program; programs are not accepted."))
    if match(head, ARCHIVE_MATCHERS):
        raise _archive_rejected()
    start = _text_start(file)
    if start is not None and not MARKUP_START.match(start):
        return FileKind.TXT
    # Markup is refused whatever its encoding, decoded as text would be or, failing that, byte for byte.
    if MARKUP_START.match(start if start is not None else head.decode("latin-1")):
        raise RejectedFile(gettext("Web pages, SVG images and other markup files are not accepted."))
    raise _unknown_rejected()


def _zip_kind(file) -> FileKind:
    """A ZIP-based document by its members; any other ZIP is an archive. Only the central directory (at the
    end of the file) and ODT's tiny ``mimetype`` member are read."""
    if _large_zip_directory(file):
        raise _archive_rejected()
    try:
        with zipfile.ZipFile(file) as package:
            members = package.infolist()
            names = {member.filename for member in members}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                # A macro is a program inside a document; refused like any other program.
                raise RejectedFile(
                    gettext(
                        "Documents with macros are not accepted: save the document without macros (as .docx, "
                        ".xlsx or .pptx) and upload it again."
                    )
                )
            if "[Content_Types].xml" in names:
                for kind, main_part in (
                    (FileKind.DOCX, "word/document.xml"),
                    (FileKind.XLSX, "xl/workbook.xml"),
                    (FileKind.PPTX, "ppt/presentation.xml"),
                ):
                    if main_part in names:
                        return kind
                raise _unknown_rejected()
            if members and members[0].filename == "mimetype":
                with package.open(members[0]) as member:
                    mimetype = member.read(100).strip()
                if mimetype == ODT_MIMETYPE:
                    return FileKind.ODT
                # Other OpenDocument types (spreadsheets, presentations) are documents, not archives.
                raise _unknown_rejected()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise _unknown_rejected() from error
    raise _archive_rejected()


def _large_zip_directory(file) -> bool:
    """Whether the ZIP's end record (in its last 22 bytes, or before a comment of up to 64 kB) announces a
    central directory beyond ``MAX_ZIP_MEMBERS`` or ``MAX_ZIP_DIRECTORY_BYTES``; a ZIP64 end record (members
    or size at their 16/32-bit maximum) is beyond them too. Without an end record, zipfile refuses the
    file."""
    tail_bytes = min(file.size, ZIP_END_RECORD_BYTES + 0xFFFF)
    file.seek(file.size - tail_bytes)
    tail = file.read(tail_bytes)
    end = tail.rfind(ZIP_END_RECORD)
    if end < 0 or len(tail) < end + ZIP_END_RECORD_BYTES:
        return False
    members, directory_bytes = struct.unpack("<HI", tail[end + 10 : end + 16])
    return members > MAX_ZIP_MEMBERS or directory_bytes > MAX_ZIP_DIRECTORY_BYTES


def _text_start(file) -> str | None:
    """The decoded first chunk of the file if the whole file is text (see ``decode_text``), else None.

    Decoded chunk by chunk, so a large text file is checked without being held in memory twice."""
    decoder = None
    start = None
    try:
        for chunk in file.chunks():
            if decoder is None:
                decoder = codecs.getincrementaldecoder(text_encoding(chunk))()
            text = decoder.decode(chunk)
            if "\x00" in text:
                return None
            if start is None:
                start = text
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return start


def _extension(name: str) -> str:
    found = EXTENSION.search(name)
    return found.group() if found else ""


def _allowed_in_name(char: str) -> bool:
    if char.isspace():
        return True  # turned into a plain space, then collapsed
    return not (
        char in UNSAFE_IN_NAMES or char in BIDI_CONTROLS or unicodedata.category(char) in {"Cc", "Cs"}
    )


def _archive_rejected() -> RejectedFile:
    return RejectedFile(
        gettext("Archives (ZIP, 7z, RAR, gzip, tar…) are not accepted: upload the documents themselves.")
    )


def _unknown_rejected() -> RejectedFile:
    return RejectedFile(
        gettext("This type of file is not accepted. Accepted: %(types)s. Text files must be in UTF-8.")
        % {"types": accepted_types()}
    )
