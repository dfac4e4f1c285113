"""The Member State pages' URLs in the permission matrix (see tests/permission_matrix.py).

The world holds Kenya's country profile, written by Kenya's focal point (focal_b). Every signed-in person who
may open Kenya's page (everyone signed in: it is active) reads its history and downloads its brief; only
Kenya's own people edit the profile — UNODC, CTED, UNDP's admin, the outsider and the Secretariat get a 403.
"""

from __future__ import annotations

from countries import services
from countries.models import CountryProfile
from tests import permission_matrix as pm

WRITTEN = "Kenya's priorities as its focal point wrote them for the matrix"


def build(world) -> None:
    kenya = pm.org("state:KEN")
    services.save_country_profile(
        organization=kenya, by=world.users["focal_b"], priorities=WRITTEN, challenges="", good_practices=""
    )
    world.extra["kenya"] = kenya


def _brief(format: str):
    return lambda w: {"pk": w.extra["kenya"].pk, "format": format}


ROWS = [
    pm.Row("countries:edit", pm.everyone(403, focal_b=200), kwargs=pm.pk_of("kenya")),
    pm.Row("countries:history", pm.everyone(200), kwargs=pm.pk_of("kenya")),
    pm.Row("countries:brief", pm.everyone(200), kwargs=_brief("pdf")),
    # the API: every signed-in person opens Kenya's page (its numbers are theirs: tests/countries/test_api.py)
    pm.Row("api:countries-country-list", pm.everyone(200, anonymous=401)),
    pm.Row("api:countries-country-detail", pm.everyone(200, anonymous=401), kwargs=pm.pk_of("kenya")),
]

POST_ROWS = [
    pm.PostRow(
        "countries:edit",
        pm.everyone(403, focal_b=pm.DONE),
        kwargs=pm.pk_of("kenya"),
        data=lambda w: {"priorities": pm.EDITED, "challenges": "Porous borders.", "good_practices": ""},
        done=lambda w: CountryProfile.objects.filter(priorities=pm.EDITED).exists(),
    ),
]
