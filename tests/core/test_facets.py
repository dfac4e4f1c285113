"""A faceted list's filters, rendered once and cached with their counts (core.facets.sidebar): served again
to the same reader, never to another reader or in another language, and rendered anew after any change to
the rows counted."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.utils import translation

from core.facets import CountCache, sidebar

COUNTS = CountCache("test-facets")


def facets_of(label: str):
    """A facet list as ``label_facets`` gives it, counting the calls that build it."""
    calls = []

    def build():
        calls.append(label)
        return [
            {
                "name": "theme",
                "label": "Thematic area",
                "chosen": "",
                "values": [("7", label, 3), ("8", "Other", 1)],
            }
        ]

    return build, calls


@pytest.fixture
def query():
    return QueryDict("q=border&page=2")


def test_the_same_reader_is_served_the_rendered_filters_from_the_cache(db, query):
    # given a reader whose filters were rendered once
    build, calls = facets_of("Border management")
    first = sidebar(COUNTS, ("reader-1",), query, build)
    # when the same reader opens the same search again (another page of it)
    again = sidebar(COUNTS, ("reader-1",), QueryDict("q=border&page=3"), build)
    # then nothing is built again, and the filters and counts are the same
    assert calls == ["Border management"]
    assert str(again.html) == str(first.html)
    assert again.counts == {"theme": {"7": 3, "8": 1}}
    # and each choice keeps the search's other filters, not its page
    assert 'href="?q=border&amp;theme=7"' in first.html


def test_another_reader_a_change_or_another_language_renders_anew(db, query):
    build, calls = facets_of("Border management")
    sidebar(COUNTS, ("reader-1",), query, build)
    # another reader never gets the first one's counts
    sidebar(COUNTS, ("reader-2",), query, build)
    # another language gets its own rendering
    with translation.override("fr"):
        sidebar(COUNTS, ("reader-1",), query, build)
    # a change to the rows counted moves the version on: the next page renders anew
    COUNTS.forget()
    sidebar(COUNTS, ("reader-1",), query, build)
    assert len(calls) == 4


def test_labels_are_escaped_once_and_kept_safe_through_the_cache(db, query):
    # given a value whose name carries markup
    build, _calls = facets_of("<b>Borders</b> & ports")
    sidebar(COUNTS, ("reader-3",), query, build)
    # when it is served from the cache
    cached = sidebar(COUNTS, ("reader-3",), query, build)
    # then the markup is shown as text, not escaped twice
    assert "&lt;b&gt;Borders&lt;/b&gt; &amp; ports" in cached.html
    assert "&amp;lt;" not in cached.html
