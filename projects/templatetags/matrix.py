"""The matrix's cells, written in Python: a grid by country and theme has thousands of them, and Django's
template engine spends about 30 µs on each cell's few tags, ``format_html`` about 15 µs — most of the page's
time (issue 14's target for a grid is 100 ms at 20,000 projects). Every value is escaped here (the standard
library's ``html.escape``) before the row is marked safe."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.numbers import amount_formatter

register = template.Library()

EMPTY = '<td class="text-end"><span class="text-body-secondary">—</span></td>'


@register.simple_tag
def matrix_cells(row) -> SafeString:
    """The row's cells and its total: each a count (a link to the list behind it) over its US dollars."""
    amount = amount_formatter(0)  # whole dollars
    cells = [_cell(cell, amount) if cell.count else EMPTY for cell in row.cells]
    cells.append(_cell(row.total, amount, total=True))
    return mark_safe("".join(cells))  # noqa: S308 -- every value is escaped by _cell


def _cell(cell, amount, *, total: bool = False) -> str:
    count = escape(str(cell.count))
    if cell.link:
        count = f'<a href="{escape(cell.link)}">{count}</a>'
    weight = " fw-semibold" if total else ""
    return (
        f'<td class="text-end{weight}">{count}<br>'
        f'<span class="small text-body-secondary">{escape(amount(cell.usd))}</span></td>'
    )
