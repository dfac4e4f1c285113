"""Full-text search in the library: language-aware vectors, websearch syntax, ranking and snippets.

Vectors. Each text is indexed twice, with ``simple`` (exact words, any script: names, acronyms) and with
the stemmer of each of the resource's languages (``library_vector``, a SQL function of migration 0002,
like ``library_config`` and ``library_query``): "frontières" finds "frontière",
"terrorism" finds "terrorist", and "ISIL" is still found as typed. Two vectors per resource:
``search_vector`` (title A, themes and summary B) is small and is what results are *ranked* by;
``document_vector`` (the same plus the current files' text, D) is only *matched* — a GIN index answers
the match, and no large vector is read to score thousands of hits.

Scripts without spaces between words (Chinese, Japanese, Korean, Thai: ``CJK``) are indexed as overlapping
two-character pieces, and a query's words in them are read the same way (``library_cjk`` and
``library_websearch``, migration 0007): "管理" is found inside "边境管理合作". Their snippets are cut here,
around the words found (``ts_headline`` would see a whole clause as one word).

Queries. ``library_query(text)`` is ``websearch_to_tsquery`` (quotes for phrases, ``OR``, ``-word``)
in ``simple`` OR-ed with the same in each UN language's stemmer (Chinese: ``simple``), so a query meets
a document in whatever language it was indexed. ``websearch_to_tsquery`` never fails on user input; a
query with no word at all (only operators or punctuation) is treated as no query.

Snippets come from the best-matching *passage* (about 1,500 characters) of each hit on the page —
only for the page's ids, which ``visible_to`` produced: a snippet can only show text of a resource the
reader may see.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQueryField
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, QuerySet, Value
from django.utils.safestring import SafeString

from core.search import HEADLINE_OPTIONS, MARK_END, MARK_START, highlight

#: The characters of the scripts written without spaces between words, as migration 0007's ``library_cjk``
#: reads them (Thai, Hangul, Hiragana and Katakana, the CJK ideographs).
CJK = (
    "\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
)
#: A snippet of text in those scripts: this many characters, starting this many before the first word found.
CJK_SNIPPET, CJK_LEAD = 120, 30

#: Longer queries are cut (a 10,000-character paste must not become a 10,000-term query).
MAX_QUERY_LENGTH = 300


def clean_query(text: str | None) -> str:
    """The query as searched: cut to a sane length; empty when it holds no word (only operators)."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    return text if re.search(r"\w", text) else ""


class LibraryQuery(Func):
    """``library_query(text)``, as a subquery: PostgreSQL computes it once for the statement (an InitPlan),
    where a function call in a filter is computed again for every row it checks when the plan scans the
    table — as it does for a common word, which the index would not narrow: "security" took 46 s, not
    40 ms, at 28,000 resources."""

    function = "library_query"
    template = "(SELECT %(function)s(%(expressions)s))"
    output_field = SearchQueryField()


class Matches(Func):
    """``vector @@ query``."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Rank(Func):
    function = "ts_rank"
    output_field = FloatField()


def search(resources: QuerySet, query: str) -> QuerySet:
    """The resources matching ``query`` (already cleaned), with their ``rank``."""
    tsquery = LibraryQuery(Value(query))
    return resources.filter(Matches(F("document_vector"), tsquery)).annotate(
        rank=Rank(F("search_vector"), LibraryQuery(Value(query)))
    )


# Constant options; the query, the ids and whether to highlight here (CJK: the passage itself) are parameters.
SNIPPETS = f"""
WITH q AS (SELECT library_query(%s) AS whole, library_query(%s) AS any_word),
best AS (
    -- A hit may match the query only across passages: a passage with all the words comes first, then
    -- the passage with most of them.
    SELECT DISTINCT ON (p.resource_id) p.resource_id, p.version_id, p.start, p.length, p.config
    FROM library_passage p, q
    WHERE p.resource_id = ANY(%s) AND p.vector @@ q.any_word
    ORDER BY p.resource_id, (p.vector @@ q.whole) DESC, ts_rank(p.vector, q.any_word) DESC, p.start
)
SELECT best.resource_id,
       CASE WHEN %s THEN substr(v.extracted_text, best.start + 1, best.length)
            ELSE ts_headline(best.config::regconfig, substr(v.extracted_text, best.start + 1, best.length),
                             q.any_word, '{HEADLINE_OPTIONS}') END
FROM best JOIN library_fileversion v ON v.id = best.version_id, q
"""  # noqa: S608


def _words(query: str) -> list[str]:
    return [word for sign, word in re.findall(r"(-?)(\w+)", query) if not sign and word.upper() != "OR"]


def any_word(query: str) -> str:
    """The query's words as alternatives ("a b -c" → "a OR b"): what a snippet highlights."""
    return " OR ".join(_words(query)) or query


def has_cjk(text: str) -> bool:
    return re.search(f"[{CJK}]", text) is not None


def cjk_headline(text: str, query: str) -> str:
    """``ts_headline``'s output for text in a script without spaces: CJK_SNIPPET characters from just before
    the first of the query's words found, each of them marked where it is."""
    text = " ".join(text.split())
    words = sorted(set(_words(query)), key=len, reverse=True)
    found = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE) if words else None
    first = found.search(text) if found else None
    start = max(0, first.start() - CJK_LEAD) if first else 0
    passage = text[start : start + CJK_SNIPPET]
    return found.sub(lambda word: f"{MARK_START}{word.group()}{MARK_END}", passage) if found else passage


def snippets(resource_ids: list[int], query: str) -> dict[int, SafeString]:
    """The highlighted best passage of each of these resources (ids of a page the reader may see: the
    caller's ``visible_to`` list is what makes snippets confidential), by resource id."""
    if not resource_ids or not query:
        return {}
    cjk = has_cjk(query)
    with connection.cursor() as cursor:
        cursor.execute(SNIPPETS, [query, any_word(query), list(resource_ids), cjk])
        rows = cursor.fetchall()
    return {pk: highlight(cjk_headline(text, query) if cjk else text) for pk, text in rows}
