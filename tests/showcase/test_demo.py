"""seed_demo gives the public pages something to show: public projects, a public Appeal project with
funding, a public event and two public documents."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from appeal import demo as appeal_demo
from appeal import selectors as appeal_selectors
from calendar_app import demo as calendar_demo
from calendar_app.selectors import upcoming_for
from library import demo as library_demo
from library.selectors import resources_for
from projects import demo as projects_demo
from projects.selectors import projects_for
from tests.conftest import seed


def test_the_demo_shows_something_on_every_public_page(compact):
    seed(library_demo, calendar_demo, projects_demo, appeal_demo)
    visitor = AnonymousUser()
    assert projects_for(visitor).count() > 10
    # two documents of the demo's list, each in the editions the demo draws for it
    assert {resource.title.split(" (")[0] for resource in resources_for(visitor)} == {
        "Gender dimensions of counter-terrorism: lessons learned",
        "Victims of terrorism: standards for support and assistance",
    }
    assert [occurrence.event.title for occurrence in upcoming_for(visitor)] == ["UN Counter-Terrorism Week"]
    public_appeal = appeal_selectors.appeal_projects_found(visitor)
    assert public_appeal.exists()
    assert appeal_selectors.overall(visitor).funding > 0
