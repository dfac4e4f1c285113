"""Requests for support in the permission matrix (see tests/permission_matrix.py).

Kenya (focal_b's) asks; its requests are for Kenya only, addressed by name to UNODC (focal_a's) and CTED
(wg_chair's), which therefore read them and may offer help; UNDP (org_admin's), the Secretariat and the
outsider see nothing of them (404, and no title in the list). Only Kenya's people ask (403 for everyone else),
accept an offer and change the status (403 for the entities that read the request). Projects are linked by
Kenya and, once its offer is accepted, by UNODC — CTED, whose offer was not accepted, may not (403).
"""

from __future__ import annotations

from directory.access import Visibility
from projects.models import ThematicArea
from support import services
from support.forms import RequestForm
from support.models import Offer, ProjectLink, RequestStatus, SupportRequest
from tests import permission_matrix as pm
from tests.projects.conftest import make_project

TITLE = "Kenya asks for help with passenger data systems"
ASKED = "Asked through the permission matrix"
OFFERED = "Offered through the permission matrix"
READERS = {"focal_b": 200, "focal_a": 200, "wg_chair": 200}
HIDDEN_FROM = ("outsider", "org_admin", "secretariat")
ASKER_ONLY = {"focal_b": 200, "focal_a": 403, "wg_chair": 403}


def _theme() -> ThematicArea:
    return ThematicArea.objects.get_or_create(name="Border management and law enforcement")[0]


def _ask(world, title: str) -> SupportRequest:
    kenya = world.users["focal_b"]
    form = RequestForm(
        {
            "title": title,
            "description": "Advance passenger information at the main airports.",
            "theme": _theme().pk,
            "owner": pm.org("state:KEN").pk,
            "visibility": Visibility.OWNER,
            "addressed_entities": [pm.org("entity:UNODC").pk, pm.org("entity:CTED").pk],
        },
        user=kenya,
    )
    assert form.is_valid(), form.errors
    return services.ask(form=form, by=kenya)


def _offer(world, request: SupportRequest, key: str, role: str) -> Offer:
    return services.offer_support(request, organization=pm.org(key), text="Two experts", by=world.users[role])


def build(world) -> None:
    world.extra["support_request"] = _ask(world, TITLE)
    offered = _ask(world, f"{TITLE} (offered)")
    world.extra["support_offer"] = _offer(world, offered, "entity:UNODC", "focal_a")
    _offer(world, offered, "entity:CTED", "wg_chair")
    agreed = _ask(world, f"{TITLE} (agreed)")
    accepted = _offer(world, agreed, "entity:UNODC", "focal_a")
    _offer(world, agreed, "entity:CTED", "wg_chair")
    services.accept_offer(agreed, offer=accepted, by=world.users["focal_b"])
    world.extra.update(
        support_offered=offered,
        support_agreed=agreed,
        support_to_close=_ask(world, f"{TITLE} (to close)"),
        support_project=_project(),
    )


def _project():
    """A project Kenya and UNODC may link (CTED's, shared with them: no other app's list gains a row)."""
    project = make_project(
        "Border management in East Africa", lead="entity:CTED", visibility=Visibility.ORGANIZATIONS
    )
    project.audience_organizations.add(pm.org("state:KEN"), pm.org("entity:UNODC"))
    return project


def _status_is(name: str, status: str):
    return lambda w: SupportRequest.objects.filter(pk=w.extra[name].pk, status=status).exists()


ROWS = [
    pm.Row("support:list", pm.everyone(200), hidden=dict.fromkeys(HIDDEN_FROM, TITLE)),
    pm.Row("support:new", pm.everyone(403, focal_b=200)),
    pm.Row("support:detail", pm.everyone(404, **READERS), kwargs=pm.pk_of("support_request")),
    pm.Row(
        "support:offer",
        pm.everyone(404, **{**READERS, "focal_b": 403}),
        kwargs=pm.pk_of("support_request"),
    ),
    pm.Row("support:accept", pm.everyone(404, **ASKER_ONLY), kwargs=pm.pk_of("support_offered")),
    pm.Row("support:status", pm.everyone(404, **ASKER_ONLY), kwargs=pm.pk_of("support_request")),
    # linking: the asker, and the organisation whose offer was accepted (UNODC), not CTED's declined one
    pm.Row(
        "support:link",
        pm.everyone(404, **{**ASKER_ONLY, "focal_a": 200}),
        kwargs=pm.pk_of("support_agreed"),
    ),
    # the API: the same readers, a 401 instead of the sign-in page
    pm.Row(
        "api:support-request-list", pm.everyone(200, anonymous=401), hidden=dict.fromkeys(HIDDEN_FROM, TITLE)
    ),
    pm.Row(
        "api:support-request-detail",
        pm.everyone(404, anonymous=401, **READERS),
        kwargs=pm.pk_of("support_request"),
    ),
]

POST_ROWS = [
    pm.PostRow(
        "support:new",
        pm.everyone(403, focal_b=pm.DONE),
        data=lambda w: {
            "title": ASKED,
            "description": "Forensic laboratory equipment",
            "theme": _theme().pk,
            "owner": pm.org("state:KEN").pk,
            "visibility": Visibility.COMPACT,
        },
        done=lambda w: SupportRequest.objects.filter(title=ASKED).exists(),
    ),
    pm.PostRow(
        "support:offer",
        pm.everyone(404, **{**READERS, "focal_b": 403, "focal_a": pm.DONE, "wg_chair": pm.DONE}),
        kwargs=pm.pk_of("support_request"),
        data=lambda w: {"text": OFFERED},
        done=lambda w: Offer.objects.filter(request=w.extra["support_request"], text=OFFERED).exists(),
    ),
    pm.PostRow(
        "support:accept",
        pm.everyone(404, **{**ASKER_ONLY, "focal_b": pm.DONE}),
        kwargs=pm.pk_of("support_offered"),
        data=lambda w: {"offer": w.extra["support_offer"].pk},
        done=_status_is("support_offered", RequestStatus.AGREED),
    ),
    pm.PostRow(
        "support:status",
        pm.everyone(404, **{**ASKER_ONLY, "focal_b": pm.DONE}),
        kwargs=pm.pk_of("support_to_close"),
        data=lambda w: {"to": RequestStatus.CLOSED, "reason": "Funded bilaterally"},
        done=_status_is("support_to_close", RequestStatus.CLOSED),
    ),
    pm.PostRow(
        "support:link",
        pm.everyone(404, **{**ASKER_ONLY, "focal_b": pm.DONE, "focal_a": pm.DONE}),
        kwargs=pm.pk_of("support_agreed"),
        data=lambda w: {"projects": [w.extra["support_project"].pk]},
        done=lambda w: ProjectLink.objects.filter(request=w.extra["support_agreed"]).exists(),
    ),
]
