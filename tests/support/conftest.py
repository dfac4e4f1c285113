"""The support tests' world: Kenya's focal point (ken_person) asks; UNODC's (unodc_person) and CTED's
(chair, CTED chairs Working Group 2) offer; a request made as the asking page makes it (``ask``)."""

from __future__ import annotations

import pytest

from directory.access import Visibility
from projects.models import ThematicArea
from support import services
from support.forms import RequestForm
from support.models import SupportRequest
from tests.conftest import organization, wg

THEME = "Border management and law enforcement"


def theme() -> ThematicArea:
    return ThematicArea.objects.get_or_create(name=THEME)[0]


def ask(
    by,
    *,
    title: str = "Passenger data systems at Nairobi airport",
    visibility: str = Visibility.OWNER,
    group=None,
    entities=(),
    audience=(),
    owner: str = "state:KEN",
) -> SupportRequest:
    """A request asked through its form and service, as the "Ask for support" page does."""
    data = {
        "title": title,
        "description": "We need help to set up advance passenger information.",
        "theme": theme().pk,
        "owner": organization(owner).pk,
        "visibility": visibility,
        "addressed_working_group": group.pk if group else "",
        "addressed_entities": [organization(key).pk for key in entities],
        "audience_organizations": [organization(key).pk for key in audience],
    }
    form = RequestForm(data, user=by)
    assert form.is_valid(), form.errors
    return services.ask(form=form, by=by)


@pytest.fixture
def kenya_request(ken_person) -> SupportRequest:
    """Kenya's request, for Kenya only, addressed to UNODC."""
    return ask(ken_person, entities=["entity:UNODC"])


@pytest.fixture
def wg2_request(ken_person) -> SupportRequest:
    """Kenya's request, for Kenya only, addressed to Working Group 2 (CTED chairs, UNODC vice-chairs it)."""
    return ask(ken_person, title="Border management training", group=wg(2))
