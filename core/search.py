"""Full-text search pieces shared by the apps: the web-style query in English (projects, CTED's
recommendations, events, discussions) and highlighted snippets.

Snippets: ``ts_headline`` marks the matched words with two private-use characters (``HEADLINE_OPTIONS``), so
that the text can be escaped as a whole and the marks turned into ``<mark>`` afterwards (``highlight``) —
the text of a document never becomes markup.
"""

from __future__ import annotations

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.utils.safestring import SafeString, mark_safe

#: The configuration of the English-stemmed vectors (projects, CTED, events, discussions).
ENGLISH = "english"

MARK_START, MARK_END = "\ue000", "\ue001"
#: ``ts_headline``'s options as SQL text (for raw SQL: library.search); ``headline`` gives the same.
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def words_of(text: str) -> str:
    """The text as searched: white space collapsed, NUL bytes (refused by PostgreSQL) gone."""
    return " ".join(text.replace("\x00", " ").split())


def english_query(text: str) -> SearchQuery | None:
    """``websearch_to_tsquery('english', text)`` (quotes for phrases, ``OR``, ``-word``; never fails on
    user input), or None when the text holds no word."""
    words = words_of(text)
    if not re.search(r"\w", words):
        return None
    return SearchQuery(words, config=ENGLISH, search_type="websearch")


def headline(expression, query, *, config: str = ENGLISH) -> SearchHeadline:
    """The highlighted passage of ``expression`` (a field name or an expression) for ``query``, to be turned
    into markup by ``highlight``."""
    return SearchHeadline(
        expression, query, config=config, start_sel=MARK_START, stop_sel=MARK_END, max_words=35, min_words=15,
        short_word=2, max_fragments=2, fragment_delimiter=" … ",
    )  # fmt: skip


def highlight(headline_text: str | None) -> SafeString:
    """Escape the passage as a whole, then turn the private-use marks into <mark> elements."""
    escaped = html.escape(" ".join((headline_text or "").split()))
    opened = False
    parts = []
    for piece in re.split(f"([{MARK_START}{MARK_END}])", escaped):
        if piece == MARK_START and not opened:
            parts.append("<mark>")
            opened = True
        elif piece == MARK_END and opened:
            parts.append("</mark>")
            opened = False
        elif piece not in (MARK_START, MARK_END):
            parts.append(piece)
    if opened:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text was escaped above
