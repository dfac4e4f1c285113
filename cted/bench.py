"""cted's part of ``bench``: CTED's assessments at the issue's figures — Scale.recommendations (70,000)
recommendations over the 193 Member States — and the search timed on them: a filtered list with its facet
counts (≤ 50 ms) and the chain views (≤ 150 ms), as CTED (who reads everything), as an entity focal point
(who reads what consent gives) and as a Member State focal point (its own State's).

Each Member State has two to four assessments between 2006 and 2026 (a visit type, dates, the report adopted,
a release level); the recommendations are spread over them evenly, each with a theme of the matrix (one in ten
without), a text drawn from CTED's usual vocabulary, a priority flag for one in five, statuses in the
proportions of CTED's matrix, zero to three entities that could deliver, and one or two projects of the matrix
for those matched or provided. Consent: about a third of the assessments are shared with every Compact entity,
one in seven with the bench's entity focal point's organisation by name, and one recommendation in fifty on
its own with every Compact entity.

Rows are written by set-based SQL with the app's audit triggers ignored (bench data only); the search keys are
then computed for all rows by cted.indexing's statement. A rerun adds only what is missing.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.urls import reverse

from core.benchmarking import Page, Query, Scale, ignoring_audit
from cted import indexing, selectors
from cted.access import CTED
from cted.models import Assessment, ConsentGrant, Recommendation, VisitType
from directory.bench import BENCH_EMAIL_DOMAIN, focal_point, state_focal_point, with_mfa
from directory.models import Membership, MembershipRole, Organization, OrganizationKind, User
from projects.models import ThematicArea

#: CTED's vocabulary: what a need is about and what is recommended about it.
SUBJECTS = [
    "advance passenger information", "passenger name record data", "border management", "terrorist financing",
    "foreign terrorist fighters", "electronic evidence", "counter-terrorism legislation", "prosecution",
    "judicial cooperation", "mutual legal assistance", "extradition", "prison radicalization",
    "rehabilitation and reintegration", "victims of terrorism", "critical infrastructure protection",
    "small arms and light weapons", "money laundering", "non-profit organizations", "hawala remittances",
    "cybersecurity", "online terrorist content", "countering violent extremism", "human rights safeguards",
    "gender-sensitive approaches", "civil society engagement", "maritime security", "aviation security",
    "biometrics", "watchlists", "INTERPOL databases", "customs cooperation", "explosives", "soft targets",
]  # fmt: skip
ACTIONS = [
    "Adopt legislation on", "Strengthen the capacity of the authorities in", "Train officials on",
    "Develop a national strategy for", "Establish an inter-agency mechanism for", "Improve data sharing on",
    "Provide technical assistance on", "Review the legal framework for", "Ensure oversight of",
]  # fmt: skip

ASSESSMENTS = f"""
INSERT INTO {Assessment._meta.db_table} (state_id, visit_type, visit_start, visit_end, stage, draft_sent_on,
    comments_received_on, adopted_on, steps_received_on, release_level, created_by_id, created_at)
SELECT s.id, (%s::varchar[])[1 + (s.id * 7 + g) %% 5], v.day, v.day + 4, 'adopted', v.day + 60, v.day + 85,
       v.day + 120, CASE WHEN random() < 0.7 THEN v.day + 310 END,
       (ARRAY['not_shared', 'partial', 'full'])[1 + (s.id + g) %% 3], %s, now()
FROM directory_organization s
CROSS JOIN LATERAL generate_series(1, 2 + s.id %% 3) g
CROSS JOIN LATERAL (SELECT date '2006-01-01' + ((s.id * 613 + g * 1777) %% 7000)::int AS day) v
WHERE s.kind = 'member_state' AND s.is_active
"""  # noqa: S608 -- formatted with the models' table names only

RECOMMENDATIONS = f"""
INSERT INTO {Recommendation._meta.db_table} (assessment_id, theme_id, text, is_priority, assistance_status,
    implementation_status, created_at, facet_keys)
SELECT a.id,
       CASE WHEN random() < 0.9 THEN (%s::int[])[1 + floor(random() * cardinality(%s::int[]))::int] END,
       (%s::text[])[1 + floor(random() * cardinality(%s::text[]))::int] || ' '
           || (%s::text[])[1 + floor(random() * cardinality(%s::text[]))::int] || ', including '
           || (%s::text[])[1 + floor(random() * cardinality(%s::text[]))::int] || '.',
       random() < 0.2,
       (ARRAY['requested', 'requested', 'requested', 'matched', 'matched', 'provided'])[1 + floor(random() * 6)::int],
       (ARRAY['open', 'open', 'in_progress', 'in_progress', 'implemented', 'closed'])[1 + floor(random() * 6)::int],
       now(), '{{}}'
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM {Assessment._meta.db_table}) a
CROSS JOIN generate_series(1, %s) g
ORDER BY g, a.n
LIMIT %s
"""  # noqa: S608

ENTITIES = f"""
INSERT INTO {Recommendation.entities.through._meta.db_table} (recommendation_id, organization_id)
SELECT DISTINCT r.id, (%s::int[])[1 + (r.id * k * 31) %% cardinality(%s::int[])]
FROM {Recommendation._meta.db_table} r CROSS JOIN generate_series(1, 1 + r.id %% 3) k
WHERE r.id %% 2 = 0
ON CONFLICT DO NOTHING
"""  # noqa: S608

PROJECTS = f"""
INSERT INTO {Recommendation.projects.through._meta.db_table} (recommendation_id, project_id)
SELECT DISTINCT r.id, p.ids[1 + (r.id * k * 17) %% cardinality(p.ids)]
FROM {Recommendation._meta.db_table} r
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM projects_project) p
CROSS JOIN generate_series(1, 1 + r.id %% 2) k
WHERE r.assistance_status <> 'requested' AND cardinality(p.ids) > 0
ON CONFLICT DO NOTHING
"""  # noqa: S608

GRANTS = f"""
INSERT INTO {ConsentGrant._meta.db_table} (assessment_id, recommendation_id, audience, organization_id,
    granted_by_id, granted_at)
SELECT a.id, NULL::bigint, 'compact_entities', NULL::bigint, %s, now() FROM {Assessment._meta.db_table} a WHERE a.id %% 3 = 0
UNION ALL
SELECT a.id, NULL::bigint, 'organization', %s, %s, now()
FROM {Assessment._meta.db_table} a WHERE a.id %% 7 = 1
UNION ALL
SELECT r.assessment_id, r.id, 'compact_entities', NULL::bigint, %s, now()
FROM {Recommendation._meta.db_table} r WHERE r.id %% 50 = 7
"""  # noqa: S608


def cted_member() -> User:
    """A person of CTED (who reads every assessment), with a second factor."""
    user, _created = User.objects.get_or_create(
        email=f"bench@cted.{BENCH_EMAIL_DOMAIN}", defaults={"full_name": "Bench CTED"}
    )
    Membership.objects.get_or_create(
        user=user, organization=Organization.objects.get(reference_key=CTED), ended_at=None,
        defaults={"role": MembershipRole.FOCAL_POINT},
    )  # fmt: skip
    return with_mfa(user)


def entity_organization() -> Organization:
    """The organisation of the bench's entity focal point, whom one assessment in seven is shared with."""
    return Organization.objects.filter(
        memberships__user=focal_point(), memberships__ended_at__isnull=True
    ).first()


def generate(scale: Scale, write) -> None:
    """Add assessments and recommendations up to the scale (a rerun with the same scale changes nothing)."""
    there = Recommendation.objects.count()
    if there >= scale.recommendations:
        write(f"cted: {there:,} recommendations already there")
        return
    by = cted_member()
    themes = list(ThematicArea.objects.values_list("pk", flat=True))
    entities = list(
        Organization.objects.filter(kind=OrganizationKind.COMPACT_ENTITY)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic(), ignoring_audit("cted"), connection.cursor() as cursor:
        if not Assessment.objects.exists():
            cursor.execute(ASSESSMENTS, [VisitType.values, by.pk])
        assessments = Assessment.objects.count()
        missing = scale.recommendations - there
        per = -(-missing // assessments)
        cursor.execute(
            RECOMMENDATIONS,
            [themes, themes, ACTIONS, ACTIONS, SUBJECTS, SUBJECTS, SUBJECTS, SUBJECTS, per, missing],
        )
        cursor.execute(ENTITIES, [entities, entities])
        cursor.execute(PROJECTS)
        if not ConsentGrant.objects.exists():
            # positional: pgtrigger.ignore prepends a parameter of its own
            cursor.execute(GRANTS, [by.pk, entity_organization().pk, by.pk, by.pk])
        cursor.execute(indexing.REFRESH, [list(Recommendation.objects.values_list("pk", flat=True))])
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in (Assessment, Recommendation, Recommendation.entities.through, Recommendation.projects.through,
                      ConsentGrant):  # fmt: skip
            cursor.execute(f"{analyze} {model._meta.db_table}")
    indexing.COUNTS.forget()
    write(
        f"cted: {Recommendation.objects.count():,} recommendations in {Assessment.objects.count():,} "
        f"assessments of {Assessment.objects.values('state').distinct().count()} States"
    )


def uncached_facets(user, data: dict) -> list[dict]:
    """The search's facet counts with the cache out of the way (the first reader of a search)."""
    indexing.COUNTS.forget()
    visible = selectors.recommendations_found(user)
    return selectors.facets(user, data, selectors.chain_sets(user), visible)


def measurements(scale: Scale, write):
    """The search and the chain views; a row more is one ``yield page(...)`` more."""
    if not Recommendation.objects.exists():
        return
    data = f"{Recommendation.objects.count():,} recommendations, {ConsentGrant.objects.count():,} consents"
    search = reverse("cted:recommendations")
    theme = ThematicArea.objects.order_by("pk").values_list("pk", flat=True).first()
    region = "african"

    def page(name: str, query: str, user, target_ms: float | None) -> Page:
        return Page(f"cted: {name}", f"{search}?{query}", user=user, data=data, target_ms=target_ms)

    filtered = f"region={region}&theme={theme}"
    for who, user in (("CTED", cted_member), ("entity focal point", focal_point)):
        yield page(f"search, a region and a theme, facets included ({who})", filtered, user, 50)
        yield Page(f"API: recommendations, a region and a theme, first page ({who})",
                   f"{reverse('api:cted-recommendation-list')}?{filtered}", user=user, data=data,
                   target_ms=50)  # fmt: skip
        yield page(f"search, words and priority needs, facets included ({who})", "q=border+management&priority=yes",
                   user, 50)  # fmt: skip
        for chain in ("no_project", "unfunded", "funded"):
            yield page(f"chain view: {chain}, facets included ({who})", f"chain={chain}", user, 150)
    yield page(
        "search, every recommendation of its State (Member State focal point)", "", state_focal_point, 50
    )
    yield Page(
        "cted: by theme and status, a region (entity focal point)",
        f"{reverse('cted:statistics')}?region={region}", user=focal_point, data=data,
    )  # fmt: skip
    reader = cted_member()
    yield Query(
        "cted: facet counts of a region and a theme, uncached (CTED)",
        run=lambda: uncached_facets(reader, {"region": region, "theme": str(theme)}), data=data,
    )  # fmt: skip
    entity = focal_point()
    yield Query(
        "cted: facet counts of the funded chain, uncached (entity focal point)",
        run=lambda: uncached_facets(entity, {"chain": "funded"}), data=data,
    )  # fmt: skip
