"""appeal's part of ``bench``: the Multi-Year Appeal at the issue's figures — Scale.appeal_projects (5,000)
appeal projects and Scale.flows (200,000) entries of the ledger — and its pages timed on them: the cycles, the
open cycle's coverage dashboard (as the Secretariat and as an entity focal point), an appeal project, and the
coverage figures alone (docs/appeal.md).

Three cycles — 2021–2022 and 2023–2024 closed, 2025–2026 open — over the projects of the projects' bench
(it runs first: INSTALLED_APPS order). Each appeal project is a project running in its cycle's years, under one
to three priorities, published for about 85 %, with a requirement for each year of its cycle (a share of the
project's budget), added by a person of its lead entity.

The ledger is made of *deals*: a donor (the usual large donors most often, then the other Member States and
the registry's regional and other organisations), in its own currency at a rate near the market's, earmarked
to an appeal project (70 %), a pillar, a priority or nothing (10 % each); a pledge first for about a third,
then a commitment and the payments against it (most paid in full in a closed cycle, part in the open one),
and a few pledges never committed. About 5 % of the entries are corrections: a reason, and a negative amount
taking away all or part of an earlier entry, in its currency and at its rate. Amounts are sized from the
requirements so that the coverage is what an appeal sees (about 70 % for a closed cycle, 40 % for the open
one). Dollars are the amount × the rate rounded half away from zero to the cent, as the services compute them.

Rows are written by set-based SQL with the app's triggers ignored for the bench data only (audit rows, and
the ledger's append-only trigger, which refuses only UPDATE and DELETE: this module never does either).
A rerun adds only what is missing to reach the scale.
"""

from __future__ import annotations

import random
from datetime import datetime, time
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from appeal import selectors
from appeal.models import (
    REBUILD_TOTALS,
    AppealCycle,
    AppealProject,
    CycleStatus,
    Flow,
    FlowTotal,
    Priority,
    Requirement,
)
from core.benchmarking import Page, Query, Scale, ignoring_audit
from directory.bench import focal_point, secretariat_member
from directory.models import Membership, Organization, OrganizationKind, Pillar
from projects.models import Project

#: (first year, last year, closed), oldest first; the last is the open one the dashboards are timed on.
CYCLES = [(2021, 2022, True), (2023, 2024, True), (2025, 2026, False)]
#: Each cycle's share of the appeal projects and of the ledger: the Appeal grows.
SHARES = [0.28, 0.33, 0.39]
#: Funding of the project-earmarked deals ÷ requirements aimed at (the other earmarks add about a third).
COVERAGE = {True: 0.6, False: 0.38}
CORRECTIONS = 0.05
PUBLISHED = 0.85

#: The donors most deals come from (as in the demo), in their currency.
LARGE_DONORS = ["USA", "DEU", "GBR", "JPN", "CAN", "NOR", "NLD", "QAT", "SAU", "CHE", "SWE", "AUS", "DNK"]
EURO_AREA = {"AUT", "BEL", "CYP", "DEU", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "IRL", "ITA", "LTU", "LUX",
             "LVA", "MLT", "NLD", "PRT", "SVK", "SVN"}  # fmt: skip
CURRENCY_OF = {"GBR": "GBP", "JPN": "JPY", "CHE": "CHF", "CAN": "CAD", "NOR": "NOK", "SWE": "SEK",
               "DNK": "DKK", "AUS": "AUD", "NZL": "NZD", "SAU": "SAR", "QAT": "QAR", "ARE": "AED",
               "KWT": "KWD", "KOR": "KRW", "CHN": "CNY", "IND": "INR", "TUR": "TRY", "BRA": "BRL",
               "MEX": "MXN", "ZAF": "ZAR"}  # fmt: skip
#: US dollars for one unit, about; each deal's rate is within 3 % of it.
RATES = {"USD": "1", "EUR": "1.08", "GBP": "1.27", "CHF": "1.12", "JPY": "0.0068", "CAD": "0.73",
         "AUD": "0.66", "NOK": "0.093", "SEK": "0.094", "DKK": "0.145", "NZD": "0.60", "CNY": "0.138",
         "KRW": "0.00074", "INR": "0.012", "SAR": "0.2667", "QAR": "0.2747", "AED": "0.2723", "KWD": "3.25",
         "TRY": "0.031", "BRL": "0.19", "MXN": "0.055", "ZAR": "0.054"}  # fmt: skip
#: Donors' shares of the deals: the large donors, the other Member States, the other organisations.
DONOR_WEIGHTS = (0.5, 0.35, 0.15)

FULL_REVERSALS = [
    "Recorded twice: the donor's letter was entered on two dates.",
    "Recorded by mistake: the donor's letter was a draft.",
]
PART_CORRECTIONS = [
    "Amount corrected to the donor's signed agreement.",
    "Part of the contribution reallocated by the donor to another appeal.",
    "Bank charges deducted from the transfer as received.",
]

CYCLE_TABLE = AppealCycle._meta.db_table
APPEAL_PROJECTS = AppealProject._meta.db_table
REQUIREMENTS = Requirement._meta.db_table
FLOWS = Flow._meta.db_table

# Positional parameters throughout: pgtrigger.ignore prepends one of its own to each statement.
INSERT_APPEAL_PROJECTS = f"""
WITH c AS (SELECT id, first_year, last_year FROM {CYCLE_TABLE} WHERE id = %s),
params AS (SELECT %s::varchar[] AS priorities, %s::bigint AS fallback)
INSERT INTO {APPEAL_PROJECTS} (cycle_id, project_id, priorities, is_published, added_by_id, added_at)
SELECT c.id, p.id,
       ARRAY(SELECT x FROM unnest(params.priorities) x ORDER BY md5(x || p.id) LIMIT 1 + p.id %% 3),
       random() < %s,
       coalesce((SELECT m.user_id FROM {Membership._meta.db_table} m
                 WHERE m.organization_id = p.owner_id AND m.ended_at IS NULL ORDER BY m.id LIMIT 1),
                params.fallback),
       make_timestamptz(c.first_year - 1, 10, 1, 9, 0, 0) + random() * interval '120 days'
FROM {Project._meta.db_table} p CROSS JOIN c CROSS JOIN params
WHERE p.id IN (
    -- drawn apart from the sort: the planner would reuse the sort's random() for a random() of the same row
    SELECT p.id FROM {Project._meta.db_table} p CROSS JOIN c
    WHERE extract(year FROM p.start) <= c.last_year AND extract(year FROM p."end") >= c.first_year
      AND p.budget_usd IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM {APPEAL_PROJECTS} a WHERE a.cycle_id = c.id AND a.project_id = p.id)
    ORDER BY random()
    LIMIT %s)
ORDER BY p.id
"""

# A requirement per year of the cycle for the appeal projects without any: a fifth to two fifths of the
# project's budget, to the thousand.
INSERT_REQUIREMENTS = f"""
INSERT INTO {REQUIREMENTS} (appeal_project_id, year, amount_usd)
SELECT a.id, y, greatest(1000, round(p.budget_usd * (0.2 + 0.2 * random())::numeric, -3))
FROM {APPEAL_PROJECTS} a
JOIN {CYCLE_TABLE} c ON c.id = a.cycle_id
JOIN {Project._meta.db_table} p ON p.id = a.project_id
CROSS JOIN LATERAL generate_series(c.first_year::int, c.last_year::int) y
WHERE NOT EXISTS (SELECT 1 FROM {REQUIREMENTS} r WHERE r.appeal_project_id = a.id)
"""

# The deals of one cycle, expanded to their entries (pledge, commitment, payments), the first ``limit``.
INSERT_FLOWS = f"""
WITH c AS (SELECT id, make_date(first_year, 1, 1) AS s,
                  least(make_date(last_year, 12, 31), current_date) AS e FROM {CYCLE_TABLE} WHERE id = %s),
params AS (SELECT %s::bigint[] AS donors, %s::varchar[] AS currencies, %s::numeric[] AS rates,
                  %s::bigint[] AS pillars, %s::varchar[] AS priorities, %s::bigint AS recorder,
                  %s::float AS project_share, %s::float AS pledge_only, %s::boolean AS closed,
                  %s::numeric AS per_deal, %s::numeric AS per_project_deal),
ap AS (SELECT coalesce(array_agg(a.id ORDER BY a.id), '{{}}') AS ids,
              coalesce(array_agg(r.total ORDER BY a.id), '{{}}') AS totals
       FROM {APPEAL_PROJECTS} a
       JOIN (SELECT appeal_project_id, sum(amount_usd) AS total FROM {REQUIREMENTS}
             GROUP BY appeal_project_id) r ON r.appeal_project_id = a.id
       WHERE a.cycle_id = (SELECT id FROM c)),
src AS (SELECT d, random() AS r_donor, random() AS r_earmark, random() AS r_target, random() AS r_size,
               random() AS r_rate, random() AS r_date, random() AS r_kind, random() AS r_paid,
               random() AS r_pay, random() AS r_gap FROM generate_series(1, %s) d),
deal AS (
    SELECT src.*, c.id AS cycle_id, c.s, c.e, params.recorder,
           params.donors[i.donor] AS donor_id, params.currencies[i.donor] AS currency,
           CASE WHEN params.currencies[i.donor] = 'USD' THEN 1::numeric
                ELSE round(params.rates[i.donor] * (0.97 + 0.06 * src.r_rate)::numeric, 6) END AS rate,
           k.earmark,
           CASE WHEN k.earmark = 'project' THEN ap.ids[i.project] END AS appeal_project_id,
           CASE WHEN k.earmark = 'pillar' THEN params.pillars[1 + floor(src.r_target * array_length(params.pillars, 1))::int] END AS pillar_id,
           CASE WHEN k.earmark = 'priority' THEN params.priorities[1 + floor(src.r_target * array_length(params.priorities, 1))::int] ELSE '' END AS priority,
           -- the deal's size in dollars: around the project's share of the coverage aimed at, or the mean
           greatest(5000, (CASE WHEN k.earmark = 'project' THEN ap.totals[i.project] * params.per_project_deal
                                ELSE params.per_deal END) * (-ln(1 - 0.999 * src.r_size))::numeric) AS usd,
           src.r_kind < params.pledge_only AS pledge_only,
           src.r_kind >= params.pledge_only AND src.r_kind < params.pledge_only + 0.33 AS pledged_first,
           CASE WHEN params.closed THEN 1 + floor(src.r_pay * 3)::int ELSE floor(src.r_pay * 3)::int END AS payments,
           CASE WHEN params.closed AND src.r_paid < 0.85 THEN 1::numeric
                WHEN params.closed THEN (0.5 + 0.45 * src.r_paid)::numeric
                ELSE (0.3 + 0.7 * src.r_paid)::numeric END AS paid_share
    FROM src CROSS JOIN c CROSS JOIN params CROSS JOIN ap
    CROSS JOIN LATERAL (SELECT 1 + floor(src.r_donor * array_length(params.donors, 1))::int AS donor,
                               1 + floor(src.r_target * coalesce(array_length(ap.ids, 1), 0))::int AS project) i
    CROSS JOIN LATERAL (SELECT CASE WHEN src.r_earmark < params.project_share THEN 'project'
                                    WHEN src.r_earmark < params.project_share + (1 - params.project_share) / 3 THEN 'pillar'
                                    WHEN src.r_earmark < params.project_share + 2 * (1 - params.project_share) / 3 THEN 'priority'
                                    ELSE 'unearmarked' END AS earmark) k
),
sized AS (
    SELECT deal.*, greatest(1000, round(deal.usd / deal.rate, -3)) AS committed,
           deal.s + floor(deal.r_date * 0.7 * (deal.e - deal.s))::int AS committed_on
    FROM deal
),
entry AS (
    SELECT sized.*, x.seq, x.stage, x.amount, x.date FROM sized CROSS JOIN LATERAL (
        SELECT 0 AS seq, 'pledge' AS stage,
               CASE WHEN sized.pledge_only THEN sized.committed
                    ELSE round(sized.committed * (1 + 0.3 * sized.r_gap)::numeric, 0) END AS amount,
               greatest(sized.s, sized.committed_on - 30 - floor(sized.r_gap * 90)::int) AS date
        WHERE sized.pledge_only OR sized.pledged_first
        UNION ALL
        SELECT 1, 'commitment', sized.committed, sized.committed_on WHERE NOT sized.pledge_only
        UNION ALL
        -- payments telescope: together they are the paid share of the commitment, to the cent
        SELECT 1 + n, 'paid',
               trunc(sized.committed * sized.paid_share * n / sized.payments, 2)
               - trunc(sized.committed * sized.paid_share * (n - 1) / sized.payments, 2),
               least(sized.e, sized.committed_on + n * (30 + floor(sized.r_gap * 90)::int))
        FROM generate_series(1, sized.payments) n WHERE NOT sized.pledge_only
    ) x
)
INSERT INTO {FLOWS} (cycle_id, donor_id, stage, date, amount, currency, usd_rate, amount_usd, earmark,
                     appeal_project_id, pillar_id, priority, corrects_id, reason, recorded_by_id, recorded_at)
SELECT cycle_id, donor_id, stage, date, amount, currency, rate, round(amount * rate, 2), earmark,
       appeal_project_id, pillar_id, priority, NULL, '', recorder, date + time '10:00'
FROM entry
WHERE amount > 0
ORDER BY d, seq
LIMIT %s
"""

# Corrections of entries of this run (after ``after``) in one cycle: each a new entry taking away all of one
# (two in five) or part of it, with the entry's donor, stage, earmark, currency and rate, and a reason.
INSERT_CORRECTIONS = f"""
WITH c AS (SELECT id, least(make_date(last_year, 12, 31), current_date) AS e FROM {CYCLE_TABLE}
           WHERE id = %s),
params AS (SELECT %s::text[] AS full_reasons, %s::text[] AS part_reasons),
-- drawn apart from the sort: the planner would reuse the sort's random() for a random() of the same row
chosen AS (SELECT f.id FROM {FLOWS} f
           WHERE f.cycle_id = (SELECT id FROM c) AND f.id > %s AND f.corrects_id IS NULL
           ORDER BY random() LIMIT %s),
picked AS (SELECT f.*, random() AS r_full, random() AS r_part, random() AS r_date
           FROM {FLOWS} f WHERE f.id IN (SELECT id FROM chosen))
INSERT INTO {FLOWS} (cycle_id, donor_id, stage, date, amount, currency, usd_rate, amount_usd, earmark,
                     appeal_project_id, pillar_id, priority, corrects_id, reason, recorded_by_id, recorded_at)
SELECT f.cycle_id, f.donor_id, f.stage, k.date, k.amount, f.currency, f.usd_rate,
       round(k.amount * f.usd_rate, 2), f.earmark, f.appeal_project_id, f.pillar_id, f.priority, f.id,
       CASE WHEN f.r_full < 0.4 THEN params.full_reasons[1 + floor(f.r_part * array_length(params.full_reasons, 1))::int]
            ELSE params.part_reasons[1 + floor(f.r_part * array_length(params.part_reasons, 1))::int] END,
       f.recorded_by_id, k.date + time '15:00'
FROM picked f CROSS JOIN c CROSS JOIN params
CROSS JOIN LATERAL (
    SELECT CASE WHEN f.r_full < 0.4 THEN -f.amount
                ELSE -greatest(0.01, round(f.amount * (0.05 + 0.6 * f.r_part)::numeric, 2)) END AS amount,
           greatest(f.date, least(c.e, f.date + 10 + floor(f.r_date * 80)::int)) AS date
) k
ORDER BY f.id
"""


def split(total: int, shares=SHARES) -> list[int]:
    """``total`` in parts by ``shares``, the last taking the rounding (so that they add up)."""
    parts = [round(total * share) for share in shares[:-1]]
    return [*parts, total - sum(parts)]


def cycles(by) -> list[AppealCycle]:
    """The three cycles, made if missing (oldest first)."""
    found = []
    for first, last, closed in CYCLES:
        closed_fields = (
            {"status": CycleStatus.CLOSED, "closed_by": by,
             "closed_at": timezone.make_aware(datetime.combine(datetime(last + 1, 3, 31), time(12)))}
            if closed else {"status": CycleStatus.OPEN}
        )  # fmt: skip
        cycle, _created = AppealCycle.objects.get_or_create(
            name=f"{first}–{last}",
            defaults={
                "first_year": first, "last_year": last, "opened_by": by,
                "opened_at": timezone.make_aware(datetime(first - 1, 9, 1, 12)), **closed_fields,
            },
        )  # fmt: skip
        found.append(cycle)
    return found


def donors() -> tuple[list[int], list[str], list[Decimal]]:
    """A weighted draw of the donors (large donors, other Member States, other organisations) with their
    currencies and rates, as the arrays the SQL picks from."""
    states = list(
        Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE, is_active=True).values_list(
            "pk", "iso3"
        )
    )
    large = [(pk, iso3) for pk, iso3 in states if iso3 in LARGE_DONORS]
    others = [(pk, iso3) for pk, iso3 in states if iso3 not in LARGE_DONORS]
    organisations = [
        (pk, "")
        for pk in Organization.objects.filter(
            kind__in=[OrganizationKind.REGIONAL_ORGANIZATION, OrganizationKind.OTHER], is_active=True
        ).values_list("pk", flat=True)
    ]
    rng = random.Random(15)  # noqa: S311 -- the same data set every run, not a secret
    pools = [
        (pool, weight)
        for pool, weight in zip((large, others, organisations), DONOR_WEIGHTS, strict=True)
        if pool
    ]
    drawn = [rng.choice(rng.choices(*zip(*pools, strict=True))[0]) for _ in range(2_000)]
    currency = [currency_of(iso3) for _pk, iso3 in drawn]
    return [pk for pk, _iso3 in drawn], currency, [Decimal(RATES[code]) for code in currency]


def currency_of(iso3: str) -> str:
    return "EUR" if iso3 in EURO_AREA else CURRENCY_OF.get(iso3, "USD")


def entries_per_deal(closed: bool) -> float:
    """How many entries a deal makes on average (see INSERT_FLOWS), to size the number of deals."""
    pledge_only, payments = (0.03, 2.0) if closed else (0.10, 1.0)
    return pledge_only + (1 - pledge_only) * (0.33 + 1 + payments)


def generate(scale: Scale, write) -> None:
    """Add appeal projects and flows up to the scale (a rerun with the same scale changes nothing)."""
    appealed_there, flows_there = AppealProject.objects.count(), Flow.objects.count()
    if appealed_there >= scale.appeal_projects and flows_there >= scale.flows:
        write(f"appeal: {appealed_there:,} appeal projects and {flows_there:,} flows already there")
        return
    by = secretariat_member()
    donor_ids, currencies, rates = donors()
    pillars = list(Pillar.objects.order_by("number").values_list("pk", flat=True))
    with transaction.atomic(), ignoring_audit("appeal"), connection.cursor() as cursor:
        found = cycles(by)
        for cycle, wanted in zip(found, split(scale.appeal_projects), strict=True):
            missing = wanted - AppealProject.objects.filter(cycle=cycle).count()
            if missing > 0:
                cursor.execute(INSERT_APPEAL_PROJECTS, [cycle.pk, Priority.values, by.pk, PUBLISHED, missing])
        cursor.execute(INSERT_REQUIREMENTS)
        after = Flow.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for cycle, wanted in zip(found, split(scale.flows), strict=True):
            missing = wanted - Flow.objects.filter(cycle=cycle).count()
            if missing <= 0:
                continue
            closed = not cycle.is_open
            corrections = round(missing * CORRECTIONS)
            entries = missing - corrections
            projects = AppealProject.objects.filter(cycle=cycle).count()
            required = Requirement.objects.filter(appeal_project__cycle=cycle).aggregate(
                total=Sum("amount_usd")
            )["total"] or Decimal(0)
            while entries > 0:
                deals = int(entries / entries_per_deal(closed) * 1.05) + 10
                share = Decimal(str(COVERAGE[closed]))
                per_deal = share * required / deals if required else Decimal(250_000)
                per_project_deal = share * projects / (Decimal("0.7") * deals)
                cursor.execute(
                    INSERT_FLOWS,
                    [cycle.pk, donor_ids, currencies, rates, pillars, Priority.values, by.pk,
                     0.7 if projects else 0.0, 0.03 if closed else 0.10, closed, per_deal, per_project_deal,
                     deals, entries],
                )  # fmt: skip
                entries -= cursor.rowcount
            cursor.execute(
                INSERT_CORRECTIONS, [cycle.pk, FULL_REVERSALS, PART_CORRECTIONS, after, corrections]
            )
        # the running totals' trigger was ignored with the audit's: the totals from the ledger, at once
        cursor.execute(REBUILD_TOTALS)
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in (CYCLE_TABLE, APPEAL_PROJECTS, REQUIREMENTS, FLOWS, FlowTotal._meta.db_table):
            cursor.execute(f"{analyze} {table}")
    write(
        f"appeal: {AppealProject.objects.count():,} appeal projects and {Flow.objects.count():,} flows "
        f"in {len(found)} cycles"
    )


def measurements(scale: Scale, write):
    """The Appeal's pages on the open cycle; a row more is one ``yield page(...)`` more."""
    cycle = AppealCycle.objects.filter(status=CycleStatus.OPEN).order_by("-first_year").first()
    if cycle is None:
        return
    data = f"{AppealProject.objects.count():,} appeal projects, {Flow.objects.count():,} flows"

    def page(name: str, url: str, user, target_ms: float | None = None, **options) -> Page:
        return Page(f"appeal: {name}", url, user=user, data=data, target_ms=target_ms, **options)

    yield page("cycles (entity focal point)", reverse("appeal:cycles"), focal_point)
    yield Page("API: appeal projects, first page (entity focal point)", reverse("api:appeal-project-list"),
               user=focal_point, data=data, target_ms=50)  # fmt: skip
    dashboard = reverse("appeal:cycle", args=[cycle.pk])
    yield page("open cycle's dashboard (Secretariat)", dashboard, secretariat_member, target_ms=100)
    yield page("open cycle's dashboard (entity focal point)", dashboard, focal_point, target_ms=100)
    flows = reverse("appeal:flows", args=[cycle.pk])
    yield page("the ledger of a priority, funding only (entity focal point)",
               f"{flows}?priority=border_security&stage=funding", focal_point)  # fmt: skip
    yield page("the ledger, first page (Secretariat)", flows, secretariat_member)
    yield page("search: a cycle and a priority (entity focal point)",
               f"{reverse('appeal:projects')}?cycle={cycle.pk}&priority=pcve", focal_point)  # fmt: skip
    yield page(
        "trends across the cycles (entity focal point)", reverse("appeal:trends"), focal_point, target_ms=100
    )
    largest = Flow.objects.filter(cycle=cycle).values("donor").annotate(n=Count("pk")).order_by("-n").first()
    if largest is not None:
        yield page("the largest donor's page (Secretariat)", reverse("appeal:donor", args=[largest["donor"]]),
                   secretariat_member, target_ms=100)  # fmt: skip
    # the published appeal project of the open cycle with the most entries: the longest ledger a page shows
    busiest = (
        AppealProject.objects.filter(cycle=cycle, is_published=True)
        .annotate(entries=Count("flows"))
        .order_by("-entries", "pk")
        .first()
    )
    if busiest is not None:
        yield Page("appeal: the appeal project with the most entries (entity focal point)",
                   reverse("appeal:project", args=[busiest.pk]), user=focal_point,
                   data=f"{data}, {busiest.entries} on it")  # fmt: skip
    secretariat = secretariat_member()
    yield Query(
        "appeal: coverage of the open cycle, its two aggregates and the names (Secretariat)",
        run=lambda: selectors.coverage(secretariat, cycle), data=data, target_ms=100,
    )  # fmt: skip
    reader = focal_point()
    yield Query(
        "appeal: coverage of the open cycle, its two aggregates and the names (entity focal point)",
        run=lambda: selectors.coverage(reader, cycle), data=data, target_ms=100,
    )  # fmt: skip
