"""An appeal project on the public pages: its lead entity's choice, only for a published appeal project of a
public project; withdrawn from publication, it leaves the public pages too."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from appeal import selectors, services
from appeal.models import AppealProject
from directory.access import Visibility
from tests.conftest import signed_in
from tests.pages import field_error
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db


def visitor_sees(appealed: AppealProject) -> bool:
    return AppealProject.objects.visible_to(AnonymousUser()).filter(pk=appealed.pk).exists()


def test_a_published_appeal_project_of_a_public_project_may_be_public(cycle, unodc_person):
    project = make_project("Public borders project", visibility=Visibility.PUBLIC)
    appealed = services.add_appeal_project(
        cycle=cycle, project=project, priorities=["border_security"], by=unodc_person, is_published=True,
        is_public=True,
    )  # fmt: skip
    assert visitor_sees(appealed)
    # withdrawn from publication, it leaves the public pages with it
    services.change_appeal_project(appealed, by=unodc_person, is_published=False)
    appealed.refresh_from_db()
    assert not appealed.is_public
    assert not visitor_sees(appealed)


@pytest.mark.parametrize(
    ("visibility", "published", "message"),
    [
        (Visibility.PLATFORM, True, "Make the project public first"),
        (Visibility.PUBLIC, False, "Publish the appeal project"),
    ],
)
def test_public_is_refused_otherwise(cycle, unodc_person, visibility, published, message):
    project = make_project("Borders project", visibility=visibility)
    with pytest.raises(ValidationError, match=message):
        services.add_appeal_project(
            cycle=cycle, project=project, priorities=["border_security"], by=unodc_person,
            is_published=published, is_public=True,
        )  # fmt: skip
    assert not AppealProject.objects.exists()


def test_the_edit_page_says_why_public_is_refused(cycle, unodc_person):
    project = make_project("Borders project", visibility=Visibility.PLATFORM)
    appealed = services.add_appeal_project(
        cycle=cycle, project=project, priorities=["border_security"], by=unodc_person, is_published=True
    )
    # when its lead asks for it on the public pages while its project is for signed-in readers only
    response = signed_in(unodc_person).post(
        f"/appeal/projects/{appealed.pk}/edit/",
        {"priorities": ["border_security"], "is_published": "on", "is_public": "on"},
    )
    # then the form says why, and nothing changed
    assert response.status_code == 200
    assert "Make the project public first" in field_error(response, "is_public")
    appealed.refresh_from_db()
    assert not appealed.is_public


def test_a_public_appeal_project_shows_no_pledge_to_a_visitor(cycle, secretariat, unodc_person):
    from appeal.models import Stage
    from tests.appeal.conftest import flow

    project = make_project("Public borders project", visibility=Visibility.PUBLIC)
    appealed = services.add_appeal_project(
        cycle=cycle, project=project, priorities=["border_security"], by=unodc_person, is_published=True,
        is_public=True,
    )  # fmt: skip
    flow(secretariat, cycle, "state:DEU", Stage.PLEDGE, "500", to=appealed)
    flow(secretariat, cycle, "state:DEU", Stage.COMMITMENT, "200", to=appealed)
    visitor = AnonymousUser()
    # the ledger: the commitment, never the pledge
    assert [f.stage for f in selectors.flows_for(visitor)] == [Stage.COMMITMENT]
    figures = selectors.overall(visitor)
    assert (figures.pledged, figures.funding) == (0, 200)
