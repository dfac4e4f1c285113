"""The Compact's reference data: reading, validating and applying ``directory/reference/compact.yaml``, with
the names of its records in the other UN languages (``directory/reference/names/<language>.yaml``).

The file, not code, is the source of truth for the 45 entities, the 193 Member States, the pillars, the
Working Groups and their participation lists (see its header for how to edit it). Loading is idempotent and
all-or-nothing: the whole file is validated before anything is written, writes happen in one transaction,
and a second load of an unchanged file changes no row.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import IntegrityError, transaction

from directory.models import (
    CompactStatus,
    Organization,
    OrganizationKind,
    Participation,
    ParticipationRole,
    Pillar,
    Region,
    WorkingGroup,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "reference" / "compact.yaml"
#: Beside the file: ``names/<language>.yaml``, one per language other than English.
NAMES_FOLDER = "names"
KEY_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")


class ReferenceDataError(ValueError):
    """The file is malformed; the message names the file, the record and the problem."""


@dataclass
class LoadReport:
    """What a load changed, per kind of record: a second load of the same file reports no change."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated or +self.removed)

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.removed))
        c, u, r = self.created, self.updated, self.removed
        return [f"{k}: {c[k]} created, {u[k]} updated, {r[k]} removed" for k in kinds] or ["nothing changed"]


@dataclass(frozen=True)
class OrgRecord:
    reference_key: str
    kind: str
    compact_status: str
    acronym: str
    name: str
    iso3: str = ""
    region: str = ""
    editable: bool = False


@dataclass(frozen=True)
class WorkingGroupRecord:
    number: int
    name: str
    short_name: str
    objective: str
    pillars: tuple[int, ...]
    participants: dict[str, str]  # reference key -> role


@dataclass(frozen=True)
class ReferenceData:
    source: Path
    pillars: dict[int, tuple[str, str]]  # number -> (code, name)
    organizations: dict[str, OrgRecord]  # reference key -> record
    working_groups: dict[int, WorkingGroupRecord]
    #: The records' names in other languages, as each record's ``translations``: "pillar:1", "wg:2" and
    #: organisations' reference keys -> {language: {field: text}}.
    names: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)


# --- Reading and validating -------------------------------------------------------------------------------


class _Reader:
    """Validates the parsed YAML, raising ReferenceDataError that names the record at fault."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str):
        raise ReferenceDataError(f"{self.path}: {where}: {problem}")

    def mapping(self, value, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(where, "expected a mapping of keys to values")
        return value

    def items(self, document: dict, section: str) -> list[dict]:
        value = document.get(section)
        if not isinstance(value, list) or not value:
            self.fail(section, "missing, or not a non-empty list")
        return [self.mapping(item, f"{section}[{index}]") for index, item in enumerate(value)]

    def text(self, record: dict, key: str, where: str, *, max_length: int, required: bool = True) -> str:
        value = record.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str | int) or not str(value).strip():
            self.fail(where, f"'{key}' must be a non-empty text")
        value = " ".join(str(value).split()) if key != "objective" else str(value).strip()
        if len(value) > max_length:
            self.fail(where, f"'{key}' is longer than {max_length} characters")
        return value

    def choice(self, record: dict, key: str, where: str, choices: set[str]) -> str:
        value = record.get(key)
        if value not in choices:
            self.fail(where, f"'{key}' must be one of {', '.join(sorted(choices))}, not {value!r}")
        return value

    def read(self) -> ReferenceData:
        try:
            document = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ReferenceDataError(f"{self.path}: cannot be read ({exc.strerror})") from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ReferenceDataError(f"{self.path}: is not valid YAML ({exc})") from None
        document = self.mapping(document, "top level")
        if document.get("version") != 1:
            self.fail("version", f"unsupported version {document.get('version')!r} (this loader reads 1)")

        pillars = self.pillars(document)
        organizations: dict[str, OrgRecord] = {}
        for record in self.organizations(document):
            if record.reference_key in organizations:
                self.fail(record.reference_key, "appears twice")
            organizations[record.reference_key] = record
        self.check_unique(organizations)
        working_groups = self.working_groups(document, pillars, organizations)
        names = self.names(pillars, organizations, working_groups)
        return ReferenceData(self.path, pillars, organizations, working_groups, names)

    def names(self, pillars, organizations, working_groups) -> dict[str, dict[str, dict[str, str]]]:
        """Every ``names/<language>.yaml`` beside the file, checked against the records it names."""
        names: dict[str, dict[str, dict[str, str]]] = {}
        for path in sorted((self.path.parent / NAMES_FOLDER).glob("*.yaml")):
            language, found = _Reader(path).language_names(pillars, organizations, working_groups)
            for record_id, values in found.items():
                names.setdefault(record_id, {})[language] = values
        return names

    def language_names(self, pillars, organizations, working_groups) -> tuple[str, dict[str, dict[str, str]]]:
        """This names file's language and the names it gives, by record ("pillar:1", "wg:2", "state:KEN")."""
        languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
        try:
            document = self.mapping(yaml.safe_load(self.path.read_text(encoding="utf-8")), "top level")
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ReferenceDataError(f"{self.path}: cannot be read as YAML ({exc})") from None
        language = document.get("language")
        if language not in languages or self.path.stem != language:
            self.fail("language", f"must be the file's name and one of {', '.join(sorted(languages))}")

        def section(name: str, known) -> dict:
            entries = self.mapping(document.get(name) or {}, name)
            for key in entries:
                if key not in known:
                    self.fail(f"{name}: {key}", "names no record of the reference data")
            return entries

        def name_of(value, where: str) -> dict[str, str]:
            return {"name": self.text({"name": value}, "name", where, max_length=255)}

        found: dict[str, dict[str, str]] = {}
        for number, value in section("pillars", pillars).items():
            found[f"pillar:{number}"] = name_of(value, f"pillars: {number}")
        for number, item in section("working_groups", working_groups).items():
            where = f"working_groups: {number}"
            item = self.mapping(item, where)
            found[f"wg:{number}"] = {
                "name": self.text(item, "name", where, max_length=255),
                "short_name": self.text(item, "short_name", where, max_length=100),
                "objective": self.text(item, "objective", where, max_length=2000),
            }
        by_short_key = {key.split(":", 1)[1]: key for key in organizations if not key.startswith("state:")}
        for key, value in section("organizations", by_short_key).items():
            found[by_short_key[key]] = name_of(value, f"organizations: {key}")
        states = {key.split(":", 1)[1] for key in organizations if key.startswith("state:")}
        for iso3, value in section("member_states", states).items():
            found[f"state:{iso3}"] = name_of(value, f"member_states: {iso3}")
        return language, found

    def pillars(self, document: dict) -> dict[int, tuple[str, str]]:
        pillars: dict[int, tuple[str, str]] = {}
        for index, item in enumerate(self.items(document, "pillars")):
            where = f"pillars[{index}]"
            number = item.get("number")
            if not isinstance(number, int) or number < 1 or number in pillars:
                self.fail(where, f"'number' must be a unique positive whole number, not {number!r}")
            pillars[number] = (
                self.text(item, "code", where, max_length=4),
                self.text(item, "name", where, max_length=255),
            )
        return pillars

    def keyed(self, item: dict, where: str) -> str:
        key = str(item.get("key", ""))
        if not KEY_PATTERN.fullmatch(key) or len(key) > 30:
            self.fail(
                where, f"'key' must be upper-case letters, digits and hyphens (at most 30), not {key!r}"
            )
        return key

    def organizations(self, document: dict):
        statuses = {CompactStatus.MEMBER.value, CompactStatus.OBSERVER.value}
        for index, item in enumerate(self.items(document, "entities")):
            where = f"entities[{index}]"
            key = self.keyed(item, where)
            where = f"entities[{index}] ({key})"
            yield OrgRecord(
                reference_key=f"entity:{key}",
                kind=OrganizationKind.COMPACT_ENTITY,
                compact_status=self.choice(item, "status", where, statuses),
                acronym=self.text(item, "acronym", where, max_length=40),
                name=self.text(item, "name", where, max_length=255),
            )
        for index, item in enumerate(document.get("other_organizations") or []):
            where = f"other_organizations[{index}]"
            item = self.mapping(item, where)
            key = self.keyed(item, where)
            yield OrgRecord(
                reference_key=f"other:{key}",
                kind=OrganizationKind.OTHER,
                compact_status=CompactStatus.NONE,
                acronym=self.text(item, "acronym", where, max_length=40),
                name=self.text(item, "name", where, max_length=255),
            )
        regions = set(Region.values)
        for index, item in enumerate(self.items(document, "member_states")):
            iso3 = str(item.get("iso3", ""))
            where = f"member_states[{index}] ({iso3 or '?'})"
            if not ISO3_PATTERN.fullmatch(iso3):
                self.fail(where, f"'iso3' must be three upper-case letters, not {iso3!r}")
            yield OrgRecord(
                reference_key=f"state:{iso3}",
                kind=OrganizationKind.MEMBER_STATE,
                compact_status=CompactStatus.NONE,
                acronym="",
                name=self.text(item, "name", where, max_length=255),
                iso3=iso3,
                region=self.choice(item, "region", where, regions),
            )
        for index, item in enumerate(self.items(document, "regional_organizations")):
            where = f"regional_organizations[{index}]"
            key = self.keyed(item, where)
            yield OrgRecord(
                reference_key=f"regional:{key}",
                kind=OrganizationKind.REGIONAL_ORGANIZATION,
                compact_status=CompactStatus.NONE,
                acronym=self.text(item, "acronym", where, max_length=40),
                name=self.text(item, "name", where, max_length=255),
                editable=bool(item.get("editable", False)),
            )

    def check_unique(self, organizations: dict[str, OrgRecord]) -> None:
        seen: dict[tuple[str, str], str] = {}
        for record in organizations.values():
            if not record.acronym:
                continue
            other = seen.setdefault((record.kind, record.acronym), record.reference_key)
            if other != record.reference_key:
                self.fail(record.reference_key, f"acronym {record.acronym!r} is already used by {other}")

    def working_groups(self, document, pillars, organizations) -> dict[int, WorkingGroupRecord]:
        roles = set(ParticipationRole.values)
        groups: dict[int, WorkingGroupRecord] = {}
        for index, item in enumerate(self.items(document, "working_groups")):
            number = item.get("number")
            where = f"working_groups[{index}] (WG {number})"
            if not isinstance(number, int) or number < 1 or number in groups:
                self.fail(where, f"'number' must be a unique positive whole number, not {number!r}")
            group_pillars = item.get("pillars")
            if not isinstance(group_pillars, list) or not group_pillars:
                self.fail(where, "'pillars' must be a non-empty list of pillar numbers")
            for pillar in group_pillars:
                if pillar not in pillars:
                    self.fail(where, f"pillar {pillar!r} is not defined under 'pillars'")
            participants: dict[str, str] = {}
            if item.get("all_compact_entities", False):
                # "All Compact entities are members or observers": each takes its Compact status.
                for key, record in organizations.items():
                    if record.kind == OrganizationKind.COMPACT_ENTITY:
                        participants[key] = record.compact_status
            listed: set[str] = set()
            for position, entry in enumerate(item.get("participants") or []):
                entry_where = f"{where} participants[{position}]"
                entry = self.mapping(entry, entry_where)
                org = entry.get("org")
                key = next((k for k in (f"entity:{org}", f"other:{org}") if k in organizations), None)
                if key is None:
                    self.fail(entry_where, f"organisation {org!r} is not an entity or other organisation key")
                if key in listed:
                    self.fail(entry_where, f"organisation {org!r} is listed twice")
                listed.add(key)
                participants[key] = self.choice(entry, "role", entry_where, roles)
            groups[number] = WorkingGroupRecord(
                number=number,
                name=self.text(item, "name", where, max_length=255),
                short_name=self.text(item, "short_name", where, max_length=100),
                objective=self.text(item, "objective", where, max_length=5000),
                pillars=tuple(sorted(group_pillars)),
                participants=participants,
            )
        return groups


def read(path: Path = DEFAULT_PATH) -> ReferenceData:
    return _Reader(Path(path)).read()


# --- Applying ---------------------------------------------------------------------------------------------


def _sync(instance, values: dict, report: LoadReport, kind: str, *, created: bool) -> None:
    """Set ``values`` on ``instance`` and save it only if something differs."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if created:
        report.created[kind] += 1
    elif changed:
        report.updated[kind] += 1
    for name in changed:
        setattr(instance, name, values[name])
    if created or changed:
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()


@transaction.atomic
def apply(data: ReferenceData) -> LoadReport:
    report = LoadReport()

    pillars: dict[int, Pillar] = {}
    for number, (code, name) in data.pillars.items():
        pillar = Pillar.objects.filter(number=number).first()
        created = pillar is None
        pillar = pillar or Pillar(number=number)
        translations = data.names.get(f"pillar:{number}", {})
        _sync(
            pillar,
            {"code": code, "name": name, "translations": translations},
            report,
            "pillars",
            created=created,
        )
        pillars[number] = pillar

    existing = {o.reference_key: o for o in Organization.objects.filter(reference_key__isnull=False)}
    organizations: dict[str, Organization] = {}
    for key, record in data.organizations.items():
        organization = existing.get(key)
        created = organization is None
        if record.editable and not created:
            # A starter record the Secretariat may have edited in the application: never overwritten.
            organizations[key] = organization
            continue
        organization = organization or Organization(reference_key=key)
        values = {
            "kind": record.kind,
            "compact_status": record.compact_status,
            "acronym": record.acronym,
            "name": record.name,
            "iso3": record.iso3,
            "region": record.region,
            "is_active": True,
            "translations": data.names.get(key, {}),
        }
        try:
            with transaction.atomic():
                _sync(organization, values, report, "organisations", created=created)
        except IntegrityError as exc:
            # e.g. an organisation added in the application already uses this acronym or ISO code
            raise ReferenceDataError(
                f"{data.source}: {key}: conflicts with an organisation already in the database "
                f"({str(exc).splitlines()[0]})"
            ) from None
        organizations[key] = organization
    for key, organization in existing.items():
        # Taken out of the file: deactivated, never deleted (its people and history stay).
        if key not in data.organizations and organization.is_active:
            _sync(organization, {"is_active": False}, report, "organisations", created=False)

    groups = {g.number: g for g in WorkingGroup.objects.prefetch_related("pillars")}
    for number, record in data.working_groups.items():
        group = groups.get(number)
        created = group is None
        group = group or WorkingGroup(number=number)
        values = {
            "name": record.name,
            "short_name": record.short_name,
            "objective": record.objective,
            "translations": data.names.get(f"wg:{number}", {}),
        }
        _sync(group, values, report, "working groups", created=created)
        wanted = {pillars[n].pk for n in record.pillars}
        if created or {p.pk for p in group.pillars.all()} != wanted:
            group.pillars.set(wanted)
            if not created:
                report.updated["working groups"] += 1
        if created:
            _add_participations(group, record, organizations, report)
    return report


def _add_participations(group, record, organizations, report: LoadReport) -> None:
    """The file gives a Working Group its starting participants when it creates the group; from then on
    the chairs manage them in the application (working_groups.services), and a later load never adds,
    changes or removes one: a chair's decision is never undone by a deployment."""
    for key, role in record.participants.items():
        Participation.objects.create(working_group=group, organization_id=organizations[key].pk, role=role)
        report.created["participations"] += 1


def load(path: Path = DEFAULT_PATH) -> LoadReport:
    """Validate the whole file, then apply it in one transaction."""
    return apply(read(path))
