"""Forms of discussions: a thread (with its audience), a reply, and library attachments for both."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from directory.forms import AudienceFormMixin
from directory.models import WorkingGroup
from discussions.models import BODY_MAX_LENGTH, Reply, Thread
from library.forms import LibraryLinksMixin


class ThreadForm(LibraryLinksMixin, AudienceFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Thread
        fields = ["title", "body", *AudienceFormMixin.audience_fields]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX_LENGTH}),
            "audience_organizations": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "body": _(
                "Plain text. Mention someone with @ and their email address, e.g. @name@organisation.org: "
                "they are notified if they can see the thread."
            ),
        }

    def __init__(self, *args, user, working_group: WorkingGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_audience_choices(user)
        self.add_attachments_field(user, self.instance.attachments.all() if self.instance.pk else ())
        self.start_audience(user, working_group)

    def clean(self):
        cleaned = super().clean()
        self.clean_audience(cleaned)
        return cleaned

    def offer_post_anyway(self) -> None:
        """Who would be left out was shown: posting again with this ticked goes ahead."""
        self.fields["post_anyway"] = forms.BooleanField(
            label=_("Post anyway: I have seen who will not see it"), required=False
        )

    @property
    def post_anyway(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("post_anyway"))


class ReplyForm(LibraryLinksMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Reply
        fields = ["body"]
        labels = {"body": _("Your reply")}
        widgets = {"body": forms.Textarea(attrs={"rows": 5, "maxlength": BODY_MAX_LENGTH})}
        help_texts = {
            "body": _(
                "Plain text. Mention someone with @ and their email address, e.g. @name@organisation.org."
            )
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attachments_field(user, self.instance.attachments.all() if self.instance.pk else ())
