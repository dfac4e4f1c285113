"""Keeping the projects' search vector and facet keys current, in one set-based statement run after every
write (projects.services) and by the demo and the bench for their bulk rows.

Facet keys: "lead:<owner id>", "partner:<organisation id>", "donor:<organisation id>", "pillar:<id>",
"wg:<id>", "theme:<id>", "country:<ISO3>", "region:<M49 code or 'global'>", "status:<status>",
"sdg:<target>", "year:<each calendar year the project runs in>" (at most the first 50).

Overlap keys: "<theme id>:<ISO3>" for each theme and beneficiary country, "<theme id>:*" for each theme of
a global project; none for a cancelled project. Two projects can overlap only if they share one
(projects.overlaps, run right after).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from core.facets import CountCache
from projects import overlaps

#: Facet counts depend on who asks (the audience): keys include the reader's audience (projects.selectors).
COUNTS = CountCache("projects")

#: A project's places, in SQL: its beneficiary countries' codes, and "*" if it is global.
PLACES = "p.countries || CASE WHEN p.is_global THEN ARRAY['*'] ELSE ARRAY[]::varchar[] END"

REFRESH = f"""
UPDATE projects_project AS p
SET search_vector = setweight(to_tsvector('english', p.title || ' ' || p.code), 'A')
        || setweight(to_tsvector('english', p.implementing_partners), 'B')
        || setweight(to_tsvector('english', p.description || ' ' || p.expected_results), 'C'),
    facet_keys = ARRAY(
        SELECT DISTINCT k FROM (
            SELECT 'lead:' || p.owner_id
            UNION ALL SELECT 'status:' || p.status
            UNION ALL SELECT 'region:global' WHERE p.is_global
            UNION ALL SELECT 'region:' || r FROM unnest(p.regions) r
            UNION ALL SELECT 'country:' || c FROM unnest(p.countries) c
            UNION ALL SELECT 'sdg:' || t FROM unnest(p.sdg_targets) t
            UNION ALL SELECT 'year:' || y FROM generate_series(
                extract(year FROM p.start)::int,
                least(extract(year FROM coalesce(p.end, p.start))::int, extract(year FROM p.start)::int + 49)
            ) y WHERE p.start IS NOT NULL
            UNION ALL SELECT 'partner:' || x.organization_id FROM projects_project_partners x
                      WHERE x.project_id = p.id
            UNION ALL SELECT 'donor:' || x.organization_id FROM projects_project_donors x
                      WHERE x.project_id = p.id
            UNION ALL SELECT 'pillar:' || x.pillar_id FROM projects_project_pillars x
                      WHERE x.project_id = p.id
            UNION ALL SELECT 'wg:' || x.workinggroup_id FROM projects_project_working_groups x
                      WHERE x.project_id = p.id
            UNION ALL SELECT 'theme:' || x.thematicarea_id FROM projects_project_themes x
                      WHERE x.project_id = p.id
        ) keys(k) ORDER BY k
    ),
    overlap_keys = CASE WHEN p.status = 'cancelled' THEN ARRAY[]::varchar[] ELSE ARRAY(
        SELECT DISTINCT x.thematicarea_id || ':' || place
        FROM projects_project_themes x
        CROSS JOIN unnest({PLACES}) AS places(place)
        WHERE x.project_id = p.id ORDER BY 1
    ) END
WHERE p.id = ANY(%s)
"""  # noqa: S608 -- formatted with this module's constant only


def refresh(project_ids: Iterable[int]) -> None:
    """Recompute the search vector, facet and overlap keys of these projects (one statement) and their
    overlaps with every other project (one more), and let the cached facet counts go."""
    ids = list(project_ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(REFRESH, [ids])  # positional: pgtrigger.ignore (the bench) prepends a parameter
    overlaps.refresh(ids)
    COUNTS.forget()
