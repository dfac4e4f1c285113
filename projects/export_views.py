"""The project list as files and as a map: exports (CSV, XLSX, IATI XML) and the projects by country (a page,
the same as a fragment the list loads, and JSON for the map's script).

Each of them reads exactly what the list shows for the same query string: the projects the reader may see
(``selectors.projects_for``, through ``visible_to``) narrowed by ``ProjectFilter``, filters that are not
understood ignored as on the list. Exports hold at most ``exports.MAX_ROWS`` projects, in the list's order,
and say when they are cut; every export is recorded in the security log (format, filters, count, never a
title).
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from core import audit, facets, tables
from core.models import SecurityEventKind
from projects import exports, selectors
from projects import map as project_map
from projects.filters import ProjectFilter

FORMATS = {
    "csv": tables.CSV_TYPE,
    "xlsx": tables.XLSX_TYPE,
    "iati": "application/xml; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "iati": "xml"}


def filtered(request):
    """The list's query (minus ``format`` and the filters not understood, named in ``ignored``) and its
    projects: the list's own reading of the same query string."""
    data, ignored, filterset = facets.valid_filters(
        request, ProjectFilter, queryset=selectors.projects_for(request.user), warn=False
    )
    data.pop("format", None)
    return data, ignored, filterset.qs


def _filters(data) -> dict[str, str]:
    return {name: data.get(name) for name in ProjectFilter.base_filters if data.get(name)}


class ExportView(LoginRequiredMixin, View):
    """``?format=csv|xlsx|iati`` and the list's filters: the filtered list as a file (CSV when no format is
    asked; an unknown format is a 400 page that says which formats there are)."""

    http_method_names = ["get", "head"]

    def get(self, request):
        format = request.GET.get("format") or "csv"
        if format not in FORMATS:
            context = {"formats": list(FORMATS), "asked": format[:20], "query": _without_format(request)}
            return render(request, "projects/export_refused.html", context, status=400)
        data, ignored, projects = filtered(request)
        chosen = list(exports.for_export(selectors.ordered(projects, data))[: exports.MAX_ROWS + 1])
        truncated = len(chosen) > exports.MAX_ROWS
        chosen = chosen[: exports.MAX_ROWS]
        filters = _filters(data)
        audit.record(
            SecurityEventKind.EXPORT,
            request=request,
            what="projects",
            format=format,
            count=len(chosen),
            truncated=truncated,
            filters=filters,
            ignored_filters=ignored,
        )
        stamp = timezone.localtime()
        base_url = request.build_absolute_uri("/").rstrip("/")
        if format == "csv":
            content = exports.to_csv(chosen, base_url=base_url)
        elif format == "xlsx":
            about = [
                (_("Exported"), f"{stamp:%Y-%m-%d %H:%M %Z}"),
                (_("Exported by"), request.user.email),
                (_("Filters"), "; ".join(f"{name}={value}" for name, value in filters.items()) or _("none")),
                (_("Projects"), str(len(chosen))),
            ]
            if ignored:
                about.append((_("Filters not understood, ignored"), ", ".join(ignored)))
            if truncated:
                about.append((_("Truncated"), truncated_message()))
            content = exports.to_xlsx(chosen, base_url=base_url, about=about)
        else:
            content = exports.to_iati(chosen, generated=stamp)
        response = tables.download(
            content, filename=f"projects-{stamp:%Y-%m-%d}.{EXTENSIONS[format]}", content_type=FORMATS[format]
        )
        response["X-Export-Count"] = str(len(chosen))
        if truncated:
            response["X-Export-Truncated"] = str(exports.MAX_ROWS)
        return response


def truncated_message() -> str:
    return _("Only the first %(max)s projects are exported: narrow the filters to get the others.") % {
        "max": f"{exports.MAX_ROWS:,}"
    }


def _without_format(request) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()


class MapView(LoginRequiredMixin, View):
    """The filtered projects by country: a page with the map and its table (the table is the page's content
    without JavaScript). The list asks for it with htmx and gets the figures alone, to put under its map."""

    http_method_names = ["get", "head"]

    def get(self, request):
        data, _ignored, projects = filtered(request)
        figures = project_map.by_country(projects, data)
        fragment = request.headers.get("HX-Request") == "true"
        context = {
            "figures": figures,
            "query": data,
            "list_query": data.urlencode(),
            "total_projects": sum(figure.projects for figure in figures),
        }
        template = "projects/map_figures.html" if fragment else "projects/map.html"
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


class MapDataView(LoginRequiredMixin, View):
    """The same figures as JSON, for the map's script (``static/js/projects-map.js``)."""

    http_method_names = ["get", "head"]

    def get(self, request) -> HttpResponse:
        data, ignored, projects = filtered(request)
        figures = project_map.by_country(projects, data)
        response = JsonResponse(
            {"countries": [figure.as_json() for figure in figures], "currency": "USD", "ignored": ignored}
        )
        response["Cache-Control"] = "private, no-store"
        return response
