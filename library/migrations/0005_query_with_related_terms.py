"""Related terms in the library's query: "terrorist financing" finds "terrorism financing".

``library_related(q, cfg)`` rewrites a query (PostgreSQL's ``ts_rewrite``) so that each word listed in
``library_relatedterm`` becomes the alternatives listed with it, as that configuration stems them; the query
function applies it to each language's part. The domain's terms are loaded here; the list is data and grows
without a migration (Django admin, for superusers)."""

from django.db import migrations

GROUPS = [
    # Stemmers keep these apart ("terrorism" → "terror", "terrorist" → "terrorist").
    ["terrorism", "terrorist", "terrorists", "terror"],
    ["extremism", "extremist", "extremists"],
    ["radicalisation", "radicalization", "radicalised", "radicalized"],
    ["deradicalisation", "deradicalization"],
    # Financing is also said funding.
    ["financing", "funding", "finance"],
    # British and American spellings.
    ["organisation", "organization"],
    ["organisations", "organizations"],
    ["programme", "program"],
    ["programmes", "programs"],
    ["defence", "defense"],
]

SQL = """
CREATE OR REPLACE FUNCTION library_related(q tsquery, cfg regconfig) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
    SELECT CASE WHEN numnode(q) = 0 THEN q ELSE ts_rewrite(q, format(
        'SELECT to_tsquery(%1$L::regconfig, t.word), to_tsquery(%1$L::regconfig, array_to_string(t.forms, '' | '')) '
        'FROM library_relatedterm t', cfg)) END
$$;

CREATE OR REPLACE FUNCTION library_query(q text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
    SELECT library_related(websearch_to_tsquery('simple', q), 'simple')
        || library_related(websearch_to_tsquery('english', q), 'english')
        || library_related(websearch_to_tsquery('french', q), 'french')
        || library_related(websearch_to_tsquery('spanish', q), 'spanish')
        || library_related(websearch_to_tsquery('russian', q), 'russian')
        || library_related(websearch_to_tsquery('arabic', q), 'arabic')
$$;
"""

REVERSE_SQL = """
CREATE OR REPLACE FUNCTION library_query(q text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT websearch_to_tsquery('simple', q) || websearch_to_tsquery('english', q) || websearch_to_tsquery('french', q) || websearch_to_tsquery('spanish', q) || websearch_to_tsquery('russian', q) || websearch_to_tsquery('arabic', q)
$$;
DROP FUNCTION IF EXISTS library_related(tsquery, regconfig);
"""


def load_terms(apps, schema_editor):
    RelatedTerm = apps.get_model("library", "RelatedTerm")
    for group in GROUPS:
        for word in group:
            RelatedTerm.objects.update_or_create(word=word, defaults={"forms": group})


class Migration(migrations.Migration):
    dependencies = [("library", "0004_related_search_terms")]

    operations = [
        migrations.RunPython(load_terms, migrations.RunPython.noop),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]
