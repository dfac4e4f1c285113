"""Forms of discussions: a thread (with its audience), a reply, and library attachments for both."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from directory.access import Visibility, viewer
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
        self.viewer = viewer(user)
        self.add_attachments_field(user, self.instance.attachments.all() if self.instance.pk else ())
        if working_group is not None and not self.instance.pk and not self.is_bound:
            # Started from a Working Group's space: the space's audience, members only by default where
            # the user's organisation is a member, everyone in the space otherwise.
            self.fields["working_group"].initial = working_group.pk
            members = self.viewer is not None and working_group.pk in self.viewer.member_group_ids
            self.fields["visibility"].initial = (
                Visibility.WORKING_GROUP_MEMBERS if members else Visibility.WORKING_GROUP
            )

    def clean(self):
        cleaned = super().clean()
        self.clean_audience(cleaned)
        return cleaned


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
