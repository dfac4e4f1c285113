"""A country profile's editor and history, and the country brief's download. Thin: each view finds the
organisation as its page does (404 for one the reader may not open, or of another kind), asks
``countries.rules``, and calls a selector, a service or the brief."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from core import audit, tables
from core.models import SecurityEventKind
from countries import brief, selectors, services
from countries.forms import CountryProfileForm
from countries.rules import can_edit_country_profile, can_read_country_page
from directory.models import Organization
from directory.views.organizations import organizations_for


class CountryMixin(LoginRequiredMixin):
    def get_organization(self, request, pk: int) -> Organization:
        """The organisation whose page the reader may open, if it is a Member State or regional
        organisation; a 404 otherwise, as for one that does not exist."""
        organization = get_object_or_404(organizations_for(request.user), pk=pk)
        if not can_read_country_page(request.user, organization):
            raise Http404
        return organization


class ProfileEditView(CountryMixin, View):
    """The State's own people edit its profile; every other reader of the page gets a 403."""

    template_name = "countries/edit.html"

    def get_organization(self, request, pk: int) -> Organization:
        organization = super().get_organization(request, pk)
        if not can_edit_country_profile(request.user, organization):
            raise PermissionDenied
        return organization

    def get(self, request, pk: int):
        organization = self.get_organization(request, pk)
        form = CountryProfileForm(instance=selectors.profile_of(request.user, organization))
        return render(request, self.template_name, {"organization": organization, "form": form})

    def post(self, request, pk: int):
        organization = self.get_organization(request, pk)
        form = CountryProfileForm(request.POST)
        if form.is_valid():
            services.save_country_profile(organization=organization, by=request.user, **form.cleaned_data)
            messages.success(request, _("The profile was saved; its earlier versions are kept."))
            return redirect("directory:organization_page", pk=organization.pk)
        return render(request, self.template_name, {"organization": organization, "form": form})


class HistoryView(CountryMixin, View):
    """Every saved version of the profile: who saved it, when, which texts changed, and the texts."""

    http_method_names = ["get", "head"]

    def get(self, request, pk: int):
        organization = self.get_organization(request, pk)
        return render(
            request,
            "countries/history.html",
            {"organization": organization, "versions": selectors.versions(request.user, organization)},
        )


class BriefView(CountryMixin, View):
    """The country brief as PDF or DOCX, built for the reader (what they may see, in their language and time
    zone); each download is recorded in the security log (format and organisation, never the content)."""

    http_method_names = ["get", "head"]

    def get(self, request, pk: int, format: str):
        if format not in brief.FORMATS:
            raise Http404
        organization = self.get_organization(request, pk)
        built = brief.build(request.user, organization)
        audit.record(
            SecurityEventKind.EXPORT, request=request, what="country-brief", format=format,
            organization=organization.pk, language=get_language(),
        )  # fmt: skip
        content = brief.RENDERERS[format](built)
        name = slugify(organization.display_name) or f"organisation-{organization.pk}"
        return tables.download(
            content,
            filename=f"country-brief-{name}-{timezone.localtime():%Y-%m-%d}.{format}",
            content_type=brief.FORMATS[format],
        )
