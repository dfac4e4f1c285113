"""Generated documents (PDF and DOCX) in the reader's language and its direction: every app that writes a
report, a brief or a draft builds it here, so Arabic comes out shaped and right to left everywhere.

PDF: WeasyPrint from an HTML page that names its language and direction (``<html lang dir>``); Pango shapes
Arabic (joined letter forms, right-to-left runs) with Debian's DejaVu fonts, found through fontconfig, and
the text is stored in logical order, so a PDF reader's search and copy give the words as they were typed.
WeasyPrint fetches nothing: no stylesheet, font or image from a URL (a closed network, no server-side
requests on a user's behalf).

DOCX: python-docx writes no direction at all; Word and LibreOffice then lay an Arabic paragraph out left to
right, with its full stop on the wrong side and bullets on the left. ``right_to_left`` marks what the
format asks for: ``w:bidi`` on every paragraph, ``w:bidiVisual`` on every table (its first column on the
right), ``w:rtl`` on the runs holding right-to-left text (with their bold and italic repeated for complex
scripts, which Word reads instead of the Latin ones), and the document's default languages.
"""

from __future__ import annotations

import unicodedata

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

#: Unicode bidirectional classes of right-to-left letters (Hebrew, Arabic, Syriac, Thaana...).
RTL_CLASSES = frozenset({"R", "AL"})


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (styles inline, fonts from the system)."""
    # Imported here: WeasyPrint loads Pango through cffi, which only the documents need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetchingError

    class NoFetching(URLFetcher):
        """The documents' HTML names no stylesheet, image or font to fetch; anything else is refused."""

        def fetch(self, url, headers=None):
            raise URLFetchingError(f"not fetched: {url}")

    return HTML(string=html, url_fetcher=NoFetching()).write_pdf()


def has_rtl_text(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in RTL_CLASSES for char in text)


#: The order of the property elements that ``right_to_left`` adds or reads, from the OOXML schema (Word
#: refuses a document whose properties are out of order): paragraph, run and table properties.
PARAGRAPH_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
RUN_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
TABLE_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
    "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip


def _child(parent, tag: str, order: tuple[str, ...]):
    """``parent``'s ``tag`` element, added in its place among the others if missing (OOXML's property
    elements are unique and ordered)."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert_element_before(found, *order[order.index(tag) + 1 :])
    return found


def _set_languages(document, language: str, rtl: bool) -> None:
    """The default languages of every run: ``w:val`` for Latin-script text, ``w:bidi`` for complex scripts
    (spell checking, hyphenation and the digits' shapes follow them)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    lang = _child(properties, "w:lang", RUN_ORDER)
    lang.set(qn("w:val"), language)
    if rtl:
        lang.set(qn("w:bidi"), language)


def _mark_run(run) -> None:
    properties = run._r.get_or_add_rPr()
    _child(properties, "w:rtl", RUN_ORDER)
    # Word formats complex-script text with the *Cs twins of bold and italic
    for latin, complex_script in (("w:b", "w:bCs"), ("w:i", "w:iCs")):
        if properties.find(qn(latin)) is not None:
            _child(properties, complex_script, RUN_ORDER)


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def right_to_left(document) -> None:
    """Lay ``document`` out right to left: paragraphs, tables and the runs of right-to-left text."""
    for paragraph in _paragraphs(document):
        _child(paragraph._p.get_or_add_pPr(), "w:bidi", PARAGRAPH_ORDER)
        for run in paragraph.runs:
            if has_rtl_text(run.text):
                _mark_run(run)
    for table in document.tables:
        _child(table._tbl.tblPr, "w:bidiVisual", TABLE_ORDER)


def finish_docx(document, *, title: str, language: str, rtl: bool) -> None:
    """The document's title and languages, and its direction: call once its content is written."""
    document.core_properties.title = title
    document.core_properties.language = language
    _set_languages(document, language, rtl)
    if rtl:
        right_to_left(document)
