"""The directory API's URLs in the permission matrix (see tests/permission_matrix.py); the rows of the
directory pages are in tests/permission_matrix.py itself.

Every signed-in person reads the directory (people, organisations, Working Groups, pillars), an outsider
without a role included, as on its pages. The world adds what nobody may read there: a person whose email
and phones are for herself only (listed, her details absent for every role) and a deactivated organisation
(absent from the list; its detail a 404 for all but the Secretariat, which administers it, as its page).
Inactive people and people without an organisation are tests/directory/test_api.py's."""

from __future__ import annotations

from directory.models import ContactVisibility, Organization, Pillar, Profile
from directory.people import refresh_search_index
from tests import permission_matrix as pm

PRIVATE_EMAIL = "paula.private@example.org"
PRIVATE_PHONE = "+1 212 555 0199"
CLOSED_NAME = "Deactivated organisation of the matrix"


def build(world) -> None:
    paula = world.make_user(PRIVATE_EMAIL, organization=pm.org("state:FRA"), full_name="Paula Private")
    Profile.objects.update_or_create(
        user=paula,
        defaults={
            "phone_office": PRIVATE_PHONE,
            "email_visibility": ContactVisibility.PRIVATE,
            "phone_visibility": ContactVisibility.PRIVATE,
        },
    )
    refresh_search_index([paula.pk])
    world.extra["private_person"] = paula
    world.extra["closed_organization"] = Organization.objects.create(
        kind="other", name=CLOSED_NAME, is_active=False
    )


def _pk(name: str):
    return lambda w: {"pk": w.extra[name].pk}


def _hides(text: str) -> dict[str, str]:
    return dict.fromkeys(pm.SIGNED_IN, text)


ROWS: list = [
    pm.Row("api:directory-person-list", pm.everyone(200, anonymous=401), hidden=_hides(PRIVATE_EMAIL)),
    pm.Row(
        "api:directory-person-detail",
        pm.everyone(200, anonymous=401),
        kwargs=_pk("private_person"),
        hidden=_hides(PRIVATE_PHONE),
    ),
    pm.Row("api:directory-organization-list", pm.everyone(200, anonymous=401), hidden=_hides(CLOSED_NAME)),
    pm.Row(
        "api:directory-organization-detail",
        pm.everyone(404, anonymous=401, secretariat=200),
        kwargs=_pk("closed_organization"),
    ),
    pm.Row("api:directory-working-group-list", pm.everyone(200, anonymous=401)),
    pm.Row(
        "api:directory-working-group-detail",
        pm.everyone(200, anonymous=401),
        kwargs=lambda w: {"pk": w.working_group.pk},
    ),
    pm.Row("api:directory-pillar-list", pm.everyone(200, anonymous=401)),
    pm.Row(
        "api:directory-pillar-detail",
        pm.everyone(200, anonymous=401),
        kwargs=lambda w: {"pk": Pillar.objects.get(number=1).pk},
    ),
]
POST_ROWS: list = []
