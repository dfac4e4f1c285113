"""Keeping the directory current: yearly reconfirmation of focal points, stale flags, and handovers.

- ``request_reconfirmations`` asks every focal point and alternate whose details were last confirmed more
  than RECONFIRM_EVERY_DAYS ago to confirm them again — one email per person and cycle, however often the
  scheduled job runs (Celery beat runs it every six hours; see directory.tasks).
- ``reconfirm`` records the person's answer.
- ``annotate_stale`` flags, in the directory's own query, the people neither reconfirmed nor signed in for
  STALE_AFTER_DAYS.
- ``handover`` moves a leaving person's roles in one organisation to a successor of the same organisation
  and deactivates the leaver, in one transaction; memberships are ended, never deleted, so history stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import rules
from directory.access import forget_viewer
from directory.indexing import batched
from directory.models import Membership, MembershipRole, Organization, Profile, User
from directory.people import refresh_search_index
from directory.services import _end_sessions, _mail

#: The roles whose holders are asked to reconfirm their details.
RECONFIRMED_ROLES = (MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE)

#: People handled per transaction by ``request_reconfirmations``: a crash keeps the batches already done,
#: and row locks are held briefly.
RECONFIRM_BATCH = 200


# --- Reconfirmation ---------------------------------------------------------------------------------------


def reconfirm_cutoff(now: datetime | None = None) -> datetime:
    """Details confirmed before this moment are due for reconfirmation."""
    return (now or timezone.now()) - timedelta(days=settings.RECONFIRM_EVERY_DAYS)


def _asked_people() -> QuerySet[User]:
    """Active people holding a current focal-point or alternate role in an active organisation (people of a
    deactivated organisation are no longer listed in the directory, so they are not asked)."""
    holders = Membership.objects.filter(
        ended_at__isnull=True, role__in=RECONFIRMED_ROLES, organization__is_active=True
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=holders)


def due_for_reconfirmation(now: datetime | None = None) -> QuerySet[Profile]:
    """Profiles of the people to ask now: focal points and alternates whose details were confirmed more than
    a cycle ago and who have not been asked since (or were asked more than a cycle ago and never answered:
    they are reminded once per cycle, never more often)."""
    now = now or timezone.now()
    cutoff = reconfirm_cutoff(now)
    not_asked_this_cycle = (
        Q(reconfirmation_requested_at__isnull=True)
        | Q(reconfirmation_requested_at__lt=F("reconfirmed_at"))
        | Q(reconfirmation_requested_at__lt=cutoff)
    )
    return Profile.objects.filter(
        not_asked_this_cycle, reconfirmed_at__lt=cutoff, user__in=_asked_people()
    ).order_by("user_id")


def _create_missing_profiles(now: datetime) -> None:
    """People asked to reconfirm need a profile; one created here counts as confirmed when they joined."""
    missing = list(_asked_people().filter(profile__isnull=True).values_list("pk", "date_joined"))
    if not missing:
        return
    Profile.objects.bulk_create(
        [Profile(user_id=pk, reconfirmed_at=min(joined, now)) for pk, joined in missing],
        ignore_conflicts=True,  # a profile created meanwhile by someone else wins
    )
    refresh_search_index(pk for pk, _joined in missing)  # bulk_create sends no signal


def reconfirm_link(base_url: str | None = None) -> str:
    """The absolute address of the reconfirmation page (PLATFORM_URL, e.g. "https://compact.example",
    names the site; without it the link is the bare path)."""
    if base_url is None:
        base_url = getattr(settings, "PLATFORM_URL", "")
    return base_url.rstrip("/") + reverse("directory:reconfirm")


def request_reconfirmations(*, now: datetime | None = None, base_url: str | None = None) -> int:
    """Email every focal point and alternate due for reconfirmation once; returns how many were asked.

    Idempotent: the request is stamped (``reconfirmation_requested_at``) in the same transaction that
    enqueues the email, which is sent only after that commit; a second run finds nobody new. Two runs at the
    same time do not ask anyone twice either: each locks the rows it handles and skips rows locked by the
    other (SELECT ... FOR UPDATE SKIP LOCKED), then re-reads the condition under the lock.
    """
    now = now or timezone.now()
    link = reconfirm_link(base_url)
    with transaction.atomic():
        _create_missing_profiles(now)
    asked = 0
    while True:
        with transaction.atomic():
            batch = list(
                due_for_reconfirmation(now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("user")[:RECONFIRM_BATCH]
            )
            for profile in batch:
                profile.reconfirmation_requested_at = now
                _mail(
                    "reconfirm",
                    [profile.user.email],
                    {
                        "person": profile.user,
                        "link": link,
                        "confirmed_at": profile.reconfirmed_at,
                        "days": settings.RECONFIRM_EVERY_DAYS,
                    },
                    person=profile.user,
                )
            Profile.objects.bulk_update(batch, ["reconfirmation_requested_at"])
        asked += len(batch)
        if len(batch) < RECONFIRM_BATCH:
            return asked


@transaction.atomic
def reconfirm(*, user: User, now: datetime | None = None) -> Profile:
    """The person confirms their details are current: the cycle starts again from now."""
    profile, created = Profile.objects.select_for_update().get_or_create(user=user)
    profile.reconfirmed_at = now or timezone.now()
    profile.reconfirmation_requested_at = None
    profile.save(update_fields=["reconfirmed_at", "reconfirmation_requested_at", "updated_at"])
    return profile


# --- Stale profiles ---------------------------------------------------------------------------------------


def stale_cutoff(now: datetime | None = None) -> datetime:
    """Neither a reconfirmation nor a sign-in since this moment makes a profile stale."""
    return (now or timezone.now()) - timedelta(days=settings.STALE_AFTER_DAYS)


def annotate_stale(people: QuerySet[User], now: datetime | None = None) -> QuerySet[User]:
    """``people`` with a boolean ``is_stale``: details not reconfirmed AND no sign-in within
    STALE_AFTER_DAYS. A person without a profile counts as confirmed when they joined; one who never
    signed in (``last_login`` null) as never used. Computed in the list's own query, no extra query."""
    cutoff = stale_cutoff(now)
    not_reconfirmed = Q(stale_confirmed_at__lt=cutoff)
    not_used = Q(last_login__isnull=True) | Q(last_login__lt=cutoff)
    return people.annotate(stale_confirmed_at=Coalesce("profile__reconfirmed_at", "date_joined")).annotate(
        is_stale=ExpressionWrapper(not_reconfirmed & not_used, output_field=BooleanField())
    )


# --- Handover ---------------------------------------------------------------------------------------------


@dataclass
class HandoverSummary:
    """What a handover did, for the confirmation message."""

    organization: Organization
    leaver: User
    successor: User
    moved: list[str] = field(default_factory=list)  # roles the successor received
    already_held: list[str] = field(default_factory=list)  # roles the successor held already
    deactivated: bool = False
    sessions_ended: int = 0

    @property
    def role_labels(self) -> list[str]:
        return [str(MembershipRole(role).label) for role in [*self.moved, *self.already_held]]


@transaction.atomic
@batched()
def handover(
    *, by, organization: Organization, leaver: User, successor: User, request=None
) -> HandoverSummary:
    """Move every current role of ``leaver`` in ``organization`` to ``successor``, then deactivate the
    leaver and end their sessions.

    Allowed for the organisation's admins and the Secretariat. The successor must be an active person who
    already belongs to the same organisation: a handover never brings someone into an organisation (that is
    an invitation, with its own checks). The leaver's memberships are ended, not deleted, so who held which
    role when stays in the registry and the audit trail.

    An organisation admin's role is only handed over by the Secretariat (only the Secretariat grants it).
    A leaver who still represents another organisation keeps their account: an organisation's admins must
    not be able to lock someone out of another organisation; the Secretariat deactivates accounts itself.
    """
    if not rules.can_manage_organization(by, organization):
        raise PermissionDenied
    names = {"leaver": leaver, "successor": successor, "organization": organization.display_name}
    if leaver.pk == successor.pk:
        raise ValidationError(
            {"successor": _("The successor must be someone other than the person leaving.")}
        )
    if leaver.pk == by.pk:
        raise ValidationError(
            {
                "leaver": _(
                    "You cannot hand over your own roles: ask another admin of %(organization)s or the "
                    "Secretariat."
                )
                % names
            }
        )
    # Lock the leaver's row first: two handovers of the same person run one after the other, and the second
    # finds no current role left.
    User.objects.select_for_update().filter(pk=leaver.pk).first()
    roles = list(
        Membership.objects.select_for_update()
        .filter(user=leaver, organization=organization, ended_at__isnull=True)
        .order_by("role")
    )
    if not roles:
        raise ValidationError({"leaver": _("%(leaver)s holds no current role in %(organization)s.") % names})
    if not successor.is_active:
        raise ValidationError(
            {"successor": _("%(successor)s's account is deactivated: choose an active person.") % names}
        )
    successor_roles = set(
        Membership.objects.filter(
            user=successor, organization=organization, ended_at__isnull=True
        ).values_list("role", flat=True)
    )
    if not successor_roles:
        raise ValidationError(
            {
                "successor": _(
                    "%(successor)s is not a member of %(organization)s: invite them first, then hand over."
                )
                % names
            }
        )
    if any(
        membership.role == MembershipRole.ORGANIZATION_ADMIN for membership in roles
    ) and not rules.can_administer_platform(by):
        raise ValidationError(
            {"leaver": _("Only the Secretariat can hand over the role of an organisation admin.")}
        )

    now = timezone.now()
    summary = HandoverSummary(organization=organization, leaver=leaver, successor=successor)
    for membership in roles:
        membership.ended_at = now
        membership.save(update_fields=["ended_at"])
        if membership.role in successor_roles:
            summary.already_held.append(membership.role)
        else:
            Membership.objects.create(
                user=successor, organization=organization, role=membership.role, started_at=now
            )
            summary.moved.append(membership.role)

    still_represents = Membership.objects.filter(
        user=leaver, ended_at__isnull=True, organization__is_active=True
    ).exists()
    if leaver.is_active and not still_represents:
        leaver.is_active = False
        leaver.save(update_fields=["is_active"])
        summary.deactivated = True
        summary.sessions_ended = _end_sessions(leaver, request=request, reason="handover")
    forget_viewer(leaver)
    forget_viewer(successor)
    return summary
