"""Reading an IATI activity file (XML, standard 2.03, root ``iati-activities``) into activities, and mapping
each to a project row (``rows.COLUMNS``), with notes on what the platform does not keep.

Safety: the file's size is capped before it is parsed (and before the upload is read to its end: see
``projects.import_views``); it is parsed by defusedxml, streamed (``iterparse``), with DTDs forbidden — so no
entity (billion laughs), no external entity, no network — and at most ``MAX_ACTIVITIES`` activities. Every
problem with the file is an ``ImportFileError`` with one message.

The mapping (docs/projects.md, "Importing"): identifier; title and description (the English narrative, else
the first); the description of type 2 (objectives) as expected results; participating organisations found in
the registry (by acronym or name) as donors (role 1, funding) or partner entities (roles 2–4), others as
implementing partners (role 4) or left out; recipient countries (ISO alpha-2) as Member States; regions (DAC
or M49) as the UN M49 regions; DAC sectors as themes where ``codes.SECTOR_THEMES`` says so, and sectors of
the reporting organisation's own vocabularies (98, 99) named as a theme is (the platform's own export);
dates of types 1/2 (planned/actual start) and 3/4 (planned/actual end), actual first; the activity status;
the budgets (revised ones over original ones) summed in their currency, with the latest value date as the
rate's date; SDG targets from tags of vocabulary 3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from directory.countries import alpha3
from projects.imports import codes
from projects.imports.rows import Lookups
from projects.imports.spreadsheet import ImportFileError, max_bytes, normal

#: The most activities read from one file.
MAX_ACTIVITIES = 10_000
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
TITLE_CHARS, DESCRIPTION_CHARS, RESULTS_CHARS = 300, 20_000, 10_000


@dataclass
class Organisation:
    role: str
    ref: str
    name: str


@dataclass
class Activity:
    """An activity as the file says it (texts and codes), before the mapping."""

    identifier: str = ""
    title: str = ""
    description: str = ""
    objectives: str = ""
    organisations: list[Organisation] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[tuple[str, str]] = field(default_factory=list)  # (vocabulary, code)
    sectors: list[str] = field(default_factory=list)
    #: The names of the sectors in the reporting organisation's own vocabularies (98, 99): the platform's
    #: own IATI export writes its themes so.
    own_sectors: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # type → ISO date
    status: str = ""
    budgets: list[tuple[str, str, str, str]] = field(default_factory=list)  # (type, value, currency, date)
    sdg_targets: list[str] = field(default_factory=list)


def read_activities(file) -> list[Activity]:
    """The activities of an uploaded IATI file (a Django ``UploadedFile``)."""
    if not file.size:
        raise ImportFileError(_("The file is empty."))
    if file.size > max_bytes():
        raise ImportFileError(
            _("The file is larger than %(cap)s MB, the largest file accepted.")
            % {"cap": max_bytes() // 2**20}
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("This is a ZIP file or a workbook, not an IATI XML file."))
    activities = []
    root = None
    try:
        for event, element in iterparse(file, events=("start", "end"), forbid_dtd=True):
            if root is None:
                root = element
                _check_root(element)
                continue
            if event == "end" and element.tag == "iati-activity":
                if len(activities) == MAX_ACTIVITIES:
                    raise ImportFileError(
                        _("The file has more than %(max)s activities. Upload a file with fewer.")
                        % {"max": f"{MAX_ACTIVITIES:,}"}
                    )
                activities.append(_activity(element))
                root.clear()  # what was read is dropped: memory stays flat however long the file
    except DTDForbidden:
        raise ImportFileError(
            _(
                "The file declares a document type (DOCTYPE). IATI files have none; for safety such files "
                "are refused."
            )
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden, DefusedXmlException):
        raise ImportFileError(_("The file declares entities. For safety such files are refused.")) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ImportFileError(
            _(
                "The file is not well-formed XML (line %(line)s, column %(column)s). Is it an IATI activity "
                "file?"
            )
            % {"line": line, "column": column}
        ) from None
    if root is None:
        raise ImportFileError(_("The file is empty."))
    if not activities:
        raise ImportFileError(_("The file holds no activities (no <iati-activity> element)."))
    return activities


def _check_root(element) -> None:
    if element.tag == "iati-organisations":
        raise ImportFileError(
            _("This is an IATI organisation file. Upload the activity file (<iati-activities>).")
        )
    if element.tag != "iati-activities":
        raise ImportFileError(
            _(
                "The file's root element is <%(root)s>, not <iati-activities>: this is not an IATI activity "
                "file."
            )
            % {"root": str(element.tag)[:60]}
        )
    version = element.get("version", "")
    if version and not version.startswith("2."):
        raise ImportFileError(
            _("This file follows IATI version %(version)s; the import reads version 2 (2.03).")
            % {"version": version[:10]}
        )


def _narrative(element) -> str:
    """The element's English narrative, else its first one (IATI 2: text in <narrative> children)."""
    if element is None:
        return ""
    narratives = element.findall("narrative")
    chosen = next((n for n in narratives if (n.get(XML_LANG) or "en").lower().startswith("en")), None)
    chosen = chosen if chosen is not None else (narratives[0] if narratives else None)
    return " ".join((chosen.text or "").split()) if chosen is not None else ""


def _activity(element) -> Activity:
    activity = Activity(identifier=(element.findtext("iati-identifier") or "").strip())
    activity.title = _narrative(element.find("title"))
    for description in element.findall("description"):
        kind = description.get("type", "1")
        if kind == "1" and not activity.description:
            activity.description = _narrative(description)
        elif kind == "2" and not activity.objectives:
            activity.objectives = _narrative(description)
    for org in element.findall("participating-org"):
        activity.organisations.append(
            Organisation(role=org.get("role", ""), ref=(org.get("ref") or "").strip(), name=_narrative(org))
        )
    activity.countries = [c.get("code", "").strip().upper() for c in element.findall("recipient-country")]
    activity.regions = [
        (r.get("vocabulary", "1"), r.get("code", "").strip()) for r in element.findall("recipient-region")
    ]
    activity.sectors = [
        s.get("code", "").strip() for s in element.findall("sector") if s.get("vocabulary", "1") in ("1", "2")
    ]
    activity.own_sectors = [
        _narrative(s) for s in element.findall("sector") if s.get("vocabulary") in ("98", "99")
    ]
    for activity_date in element.findall("activity-date"):
        iso = activity_date.get("iso-date", "")
        if DATE.match(iso):
            activity.dates[activity_date.get("type", "")] = iso[:10]
    status = element.find("activity-status")
    activity.status = status.get("code", "") if status is not None else ""
    default_currency = element.get("default-currency", "")
    for budget in element.findall("budget"):
        value = budget.find("value")
        if value is not None:
            activity.budgets.append((
                budget.get("type", "1"), (value.text or "").strip(),
                (value.get("currency") or default_currency).upper(), value.get("value-date", "")[:10],
            ))  # fmt: skip
    activity.sdg_targets = [
        tag.get("code", "") for tag in element.findall("tag")
        if tag.get("vocabulary") == codes.SDG_TARGET_TAG_VOCABULARY
    ]  # fmt: skip
    return activity


ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}


def mapped(activity: Activity, *, lead, lookups: Lookups, rates: dict[str, str]) -> tuple[dict, list[str]]:
    """The project row (column key → text) for an activity led by ``lead``, and notes on what is left out."""
    notes: list[str] = []
    partners, donors, implementing = [], [], []
    for org in activity.organisations:
        found = lookups.organizations.get(normal(org.name)) or lookups.organizations.get(normal(org.ref))
        label = org.name or org.ref
        if found is not None and found.pk == lead.pk:
            continue
        if found is not None:
            (donors if org.role == "1" else partners).append(found.name)
        elif org.role == "4" and label:
            implementing.append(label)
        elif label:
            notes.append(_("%(org)s (%(role)s) is not on the platform: left out.")
                         % {"org": label, "role": ROLES.get(org.role, org.role or "?")})  # fmt: skip
    countries = []
    for code in activity.countries:
        iso3 = alpha3(code)
        if iso3 and iso3 in lookups.country_names:
            countries.append(iso3)
        else:
            notes.append(
                _("Recipient country %(code)s is not a Member State in the registry: left out.")
                % {"code": code}
            )
    regions, is_global = [], False
    for vocabulary, code in activity.regions:
        region = (
            codes.DAC_REGIONS if vocabulary == "1" else codes.M49_SUBREGIONS if vocabulary == "2" else {}
        ).get(code)
        if region == "global":
            is_global = True
        elif region:
            regions.append(region)
        else:
            notes.append(
                _("Recipient region %(code)s (vocabulary %(vocabulary)s) has no UN region: left out.")
                % {"code": code, "vocabulary": vocabulary}
            )
    themes = []
    for sector in activity.sectors:
        theme = codes.SECTOR_THEMES.get(sector)
        if theme and normal(theme) in lookups.themes and theme not in themes:
            themes.append(theme)
    for name in activity.own_sectors:  # a theme named as the platform names it
        theme = lookups.themes.get(normal(name))
        if theme is not None and theme.name not in themes:
            themes.append(theme.name)
    start = activity.dates.get("2") or activity.dates.get("1", "")
    end = activity.dates.get("4") or activity.dates.get("3", "")
    status = codes.ACTIVITY_STATUSES.get(activity.status, "")
    if activity.status == "6":
        notes.append(_("The activity is suspended in IATI: imported as ongoing."))
    budget, currency, rate_date = _budget(activity, notes)
    usd_rate = rates.get(currency, "") if currency and currency != "USD" else ""
    values = {
        "title": activity.title[:TITLE_CHARS],
        "iati_identifier": activity.identifier,
        "lead": lead.name,
        "partners": "; ".join(dict.fromkeys(partners)),
        "donors": "; ".join(dict.fromkeys(donors)),
        "implementing_partners": "; ".join(dict.fromkeys(implementing)),
        "countries": "; ".join(dict.fromkeys(countries)),
        "regions": "; ".join(dict.fromkeys(regions)),
        "is_global": "yes" if is_global else "",
        "themes": "; ".join(themes),
        "sdg_targets": "; ".join(dict.fromkeys(target for target in activity.sdg_targets if target)),
        "start": start,
        "end": end,
        "status": status,
        "budget": budget,
        "currency": currency,
        "usd_rate": usd_rate,
        "rate_date": rate_date if usd_rate else "",
        "description": activity.description[:DESCRIPTION_CHARS],
        "expected_results": activity.objectives[:RESULTS_CHARS],
    }
    if len(activity.title) > TITLE_CHARS:
        notes.append(_("The title is cut to %(max)s characters.") % {"max": TITLE_CHARS})
    return values, notes


def _budget(activity: Activity, notes: list[str]) -> tuple[str, str, str]:
    """The budgets summed (revised ones if any, else original ones), their currency and latest value date."""
    revised = [budget for budget in activity.budgets if budget[0] == "2"]
    chosen = revised or [budget for budget in activity.budgets if budget[0] != "2"]
    if not chosen:
        return "", "", ""
    currencies = {currency for _type, _value, currency, _date in chosen}
    if len(currencies) > 1:
        notes.append(_("The budgets are in several currencies (%(currencies)s): the budget is left empty.")
                     % {"currencies": ", ".join(sorted(currencies))})  # fmt: skip
        return "", "", ""
    try:
        total = sum((Decimal(value) for _type, value, _currency, _date in chosen), Decimal(0))
    except InvalidOperation:
        notes.append(_("A budget value is not a number: the budget is left empty."))
        return "", "", ""
    dates = sorted(date for *_rest, date in chosen if DATE.match(date))
    return format(total, "f"), currencies.pop(), dates[-1] if dates else ""


def searchable(activity: Activity) -> str:
    return normal(" ".join((activity.identifier, activity.title, activity.description)))


def to_json(activity: Activity) -> dict:
    return asdict(activity)


def sector_matches(sectors: Iterable[str], prefix: str) -> bool:
    return not prefix or any(sector.startswith(prefix) for sector in sectors)
