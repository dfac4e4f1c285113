"""Notices: short announcements posted by an organisation for the audience it chooses."""

import pghistory
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.audit import track_links
from directory.access import AudienceModel


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Notice(AudienceModel):
    """An announcement by an organisation (a call for contributions, a change of focal point, a deadline)."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10_000)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The audience filters: each arm of visible_to's OR is an index scan (bitmap-ORed by PostgreSQL).
            models.Index(fields=["visibility", "-created_at"], name="notice_visibility_idx"),
            models.Index(fields=["owner", "-created_at"], name="notice_owner_idx"),
            models.Index(fields=["working_group", "-created_at"], name="notice_wg_idx"),
            models.Index(fields=["-created_at", "-id"], name="notice_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", kwargs={"pk": self.pk})


class NoticeUserGrant(UserObjectPermissionBase):
    """A notice shared with one person (guardian, direct foreign key: filtered by index)."""

    content_object = models.ForeignKey(Notice, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("notice shared with a person")


class NoticeGroupGrant(GroupObjectPermissionBase):
    """A notice shared with a group of people."""

    content_object = models.ForeignKey(Notice, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("notice shared with a group")


# Sharing is a write like any other: grants and audience organisations are audited too.
track_links(
    Notice,
    grants=(NoticeUserGrant, NoticeGroupGrant),
    links={"audience_organizations": "NoticeAudienceOrganizationEvent"},
)
