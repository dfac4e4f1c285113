"""The library's part of the home: new documents in a person's themes, and their organisation's resources
not updated for a while."""

from datetime import timedelta

from django.utils import timezone

from directory.access import Visibility
from directory.models import Pillar
from library import indexing, services
from library.models import Resource
from library.selectors import new_in_themes, stale_of
from tests.conftest import organization, wg


def resource(title, owner="entity:UNODC", **fields) -> Resource:
    pillars = fields.pop("pillars", ())
    made = Resource.objects.create(
        owner=organization(owner), visibility=fields.pop("visibility", Visibility.PLATFORM), title=title,
        resource_type="guidance", **fields,
    )  # fmt: skip
    made.pillars.set(pillars)
    indexing.refresh([made.pk])
    return made


def test_new_documents_match_a_theme_a_pillar_or_a_working_group_and_are_recent(ken_person):
    pillar = Pillar.objects.get(number=1)
    resource("Tagged", tags=["Victims"])
    resource("In pillar I", pillars=[pillar])
    resource("Of WG 2", working_group=wg(), visibility=Visibility.PLATFORM)
    old = resource("Old but tagged", tags=["victims"])
    Resource.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))

    assert [r.title for r in new_in_themes(ken_person, tags=["victims"])] == ["Tagged"]
    assert [r.title for r in new_in_themes(ken_person, pillar_ids=[pillar.pk])] == ["In pillar I"]
    assert [r.title for r in new_in_themes(ken_person, working_group_ids=[wg().pk])] == ["Of WG 2"]
    assert new_in_themes(ken_person) == []  # no theme: nothing (and no query)


def test_stale_resources_are_the_owners_and_never_in_the_trash(unodc_person, ken_person, settings):
    kept = resource("Kept")
    trashed = resource("Trashed")
    services.trash(resource=trashed, by=unodc_person)
    Resource.objects.update(updated_at=timezone.now() - timedelta(days=366))

    found = stale_of(unodc_person)
    assert (found.count, [row.label for row in found.oldest]) == (1, ["Kept"])
    assert found.oldest[0].url == f"/library/{kept.pk}/edit/"
    assert stale_of(ken_person).count == 0  # Kenya reads it, does not own it
    settings.FRESHNESS_DAYS = {**settings.FRESHNESS_DAYS, "library": 400}
    assert stale_of(unodc_person).count == 0
