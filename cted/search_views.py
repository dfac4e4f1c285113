"""The recommendations' search: full text and facets, the chain views (needs with no project, with a project
but unfunded, funded) an entity can act on, its download, and the offer of assistance. Every row, count and
download reads ``Recommendation.objects.visible_to`` (consent decides, at the next query)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core import audit, tables
from core import facets as core_facets
from core.forms import add_service_error
from core.models import SecurityEventKind
from core.paging import capped_page
from cted import exports, rules, selectors, services
from cted.filters import Chain, RecommendationFilter
from cted.forms import ExportForm, OfferForm
from cted.models import AssistanceStatus, ImplementationStatus, Recommendation

PAGE_SIZE = 25
COUNT_CAP = 10_000
FORMATS = {"csv": tables.CSV_TYPE, "xlsx": tables.XLSX_TYPE}


@dataclass
class Search:
    """A search as understood: its filters (the others ignored), what the reader sees of the chain, the
    recommendations the reader may see, and the rows the filters choose among them in the chain asked for."""

    data: dict
    ignored: list[str]
    sets: selectors.ChainSets
    visible: QuerySet[Recommendation]
    rows: QuerySet[Recommendation]


def searched(request, *, warn: bool = True) -> Search:
    """The request's search; filters not understood are said in a message unless ``warn`` is false."""
    visible = selectors.recommendations_found(request.user)  # the reader's rule, built once per page
    data, ignored, filterset = core_facets.valid_filters(
        request, RecommendationFilter, queryset=visible, warn=warn
    )
    sets = selectors.chain_sets(request.user)
    rows = selectors.in_chain(filterset.qs, data.get("chain", ""), sets)
    return Search(data, ignored, sets, visible, selectors.ordered(rows, data))


class RecommendationSearchView(LoginRequiredMixin, View):
    """Search the recommendations the reader may see: words, facets with counts, the chain as tabs."""

    def get(self, request):
        search = searched(request)
        data, sets, rows = search.data, search.sets, search.rows
        sidebar = selectors.facet_sidebar(request.user, data, sets, search.visible)
        page, count, more = capped_page(
            rows,
            request.GET.get("page"),
            per_page=PAGE_SIZE,
            cap=COUNT_CAP,
            known=selectors.total(sidebar, data),
        )
        sets.place(page.object_list)
        selectors.name_entities(page.object_list)
        for recommendation in page:
            recommendation.may_offer = rules.can_offer_assistance(request.user, recommendation)
        others = [(name, value) for name, value in data.items() if name not in ("chain", "page")]
        context = {
            "page": page,
            "count": count,
            "more": more,
            "sidebar": sidebar,
            "query": data,
            "chains": [(value, label, _with(data, chain=value)) for value, label in Chain.choices],
            "all_link": "?" + urlencode(others),
            "chain": data.get("chain", ""),
        }
        return render(request, "cted/recommendations.html", context)


def _with(data, **chosen) -> str:
    """The search's query string with these filters chosen instead of its own."""
    kept = [(name, value) for name, value in data.items() if name not in chosen and name != "page"]
    return "?" + urlencode([*kept, *chosen.items()])


class StatisticsView(LoginRequiredMixin, View):
    """The search's recommendations (its filters in the query string) counted by thematic area and by
    implementation and assistance status, each count a link to the list behind it."""

    def get(self, request):
        search = searched(request)
        rows = selectors.statistics(request.user, search.data, search.rows, search.sets)
        kept = [(name, value) for name, value in search.data.items() if name not in ("theme", "page")]
        for row in rows:
            base = [*kept, ("theme", row.theme_id)] if row.theme_id else None
            row.cells = [
                (
                    count,
                    base and "?" + urlencode([*(pair for pair in base if pair[0] != kind), (kind, value)]),
                )
                for kind, counts in (("implementation", row.implementation), ("assistance", row.assistance))
                for value, count in counts.items()
            ]
        context = {
            "rows": rows,
            "columns": [*ImplementationStatus.choices, *AssistanceStatus.choices],
            "query": search.data,
            "search_link": "?" + urlencode(list(search.data.items())),
        }
        return render(request, "cted/statistics.html", context)


class ExportView(LoginRequiredMixin, View):
    """The search's rows (its filters in the query string) as CSV or XLSX, at most ``exports.MAX_ROWS``;
    recorded in the security log (format, count, filters; never a recommendation's text)."""

    http_method_names = ["get", "head"]

    def get(self, request):
        asked = ExportForm(request.GET)
        if not asked.is_valid():
            return render(request, "cted/export_refused.html", {"formats": list(FORMATS)}, status=400)
        format = asked.cleaned_data["format"] or "csv"
        search = searched(request, warn=False)
        data, ignored = search.data, search.ignored
        chosen = list(search.rows[: exports.MAX_ROWS + 1])
        search.sets.place(chosen)
        selectors.name_entities(chosen)
        truncated = len(chosen) > exports.MAX_ROWS
        chosen = chosen[: exports.MAX_ROWS]
        filters = {name: data[name] for name in RecommendationFilter.base_filters if data.get(name)}
        audit.record(
            SecurityEventKind.EXPORT, request=request, what="cted-recommendations", format=format,
            count=len(chosen), filters=filters, ignored_filters=ignored, truncated=truncated,
        )  # fmt: skip
        content = exports.recommendations_file(
            format, chosen, filters=filters, truncated=truncated, by=request.user.email
        )
        return tables.download(
            content,
            filename=f"cted-recommendations-{timezone.localtime():%Y-%m-%d}.{format}",
            content_type=FORMATS[format],
        )


class OfferView(LoginRequiredMixin, View):
    """A Compact entity's people offer assistance with a recommendation they may read (else 404); the State's
    own people may not (403). The State's focal points and CTED are notified."""

    def _recommendation(self, request, pk: int) -> Recommendation:
        found = get_object_or_404(selectors.recommendations_found(request.user), pk=pk)
        if not rules.can_offer_assistance(request.user, found):
            raise PermissionDenied
        return found

    def _form(self, request, data=None) -> OfferForm:
        return OfferForm(data, organizations=selectors.offering_organizations(request.user))

    def get(self, request, pk: int):
        return self._render(request, self._recommendation(request, pk), self._form(request))

    def post(self, request, pk: int):
        recommendation = self._recommendation(request, pk)
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                services.offer_assistance(recommendation, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("Your offer is sent to %(state)s's focal points and to CTED.")
                    % {"state": recommendation.assessment.state},
                )  # fmt: skip
                return redirect("cted:recommendations")
        return self._render(request, recommendation, form)

    def _render(self, request, recommendation, form):
        offers = recommendation.offers.filter(
            organization__in=selectors.offering_organizations(request.user)
        ).select_related("organization", "offered_by")
        context = {"recommendation": recommendation, "form": form, "offers": offers}
        return render(request, "cted/offer_form.html", context)
