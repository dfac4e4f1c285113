"""People found by a part of a word or despite a typo: pg_trgm, and the words of each person's index as one
folded text (the same words as the search vector: its lexemes, in the 'simple' configuration, are the
folded words themselves, so existing rows are filled from it; later changes write both)."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

FILL = """
UPDATE directory_profile
SET search_text = array_to_string(tsvector_to_array(search_vector), ' ')
WHERE search_vector IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_audit_group_membership"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="profile",
            name="search_text",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="profile",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass("search_text", name="gin_trgm_ops"),
                name="profile_search_text_idx",
            ),
        ),
    ]
