"""A dashboard row's cells, written in Python: Django's template engine spends about 0.2 ms on a row of eight
linked figures, and a dashboard has about a hundred rows (issue 15's target for a dashboard is 100 ms at
200,000 flows). Every value is escaped here (the standard library's ``html.escape``) before the row is
marked safe. The cells are those ``templates/appeal/includes/figures.html`` heads and its chart reads:
``data-value`` on the charted columns, each figure a link to what is behind it."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from core.numbers import amount_formatter

register = template.Library()

#: A row's dimension → the search's filter its requirements open (an entity's are those it leads).
SEARCH_FILTER = {"entity": "lead", "priority": "priority", "pillar": "pillar"}
NONE = "—"


@register.simple_tag(takes_context=True)
def figure_cells(context, row, dimension: str, requirements: bool) -> SafeString:
    """The row's heading and figures; ``dimension`` is empty for a total (its links are the whole cycle's)."""
    cycle = context["cycle"]
    dollars, percent = amount_formatter(2), amount_formatter(1)
    flows = reverse("appeal:flows", args=[cycle.pk])
    narrowed = {dimension: row.key} if dimension else {}
    projects = f"{reverse('appeal:projects')}?{urlencode({'cycle': cycle.pk, **_search(dimension, row.key)})}"

    def link(href: str, text: str) -> str:
        return f'<a href="{escape(href)}">{escape(text)}</a>'

    def stage(name: str, value, series: bool = True) -> str:
        href = f"{flows}?{urlencode({**narrowed, 'stage': name})}"
        data = f' data-value="{value}"' if series else ""
        return f'<td class="text-end"{data}>{link(href, dollars(value))}</td>'

    if dimension == "donor":
        heading = link(reverse("appeal:donor", args=[row.key]), row.label)
    elif dimension:
        heading = link(projects, row.label)
    else:
        heading = escape(row.label)
    cells = [f'<th scope="row" class="fw-normal">{heading}</th>']
    if requirements:
        asked = NONE if row.requirements is None else link(projects, dollars(row.requirements))
        cells.append(f'<td class="text-end">{asked}</td>')
    cells += [
        stage("pledge", row.pledged),
        stage("commitment", row.committed),
        stage("paid", row.paid),
        stage("funding", row.funding, series=False),
    ]
    if requirements:
        unfunded = row.unfunded
        shown = NONE if unfunded is None else escape(dollars(unfunded))
        cells.append(f'<td class="text-end" data-value="{unfunded or 0}">{shown}</td>')
        covered = NONE if row.coverage is None else f"{escape(percent(row.coverage))} %"
        cells.append(f'<td class="text-end">{covered}</td>')
    return mark_safe("".join(cells))  # noqa: S308 -- every value is escaped above


def _search(dimension: str, key: str) -> dict[str, str]:
    return {SEARCH_FILTER[dimension]: key} if dimension in SEARCH_FILTER else {}
