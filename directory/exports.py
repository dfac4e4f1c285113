"""Exports of the directory: vCards (3.0 and 4.0), CSV and XLSX, built from (viewer, people).

Pure functions: the view decides who may export what and which people (``people_for`` + the directory's
filters); these functions only format. A person's email and phones come from
``directory.privacy.contact_card(viewer, person)`` and nowhere else, so a detail hidden from the viewer is
absent from every export, exactly as on the pages.

People are expected as ``people_for`` returns them (``profile`` joined, ``current_memberships``
prefetched); the tables also read ``profile.expertise_pillars`` (prefetch it: the view does).

vCard choices (RFC 2426 for 3.0, RFC 6350 for 4.0):

- ``N`` is required by 3.0 and we store one full name only: N is a best effort (the last word as the family
  name, the rest as given names; a name without spaces, as is common in Chinese, is all family name). FN,
  the name as the person writes it, is authoritative.
- ``ORG`` is the first current organisation (the memberships' order: organisation name, then role).
- Phones: 3.0 writes ``TEL;TYPE=WORK,VOICE`` (office) and ``TEL;TYPE=CELL,VOICE`` (mobile) with the number
  as text. 4.0 writes ``TEL;VALUE=uri;TYPE=work,voice`` / ``TYPE=cell,voice`` with a ``tel:`` URI
  (RFC 3966 global number: ``+`` then digits and ``-`` separators) when the number is international
  (starts with ``+``), as RFC 6350 §6.4.1 recommends; a local number cannot be a valid ``tel:`` URI
  without a phone-context we do not know, so it stays free text (the 4.0 default, allowed "for backward
  compatibility"), never a made-up URI.
- ``UID`` is ``urn:uuid:`` + a UUIDv5 of the user id and the date the account was created, in a namespace
  of our own: stable across exports (contact apps update the card instead of duplicating it) and not the
  same for user 42 of two different installations.
- ``REV`` is when the profile last changed. ``LANG`` (4.0 only, with PREF in the profile's order),
  ``NICKNAME`` (preferred name), ``CATEGORIES`` (expertise themes) and ``NOTE`` (the short bio) are
  written when set. No photo: photos are only served by a permission-checked view.
- Escaping: backslash, comma and newlines always; the semicolon in 3.0 everywhere (its ABNF has no bare
  ``;`` in text) and in 4.0 only inside structured values (N, ORG), where RFC 6350's ``text`` ABNF keeps
  it literal. Lines are folded at 75 octets without splitting a UTF-8 character, and end with CRLF.

Tables (CSV and XLSX) have the same columns, written by ``core.tables`` like every export of the platform
(spreadsheet formulas neutralised).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC

from django.utils.translation import gettext as _

from core import tables
from directory.models import Organization, User
from directory.people import LANGUAGE_NAMES
from directory.privacy import ContactCard, contact_card

VCARD_VERSIONS = ("3.0", "4.0")
DEFAULT_VCARD_VERSION = "4.0"
PRODID = "-//Compact Platform//Directory//EN"
#: The namespace of the people's vCard UIDs (fixed: changing it would duplicate every saved card).
UID_NAMESPACE = uuid.UUID("6d3c2a4e-1f0b-5c8e-9a57-2b8f3e6d1c40")
FOLD_OCTETS = 75
CRLF = "\r\n"


# --- vCard --------------------------------------------------------------------------------------------------


def escape_text(value: str, *, version: str, structured: bool = False) -> str:
    """Escape a text value (or one component of a structured value) for a content line."""
    value = value.replace("\\", "\\\\").replace(",", "\\,")
    if version == "3.0" or structured:
        value = value.replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets (RFC 6350 §3.2): continuation lines start with a space, which
    counts in their 75, and a multi-octet UTF-8 character is never split."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    limit = FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1
        current.append(char)
        size += width
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


def name_parts(full_name: str) -> tuple[str, str]:
    """(family, given): a best effort from one full name (see the module's docstring)."""
    words = full_name.split()
    if len(words) < 2:
        return full_name.strip(), ""
    return words[-1], " ".join(words[:-1])


def vcard_uid(person: User) -> str:
    joined = person.date_joined.astimezone(UTC) if person.date_joined else None
    seed = f"user:{person.pk}:{joined.isoformat() if joined else ''}"
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, seed)}"


GLOBAL_NUMBER = re.compile(r"\+[0-9 ().\-/]+")


def tel_uri(number: str) -> str | None:
    """An RFC 3966 ``tel:`` URI for an international number, or None for a local one."""
    number = number.strip()
    if not GLOBAL_NUMBER.fullmatch(number):
        return None
    digits = re.findall(r"[0-9]+", number)
    if not digits or sum(len(group) for group in digits) < 3:
        return None
    return "tel:+" + "-".join(digits)


def _current_memberships(person: User) -> list:
    memberships = getattr(person, "current_memberships", None)
    if memberships is None:
        memberships = list(
            person.memberships.filter(ended_at__isnull=True, organization__is_active=True).select_related(
                "organization"
            )
        )
    return list(memberships)


def vcard(viewer_user, person: User, *, version: str = DEFAULT_VCARD_VERSION) -> str:
    """One person's vCard, as ``viewer_user`` may see them."""
    if version not in VCARD_VERSIONS:
        raise ValueError(f"unknown vCard version {version!r}")
    v4 = version == "4.0"

    def text(value: str) -> str:
        return escape_text(value, version=version)

    def component(value: str) -> str:
        return escape_text(value, version=version, structured=True)

    profile = getattr(person, "profile", None)
    card = contact_card(viewer_user, person)
    family, given = name_parts(person.full_name)
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"PRODID:{PRODID}"]
    if v4:
        lines.append("KIND:individual")
    lines.append(f"UID:{vcard_uid(person)}")
    lines.append(f"FN:{text(person.full_name or person.get_short_name())}")
    lines.append(f"N:{component(family)};{component(given)};;;")
    if person.preferred_name:
        lines.append(f"NICKNAME:{text(person.preferred_name)}")
    memberships = _current_memberships(person)
    if memberships:
        lines.append(f"ORG:{component(memberships[0].organization.name)}")
    if profile is not None and profile.job_title:
        lines.append(f"TITLE:{text(profile.job_title)}")
    if card.email:
        email_type = "TYPE=work" if v4 else "TYPE=INTERNET,WORK"
        lines.append(f"EMAIL;{email_type}:{text(card.email)}")
    for number, kind in ((card.phone_office, "work"), (card.phone_mobile, "cell")):
        if not number:
            continue
        if v4:
            uri = tel_uri(number)
            if uri:
                lines.append(f"TEL;VALUE=uri;TYPE={kind},voice:{uri}")
            else:
                lines.append(f"TEL;TYPE={kind},voice:{text(number)}")
        else:
            lines.append(f"TEL;TYPE={kind.upper()},VOICE:{text(number)}")
    if profile is not None:
        if v4:
            for rank, code in enumerate(profile.languages, start=1):
                lines.append(f"LANG;PREF={rank}:{text(code)}")
        if profile.expertise_tags:
            lines.append("CATEGORIES:" + ",".join(text(tag) for tag in profile.expertise_tags))
        if profile.bio:
            lines.append(f"NOTE:{text(profile.bio)}")
    changed = profile.updated_at if profile is not None and profile.updated_at else person.date_joined
    if changed:
        changed = changed.astimezone(UTC)
        lines.append(f"REV:{changed:%Y%m%dT%H%M%SZ}" if v4 else f"REV:{changed:%Y-%m-%dT%H:%M:%SZ}")
    lines.append("END:VCARD")
    return "".join(fold(line) + CRLF for line in lines)


def vcards(viewer_user, people: Iterable[User], *, version: str = DEFAULT_VCARD_VERSION) -> str:
    """Several vCards in one file (a vCard file may hold any number of cards)."""
    return "".join(vcard(viewer_user, person, version=version) for person in people)


# --- Tables (CSV, XLSX) -------------------------------------------------------------------------------------


def columns() -> list[str]:
    return [
        _("Name"),
        _("Job title"),
        _("Organisations and roles"),
        _("Email"),
        _("Office phone"),
        _("Mobile phone"),
        _("Country"),
        _("Languages"),
        _("Expertise"),
    ]


def country_names(people: Sequence[User]) -> dict[str, str]:
    """ISO3 → Member State name for the people's countries (one query)."""
    codes = {
        person.profile.country
        for person in people
        if getattr(person, "profile", None) is not None and person.profile.country
    }
    if not codes:
        return {}
    return dict(Organization.objects.filter(iso3__in=codes).values_list("iso3", "name"))


def row(person: User, card: ContactCard, countries: dict[str, str]) -> list[str]:
    profile = getattr(person, "profile", None)
    organizations = "; ".join(
        f"{membership.organization.display_name} ({membership.get_role_display()})"
        for membership in _current_memberships(person)
    )
    languages = expertise = country = job_title = ""
    if profile is not None:
        job_title = profile.job_title
        country = countries.get(profile.country, profile.country)
        languages = ", ".join(str(LANGUAGE_NAMES.get(code, code)) for code in profile.languages)
        expertise = "; ".join(
            [str(pillar) for pillar in profile.expertise_pillars.all()] + list(profile.expertise_tags)
        )
    return [
        person.full_name,
        job_title,
        organizations,
        card.email,
        card.phone_office,
        card.phone_mobile,
        country,
        languages,
        expertise,
    ]


def rows(viewer_user, people: Sequence[User]) -> list[list[str]]:
    """The table's data rows (no header), contact details as ``viewer_user`` may see them."""
    countries = country_names(people)
    return [row(person, contact_card(viewer_user, person), countries) for person in people]


def to_csv(viewer_user, people: Sequence[User]) -> bytes:
    return tables.csv_bytes(columns(), rows(viewer_user, people))


COLUMN_WIDTHS = (30, 30, 40, 32, 20, 20, 20, 24, 40)


def to_xlsx(viewer_user, people: Sequence[User], *, about: Sequence[tuple[str, str]] = ()) -> bytes:
    return tables.xlsx_bytes(
        _("People"), columns(), rows(viewer_user, people), widths=COLUMN_WIDTHS, about=about
    )


# --- File names ---------------------------------------------------------------------------------------------


def safe_filename(name: str, *, fallback: str) -> str:
    """An ASCII file name stem from a person's name: accents dropped, other scripts and punctuation removed
    (``fallback`` when nothing is left), never a path."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60].strip("-")
    return stem or fallback
