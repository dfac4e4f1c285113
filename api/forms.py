"""The form a person makes a token with: its name, what it may do module by module, and when it expires."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.scopes import MODULES, READ, WRITABLE, WRITE, scope

#: A new token's lifetime unless its person chooses another, and the longest they may choose.
DEFAULT_DAYS, MAX_DAYS = 90, 365


def _field_name(module: str) -> str:
    return f"scope_{module}"


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("What the token is for, e.g. “Our projects database”, to tell your tokens apart."),
    )  # fmt: skip
    expires_on = forms.DateField(
        label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most a year from today."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["expires_on"].initial = self.today + timedelta(days=DEFAULT_DAYS)
        for module, label in MODULES.items():
            levels = [("", _("No access")), (READ, _("Read"))]
            if module in WRITABLE:
                levels.append((WRITE, _("Read and write")))
            self.fields[_field_name(module)] = forms.ChoiceField(
                label=label, choices=levels, required=False, initial="", widget=forms.RadioSelect
            )

    def scope_fields(self):
        """The modules' choices, one row each in the page's table (no access · read · read and write)."""
        return [self[_field_name(module)] for module in MODULES]

    def visible_fields(self):
        """The name and the expiry: the scopes are laid out as a table of their own."""
        return [self["name"], self["expires_on"]]

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day <= self.today:
            raise forms.ValidationError(_("Choose a day after today."))
        if day > self.today + timedelta(days=MAX_DAYS):
            raise forms.ValidationError(
                _("A token lives at most a year: choose a day within a year from today.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if not self.scopes():
            raise forms.ValidationError(_("Give the token access to at least one module."))
        return cleaned

    def scopes(self) -> list[str]:
        chosen = ((module, self.cleaned_data.get(_field_name(module))) for module in MODULES)
        return [scope(module, level) for module, level in chosen if level]

    def expires_at(self) -> datetime:
        """The end of the chosen day, in the person's zone."""
        day_after = datetime.combine(self.cleaned_data["expires_on"] + timedelta(days=1), time())
        return timezone.make_aware(day_after)
