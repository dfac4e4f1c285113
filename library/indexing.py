"""Keeping the library's search index current: vectors, facet keys and passages, in set-based SQL.

``refresh(resource_ids)`` recomputes a resource's two vectors and its facet keys from its metadata and
its current versions' text; it runs after every write to a resource (services) and after each text
extraction (tasks). ``index_passages(version)`` cuts a current version's text into passages.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from core.facets import CountCache
from library.extraction import passages
from library.models import FileVersion, Passage, Resource

#: Facet counts depend on who asks (the audience): keys include the reader's audience (library.selectors).
COUNTS = CountCache("library")

# Facet keys: "type:<type>", "pillar:<id>", "tag:<theme, lower-case>", "wg:<id>", "country:<ISO3>",
# "lang:<code>", "year:<publication year>", "org:<owner or author organisation id>".
REFRESH = """
WITH texts AS (
    SELECT d.resource_id, string_agg(v.extracted_text, E'\\n\\n' ORDER BY d.id) AS body
    FROM library_document d
    JOIN library_fileversion v ON v.document_id = d.id AND v.is_current
    WHERE d.resource_id = ANY(%(ids)s) AND v.extraction_status = 'searchable'
    GROUP BY d.resource_id
),
meta AS (
    SELECT r.id,
           library_vector(r.languages, r.title, 'A')
           || library_vector(r.languages, array_to_string(r.tags, ', '), 'B')
           || library_vector(r.languages, r.summary, 'B') AS vector
    FROM library_resource r
    WHERE r.id = ANY(%(ids)s)
)
UPDATE library_resource AS r
SET search_vector = meta.vector,
    document_vector = meta.vector || library_vector(r.languages, coalesce(texts.body, ''), 'D'),
    facet_keys = ARRAY(
        SELECT DISTINCT k FROM (
            SELECT 'type:' || r.resource_type
            UNION ALL SELECT 'year:' || extract(year FROM r.publication_date)::int
            UNION ALL SELECT 'wg:' || r.working_group_id WHERE r.working_group_id IS NOT NULL
            UNION ALL SELECT 'org:' || r.owner_id
            UNION ALL SELECT 'org:' || a.organization_id FROM library_resource_author_organizations a
                      WHERE a.resource_id = r.id
            UNION ALL SELECT 'pillar:' || p.pillar_id FROM library_resource_pillars p
                      WHERE p.resource_id = r.id
            UNION ALL SELECT 'tag:' || lower(t) FROM unnest(r.tags) t
            UNION ALL SELECT 'country:' || c FROM unnest(r.countries) c
            UNION ALL SELECT 'lang:' || l FROM unnest(r.languages) l
        ) keys(k) ORDER BY k
    )
FROM meta LEFT JOIN texts ON texts.resource_id = meta.id
WHERE r.id = meta.id
"""


def refresh(resource_ids: Iterable[int]) -> None:
    """Recompute the vectors and facet keys of these resources (one statement)."""
    ids = list(resource_ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(REFRESH, {"ids": ids})
    COUNTS.forget()


INDEX_PASSAGES = """
INSERT INTO library_passage (version_id, resource_id, start, length, config, vector)
SELECT %(version)s, %(resource)s, p.start, p.length, library_config(%(language)s),
       library_vector(ARRAY[%(language)s]::varchar[], substr(v.extracted_text, p.start + 1, p.length), 'D')
FROM library_fileversion v,
     unnest(%(starts)s::int[], %(lengths)s::int[]) AS p(start, length)
WHERE v.id = %(version)s
"""


def index_passages(version: FileVersion) -> int:
    """Replace the passages of a document with those of this (current, searchable) version; returns how
    many. Passages hold offsets into the version's text, not a copy of it."""
    resource_id = version.document.resource_id
    if not version.is_current:
        return 0  # an older version's late extraction: the current version's passages stay
    Passage.objects.filter(version__document_id=version.document_id).delete()
    if not version.is_searchable:
        return 0
    starts, lengths = [], []
    position = 0
    text = version.extracted_text
    for passage in passages(text):
        start = text.find(passage, position)
        if start < 0:  # passages() normalises nothing, but never trust an offset blindly
            continue
        starts.append(start)
        lengths.append(len(passage))
        position = start + len(passage)
    language = version.document.language or _main_language(resource_id)
    with connection.cursor() as cursor:
        cursor.execute(
            INDEX_PASSAGES,
            {
                "version": version.pk,
                "resource": resource_id,
                "language": language,
                "starts": starts,
                "lengths": lengths,
            },
        )
    return len(starts)


def _main_language(resource_id: int) -> str:
    languages = Resource.objects.filter(pk=resource_id).values_list("languages", flat=True).first()
    return languages[0] if languages else "en"
