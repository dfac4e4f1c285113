"""Requests for tailored support: what a Member State (or a regional organisation) asks of the Compact, the
offers of help it gets, its dated history of status changes, and the projects of the matrix that answer it.

A request is content (``AudienceModel``): its owner is the asking organisation and its audience is the one
the asker chose, widened by the service to its addressees (docs/support.md, "Audience").
"""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.audit import track_links
from directory.access import AudienceModel
from directory.models import Organization, WorkingGroup
from projects.models import Project, ThematicArea


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    OFFERS = "offers", _("Offers received")
    AGREED = "agreed", _("Agreed")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")


class OfferState(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SupportRequest(AudienceModel):
    """A request for tailored support by a Member State or a regional organisation (its owner), on a theme,
    optionally addressed to a Working Group and to named Compact entities."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what support is needed"), max_length=10_000)
    theme = models.ForeignKey(
        ThematicArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("thematic area")
    )
    #: Addressees, apart from the audience: the service makes sure they are within it.
    addressed_working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to the Working Group"),
    )
    addressed_entities = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("addressed to the entities")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    projects = models.ManyToManyField(
        Project, through="ProjectLink", related_name="+", verbose_name=_("projects that answer it")
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("request for support")
        verbose_name_plural = _("requests for support")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The audience filters of visible_to, each an index scan, as for every content model.
            models.Index(fields=["visibility", "-created_at"], name="support_visibility_idx"),
            models.Index(fields=["owner", "-created_at"], name="support_owner_idx"),
            models.Index(fields=["working_group", "-created_at"], name="support_wg_idx"),
            models.Index(fields=["-created_at", "-id"], name="support_recent_idx"),
            # The reminders' daily scan: open requests by age.
            models.Index(fields=["status", "created_at"], name="support_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("support:detail", kwargs={"pk": self.pk})


class SupportRequestUserGrant(UserObjectPermissionBase):
    """A request shared with one person (guardian, direct foreign key)."""

    content_object = models.ForeignKey(SupportRequest, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("request shared with a person")


class SupportRequestGroupGrant(GroupObjectPermissionBase):
    """A request shared with a group of people."""

    content_object = models.ForeignKey(SupportRequest, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("request shared with a group")


track_links(
    SupportRequest,
    grants=(SupportRequestUserGrant, SupportRequestGroupGrant),
    links={
        "audience_organizations": "SupportRequestAudienceEvent",
        "addressed_entities": "SupportRequestAddresseeEvent",
    },
)


@pghistory.track(pghistory.InsertEvent())
class StatusChange(models.Model):
    """One change of a request's status — dated, with who made it and why: the request's history."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=10, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=RequestStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    changed_at = models.DateTimeField(_("on"), default=timezone.now)
    reason = models.CharField(_("why"), max_length=1_000, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Offer(models.Model):
    """An organisation's offer to help with a request: what, by whom, when; accepted or not by the asker.
    One open offer per organisation and request (a database constraint, so two clicks make one offer)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="offers")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    text = models.TextField(_("what is offered"), max_length=5_000)
    offered_at = models.DateTimeField(_("offered"), default=timezone.now)
    state = models.CharField(_("state"), max_length=12, choices=OfferState.choices, default=OfferState.OPEN)

    class Meta:
        verbose_name = _("offer of support")
        verbose_name_plural = _("offers of support")
        ordering = ["offered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organization"],
                condition=Q(state="open"),
                name="support_one_open_offer_per_organization",
            ),
            models.UniqueConstraint(
                fields=["request"], condition=Q(state="accepted"), name="support_one_accepted_offer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.request_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class ProjectLink(models.Model):
    """A project of the matrix that answers a request, linked by the asker or the accepted offer's
    organisation."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="project_links")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("project answering a request")
        verbose_name_plural = _("projects answering requests")
        ordering = ["linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "project"], name="support_project_once")]

    def __str__(self) -> str:
        return f"{self.request_id} ↔ {self.project_id}"


class SupportReminder(models.Model):
    """The reminder that a request has had no offer for ``SUPPORT_REMINDER_DAYS`` (``support.reminders``).
    The row is the claim: inserted before the notifications, in their transaction; its unique request makes a
    rerun, a retry or a second worker find it and send nothing."""

    request = models.OneToOneField(SupportRequest, on_delete=models.CASCADE, related_name="reminder")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("support reminder")
        verbose_name_plural = _("support reminders")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.sent_at:%Y-%m-%d}"
