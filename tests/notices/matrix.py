"""The notices API's URLs in the permission matrix (see tests/permission_matrix.py); the rows of the
notices pages are in tests/permission_matrix.py itself.

The API reads the world's notices: the owner-only notice of UNODC (focal_a's organisation) is a 404 for
every other role, the Secretariat included, and its title is absent from their lists. The API writes no
notice (read only: no write rows).
"""

from __future__ import annotations

from tests import permission_matrix as pm


def build(world) -> None:
    pass  # the world's own notices (tests/permission_matrix.py) are the ones read


ROWS = [
    pm.Row(
        "api:notice-list",
        pm.everyone(200, anonymous=401),
        hidden=dict.fromkeys(pm.NOT_OWNER, pm.PRIVATE_TITLE),
    ),
    pm.Row(
        "api:notice-detail",
        pm.everyone(200, anonymous=401, **pm.NOT_OWNER),
        kwargs=lambda w: {"pk": w.private_notice.pk},
    ),
]
POST_ROWS: list = []
