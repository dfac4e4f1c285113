from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from core import facets as core_facets
from core.paging import capped_page
from directory.mixins import ContentDetailMixin
from directory.views.edit import ContentCreateView, ContentEditView
from directory.views.share import ShareView
from projects import rules, selectors, services
from projects.filters import OverlapFilter, ProjectFilter
from projects.forms import OverlapVerdictForm, ProjectForm
from projects.models import Project, ProjectOverlap

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
            "sidebar": selectors.facet_sidebar(request.user, data),
            "query": data,
        }
        return render(request, "projects/list.html", context)


class MatrixView(LoginRequiredMixin, View):
    """Lead entities × strategy pillars: how many projects, with what budget, each cell a filtered list."""

    grid = staticmethod(selectors.entity_pillar_grid)
    title = gettext_lazy("Matrix of projects by entity and pillar")
    row_heading = gettext_lazy("Lead entity")
    caption = gettext_lazy("Projects and budgets (US$) by lead entity and pillar")
    intro = gettext_lazy(
        "The projects you may see, by lead entity and strategy pillar: how many, and their budgets in US "
        "dollars at the rates recorded with them. A project under several pillars counts in each; the total "
        "counts it once. Each figure opens the list behind it."
    )

    def get(self, request):
        context = {
            "grid": self.grid(request.user),
            **{name: getattr(self, name) for name in ("title", "row_heading", "caption", "intro")},
        }
        return render(request, "projects/matrix.html", context)


class CountryMatrixView(MatrixView):
    """Beneficiary countries × themes, the same way."""

    grid = staticmethod(selectors.country_theme_grid)
    title = gettext_lazy("Matrix of projects by country and theme")
    row_heading = gettext_lazy("Country")
    caption = gettext_lazy("Projects and budgets (US$) by beneficiary country and theme")
    intro = gettext_lazy(
        "The projects you may see, by beneficiary country and theme: how many, and their budgets in US "
        "dollars at the rates recorded with them. Global projects have a row of their own. A project for "
        "several countries or under several themes counts in each; the total counts it once per country. "
        "Each figure opens the list behind it."
    )


class ProjectDetailView(ContentDetailMixin, DetailView):
    model = Project
    select_related = ("owner", "author", "working_group", "focal_point")
    template_name = "projects/detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return super().get_queryset().prefetch_related(*selectors.PROJECT_RELATIONS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        context.update(
            {
                "beneficiaries": selectors.beneficiaries(project),
                "resources": selectors.related_resources(user, project),
                "overlaps": selectors.overlaps_of(user, project),
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


class OverlapReportView(LoginRequiredMixin, View):
    """The Secretariat's report of possible overlaps between entities' projects, filtered and paged."""

    def get(self, request):
        if not rules.can_read_overlap_report(request.user):
            raise PermissionDenied
        data, _ignored, filterset = core_facets.valid_filters(
            request, OverlapFilter, queryset=selectors.overlap_report(request.user)
        )
        page, count, more = capped_page(
            filterset.qs, request.GET.get("page"), per_page=PAGE_SIZE, cap=COUNT_CAP
        )
        context = {
            "filter": filterset,
            "page": page,
            "rows": selectors.describe_overlaps(page.object_list),
            "count": count,
            "more": more,
            "query": data,
        }
        return render(request, "projects/overlaps.html", context)


class OverlapView(LoginRequiredMixin, View):
    """One pair side by side, with its verdict; either lead entity's people record theirs. A pair with a
    project the reader may not see is a 404, like a pair that does not exist."""

    template_name = "projects/overlap.html"

    def get_overlap(self, request, pk) -> ProjectOverlap:
        return get_object_or_404(selectors.overlap_report(request.user), pk=pk)

    def get(self, request, pk):
        overlap = self.get_overlap(request, pk)
        return self.render(request, overlap, OverlapVerdictForm(instance=overlap))

    def post(self, request, pk):
        overlap = self.get_overlap(request, pk)
        if not rules.can_mark_overlap(request.user, overlap):
            raise PermissionDenied
        form = OverlapVerdictForm(request.POST, instance=overlap)
        if not form.is_valid():
            return self.render(request, overlap, form, status=400)
        services.mark_overlap(
            overlap, verdict=form.cleaned_data["verdict"], note=form.cleaned_data["note"], by=request.user
        )
        messages.success(request, _("Verdict recorded: both lead entities see it."))
        return redirect(overlap)

    def render(self, request, overlap, form, status=200):
        context = {
            "row": selectors.describe_overlaps([overlap])[0],
            "form": form,
            "may_mark": rules.can_mark_overlap(request.user, overlap),
        }
        return render(request, self.template_name, context, status=status)
