"""The one form renderer: every widget styled for what it is, tick-box groups as real choices, long lists
searchable — decided in one place for every form of the platform."""

from __future__ import annotations

import re

from library.forms import ResourceForm
from tests.conftest import organization


def rendered(form, name: str) -> str:
    return str(form[name])


def test_a_group_of_tick_boxes_is_a_group_of_choices_not_one_box(compact, make_user):
    # given the resource form's pillars and languages (the form people found broken)
    form = ResourceForm(user=make_user("a@unodc.example.org", organization=organization("entity:UNODC")))
    for name in ("pillars", "languages"):
        html = rendered(form, name)
        # then the wrapper is a choice group, never styled as an input itself
        wrapper = re.match(r"<div[^>]*>", html).group(0)
        assert 'class="choice-group"' in wrapper
        assert "form-check-input" not in wrapper
        # and each choice is a .form-check with its own input and clickable label
        assert html.count('<div class="form-check">') == html.count('type="checkbox"') > 0
        for input_id in re.findall(r'<input[^>]*id="([^"]+)"', html):
            assert f'<label class="form-check-label" for="{input_id}">' in html


def test_long_lists_are_searchable_and_short_ones_are_not(compact, make_user):
    form = ResourceForm(user=make_user("a@unodc.example.org", organization=organization("entity:UNODC")))
    for name in ("countries", "author_organizations", "audience_organizations", "owner"):
        assert "data-searchable" in rendered(form, name), name
    for name in ("resource_type", "visibility", "working_group"):
        assert "data-searchable" not in rendered(form, name), name


def test_fields_added_after_the_form_is_built_are_styled_too(compact, make_user):
    # the event form replaces its country and time-zone fields in __init__
    from calendar_app.forms import EventForm

    form = EventForm(user=make_user("a@unodc.example.org", organization=organization("entity:UNODC")))
    assert 'class="form-select"' in rendered(form, "time_zone")
    assert "form-control" in rendered(form, "start_date")
