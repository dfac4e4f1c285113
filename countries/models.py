"""A Member State's (or regional organisation's) own profile: its counter-terrorism priorities, challenges
and good practices, written by its own people. Every save is kept (pghistory): the history page lists the
versions with who saved each and what changed."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organization, OrganizationKind

#: The kinds of organisation that have a country profile (and the page's country sections).
PROFILE_KINDS = (OrganizationKind.MEMBER_STATE, OrganizationKind.REGIONAL_ORGANIZATION)

#: The profile's texts, in the order the page, the form and the brief show them.
TEXT_FIELDS = ("priorities", "challenges", "good_practices")

TEXT_LENGTH = 10_000


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CountryProfile(models.Model):
    """One per Member State or regional organisation, made by its first save. ``updated_by`` and
    ``updated_at`` are part of each version pghistory keeps, so the history says who saved which text."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="country_profile",
        verbose_name=_("organisation"),
    )  # fmt: skip
    priorities = models.TextField(_("priorities"), max_length=TEXT_LENGTH, blank=True)
    challenges = models.TextField(_("challenges"), max_length=TEXT_LENGTH, blank=True)
    good_practices = models.TextField(_("good practices"), max_length=TEXT_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("saved by")
    )

    class Meta:
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")
        ordering = ["organization_id"]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in TEXT_FIELDS)
