"""Projects for the projects' tests, created as the lead entity's people would through the service's
index refresh (facet keys and search vector kept as the pages read them)."""

from __future__ import annotations

from decimal import Decimal

from directory.access import Visibility
from directory.models import Pillar
from projects import indexing, services
from projects.models import Project, ThematicArea
from tests.conftest import organization, wg


def theme(name: str) -> ThematicArea:
    """A thematic area (those of the migration, or one made for the test)."""
    return ThematicArea.objects.get_or_create(name=name)[0]


def make_project(title: str, lead: str = "entity:UNODC", visibility=Visibility.PLATFORM, **fields) -> Project:
    """A project of ``lead`` with its links (``pillars`` as numbers, ``themes`` as names, ``groups`` as
    Working Group numbers, ``donors`` and ``partners`` as reference keys) and its index refreshed."""
    links = {
        "pillars": [Pillar.objects.get(number=n) for n in fields.pop("pillars", ())],
        "themes": [theme(name) for name in fields.pop("themes", ())],
        "working_groups": [wg(n) for n in fields.pop("groups", ())],
        "donors": [organization(key) for key in fields.pop("donors", ())],
        "partners": [organization(key) for key in fields.pop("partners", ())],
    }
    for name in ("budget", "usd_rate"):
        if name in fields:
            fields[name] = Decimal(fields[name])
    project = Project(title=title, owner=organization(lead), visibility=visibility, **fields)
    project.budget_usd = services.budget_in_usd(project)
    project.save()
    for name, objects in links.items():
        getattr(project, name).set(objects)
    indexing.refresh([project.pk])
    return project
