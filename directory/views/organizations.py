"""Organisation pages: the list, one organisation's page, its profile editor, and Member State coverage.

Every page reads in a constant number of queries whatever the number of organisations or people (the
tests assert it): counts are subqueries, people come from ``people_for`` (profile joined, current
memberships prefetched), and contact details are only ever taken from ``contact_card``.

A deactivated organisation is a 404 for everyone but the Secretariat, which administers it: the same page
as one that never existed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.forms import search_text
from core.paging import page_of
from directory import services
from directory.forms import OrganizationFilterForm, OrganizationProfileForm
from directory.mixins import SecretariatRequiredMixin
from directory.models import (
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Participation,
    Region,
)
from directory.people import organization_people
from directory.rules import can_administer_platform, can_manage_organization
from directory.sections import organization_sections
from directory.selectors import current_people_count, organizations_for, organizations_named

PAGE_SIZE = 50

#: Roles that make a Member State "covered": it has nominated someone to speak for it.
NOMINATED_ROLES = (MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE)


# --- Reads --------------------------------------------------------------------------------------------------


def _search(queryset: QuerySet[Organization], query: str) -> QuerySet[Organization]:
    return organizations_named(queryset, query) if query else queryset


# --- Writes -------------------------------------------------------------------------------------------------


# --- Views --------------------------------------------------------------------------------------------------


class OrganizationListView(LoginRequiredMixin, View):
    """Active organisations, filtered by kind and searched by name, acronym or ISO code."""

    def get(self, request):
        filters = self.filters(request)
        queryset = _search(
            Organization.objects.filter(is_active=True).annotate(people=current_people_count()),
            filters["q"],
        ).order_by("name", "pk")
        if filters["kind"]:
            queryset = queryset.filter(kind=filters["kind"])
        page = page_of(request, queryset, per_page=PAGE_SIZE)
        return render(
            request,
            "directory/organizations/list.html",
            {"page": page, "form": OrganizationFilterForm(filters), "filters": filters},
        )

    def filters(self, request) -> dict[str, str]:
        """The valid filters of the query string; bad values are dropped with a message, never a 500."""
        form = OrganizationFilterForm({"q": search_text(request), "kind": request.GET.get("kind", "")})
        form.is_valid()
        if "kind" in form.errors:
            messages.warning(request, _("Unknown kind of organisation: the filter was ignored."))
        return {name: form.cleaned_data.get(name) or "" for name in form.fields}


class OrganizationMixin(LoginRequiredMixin):
    def get_organization(self, request, pk) -> Organization:
        return get_object_or_404(organizations_for(request.user), pk=pk)


class OrganizationView(OrganizationMixin, View):
    """An organisation's page: profile, current people and Working Group participation."""

    def get(self, request, pk):
        organization = self.get_organization(request, pk)
        participations = (
            Participation.objects.filter(organization=organization, working_group__is_active=True)
            .select_related("working_group")
            .order_by("working_group__number")
        )
        return render(
            request,
            "directory/organizations/detail.html",
            {
                "organization": organization,
                "people": organization_people(request.user, organization),
                "participations": participations,
                "can_manage": can_manage_organization(request.user, organization),
                "is_secretariat": can_administer_platform(request.user),
                "sections": organization_sections(request.user, organization),
            },
        )


class OrganizationEditView(OrganizationMixin, View):
    """The organisation's admins and the Secretariat edit its public profile; others get a 403."""

    template_name = "directory/organizations/edit.html"

    def get_organization(self, request, pk) -> Organization:
        organization = super().get_organization(request, pk)
        if not can_manage_organization(request.user, organization):
            raise PermissionDenied
        return organization

    def get(self, request, pk):
        organization = self.get_organization(request, pk)
        form = OrganizationProfileForm(instance=organization)
        return render(request, self.template_name, {"organization": organization, "form": form})

    def post(self, request, pk):
        organization = self.get_organization(request, pk)
        form = OrganizationProfileForm(request.POST, instance=organization)
        if form.is_valid():
            try:
                services.update_organization_profile(
                    organization=organization, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The profile of %(name)s was saved.") % {"name": organization.display_name}
                )
                return redirect("directory:organization_page", pk=organization.pk)
        return render(request, self.template_name, {"organization": organization, "form": form})


@dataclass(frozen=True)
class RegionCoverage:
    region: str
    label: str
    covered: int
    total: int


class CoverageView(SecretariatRequiredMixin, View):
    """Which Member States have nominated a focal point or an alternate who is active on the platform.

    One query for the 193 States with an ``EXISTS`` per State; the totals and the counts by regional group
    are added up here, from those rows.
    """

    def get(self, request):
        nominated = Membership.objects.filter(
            organization=OuterRef("pk"),
            ended_at__isnull=True,
            role__in=NOMINATED_ROLES,
            user__is_active=True,
        )
        states = list(
            Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE, is_active=True)
            .annotate(covered=Exists(nominated))
            .order_by("name")
            .values("pk", "name", "iso3", "region", "covered")
        )
        region_labels = dict(Region.choices)
        totals = {region: [0, 0] for region in Region.values}  # region: [covered, total]
        for state in states:
            counts = totals.setdefault(state["region"], [0, 0])
            counts[0] += state["covered"]
            counts[1] += 1
            state["region_label"] = region_labels.get(state["region"], "")
        regions = [
            RegionCoverage(
                region=region,
                label=region_labels.get(region) or _("No regional group"),
                covered=covered,
                total=total,
            )
            for region, (covered, total) in totals.items()
            if region in region_labels or total
        ]
        covered = sum(region.covered for region in regions)
        return render(
            request,
            "directory/organizations/coverage.html",
            {
                "covered": covered,
                "total": len(states),
                "regions": regions,
                "uncovered": [state for state in states if not state["covered"]],
            },
        )
