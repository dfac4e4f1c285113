"""The first thematic areas' names in the other UN languages, from the reference data's names files
(directory/reference/names/<language>.yaml, section ``thematic_areas``, by English name). Areas added since
in the administration keep their one name."""

from pathlib import Path

import yaml
from django.db import migrations

NAMES = Path(__file__).resolve().parents[2] / "directory" / "reference" / "names"


def name_the_areas(apps, schema_editor):
    ThematicArea = apps.get_model("projects", "ThematicArea")
    translations: dict[str, dict] = {}
    for path in sorted(NAMES.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for english, name in (document.get("thematic_areas") or {}).items():
            translations.setdefault(english, {})[document["language"]] = {"name": name}
    for area in ThematicArea.objects.filter(name__in=list(translations)):
        area.translations = translations[area.name]
        area.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_thematic_area_names_in_other_languages")]

    operations = [migrations.RunPython(name_the_areas, migrations.RunPython.noop)]
