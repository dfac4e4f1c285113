"""load_compact: the Compact's reference data from its file, idempotent, all or nothing."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from directory import reference
from directory.models import (
    CompactStatus,
    Organization,
    OrganizationKind,
    Participation,
    Pillar,
    Region,
    WorkingGroup,
)


def roster(number: int) -> dict[str, str]:
    """A WG's participation as {reference key without prefix: role}."""
    return {
        p.organization.reference_key.split(":", 1)[1]: p.role
        for p in Participation.objects.filter(working_group__number=number).select_related("organization")
    }


def load(path: Path) -> str:
    out = StringIO()
    call_command("load_compact", "--file", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def data_file(tmp_path):
    """A copy of the real file, as a mutable document, written back by ``save``."""
    document = yaml.safe_load(reference.DEFAULT_PATH.read_text(encoding="utf-8"))
    path = tmp_path / "compact.yaml"
    # with the names in the other languages beside it, as in the repository
    shutil.copytree(reference.DEFAULT_PATH.parent / reference.NAMES_FOLDER, tmp_path / reference.NAMES_FOLDER)

    def save(doc=document):
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    save.document = document
    return save


def edit_names(path: Path, change) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_names_in_the_other_un_languages_are_loaded_and_shown(compact, client, make_user):
    # given the reference data loaded (with its names files)
    group = WorkingGroup.objects.get(number=2)
    kenya = Organization.objects.get(reference_key="state:KEN")
    assert group.translations["fr"]["short_name"] == "Gestion des frontières et application de la loi"
    assert set(kenya.translations) == {"fr", "es", "ru", "zh-hans", "ar"}

    # when a person reads in Arabic, then Kenya and the Working Group have their Arabic names
    person = make_user(
        "reader@example.org", organization=Organization.objects.get(reference_key="entity:UNODC")
    )
    client.force_login(person)
    client.post("/language/", {"language": "ar", "next": "/"})
    assert kenya.translations["ar"]["name"] in client.get(f"/organisations/{kenya.pk}/").content.decode()
    space = client.get(f"/groups/{group.pk}/").content.decode()
    assert group.translations["ar"]["objective"][:30] in space
    # and in English, the English ones
    with translation.override("en"):
        assert str(kenya) == "Kenya"


def test_a_names_file_naming_no_record_is_refused_and_nothing_changes(compact, data_file):
    path = data_file()
    edit_names(
        path.parent / reference.NAMES_FOLDER / "fr.yaml",
        lambda doc: doc["member_states"].update(XYZ="Nulle part"),
    )
    before = snapshot()
    with pytest.raises(CommandError, match=r"fr\.yaml: member_states: XYZ: names no record"):
        load(path)
    assert snapshot() == before


def test_counts(compact):
    entities = Organization.objects.filter(kind=OrganizationKind.COMPACT_ENTITY)
    assert entities.count() == 45
    assert entities.filter(compact_status=CompactStatus.MEMBER).count() == 39
    assert set(entities.filter(compact_status=CompactStatus.OBSERVER).values_list("acronym", flat=True)) == {
        "DESA", "IOM", "IPU", "UNICEF", "UNHCR", "OCHA"
    }  # fmt: skip
    states = Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE)
    assert states.count() == 193
    assert states.exclude(region="").count() == 193
    assert set(states.values_list("region", flat=True)) == set(Region.values)
    assert states.filter(iso3="KEN", name="Kenya", region=Region.AFRICAN).exists()
    assert not states.filter(iso3__in=["VAT", "PSE"]).exists()  # observer States, not members
    assert Organization.objects.filter(kind=OrganizationKind.REGIONAL_ORGANIZATION, acronym="AU").exists()
    assert WorkingGroup.objects.count() == 8
    assert list(Pillar.objects.values_list("code", flat=True)) == ["I", "II", "III", "IV"]


def test_working_group_2_entry_by_entry(compact):
    # The brochure: chair CTED, co-chair WCO, vice-chairs INTERPOL and UNODC, 17 members, 4 observers.
    members = [
        "1267-MT", "1540-EG", "DPO", "DPPA", "ICAO", "IMO", "OHCHR", "OLA", "OPCW", "SR-CT", "UNDP",
        "UNICRI", "UNIDIR", "UNITAR", "UNOCT", "ODA", "WHO",
    ]  # fmt: skip
    expected = {
        "CTED": "chair",
        "WCO": "co_chair",
        "INTERPOL": "vice_chair",
        "UNODC": "vice_chair",
        **dict.fromkeys(members, "member"),
        **dict.fromkeys(["DESA", "IOM", "UNHCR", "UNICEF"], "observer"),
    }
    assert roster(2) == expected
    group = WorkingGroup.objects.get(number=2)
    assert (
        group.name == "Working Group on Border Management and Law Enforcement Relating to Counter-Terrorism"
    )
    assert group.objective.startswith("To promote coordination and coherence to support Member States in")


def test_working_group_7_entry_by_entry(compact):
    members = [
        "1267-MT", "CTED", "DGC", "DPO", "DPPA", "EOSG-ROL", "ICAO", "IMO", "INTERPOL", "OLA", "OSAPG",
        "SR-CT", "SRSG-CAAC", "SRSG-SVC", "UNDP", "UNESCO", "UNICRI", "UNITAR", "UNODC", "UN-WOMEN",
    ]  # fmt: skip
    observers = ["IOM", "IPU", "OCHA", "UNHCR", "UNICEF"]
    # Its chair and vice-chair are shown only as logos: the file records none rather than guessing.
    assert roster(7) == {**dict.fromkeys(members, "member"), **dict.fromkeys(observers, "observer")}
    # Objectives given as bullets are kept as paragraphs.
    assert WorkingGroup.objects.get(number=7).objective.count("\n\n") == 2


def test_working_group_5_is_every_entity_with_its_leadership(compact):
    # "All Counter-Terrorism Compact entities are members or observers";
    # UNOCT chairs, CTED and UNODC co-chair.
    entries = roster(5)
    assert len(entries) == 45
    assert entries.pop("UNOCT") == "chair"
    assert entries.pop("CTED") == "co_chair"
    assert entries.pop("UNODC") == "co_chair"
    observers = {key for key, role in entries.items() if role == "observer"}
    assert observers == {"DESA", "IOM", "IPU", "UNICEF", "UNHCR", "OCHA"}
    assert set(entries.values()) == {"member", "observer"}


def test_iaea_is_an_ad_hoc_observer_of_wg3_not_an_entity(compact):
    iaea = Organization.objects.get(acronym="IAEA")
    assert iaea.kind == OrganizationKind.OTHER
    assert iaea.compact_status == CompactStatus.NONE
    assert roster(3)["IAEA"] == "ad_hoc_observer"


def test_loading_twice_changes_nothing(compact):
    before = {o.pk: o.updated_at for o in Organization.objects.all()}
    participations = set(Participation.objects.values_list("pk", "role"))

    output = StringIO()
    call_command("load_compact", stdout=output)

    assert "nothing changed" in output.getvalue()
    assert {o.pk: o.updated_at for o in Organization.objects.all()} == before
    assert set(Participation.objects.values_list("pk", "role")) == participations


def test_a_change_in_the_file_updates_the_database(compact, data_file):
    document = data_file.document
    # given an entity renamed, an entity taken out, and (in the file only) a new member in WG 8
    unitar = next(e for e in document["entities"] if e["key"] == "UNITAR")
    unitar["name"] = "United Nations Institute for Training and Research (renamed)"
    document["entities"] = [e for e in document["entities"] if e["key"] != "UNSSC"]
    wg8 = next(g for g in document["working_groups"] if g["number"] == 8)
    wg8["participants"] = [p for p in wg8["participants"] if p["org"] != "UNSSC"] + [
        {"org": "WHO", "role": "member"}
    ]
    for names in (data_file().parent / reference.NAMES_FOLDER).glob("*.yaml"):
        edit_names(names, lambda doc: doc["organizations"].pop("UNSSC"))

    output = load(data_file())

    assert "organisations: 0 created, 2 updated, 0 removed" in output
    assert Organization.objects.get(acronym="UNITAR").name.endswith("(renamed)")
    # taken out of the file: kept (with its history) but no longer active
    assert Organization.objects.get(acronym="UNSSC").is_active is False
    # a Working Group's participants come from the file once, when it is created; then its chairs
    # manage them in the application, so the file's later changes to them are not applied
    assert "WHO" not in roster(8)
    assert roster(8)["UNSSC"] == "member"


def test_participation_changed_in_the_application_is_not_undone(compact, data_file):
    # given a chair changed a role and removed an organisation from WG 2 in the application
    Participation.objects.filter(working_group__number=2, organization__acronym="UNODC").update(role="member")
    Participation.objects.filter(working_group__number=2, organization__acronym="WCO").delete()
    # when the reference data is loaded again
    load(data_file())
    # then both decisions stand
    assert roster(2)["UNODC"] == "member"
    assert "WCO" not in roster(2)


def test_starter_regional_organisations_are_not_overwritten(compact, data_file):
    # given the Secretariat corrected a starter regional organisation in the application
    Organization.objects.filter(reference_key="regional:AU").update(name="African Union Commission")
    # when the reference data is loaded again
    load(data_file())
    # then the edit stays
    assert Organization.objects.get(reference_key="regional:AU").name == "African Union Commission"


def snapshot():
    return (
        sorted(Organization.objects.values_list("pk", "reference_key", "name", "is_active")),
        sorted(Participation.objects.values_list("working_group__number", "organization_id", "role")),
    )


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (lambda d: d["entities"][3].update(status="partner"), "entities[3] (CTED): 'status' must be one of"),
        (lambda d: d["member_states"][0].update(iso3="af"), "member_states[0] (af): 'iso3' must be three"),
        (lambda d: d["member_states"][5].update(region="europe"), "'region' must be one of"),
        (lambda d: d["entities"].append(dict(d["entities"][0])), "entity:1267-MT: appears twice"),
        (lambda d: d["working_groups"][1]["participants"].append({"org": "NOPE", "role": "member"}),
         "working_groups[1] (WG 2) participants[25]: organisation 'NOPE' is not"),
        (lambda d: d["working_groups"][1]["participants"].append({"org": "WHO", "role": "member"}),
         "organisation 'WHO' is listed twice"),
        (lambda d: d["working_groups"][0].update(pillars=[9]), "pillar 9 is not defined"),
        (lambda d: d["entities"][0].update(name=""), "'name' must be a non-empty text"),
        (lambda d: d.update(version=2), "version: unsupported version 2"),
        (lambda d: d.pop("member_states"), "member_states: missing"),
    ],
)  # fmt: skip
def test_malformed_file_names_file_record_problem_and_changes_nothing(compact, data_file, corrupt, message):
    # given a valid file with one broken record near the end of what is applied
    document = data_file.document
    document["entities"][0]["name"] = "Changed before the error"  # would be applied if loading were partial
    corrupt(document)
    path = data_file()
    before = snapshot()

    # when it is loaded, the command fails with the file, the record and the problem
    with pytest.raises(CommandError) as failure:
        load(path)

    assert str(path) in str(failure.value)
    assert message in str(failure.value)
    assert "nothing was changed" in str(failure.value)
    # and the database is as it was
    assert snapshot() == before


def test_unreadable_and_invalid_yaml_files(compact, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        load(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("entities: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid YAML"):
        load(broken)


def test_conflict_with_database_rolls_back_everything(compact, data_file):
    # given an organisation added in the application that uses an acronym the file is about to introduce
    Organization.objects.create(
        kind=OrganizationKind.REGIONAL_ORGANIZATION, acronym="ECCAS", name="Local ECCAS"
    )
    document = data_file.document
    document["entities"][0]["name"] = "Changed before the conflict"  # applied first, must be rolled back
    document["regional_organizations"].append(
        {"key": "ECCAS", "acronym": "ECCAS", "name": "ECCAS", "editable": True}
    )
    before = snapshot()

    # when the file is loaded, the conflict is named and nothing is kept
    with pytest.raises(CommandError, match=r"regional:ECCAS: conflicts with an organisation already in the"):
        load(data_file())
    assert snapshot() == before
