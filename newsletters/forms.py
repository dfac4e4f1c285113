from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField, StyledFormMixin
from newsletters.models import Kind, Newsletter


class PeriodForm(StyledFormMixin, forms.Form):
    """Open a period: its kind and dates (bounded: a year 9999 is a message, never an overflow)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    start = BoundedDateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = BoundedDateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The period must end after it starts."))
        return cleaned


class NewsletterForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["title", "introduction", "body"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 24}),
        }
        help_texts = {
            "introduction": _("A few words from the Secretariat, shown before the compiled sections."),
            "body": _(
                "Plain text: a blank line starts a new paragraph, links are made clickable. Everything here "
                "goes to every subscriber."
            ),
        }


class SubscriptionForm(forms.Form):
    """The button on one's subscription page."""

    action = forms.ChoiceField(choices=[("subscribe", "subscribe"), ("unsubscribe", "unsubscribe")])
