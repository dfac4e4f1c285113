from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from core import facets as core_facets
from core.paging import capped_page
from directory import sharing
from directory.mixins import VisibleObjectMixin
from directory.views.edit import ContentCreateView, ContentEditView
from directory.views.share import ShareView
from projects import rules, selectors, services
from projects.filters import ProjectFilter
from projects.forms import ProjectForm
from projects.models import Project

PAGE_SIZE = 25
COUNT_CAP = 1000


class ProjectListView(LoginRequiredMixin, View):
    """The projects a person may see: search, facets with counts, every choice in the URL."""

    def get(self, request):
        data, _ignored, filterset = core_facets.valid_filters(
            request, ProjectFilter, queryset=selectors.projects_for(request.user)
        )
        results = selectors.ordered(filterset.qs, data)
        page, count, more = capped_page(results, request.GET.get("page"), per_page=PAGE_SIZE, cap=COUNT_CAP)
        context = {
            "filter": filterset,
            "page": page,
            "count": count,
            "more": more,
            "facets": core_facets.with_links(selectors.facets(request.user, data), data),
            "query": data,
        }
        return render(request, "projects/list.html", context)


class MatrixView(LoginRequiredMixin, View):
    """Lead entities × strategy pillars: how many projects, with what budget, each cell a filtered list."""

    def get(self, request):
        return render(request, "projects/matrix.html", {"grid": selectors.entity_pillar_grid(request.user)})


class ProjectDetailView(VisibleObjectMixin, DetailView):
    model = Project
    select_related = ("owner", "author", "working_group", "focal_point")
    template_name = "projects/detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return super().get_queryset().prefetch_related(*selectors.PROJECT_PAGE_PREFETCH)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        context.update(
            {
                "beneficiaries": selectors.beneficiaries(project),
                "resources": selectors.related_resources(user, project),
                "audience": sharing.describe(project),
                "may_change": rules.can_change_project(user, project),
                "may_share": rules.can_share_project(user, project),
            }
        )
        return context


class ProjectCreateView(ContentCreateView):
    form_class = ProjectForm
    template_name = "projects/form.html"
    success_message = gettext_lazy("Project added.")

    def save(self, form, *, by) -> Project:
        return services.save_project(form=form, by=by)


class ProjectEditView(ContentEditView):
    model = Project
    form_class = ProjectForm
    template_name = "projects/form.html"
    success_message = gettext_lazy("Project updated.")

    def save(self, form, *, by) -> None:
        services.save_project(form=form, by=by)


class ProjectShareView(ShareView):
    model = Project
