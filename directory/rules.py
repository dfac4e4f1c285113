"""Who may do what: the registry's rules, and the rules every piece of content shares.

Every "may X" of the registry lives here, as a small function named for what it allows
(``can_<verb>_<noun>(user, obj)``); every content app states its own in its ``rules.py`` the same way and
registers its content models' rules with ``register_content_rules``. Views, services, forms and templates
ask these functions — never ``viewer(user).is_secretariat`` or a membership query of their own — so a
rule is written once and read the same way everywhere.

Management rights are derived on every check from *current* facts, never from a grant that could
outlive them (rule 7 of the access model, docs/access-control.md):

- the Secretariat: the Secretariat group and a current role in the Secretariat's organisation
  (``directory.access.viewer``);
- organisation admins: a current ``organization_admin`` membership of an active organisation;
- a Working Group space's managers: the people of its chairing organisations (current participation),
  the Secretariat, and people the chairs designated — only while one of their organisations takes part.

Nobody raises their own role: an organisation admin grants only focal-point and alternate roles, a space
manager cannot add their own organisation to a group, raise its role there, or designate themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from directory.access import DERIVED_CACHES, AudienceModel, Visibility, viewer
from directory.models import (
    Membership,
    MembershipRole,
    Organization,
    Participation,
    ParticipationRole,
    User,
    WorkingGroup,
    WorkingGroupUserGrant,
)
from directory.spaces import MANAGE_SPACE

# --- The Secretariat --------------------------------------------------------------------------------------


def can_administer_platform(user) -> bool:
    """The Secretariat's administration: access requests, invitations, organisations, accounts, Working
    Group participation, the audit trail. It gives no right to read other organisations' content."""
    who = viewer(user)
    return who is not None and who.is_secretariat


# --- Organisations and their people -----------------------------------------------------------------------

#: What an organisation admin may grant; the Secretariat may grant every role.
ORGANIZATION_ADMIN_GRANTS = (MembershipRole.FOCAL_POINT, MembershipRole.ALTERNATE)


def can_manage_organization(user, organization: Organization) -> bool:
    """Its people (invitations, roles, handovers) and its public profile: its organisation admins and
    the Secretariat."""
    who = viewer(user)
    return who is not None and (who.is_secretariat or organization.pk in who.administered_organization_ids)


def grantable_roles(user, organization: Organization) -> list[str]:
    """The roles ``user`` may give in ``organization`` (none outside the organisations they manage)."""
    who = viewer(user)
    if who is None:
        return []
    if who.is_secretariat:
        return list(MembershipRole.values)
    if organization.pk in who.administered_organization_ids:
        return [role.value for role in ORGANIZATION_ADMIN_GRANTS]
    return []


def can_grant_role(user, organization: Organization, role: str) -> bool:
    return role in grantable_roles(user, organization)


def can_end_membership(user, membership: Membership) -> bool:
    """An organisation's managers end its people's roles; an organisation admin's role only the
    Secretariat ends (only the Secretariat grants it)."""
    if not can_manage_organization(user, membership.organization):
        return False
    return membership.role != MembershipRole.ORGANIZATION_ADMIN or can_administer_platform(user)


def can_edit_profile(user, person: User) -> bool:
    """People edit their own profile; organisation admins edit their organisation's people — people who
    joined the organisation themselves (an invitation or a role they accepted), never someone added
    without their consent (directory.services.add_membership asks the person first)."""
    who = viewer(user)
    if who is None:
        return False
    if who.user_id == person.pk:
        return True
    if not who.administered_organization_ids:
        return False
    return Membership.objects.filter(
        user=person, ended_at__isnull=True, organization_id__in=who.administered_organization_ids
    ).exists()


def can_export_people_tables(user) -> bool:
    """CSV/XLSX lists of people are for the Secretariat and organisation admins (contact cards: anyone)."""
    who = viewer(user)
    return who is not None and (who.is_secretariat or bool(who.administered_organization_ids))


# --- Working Group spaces ---------------------------------------------------------------------------------

DESIGNATED_CACHE = "_designated_spaces"
DERIVED_CACHES.append(DESIGNATED_CACHE)


def _designated_space_ids(user) -> frozenset[int]:
    """Groups the user was designated to help manage (one query, then cached on the user for the
    request, and dropped with the viewer)."""
    cached = getattr(user, DESIGNATED_CACHE, None)
    if cached is None:
        cached = frozenset(
            WorkingGroupUserGrant.objects.filter(
                user_id=user.pk, permission__codename=MANAGE_SPACE
            ).values_list("content_object_id", flat=True)
        )
        setattr(user, DESIGNATED_CACHE, cached)
    return cached


def can_manage_space(user, working_group: WorkingGroup | int) -> bool:
    """Runs the group's space (participants, guests, moderation, rounds, reports): the Secretariat; the
    people of its chairing organisations; people the chairs designated, while one of their organisations
    still takes part (a designation never outlives the participation it came with)."""
    who = viewer(user)
    if who is None:
        return False
    group_id = getattr(working_group, "pk", working_group)
    if who.is_secretariat or group_id in who.led_group_ids:
        return True
    return group_id in who.working_group_ids and group_id in _designated_space_ids(user)


#: Participation roles from the highest to the lowest: "raising" a role moves it up this list.
ROLE_RANK = {role: rank for rank, role in enumerate(reversed(ParticipationRole.values))}


def _acts_for(user, organization_id: int) -> bool:
    who = viewer(user)
    return who is not None and organization_id in who.organization_ids and not who.is_secretariat


def can_add_participant(user, working_group: WorkingGroup, organization: Organization) -> bool:
    """A space's managers add organisations — not their own (nobody brings themselves in)."""
    return can_manage_space(user, working_group) and not _acts_for(user, organization.pk)


def can_change_participation(user, participation: Participation, role: str) -> bool:
    """A space's managers change roles; their own organisation's only downwards (a chair may step down,
    a designated manager may not make their organisation chair)."""
    if not can_manage_space(user, participation.working_group_id):
        return False
    if not _acts_for(user, participation.organization_id):
        return True
    return ROLE_RANK.get(role, len(ROLE_RANK)) <= ROLE_RANK.get(participation.role, -1)


def can_remove_participant(user, participation: Participation) -> bool:
    return can_manage_space(user, participation.working_group_id)


def can_designate_manager(user, working_group: WorkingGroup, person: User) -> bool:
    """A space's managers designate helpers — never themselves."""
    return can_manage_space(user, working_group) and person.pk != user.pk


# --- Content: the rules every audience model shares -------------------------------------------------------


def can_view_content(user, obj: AudienceModel) -> bool:
    """Exactly the rows ``visible_to(user)`` returns: the detail check is the list query, for one id."""
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


def can_change_content(user, obj: AudienceModel) -> bool:
    """The owner organisation's people, and anyone holding a ``change`` grant on the object."""
    who = viewer(user)
    if who is None:
        return False
    if obj.owner_id in who.organization_ids:
        return True
    granted = type(obj).granted_ids(who, ("change",))
    return type(obj)._default_manager.filter(pk=obj.pk, pk__in=granted).exists()


def can_share_content(user, obj: AudienceModel) -> bool:
    """Sharing widens the audience: only the owner organisation's people (an editor through a grant, a
    lead organisation or a space manager edits the text, never the audience)."""
    who = viewer(user)
    return who is not None and obj.owner_id in who.organization_ids


def can_delete_content(user, obj: AudienceModel) -> bool:
    who = viewer(user)
    return who is not None and obj.owner_id in who.organization_ids


def can_post_for_audience(user, visibility: str, working_group_id: int | None) -> bool:
    """May ``user`` address content to this audience? A Working Group's space only if their organisation
    takes part in it (guests until their date); its members only if their organisation is a member —
    a guest or an observer never writes for an audience it is not part of. Those who run the space
    address both."""
    who = viewer(user)
    if who is None:
        return False
    if visibility == Visibility.WORKING_GROUP:
        return working_group_id in who.working_group_ids or can_manage_space(user, working_group_id)
    if visibility == Visibility.WORKING_GROUP_MEMBERS:
        return working_group_id in who.member_group_ids or can_manage_space(user, working_group_id)
    return visibility in Visibility.values


Rule = Callable[..., bool]

#: The generic answer to each action on content, which an app's rules may refine for its models.
GENERIC_CONTENT_RULES: dict[str, Rule] = {
    "view": can_view_content,
    "change": can_change_content,
    "delete": can_delete_content,
    "share": can_share_content,
}
_CONTENT_RULES: dict[type, dict[str, Rule]] = {}


def register_content_rules(model: type[AudienceModel], **rules: Rule) -> None:
    """An app's rules module states who may act on its model where that differs from the generic rule
    (e.g. planning: an activity's lead organisation and the space's managers edit it)."""
    unknown = set(rules) - set(GENERIC_CONTENT_RULES) - {"view"}
    if unknown or "view" in rules:
        # "view" is the audience rule itself, never refined per model.
        raise ValueError(f"unknown or fixed content actions: {sorted(unknown | ({'view'} & set(rules)))}")
    _CONTENT_RULES[model] = {**GENERIC_CONTENT_RULES, **rules}


def content_rule(model: type[AudienceModel], action: str) -> Rule:
    if action not in GENERIC_CONTENT_RULES:
        raise ValueError(f"unknown action {action!r}")
    return _CONTENT_RULES.get(model, GENERIC_CONTENT_RULES)[action]


def can(user, action: str, obj: AudienceModel) -> bool:
    """The registered rule for ``action`` on ``obj`` (view, change, delete, share)."""
    return content_rule(type(obj), action)(user, obj)


# --- People one may name ----------------------------------------------------------------------------------


def people_findable_by(user):
    """The people ``user`` may find by name or address (the directory's rule): lookups by email (shares,
    mentions, managers) search only these, so an answer never reveals an account the user could not
    find in the directory anyway."""
    return User.objects.visible_to(user)
