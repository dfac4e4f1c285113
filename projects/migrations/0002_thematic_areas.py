"""The thematic areas an installation starts with: the fields of work of the Compact's Working Groups. The
list is data and grows without a migration (Django admin, for superusers)."""

from django.db import migrations

THEMES = [
    "Preventing and countering violent extremism",
    "Border management and law enforcement",
    "Emerging threats and new technologies",
    "Critical infrastructure protection",
    "Criminal justice and the rule of law",
    "Countering the financing of terrorism",
    "National and regional counter-terrorism strategies",
    "Human rights",
    "Victims of terrorism",
    "Gender",
    "Prosecution, rehabilitation and reintegration",
    "Chemical, biological, radiological and nuclear terrorism",
    "Aviation and maritime security",
]


def load_themes(apps, schema_editor):
    ThematicArea = apps.get_model("projects", "ThematicArea")
    for name in THEMES:
        ThematicArea.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]
