"""The search page: every group's best results, or one group's results page by page (``?type=``)."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.forms import from_query, search_text
from search.groups import BY_KEY, COUNT_CAP, GROUPS, found_in

#: Results per page when the search is restricted to one group.
PAGE_SIZE = 20


class SearchForm(forms.Form):
    """The search page's own form (the header's box sends only ``q``)."""

    q = forms.CharField(
        label=_("Search for"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    type = forms.ChoiceField(
        label=_("In"),
        required=False,
        choices=[("", _("Everything"))] + [(group.key, group.label) for group in GROUPS],
    )


@require_safe
@login_required
def results(request):
    text = search_text(request)
    group = BY_KEY.get(from_query(request, "type", SearchForm.base_fields["type"], ""))
    if text and not re.search(r"\w", text):
        messages.info(request, _("Type some words to search for: the search had none."))
        text = ""
    context = {
        "form": SearchForm(initial={"q": text, "type": group.key if group else ""}),
        "searched": text,
        "group": group,
    }
    if text and group is None:
        context["results"] = [found for g in GROUPS if (found := found_in(g, request.user, text)) is not None]
    elif text:
        last_page = COUNT_CAP // PAGE_SIZE
        number = from_query(request, "page", forms.IntegerField(min_value=1, max_value=last_page), 1)
        found = found_in(group, request.user, text, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        context.update(results=[found] if found else [], page_number=number, page_size=PAGE_SIZE)
        if found:
            context["next_page"] = (
                number + 1 if found.count > number * PAGE_SIZE and number < last_page else None
            )
    return render(request, "search/results.html", context)
