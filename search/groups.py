"""The groups the one search box searches, each read through its own app's search selector — the app's
audience rule (``visible_to``), the directory's rules for people, CTED's consent, a thread's audience for its
replies — so the search shows, counts and quotes nothing its reader could not open in that app.

Each group turns the searched text into what its app searches with (the directory's prefix words, the
library's multilingual query, an English web-style query), and nothing when the text holds no word for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from calendar_app.selectors import events_matching
from core.paging import count_capped
from core.search import english_query, highlight
from cted.selectors import recommendations_matching
from directory.selectors import organizations_matching, people_matching
from discussions.selectors import threads_matching
from library import search as library_search
from library.selectors import resources_matching
from projects.selectors import projects_matching

#: Results shown per group; the rest are behind the group's "see all" link.
TOP = 5
#: Counts stop here ("1,000+"): a common word costs at most this many index entries per group.
COUNT_CAP = 1000


def _english(find: Callable) -> Callable[[object, str], QuerySet | None]:
    def found(user, text: str):
        query = english_query(text)
        return None if query is None else find(user, query)

    return found


def _library(user, text: str):
    query = library_search.clean_query(text)
    return resources_matching(user, query) if query else None


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    #: (user, text) → the matching rows the user may see, best first, or None when nothing can match.
    find: Callable[[object, str], QuerySet | None]
    #: The module's own search or list, opened with the words ("" where the module has none: the search's
    #: own page of the group, ``?type=``).
    see_all: str = ""
    #: The module's own search field, when it is not ``q``.
    see_all_field: str = "q"


GROUPS = (
    Group("people", _("People"), people_matching, "directory:people"),
    Group("organizations", _("Organisations"), organizations_matching, "directory:organization_list"),
    Group("resources", _("Library"), _library, "library:search"),
    Group("events", _("Events"), _english(events_matching)),
    Group("projects", _("Projects"), _english(projects_matching), "projects:list"),
    Group(
        "recommendations",
        _("CTED recommendations"),
        _english(recommendations_matching),
        "cted:recommendations",
    ),
    Group("discussions", _("Discussions"), _english(threads_matching)),
)
BY_KEY = {group.key: group for group in GROUPS}


@dataclass
class Found:
    """One group's answer: its best rows (each with ``snippet``, safe markup), how many (capped), and where
    to see them all."""

    group: Group
    rows: list
    count: int
    more: bool
    see_all: str


def see_all_url(group: Group, text: str) -> str:
    if group.see_all:
        return f"{reverse(group.see_all)}?{urlencode({group.see_all_field: text})}"
    return f"{reverse('search:results')}?{urlencode({'q': text, 'type': group.key})}"


def found_in(group: Group, user, text: str, *, limit: int = TOP, offset: int = 0) -> Found | None:
    """The group's rows ``offset`` to ``offset + limit`` and its capped count — two queries whatever the data
    (three for the library, whose passages are read for the rows shown) — or None when the text holds
    nothing it can search for."""
    matching = group.find(user, text)
    if matching is None:
        return None
    rows = list(matching[offset : offset + limit])
    count, more = count_capped(matching, COUNT_CAP)
    if group.key == "resources":
        passages = library_search.snippets([row.pk for row in rows], library_search.clean_query(text))
        for row in rows:
            row.snippet = passages.get(row.pk, "")
    else:
        for row in rows:
            row.snippet = highlight(row.snippet)
    return Found(group=group, rows=rows, count=count, more=more, see_all=see_all_url(group, text))
