"""What a user may do with a piece of content, derived from the same audience rules as every list.

``can(user, action, obj)`` answers view / change / delete / share; ``AudienceBackend`` exposes the same
answers to Django's ``user.has_perm(perm, obj)``, so templates, admin and views can never disagree with
``visible_to``.
"""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied

from directory.access import AudienceModel, viewer

ACTIONS = ("view", "change", "delete", "share")


def can(user, action: str, obj: AudienceModel) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    who = viewer(user)
    if who is None:
        return False
    if action == "view":
        # The list query itself, for this one row: the detail check is the list rule by construction.
        return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()
    if obj.owner_id in who.organization_ids:
        # The owner organisation's people act for it: edit, delete and share its content.
        return True
    if action == "change":
        # Someone outside the owner organisation edits only with an explicit "change" grant.
        granted = type(obj).granted_ids(who, ("change",))
        return type(obj)._default_manager.filter(pk=obj.pk, pk__in=granted).exists()
    # Deleting and sharing stay with the owner organisation.
    return False


def check_save(obj: AudienceModel, *, by) -> None:
    """Refuse (PermissionDenied) a create or an update of content the user may not make, before it is
    saved: new content is owned by one of the author's organisations; an update needs "change"; only the
    owner organisation's people may hand content to another organisation (an editor through a grant
    cannot take it over). Call ``directory.mixins.ensure_still_visible`` after saving."""
    who = viewer(by)
    if obj.pk is None:
        if who is None or obj.owner_id not in who.organization_ids:
            raise PermissionDenied
        return
    before = type(obj)._default_manager.get(pk=obj.pk)
    if not can(by, "change", before):
        raise PermissionDenied
    if obj.owner_id != before.owner_id and (who is None or before.owner_id not in who.organization_ids):
        raise PermissionDenied


class AudienceBackend(BaseBackend):
    """Django's object permission checks, answered by the audience rules for content objects.

    It neither authenticates nor answers model permissions: allauth's backend (a ModelBackend) does both.
    """

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not isinstance(obj, AudienceModel):
            return False
        app_label, _dot, codename = perm.partition(".")
        action, _underscore, model_name = codename.partition("_")
        if app_label != obj._meta.app_label or model_name != obj._meta.model_name:
            return False
        if action == "add":
            return False
        return action in ACTIONS and can(user_obj, action, obj)
