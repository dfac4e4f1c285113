"""``projects.selectors.stale_of``: the lead entity's ongoing projects not updated for a while."""

from datetime import timedelta

from django.utils import timezone

from projects.models import Project, ProjectStatus
from projects.selectors import stale_of
from tests.projects.conftest import make_project


def test_only_ongoing_projects_of_the_persons_entity_go_stale(unodc_person, member, settings):
    ongoing = make_project("Ongoing", status=ProjectStatus.ONGOING)
    make_project("Pipeline", status=ProjectStatus.PIPELINE)
    make_project("Of UNDP", lead="entity:UNDP", status=ProjectStatus.ONGOING)
    Project.objects.update(updated_at=timezone.now() - timedelta(days=181))

    found = stale_of(unodc_person)
    assert [row.label for row in found.oldest] == ["Ongoing"]
    assert found.oldest[0].url == f"/projects/{ongoing.pk}/edit/"
    assert [row.label for row in stale_of(member).oldest] == ["Of UNDP"]
    settings.FRESHNESS_DAYS = {**settings.FRESHNESS_DAYS, "projects": 365}
    assert stale_of(unodc_person).count == 0
