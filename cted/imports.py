"""CTED imports an existing table of recommendations (docs/cted.md, "Importing recommendations"): the file is
read as the projects' spreadsheets are (``projects.imports.spreadsheet``: type by content, size caps, headers
matched without regard to case or accents), each row is checked here through ``RecommendationRowForm``
against lists read once per file, then across the file and the stored recommendations (a duplicate is an
error), and the staged rows (``RecommendationImport``) are saved by ``cted.services.import_recommendations``.

A row adds a recommendation to an assessment already recorded — found by its Member State and the first day
of its visit —, never an assessment: a row naming none is an error. Statuses "matched" and "provided" are
refused: they mean a project answers the need, and links to projects are made on the platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cted import services
from cted.models import (
    Assessment,
    AssistanceStatus,
    ImplementationStatus,
    Recommendation,
    RecommendationImport,
)
from directory.models import Organization, OrganizationKind
from projects.imports.rows import CheckedRow, NamesField, YesNoField
from projects.imports.spreadsheet import Column, Table, normal
from projects.models import ThematicArea

TEXT_MAX = Recommendation._meta.get_field("text").max_length

#: The documented columns, in the template's order (docs/cted.md). Headers are matched without regard to
#: case, accents, spaces or underscores; the key works as a header too.
COLUMNS: tuple[Column, ...] = (
    Column("state", "Member State",
           gettext_lazy("Required. The Member State's name or ISO 3166 alpha-3 code."), "Kenya",
           required=True),
    Column("visit", "Visit date",
           gettext_lazy("Required. The first day of the assessment's visit, YYYY-MM-DD. The assessment must "
                        "be recorded on the platform already: the import adds recommendations, not "
                        "assessments."), "2025-03-03", required=True),
    Column("theme", "Thematic area", gettext_lazy("A thematic area of the matrix, by name."),
           "Border management and law enforcement"),
    Column("text", "Recommendation", gettext_lazy("Required. At most 5,000 characters."),
           "Establish an advance passenger information system.", required=True),
    Column("priority", "Priority",
           gettext_lazy("yes (or x, 1, true) for a high-priority need agreed with the State; empty is no."),
           "yes"),
    Column("assistance", "Assistance status",
           gettext_lazy("Requested, or empty. Matched and provided are recorded on the platform, when a "
                        "project that answers the need is linked."), "requested"),
    Column("implementation", "Implementation status",
           gettext_lazy("Open, in progress, implemented or closed (empty is open)."), "open"),
    Column("entities", "Entities that could deliver",
           gettext_lazy("Compact entities, by acronym or name, separated by semicolons or commas."),
           "UNODC; INTERPOL"),
)  # fmt: skip
HEADER_OF = {column.key: column.header for column in COLUMNS}


@dataclass
class Lookups:
    """What a row's names are resolved against, read once per file (three small queries): the Member States
    (by name and ISO3 code), the active thematic areas, the active Compact entities (by acronym and
    name)."""

    states: dict[str, Organization]
    themes: dict[str, ThematicArea]
    entities: dict[str, Organization]

    @classmethod
    def read(cls) -> Lookups:
        states = {}
        for state in Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE):
            for name in (state.name, state.iso3):
                if name:
                    states.setdefault(normal(name), state)
        themes = {normal(theme.name): theme for theme in ThematicArea.objects.filter(is_active=True)}
        entities = {}
        # as on the platform (services.set_links): the Compact's entities
        for org in Organization.objects.filter(is_active=True, kind=OrganizationKind.COMPACT_ENTITY).order_by(
            "pk"
        ):
            for name in (org.acronym, org.name):
                if name:
                    entities.setdefault(normal(name), org)
        return cls(states=states, themes=themes, entities=entities)


class OneNameField(NamesField):
    """One name, resolved as ``NamesField`` resolves each of a list (None when empty)."""

    def to_python(self, value):
        found = super().to_python(value)
        if len(found) > 1:
            raise ValidationError(_("Write one name only."))
        return found[0] if found else None


class StatusField(forms.Field):
    """A status by its value or label (empty: ``default``); a ``refused`` status is an error saying why."""

    def __init__(self, *, statuses: type[models.TextChoices], default: str, refused=(), **kwargs):
        self.statuses, self.default, self.refused = statuses, default, set(refused)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        wanted = normal(value or "")
        if not wanted:
            return self.default
        for status in self.statuses:
            if wanted in (normal(status.value), normal(status.value.replace("_", " ")), normal(status.label)):
                if status in self.refused:
                    raise ValidationError(
                        _("“%(status)s” is recorded on the platform, when a project that answers the need is "
                          "linked to it: leave the column empty (requested) and link the project after the "
                          "import.") % {"status": status.label}
                    )  # fmt: skip
                return status.value
        allowed = ", ".join(str(status.label) for status in self.statuses if status not in self.refused)
        raise ValidationError(
            _("Not a status: %(value)s. Write one of: %(allowed)s (or leave it empty).")
            % {"value": value, "allowed": allowed}
        )


class RecommendationRowForm(forms.Form):
    """One row of the file, as texts (column key → text): each field resolves its column's names against the
    file's ``Lookups``; what a row cannot know alone (its assessment, duplicates) is checked for the whole
    file by ``check_rows``."""

    state = OneNameField(
        table="states", required=True, unknown=gettext_lazy("No Member State is called %(names)s."),
        error_messages={"required": gettext_lazy("Name the Member State.")},
    )  # fmt: skip
    visit = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("Give the first day of the assessment's visit."),
            "invalid": gettext_lazy(
                "Write the first day of the visit as a date, YYYY-MM-DD (e.g. 2025-03-03)."
            ),
        },
    )  # fmt: skip
    theme = OneNameField(table="themes", unknown="")  # the message lists the file's themes: set in __init__
    text = forms.CharField(
        max_length=TEXT_MAX,
        error_messages={
            "required": gettext_lazy("Write the recommendation."),
            "max_length": gettext_lazy(
                "At most %(limit_value)s characters (it has %(show_value)s): shorten it."
            ),
        },
    )  # fmt: skip
    priority = YesNoField(required=False)
    assistance = StatusField(
        statuses=AssistanceStatus, default=AssistanceStatus.REQUESTED,
        refused=(AssistanceStatus.MATCHED, AssistanceStatus.PROVIDED),
    )  # fmt: skip
    implementation = StatusField(statuses=ImplementationStatus, default=ImplementationStatus.OPEN)
    entities = NamesField(table="entities", unknown=gettext_lazy("No Compact entity is called: %(names)s."))

    def __init__(self, data, *, lookups: Lookups):
        super().__init__(data)
        for name in ("state", "theme", "entities"):
            self.fields[name].table = getattr(lookups, self.fields[name].table_name)
        known = ", ".join(sorted({theme.name for theme in lookups.themes.values()})).replace("%", "%%")
        self.fields["theme"].unknown = (
            _("Unknown thematic area: %(names)s. The thematic areas are: ") + known + "."
        )


def form_data(values: dict) -> dict:
    """The form's data for one row's texts; entities may be separated by commas too (no name holds one)."""
    data = {column.key: str(values.get(column.key) or "").strip() for column in COLUMNS}
    data["entities"] = data["entities"].replace(",", ";")
    return data


@dataclass
class CheckedRecommendation(CheckedRow):
    """A checked row and, when valid, what it will create (for the preview)."""

    creates: dict | None = None

    def report(self) -> dict:
        return {**super().report(), "creates": self.creates}


def describe(assessment: Assessment) -> str:
    """An assessment as a person names it: the State, the kind of visit and its first day."""
    return _("%(state)s, %(visit)s visit of %(day)s") % {
        "state": assessment.state.name, "visit": assessment.get_visit_type_display().lower(),
        "day": date_format(assessment.visit_start, "DATE_FORMAT"),
    }  # fmt: skip


def check_rows(rows: list[dict], *, user, numbers: list[int]) -> list[CheckedRecommendation]:
    """Check every row (column key → text) as ``user`` would add it: each through the form, then the
    assessments they name and the duplicates, in the file and already stored (three queries for the file)."""
    lookups = Lookups.read()
    checked = []
    for number, values in zip(numbers, rows, strict=True):
        row = CheckedRecommendation(number=number)
        form = RecommendationRowForm(form_data(values), lookups=lookups)
        if form.is_valid():
            row.data = form.cleaned_data
        else:
            for name, messages in form.errors.items():
                row.errors += [(HEADER_OF.get(name, "—"), message) for message in messages]
        checked.append(row)
    _check_across([row for row in checked if row.data is not None], user=user)
    return checked


def _check_across(rows: list[CheckedRecommendation], *, user) -> None:
    """Each row's assessment (its State and first day of visit), and its text: once per assessment, in the
    file and among the stored recommendations."""
    wanted = {(row.data["state"].pk, row.data["visit"]) for row in rows}
    found: dict[tuple, list[Assessment]] = {}
    assessments = Assessment.objects.visible_to(user).select_related("state").filter(
        state_id__in={state for state, _day in wanted}, visit_start__in={day for _state, day in wanted}
    )  # fmt: skip
    for assessment in assessments:
        found.setdefault((assessment.state_id, assessment.visit_start), []).append(assessment)
    stored = {
        (assessment_id, normal(text))
        for assessment_id, text in Recommendation.objects.visible_to(user)
        .filter(assessment__in=[a for matches in found.values() for a in matches])
        .values_list("assessment_id", "text")
    }  # fmt: skip
    seen: dict[tuple, int] = {}
    for row in rows:
        data = row.data
        matches = found.get((data["state"].pk, data["visit"]), [])
        where = {"state": data["state"].name, "day": date_format(data["visit"], "DATE_FORMAT")}
        if not matches:
            row.errors.append((HEADER_OF["visit"], _(
                "No assessment of %(state)s with a visit starting on %(day)s is recorded: correct the date, "
                "or record the assessment first.") % where))  # fmt: skip
        elif len(matches) > 1:
            row.errors.append((HEADER_OF["visit"], _(
                "%(state)s has several assessments with a visit starting on %(day)s: add these "
                "recommendations on the assessment's page.") % where))  # fmt: skip
        else:
            data["assessment"] = assessment = matches[0]
            key = (assessment.pk, normal(data["text"]))
            if key in stored:
                row.errors.append(
                    (HEADER_OF["text"], _("This recommendation is already recorded for this assessment."))
                )
            elif key in seen:
                row.errors.append((HEADER_OF["text"], _(
                    "Row %(row)s has the same recommendation for this assessment: it would be recorded twice."
                ) % {"row": seen[key]}))  # fmt: skip
            seen.setdefault(key, row.number)
        if row.errors:
            row.data = None
        else:
            row.creates = {
                "assessment": describe(data["assessment"]),
                "theme": data["theme"].name if data["theme"] else "",
                "priority": _("Yes") if data["priority"] else _("No"),
                "entities": ", ".join(org.name for org in data["entities"]),
                "assistance": str(AssistanceStatus(data["assistance"]).label),
                "implementation": str(ImplementationStatus(data["implementation"]).label),
            }


def stage(*, by, filename: str, table: Table) -> RecommendationImport:
    """Check every row of the file and keep them for the preview."""
    checked = check_rows(table.rows, user=by, numbers=table.numbers)
    rows = [{"number": n, "values": values} for n, values in zip(table.numbers, table.rows, strict=True)]
    return RecommendationImport.stage(
        by=by, filename=filename, rows=rows, report=[row.report() for row in checked]
    )


def save(*, staged: RecommendationImport, by, only_valid: bool = False) -> tuple[int, int]:
    """Save the staged rows, checked again, in one transaction (unless ``only_valid``, one invalid row saves
    nothing): how many recommendations were added, and how many rows are invalid."""

    def check(chosen: list[dict]) -> list[CheckedRecommendation]:
        return check_rows(
            [row["values"] for row in chosen], user=by, numbers=[row["number"] for row in chosen]
        )

    def write(valid: list[CheckedRecommendation]):
        return services.import_recommendations(
            rows=[row.data for row in valid], filename=staged.filename, by=by
        )

    created, invalid = staged.save_rows(check=check, write=write, only_valid=only_valid)
    return len(created or ()), len(invalid)
