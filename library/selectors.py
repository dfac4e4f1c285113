"""Reads of the library, always on behalf of a user: lists, search with facets, browsing, a resource page.

Every list starts from ``Resource.objects.visible_to(user)`` (which also leaves out the trash) and fetches
what its page shows in a constant number of queries, whatever the page size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, Value, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from core.facets import count_keys, facet_values, label_facets, values_with_prefix
from core.freshness import Stale, stale
from core.months import per_month
from core.search import headline
from directory.access import EVERYONE_SIGNED_IN, audience_signature, viewer
from directory.models import Pillar, WorkingGroup
from directory.selectors import registry_names
from library import search
from library.filters import FACET_PREFIXES, LibraryFilter, facet_key
from library.indexing import COUNTS
from library.models import Document, FileVersion, Resource


def resources_for(user) -> QuerySet[Resource]:
    """The resources the user may read, with what a list row shows fetched in the same query."""
    return Resource.objects.visible_to(user).select_related("owner", "working_group")


def version_for(user, pk) -> FileVersion | None:
    """A file version of a resource the user may read (None otherwise, or if there is none)."""
    return (
        FileVersion.objects.select_related("document__resource")
        .filter(pk=pk, document__resource__in=Resource.objects.visible_to(user))
        .first()
    )


def ordered(resources: QuerySet[Resource], data: dict) -> QuerySet[Resource]:
    """Relevance (the default for a search), newest first (the default otherwise), or title."""
    sort = data.get("sort") or ("relevance" if search.clean_query(data.get("q")) else "date")
    if sort == "relevance" and search.clean_query(data.get("q")):
        return resources.order_by("-rank", "-publication_date", "-pk")
    if sort == "title":
        return resources.order_by("title", "pk")
    return resources.order_by("-publication_date", "-pk")


def with_documents(resources) -> list[Resource]:
    """The page's resources with their documents and current versions (two queries for any page)."""
    current = FileVersion.objects.filter(is_current=True).only(
        "pk", "document_id", "kind", "size", "extraction_status", "original_name", "number"
    )
    documents = Document.objects.prefetch_related(Prefetch("versions", queryset=current, to_attr="current"))
    rows = list(resources)
    prefetch_related_objects(rows, Prefetch("documents", queryset=documents))
    return rows


# --- Facets -------------------------------------------------------------------------------------------------


def facets(user, data: dict, form) -> list[dict]:
    """Each facet's values, named, with their counts given every other filter (core.facets.facet_values),
    cached per reader until the library changes."""
    found = facet_values(
        LibraryFilter, resources_for(user), data, prefixes=FACET_PREFIXES, counts=COUNTS,
        audience=audience_signature(user),
    )  # fmt: skip
    labels = {name: registry_names(name) for name in ("organization", "working_group", "pillar", "country")}
    for name in ("type", "language"):
        labels[name] = {str(key): str(label) for key, label in form.fields[name].choices if key}
    return label_facets(found, labels)


# --- Browsing -----------------------------------------------------------------------------------------------


@dataclass
class Overview:
    """The library's front page: the pillars and themes with how many resources each has, and what is new."""

    pillars: list[tuple[Pillar, int]]
    themes: list[tuple[str, int]]
    new_this_week: list[Resource]
    total: int


def overview(user, *, new_limit: int = 8, theme_limit: int = 24) -> Overview:
    resources = resources_for(user)
    counts = COUNTS.get((*audience_signature(user), "overview"), lambda: count_keys(resources))
    pillar_counts = values_with_prefix(counts, "pillar:")
    pillars = [(pillar, pillar_counts.get(str(pillar.pk), 0)) for pillar in Pillar.objects.order_by("number")]
    themes = Counter(values_with_prefix(counts, "tag:")).most_common(theme_limit)
    week_ago = timezone.now() - timezone.timedelta(days=7)
    new = list(resources.filter(created_at__gte=week_ago).order_by("-created_at", "-pk")[:new_limit])
    total = sum(values_with_prefix(counts, "type:").values())
    return Overview(pillars=pillars, themes=sorted(themes), new_this_week=new, total=total)


def trash_for(user) -> QuerySet[Resource]:
    """The trash a user manages: their organisations' resources in the trash (every organisation's, for
    the Secretariat). Whether the user may read each one is a separate question (see the trash page)."""
    who = viewer(user)
    trashed = Resource.objects.in_trash()
    if who is None:
        return trashed.none()
    return trashed if who.is_secretariat else trashed.filter(owner_id__in=who.organization_ids)


def latest_for(user, *, limit: int = 5) -> list[Resource]:
    """The resources most recently added that the user may see (the home page's block)."""
    return list(resources_for(user).order_by("-created_at", "-pk")[:limit])


#: What "new" means on the home: added within this many days.
NEW_DAYS = 90


def new_in_themes(user, *, tags=(), pillar_ids=(), working_group_ids=(), limit: int = 5) -> list[Resource]:
    """The resources added in the last NEW_DAYS that the user may see and that share one of these themes,
    pillars or Working Groups, newest first: the home's "new documents in my themes" (one query, the facet
    keys' GIN index)."""
    keys = [
        *(facet_key("tag", tag) for tag in tags),
        *(facet_key("pillar", pk) for pk in pillar_ids),
        *(facet_key("working_group", pk) for pk in working_group_ids),
    ]
    if not keys:
        return []
    since = timezone.now() - timezone.timedelta(days=NEW_DAYS)
    return list(
        resources_for(user)
        .filter(facet_keys__overlap=keys, created_at__gte=since)
        .order_by("-created_at", "-pk")[:limit]
    )


def stale_of(user) -> Stale:
    """The resources of the user's organisations not updated for ``FRESHNESS_DAYS["library"]``: those the
    user may change (library.rules: the owner organisation's people; the trash, which ``visible_to`` leaves
    out, is never listed), oldest first (one query)."""
    who = viewer(user)
    if who is None or not who.organization_ids:
        return Stale("library", 0)
    return stale(
        "library",
        Resource.objects.visible_to(user)
        .filter(owner_id__in=who.organization_ids)
        .only("pk", "title", "updated_at"),
        label=lambda resource: resource.title,
        url=lambda resource: reverse("library:edit", args=[resource.pk]),
    )


def resources_of_group(user, working_group: WorkingGroup, limit: int = 10) -> list[Resource]:
    """The latest resources of a Working Group the user may see (for its space)."""
    return list(
        resources_for(user)
        .filter(facet_keys__contains=[f"wg:{working_group.pk}"])
        .order_by("-publication_date", "-pk")[:limit]
    )


def resources_about_country(user, iso3: str, limit: int = 5) -> list[Resource]:
    """The latest resources about a country (its ISO 3166 alpha-3 code among their countries) the user may
    see, by the facet keys' GIN index: a Member State's page."""
    return list(
        resources_for(user)
        .filter(facet_keys__contains=[f"{FACET_PREFIXES['country']}:{iso3}"])
        .order_by("-publication_date", "-pk")[:limit]
    )


def showcase_of(user, organization, limit: int = 5) -> list[Resource]:
    """The organisation's own resources addressed to a Working Group, that the user may see: the showcase of
    a Member State's efforts on its page."""
    return list(
        resources_for(user)
        .filter(owner=organization, working_group__isnull=False)
        .order_by("-publication_date", "-pk")[:limit]
    )


def unrestricted_group_documents(working_group: WorkingGroup, start, end) -> QuerySet[Resource]:
    """Every resource of the group published between two dates, whoever may read it (not the trash): for
    the group's own figures (progress reports), never for listing to a reader."""
    return Resource.objects.filter(
        working_group=working_group,
        deleted_at__isnull=True,
        publication_date__gte=start,
        publication_date__lte=end,
    )


def related(user, resource: Resource, limit: int = 5) -> list[Resource]:
    """Resources sharing most themes, pillars, countries or the Working Group with this one (by facet-key
    overlap, GIN-indexed), newest first among equals."""
    keys = [key for key in resource.facet_keys if key.split(":", 1)[0] in ("tag", "pillar", "country", "wg")]
    if not keys:
        return []
    candidates = (
        resources_for(user)
        .filter(facet_keys__overlap=keys)
        .exclude(pk=resource.pk)
        .order_by("-publication_date", "-pk")[: limit * 10]
    )
    wanted = set(keys)
    ranked = sorted(candidates, key=lambda other: -len(wanted.intersection(other.facet_keys)))
    return ranked[:limit]


def document_total() -> int:
    """How many resources the library holds (not in the trash), whatever their audience: a platform-wide
    figure that names none of them, published on the public landing page as the brochure publishes its
    "2,808 documents" — the same for every reader, so no user is asked for."""
    return Resource.objects.filter(deleted_at__isnull=True).count()


def published_between(start, end) -> QuerySet[Resource]:
    """The resources every signed-in person may read (platform-wide or public, not in the trash) published
    between two dates, both included, oldest first: for the newsletter, which goes to every subscriber and
    so may name nothing a single one of them could not open."""
    return (
        Resource.objects.filter(
            visibility__in=EVERYONE_SIGNED_IN,
            deleted_at__isnull=True,
            publication_date__gte=start,
            publication_date__lte=end,
        )
        .select_related("owner", "working_group")
        .order_by("publication_date", "pk")
    )


def documents_added(months: list) -> list[int]:
    """For each month (first days, in order), how many of the library's resources were added then and are
    not in the trash today, whatever their audience: a platform-wide series that names none of them, for the
    Secretariat's statistics (``document_total``'s meaning, month by month)."""
    return per_month(Resource.objects.filter(deleted_at__isnull=True), "created_at", months)


def resources_matching(user, query: str) -> QuerySet[Resource]:
    """The resources the user may read that match ``query`` (``search.clean_query``'s), best first — the
    library's own ranked search, for the global search. Their files' highlighted passages come from
    ``search.snippets``; ``snippet`` highlights the summary, for a resource found by its metadata."""
    summary = headline("summary", search.LibraryQuery(Value(query)), config="simple")
    return (
        search.search(resources_for(user), query)
        .annotate(snippet=summary)
        .order_by("-rank", "-publication_date", "-pk")
    )
