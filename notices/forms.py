from django import forms

from core.forms import StyledFormMixin
from directory.forms import AudienceFormMixin
from notices.models import Notice


class NoticeForm(AudienceFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["title", "body", *AudienceFormMixin.audience_fields]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "audience_organizations": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_audience_choices(user)

    def clean(self):
        cleaned = super().clean()
        self.clean_audience(cleaned)
        return cleaned
