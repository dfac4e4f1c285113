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
from django.db.models.sql.where import WhereNode
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from calendar_app.selectors import events_matching
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


def ranked_ids(matching: QuerySet) -> list:
    """The ids of up to ``COUNT_CAP + 1`` matching rows, in the queryset's order (best first) — one query.

    The candidates are the first ``COUNT_CAP + 1`` matches the index gives, with the values the order needs,
    and they are put in order here: ranking every match of a common word costs a rank per match (a word in
    18,000 resources: 190 ms), ranking these costs at most a thousand. Below the cap this is exactly the
    queryset's order; above it, the best of those candidates (the module's own page ranks every match)."""
    keys = [(name.lstrip("-"), name.startswith("-")) for name in matching.query.order_by]
    fields = list(dict.fromkeys(["pk", *(name for name, _descending in keys)]))
    rows = list(matching.order_by().values(*fields)[: COUNT_CAP + 1])
    for name, descending in reversed(keys):  # stable sorts, the last key first
        rows.sort(key=lambda row, name=name: (row[name] is not None, row[name]), reverse=descending)
    return [row["pk"] for row in rows]


def found_in(group: Group, user, text: str, *, limit: int = TOP, offset: int = 0) -> Found | None:
    """The group's rows ``offset`` to ``offset + limit`` and its capped count — two queries whatever the
    data (the ranked candidates, then the rows shown with their snippets; one more for the library's
    passages, and the people's organisations) — or None when the text holds nothing it can search for."""
    matching = group.find(user, text)
    if matching is None:
        return None
    candidates = ranked_ids(matching)
    count, more = min(len(candidates), COUNT_CAP), len(candidates) > COUNT_CAP
    ids = candidates[offset : offset + limit]
    # Snippets only now, for the rows shown: a headline parses its text, and PostgreSQL would compute it for
    # every candidate. The rows are read by id alone — the ids came from the reader's visible matches — so
    # the match and the audience rule are not tested a second time.
    position = {pk: n for n, pk in enumerate(ids)}
    shown = matching.order_by()
    shown.query.where = WhereNode()
    rows = sorted(shown.filter(pk__in=ids), key=lambda row: position[row.pk]) if ids else []
    passages = {}
    if group.key == "resources":
        passages = library_search.snippets([row.pk for row in rows], library_search.clean_query(text))
    for row in rows:
        row.snippet = passages.get(row.pk) or highlight(row.snippet)
    return Found(group=group, rows=rows, count=count, more=more, see_all=see_all_url(group, text))
