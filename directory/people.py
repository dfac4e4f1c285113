"""Reads of people for the directory: who is listed, the search index, search and facet counts.

Every list starts from ``User.objects.visible_to(user)`` and fetches, in constant queries whatever the
page size, what the pages show: the profile (one join) and the current memberships with their
organisations (one prefetch).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Func, Prefetch, QuerySet

from directory.models import WORKING_LANGUAGES, Membership, Organization, Participation, User

SEARCH_CONFIG = "simple"  # names and acronyms in six languages: no stemming, no stop words
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
LANGUAGE_NAMES = dict(WORKING_LANGUAGES)


def people_for(user) -> QuerySet[User]:
    current = Membership.objects.filter(ended_at__isnull=True, organization__is_active=True).select_related(
        "organization"
    )
    return (
        User.objects.visible_to(user)
        .select_related("profile")
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
    )


def fold(text: str) -> str:
    """Lower-case, accents removed: "Côte d'Ivoire" and "cote divoire" meet in the index."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def terms(query: str) -> list[str]:
    """The words of a search, folded, as prefixes (matches while typing); operators are just ignored."""
    return re.findall(r"\w+", fold(query[:MAX_QUERY_LENGTH]))[:MAX_TERMS]


def search_query(query: str) -> SearchQuery | None:
    words = terms(query)
    if not words:
        return None
    # Words are \w+ only, so the raw tsquery cannot be malformed by user input.
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG)


def search(people: QuerySet[User], query: str) -> QuerySet[User]:
    tsquery = search_query(query)
    if tsquery is None:
        return people
    return (
        people.filter(profile__search_vector=tsquery)
        .annotate(rank=SearchRank(F("profile__search_vector"), tsquery))
        .order_by("-rank", "full_name", "pk")
    )


# --- The search index ---------------------------------------------------------------------------------------


def index_text(person: User) -> str:
    """What a person is found by: name, job title, organisations, expertise, languages, country. Never an
    email or a phone number (see directory.privacy)."""
    profile = getattr(person, "profile", None)
    parts = [person.full_name, person.preferred_name]
    for membership in person.memberships.all():
        if membership.ended_at is None:
            parts += [membership.organization.name, membership.organization.acronym]
    if profile is not None:
        parts += [profile.job_title, *profile.expertise_tags]
        parts += [pillar.name for pillar in profile.expertise_pillars.all()]
        parts += [str(LANGUAGE_NAMES.get(code, code)) for code in profile.languages]
        if profile.country:
            state = Organization.objects.filter(iso3=profile.country).values_list("name", flat=True).first()
            parts += [profile.country, state or ""]
    return fold(" ".join(part for part in parts if part))


def refresh_search_index(user_ids: Iterable[int]) -> None:
    """Recompute the search index of these people (after a profile, membership or organisation change)."""
    people = (
        User.objects.filter(pk__in=list(user_ids), profile__isnull=False)
        .select_related("profile")
        .prefetch_related("memberships__organization", "profile__expertise_pillars")
    )
    rows = [(person.pk, index_text(person)) for person in people]
    if not rows:
        return
    # One statement for the batch (executemany does not mix with the audit trail's per-statement context).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_profile AS p SET search_vector = to_tsvector(%s::regconfig, v.text) "
            "FROM unnest(%s::bigint[], %s::text[]) AS v(id, text) WHERE p.user_id = v.id",
            [SEARCH_CONFIG, [pk for pk, _text in rows], [text for _pk, text in rows]],
        )


# --- Facets -------------------------------------------------------------------------------------------------


def _current(people_ids) -> QuerySet[Membership]:
    return Membership.objects.filter(
        ended_at__isnull=True, organization__is_active=True, user_id__in=people_ids
    )


def facet_counts(people: QuerySet[User], facet: str) -> dict[str, int]:
    """How many of ``people`` have each value of one facet: {value: count}, values as URL strings."""
    ids = people.order_by().values("pk")
    if facet in ("kind", "organization", "role"):
        field = {"kind": "organization__kind", "organization": "organization_id", "role": "role"}[facet]
        rows = _current(ids).order_by().values(field).annotate(n=Count("user_id", distinct=True))
        return {str(row[field]): row["n"] for row in rows}
    if facet in ("working_group", "wg_role"):
        field = {"working_group": "working_group_id", "wg_role": "role"}[facet]
        rows = (
            Participation.objects.filter(organization__memberships__in=_current(ids))
            .order_by()
            .values(field)
            .annotate(n=Count("organization__memberships__user_id", distinct=True))
        )
        return {str(row[field]): row["n"] for row in rows}
    from directory.models import Profile

    profiles = Profile.objects.filter(user_id__in=ids).order_by()
    if facet == "country":
        rows = profiles.exclude(country="").values("country").annotate(n=Count("user_id"))
        return {row["country"]: row["n"] for row in rows}
    if facet == "pillar":
        rows = (
            profiles.values("expertise_pillars").annotate(n=Count("user_id")).exclude(expertise_pillars=None)
        )
        return {str(row["expertise_pillars"]): row["n"] for row in rows}
    if facet in ("language", "tag"):
        column = "languages" if facet == "language" else "expertise_tags"
        rows = (
            profiles.annotate(value=Func(F(column), function="unnest"))
            .values("value")
            .annotate(n=Count("user_id"))
        )
        return {row["value"]: row["n"] for row in rows}
    raise ValueError(f"unknown facet {facet!r}")
