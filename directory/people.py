"""Reads of people for the directory: who is listed, the search index, search and facet counts.

Every list starts from ``User.objects.visible_to(user)`` and fetches, in constant queries whatever the
page size, what the pages show: the profile (one join) and the current memberships with their
organisations (one prefetch).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet

from core.facets import CountCache, count_keys, values_with_prefix
from directory.models import WORKING_LANGUAGES, Membership, MembershipRole, Organization, User
from directory.privacy import ContactCard, contact_card

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


#: The order people are listed in on an organisation's page (and a country brief).
ROLE_ORDER = {role: rank for rank, role in enumerate(MembershipRole.values)}


@dataclass(frozen=True)
class PersonRow:
    """One person on an organisation's page: roles there, and contact details as the viewer may see them."""

    person: User
    job_title: str
    roles: list[str]
    card: ContactCard
    rank: int  # of the person's highest role here, for the order of the list


def organization_people(viewer_user, organization: Organization) -> list[PersonRow]:
    """The organisation's current people the viewer may see (two queries: people with their profiles, and
    their current memberships), focal points first, then alternates, then admins."""
    members = Membership.objects.filter(organization=organization, ended_at__isnull=True).values("user_id")
    rows = []
    for person in people_for(viewer_user).filter(pk__in=members):
        here = sorted(
            (m.role for m in person.current_memberships if m.organization_id == organization.pk),
            key=ROLE_ORDER.__getitem__,
        )
        if not here:
            continue  # a deactivated organisation: its roles are not current in the directory
        profile = getattr(person, "profile", None)
        rows.append(
            PersonRow(
                person=person,
                job_title=profile.job_title if profile else "",
                roles=[MembershipRole(role).label for role in here],
                card=contact_card(viewer_user, person),
                rank=ROLE_ORDER[here[0]],
            )
        )
    rows.sort(key=lambda row: (row.rank, row.person.full_name, row.person.pk))
    return rows


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


#: Words this long are also looked for inside words ("ova" finds Petrova); shorter ones only as prefixes.
INFIX_MIN = 3
#: Words this long are also matched despite a typo or a transliteration ("Petrowa", "Haddat").
FUZZY_MIN = 4


def _word_matches(word: str) -> Q:
    """One searched word: the start of an indexed word (as typed), inside one, or close to one."""
    matches = Q(profile__search_vector=SearchQuery(f"{word}:*", search_type="raw", config=SEARCH_CONFIG))
    if len(word) >= INFIX_MIN:
        matches |= Q(profile__search_text__contains=word)
    if len(word) >= FUZZY_MIN:
        matches |= Q(profile__search_text__trigram_word_similar=word)
    return matches


def search(people: QuerySet[User], query: str) -> QuerySet[User]:
    """People matching every word of ``query``; those whose words start with the query's first, then the
    closest. Each word's three tests are index scans (the tsvector's GIN, the trigram GIN)."""
    words = terms(query)
    if not words:
        return people
    matches = Q()
    for word in words:
        matches &= _word_matches(word)
    tsquery = search_query(query)
    return (
        people.filter(matches)
        .annotate(
            rank=SearchRank(F("profile__search_vector"), tsquery)
            + TrigramWordSimilarity(" ".join(words), "profile__search_text")
        )
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
    """Recompute the search index and the facet keys of these people (after a profile, membership,
    participation or organisation change)."""
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
            "UPDATE directory_profile AS p "
            "SET search_vector = to_tsvector(%s::regconfig, v.text), search_text = v.text "
            "FROM unnest(%s::bigint[], %s::text[]) AS v(id, text) WHERE p.user_id = v.id",
            [SEARCH_CONFIG, [pk for pk, _text in rows], [text for _pk, text in rows]],
        )
    refresh_facet_keys([pk for pk, _text in rows])
    forget_counts()


# --- Facets -------------------------------------------------------------------------------------------------
#
# Every filter value a person has is kept as a key in ``Profile.facet_keys`` (GIN-indexed): "kind:<kind>",
# "org:<id>", "role:<role>", "wg:<id>", "wgrole:<role>", "wgrole:<wg id>:<role>", "lang:<code>",
# "tag:<theme>", "pillar:<id>", "country:<ISO3>". Filtering is then one array containment on the profile,
# and the counts of every facet come from one GROUP BY over the unnested keys — measured at 20,000 people,
# the nine separate joins this replaces cost ~200 ms a page. ``directory.indexing`` keeps the keys current.

FACET_PREFIXES = {
    "kind": "kind",
    "organization": "org",
    "role": "role",
    "working_group": "wg",
    "wg_role": "wgrole",
    "language": "lang",
    "tag": "tag",
    "pillar": "pillar",
    "country": "country",
}

REFRESH_FACET_KEYS = """
WITH targets AS (
    SELECT user_id FROM directory_profile WHERE %(everyone)s OR user_id = ANY(%(ids)s)
),
current AS (
    SELECT m.user_id, m.role, o.id AS org_id, o.kind
    FROM directory_membership m
    JOIN directory_organization o ON o.id = m.organization_id
    JOIN directory_user u ON u.id = m.user_id
    WHERE m.ended_at IS NULL AND o.is_active AND u.is_active AND m.user_id IN (SELECT user_id FROM targets)
),
groups AS (
    SELECT c.user_id, p.working_group_id AS wg, p.role
    FROM current c
    JOIN directory_participation p ON p.organization_id = c.org_id
    JOIN directory_workinggroup w ON w.id = p.working_group_id AND w.is_active
),
keys AS (
    SELECT user_id, 'kind:' || kind AS k FROM current
    UNION SELECT user_id, 'org:' || org_id FROM current
    UNION SELECT user_id, 'role:' || role FROM current
    UNION SELECT user_id, 'wg:' || wg FROM groups
    UNION SELECT user_id, 'wgrole:' || role FROM groups
    UNION SELECT user_id, 'wgrole:' || wg || ':' || role FROM groups
    UNION SELECT p.user_id, 'lang:' || v FROM directory_profile p, unnest(p.languages) v
          WHERE p.user_id IN (SELECT user_id FROM targets)
    UNION SELECT p.user_id, 'tag:' || v FROM directory_profile p, unnest(p.expertise_tags) v
          WHERE p.user_id IN (SELECT user_id FROM targets)
    UNION SELECT x.profile_id, 'pillar:' || x.pillar_id FROM directory_profile_expertise_pillars x
          WHERE x.profile_id IN (SELECT user_id FROM targets)
    UNION SELECT p.user_id, 'country:' || p.country FROM directory_profile p
          WHERE p.country <> '' AND p.user_id IN (SELECT user_id FROM targets)
)
UPDATE directory_profile AS p
SET facet_keys = coalesce((SELECT array_agg(k ORDER BY k) FROM keys WHERE keys.user_id = p.user_id), '{}')
WHERE p.user_id IN (SELECT user_id FROM targets)
"""


def refresh_facet_keys(user_ids: Iterable[int] | None = None) -> None:
    """Recompute the facet keys of these people's profiles (of everyone's when ``user_ids`` is None), in
    one set-based statement."""
    ids = None if user_ids is None else list(user_ids)
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_FACET_KEYS, {"everyone": ids is None, "ids": ids or []})
    forget_counts()


#: Facet counts do not depend on who asks (every signed-in user finds the same people): cached per filters.
COUNTS = CountCache("directory")


def forget_counts() -> None:
    COUNTS.forget()


def facet_key(facet: str, value) -> str:
    return f"{FACET_PREFIXES[facet]}:{value}"


def count_facet_keys(people: QuerySet[User]) -> dict[str, int]:
    """How many of ``people`` carry each facet key: every facet's counts in one query."""
    from directory.models import Profile

    return count_keys(Profile.objects.filter(user_id__in=people.order_by().values("pk")), counted="user_id")


def facet_values(counts: dict[str, int], facet: str, *, working_group: str = "") -> dict[str, int]:
    """One facet's {value: count} out of ``count_facet_keys``' result."""
    prefix = FACET_PREFIXES[facet] + ":"
    if facet == "wg_role" and working_group:
        prefix = f"wgrole:{working_group}:"
    values = values_with_prefix(counts, prefix)
    if facet == "wg_role" and not working_group:
        # "wgrole:<wg>:<role>" keys count only once a Working Group is chosen
        values = {value: n for value, n in values.items() if ":" not in value}
    return values
