"""The audit trail as one reader may see it (rule 9 of the access model).

Every write is in the trail (database triggers, django-pghistory). Its reader — the Secretariat — learns of
every record who changed what kind of record, which fields, when and from which page; the *content* of a
record only when they could see the object it belongs to anywhere else in the platform:

- a piece of content (an ``AudienceModel``), and every row that belongs to one through its foreign keys
  (a reply to its thread, a file version to its document's resource, a share or an audience organisation
  to its content): shown when the reader may see every such object (``visible_to``), masked otherwise —
  deleted objects included, since nobody can say any more who might read them;
- a record of a Working Group's space that is not content (a prioritisation round, a ballot, a progress
  report): shown to those who run that space;
- the registry and other administrative records (organisations, memberships, participation, invitations,
  access requests, reporting periods...): shown in full to those who administer the platform, except a
  person's contact details, which follow that person's own choice (``directory.privacy``), and secrets,
  which are never shown;
- anything else: masked. A new model is hidden until someone decides otherwise (``administrative``).
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime

import pghistory.models
from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.access import AudienceModel, viewer
from directory.models import (
    Invitation,
    Membership,
    Organization,
    Profile,
    User,
    WorkingGroup,
    WorkingGroupGroupGrant,
    WorkingGroupUserGrant,
)
from directory.privacy import may_see
from directory.rules import can_administer_platform, can_manage_space

#: Administrative records, with the fields never shown whoever reads (secrets).
_ADMINISTRATIVE: dict[type[models.Model], frozenset[str]] = {}


def administrative(model: type[models.Model], *, secret: tuple[str, ...] = ()) -> None:
    """Declare ``model`` an administrative record: those who administer the platform read its audit
    records in full, but for ``secret`` fields."""
    _ADMINISTRATIVE[model] = frozenset(secret)


for _name in (
    "Organization",
    "Membership",
    "MembershipRequest",
    "Participation",
    "Pillar",
    "WorkingGroup",
    "AccessRequest",
    "User",
    "Profile",
):
    administrative(apps.get_model("directory", _name))
administrative(User.groups.through)
administrative(WorkingGroupUserGrant)
administrative(WorkingGroupGroupGrant)
administrative(Invitation, secret=("token_digest",))

#: A person's contact details in the trail follow the person's own choice of who sees them.
PERSONAL_FIELDS: dict[type[models.Model], dict[str, str]] = {
    User: {"email": "email_visibility"},
    Profile: {"phone_office": "phone_visibility", "phone_mobile": "phone_visibility"},
}

#: Fields never shown in the trail, in any record: credentials and their digests.
SECRET_NAMES = re.compile(r"password|token|digest|secret", re.IGNORECASE)

ACTIONS = {
    "insert": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
}
MAX_VALUE = 200


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass
class AuditEntry:
    """One recorded write, as its reader may see it."""

    when: datetime
    actor_id: int | None
    url: str
    kind: str
    record_id: str
    action: str
    changes: list[Change] = field(default_factory=list)
    #: The content is hidden from this reader; ``changes`` then name the fields without their values.
    masked: bool = False
    actor: User | None = None


def tracked_model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _foreign_keys(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if f.many_to_one]


@dataclass(frozen=True)
class Path:
    """A foreign-key path from an audited row to the object it belongs to: one step, or two."""

    first: models.ForeignKey
    second: models.ForeignKey | None = None

    @property
    def target(self) -> type[models.Model]:
        return (self.second or self.first).related_model


@functools.cache
def paths_to(model, target: type[models.Model]) -> list[Path]:
    """Paths (one or two steps) from ``model`` to rows of ``target`` or its subclasses. People and
    organisations are not stepped through: a row about a person does not belong to their content."""
    paths = []
    for first in _foreign_keys(model):
        related = first.related_model
        if issubclass(related, target):
            paths.append(Path(first))
        elif related not in (User, Organization):
            paths += [
                Path(first, second)
                for second in _foreign_keys(related)
                if issubclass(second.related_model, target)
            ]
    return paths


_GONE = object()  # an intermediate row that no longer exists: nobody can say what it belonged to


def _resolve(refs: list[tuple[Path, object]]) -> list[tuple[type, object]]:
    """(target model, id) at the end of each (path, first step's value), one query per intermediate
    model and column."""
    wanted: dict[models.ForeignKey, set] = defaultdict(set)
    for path, value in refs:
        if path.second is not None:
            wanted[path.second].add(value)
    pointed = {
        second: dict(second.model._default_manager.filter(pk__in=ids).values_list("pk", second.attname))
        for second, ids in wanted.items()
    }
    return [
        (path.target, value if path.second is None else pointed[path.second].get(value, _GONE))
        for path, value in refs
    ]


def _visible(user, model, ids) -> set:
    if issubclass(model, AudienceModel):
        return set(model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    if issubclass(model, WorkingGroup):
        return {pk for pk in ids if can_manage_space(user, pk)}
    return set()


def _text(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _field(model, attname: str):
    for candidate in model._meta.concrete_fields if model else ():
        if attname in (candidate.attname, candidate.name):
            return candidate
    return None


def _label(model, attname: str) -> str:
    field = _field(model, attname)
    return str(field.verbose_name) if field is not None else attname


def _items(event) -> list[tuple[str, object, object]]:
    """(field, before, after) of an event: its diff for an update, its values for a creation or deletion."""
    if event.pgh_label == "update" and event.pgh_diff:
        return [(name, before, after) for name, (before, after) in event.pgh_diff.items()]
    data = event.pgh_data or {}
    deleted = event.pgh_label == "delete"
    return [
        (name, value if deleted else None, None if deleted else value)
        for name, value in data.items()
        if name != "id" and value not in (None, "", [], {})
    ]


class _Names:
    """What a person reads instead of ids: the names of the page's related rows, one query per model —
    a piece of content by its title only where the reader may see it (its number otherwise)."""

    def __init__(self, user, wanted: dict[type, set]):
        self.names: dict[tuple[type, object], str] = {}
        for model, ids in wanted.items():
            ids = {pk for pk in ids if isinstance(pk, int)}
            if not ids:
                continue
            rows = (
                model.objects.visible_to(user) if issubclass(model, AudienceModel) else model._default_manager
            )
            for row in rows.filter(pk__in=ids):
                self.names[(model, row.pk)] = str(getattr(row, "display_name", None) or row)

    def of(self, model, pk) -> str:
        return self.names.get((model, pk), f"#{pk}")


def _display(field, value, names: _Names) -> str:
    """A recorded value as people read it: names for rows, labels for choices, dates in the reader's zone
    and format, yes and no."""
    if value is None or value == "":
        return ""
    if field is None:
        return _text(value)
    if field.many_to_one:
        return names.of(field.related_model, value)
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else _text(value)
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return date_format(day, "DATE_FORMAT") if day else _text(value)
    choices = dict(getattr(field, "base_field", field).flatchoices)

    def label(item) -> str:
        # A JSON field records objects and lists, which no choice can name (and which cannot be looked up).
        return str(choices.get(item, item)) if isinstance(item, Hashable) else _text(item)

    if isinstance(value, list):
        return _text(", ".join(label(item) for item in value))
    return _text(label(value))


def _wanted_names(event, model, wanted: dict[type, set]) -> None:
    for name, before, after in _items(event):
        field = _field(model, name)
        if field is not None and field.many_to_one:
            wanted[field.related_model].update(value for value in (before, after) if value is not None)


def _changes(event, model, *, hide: set[str], masked: bool, names: _Names) -> list[Change]:
    hidden_text = _("hidden")
    changes = []
    for name, before, after in _items(event):
        field = _field(model, name)
        label = capfirst(str(field.verbose_name)) if field is not None else name
        if masked or name in hide:
            changes.append(Change(label, "", hidden_text))
        else:
            changes.append(Change(label, _display(field, before, names), _display(field, after, names)))
    return changes


def _personal_hidden(user, rows: list[tuple[type, int]]) -> dict[tuple[type, int], set[str]]:
    """The contact fields of the page's people that ``user`` may not see, by (model, person id)."""
    people = {person_id for _model, person_id in rows}
    if not people:
        return {}
    who = viewer(user)
    profiles = {
        profile.pk: profile
        for profile in Profile.objects.filter(pk__in=people).only(
            "user_id", "email_visibility", "phone_visibility"
        )
    }
    organizations: dict[int, set[int]] = defaultdict(set)
    for person_id, organization_id in Membership.objects.filter(
        user_id__in=people, ended_at__isnull=True
    ).values_list("user_id", "organization_id"):
        organizations[person_id].add(organization_id)
    hidden = {}
    for model, person_id in rows:
        profile = profiles.get(person_id)
        hidden[(model, person_id)] = {
            name
            for name, setting in PERSONAL_FIELDS[model].items()
            if not may_see(
                getattr(profile, setting) if profile else Profile._meta.get_field(setting).default,
                who,
                person_id,
                organizations[person_id],
            )
        }
    return hidden


def _plan(event, model) -> tuple[str, list[tuple[Path | None, object]]]:
    """How the event's content is decided: ("audience" | "space", the objects it belongs to),
    ("administrative", []) or ("masked", [])."""
    if model is None:
        return "masked", []
    data = event.pgh_data or {}
    if issubclass(model, AudienceModel):
        return "audience", [(None, (model, _as_id(event.pgh_obj_id)))]
    if paths := paths_to(model, AudienceModel):
        return "audience", [(path, data.get(path.first.attname)) for path in paths]
    if model in _ADMINISTRATIVE:
        return "administrative", []
    if paths := paths_to(model, WorkingGroup):
        return "space", [(path, data.get(path.first.attname)) for path in paths]
    return "masked", []


def load_events(keys) -> list:
    """The full events (data, diff, context) of these (event model label, event id) keys, in their order:
    one query per kind of record, each reading only its own events by id."""
    ids_by_model: dict[str, list[int]] = defaultdict(list)
    for label, pgh_id in keys:
        ids_by_model[label].append(pgh_id)
    found = {
        (label, event.pgh_id): event
        for label, ids in ids_by_model.items()
        for event in pghistory.models.Events.objects.across(label).filter(pgh_id__in=ids)
    }
    return [found[key] for key in keys if key in found]


def entries(user, events) -> list[AuditEntry]:
    """The page's events as ``user`` may read them, in a constant number of queries per page: one per
    intermediate step, one ``visible_to`` per content model, the people's privacy settings, the actors."""
    events = list(events)
    administers = can_administer_platform(user)
    plans = []
    for event in events:
        model = tracked_model(event.pgh_obj_model)
        scope, refs = _plan(event, model)
        # Empty foreign keys belong to nothing; the object itself is already (model, id).
        refs = [(path, value) for path, value in refs if value is not None]
        plans.append((event, model, scope, refs))
    stepped = _resolve([(path, value) for *_rest, refs in plans for path, value in refs if path])
    ends_by_plan, cursor = [], iter(stepped)
    wanted: dict[type, set] = defaultdict(set)
    for _event, _model, _scope, refs in plans:
        ends = [next(cursor) if path else value for path, value in refs]
        ends_by_plan.append(ends)
        for target, value in ends:
            if value is not _GONE:
                wanted[target].add(value)
    visible = {target: _visible(user, target, ids) for target, ids in wanted.items()}
    personal = _personal_hidden(
        user,
        [
            (model, _as_id(event.pgh_obj_id))
            for event, model, scope, _refs in plans
            if model in PERSONAL_FIELDS
        ],
    )

    decided = []
    to_name: dict[type, set] = defaultdict(set)
    for (event, model, scope, _refs), ends in zip(plans, ends_by_plan, strict=True):
        if scope in ("audience", "space"):
            masked = not ends or any(value is _GONE or value not in visible[target] for target, value in ends)
        else:
            masked = scope == "masked" or not administers
        if not masked:
            _wanted_names(event, model, to_name)
        decided.append((event, model, masked))
    names = _Names(user, to_name)

    result = []
    for event, model, masked in decided:
        hide = set(_ADMINISTRATIVE.get(model, ())) | {
            name for name in (event.pgh_data or {}) if SECRET_NAMES.search(name)
        }
        if model in PERSONAL_FIELDS:
            hide |= personal.get((model, _as_id(event.pgh_obj_id)), set())
        context = event.pgh_context or {}
        result.append(
            AuditEntry(
                when=event.pgh_created_at,
                actor_id=_as_id(context.get("user")),
                url=str(context.get("url") or ""),
                kind=str(model._meta.verbose_name) if model else event.pgh_obj_model,
                record_id=str(event.pgh_obj_id or ""),
                action=str(ACTIONS.get(event.pgh_label, event.pgh_label)),
                changes=_changes(event, model, hide=hide, masked=masked, names=names),
                masked=masked,
            )
        )
    actors = User.objects.in_bulk({entry.actor_id for entry in result if entry.actor_id})
    for entry in result:
        entry.actor = actors.get(entry.actor_id)
    return result


def _as_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def kinds() -> list[tuple[str, str]]:
    """(event model label, what a person reads) of every kind of audited record, for the filter."""
    from pghistory.core import event_models

    choices = []
    for event_model in event_models():
        tracked = event_model.pgh_tracked_model
        name = f"{tracked._meta.app_config.verbose_name}: {tracked._meta.verbose_name}"
        choices.append((event_model._meta.label, name))
    return sorted(choices, key=lambda choice: choice[1].lower())
