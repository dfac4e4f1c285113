"""The API's own URLs in the permission matrix (see tests/permission_matrix.py): its schema and reference
pages (for signed-in people and tokens), and the pages where a person manages their tokens — only ever
their own: someone else's token is a 404, like one that does not exist."""

from __future__ import annotations

from django.utils import timezone

from api import services
from api.models import AccessToken
from tests import permission_matrix as pm

TOKEN_NAME = "Token made through the permission matrix"


def build(world) -> None:
    world.extra["token_of_focal_a"] = services.issue_token(
        user=world.users["focal_a"], name="focal_a's token", scopes=["library:read"],
        expires_at=timezone.now() + timezone.timedelta(days=30),
    ).token  # fmt: skip


ROWS = [
    pm.Row("api:schema", pm.everyone(200, anonymous=401)),
    pm.Row("api:docs", pm.everyone(200, anonymous=401)),
    pm.Row("tokens:list", pm.everyone(200)),
    pm.Row("tokens:new", pm.everyone(200)),
    pm.Row("tokens:revoke", pm.everyone(405), kwargs=pm.pk_of("token_of_focal_a")),
]

POST_ROWS = [
    pm.PostRow(
        "tokens:new",
        pm.everyone(pm.DONE),
        data=lambda w: {
            "name": TOKEN_NAME,
            "scope_library": "read",
            "expires_on": (timezone.localdate() + timezone.timedelta(days=10)).isoformat(),
        },  # fmt: skip
        done=lambda w: AccessToken.objects.filter(user=w.actor, name=TOKEN_NAME).exists(),
    ),
    pm.PostRow(
        "tokens:revoke",
        pm.everyone(404, focal_a=pm.DONE),
        kwargs=pm.pk_of("token_of_focal_a"),
        done=lambda w: AccessToken.objects.filter(
            pk=w.extra["token_of_focal_a"].pk, revoked_at__isnull=False
        ).exists(),
    ),
]
