"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of texts, column key → text, for any import that
declares its columns (``Column``): the projects' (``rows.COLUMNS``) and CTED's recommendations'
(``cted.imports.COLUMNS``). Headers are matched without regard to case, accents' case, spaces or underscores.

The file's type is decided by its content (``library.filetypes.sniff``: magic bytes, an XLSX's members, text
that really is text), never by its name. A workbook is read with openpyxl in read-only mode (its XML through
defusedxml, the sheet streamed) after its ZIP directory is checked for size; a CSV is decoded as UTF-8 (or
UTF-16 with its mark) and its delimiter (comma, semicolon or tab) read from the header line. Everything wrong
with the file as a whole — empty, too large, not a spreadsheet, unreadable, wrong headers, too many rows — is
an ``ImportFileError`` with one message for the person who uploaded it; rows are checked later, one by one.
"""

from __future__ import annotations

import csv
import io
import logging
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from core.tables import FORMULA_STARTS, csv_bytes, xlsx_bytes
from library.filetypes import FileKind, RejectedFile, decode_text, sniff

logger = logging.getLogger(__name__)

#: The most rows one file may hold: beyond, the person splits the file (10,000 import within a minute).
MAX_ROWS = 10_000
#: The most columns read from a row (the projects' template has 23; more are refused as unknown headers).
MAX_COLUMNS = 60
#: An XLSX's parts uncompressed: a spreadsheet of 10,000 rows is a few tens of MB at most.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: A cell longer than this is cut (the longest field, a description, takes 20,000 characters).
MAX_CELL_CHARS = 25_000


@dataclass(frozen=True)
class Column:
    """A column of an import: its key (what a row's values are keyed by), the header the template writes, what
    to write in it, an example, and whether a file must have it."""

    key: str
    header: str
    help: str
    example: str = ""
    required: bool = False


def normal(text: str) -> str:
    """A name or header as matched: case, accents and repeated spaces do not count (“Côte d’Ivoire” is
    “cote d’ivoire”)."""
    decomposed = unicodedata.normalize("NFD", str(text).casefold())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def header_key(header: str, columns: Sequence[Column]) -> str | None:
    """The key of the column a header names (its header or its key), or None."""
    wanted = normal(str(header).replace("_", " ").replace("-", " "))
    for column in columns:
        if wanted in (normal(column.header), normal(column.key.replace("_", " "))):
            return column.key
    return None


def max_bytes() -> int:
    """The largest file accepted (``PROJECTS_IMPORT_MAX_MB``, 20 MB by default)."""
    return getattr(settings, "PROJECTS_IMPORT_MAX_MB", 20) * 1024 * 1024


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; ``str(error)`` says why, for its uploader."""


@dataclass
class Table:
    """The rows read (column key → text), each with its row number in the file."""

    rows: list[dict]
    numbers: list[int]


def read_table(file, *, name: str, columns: Sequence[Column]) -> Table:
    """The rows of an uploaded XLSX or CSV file (a Django ``UploadedFile``) with these columns."""
    try:
        sniffed = sniff(file, name=name, max_bytes=max_bytes())
    except RejectedFile as error:
        raise ImportFileError(str(error)) from None
    if sniffed.kind == FileKind.XLSX:
        lines = _xlsx_lines(file)
    elif sniffed.kind in (FileKind.CSV, FileKind.TXT):
        lines = _csv_lines(file)
    else:
        raise ImportFileError(
            _("This file is a %(kind)s. Upload an Excel workbook (.xlsx) or a CSV file.")
            % {"kind": sniffed.kind.label}
        )
    return _table(lines, columns)


def _table(lines, columns: Sequence[Column]) -> Table:
    """Headers first (the first row that is not empty), then rows up to ``MAX_ROWS``."""
    header, keys = None, []
    rows, numbers = [], []
    for number, cells in lines:
        if not any(cells):
            continue
        if header is None:
            header = cells
            keys = _keys(header, columns)
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows. Split it into files of at most %(max)s rows each.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        row = {key: cells[index] if index < len(cells) else "" for index, key in enumerate(keys) if key}
        if any(cells[len(keys) :]):
            raise ImportFileError(
                _("Row %(row)s has values beyond the last column with a header.") % {"row": number}
            )
        rows.append(row)
        numbers.append(number)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has its header row but no rows under it."))
    return Table(rows=rows, numbers=numbers)


def _keys(header: list[str], columns: Sequence[Column]) -> list[str | None]:
    header_of = {column.key: column.header for column in columns}
    keys, unknown, seen = [], [], set()
    for index, title in enumerate(header):
        if not title:
            keys.append(None)
            continue
        key = header_key(title, columns)
        if key is None:
            unknown.append(title[:60])
        elif key in seen:
            raise ImportFileError(_("The column %(column)s appears twice.") % {"column": header_of[key]})
        seen.add(key)
        keys.append(key)
        if index >= MAX_COLUMNS:
            break
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s (download the template).")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(column.header for column in columns)}
        )
    missing = [column.header for column in columns if column.required and column.key not in seen]
    if missing:
        raise ImportFileError(
            _("The first row must be the column headers, and these are missing: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    return keys


def cell_text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD, numbers as written (no float noise), a formula-guarding
    apostrophe (as the platform's own exports add) removed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f").removesuffix(".0") if value == value else ""
    text = str(value)[:MAX_CELL_CHARS].strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def _xlsx_lines(file):
    from openpyxl import load_workbook

    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            if sum(member.file_size for member in package.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise ImportFileError(
                    _("This workbook is too large once uncompressed. Split it into smaller files.")
                )
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
    except ImportFileError:
        raise
    except (
        Exception
    ) as error:  # openpyxl raises many kinds on a damaged workbook: all mean the same to its user
        logger.info("unreadable workbook: %r", error)
        raise ImportFileError(
            _("This workbook could not be read. Save it again from Excel and upload it.")
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            yield number, [cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception as error:
        logger.info("unreadable worksheet: %r", error)
        raise ImportFileError(
            _("This workbook could not be read. Save it again from Excel and upload it.")
        ) from None
    finally:
        workbook.close()


def _csv_lines(file):
    file.seek(0)
    text = decode_text(file.read())
    if text is None:
        raise ImportFileError(_("This CSV file is not in UTF-8. Save it as “CSV UTF-8” and upload it again."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield number, [cell_text(value) for value in values[: MAX_COLUMNS + 1]]
    except csv.Error as error:
        raise ImportFileError(
            _("This CSV file could not be read at row %(row)s: %(error)s.")
            % {"row": reader.line_num, "error": error}
        ) from None


def template_rows(columns: Sequence[Column]) -> tuple[list[str], list[list[str]]]:
    return [column.header for column in columns], [[column.example for column in columns]]


def template_xlsx(columns: Sequence[Column], *, sheet: str) -> bytes:
    """A workbook of the headers and one example row, with a sheet saying what to write in each column."""
    header, rows = template_rows(columns)
    about = [(column.header, str(column.help)) for column in columns]
    return xlsx_bytes(sheet, header, rows, widths=[24] * len(header), about=about)


def template_csv(columns: Sequence[Column]) -> bytes:
    header, rows = template_rows(columns)
    return csv_bytes(header, rows)
