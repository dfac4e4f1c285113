"""One mapping from an imported row to a project: the spreadsheet import and the IATI import both produce rows
(column key → text) and check them here, through ``ProjectRowForm`` — ``ProjectForm`` with its fields, its
rules (end after start, a rate for a foreign currency, SDG targets, the lead among the importer's
organisations) and its model validation, whose lists (organisations, countries, themes…) are read once per
file instead of once per row, and whose names are resolved from text ("UNODC; UNDP").

What a row cannot know alone is checked for the whole file at once (``check_rows``): a code used twice for a
lead, an IATI identifier used twice, a code or identifier already in the database. A row whose IATI
identifier is already a project of the same lead entity *updates* that project (a re-import); one of another
lead entity is an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.access import Visibility, viewer
from directory.models import Organization, OrganizationKind, Pillar, WorkingGroup
from projects.forms import ProjectForm
from projects.imports.spreadsheet import Column, normal
from projects.models import Project, ProjectStatus, ThematicArea
from projects.reference import Region

#: The documented columns, in the template's order (docs/projects.md, "Importing"). Headers are matched
#: without regard to case, spaces or underscores; the key works as a header too.
COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", gettext_lazy("Required. At most 300 characters."),
           "Border security in the Sahel", required=True),
    Column("code", "Code", gettext_lazy("The lead entity's own reference; unique for the lead entity."),
           "SAH-2025-01"),
    Column("iati_identifier", "IATI identifier",
           gettext_lazy("If published to IATI. A project of the same lead entity with this identifier is "
                        "updated instead of added again."), "XM-DAC-41114-PROJECT-00012345"),
    Column("lead", "Lead entity",
           gettext_lazy("Required. Acronym or full name of one of your organisations."), "UNODC",
           required=True),
    Column("partners", "Partner entities",
           gettext_lazy("Organisations of the platform, by acronym or name, separated by semicolons."),
           "UNDP; INTERPOL"),
    Column("implementing_partners", "Implementing partners",
           gettext_lazy("Organisations outside the platform, as free text."), "National police academy"),
    Column("pillars", "Pillars", gettext_lazy("Strategy pillars by number (1–4) or name, separated by "
                                              "semicolons."), "2; 4"),
    Column("working_groups", "Working Groups",
           gettext_lazy("Working Groups by number or name, separated by semicolons."), "2"),
    Column("themes", "Themes", gettext_lazy("Thematic areas by name, separated by semicolons."),
           "Border management and law enforcement"),
    Column("countries", "Countries",
           gettext_lazy("Member States by ISO 3166 alpha-3 code or name, separated by semicolons."),
           "MLI; NER; Burkina Faso"),
    Column("regions", "Regions",
           gettext_lazy("Africa, Americas, Asia, Europe or Oceania (or their UN M49 codes), separated by "
                        "semicolons."), ""),
    Column("is_global", "Global", gettext_lazy("yes or no (empty is no)."), "no"),
    Column("sdg_targets", "SDG targets", gettext_lazy("Separated by semicolons or commas, e.g. 16.1; 16.a."),
           "16.4; 16.a"),
    Column("start", "Start", gettext_lazy("A date: YYYY-MM-DD."), "2025-01-01"),
    Column("end", "End", gettext_lazy("A date: YYYY-MM-DD, not before the start."), "2027-12-31"),
    Column("status", "Status", gettext_lazy("pipeline, ongoing, completed or cancelled (empty is ongoing)."),
           "ongoing"),
    Column("budget", "Budget", gettext_lazy("A number, not negative, in the currency."), "1000000"),
    Column("currency", "Currency", gettext_lazy("ISO 4217 code, e.g. USD, EUR (empty is USD)."), "EUR"),
    Column("usd_rate", "USD rate",
           gettext_lazy("For another currency than USD: US dollars for one unit of it."), "1.085"),
    Column("rate_date", "Rate date", gettext_lazy("For another currency than USD: the date of the rate."),
           "2025-01-02"),
    Column("donors", "Donors",
           gettext_lazy("Organisations of the platform (Member States included), by acronym, name or ISO3 "
                        "code, separated by semicolons."), "DEU; EU"),
    Column("description", "Description", gettext_lazy("At most 20,000 characters."),
           "Training and equipment for border posts."),
    Column("expected_results", "Expected results", gettext_lazy("At most 10,000 characters."),
           "Border posts screen travellers against INTERPOL databases."),
)  # fmt: skip
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
HEADER_OF = {column.key: column.header for column in COLUMNS}
#: The form field each column fills (the lead entity is the project's owner).
FIELD_OF = {**{key: key for key in COLUMN_KEYS}, "lead": "owner"}
COLUMN_OF_FIELD = {value: key for key, value in FIELD_OF.items()}

#: Lists in a cell are separated by semicolons or line breaks (names may hold commas).
LIST_SEPARATORS = re.compile(r"[;\n\r]+")
#: "1,234,567.89": thousands separated by commas, as spreadsheets write them.
THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")

#: The audiences an import may give its projects (a Working Group's audience needs its group: one project
#: at a time, from the project's form).
IMPORT_VISIBILITIES = [
    (value, label)
    for value, label in Visibility.choices
    if value in (Visibility.PLATFORM, Visibility.COMPACT, Visibility.OWNER)
]


@dataclass
class Lookups:
    """Everything a row's names are resolved against, read once per file (six small queries): the importer's
    own organisations (the lead entities they may choose, as ``ProjectForm`` offers them), every active
    organisation, the Member States, pillars, Working Groups and active themes."""

    leads: dict[str, Organization]
    organizations: dict[str, Organization]
    countries: dict[str, str]
    pillars: dict[str, Pillar]
    working_groups: dict[str, WorkingGroup]
    themes: dict[str, ThematicArea]
    regions: dict[str, str]
    statuses: dict[str, str]
    country_names: dict[str, str] = field(default_factory=dict)

    #: When two organisations answer to one name, the first kind wins (a lead is matched among one's own).
    KIND_ORDER = (
        OrganizationKind.COMPACT_ENTITY,
        OrganizationKind.REGIONAL_ORGANIZATION,
        OrganizationKind.OTHER,
        OrganizationKind.MEMBER_STATE,
    )

    @classmethod
    def for_user(cls, user) -> Lookups:
        who = viewer(user)
        own = set(who.organization_ids) if who else set()
        active = sorted(
            Organization.objects.filter(is_active=True),
            key=lambda org: (cls.KIND_ORDER.index(org.kind) if org.kind in cls.KIND_ORDER else 9, org.pk),
        )
        organizations: dict[str, Organization] = {}
        leads: dict[str, Organization] = {}
        for org in active:
            for name in (org.acronym, org.name, org.iso3):
                if name:
                    organizations.setdefault(normal(name), org)
                    if org.pk in own:
                        leads.setdefault(normal(name), org)
        states = Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE).exclude(iso3="")
        countries, country_names = {}, {}
        for iso3, name in states.values_list("iso3", "name"):
            countries[normal(iso3)] = countries[normal(name)] = iso3
            country_names[iso3] = name
        pillars = {}
        for pillar in Pillar.objects.order_by("number"):
            pillars[str(pillar.number)] = pillars[normal(pillar.name)] = pillar
        groups = {}
        for group in WorkingGroup.objects.filter(is_active=True).order_by("number"):
            groups[str(group.number)] = groups[normal(group.name)] = group
        themes = {normal(theme.name): theme for theme in ThematicArea.objects.filter(is_active=True)}
        regions = {}
        for region in Region:
            regions[region.value] = regions[normal(region.label)] = region.value
        statuses = {}
        for status in ProjectStatus:
            statuses[status.value] = statuses[normal(status.label)] = status.value
        return cls(
            leads=leads, organizations=organizations, countries=countries, pillars=pillars,
            working_groups=groups, themes=themes, regions=regions, statuses=statuses,
            country_names=country_names,
        )  # fmt: skip


class NamesField(forms.Field):
    """A list of names separated by semicolons, each resolved in one of the ``Lookups`` tables (set on the
    form's copy of the field); unknown names are one error that names them all."""

    def __init__(self, *, table: str, unknown: str, **kwargs):
        self.table_name, self.unknown = table, unknown
        self.table: dict = {}
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        names = [name.strip() for name in LIST_SEPARATORS.split(value or "") if name.strip()]
        found, unknown = [], []
        for name in names:
            match = self.table.get(normal(name))
            if match is None:
                unknown.append(name)
            elif match not in found:
                found.append(match)
        if unknown:
            raise ValidationError(self.unknown % {"names": ", ".join(unknown)})
        return found


class LeadField(forms.Field):
    """The lead entity by acronym or name: one of the importer's organisations (``ProjectForm``'s rule)."""

    def __init__(self, **kwargs):
        self.leads: dict[str, Organization] = {}
        self.organizations: dict[str, Organization] = {}
        super().__init__(**kwargs)

    def to_python(self, value):
        name = (value or "").strip()
        if not name:
            return None
        lead = self.leads.get(normal(name))
        if lead is not None:
            return lead
        if normal(name) in self.organizations:
            raise ValidationError(
                _("You may add projects only for your own organisations, and %(name)s is not one of them.")
                % {"name": name}
            )
        raise ValidationError(_("No organisation on the platform is called %(name)s.") % {"name": name})


class YesNoField(forms.Field):
    YES = {"yes", "y", "true", "1", "x", "oui", "sí", "si"}
    NO = {"no", "n", "false", "0", "non", ""}

    def to_python(self, value):
        text = normal(value or "")
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValidationError(_("Write yes or no, not %(value)s.") % {"value": value})


class ProjectRowForm(ProjectForm):
    """``ProjectForm`` for one imported row: the same declared fields, model validation and ``clean`` (so the
    same rules), but its lists come from ``Lookups`` and names are typed rather than chosen. The database's
    own uniqueness rules are checked for the whole file by ``check_rows`` (per row they would cost a query
    each), and so is the lead entity (a foreign key the model would look up once per row)."""

    owner = LeadField(label=gettext_lazy("Lead entity"))
    partners = NamesField(table="organizations", unknown=gettext_lazy("Unknown organisations: %(names)s."))
    donors = NamesField(table="organizations", unknown=gettext_lazy("Unknown organisations: %(names)s."))
    pillars = NamesField(table="pillars", unknown=gettext_lazy("Unknown pillars: %(names)s."))
    working_groups = NamesField(
        table="working_groups", unknown=gettext_lazy("Unknown Working Groups: %(names)s.")
    )
    themes = NamesField(table="themes", unknown=gettext_lazy("Unknown themes: %(names)s."))
    countries = NamesField(table="countries", unknown=gettext_lazy("Unknown countries: %(names)s."))
    regions = NamesField(table="regions", unknown=gettext_lazy("Unknown regions: %(names)s."))
    is_global = YesNoField(required=False)
    visibility = forms.ChoiceField(choices=IMPORT_VISIBILITIES)

    class Meta(ProjectForm.Meta):
        fields = [
            "title", "code", "iati_identifier", "status", "start", "end", "description", "expected_results",
            "partners", "implementing_partners", "pillars", "working_groups", "themes", "countries",
            "regions", "is_global", "sdg_targets", "budget", "currency", "usd_rate", "rate_date", "donors",
            "owner", "visibility",
        ]  # fmt: skip

    def __init__(self, data, *, user, lookups: Lookups):  # noqa: D107 -- skips ProjectForm's reads on purpose
        # ProjectForm.__init__ reads its choice lists from the database for each form; here they were read
        # once for the file (``lookups``).
        super(ProjectForm, self).__init__(data)
        self.audience_user = user
        for form_field in self.fields.values():
            if isinstance(form_field, NamesField):
                form_field.table = getattr(lookups, form_field.table_name)
        self.fields["owner"].leads = lookups.leads
        self.fields["owner"].organizations = lookups.organizations
        # The database's rules (unique code, unique identifier) are checked for the file (check_rows); the
        # check constraints are the form's own rules (end after start, amounts not negative, a rate above 0).
        self.instance.validate_constraints = lambda exclude=None: None

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "owner"}  # resolved among the importer's own

    def validate_unique(self):
        """Checked for the whole file at once (``check_rows``)."""


def form_data(values: dict, *, visibility: str, statuses: dict[str, str]) -> dict:
    """The form's data for one row's texts: defaults for empty status and currency, statuses by their label,
    numbers as spreadsheets write them, lists of SDG targets as the form reads them."""
    data = {key: str(values.get(key) or "").strip() for key in COLUMN_KEYS}
    data["owner"] = data.pop("lead")
    data["status"] = statuses.get(normal(data["status"]), data["status"]) if data["status"] else "ongoing"
    data["currency"] = data["currency"].upper() or "USD"
    for name in ("budget", "usd_rate"):
        number = data[name].replace(" ", "").replace("\u00a0", "")
        data[name] = number.replace(",", "") if THOUSANDS.match(number) else number
    data["sdg_targets"] = ", ".join(LIST_SEPARATORS.split(data["sdg_targets"].replace(",", ";")))
    data["implementing_partners"] = ", ".join(
        part.strip() for part in LIST_SEPARATORS.split(data["implementing_partners"]) if part.strip()
    )
    data["visibility"] = visibility
    return data


@dataclass
class CheckedRow:
    """One row after its checks: its number in the file, its errors as (column header, message), and when
    valid the form's cleaned data and the project it updates (a re-import by IATI identifier)."""

    number: int
    errors: list[tuple[str, str]] = field(default_factory=list)
    data: dict | None = None
    updates: int | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def report(self) -> dict:
        """What the preview keeps of the check (JSON)."""
        return {
            "number": self.number,
            "errors": [list(error) for error in self.errors],
            "updates": self.updates,
        }


def check_rows(
    rows: list[dict], *, user, visibility: str, numbers: list[int] | None = None
) -> list[CheckedRow]:
    """Check every row (column key → text) as ``user`` would add it with ``visibility``: each through the
    form, then the rules across rows and with the database (a few queries for the whole file)."""
    lookups = Lookups.for_user(user)
    checked = []
    for index, values in enumerate(rows):
        row = CheckedRow(number=numbers[index] if numbers else index + 1)
        form = ProjectRowForm(
            form_data(values, visibility=visibility, statuses=lookups.statuses), user=user, lookups=lookups
        )
        if form.is_valid():
            row.data = form.cleaned_data
        else:
            for name, messages in form.errors.items():
                header = HEADER_OF.get(COLUMN_OF_FIELD.get(name, ""), "—")
                row.errors += [(header, message) for message in messages]
        checked.append(row)
    _check_across(checked)
    return checked


def _check_across(rows: list[CheckedRow]) -> None:
    """Codes and IATI identifiers: unique in the file, and against the database (two queries)."""
    valid = [row for row in rows if row.data is not None]
    identifiers = {row.data["iati_identifier"] for row in valid if row.data["iati_identifier"]}
    existing_ids = {
        iati: (pk, owner)
        for iati, pk, owner in Project.objects.filter(iati_identifier__in=identifiers).values_list(
            "iati_identifier", "pk", "owner_id"
        )
    }
    codes = {(row.data["owner"].pk, row.data["code"]) for row in valid if row.data["code"]}
    code_filter = Q(pk__in=[])
    for owner_id, code in codes:
        code_filter |= Q(owner_id=owner_id, code=code)
    existing_codes = (
        {(owner, code): pk for owner, code, pk in Project.objects.filter(code_filter).values_list(
            "owner_id", "code", "pk")}
        if codes else {}
    )  # fmt: skip
    seen_ids: dict[str, int] = {}
    seen_codes: dict[tuple, int] = defaultdict(int)
    for row in valid:
        data, lead = row.data, row.data["owner"]
        iati = data["iati_identifier"]
        if iati:
            if iati in seen_ids:
                message = _("Row %(row)s has the same IATI identifier.") % {"row": seen_ids[iati]}
                row.errors.append((HEADER_OF["iati_identifier"], message))
            seen_ids.setdefault(iati, row.number)
            if iati in existing_ids:
                pk, owner = existing_ids[iati]
                if owner == lead.pk:
                    row.updates = pk
                else:
                    row.errors.append((HEADER_OF["iati_identifier"], _(
                        "A project of another lead entity has this IATI identifier: only its lead entity "
                        "updates it.")))  # fmt: skip
        code = data["code"]
        if code:
            key = (lead.pk, code)
            if seen_codes[key]:
                row.errors.append((HEADER_OF["code"], _("Row %(row)s has the same code for %(lead)s.")
                                   % {"row": seen_codes[key], "lead": lead.display_name}))  # fmt: skip
            else:
                seen_codes[key] = row.number
            if key in existing_codes and existing_codes[key] != row.updates:
                message = _("%(lead)s already has a project with the code %(code)s.") % {
                    "lead": lead.display_name, "code": code}  # fmt: skip
                row.errors.append((HEADER_OF["code"], message))
        if row.errors:
            row.data = None


def summary(values: dict) -> dict:
    """What the preview shows of a row as read (texts, cut short)."""
    return {key: str(values.get(key) or "")[:200] for key in ("title", "lead", "status", "start", "end",
                                                              "budget", "currency", "countries")}  # fmt: skip
