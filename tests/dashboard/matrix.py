"""The dashboard's URLs in the permission matrix (see tests/permission_matrix.py); the landing page and the
home are in the matrix's own rows.

The statistics and their export are the Secretariat's: everyone else signed in gets a 403, as on every page
of the Secretariat's administration. Neither takes a POST.
"""

from __future__ import annotations

from tests import permission_matrix as pm


def build(world) -> None:
    """Nothing of its own: the statistics count what the other apps' rows made."""


ROWS = [
    pm.Row("dashboard:statistics", pm.secretariat_only(), hidden={"secretariat": pm.PRIVATE_TITLE}),
    pm.Row("dashboard:statistics_export", pm.secretariat_only()),
]

POST_ROWS: list = []
