"""The directory of people: search with filters and counts, profiles, profile editing, photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_safe

from core import facets as core_facets
from core.paging import page_of
from directory import profiles, rules
from directory.filters import PeopleFilter
from directory.forms import ProfileForm
from directory.lifecycle import annotate_stale
from directory.models import Organization, Participation, Pillar, WorkingGroup
from directory.people import COUNTS, LANGUAGE_NAMES, count_facet_keys, facet_values, people_for
from directory.privacy import contact_card

PAGE_SIZE = 25


def valid_filters(request, *, warn: bool = True) -> tuple[dict, list[str]]:
    data, ignored, _filterset = core_facets.valid_filters(request, PeopleFilter, warn=warn)
    return data, ignored


def _labels(facet: str, values: list[str], field) -> dict[str, str]:
    if facet in ("organization", "working_group", "pillar"):
        model = {"organization": Organization, "working_group": WorkingGroup, "pillar": Pillar}[facet]
        objects = model.objects.filter(pk__in=[value for value in values if value.isdigit()])
        return {str(obj.pk): str(obj.display_name if facet == "organization" else obj) for obj in objects}
    if facet == "country":
        return dict(Organization.objects.filter(iso3__in=values).values_list("iso3", "name"))
    if facet == "tag":
        return {value: value for value in values}
    return {str(key): str(label) for key, label in field.choices if key}


def facets(people, data, form) -> list[dict]:
    """Each facet's values with how many people match them given every *other* filter, so choosing a value
    never hides the alternatives. The counts of all facets come from one query per distinct set of other
    filters: one when nothing is chosen, one more per chosen filter."""
    counted: dict[tuple, dict[str, int]] = {}
    result = []
    for facet in PeopleFilter.FACETS:
        others = data.copy()
        if data.get(facet):
            others.pop(facet)
            if facet == "working_group":
                others.pop("wg_role", None)  # the roles offered depend on the group: choose them afresh
        signature = tuple(sorted(others.items()))
        if signature not in counted:
            scoped = PeopleFilter(others, queryset=people).qs
            counted[signature] = COUNTS.get(signature, lambda scoped=scoped: count_facet_keys(scoped))
        group = data.get("working_group", "") if facet == "wg_role" else ""
        counts = facet_values(counted[signature], facet, working_group=group)
        values = sorted(counts, key=lambda value: (-counts[value], value))
        field = form.fields[facet]
        labels = _labels(facet, values, field)
        result.append(
            {
                "name": facet,
                "label": field.label,
                "chosen": data.get(facet, ""),
                "values": [(value, labels.get(value, value), counts[value]) for value in values],
            }
        )
    return result


class PeopleView(LoginRequiredMixin, View):
    def get(self, request):
        data, _ignored = valid_filters(request)
        people = people_for(request.user)
        filterset = PeopleFilter(data, queryset=people)
        results = annotate_stale(filterset.qs)
        if not data.get("q"):
            results = results.order_by("full_name", "pk")
        page = page_of(request, results, per_page=PAGE_SIZE)
        rows = [(person, contact_card(request.user, person)) for person in page]
        context = {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "facets": core_facets.with_links(facets(people, data, filterset.form), data),
            "query": data,
            "may_export_tables": rules.can_export_people_tables(request.user),
        }
        template = (
            "directory/people/results.html"
            if request.headers.get("HX-Request")
            else "directory/people/list.html"
        )
        return render(request, template, context)


class PersonView(LoginRequiredMixin, View):
    def get(self, request, pk):
        person = get_object_or_404(annotate_stale(people_for(request.user)), pk=pk)
        organization_ids = [m.organization_id for m in person.current_memberships]
        participations = (
            Participation.objects.filter(organization_id__in=organization_ids, working_group__is_active=True)
            .select_related("working_group", "organization")
            .order_by("working_group__number")
        )
        profile = getattr(person, "profile", None)
        return render(
            request,
            "directory/people/detail.html",
            {
                "person": person,
                "profile": profile,
                "languages": [
                    str(LANGUAGE_NAMES.get(code, code)) for code in (profile.languages if profile else [])
                ],
                "card": contact_card(request.user, person),
                "participations": participations,
                "may_edit": rules.can_edit_profile(request.user, person),
            },
        )


class EditProfileView(LoginRequiredMixin, View):
    template_name = "directory/people/edit.html"

    def person(self, request, pk):
        person = get_object_or_404(people_for(request.user), pk=pk)
        if not rules.can_edit_profile(request.user, person):
            raise PermissionDenied
        return person

    def get(self, request, pk):
        person = self.person(request, pk)
        form = ProfileForm(instance=profiles.profile_of(person), person=person)
        return render(request, self.template_name, {"form": form, "person": person})

    def post(self, request, pk):
        person = self.person(request, pk)
        form = ProfileForm(request.POST, request.FILES, instance=profiles.profile_of(person), person=person)
        if form.is_valid():
            profile = profiles.save_profile(by=request.user, person=person, form=form)
            if person.pk == request.user.pk:
                # Times in the new zone and words in the new language from the next page on.
                request.session[profiles.ZONE_SESSION_KEY] = profile.time_zone
                request.session[profiles.LANGUAGE_SESSION_KEY] = profile.language
            messages.success(request, _("Profile saved."))
            return redirect("directory:person", pk=person.pk)
        return render(request, self.template_name, {"form": form, "person": person})


@require_safe
@login_required
def my_profile(request):
    profiles.profile_of(request.user)
    return redirect("directory:person", pk=request.user.pk)


@require_safe
@login_required
def photo(request, pk):
    """A person's photo, to signed-in users who may see the person: never from a public media URL."""
    person = get_object_or_404(people_for(request.user), pk=pk)
    profile = getattr(person, "profile", None)
    if profile is None or not profile.photo:
        raise Http404
    response = FileResponse(profile.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
