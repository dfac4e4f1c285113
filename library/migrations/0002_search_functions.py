"""The SQL functions of the library's search (see library.search): per-language configurations, the
indexed vector of a text in a resource's languages, and the query in the six UN languages."""

from django.db import migrations

from library.search import DROP_SQL_FUNCTIONS, SQL_FUNCTIONS


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunSQL(SQL_FUNCTIONS, DROP_SQL_FUNCTIONS)]
