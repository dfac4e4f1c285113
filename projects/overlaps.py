"""Finding where projects of different entities may duplicate each other — the reason the Compact keeps a
matrix of projects at all.

Two projects are a possible overlap when
- their lead entities differ (an entity coordinates its own portfolio itself),
- they share a theme,
- they share a beneficiary country, or are both global (a global project is not counted against every
  country project: it would flag most of the portfolio and hide the pairs worth a conversation),
- they run at the same time: each starts before the other ends. A project that ends the day another
  starts hands over to it and does not overlap it. A missing start or end is open: a project without an
  end runs on.
- neither is cancelled (a cancelled project has no overlap keys, see projects.indexing).

The pairs are stored (``ProjectOverlap``) and kept current by ``refresh``, which projects.indexing runs
after every write; a verdict given to a pair stays as long as the pair overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

# One statement: the pairs of the changed projects that overlap now (found through the GIN index on
# overlap_keys), the stored pairs of those projects that no longer do deleted, the new ones added. Both
# parts read the same snapshot, so a pair is never deleted and re-added (its verdict is kept).
REFRESH = """
WITH found AS (
    SELECT DISTINCT least(a.id, b.id) AS first_id, greatest(a.id, b.id) AS second_id
    FROM projects_project a
    JOIN projects_project b ON b.overlap_keys && a.overlap_keys AND b.owner_id <> a.owner_id
    WHERE a.id = ANY(%s)
      AND (a.start IS NULL OR b."end" IS NULL OR a.start < b."end")
      AND (b.start IS NULL OR a."end" IS NULL OR b.start < a."end")
),
gone AS (
    DELETE FROM projects_projectoverlap o
    WHERE (o.first_id = ANY(%s) OR o.second_id = ANY(%s))
      AND NOT EXISTS (SELECT FROM found f WHERE f.first_id = o.first_id AND f.second_id = o.second_id)
)
INSERT INTO projects_projectoverlap (first_id, second_id, verdict, note, found_at)
SELECT first_id, second_id, 'possible', '', now() FROM found
ON CONFLICT (first_id, second_id) DO NOTHING
"""


def refresh(project_ids: Iterable[int]) -> None:
    """Bring the stored overlaps of these projects up to date with their current fields."""
    ids = list(project_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(REFRESH, [ids, ids, ids])  # positional: see projects.indexing
