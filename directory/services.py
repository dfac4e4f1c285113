"""Writes to the registry and to accounts: keyword-only, atomic, checked against who is acting.

Row changes are audited by the database triggers (with the acting user and URL from the request's
pghistory context); these functions add the security events that are not row changes.
"""

from __future__ import annotations

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
from directory.access import forget_viewer, viewer
from directory.models import (
    AccessRequest,
    AccessRequestStatus,
    Invitation,
    Membership,
    MembershipRole,
    Organization,
    User,
)

#: The fields of an organisation's public profile, which its admins edit (the rest is reference data).
ORGANIZATION_PROFILE_FIELDS = ("description", "website", "contact_email", "contact_phone", "address")

#: What an organisation admin may grant; the Secretariat may grant every role.
ORGANIZATION_ADMIN_GRANTS = (MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE)


# --- Who may administer what ------------------------------------------------------------------------------


def is_secretariat(user) -> bool:
    who = viewer(user)
    return who is not None and who.is_secretariat


def administered_organization_ids(user) -> frozenset[int]:
    """Organisations whose members the user manages (as their organisation admin)."""
    who = viewer(user)
    return who.administered_organization_ids if who else frozenset()


def can_manage_members(user, organization: Organization) -> bool:
    return is_secretariat(user) or organization.pk in administered_organization_ids(user)


def grantable_roles(user, organization: Organization) -> list[str]:
    if is_secretariat(user):
        return list(MembershipRole.values)
    if organization.pk in administered_organization_ids(user):
        return [role.value for role in ORGANIZATION_ADMIN_GRANTS]
    return []


def may_export_tables(user) -> bool:
    """CSV/XLSX lists of people are for the Secretariat and organisation admins (contact cards: anyone)."""
    return is_secretariat(user) or bool(administered_organization_ids(user))


def require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise PermissionDenied


# --- Mail -------------------------------------------------------------------------------------------------


def _mail(template: str, recipients: list[str], context: dict) -> None:
    context = {"platform_name": settings.PLATFORM_NAME, **context}
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
    require_secretariat(by)
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
    require_secretariat(by)
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
) -> Invitation:
    """Send a single-use, expiring invitation; an earlier open one for the same person and organisation is
    revoked, so only the newest link works."""
    if role not in grantable_roles(by, organization):
        raise ValidationError({"role": _("You may not grant this role in this organisation.")})
    if not organization.is_active:
        raise ValidationError({"organization": _("This organisation is deactivated.")})
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError(
            {"email": _("This person already has an account: add the role from their page instead.")}
        )
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
    require_secretariat(by)
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
    require_secretariat(by)
    removed, _detail = Authenticator.objects.filter(user=user).delete()
    audit.record(SecurityEventKind.MFA_CHANGED, request=request, user=user, change="reset by the Secretariat")
    _end_sessions(user, request=request, reason="MFA reset")
    return removed


# --- Organisations, memberships, participation ------------------------------------------------------------


@transaction.atomic
def save_organization(*, organization: Organization, by) -> Organization:
    require_secretariat(by)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def add_membership(*, by, user: User, organization: Organization, role: str) -> Membership:
    if role not in grantable_roles(by, organization):
        raise ValidationError({"role": _("You may not grant this role in this organisation.")})
    if Membership.objects.filter(
        user=user, organization=organization, role=role, ended_at__isnull=True
    ).exists():
        raise ValidationError({"role": _("This person already has this role in this organisation.")})
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    forget_viewer(user)
    return membership


@transaction.atomic
def end_membership(*, by, membership: Membership) -> Membership:
    if not can_manage_members(by, membership.organization):
        raise PermissionDenied
    if membership.role == MembershipRole.ORGANIZATION_ADMIN and not is_secretariat(by):
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
    if not can_manage_members(by, organization):
        raise PermissionDenied
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
