"""Reads of CTED's assessments, always on behalf of a user: every read starts from a model's
``visible_to(user)`` (consent included, ``cted.access``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from appeal.models import AppealProject, Flow, FlowTotal
from core.facets import Sidebar, facet_values, label_facets, sidebar
from core.months import per_month
from core.queries import any_of
from core.search import headline
from cted import rules
from cted.access import CTED
from cted.filters import FACET_PREFIXES, Chain, RecommendationFilter
from cted.indexing import COUNTS
from cted.models import (
    Assessment,
    AssistanceStatus,
    ConsentGrant,
    Deadline,
    ImplementationStatus,
    Recommendation,
    ReleaseLevel,
)
from directory.access import audience_signature, viewer
from directory.models import MembershipRole, Organization, OrganizationKind, User
from directory.selectors import registry_names
from library.models import Resource
from library.selectors import resources_for
from projects.models import Project
from projects.selectors import projects_for, theme_names


def assessments_for(user) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user).select_related("state")


def with_pending(assessments: Iterable[Assessment], today: date) -> list[Assessment]:
    """The assessments, each with ``pending``: the State's deadlines still awaited (overdue flagged)."""
    found = list(assessments)
    for assessment in found:
        assessment.pending = [deadline for deadline in assessment.deadlines(today) if deadline.awaited]
    return found


# --- What waits for a State's people (the home) ---------------------------------------------------------


def deadlines_awaited(user) -> list[tuple[Assessment, Deadline]]:
    """The deadlines still awaited from the user's own State(s) — comments on a draft report, the report on
    steps taken — with their assessment, earliest first: for the State's people only (CTED's and anyone
    reading through a consent owe nothing). One query."""
    who = viewer(user)
    if who is None or not who.organization_ids:
        return []
    awaiting = Q(draft_sent_on__isnull=False, comments_received_on__isnull=True, adopted_on__isnull=True) | Q(
        adopted_on__isnull=False, steps_received_on__isnull=True
    )
    today = timezone.localdate()
    found = [
        (assessment, deadline)
        for assessment in assessments_for(user).filter(awaiting, state_id__in=who.organization_ids)
        for deadline in assessment.deadlines(today)
        if deadline.awaited
    ]
    return sorted(found, key=lambda pair: (pair[1].due, pair[0].pk))


#: A consent in force that ends within this many days asks its State whether to renew it.
CONSENT_NOTICE_DAYS = 30


@dataclass(frozen=True)
class ConsentDecision:
    """What a State's people must decide about sharing one of its assessments: whether to renew a consent
    that ends soon (``grant``), or whether to share an adopted report nobody was ever given (no grant)."""

    assessment: Assessment
    grant: ConsentGrant | None = None

    @property
    def due(self) -> date | None:
        return self.grant.expires_on if self.grant else None


def consent_decisions(user) -> list[ConsentDecision]:
    """There is no "consent request" on the platform: a State decides on its own whom to share with
    (docs/cted.md). What waits for its people is (1) each consent in force on their State's assessments that
    ends within CONSENT_NOTICE_DAYS (renew it, or let it end), and (2) each adopted assessment of their State
    never shared with anyone, not even partly (decide whether to). Two queries; nothing for anyone else."""
    who = viewer(user)
    if who is None or not who.organization_ids:
        return []
    today = timezone.localdate()
    ending = (
        ConsentGrant.objects.visible_to(user)
        .active(today)
        .filter(
            assessment__state_id__in=who.organization_ids,
            expires_on__lte=today + timezone.timedelta(days=CONSENT_NOTICE_DAYS),
        )
        .select_related("assessment__state", "organization")
        .order_by("expires_on", "pk")
    )
    never_shared = (
        assessments_for(user)
        .filter(
            state_id__in=who.organization_ids,
            adopted_on__isnull=False,
            release_level=ReleaseLevel.NOT_SHARED,
        )
        .exclude(Exists(ConsentGrant.objects.filter(assessment=OuterRef("pk"))))
        .order_by("adopted_on", "pk")
    )
    return [
        *(ConsentDecision(grant.assessment, grant) for grant in ending),
        *(ConsentDecision(assessment) for assessment in never_shared),
    ]


def organization_section(user, organization: Organization) -> dict:
    """A Member State's page: its assessments the reader may see with the deadlines still awaited, and how
    many of its recommendations the reader may read — two queries, whatever their number; none for any other
    organisation."""
    if organization.kind != OrganizationKind.MEMBER_STATE:
        return {"assessments": [], "recommendations": 0}
    return {
        "assessments": with_pending(assessments_for(user).filter(state=organization), timezone.localdate()),
        "recommendations": recommendations_of_state(user, organization).count(),
    }


def recommendations_of_state(user, state: Organization) -> QuerySet[Recommendation]:
    """The State's recommendations the user may read (consent included), priority needs first, by the facet
    keys' GIN index: its page's count and its brief's list."""
    return (
        Recommendation.objects.visible_to(user)
        .filter(facet_keys__contains=[f"{FACET_PREFIXES['state']}:{state.pk}"])
        .select_related("theme")
        .order_by("-is_priority", "assessment_id", "pk")
    )


def recommendations_for(user, assessment: Assessment) -> QuerySet[Recommendation]:
    return Recommendation.objects.visible_to(user).filter(assessment=assessment).select_related("theme")


def grants_for(user, assessment: Assessment) -> QuerySet[ConsentGrant]:
    """The consents given on the assessment, newest first, for its State's people and CTED (none for the
    others)."""
    return (
        ConsentGrant.objects.visible_to(user)
        .filter(assessment=assessment)
        .select_related("organization", "recommendation", "granted_by", "revoked_by")
    )


# --- Search, facets and the chain recommendation → project → funding ----------------------------------------


def recommendations_found(user) -> QuerySet[Recommendation]:
    """Every recommendation the user may read, with what a search row shows fetched in the same query."""
    return Recommendation.objects.visible_to(user).select_related("assessment__state", "theme")


@dataclass(frozen=True)
class ChainSets:
    """What the chain needs to know for one reader: the linked projects they may **not** see (few: most
    projects are seen platform-wide), and the recommendations answered by a project they see that has Appeal
    funding they may see (few: funding comes last). Read once (three queries) and kept a minute per reader,
    so that the list, its count and its facet counts test rows against two lists rather than re-reading the
    projects' and the Appeal's visibility for every row of every query. The ids are of recommendations
    whoever may read them: a list applies the reader's rule besides (``visible_to``)."""

    hidden: tuple[int, ...]
    funded: tuple[int, ...]

    def answering(self) -> QuerySet:
        """The links of a recommendation (the outer query's) to projects the reader may see."""
        links = Recommendation.projects.through.objects.filter(recommendation_id=OuterRef("pk"))
        return links.exclude(any_of("project_id", self.hidden)) if self.hidden else links

    def place(self, rows: list[Recommendation]) -> None:
        """Mark each row with where it stands (``has_project``, ``is_funded``): one query for their links."""
        links = Recommendation.projects.through.objects.filter(
            any_of("recommendation_id", [row.pk for row in rows])
        ).values_list("recommendation_id", "project_id")
        # the hidden projects are left out here rather than in the query: a few links, no array to plan
        hidden, funded = set(self.hidden), set(self.funded)
        answered = {recommendation for recommendation, project in links if project not in hidden}
        for row in rows:
            row.has_project, row.is_funded = row.pk in answered, row.pk in funded


#: A reader's chain sets are kept this long at most (and dropped at once by a CTED write, a project's or a
#: new entry of the Appeal's ledger): a project shared or an appeal project published in between shows in
#: the chain within a minute. Which recommendations a reader sees never depends on it (consent does).
CHAIN_TTL = 60


def chain_sets(user) -> ChainSets:
    from projects.indexing import COUNTS as PROJECT_COUNTS

    newest_flow = Flow.objects.order_by("-pk").values_list("pk", flat=True).first()
    key = "cted:chain:" + ":".join(
        str(part)
        for part in (*audience_signature(user), COUNTS.version(), PROJECT_COUNTS.version(), newest_flow)
    )
    found = cache.get(key)
    if found is None:
        found = _read_chain_sets(user)
        cache.set(key, found, CHAIN_TTL)
    return found


def _read_chain_sets(user) -> ChainSets:
    through = Recommendation.projects.through.objects
    linked = through.values("project_id")
    visible = Project.objects.visible_to(user).values("pk")
    hidden = tuple(Project.objects.filter(pk__in=linked).exclude(pk__in=visible).values_list("pk", flat=True))
    seen = through.exclude(any_of("project_id", hidden)) if hidden else through.all()
    appealed = AppealProject.objects.visible_to(user).filter(project_id__in=seen.values("project_id"))
    # Money committed or paid (a pledge is a promise, not funding) to an appeal project the reader may see:
    # the ledger's committed and paid entries of such a project are theirs to read (appeal.access).
    funded_projects = (
        FlowTotal.objects.filter(appeal_project__in=appealed.values("pk"))
        .alias(funding=F("committed") + F("paid"))
        .filter(funding__gt=0)
        .values("appeal_project__project_id")
    )
    funded = seen.filter(project_id__in=funded_projects).order_by("recommendation_id")
    return ChainSets(hidden, tuple(funded.values_list("recommendation_id", flat=True).distinct()))


def in_chain(rows: QuerySet[Recommendation], chain: str, sets: ChainSets) -> QuerySet[Recommendation]:
    """The rows at that point of the chain, as the reader sees it: no project they may see answers the need;
    one does, with no funding they may see; or one of them has funding."""
    if chain == Chain.NO_PROJECT:
        return rows.filter(~Exists(sets.answering()))
    if chain == Chain.UNFUNDED:
        return rows.filter(Exists(sets.answering())).exclude(any_of("id", sets.funded))
    if chain == Chain.FUNDED:
        return rows.filter(any_of("id", sets.funded))
    return rows


def ordered(rows: QuerySet[Recommendation], data: dict) -> QuerySet[Recommendation]:
    """Best match first for a search, otherwise the latest visit first, then as recorded."""
    if (data.get("q") or "").strip() and "rank" in rows.query.annotations:
        return rows.order_by("-rank", "-visit_start", "assessment_id", "pk")
    return rows.order_by("-visit_start", "assessment_id", "pk")


def _audience(user, data: dict, sets: ChainSets) -> tuple:
    """What decides which recommendations a reader counts: the reader, the day (a consent runs through its
    last day) and, in a chain view, what they see of the projects and their funding."""
    audience = (*audience_signature(user), timezone.localdate().isoformat())
    return (*audience, hash(sets)) if data.get("chain") else audience


def facets(user, data: dict, sets: ChainSets, visible: QuerySet[Recommendation]) -> list[dict]:
    """Each facet's values, named, with their counts among ``visible`` — the recommendations the user may
    read (consent decides), as the page read them — given every other filter and the chain. Cached per reader
    and day (a consent runs through its last day) under a version every CTED write moves on
    (cted.indexing)."""
    base = in_chain(visible, data.get("chain", ""), sets)
    found = facet_values(
        RecommendationFilter, base, data, prefixes=FACET_PREFIXES, counts=COUNTS,
        audience=_audience(user, data, sets),
    )  # fmt: skip
    organizations = registry_names("organization")
    labels = {
        "state": organizations,
        "entity": organizations,
        "theme": theme_names(),
        **{
            name: _choice_labels(name)
            for name in ("region", "priority", "assistance", "implementation", "visit")
        },
    }
    return label_facets(found, labels)


@dataclass
class ThemeRow:
    """One thematic area of the statistics: its recommendations by implementation and assistance status."""

    theme_id: str
    label: str
    implementation: dict[str, int]
    assistance: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.implementation.values())


def statistics(user, data: dict, rows: QuerySet[Recommendation], sets: ChainSets) -> list[ThemeRow]:
    """The search's recommendations (``rows``, as filtered, in its chain) counted by thematic area and by
    implementation and assistance status: one GROUP BY, cached with the facet counts (the same reader, day
    and version), the themes by name, those without one last."""

    def count() -> dict[str, int]:
        groups = rows.order_by().values_list("theme_id", "implementation_status", "assistance_status")
        return {f"{theme or ''}|{done}|{aid}": n for theme, done, aid, n in groups.annotate(n=Count("pk"))}

    signature = (*_audience(user, data, sets), "statistics", *sorted(data.items()))
    by_theme: dict[str, ThemeRow] = {}
    names = theme_names()
    for key, n in COUNTS.get(signature, count).items():
        theme, done, aid = key.split("|")
        if theme not in by_theme:
            label = names.get(theme, "") if theme else ""
            by_theme[theme] = ThemeRow(
                theme,
                label,
                dict.fromkeys(ImplementationStatus.values, 0),
                dict.fromkeys(AssistanceStatus.values, 0),
            )
        row = by_theme[theme]
        row.implementation[done] += n
        row.assistance[aid] += n
    return sorted(by_theme.values(), key=lambda row: (not row.theme_id, row.label))


def facet_sidebar(user, data: dict, sets: ChainSets, visible: QuerySet[Recommendation]) -> Sidebar:
    """The search's filters rendered with their counts (``facets``), cached with them: the same reader, day,
    chain and version."""
    return sidebar(COUNTS, _audience(user, data, sets), data, lambda: facets(user, data, sets, visible))


def total(found: Sidebar, data: dict) -> int:
    """How many recommendations the search chose, read off its facet counts: each has exactly one
    implementation status, so the counts of that facet (given every other filter) add up to the total — or,
    with a status chosen, its count is the total. No count query of its own."""
    counts = found.counts["implementation"]
    chosen = str(data.get("implementation", ""))
    return counts.get(chosen, 0) if chosen else sum(counts.values())


def _choice_labels(name: str) -> dict[str, str]:
    return {str(key): str(label) for key, label in RecommendationFilter.base_filters[name].extra["choices"]}


def name_entities(rows: list[Recommendation]) -> None:
    """Give each row ``entity_names``: the entities that could deliver, by name, from its facet keys (the
    registry's names read once, no query per row)."""
    names = registry_names("organization")
    for row in rows:
        ids = (key.removeprefix("entity:") for key in row.facet_keys if key.startswith("entity:"))
        row.entity_names = sorted(names.get(pk, pk) for pk in ids)


def focal_points_of(assessment: Assessment) -> list[User]:
    """Who hears of what happens to an assessment (a deadline, an offer of help): the active focal points and
    alternates of the State and of CTED who may see it."""
    # One filter() call: the role, the end and the organisation are those of the same membership.
    people = (
        User.objects.filter(
            Q(memberships__organization_id=assessment.state_id)
            | Q(memberships__organization__reference_key=CTED),
            is_active=True,
            memberships__ended_at__isnull=True,
            memberships__role__in=(MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE),
            memberships__organization__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    # The rule, not the roles above, decides who may read about the assessment.
    return [
        person for person in people if Assessment.objects.visible_to(person).filter(pk=assessment.pk).exists()
    ]


def offering_organizations(user) -> QuerySet[Organization]:
    """The Compact entities a person may offer assistance for: their own."""
    who = viewer(user)
    ids = who.organization_ids if who else ()
    return Organization.objects.filter(
        pk__in=ids, kind=OrganizationKind.COMPACT_ENTITY, is_active=True
    ).order_by("name")


def _on_assessment(grants: QuerySet[ConsentGrant] | None = None) -> QuerySet[ConsentGrant]:
    """The grants on the outer assessment itself (not on one of its recommendations): what makes it
    "shared"."""
    grants = ConsentGrant.objects.all() if grants is None else grants
    return grants.filter(assessment=OuterRef("pk"), recommendation__isnull=True)


def shared_counts() -> list[dict]:
    """How many assessments were shared with the Platform, by the year of their first consent on the
    assessment itself (in force or not since), latest year first: counts of every State's, which CTED
    reports publicly — never which States (one query)."""
    first = _on_assessment().order_by("granted_at").values("granted_at")[:1]
    return list(
        Assessment.objects.annotate(year=ExtractYear(Subquery(first)))
        .filter(year__isnull=False)
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )


def shared_log(user) -> list[Assessment]:
    """The shared assessments the reader may see, the latest first shared first, each with ``first_shared``,
    whether a consent on it is ``in_force`` or all were ``withdrawn`` (else they expired), and — for those
    who may see the consents (the State's people and CTED) — ``shared_with``, the grants now in force. Two
    queries, whatever the number of rows."""
    in_force = (
        ConsentGrant.objects.visible_to(user)
        .active()
        .filter(recommendation__isnull=True)
        .select_related("organization")
        .order_by("organization__name")
    )
    found = list(
        assessments_for(user)
        .annotate(first_shared=Min("grants__granted_at", filter=Q(grants__recommendation__isnull=True)))
        .filter(first_shared__isnull=False)
        .annotate(
            in_force=Exists(_on_assessment(ConsentGrant.objects.active())),
            withdrawn=~Exists(_on_assessment().filter(revoked_at__isnull=True)),
        )
        .prefetch_related(Prefetch("grants", queryset=in_force, to_attr="shared_with"))
        .order_by("-first_shared", "-pk")
    )
    for assessment in found:
        assessment.consents_shown = rules.can_see_consents(user, assessment)
    return found


def report_for(user, assessment: Assessment) -> Resource | None:
    """The assessment's confidential report if the reader may read it in the library; else None — and the
    page says nothing of it, not even its title."""
    if assessment.report_id is None:
        return None
    return resources_for(user).filter(pk=assessment.report_id).first()


def with_reports(user, assessments: Iterable[Assessment]) -> list[Assessment]:
    """The assessments, each with ``readable_report``: its report's id if the reader may read it in the
    library (``report_for``'s rule), else None — for a whole page in one query."""
    found = list(assessments)
    ids = [assessment.report_id for assessment in found if assessment.report_id is not None]
    readable = set(resources_for(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for assessment in found:
        assessment.readable_report = assessment.report_id if assessment.report_id in readable else None
    return found


def with_consents(user, assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments with ``consents``: the consents given on each that the reader may see (its State's
    people and CTED: ``grants_for``'s rule; none for anyone else), newest first, each with ``in_force``
    (``ConsentGrant.objects.active``'s rule) — one query a page."""
    in_force = Exists(ConsentGrant.objects.active().filter(pk=OuterRef("pk")))
    seen = ConsentGrant.objects.visible_to(user).select_related("organization").annotate(in_force=in_force)
    return assessments.prefetch_related(Prefetch("grants", queryset=seen, to_attr="consents"))


def report_choices(user) -> QuerySet[Resource]:
    """The library's resources CTED's person may attach as a report: those they may read, the newest first
    (``services.attach_report`` then refuses one whose audience is not restricted, saying why)."""
    return resources_for(user)


def project_choices(user) -> QuerySet[Project]:
    """The projects of the matrix a recommendation's editor may link: only those they may see, by title."""
    return projects_for(user).order_by("title", "pk")


def recommendation_total() -> int:
    """How many recommendations CTED's assessments hold, whatever their consent: a platform-wide figure
    that names no State and no recommendation, published on the public landing page as the brochure
    publishes its "705 recommendations" — the same for every reader, so no user is asked for."""
    return Recommendation.objects.count()


def assessment_total() -> int:
    """How many assessments CTED recorded, whatever their consent: a figure that names no State."""
    return Assessment.objects.count()


def recommendation_counts() -> dict[str, dict[str, int]]:
    """How many recommendations are in each assistance and each implementation status (every status, zero
    included), whatever their consent: aggregates that name no State and no recommendation, for the
    Secretariat's statistics. One query."""
    statuses = {"assistance": AssistanceStatus, "implementation": ImplementationStatus}
    found = Recommendation.objects.aggregate(
        **{
            f"{kind}:{status}": Count("pk", filter=Q(**{f"{kind}_status": status}))
            for kind, choices in statuses.items()
            for status in choices.values
        }
    )
    return {
        kind: {status: found[f"{kind}:{status}"] for status in choices.values}
        for kind, choices in statuses.items()
    }


def recommendations_added(months: list) -> list[int]:
    """For each month (first days, in order), how many recommendations were recorded then, whatever their
    consent. One query."""
    return per_month(Recommendation.objects.all(), "created_at", months)


def recommendations_matching(user, query: SearchQuery) -> QuerySet[Recommendation]:
    """The recommendations the user may read — consent included (``visible_to``) — that match ``query`` (an
    English web-style query: ``core.search.english_query``, as the search page's), best match first;
    ``snippet`` highlights the recommendation's text."""
    return (
        recommendations_found(user)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query), snippet=headline("text", query))
        .order_by("-rank", "-pk")
    )
