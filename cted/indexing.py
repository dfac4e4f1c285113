"""Keeping the recommendations' search vector and facet keys current, in one set-based statement run after
every write that changes what they hold (cted.services), and by the demo and the bench for their bulk rows.

Facet keys: "state:<organisation id>", "region:<regional group>", "theme:<id>", "priority:yes|no",
"assistance:<status>", "implementation:<status>", "entity:<organisation id>" (each entity that could
deliver), "year:<the visit's year>", "visit:<visit type>".

Facet counts depend on who asks (consent): their cache key holds the reader (cted.selectors), and every write
that changes who sees what — a consent, its withdrawal, a release level — lets them go (``COUNTS.forget``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from core.facets import CountCache

COUNTS = CountCache("cted")

REFRESH = """
UPDATE cted_recommendation AS r
SET search_vector = setweight(to_tsvector('english', r.text), 'A')
        || setweight(to_tsvector('english', coalesce(
            (SELECT t.name FROM projects_thematicarea t WHERE t.id = r.theme_id), ''
        ) || ' ' || s.name || ' ' || s.acronym), 'B'),
    visit_start = a.visit_start,
    facet_keys = ARRAY(
        SELECT DISTINCT k FROM (
            SELECT 'state:' || a.state_id
            UNION ALL SELECT 'region:' || s.region WHERE s.region <> ''
            UNION ALL SELECT 'theme:' || r.theme_id WHERE r.theme_id IS NOT NULL
            UNION ALL SELECT 'priority:' || CASE WHEN r.is_priority THEN 'yes' ELSE 'no' END
            UNION ALL SELECT 'assistance:' || r.assistance_status
            UNION ALL SELECT 'implementation:' || r.implementation_status
            UNION ALL SELECT 'year:' || extract(year FROM a.visit_start)::int
            UNION ALL SELECT 'visit:' || a.visit_type
            UNION ALL SELECT 'entity:' || x.organization_id FROM cted_recommendation_entities x
                      WHERE x.recommendation_id = r.id
        ) keys(k) ORDER BY k
    )
FROM cted_assessment AS a
JOIN directory_organization AS s ON s.id = a.state_id
WHERE a.id = r.assessment_id AND r.id = ANY(%s)
"""


def refresh(recommendation_ids: Iterable[int]) -> None:
    """Recompute the search vector and facet keys of these recommendations (one statement), and let the
    cached facet counts go."""
    ids = list(recommendation_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(REFRESH, [ids])
    forget_counts()


def forget_counts() -> None:
    """Let the cached counts go now (this request reads its own writes) and again at commit (a reader who
    counted in between, before the write was visible, cached the old figures under the new version)."""
    COUNTS.forget()
    transaction.on_commit(COUNTS.forget)


def refresh_assessment(assessment_id: int) -> None:
    """Recompute every recommendation of an assessment (its visit's facts are in their keys)."""
    from cted.models import Recommendation

    refresh(Recommendation.objects.filter(assessment_id=assessment_id).values_list("pk", flat=True))
