"""Numbers as people read them in the current language — the grouping and separators ``floatformat:"Ng"``
writes — for the pages that write many figures in Python (a matrix's cells, a dashboard's rows): the
separators are read once, not once per figure."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import numberformat
from django.utils.formats import get_format


def amount_formatter(places: int) -> Callable[[Decimal], str]:
    """A function writing an amount with ``places`` decimals (rounded half up), grouped as the current
    language groups digits."""
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    grouping = get_format("NUMBER_GROUPING")
    quantum = Decimal(1).scaleb(-places)

    def amount(value: Decimal) -> str:
        rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
        return numberformat.format(
            rounded,
            decimal,
            decimal_pos=places,
            grouping=grouping,
            thousand_sep=thousands,
            force_grouping=True,
        )

    return amount
