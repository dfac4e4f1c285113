"""The country profile's form: three texts, each at most ``TEXT_LENGTH`` characters (Django's text fields
refuse NUL bytes with a message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from countries.models import TEXT_FIELDS, CountryProfile


class CountryProfileForm(forms.ModelForm):
    class Meta:
        model = CountryProfile
        fields = list(TEXT_FIELDS)
        help_texts = {
            "priorities": _("What the country puts first in preventing and countering terrorism."),
            "challenges": _("Where it needs support or faces obstacles."),
            "good_practices": _("What worked, that others could learn from."),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in TEXT_FIELDS}
