"""Chinese, Japanese, Korean and Thai findable in the library: their text indexed as overlapping bigrams.

PostgreSQL's parser splits words at spaces and punctuation, and these scripts put none between words: a
whole Chinese clause was one "word", and a search for a word inside it found nothing. ``library_cjk(text)``
rewrites each run of such characters as its overlapping two-character pieces, each a word of its own
("边境管理" → "边境 境管 管理"); text without such characters comes back as it is, so the other languages'
vectors do not change. ``library_vector`` indexes the rewritten text; ``library_websearch`` reads a query's
words the same way — a word of two characters or more becomes its bigrams, all required, where the word
was (so "-", "OR" and quotes still apply to the whole word) — and a lone character becomes the prefix of
the bigrams it starts. See docs/library.md for why bigrams, and not pg_trgm.

The vectors of the resources and passages holding such characters are recomputed here (the others' would
come out the same). Frozen here as written: a change to these functions is a new migration."""

from django.db import migrations

#: The scripts written without spaces between words: Thai, Hangul Jamo, Hiragana and Katakana, Hangul
#: compatibility Jamo, Katakana extensions, CJK ideographs (extension A, the main block, compatibility),
#: Hangul syllables, half-width Katakana, the supplementary ideographs.
CJK = (
    r"\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
)

SQL = f"""
CREATE OR REPLACE FUNCTION library_cjk(body text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    t text;
BEGIN
    IF body !~ '[{CJK}]' THEN
        RETURN body;
    END IF;
    -- Each character doubled, then each run's first and last dropped: "ABC" → "AABBCC" → "ABBC", read in
    -- pairs below as "AB BC". A lone character stays as it is ("A" → "AA" → "A").
    t := regexp_replace(body, '([{CJK}])', '\\1\\1', 'g');
    t := regexp_replace(t, '(?<![{CJK}])[{CJK}]', '', 'g');
    t := regexp_replace(t, '(?<=[{CJK}])[{CJK}](?![{CJK}])', '', 'g');
    RETURN regexp_replace(t, '([{CJK}]{{1,2}})', ' \\1 ', 'g');
END $$;

CREATE OR REPLACE FUNCTION library_vector_of(languages varchar[], words text)
RETURNS tsvector LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    result tsvector := to_tsvector('simple', words);
    config regconfig;
BEGIN
    -- A resource without a language is indexed as English, the library's most common language.
    FOR config IN SELECT DISTINCT library_config(l)
                  FROM unnest(CASE WHEN cardinality(languages) > 0 THEN languages
                                   ELSE ARRAY['en']::varchar[] END) l
    LOOP
        IF config <> 'simple'::regconfig THEN
            result := result || to_tsvector(config, words);
        END IF;
    END LOOP;
    RETURN result;
END $$;

CREATE OR REPLACE FUNCTION library_vector(languages varchar[], body text, weight "char")
RETURNS tsvector LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    words text := library_cjk(coalesce(body, ''));
    result tsvector;
BEGIN
    IF words = coalesce(body, '') THEN
        RETURN setweight(library_vector_of(languages, words), weight);
    END IF;
    BEGIN
        result := library_vector_of(languages, words);
    EXCEPTION WHEN program_limit_exceeded THEN
        -- Over the 1 MB a tsvector holds (distinct bigrams are many: several long files in Chinese), the
        -- beginning is indexed rather than nothing. Only such text pays for this block's subtransaction.
        result := library_vector_of(languages, library_cjk(left(body, 100000)));
    END;
    RETURN setweight(result, weight);
END $$;

CREATE OR REPLACE FUNCTION library_websearch(cfg regconfig, q text) RETURNS tsquery
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    result tsquery := websearch_to_tsquery(cfg, q);
    word text;
    pieces text;
    part tsquery;
    one text;
BEGIN
    IF q !~ '[{CJK}]' THEN
        RETURN result;
    END IF;
    -- Each word of the query holding such characters (as the parser cut it, at spaces and punctuation) is
    -- replaced by its bigrams, all required, where it stands: "-", "OR" and quotes apply to the whole word.
    FOR word IN SELECT DISTINCT replace(m[1], '''''', '''')
                FROM regexp_matches(result::text, '''((?:[^'']|'''')+)''', 'g') m
    LOOP
        CONTINUE WHEN word !~ '[{CJK}]';
        pieces := library_cjk(word);
        part := plainto_tsquery(cfg, pieces);
        -- A lone character: the start of any bigram (or the lone character) of the index.
        FOR one IN SELECT DISTINCT m[1] FROM regexp_matches(pieces, '(?<![{CJK}])([{CJK}])(?![{CJK}])', 'g') m
        LOOP
            part := ts_rewrite(part, quote_literal(one)::tsquery, (quote_literal(one) || ':*')::tsquery);
        END LOOP;
        result := ts_rewrite(result, quote_literal(word)::tsquery, part);
    END LOOP;
    -- Words that must follow each other (quotes, or punctuation between them: "边境管理，合作") are all
    -- required instead: in text without spaces, the bigram across two words stands between them, and a
    -- word's bigrams do not share one position.
    RETURN regexp_replace(result::text, '<(-|[0-9]+)>', '&', 'g')::tsquery;
END $$;

CREATE OR REPLACE FUNCTION library_query(q text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
    SELECT library_related(library_websearch('simple', q), 'simple')
        || library_related(library_websearch('english', q), 'english')
        || library_related(library_websearch('french', q), 'french')
        || library_related(library_websearch('spanish', q), 'spanish')
        || library_related(library_websearch('russian', q), 'russian')
        || library_related(library_websearch('arabic', q), 'arabic')
$$;
"""  # noqa: S608 -- constants only, no input

# The vectors of what holds such text, as library.indexing computes them (its REFRESH and INDEX_PASSAGES).
REINDEX = f"""
UPDATE library_passage p
SET vector = library_vector(ARRAY[l.lang]::varchar[], substr(v.extracted_text, p.start + 1, p.length), 'D')
FROM library_fileversion v
JOIN library_document d ON d.id = v.document_id
JOIN library_resource r ON r.id = d.resource_id
CROSS JOIN LATERAL (SELECT coalesce(nullif(d.language, ''), r.languages[1], 'en')::varchar AS lang) l
WHERE p.version_id = v.id AND v.extracted_text ~ '[{CJK}]';

WITH cjk AS (
    SELECT r.id FROM library_resource r
    WHERE concat_ws(' ', r.title, r.summary, array_to_string(r.tags, ' ')) ~ '[{CJK}]'
       OR EXISTS (SELECT 1 FROM library_document d
                  JOIN library_fileversion v ON v.document_id = d.id AND v.is_current
                  WHERE d.resource_id = r.id AND v.extraction_status = 'searchable'
                    AND v.extracted_text ~ '[{CJK}]')
),
texts AS (
    SELECT d.resource_id, string_agg(v.extracted_text, E'\\n\\n' ORDER BY d.id) AS body
    FROM library_document d
    JOIN library_fileversion v ON v.document_id = d.id AND v.is_current
    WHERE d.resource_id IN (SELECT id FROM cjk) AND v.extraction_status = 'searchable'
    GROUP BY d.resource_id
),
meta AS (
    SELECT r.id,
           library_vector(r.languages, r.title, 'A')
           || library_vector(r.languages, array_to_string(r.tags, ', '), 'B')
           || library_vector(r.languages, r.summary, 'B') AS vector
    FROM library_resource r
    WHERE r.id IN (SELECT id FROM cjk)
)
UPDATE library_resource AS r
SET search_vector = meta.vector,
    document_vector = meta.vector || library_vector(r.languages, coalesce(texts.body, ''), 'D')
FROM meta LEFT JOIN texts ON texts.resource_id = meta.id
WHERE r.id = meta.id;
"""  # noqa: S608 -- constants only, no input

REVERSE_SQL = """
CREATE OR REPLACE FUNCTION library_query(q text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
    SELECT library_related(websearch_to_tsquery('simple', q), 'simple')
        || library_related(websearch_to_tsquery('english', q), 'english')
        || library_related(websearch_to_tsquery('french', q), 'french')
        || library_related(websearch_to_tsquery('spanish', q), 'spanish')
        || library_related(websearch_to_tsquery('russian', q), 'russian')
        || library_related(websearch_to_tsquery('arabic', q), 'arabic')
$$;

CREATE OR REPLACE FUNCTION library_vector(languages varchar[], body text, weight "char")
RETURNS tsvector LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    result tsvector := to_tsvector('simple', coalesce(body, ''));
    config regconfig;
BEGIN
    FOR config IN SELECT DISTINCT library_config(l)
                  FROM unnest(CASE WHEN cardinality(languages) > 0 THEN languages
                                   ELSE ARRAY['en']::varchar[] END) l
    LOOP
        IF config <> 'simple'::regconfig THEN
            result := result || to_tsvector(config, coalesce(body, ''));
        END IF;
    END LOOP;
    RETURN setweight(result, weight);
END $$;

DROP FUNCTION IF EXISTS library_websearch(regconfig, text);
DROP FUNCTION IF EXISTS library_vector_of(varchar[], text);
DROP FUNCTION IF EXISTS library_cjk(text);
"""


class Migration(migrations.Migration):
    dependencies = [("library", "0006_public_audience")]

    operations = [
        migrations.RunSQL(SQL, REVERSE_SQL),
        # Forward only: reversed, the functions read whole words again, and the next write to a resource
        # indexes it their way.
        migrations.RunSQL(REINDEX, migrations.RunSQL.noop),
    ]
