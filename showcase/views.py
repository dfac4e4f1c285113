"""The public pages (docs/showcase.md): the public projects on a map and in a list, the public Appeal
projects, the upcoming public events and the public library resources.

Every page reads as an anonymous visitor, whoever asks (``VISITOR``): the content apps' own selectors, given
an anonymous user, return exactly the public items (``directory.access``) — in rows, counts and map
figures alike. So a signed-in reader sees the same items as anyone, with their own header; only anonymous
visitors' pages are cached (``core.public_pages``, which also rate-limits every page per address).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from appeal import selectors as appeal_selectors
from appeal.filters import AppealProjectFilter
from calendar_app.selectors import upcoming_for
from core.facets import valid_filters
from core.paging import capped_page, page_of
from core.public_pages import public_page
from library import selectors as library_selectors
from projects import selectors as project_selectors
from projects.filters import ProjectFilter

#: Who the public pages read as: nobody signed in.
VISITOR = AnonymousUser()
PAGE_SIZE = 25
COUNT_CAP = 1000
#: How many upcoming public events the events page lists.
EVENTS = 50


def _projects(request, *, warn: bool = True):
    """The query (its filters understood) and the public projects it selects: the projects list's own
    filters (``ProjectFilter``) over what an anonymous reader may see."""
    data, _ignored, filterset = valid_filters(
        request, ProjectFilter, queryset=project_selectors.projects_for(VISITOR), warn=warn
    )
    data.pop("format", None)
    return data, filterset


@require_safe
@public_page
def projects(request):
    """The public projects: a world map with its table (the projects' own template pieces) and the list."""
    data, filterset = _projects(request)
    page, count, more = capped_page(
        project_selectors.ordered(filterset.qs, data), request.GET.get("page"), per_page=PAGE_SIZE,
        cap=COUNT_CAP,
    )  # fmt: skip
    figures = project_selectors.map_figures(filterset.qs, data)
    for project in page.object_list:
        project.where = project_selectors.beneficiaries(project)
    context = {
        "filter": filterset,
        "page": page,
        "count": count,
        "more": more,
        "figures": figures,
        "query": data,
        "list_query": data.urlencode(),
        "map_source": reverse("showcase:map_data"),
        "list_url": reverse("showcase:projects"),
    }
    return render(request, "showcase/projects.html", context)


@require_safe
@public_page
def map_data(request):
    """The public projects' figures by country, as JSON for the map's script (the projects' own format)."""
    data, filterset = _projects(request, warn=False)
    figures = project_selectors.map_figures(filterset.qs, data)
    return JsonResponse({"countries": [figure.as_json() for figure in figures], "currency": "USD"})


@require_safe
@public_page
def appeal(request):
    """The public Appeal projects: search by words, thematic priority, entity, country; each with its
    requirements, funding and coverage from its own public data (``appeal.access``)."""
    data, _ignored, filterset = valid_filters(
        request, AppealProjectFilter, queryset=appeal_selectors.appeal_projects_found(VISITOR)
    )
    page = page_of(request, filterset.qs.order_by("cycle", "project__title", "pk"), per_page=PAGE_SIZE)
    appeal_selectors.project_figures(VISITOR, page.object_list)
    context = {"filter": filterset, "page": page, "query": data.urlencode()}
    return render(request, "showcase/appeal.html", context)


@require_safe
@public_page
def events(request):
    """The next public events (confirmed), soonest first."""
    return render(request, "showcase/events.html", {"occurrences": upcoming_for(VISITOR, limit=EVENTS)})


@require_safe
@public_page
def library(request):
    """The public library resources, newest first, with their files (downloaded through the library's own
    permission-checked view, which lets anyone have a public resource's files and nothing else)."""
    resources = library_selectors.ordered(library_selectors.resources_for(VISITOR), {})
    page = page_of(request, resources, per_page=PAGE_SIZE)
    context = {"page": page, "resources": library_selectors.with_documents(page.object_list)}
    return render(request, "showcase/library.html", context)
