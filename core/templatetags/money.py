"""Amounts of money as a reader of the page's language writes them."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def usd(value) -> str:
    """An amount in US dollars, two decimals grouped as the language groups digits, the currency where the
    language puts it ("US$ 1,250.50", « 1 250,50 $ US », «1 250,50 долл. США»)."""
    return _("US$ %(amount)s") % {"amount": floatformat(value, "2g")}
