"""Reads of the registry, always on behalf of a user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from core.freshness import Stale, stale
from core.search import headline
from directory.access import viewer
from directory.lifecycle import RECONFIRMED_ROLES
from directory.models import (
    CompactStatus,
    Membership,
    MembershipRequest,
    MembershipRole,
    Organization,
    OrganizationKind,
    Participation,
    ParticipationRole,
    Pillar,
    Profile,
    User,
    WorkingGroup,
)
from directory.people import SEARCH_CONFIG, people_for, search, search_query
from directory.rules import can_administer_platform


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


@dataclass(frozen=True)
class Reconfirmation:
    """When the person's details fall due for reconfirmation, and whether they were asked already."""

    due: datetime
    requested: bool


#: The home tells a focal point this many days before their details fall due for reconfirmation.
RECONFIRM_NOTICE_DAYS = 30


def reconfirmation_due(user, now: datetime | None = None) -> Reconfirmation | None:
    """The person's reconfirmation, if it falls due within RECONFIRM_NOTICE_DAYS of ``now`` (or is overdue),
    or was requested and not answered: only focal points and alternates reconfirm, and a person without a
    profile counts as confirmed when they joined (directory.lifecycle). One query."""
    row = (
        User.objects.filter(
            pk=user.pk,
            memberships__ended_at__isnull=True,
            memberships__role__in=RECONFIRMED_ROLES,
            memberships__organization__is_active=True,
        )
        .annotate(confirmed=Coalesce("profile__reconfirmed_at", "date_joined"))
        .values("confirmed", "profile__reconfirmation_requested_at")
        .first()
    )
    if row is None:
        return None
    due = row["confirmed"] + timedelta(days=settings.RECONFIRM_EVERY_DAYS)
    asked = row["profile__reconfirmation_requested_at"]
    requested = asked is not None and asked >= row["confirmed"]
    if due > (now or timezone.now()) + timedelta(days=RECONFIRM_NOTICE_DAYS) and not requested:
        return None
    return Reconfirmation(due=due, requested=requested)


@dataclass(frozen=True)
class Interests:
    """The themes (free tags) and strategy pillars a person listed as their expertise in their profile."""

    tags: tuple[str, ...] = ()
    pillar_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.tags or self.pillar_ids)


def interests_of(user) -> Interests:
    """The person's expertise from their profile (one query; none without a profile)."""
    row = (
        Profile.objects.filter(user_id=user.pk)
        .annotate(
            pillar_ids=ArrayAgg("expertise_pillars", filter=Q(expertise_pillars__isnull=False), default=[])
        )
        .values("expertise_tags", "pillar_ids")
        .first()
    )
    if row is None:
        return Interests()
    return Interests(tags=tuple(row["expertise_tags"]), pillar_ids=tuple(row["pillar_ids"]))


def stale_organizations_of(user) -> Stale:
    """The profiles of the organisations the user administers (``directory.rules.can_manage_organization``:
    their organisation admins edit them) not updated for ``FRESHNESS_DAYS["organizations"]`` (one query;
    none for anyone else)."""
    who = viewer(user)
    if who is None or not who.administered_organization_ids:
        return Stale("organizations", 0)
    return stale(
        "organizations",
        Organization.objects.filter(pk__in=who.administered_organization_ids, is_active=True).only(
            "pk", "name", "acronym", "updated_at"
        ),
        label=lambda organization: organization.display_name,
        url=lambda organization: reverse("directory:organization_edit", args=[organization.pk]),
    )


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
    current = _roles().filter(ended_at__isnull=True)
    return {
        "focal_points": current.values("user_id").distinct().count(),
        "member_states": Organization.objects.filter(
            kind=OrganizationKind.MEMBER_STATE, pk__in=current.values("organization_id")
        ).count(),
    }


def organizations_joined_between(first, last) -> QuerySet[Organization]:
    """The active organisations added to the registry in [first, last), by kind then name: the network's
    new members, as the directory shows organisations to every signed-in person (the newsletter)."""
    return Organization.objects.filter(is_active=True, created_at__gte=first, created_at__lt=last).order_by(
        "kind", "name"
    )


def focal_points_nominated_between(first, last) -> QuerySet[Organization]:
    """The active organisations that nominated focal points or alternates in [first, last) who still hold
    that role (as the directory lists people to every signed-in person: active, currently representing an
    active organisation), each with how many people as ``nominated``, by kind then name — counts per
    organisation, never the people: one query."""
    nominated = Q(
        memberships__role__in=(MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE),
        memberships__started_at__gte=first,
        memberships__started_at__lt=last,
        memberships__ended_at__isnull=True,
        memberships__user__is_active=True,
    )
    return (
        Organization.objects.filter(is_active=True)
        .annotate(nominated=Count("memberships__user", filter=nominated, distinct=True))
        .filter(nominated__gt=0)
        .order_by("kind", "name")
    )


def _roles() -> QuerySet[Membership]:
    """Roles that count in the network's figures: of active people in active organisations."""
    return Membership.objects.filter(organization__is_active=True, user__is_active=True)


def organization_figures() -> dict[str, int]:
    """The active organisations by kind — Member States, regional organisations (and how many of those have
    someone with a current role, as ``network_figures`` counts them), the Compact's members and observers —
    in one query. Aggregates that name no organisation, for the Secretariat's statistics."""
    staffed = Exists(_roles().filter(ended_at__isnull=True, organization=OuterRef("pk")))
    regional = Q(kind=OrganizationKind.REGIONAL_ORGANIZATION)
    entity = Q(kind=OrganizationKind.COMPACT_ENTITY)
    return Organization.objects.filter(is_active=True).aggregate(
        member_states=Count("pk", filter=Q(kind=OrganizationKind.MEMBER_STATE)),
        regional_organizations=Count("pk", filter=regional),
        regional_with_focal_points=Count("pk", filter=regional & Q(staffed)),
        compact_members=Count("pk", filter=entity & Q(compact_status=CompactStatus.MEMBER)),
        compact_observers=Count("pk", filter=entity & Q(compact_status=CompactStatus.OBSERVER)),
    )


def people_with_a_role_at(moments: list[datetime]) -> list[int]:
    """For each moment, how many people held a role then (started by it, not yet ended) — the people
    ``network_figures`` counts as focal points, had they been asked at that moment — in one query.

    Whether a person or an organisation is active is known for today only: someone deactivated since is
    not counted in the past either (the registry keeps no history of that flag outside the audit trail)."""
    if not moments:
        return []
    counts = _roles().aggregate(
        **{
            f"at_{index}": Count(
                "user_id",
                distinct=True,
                filter=Q(started_at__lte=moment) & (Q(ended_at__isnull=True) | Q(ended_at__gt=moment)),
            )
            for index, moment in enumerate(moments)
        }
    )
    return [counts[f"at_{index}"] for index in range(len(moments))]


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


# --- Organisations and Working Groups as their pages show them (the pages and the API) ----------------------


def organizations_for(user) -> QuerySet[Organization]:
    """The organisations whose pages a user may open: the active ones; the Secretariat also sees the
    deactivated ones it administers. Anyone else gets a 404 for those, as for a missing page."""
    if can_administer_platform(user):
        return Organization.objects.all()
    return Organization.objects.filter(is_active=True)


def current_people_count() -> Coalesce:
    """Active people with a current role in the organisation (a person with two roles counts once), as a
    subquery: no join on the list, so pagination counts and ordering stay simple."""
    counted = (
        Membership.objects.filter(organization=OuterRef("pk"), ended_at__isnull=True, user__is_active=True)
        .order_by()
        .values("organization")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_working_groups(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """``organizations`` with ``current_participations``: the active Working Groups each takes part in, with
    its role, by group number (one query for any number of organisations), as its page lists them."""
    participations = (
        Participation.objects.filter(working_group__is_active=True)
        .select_related("working_group")
        .order_by("working_group__number")
    )
    return organizations.prefetch_related(
        Prefetch("participations", queryset=participations, to_attr="current_participations")
    )


def working_groups_for(user) -> QuerySet[WorkingGroup]:
    """The active Working Groups, with their pillars and participants (``participants``: the active
    organisations taking part, who runs the group first). A group's name, objective and participants are no
    secret on the platform: every signed-in person opens its page; nobody else sees any."""
    if viewer(user) is None:
        return WorkingGroup.objects.none()
    participants = Participation.objects.filter(organization__is_active=True).select_related("organization")
    order = Case(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(ParticipationRole.values)),
        output_field=IntegerField(),
    )
    return (
        WorkingGroup.objects.filter(is_active=True)
        .prefetch_related(
            "pillars",
            Prefetch(
                "participations",
                queryset=participants.order_by(order, "organization__name"),
                to_attr="participants",
            ),
        )
        .order_by("number")
    )


def working_groups_of_people(people: list[User]) -> list[User]:
    """Each person (from ``people.people_for``) with ``participations``: the active Working Groups their
    current organisations take part in, with the role and the organisation, as their page lists them — one
    query for the whole list."""
    organization_ids = {m.organization_id for person in people for m in person.current_memberships}
    by_organization: dict[int, list[Participation]] = {}
    for participation in (
        Participation.objects.filter(organization_id__in=organization_ids, working_group__is_active=True)
        .select_related("working_group", "organization")
        .order_by("working_group__number", "organization__name")
    ):
        by_organization.setdefault(participation.organization_id, []).append(participation)
    for person in people:
        person.participations = sorted(
            (p for m in person.current_memberships for p in by_organization.get(m.organization_id, ())),
            key=lambda p: (p.working_group.number, p.organization.name),
        )
    return people
