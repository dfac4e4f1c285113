"""Writes to the registry and to accounts: keyword-only, atomic, checked against who is acting.

Row changes are audited by the database triggers (with the acting user and URL from the request's
pghistory context); these functions add the security events that are not row changes.
"""

from __future__ import annotations

from contextlib import nullcontext

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import SecurityEventKind
from core.tasks import enqueue, send_email
from directory import rules
from directory.access import forget_viewer
from directory.models import (
    AccessRequest,
    AccessRequestStatus,
    Invitation,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    Organization,
    User,
)
from directory.profiles import addressed_to

#: The fields of an organisation's public profile, which its admins edit (the rest is reference data).
ORGANIZATION_PROFILE_FIELDS = ("description", "website", "contact_email", "contact_phone", "address")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Mail -------------------------------------------------------------------------------------------------


def _mail(template: str, recipients: list[str], context: dict, *, person: User | None = None) -> None:
    """An e-mail from the directory; to a ``person`` with an account, in their language and time zone
    (to an address without one: in the language of the page that sent it)."""
    context = {"platform_name": settings.PLATFORM_NAME, **context}
    with addressed_to(person) if person else nullcontext():
        subject = " ".join(render_to_string(f"directory/email/{template}_subject.txt", context).split())
        body = render_to_string(f"directory/email/{template}_message.txt", context)
    enqueue(send_email, subject=subject, body=body, recipients=recipients)


# --- Access requests and invitations ----------------------------------------------------------------------


@transaction.atomic
def submit_access_request(
    *, full_name: str, email: str, organization_name: str, job_title: str, justification: str
) -> AccessRequest:
    """Record a visitor's request. Whether the email already has an account is never revealed."""
    access_request = AccessRequest.objects.create(
        full_name=full_name,
        email=email.strip().lower(),
        organization_name=organization_name,
        job_title=job_title,
        justification=justification,
    )
    _mail("access_request_received", [settings.SECRETARIAT_EMAIL], {"access_request": access_request})
    return access_request


@transaction.atomic
def approve_access_request(
    *, access_request: AccessRequest, by, organization: Organization, role: str, base_url: str
) -> Invitation:
    _require(rules.can_administer_platform(by))
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if access_request.status != AccessRequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    invitation = invite(
        by=by,
        email=access_request.email,
        full_name=access_request.full_name,
        organization=organization,
        role=role,
        base_url=base_url,
        access_request=access_request,
    )
    access_request.status = AccessRequestStatus.APPROVED
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "decided_by", "decided_at"])
    return invitation


@transaction.atomic
def reject_access_request(*, access_request: AccessRequest, by, reason: str) -> AccessRequest:
    _require(rules.can_administer_platform(by))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason: it is sent to the person who asked.")})
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if access_request.status != AccessRequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    access_request.status = AccessRequestStatus.REJECTED
    access_request.rejection_reason = reason.strip()
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    _mail("access_request_rejected", [access_request.email], {"access_request": access_request})
    return access_request


@transaction.atomic
def invite(
    *,
    by,
    email: str,
    organization: Organization,
    role: str,
    base_url: str,
    full_name: str = "",
    access_request: AccessRequest | None = None,
) -> Invitation | MembershipRequest | Membership:
    """Bring a person into an organisation by their address: an address without an account gets a
    single-use, expiring invitation (an earlier open one for the same person and organisation is revoked,
    so only the newest link works); an existing account is asked to accept the role
    (``add_membership``). The caller answers both the same way, so the form never reveals whether an
    address has an account."""
    if not rules.can_grant_role(by, organization, role):
        raise ValidationError({"role": _("You may not grant this role in this organisation.")})
    if not organization.is_active:
        raise ValidationError({"organization": _("This organisation is deactivated.")})
    email = email.strip().lower()
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return add_membership(by=by, user=existing, organization=organization, role=role, base_url=base_url)
    Invitation.objects.usable().filter(email=email, organization=organization).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation(
        email=email,
        full_name=full_name,
        organization=organization,
        role=role,
        invited_by=by,
        access_request=access_request,
    )
    token = invitation.issue_token()
    invitation.save()
    link = base_url.rstrip("/") + reverse("directory:accept_invitation", kwargs={"token": token})
    _mail(
        "invitation", [email], {"invitation": invitation, "link": link, "days": settings.INVITATION_TTL_DAYS}
    )
    return invitation


def usable_invitation(token: str) -> Invitation | None:
    return Invitation.objects.usable().by_token(token).select_related("organization").first()


@transaction.atomic
def accept_invitation(*, token: str, full_name: str, password: str) -> User:
    """Create the account and its membership; the link then stops working (single use, even if two
    requests race: the invitation row is locked)."""
    invitation = Invitation.objects.select_for_update().by_token(token).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError(_("This invitation link has expired or has already been used."))
    if User.objects.filter(email=invitation.email).exists():
        raise ValidationError(_("An account already exists for this email address. Sign in instead."))
    user = User(email=invitation.email, full_name=full_name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, organization=invitation.organization, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


# --- Users ------------------------------------------------------------------------------------------------


def _end_sessions(user: User, *, request=None, reason: str) -> int:
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    audit.record(
        SecurityEventKind.SESSIONS_ENDED, request=request, user=user, reason=reason, count=len(sessions)
    )
    return len(sessions)


@transaction.atomic
def set_user_active(*, user: User, active: bool, by, request=None) -> User:
    """Deactivating ends all the user's sessions at once; their content and history stay."""
    _require(rules.can_administer_platform(by))
    if user.pk == by.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _end_sessions(user, request=request, reason="deactivated")
    return user


@transaction.atomic
def reset_mfa(*, user: User, by, request=None) -> int:
    """Remove every second factor (lost phone): the user enrols again at the next sign-in."""
    _require(rules.can_administer_platform(by))
    removed, _detail = Authenticator.objects.filter(user=user).delete()
    audit.record(SecurityEventKind.MFA_CHANGED, request=request, user=user, change="reset by the Secretariat")
    _end_sessions(user, request=request, reason="MFA reset")
    return removed


# --- Organisations, memberships, participation ------------------------------------------------------------


@transaction.atomic
def save_organization(*, organization: Organization, by) -> Organization:
    _require(rules.can_administer_platform(by))
    organization.full_clean()
    organization.save()
    return organization


def _belongs_to(user: User, organization: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=organization, ended_at__isnull=True).exists()


@transaction.atomic
def add_membership(
    *, by, user: User, organization: Organization, role: str, base_url: str = ""
) -> Membership | MembershipRequest:
    """Give ``user`` a role in ``organization``. Someone who already belongs to the organisation gets it at
    once (its admins manage its people); anyone else is asked first and keeps everything as it is until
    they accept (``answer_membership_request``): joining lets the organisation's admins edit their profile.
    Asking again while a request waits changes nothing and sends nothing."""
    if not rules.can_grant_role(by, organization, role):
        raise ValidationError({"role": _("You may not grant this role in this organisation.")})
    if Membership.objects.filter(
        user=user, organization=organization, role=role, ended_at__isnull=True
    ).exists():
        raise ValidationError({"role": _("This person already has this role in this organisation.")})
    if _belongs_to(user, organization):
        membership = Membership.objects.create(user=user, organization=organization, role=role)
        forget_viewer(user)
        return membership
    pending = MembershipRequest.objects.pending().filter(user=user, organization=organization, role=role)
    if pending.exists():
        return pending.get()
    request = MembershipRequest.objects.create(
        user=user, organization=organization, role=role, requested_by=by
    )
    if user.is_active:
        link = (base_url or settings.PLATFORM_URL).rstrip("/") + reverse("directory:membership_requests")
        _mail("membership_request", [user.email], {"request": request, "link": link, "by": by}, person=user)
    return request


def _lock_pending(request: MembershipRequest) -> MembershipRequest:
    locked = MembershipRequest.objects.select_for_update().select_related("organization").get(pk=request.pk)
    if locked.status != MembershipRequestStatus.PENDING:
        raise ValidationError(_("This request was already answered or withdrawn."))
    return locked


@transaction.atomic
def answer_membership_request(*, by, request: MembershipRequest, accept: bool) -> Membership | None:
    """The person asked accepts (the role starts now) or declines. The request lapses if whoever asked may
    no longer grant the role (they left, or lost their admin role): a right is checked when it is used."""
    _require(request.user_id == by.pk)
    request = _lock_pending(request)
    request.decided_at = timezone.now()
    if not accept:
        request.status = MembershipRequestStatus.DECLINED
        request.save(update_fields=["status", "decided_at"])
        return None
    asker = request.requested_by
    if (
        asker is None
        or not request.organization.is_active
        or not rules.can_grant_role(asker, request.organization, request.role)
    ):
        request.status = MembershipRequestStatus.LAPSED
        request.save(update_fields=["status", "decided_at"])
        return None
    request.status = MembershipRequestStatus.ACCEPTED
    request.save(update_fields=["status", "decided_at"])
    membership, _created = Membership.objects.get_or_create(
        user=by, organization=request.organization, role=request.role, ended_at__isnull=True
    )
    forget_viewer(by)
    return membership


@transaction.atomic
def withdraw_membership_request(*, by, request: MembershipRequest) -> MembershipRequest:
    """The organisation's managers take back a request that waits."""
    _require(rules.can_manage_organization(by, request.organization))
    request = _lock_pending(request)
    request.status = MembershipRequestStatus.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request


@transaction.atomic
def end_membership(*, by, membership: Membership) -> Membership:
    _require(rules.can_manage_organization(by, membership.organization))
    if not rules.can_end_membership(by, membership):
        raise ValidationError(_("Only the Secretariat can remove an organisation admin."))
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    forget_viewer(membership.user)
    return membership


@transaction.atomic
def update_organization_profile(*, organization: Organization, by, **profile: str) -> Organization:
    """Save the public profile of an organisation (description, website, general contacts, address).

    Its admins and the Secretariat may; the reference fields (name, acronym, kind, ISO code, region) stay
    with the Secretariat's pages and cannot be changed through here. The row change is audited by the
    database triggers.
    """
    _require(rules.can_manage_organization(by, organization))
    unknown = set(profile) - set(ORGANIZATION_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in profile.items():
        setattr(organization, name, value)
    exclude = [
        f.name for f in Organization._meta.concrete_fields if f.name not in ORGANIZATION_PROFILE_FIELDS
    ]
    organization.clean_fields(exclude=exclude)
    organization.save(update_fields=[*profile, "updated_at"])
    return organization
