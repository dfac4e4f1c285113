"""Faceted lists (the directory, the library): filters read from the URL, and counts from facet keys.

A model that is filtered by facets keeps every filter value of a row in a GIN-indexed array of keys,
"<facet>:<value>" (``facet_keys``). A filter is then one array containment, and the counts of every facet
come from one GROUP BY over the unnested keys, whatever the number of facets.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

import django_filters
from django.contrib import messages
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import Count, F, Func, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

COUNTS_TTL = 300

Cached = TypeVar("Cached")


def valid_filters(request, filterset_class, queryset=None, *, warn: bool = True):
    """The query string's filters minus the invalid ones, the names of those (said in a message, unless
    ``warn`` is false, rather than failing the page: a stale bookmark still opens), and the filter set
    bound to what remains."""
    data = request.GET.copy()
    data.pop("page", None)
    probe = filterset_class(data, queryset=queryset)
    if probe.is_valid():
        return data, [], probe
    ignored = sorted(probe.errors)
    for name in ignored:
        data.pop(name, None)
    if warn:
        messages.warning(
            request,
            _("Some filters were not understood and are ignored: %(names)s.") % {"names": ", ".join(ignored)},
        )
    return data, ignored, filterset_class(data, queryset=queryset)


def count_keys(rows: QuerySet, *, field: str = "facet_keys", counted: str = "pk") -> dict[str, int]:
    """How many of ``rows`` carry each facet key: every facet's counts in one query."""
    result = (
        rows.order_by()
        .annotate(key=Func(F(field), function="unnest"))
        .values("key")
        .annotate(n=Count(counted))
    )
    return {row["key"]: row["n"] for row in result}


def values_with_prefix(counts: dict[str, int], prefix: str) -> dict[str, int]:
    """One facet's {value: count} out of ``count_keys``' result ("tag:" → {"victims": 12, ...})."""
    return {key[len(prefix) :]: n for key, n in counts.items() if key.startswith(prefix)}


class CountCache:
    """Facet counts cached per signature (the filters, and whatever else decides the rows counted), under
    a version that every change to the counted rows moves on: counts are never stale after a change, and a
    cache outage only costs the query (core.cache fails soft)."""

    def __init__(self, namespace: str):
        self.namespace = namespace
        self.version_key = f"{namespace}:facets:version"

    def version(self) -> int:
        """The current version: it moves on at every change to the counted rows."""
        return cache.get_or_set(self.version_key, 1, None)

    def get(self, signature: tuple, compute: Callable[[], Cached]) -> Cached:
        version = self.version()
        digest = hashlib.sha256(repr(signature).encode()).hexdigest()
        key = f"{self.namespace}:facets:{version}:{digest}"
        counts = cache.get(key)
        if counts is None:
            counts = compute()
            cache.set(key, counts, COUNTS_TTL)
        return counts

    def forget(self) -> None:
        with contextlib.suppress(ValueError):  # no version yet: nothing is cached under one
            cache.incr(self.version_key)


#: A facet shows its most frequent values; the others are one click away ("All 193"), in name order.
TOP_VALUES = 12


def with_links(facet_list: list[dict], query) -> list[dict]:
    """Give each facet a link that clears it and each value a link that chooses it, keeping the other
    filters (computed here once rather than by loops in the template: a page of facets has ~100 links).
    Values, most frequent first, become (value, label, count, link): the first TOP_VALUES (and the chosen
    one) in ``values``, the rest in ``more``, by label."""
    for facet in facet_list:
        others = [(name, value) for name, value in query.items() if name not in (facet["name"], "page")]
        facet["clear_link"] = "?" + urlencode(others)
        linked = [
            (value, label, count, "?" + urlencode([*others, (facet["name"], value)]))
            for value, label, count in facet["values"]
        ]
        top, rest = linked[:TOP_VALUES], linked[TOP_VALUES:]
        top += [row for row in rest if row[0] == facet["chosen"]]
        facet["values"] = top
        facet["total"] = len(linked)
        facet["more"] = sorted(
            (row for row in rest if row[0] != facet["chosen"]), key=lambda row: str(row[1])
        )
    return facet_list


@dataclass(frozen=True)
class Sidebar:
    """A faceted list's filters, rendered (``includes/facets.html``), and their counts by facet and value,
    for what else a page reads off them (a total)."""

    rendered: str
    counts: dict[str, dict[str, int]]

    @property
    def html(self) -> SafeString:
        # Rendered by the template engine, which escaped every label and link; the cache keeps it as text.
        return mark_safe(self.rendered)  # noqa: S308


def sidebar(counts: CountCache, audience: tuple, query, facet_list: Callable[[], list[dict]]) -> Sidebar:
    """A faceted list's filters rendered once per reader's ``audience``, filters and language, cached with
    the counts (under their version, so never stale after a change to the rows): its ~150 links cost more
    to render than to count. ``facet_list`` gives the named facets (``label_facets``) when not cached; a
    renamed value (a theme, an organisation) shows its new name once the cache entry expires."""
    filters = sorted((name, value) for name, value in query.items() if name != "page")
    signature = (*audience, "sidebar", get_language(), *filters)

    def render() -> Sidebar:
        found = facet_list()
        counted = {facet["name"]: {value: n for value, _label, n in facet["values"]} for facet in found}
        rendered = render_to_string("includes/facets.html", {"facets": with_links(found, query)})
        return Sidebar(str(rendered), counted)

    return counts.get(signature, render)


def facet_values(
    filterset_class, base: QuerySet, data: dict, *, prefixes: dict[str, str], counts: CountCache,
    audience: tuple, newest_first: tuple[str, ...] = ("year",),
) -> list[dict]:  # fmt: skip
    """Each facet of ``filterset_class.FACETS`` with its values and counts given every *other* filter
    (choosing a value never hides its alternatives): one GROUP BY over ``base``'s facet keys per distinct
    set of other filters, cached by ``counts`` under ``audience`` (what decides the rows a reader may
    count: one reader's counts are never served to another). Values come most frequent first (years
    newest first), as (value, count); ``label_facets`` names them."""
    counted: dict[tuple, dict[str, int]] = {}
    result = []
    for facet in filterset_class.FACETS:
        others = {key: value for key, value in data.items() if key not in ("sort", "page")}
        others.pop(facet, None)
        signature = (*audience, *sorted(others.items()))
        if signature not in counted:
            # The filter set is built only when the counts are not cached (building one costs a form).
            counted[signature] = counts.get(
                signature, lambda others=others: count_keys(filterset_class(others, queryset=base).qs)
            )
        found = values_with_prefix(counted[signature], prefixes[facet] + ":")
        values = sorted(found, key=lambda value: (-found[value], value))
        if facet in newest_first:
            values.sort(reverse=True)
        result.append(
            {
                "name": facet,
                "label": filterset_class.base_filters[facet].label,
                "chosen": str(data.get(facet, "")),
                "values": [(value, found[value]) for value in values],
            }
        )
    return result


def label_facets(facet_list: list[dict], labels: dict[str, dict[str, str]]) -> list[dict]:
    """Turn each facet's values into (value, label, count), by ``labels[facet name]`` (a value without a
    label is shown as it is)."""
    for facet in facet_list:
        names = labels.get(facet["name"], {})
        facet["values"] = [(value, names.get(value, value), n) for value, n in facet["values"]]
    return facet_list


class FacetFilterSet(django_filters.FilterSet):
    """A filter set over a model with ``facet_keys`` and ``search_vector`` (projects, CTED's
    recommendations): ``filter_key`` is one containment test on the keys ("<prefix>:<value>", the prefix from
    ``FACET_PREFIXES`` by filter name), ``filter_search`` a web-style full-text search annotated with its
    rank."""

    FACET_PREFIXES: dict[str, str] = {}

    def filter_search(self, queryset, name, value):
        words = " ".join(value.replace("\x00", " ").split())
        if not words:
            return queryset
        query = SearchQuery(words, config="english", search_type="websearch")
        return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))

    def filter_key(self, queryset, name, value):
        value = getattr(value, "pk", value)
        if isinstance(value, float):
            value = int(value)
        return queryset.filter(facet_keys__contains=[f"{self.FACET_PREFIXES[name]}:{value}"])
