"""The public pages in the permission matrix (see tests/permission_matrix.py): every role, the anonymous
identity first, opens them (200) and none of them shows a restricted item — the world's owner-only project,
event and resource of UNODC, whose titles start with ``RESTRICTED`` — to anyone, UNODC's own focal point
included: the public pages read as a visitor whoever asks. They accept no POST."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from directory.access import Visibility
from library.models import Resource
from tests import permission_matrix as pm
from tests.calendar_app.conftest import make_event
from tests.projects.conftest import make_project

RESTRICTED = "Restricted showcase item"
PUBLIC = "Public showcase item"


def build(world) -> None:
    soon = timezone.now() + timedelta(days=7)
    # the public items are IOM's (nobody's here: other apps' rows count UNODC's); the restricted ones UNODC's
    for key, visibility, prefix in (
        ("entity:IOM", Visibility.PUBLIC, PUBLIC),
        ("entity:UNODC", Visibility.OWNER, RESTRICTED),
    ):
        make_project(f"{prefix}: project", lead=key, visibility=visibility, countries=["KEN"])
        make_event(pm.org(key), visibility, title=f"{prefix}: event", start=soon)
        Resource.objects.create(
            title=f"{prefix}: resource", resource_type="report", owner=pm.org(key), visibility=visibility
        )


def _open_to_all() -> dict:
    return pm.everyone(200, anonymous=200)


HIDDEN = dict.fromkeys(pm.ROLES, RESTRICTED)

ROWS = [
    pm.Row(name, _open_to_all(), hidden=HIDDEN)
    for name in (
        "showcase:projects",
        "showcase:map_data",
        "showcase:appeal",
        "showcase:events",
        "showcase:library",
    )
]
POST_ROWS: list = []
