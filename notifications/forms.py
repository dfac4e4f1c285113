from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from notifications.models import Frequency

OUTSIDE = "outside"


class PreferencesForm(StyledFormMixin, forms.Form):
    """One email frequency per space the person takes part in, plus one for everything outside the Working
    Groups; saved together."""

    def __init__(self, *args, spaces, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.spaces = {}
        self.fields[OUTSIDE] = self._field(_("Outside the Working Groups"), current.get(None))
        self.spaces[OUTSIDE] = None
        for working_group in spaces:
            name = f"wg_{working_group.pk}"
            self.fields[name] = self._field(str(working_group), current.get(working_group.pk))
            self.spaces[name] = working_group.pk

    @staticmethod
    def _field(label, initial) -> forms.ChoiceField:
        return forms.ChoiceField(
            label=label,
            choices=Frequency.choices,
            initial=initial or Frequency.IMMEDIATE,
            # Added after StyledFormMixin styled the (then empty) form: Bootstrap's class is set here.
            widget=forms.Select(attrs={"class": "form-select"}),
        )

    def choices(self) -> dict[int | None, str]:
        """The chosen frequency by Working Group id (None: outside the Working Groups)."""
        return {group_id: self.cleaned_data[name] for name, group_id in self.spaces.items()}
