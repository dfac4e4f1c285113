"""Exports of a filtered list of projects: CSV and XLSX tables, and an IATI activity file (XML, version 2.03).

Pure functions: the view (projects.export_views) decides which projects — the list's own query, the
projects the reader may see (``selectors.projects_for``) narrowed by the list's filters, capped at
``MAX_ROWS`` — and these functions only format them. Tables are written by ``core.tables`` like every export
of the platform (formulas neutralised); every relation is named, never given as an id.

IATI choices (codelists of the IATI Standard 2.03):

- **Identifier**: the project's own ``iati_identifier`` when it has one, otherwise the
  ``PROJECTS_IATI_PREFIX`` setting + "-" +
  the project's id (``ZZ-COMPACT-1234``): stable across exports, so a consumer updates instead of
  duplicating. ``ZZ`` is an ISO 3166 user-assigned code, never a real registration agency: an installation
  that has its own IATI organisation identifier sets ``PROJECTS_IATI_PREFIX``.
- **Reporting organisation**: the platform, as a *secondary reporter* (``secondary-reporter="1"``): it
  republishes what its entities told it, it is not the lead entity's own publication.
- **Participating organisations** (OrganisationRole): the lead entity as *Accountable* (2) and
  *Implementing* (4); partner entities and the implementing partners (free text) as *Implementing* (4);
  donors as *Funding* (1). No organisation is *Extending* (3): the platform does not know who channels the
  money. Types (OrganisationType): UN entities and regional organisations *Multilateral* (40), Member
  States *Government* (10), others *Other* (90). No ``ref``: the registry holds no IATI organisation ids.
- **Status** (ActivityStatus): pipeline → 1 *Pipeline/identification*, ongoing → 2 *Implementation*,
  completed → 3 *Finalisation* (the work is done; whether the accounts are closed, 4, is not known here),
  cancelled → 5 *Cancelled*.
- **Dates** (ActivityDateType): the start is *actual* (2) once it has passed for a project that began
  (ongoing, completed), otherwise *planned* (1); the end is *actual* (4) for a completed project whose end
  has passed, otherwise *planned* (3). IATI forbids actual dates in the future. A project without dates gets
  none (none is invented).
- **Where**: countries as ``recipient-country`` with their ISO 3166-1 **alpha-2** code
  (``directory.countries``), regions as ``recipient-region`` in the UN M49 vocabulary (2), a global project
  as the OECD DAC region 998 *Developing countries, unspecified* (vocabulary 1) with ``activity-scope`` 1
  *Global* (else 2 *Regional*, 3 *Multi-national* or 4 *National*). Several recipients share 100 % equally
  (IATI requires percentages then; the platform records no split).
- **Themes** as ``sector`` in vocabulary 98 (*Reporting Organisation*), the theme's id as code and its name
  as narrative, sharing 100 % equally; SDG targets as ``tag`` in vocabulary 3 (*SDG targets*). No DAC sector
  is invented: the platform does not classify projects by DAC purpose code.
- **Budget**: one ``budget`` (type 1 *Original*, status 1 *Indicative*) over the project's whole period, in
  its own currency, ``value-date`` the date of its US dollar rate (else the start): a consumer converts at
  that date, as the platform did. IATI asks for periods of at most a year: a multi-year budget is flagged by
  its validator, but splitting it would invent a phasing nobody gave. No budget without a start and an end.
- **Description**: IATI requires one: type 1 *General* from the description (the title if there is none),
  type 2 *Objectives* from the expected results.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import tables
from directory import countries
from directory.models import OrganizationKind
from directory.selectors import registry_names
from projects.models import Project, ProjectStatus
from projects.reference import GLOBAL, Region
from projects.selectors import PROJECT_RELATIONS

#: The most projects one export holds; beyond, the file is cut and says so (the list's filters narrow it).
MAX_ROWS = 5000

IATI_VERSION = "2.03"


def for_export(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects with everything an export writes fetched alongside."""
    return projects.select_related("owner", "focal_point").prefetch_related(*PROJECT_RELATIONS)


# --- Tables (CSV, XLSX) -------------------------------------------------------------------------------------


def columns() -> list[str]:
    return [
        _("Title"),
        _("Code"),
        _("IATI identifier"),
        _("Lead entity"),
        _("Partner entities"),
        _("Implementing partners"),
        _("Strategy pillars"),
        _("Working Groups"),
        _("Themes"),
        _("Countries"),
        _("Regions"),
        _("Global"),
        _("SDG targets"),
        _("Start"),
        _("End"),
        _("Status"),
        _("Budget"),
        _("Currency"),
        _("US dollars for one unit"),
        _("Date of the rate"),
        _("Budget in US dollars"),
        _("Donors"),
        _("Focal point"),
        _("Description"),
        _("Expected results"),
        _("Page"),
    ]


COLUMN_WIDTHS = (
    50,
    16,
    30,
    16,
    30,
    30,
    40,
    30,
    30,
    30,
    16,
    8,
    16,
    12,
    12,
    12,
    16,
    10,
    14,
    14,
    16,
    30,
    24,
    60,
    60,
    40,
)


def _names(objects: Iterable, attribute: str = "") -> str:
    return "; ".join(str(getattr(obj, attribute) if attribute else obj) for obj in objects)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def row(project: Project, country_names: dict[str, str], base_url: str) -> list[str]:
    return [
        project.title,
        project.code,
        project.iati_identifier,
        project.owner.display_name,
        _names(project.partners.all(), "display_name"),
        project.implementing_partners,
        _names(project.pillars.all()),
        _names(project.working_groups.all()),
        _names(project.themes.all()),
        "; ".join(country_names.get(code, code) for code in project.countries),
        "; ".join(str(Region(code).label) for code in project.regions if code in Region.values),
        _("Yes") if project.is_global else "",
        "; ".join(project.sdg_targets),
        _iso(project.start),
        _iso(project.end),
        project.get_status_display(),
        _amount(project.budget),
        project.currency if project.budget is not None else "",
        _amount(project.usd_rate),
        _iso(project.rate_date),
        _amount(project.budget_usd),
        _names(project.donors.all(), "display_name"),
        project.focal_point.full_name if project.focal_point else "",
        project.description,
        project.expected_results,
        base_url + project.get_absolute_url(),
    ]


def rows(projects: Sequence[Project], *, base_url: str) -> list[list[str]]:
    """The table's data rows (no header): countries by their registry names, relations by name."""
    country_names = registry_names("country")
    return [row(project, country_names, base_url) for project in projects]


def to_csv(projects: Sequence[Project], *, base_url: str) -> bytes:
    return tables.csv_bytes(columns(), rows(projects, base_url=base_url))


def to_xlsx(projects: Sequence[Project], *, base_url: str, about: Sequence[tuple[str, str]] = ()) -> bytes:
    return tables.xlsx_bytes(
        _("Projects"), columns(), rows(projects, base_url=base_url), widths=COLUMN_WIDTHS, about=about
    )


# --- IATI activity XML (2.03) -------------------------------------------------------------------------------

STATUS_CODES = {
    ProjectStatus.PIPELINE: "1",
    ProjectStatus.ONGOING: "2",
    ProjectStatus.COMPLETED: "3",
    ProjectStatus.CANCELLED: "5",
}
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
ORGANISATION_TYPES = {
    OrganizationKind.COMPACT_ENTITY: "40",
    OrganizationKind.REGIONAL_ORGANIZATION: "40",
    OrganizationKind.MEMBER_STATE: "10",
}
OTHER_ORGANISATION_TYPE = "90"
SCOPE_GLOBAL, SCOPE_REGIONAL, SCOPE_MULTINATIONAL, SCOPE_NATIONAL = "1", "2", "3", "4"
REGION_VOCABULARY_DAC, REGION_VOCABULARY_UN = "1", "2"
DAC_REGION_UNSPECIFIED = "998"
SECTOR_VOCABULARY_OWN = "98"
TAG_VOCABULARY_SDG_TARGETS = "3"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Characters XML 1.0 cannot hold (control characters other than tab, newline and carriage return).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Recipient:
    element: str  # recipient-country or recipient-region
    code: str
    vocabulary: str = ""
    name: str = ""


def iati_identifier(project: Project) -> str:
    return project.iati_identifier or f"{settings.PROJECTS_IATI_PREFIX}-{project.pk}"


def shares(count: int) -> list[Decimal]:
    """100 split in ``count`` shares with two decimals, the last taking the rounding (they add up to 100)."""
    if count <= 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def _text(value: object) -> str:
    return NOT_XML.sub("", str(value))


def _narrative(parent: ET.Element, text: object) -> ET.Element:
    element = ET.SubElement(parent, "narrative")
    element.text = _text(text)
    return element


def _organisation(parent: ET.Element, role: str, name: str, kind: str | None) -> None:
    attributes = {"role": role}
    if kind is not None:
        attributes["type"] = ORGANISATION_TYPES.get(kind, OTHER_ORGANISATION_TYPE)
    _narrative(ET.SubElement(parent, "participating-org", attributes), name)


def recipients(project: Project, country_names: dict[str, str]) -> list[Recipient]:
    found = [
        Recipient("recipient-country", code, name=country_names.get(iso3, ""))
        for iso3 in project.countries
        if (code := countries.alpha2(iso3))
    ]
    found += [
        Recipient("recipient-region", code, REGION_VOCABULARY_UN, str(Region(code).label))
        for code in project.regions
        if code in Region.values
    ]
    if project.is_global:
        found.append(
            Recipient("recipient-region", DAC_REGION_UNSPECIFIED, REGION_VOCABULARY_DAC, str(GLOBAL))
        )
    return found


def scope(project: Project) -> str | None:
    if project.is_global:
        return SCOPE_GLOBAL
    if project.regions:
        return SCOPE_REGIONAL
    if len(project.countries) > 1:
        return SCOPE_MULTINATIONAL
    return SCOPE_NATIONAL if project.countries else None


def activity_dates(project: Project, today: date) -> list[tuple[str, date]]:
    """(ActivityDateType, date) pairs: actual only when the date has passed and the project did start."""
    began = project.status in (ProjectStatus.ONGOING, ProjectStatus.COMPLETED)
    dates = []
    if project.start:
        dates.append(("2" if began and project.start <= today else "1", project.start))
    if project.end:
        ended = project.status == ProjectStatus.COMPLETED and project.end <= today
        dates.append(("4" if ended else "3", project.end))
    return dates


def activity(project: Project, *, country_names: dict[str, str], reporter: str, today: date) -> ET.Element:
    """One ``iati-activity``, its children in the order the 2.03 schema's sequence requires."""
    updated = timezone.localtime(project.updated_at).replace(microsecond=0)
    element = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": updated.isoformat(),
            XML_LANG: "en",
            "default-currency": project.currency,
            "hierarchy": "1",
        },
    )
    ET.SubElement(element, "iati-identifier").text = _text(iati_identifier(project))
    reporting = ET.SubElement(
        element,
        "reporting-org",
        {"ref": settings.PROJECTS_IATI_PREFIX, "type": "40", "secondary-reporter": "1"},
    )
    _narrative(reporting, reporter)
    _narrative(ET.SubElement(element, "title"), project.title)
    _narrative(ET.SubElement(element, "description", {"type": "1"}), project.description or project.title)
    if project.expected_results:
        _narrative(ET.SubElement(element, "description", {"type": "2"}), project.expected_results)

    lead = project.owner
    _organisation(element, ROLE_ACCOUNTABLE, lead.name, lead.kind)
    _organisation(element, ROLE_IMPLEMENTING, lead.name, lead.kind)
    for partner in project.partners.all():
        _organisation(element, ROLE_IMPLEMENTING, partner.name, partner.kind)
    for name in (part.strip() for part in project.implementing_partners.split(",")):
        if name:
            _organisation(element, ROLE_IMPLEMENTING, name, None)
    for donor in project.donors.all():
        _organisation(element, ROLE_FUNDING, donor.name, donor.kind)
    if project.code:
        ET.SubElement(element, "other-identifier", {"ref": _text(project.code), "type": "A1"})

    ET.SubElement(element, "activity-status", {"code": STATUS_CODES[project.status]})
    for kind, day in activity_dates(project, today):
        ET.SubElement(element, "activity-date", {"type": kind, "iso-date": day.isoformat()})
    if (code := scope(project)) is not None:
        ET.SubElement(element, "activity-scope", {"code": code})

    found = recipients(project, country_names)
    percentages = shares(len(found)) if len(found) > 1 else [None] * len(found)
    # the schema's order: every recipient-country, then every recipient-region
    for recipient, percentage in sorted(
        zip(found, percentages, strict=True), key=lambda pair: pair[0].element
    ):
        attributes = {"code": recipient.code}
        if recipient.vocabulary:
            attributes["vocabulary"] = recipient.vocabulary
        if percentage is not None:
            attributes["percentage"] = f"{percentage}"
        placed = ET.SubElement(element, recipient.element, attributes)
        if recipient.name:
            _narrative(placed, recipient.name)

    themes = list(project.themes.all())
    for theme, percentage in zip(themes, shares(len(themes)), strict=True):
        sector = ET.SubElement(
            element,
            "sector",
            {"vocabulary": SECTOR_VOCABULARY_OWN, "code": str(theme.pk), "percentage": f"{percentage}"},
        )
        _narrative(sector, theme.name)
    for target in project.sdg_targets:
        ET.SubElement(element, "tag", {"vocabulary": TAG_VOCABULARY_SDG_TARGETS, "code": _text(target)})

    if project.budget is not None and project.start and project.end:
        budget = ET.SubElement(element, "budget", {"type": "1", "status": "1"})
        ET.SubElement(budget, "period-start", {"iso-date": project.start.isoformat()})
        ET.SubElement(budget, "period-end", {"iso-date": project.end.isoformat()})
        value_date = project.rate_date or project.start
        value = ET.SubElement(
            budget, "value", {"currency": project.currency, "value-date": value_date.isoformat()}
        )
        value.text = f"{project.budget:f}"
    return element


def to_iati(projects: Sequence[Project], *, generated: datetime | None = None) -> bytes:
    """The projects as an IATI ``iati-activities`` file (version 2.03), UTF-8 with its XML declaration."""
    generated = timezone.localtime(generated or timezone.now()).replace(microsecond=0)
    root = ET.Element(
        "iati-activities", {"version": IATI_VERSION, "generated-datetime": generated.isoformat()}
    )
    country_names = registry_names("country")
    reporter = settings.PLATFORM_NAME
    for project in projects:
        root.append(activity(project, country_names=country_names, reporter=reporter, today=generated.date()))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
