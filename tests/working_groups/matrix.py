"""The working_groups URLs in the permission matrix (see tests/permission_matrix.py).

A Working Group's page is no secret on the platform (its content blocks come from each app's
``visible_to``); managing who takes part is for those who run the space: WG 2 is chaired by CTED
(wg_chair's organisation) with UNODC (focal_a's) a vice-chair, and the Secretariat administers
participation.
"""

from __future__ import annotations

from tests.permission_matrix import Row, everyone


def build(world) -> None:
    """Nothing to create: the matrix's Working Group is WG 2 (``world.working_group``)."""


def _group(world) -> dict:
    return {"pk": world.working_group.pk}


ROWS = [
    Row("working_groups:list", everyone(200)),
    Row("working_groups:home", everyone(200), kwargs=_group),
    Row("working_groups:members", everyone(403, focal_a=200, wg_chair=200, secretariat=200), kwargs=_group),
]
