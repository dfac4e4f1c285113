"""Who takes part in a Working Group, managed by those who run its space: chairs, designated space managers
and the Secretariat. Who may make each change is ``directory.rules`` (nobody brings their own
organisation in, raises its role or designates themselves); the checks run here, in the service, whatever
calls it.

Every change is audited (pghistory tracks Participation and the manager grants), and
notified to the organisations concerned (their current people) and to the space's managers.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from core.i18n import in_each_readers_language
from directory import rules
from directory.access import forget_viewer
from directory.models import (
    LEADERSHIP_ROLES,
    Membership,
    Organization,
    OrganizationKind,
    Participation,
    ParticipationRole,
    User,
    WorkingGroup,
    WorkingGroupUserGrant,
)
from directory.spaces import MANAGE_SPACE, designated_managers, managers_of
from notifications.services import notify

#: Guests are invited for a topic: Member States and regional organisations ("multi-stakeholder
#: collaboration"); Compact entities and other organisations take part as members or observers.
GUEST_KINDS = (OrganizationKind.MEMBER_STATE, OrganizationKind.REGIONAL_ORGANIZATION)
MAX_GUEST_DAYS = 3 * 366


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _refuse_own(by, what: str) -> ValidationError:
    return ValidationError(
        _(
            "You act for this organisation: %(what)s is for the group's other managers or the Secretariat, "
            "so that nobody decides their own role."
        )
        % {"what": what}
    )


def _keeps_leadership(
    working_group: WorkingGroup, participation: Participation, new_role: str | None
) -> bool:
    """Would the group still have an organisation running it (chair, co-chair or vice-chair)?"""
    if participation.role not in LEADERSHIP_ROLES or new_role in LEADERSHIP_ROLES:
        return True
    others = Participation.objects.filter(working_group=working_group, role__in=LEADERSHIP_ROLES).exclude(
        pk=participation.pk
    )
    return others.exists()


def _people_of(organization: Organization):
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(organization=organization, ended_at__isnull=True).values("user_id"),
    )


def _announce(working_group: WorkingGroup, organization: Organization, subject, body) -> None:
    recipients = {*_people_of(organization), *managers_of(working_group)}
    notify(
        recipients=recipients,
        subject=subject,
        body=body,
        url=reverse("working_groups:home", kwargs={"pk": working_group.pk}),
        working_group=working_group,
        kind="membership",
    )


def _clean_guest(organization: Organization, topic: str, until: datetime.date | None) -> None:
    errors = {}
    if organization.kind not in GUEST_KINDS:
        errors["organization"] = _(
            "Guests are Member States and regional organisations; add other organisations as members or "
            "observers."
        )
    if not topic.strip():
        errors["topic"] = _("Say on which topic the guest is invited.")
    today = timezone.localdate()
    if until is not None and until < today:
        errors["until"] = _("The invitation must end today or later.")
    elif until is not None and (until - today).days > MAX_GUEST_DAYS:
        errors["until"] = _("An invitation lasts at most three years.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_participant(
    *,
    working_group: WorkingGroup,
    organization: Organization,
    role: str,
    by,
    topic: str = "",
    until: datetime.date | None = None,
) -> Participation:
    """Add an organisation (a guest: for a topic, until a date) to the group."""
    _require(rules.can_manage_space(by, working_group))
    if not rules.can_add_participant(by, working_group, organization):
        raise _refuse_own(by, _("adding it to the group"))
    if role not in ParticipationRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    if not organization.is_active:
        raise ValidationError({"organization": _("This organisation is no longer active.")})
    if role == ParticipationRole.GUEST:
        _clean_guest(organization, topic, until)
    else:
        topic, until = "", None
    if Participation.objects.filter(working_group=working_group, organization=organization).exists():
        raise ValidationError(
            {
                "organization": _("%(org)s already takes part: change its role in the list.")
                % {"org": organization}
            }
        )
    participation = Participation.objects.create(
        working_group=working_group, organization=organization, role=role, topic=topic.strip(), until=until
    )
    if role == ParticipationRole.GUEST:
        body = in_each_readers_language(
            lambda: (
                _("%(org)s is invited to %(wg)s as a guest on “%(topic)s”%(until)s.")
                % {
                    "org": organization.display_name,
                    "wg": working_group,
                    "topic": participation.topic,
                    "until": _(" until %(date)s") % {"date": until.isoformat()} if until else "",
                }
            )
        )
    else:
        body = in_each_readers_language(
            lambda: (
                _("%(org)s now takes part in %(wg)s as %(role)s.")
                % {
                    "org": organization.display_name,
                    "wg": working_group,
                    "role": participation.get_role_display().lower(),
                }
            )
        )
    _announce(working_group, organization, body, body)
    return participation


@transaction.atomic
def change_role(*, participation: Participation, role: str, by) -> Participation:
    working_group = participation.working_group
    _require(rules.can_manage_space(by, working_group))
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if role not in ParticipationRole.values or role == ParticipationRole.GUEST:
        raise ValidationError({"role": _("Choose a role from the list (guests are invited with a topic).")})
    if role == participation.role:
        return participation
    if not rules.can_change_participation(by, participation, role):
        raise _refuse_own(by, _("giving it a higher role"))
    _lock_leadership(working_group)
    if not _keeps_leadership(working_group, participation, role):
        raise ValidationError(
            _("%(wg)s needs an organisation to run it: make another organisation chair first.")
            % {"wg": working_group}
        )
    participation.role = role
    participation.topic, participation.until = "", None
    participation.save(update_fields=["role", "topic", "until"])
    body = in_each_readers_language(
        lambda: (
            _("%(org)s is now %(role)s of %(wg)s.")
            % {
                "org": participation.organization.display_name,
                "role": participation.get_role_display().lower(),
                "wg": working_group,
            }
        )
    )
    _announce(working_group, participation.organization, body, body)
    return participation


@transaction.atomic
def remove_participant(*, participation: Participation, by) -> None:
    working_group = participation.working_group
    _require(rules.can_remove_participant(by, participation))
    _lock_leadership(working_group)
    if not _keeps_leadership(working_group, participation, None):
        raise ValidationError(
            _("%(wg)s needs an organisation to run it: make another organisation chair first.")
            % {"wg": working_group}
        )
    organization = participation.organization
    participation.delete()
    _drop_lapsed_designations(working_group)
    body = in_each_readers_language(
        lambda: (
            _("%(org)s no longer takes part in %(wg)s.")
            % {
                "org": organization.display_name,
                "wg": working_group,
            }
        )
    )
    _announce(working_group, organization, body, body)


def _drop_lapsed_designations(working_group: WorkingGroup) -> None:
    """Designations of people none of whose organisations still takes part: they already count for nothing
    (``directory.rules.can_manage_space``); removing them keeps the members page and the trail honest."""
    WorkingGroupUserGrant.objects.filter(
        content_object=working_group, permission__codename=MANAGE_SPACE
    ).exclude(user__in=designated_managers(working_group)).delete()


def _lock_leadership(working_group: WorkingGroup) -> None:
    # Two chairs stepping down at the same moment must not both pass the "someone else runs it" check.
    list(
        Participation.objects.select_for_update().filter(
            working_group=working_group, role__in=LEADERSHIP_ROLES
        )
    )


# --- Designated space managers ------------------------------------------------------------------------------


@transaction.atomic
def designate_manager(*, working_group: WorkingGroup, person: User, by) -> None:
    """A chair designates someone (of an organisation taking part) to help run the space. The designation
    counts only while one of the person's organisations takes part (``directory.rules.can_manage_space``)."""
    _require(rules.can_manage_space(by, working_group))
    if not rules.can_designate_manager(by, working_group, person):
        raise ValidationError(_("You already run this space: designate someone else."))
    takes_part = (
        Participation.objects.current()
        .filter(
            working_group=working_group,
            organization__in=Membership.objects.filter(user=person, ended_at__isnull=True).values(
                "organization_id"
            ),
        )
        .exists()
    )
    if not person.is_active or not takes_part:
        raise ValidationError(
            _("%(name)s is not a focal point of an organisation taking part in %(wg)s.")
            % {"name": person.full_name, "wg": working_group}
        )
    assign_perm(f"directory.{MANAGE_SPACE}", person, working_group)
    forget_viewer(person)
    notify(
        recipients=[person],
        subject=in_each_readers_language(lambda: _("You help manage %(wg)s") % {"wg": working_group}),
        body=in_each_readers_language(
            lambda: _("The chairs of %(wg)s designated you to help manage its space.") % {"wg": working_group}
        ),
        url=reverse("working_groups:home", kwargs={"pk": working_group.pk}),
        working_group=working_group,
        kind="membership",
    )


@transaction.atomic
def withdraw_manager(*, working_group: WorkingGroup, person: User, by) -> None:
    _require(rules.can_manage_space(by, working_group))
    remove_perm(f"directory.{MANAGE_SPACE}", person, working_group)
    forget_viewer(person)
