"""The SQL functions of the library's search (see library.search): per-language configurations, the
indexed vector of a text in a resource's languages, and the query in the six UN languages. Frozen here as
they were written: a change to them is a new migration."""

from django.db import migrations

SQL_FUNCTIONS = """
CREATE OR REPLACE FUNCTION library_config(language varchar) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (CASE language WHEN 'ar' THEN 'arabic' WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish' WHEN 'ru' THEN 'russian' WHEN 'pt' THEN 'portuguese' WHEN 'de' THEN 'german' WHEN 'it' THEN 'italian' WHEN 'tr' THEN 'turkish' WHEN 'id' THEN 'indonesian' WHEN 'hi' THEN 'hindi'
            ELSE 'simple' END)::regconfig
$$;

CREATE OR REPLACE FUNCTION library_vector(languages varchar[], body text, weight "char")
RETURNS tsvector LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    result tsvector := to_tsvector('simple', coalesce(body, ''));
    config regconfig;
BEGIN
    -- A resource without a language is indexed as English, the library's most common language.
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

CREATE OR REPLACE FUNCTION library_query(q text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT websearch_to_tsquery('simple', q) || websearch_to_tsquery('english', q) || websearch_to_tsquery('french', q) || websearch_to_tsquery('spanish', q) || websearch_to_tsquery('russian', q) || websearch_to_tsquery('arabic', q)
$$;
"""

DROP_SQL_FUNCTIONS = """
DROP FUNCTION IF EXISTS library_query(text);
DROP FUNCTION IF EXISTS library_vector(varchar[], text, "char");
DROP FUNCTION IF EXISTS library_config(varchar);
"""


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunSQL(SQL_FUNCTIONS, DROP_SQL_FUNCTIONS)]
