"""Reads of the registry, always on behalf of a user."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import get_language

from core.search import headline
from directory.models import (
    Membership,
    MembershipRequest,
    Organization,
    OrganizationKind,
    Participation,
    Pillar,
    WorkingGroup,
)
from directory.people import SEARCH_CONFIG, people_for, search, search_query


def current_memberships(user) -> QuerySet[Membership]:
    """The user's current roles in organisations (a person sees their own, always)."""
    return (
        Membership.objects.filter(user=user, ended_at__isnull=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name", "role")
    )


def working_groups_of(user) -> QuerySet[Participation]:
    """The Working Groups the user's organisations take part in, with each organisation's role."""
    # A subquery on organisation ids rather than a join: a person with two roles in one organisation
    # must not see its Working Groups twice.
    organizations = current_memberships(user).values("organization_id")
    return (
        Participation.objects.filter(organization__in=organizations, working_group__is_active=True)
        .select_related("working_group", "organization")
        .order_by("working_group__number", "organization__name")
    )


def waiting_membership_requests(user) -> int:
    """How many organisations wait for the person's answer to a role they were asked to take."""
    return MembershipRequest.objects.pending().filter(user_id=user.pk).count()


#: Names of organisations, Working Groups, pillars and countries change rarely: lists that label filter
#: values read them from the cache (a renamed organisation shows under its new name within ten minutes).
LABELS_TTL = 600


def registry_names(kind: str) -> dict[str, str]:
    """{id as text: name} of the registry's "organization", "working_group" or "pillar" rows, or
    {ISO 3166 alpha-3: name} of the "country" ones, in the current language, cached."""

    def read() -> dict[str, str]:
        if kind == "organization":
            return {str(o.pk): str(o.display_name) for o in Organization.objects.all()}
        if kind == "working_group":
            return {str(g.pk): str(g) for g in WorkingGroup.objects.all()}
        if kind == "pillar":
            return {str(p.pk): str(p) for p in Pillar.objects.all()}
        return dict(Organization.objects.exclude(iso3="").values_list("iso3", "name"))

    return cache.get_or_set(f"registry:names:{kind}:{get_language() or ''}", read, LABELS_TTL)


def network_figures() -> dict[str, int]:
    """The network's size as the brochure publishes it ("936 focal points"): the people with a current role
    in an active organisation, and the Member States among those organisations. Platform-wide aggregates
    that name nobody, for the public landing page — the same for every reader, so no user is asked for."""
    current = Membership.objects.filter(
        ended_at__isnull=True, organization__is_active=True, user__is_active=True
    )
    return {
        "focal_points": current.values("user_id").distinct().count(),
        "member_states": Organization.objects.filter(
            kind=OrganizationKind.MEMBER_STATE, pk__in=current.values("organization_id")
        ).count(),
    }


# --- The global search (search/) ----------------------------------------------------------------------------


def people_matching(user, query: str) -> QuerySet:
    """The people ``user`` may find in the directory whose name, job title, organisations, expertise,
    languages or country match every word of ``query`` — the directory's own search (``directory.people``),
    best match first. Its index holds no contact detail, so a hidden email or phone number finds nobody;
    ``snippet`` highlights the job title and expertise, never a contact detail."""
    tsquery = search_query(query)
    if tsquery is None:
        return people_for(user).none()
    shown = Concat(
        Coalesce(F("profile__job_title"), Value("")),
        Value(" · "),
        Func(F("profile__expertise_tags"), Value(", "), function="array_to_string", output_field=TextField()),
        output_field=TextField(),
    )
    return search(people_for(user), query).annotate(snippet=headline(shown, tsquery, config=SEARCH_CONFIG))


def organizations_matching(user, query: str) -> QuerySet[Organization]:
    """The active organisations whose name, acronym or ISO code holds ``query`` (the organisations list's
    search; every signed-in person may open an active organisation's page): an exact acronym or code
    first, then names that start with it. ``snippet`` highlights the words in the public profile. The same
    for every signed-in reader (``user`` is asked for, as by every search)."""
    text = query.strip()
    if not text:
        return Organization.objects.none()
    rank = Case(
        When(Q(acronym__iexact=text) | Q(iso3__iexact=text), then=Value(3)),
        When(name__istartswith=text, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        organizations_named(Organization.objects.filter(is_active=True), text)
        .annotate(rank=rank, snippet=headline("description", SearchQuery(text, config="simple")))
        .order_by("-rank", "name", "pk")
    )


def organizations_named(organizations: QuerySet[Organization], text: str) -> QuerySet[Organization]:
    """The organisations whose name or acronym holds ``text``, or whose ISO code it is."""
    return organizations.filter(Q(name__icontains=text) | Q(acronym__icontains=text) | Q(iso3__iexact=text))
