"""seed_demo's requests for support, as their readers see them, and a second run that changes nothing."""

from __future__ import annotations

import pytest

from projects import demo as projects_demo
from support import demo as support_demo
from support.models import RequestStatus, SupportRequest
from tests.conftest import seed

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_an_offered_and_an_agreed_request(compact):
    run = seed(projects_demo, support_demo)
    support_demo.seed(run)  # a second run adds nothing
    current = SupportRequest.objects.get(title=support_demo.CURRENT[0])
    older = SupportRequest.objects.get(title=support_demo.OLDER[0])
    assert SupportRequest.objects.count() == 2
    assert current.status == RequestStatus.OFFERS
    assert current.addressed_working_group.number == 2
    assert older.status == RequestStatus.AGREED
    assert older.projects.count() == 1
    assert older.created_at < current.created_at
    # UNODC and the WG chair (CTED) read the Compact-wide one; the regional organisation's people do not
    for role in ("entity_focal_point", "wg_chair", "state_focal_point"):
        assert SupportRequest.objects.visible_to(run.users[role]).filter(pk=current.pk).exists()
    assert not SupportRequest.objects.visible_to(run.users["regional_focal_point"]).exists()
    assert not SupportRequest.objects.visible_to(run.users["wg_chair"]).filter(pk=older.pk).exists()
