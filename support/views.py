"""Pages of requests for support: thin — parse, call a selector or a service, render. A request the reader
may not see is a 404 like a missing one; one they see but may not act on is a 403; a refusal of the workflow
(a status that cannot follow, an offer no longer taken) is the form again with its message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.facets import valid_filters
from core.forms import add_service_error
from core.paging import capped_page
from directory import sharing
from directory.models import Organization
from directory.views.edit import ContentCreateView
from support import rules, selectors, services
from support.forms import AcceptForm, LinkForm, OfferForm, RequestFilter, RequestForm, StatusForm
from support.models import OfferState, SupportRequest

PAGE_SIZE = 25
COUNT_CAP = 1000


class RequestListView(LoginRequiredMixin, View):
    """The requests the reader may see, filtered by status, theme and asking organisation."""

    def get(self, request):
        requests = selectors.requests_for(request.user)
        _data, _ignored, filterset = valid_filters(request, RequestFilter, requests)
        page, count, more = capped_page(
            filterset.qs, request.GET.get("page"), per_page=PAGE_SIZE, cap=COUNT_CAP
        )
        context = {
            "page": page,
            "count": count,
            "more": more,
            "filter_form": filterset.form,
            "may_ask": rules.can_ask(request.user),
        }
        return render(request, "support/list.html", context)


class RequestCreateView(ContentCreateView):
    """A Member State's or regional organisation's focal points ask; anyone else: 403."""

    form_class = RequestForm
    template_name = "support/form.html"
    success_message = gettext_lazy("Your request is sent: its addressees can read it.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_ask(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def save(self, form, *, by) -> SupportRequest:
        return services.ask(form=form, by=by)


def _visible(request, pk: int, queryset=None) -> SupportRequest:
    return get_object_or_404(
        queryset if queryset is not None else selectors.requests_for(request.user), pk=pk
    )


class RequestDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        user = request.user
        found = _visible(request, pk, selectors.request_page(user))
        accepted = selectors.accepted_offer(found)
        taking = rules.is_taking_offers(found)
        asker = rules.acts_for_asker(user, found)
        context = {
            "support": found,
            "offers": found.offers.all(),
            "accepted": accepted,
            "projects": selectors.linked_projects(user, found),
            "audience": sharing.describe(found),
            "may_offer": taking and rules.can_offer(user, found),
            "may_accept": taking and asker,
            "may_change_status": asker,
            "may_link": rules.can_link_projects(user, found, accepted.organization_id if accepted else None),
            "open_state": OfferState.OPEN,
        }
        return render(request, "support/detail.html", context)


class OfferView(LoginRequiredMixin, View):
    """Compact entities' people who may read the request, and the addressed Working Group's chairs, offer
    help; the asker's own people may not (403)."""

    def _request(self, request, pk: int) -> SupportRequest:
        found = _visible(request, pk)
        if not rules.can_offer(request.user, found):
            raise PermissionDenied
        return found

    def _form(self, request, found, data=None) -> OfferForm:
        organizations = Organization.objects.filter(
            pk__in=rules.offering_organization_ids(request.user, found)
        ).order_by("name")
        return OfferForm(data, organizations=organizations)

    def get(self, request, pk: int):
        found = self._request(request, pk)
        return self._render(request, found, self._form(request, found))

    def post(self, request, pk: int):
        found = self._request(request, pk)
        form = self._form(request, found, request.POST)
        if form.is_valid():
            try:
                services.offer_support(found, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your offer is sent to %(asker)s's focal points.")
                    % {"asker": found.owner.display_name},
                )
                return redirect(found)
        return self._render(request, found, form)

    def _render(self, request, found, form):
        return render(request, "support/offer_form.html", {"support": found, "form": form})


class AskerActionView(LoginRequiredMixin, View):
    """A page of one of the asker's actions on a request: 404 unseen, 403 for anyone but the asking
    organisation's focal points and alternates (``may``)."""

    template_name = ""

    def may(self, user, found: SupportRequest) -> bool:
        return rules.acts_for_asker(user, found)

    def _request(self, request, pk: int) -> SupportRequest:
        found = _visible(request, pk)
        if not self.may(request.user, found):
            raise PermissionDenied
        return found

    def get(self, request, pk: int):
        found = self._request(request, pk)
        return self.render(request, found, self.form(request, found))

    def post(self, request, pk: int):
        found = self._request(request, pk)
        form = self.form(request, found, request.POST)
        if form.is_valid():
            try:
                message = self.save(request, found, form)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return redirect(found)
        return self.render(request, found, form)

    def render(self, request, found, form):
        return render(request, self.template_name, {"support": found, "form": form})


class AcceptView(AskerActionView):
    template_name = "support/accept_form.html"

    def form(self, request, found, data=None) -> AcceptForm:
        offers = found.offers.filter(state=OfferState.OPEN).select_related("organization")
        return AcceptForm(data, offers=offers)

    def save(self, request, found, form) -> str:
        offer = services.accept_offer(found, offer=form.cleaned_data["offer"], by=request.user)
        return _("You accepted the offer of %(organization)s: the request is agreed.") % {
            "organization": offer.organization.display_name
        }


class StatusView(AskerActionView):
    template_name = "support/status_form.html"

    def form(self, request, found, data=None) -> StatusForm:
        return StatusForm(data)

    def save(self, request, found, form) -> str:
        changed = services.change_status(found, by=request.user, **form.cleaned_data)
        return _("The request is now “%(status)s”.") % {"status": changed.get_status_display()}


class LinkView(AskerActionView):
    """The asker and the accepted offer's organisation link the projects that answer the request."""

    template_name = "support/link_form.html"

    def may(self, user, found: SupportRequest) -> bool:
        accepted = (
            found.offers.filter(state=OfferState.ACCEPTED).values_list("organization_id", flat=True).first()
        )
        return rules.can_link_projects(user, found, accepted)

    def form(self, request, found, data=None) -> LinkForm:
        projects = selectors.linkable_projects(request.user)
        initial = {
            "projects": list(selectors.linked_projects(request.user, found).values_list("pk", flat=True))
        }
        return LinkForm(data, projects=projects, initial=initial)

    def save(self, request, found, form) -> str:
        services.link_projects(found, projects=form.cleaned_data["projects"], by=request.user)
        return _("The projects that answer the request are saved.")
