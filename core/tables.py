"""Tables for spreadsheets: every CSV and XLSX export of the platform is written here, the same way.

Spreadsheet formulas are neutralised (CSV injection, OWASP): in XLSX every cell is written as a string
typed as text (with Excel's "quote prefix" on values that start like a formula), so values are kept
exactly; CSV has no types, so a value starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
gets a leading apostrophe. CSV is UTF-8 with a byte-order mark (so Excel reads accents right), CRLF rows,
every field quoted. Downloads are attachments, never cached by shared caches, never sniffed.

Direction: a workbook made in a right-to-left language (Arabic) has its sheets right to left (column A on
the right, as Excel shows an Arabic workbook); CSV has no direction to give — a spreadsheet lays it out by
its own settings.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

CRLF = "\r\n"
#: Values a spreadsheet would read as a formula (or a DDE call) if they start a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What a phone number may hold: digits and + ( ) - . / spaces, which a spreadsheet can at most read as
#: arithmetic — never a function call or an external reference — and which people want kept as typed.
PHONE_NUMBER = re.compile(r"\+?[0-9 ().\-/]{5,40}")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS) and not PHONE_NUMBER.fullmatch(value)


def neutralise(value: str) -> str:
    """A CSV cell a spreadsheet will not evaluate: a leading apostrophe before formula-like values."""
    return "'" + value if looks_like_formula(value) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator=CRLF)
    writer.writerow([str(title) for title in header])
    for values in rows:
        writer.writerow([neutralise(str(value)) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    widths: Sequence[int] = (),
    about: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A workbook with the table on the first sheet (bold, frozen header) and, when given, a second sheet
    describing the export (``about``: label/value pairs, e.g. date, filters, truncation)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    rtl = get_language_bidi() or None  # None: no attribute at all in a left-to-right workbook
    sheet = workbook.create_sheet(title)
    sheet.sheet_view.rightToLeft = rtl
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)

    def cell(target, value: object, *, font=None) -> WriteOnlyCell:
        value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        written = WriteOnlyCell(target, value=value)
        # openpyxl types a string starting with "=" as a formula: force text, for every cell.
        written.data_type = "s"
        if looks_like_formula(value):
            written.quotePrefix = True  # Excel keeps it text even when the cell is edited
        if font is not None:
            written.font = font
        return written

    sheet.append([cell(sheet, title, font=bold) for title in header])
    for values in rows:
        sheet.append([cell(sheet, value) for value in values])
    if about:
        info = workbook.create_sheet(_("About this export"))
        info.sheet_view.rightToLeft = rtl
        info.column_dimensions["A"].width = 24
        info.column_dimensions["B"].width = 80
        for label, value in about:
            info.append([cell(info, label, font=bold), cell(info, value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """An export as a download: an attachment, private, never stored by a shared cache, never sniffed."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
