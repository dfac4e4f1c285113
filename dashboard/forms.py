"""The dashboard's forms: the months a statistics page's trends cover."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField
from core.months import months_between

#: The months the trends show unless asked: the last two years, this month included.
DEFAULT_MONTHS = 24
#: The most months one page or export covers (ten years).
MAX_MONTHS = 120


class MonthField(BoundedDateField):
    """A month as a browser's month picker sends it ("2026-03"), read as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m"], **kwargs)


class TrendForm(forms.Form):
    start = MonthField(label=_("From"), required=False)
    end = MonthField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The first month comes after the last one."))
        if start and end and len(months_between(start, end)) > MAX_MONTHS:
            raise forms.ValidationError(
                _("Ask for at most %(count)s months at once.") % {"count": MAX_MONTHS}
            )
        return data

    def months(self) -> list[date]:
        """The months asked for (a valid form), the default ones for what it leaves out: the last
        ``DEFAULT_MONTHS`` up to the end asked (this month if none), or as many from the start asked."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            return months_between(start, end)
        if start:
            return months_between(start, start.replace(year=start.year + DEFAULT_MONTHS // 12))[:-1]
        end = end or timezone.localdate().replace(day=1)
        first = end.replace(year=end.year - DEFAULT_MONTHS // 12)
        return months_between(first, end)[1:]
