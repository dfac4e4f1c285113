"""projects' part of ``bench``: the two views of the matrix, the list with filters and facet counts, a project
page, the map's data by country, a CSV export of a filtered list, the Secretariat's overlap report and a
spreadsheet import of 10,000 rows (rolled back after each run), at Scale.projects projects (20,000: the issue's
figure) spread over the active organisations (their overlaps found by the same statement the services run).

Rows are written by set-based SQL with the audit triggers ignored for the bench data only; the index
(facet keys, search vector) is then computed by the same statement the services use. The audience mix is
the platform's: 60 % platform-wide, 25 % Compact, 15 % owner only.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.urls import reverse

from core.benchmarking import Page, Query, Scale, ignoring_audit
from directory.bench import focal_point, secretariat_member, state_focal_point
from directory.models import Organization, OrganizationKind, Pillar, WorkingGroup
from projects import indexing
from projects.models import Project, ProjectOverlap, ThematicArea

PROJECTS = Project._meta.db_table
LINKS = {
    "pillars": (Project.pillars.through._meta.db_table, "pillar_id"),
    "themes": (Project.themes.through._meta.db_table, "thematicarea_id"),
    "working_groups": (Project.working_groups.through._meta.db_table, "workinggroup_id"),
    "donors": (Project.donors.through._meta.db_table, "organization_id"),
}

INSERT_PROJECTS = f"""
WITH params AS (SELECT %s::bigint[] AS orgs, %s::varchar[] AS countries),
src AS (SELECT g, random() AS r, random() AS r_owner, random() AS r_start, random() AS r_len,
               random() AS r_country, random() AS r_budget FROM generate_series(%s, %s) g)
INSERT INTO {PROJECTS} (owner_id, visibility, title, code, implementing_partners, countries, regions,
                        is_global, sdg_targets, start, "end", status, budget, currency, usd_rate, rate_date,
                        budget_usd, description, expected_results, created_at, updated_at, facet_keys,
                        overlap_keys, iati_identifier)
SELECT p.orgs[1 + floor(src.r_owner * array_length(p.orgs, 1))::int],
       CASE WHEN src.r < 0.6 THEN 'platform' WHEN src.r < 0.85 THEN 'compact' ELSE 'owner' END,
       'Project ' || src.g || ': technical assistance on border security and criminal justice',
       'BENCH-' || src.g, '',
       ARRAY[p.countries[1 + floor(src.r_country * array_length(p.countries, 1))::int]]::varchar[],
       ARRAY[]::varchar[], src.r < 0.05, ARRAY['16.4']::varchar[],
       s.start, s.start + (365 * (1 + floor(src.r_len * 4)))::int - 1,
       CASE WHEN s.start > current_date THEN 'pipeline'
            WHEN s.start + 1460 < current_date THEN 'completed' ELSE 'ongoing' END,
       b.budget, 'USD', NULL, NULL, b.budget,
       'Assessments, training and legislative advice with national authorities, project ' || src.g || '.',
       '', now(), now(), ARRAY[]::varchar[], ARRAY[]::varchar[], ''
FROM src CROSS JOIN params p
CROSS JOIN LATERAL (SELECT date '2016-01-01' + floor(src.r_start * 4000)::int AS start) s
CROSS JOIN LATERAL (SELECT round((50000 + src.r_budget * 15000000)::numeric, 2) AS budget) b
ORDER BY src.g
"""

# One to three rows of a link per new project, drawn from ``choices``.
INSERT_LINKS = """
WITH p AS (SELECT %s::bigint[] AS choices)
INSERT INTO {table} (project_id, {column})
SELECT x.id, p.choices[1 + floor(random() * array_length(p.choices, 1))::int]
FROM {projects} x CROSS JOIN p CROSS JOIN generate_series(1, 1 + floor(random() * 2)::int)
WHERE x.id > %s
ON CONFLICT DO NOTHING
"""


def generate(scale: Scale, write) -> None:
    """Add projects up to Scale.projects (a rerun with the same scale changes nothing)."""
    current = Project.objects.count()
    if current >= scale.projects:
        return
    after = Project.objects.order_by("-id").values_list("id", flat=True).first() or 0
    entities = list(
        Organization.objects.filter(is_active=True, kind=OrganizationKind.COMPACT_ENTITY).values_list(
            "pk", flat=True
        )
    )
    states = Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE)
    choices = {
        "pillars": list(Pillar.objects.values_list("pk", flat=True)),
        "themes": list(ThematicArea.objects.values_list("pk", flat=True)),
        "working_groups": list(WorkingGroup.objects.values_list("pk", flat=True)),
        "donors": list(states.values_list("pk", flat=True)[:20]),
    }
    with transaction.atomic(), ignoring_audit("projects"), connection.cursor() as cursor:
        # Positional parameters: pgtrigger.ignore prepends one of its own to each statement.
        countries = list(states.exclude(iso3="").values_list("iso3", flat=True))
        cursor.execute(INSERT_PROJECTS, [entities, countries, current + 1, scale.projects])
        for name, (table, column) in LINKS.items():
            if choices[name]:
                sql = INSERT_LINKS.format(table=table, column=column, projects=PROJECTS)
                cursor.execute(sql, [choices[name], after])
        new = list(Project.objects.filter(pk__gt=after).values_list("pk", flat=True))
        for start in range(0, len(new), 5_000):
            indexing.refresh(new[start : start + 5_000])
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in (PROJECTS, ProjectOverlap._meta.db_table, *(table for table, _column in LINKS.values())):
            cursor.execute(f"{analyze} {table}")
    write(f"projects: {scale.projects:,} projects")


def measurements(scale: Scale, write):
    data = f"{scale.projects:,} projects"
    pillar = Pillar.objects.order_by("number").first()
    theme = ThematicArea.objects.order_by("pk").first()
    three_filters = f"?pillar={pillar.pk if pillar else ''}&theme={theme.pk if theme else ''}&status=ongoing"
    sample = Project.objects.filter(visibility="platform").order_by("pk").first()
    for who, user in (
        ("entity focal point", focal_point()),
        ("Member State focal point", state_focal_point()),
    ):
        reader = lambda user=user: user  # noqa: E731 -- the Page takes a callable
        yield Page(f"projects: matrix by entity and pillar ({who})", reverse("projects:matrix"),
                   user=reader, data=data, target_ms=100)  # fmt: skip
        yield Page(f"projects: matrix by country and theme ({who})", reverse("projects:matrix_countries"),
                   user=reader, data=data, target_ms=100)  # fmt: skip
        yield Page(f"projects: list with three filters and facet counts ({who})",
                   reverse("projects:list") + three_filters, user=reader, data=data, target_ms=50)  # fmt: skip
        yield Page(f"API: projects with three filters, first page ({who})",
                   reverse("api:projects-project-list") + three_filters, user=reader, data=data,
                   target_ms=50)  # fmt: skip
        if sample is not None:
            yield Page(f"projects: a project ({who})", sample.get_absolute_url(), user=reader, data=data)
        yield Page(f"projects: map data by country, all projects ({who})", reverse("projects:map_data"),
                   user=reader, data=data, target_ms=50)  # fmt: skip
        yield Page(f"projects: map data by country with three filters ({who})",
                   reverse("projects:map_data") + three_filters, user=reader, data=data, target_ms=50)  # fmt: skip
    yield Page("projects: CSV export of a list with three filters (entity focal point)",
               reverse("projects:export") + three_filters + "&format=csv", user=focal_point, data=data)  # fmt: skip
    pairs = f"{data}, {ProjectOverlap.objects.count():,} possible overlaps"
    yield Page("projects: overlap report (Secretariat)", reverse("projects:overlaps"), user=secretariat_member,
               data=pairs, target_ms=300)  # fmt: skip
    pair = ProjectOverlap.objects.filter(first__visibility="platform", second__visibility="platform").first()
    if pair is not None:
        yield Page("projects: a project with its overlaps (Secretariat)", pair.first.get_absolute_url(),
                   user=secretariat_member, data=pairs)  # fmt: skip

    # Each run takes tens of seconds: three runs, whatever --runs says.
    importer = focal_point()
    lead = importer.memberships.filter(ended_at__isnull=True).select_related("organization").first()
    content = import_csv(scale.import_rows, lead=lead.organization.name)
    yield Query(
        f"projects: spreadsheet import of {scale.import_rows:,} rows (read, check, stage, check, save, index)",
        run=lambda: spreadsheet_import(importer, content), data=data, target_ms=60_000, max_runs=3,
    )  # fmt: skip


def import_csv(rows: int, lead: str = "UNODC") -> bytes:
    """A spreadsheet of ``rows`` valid projects of ``lead``, as an entity would fill the template: spread
    over the Member States and the themes, as a portfolio is (10,000 projects in the same two countries on
    the same theme would make every row a candidate overlap of every other, a portfolio no entity has)."""
    from core.tables import csv_bytes

    states = list(
        Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE)
        .exclude(iso3="")
        .values_list("iso3", flat=True)
    )
    themes = list(ThematicArea.objects.filter(is_active=True).values_list("name", flat=True))

    header = ["Title", "Code", "Lead entity", "Partner entities", "Pillars", "Themes", "Countries", "Start",
              "End", "Status", "Budget", "Currency", "USD rate", "Rate date", "Donors", "SDG targets",
              "Description"]  # fmt: skip
    lines = (
        [f"Imported project {n}: border security and criminal justice", f"IMPORT-{n}", lead, "UNDP; INTERPOL",
         "2; 4", themes[n % len(themes)], f"{states[n % len(states)]}; {states[(n * 7 + 3) % len(states)]}",
         "2025-01-01", "2027-12-31", "ongoing",
         str(100_000 + n), "EUR", "1.085", "2025-01-02", "DEU", "16.4; 16.a",
         "Training, equipment and legislative advice with national authorities."]
        for n in range(rows)
    )  # fmt: skip
    return csv_bytes(header, lines)


def spreadsheet_import(user, content: bytes) -> int:
    """Read, check, stage and save a spreadsheet as the import pages do, in a transaction rolled back
    afterwards (so that every run imports the same rows); the number of projects it added."""
    import pghistory
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects.imports import spreadsheet, staging
    from projects.imports.rows import COLUMNS

    # The import pages run under the audit context of their request (pghistory's middleware).
    with transaction.atomic(), pghistory.context(user=user.pk, url="/projects/import/"):
        table = spreadsheet.read_table(
            SimpleUploadedFile("bench.csv", content), name="bench.csv", columns=COLUMNS
        )
        staged = staging.stage_spreadsheet(by=user, filename="bench.csv", table=table, visibility="platform")
        saved = staging.save(staged=staged, by=user)
        transaction.set_rollback(True)
    if saved.invalid or saved.created != len(table.rows):
        raise RuntimeError(f"the bench import saved {saved.created} of {len(table.rows)} rows")
    return saved.created
