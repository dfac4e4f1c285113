"""Enforcing the rules on writes: the one save path of every piece of content, and Django's object
permission checks.

``content_write`` is how every content service saves: in one transaction it checks, before the save, that
the author may create the object (owner among their organisations, an audience they may address) or
change it (the model's registered "change" rule), and after the save that an editor who is not of the
owner organisation changed nothing of the audience (only the owner shares), that the audience is still one
the author may address, and that the author's organisation still sees the object. Any refusal raises
``PermissionDenied`` and rolls the whole write back.

``AudienceBackend`` answers ``user.has_perm("app.change_model", obj)`` from the same registered rules
(``directory.rules``), so templates, admin and views can never disagree with the services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction

from directory.access import AudienceModel, Visibility, viewer
from directory.rules import GENERIC_CONTENT_RULES, can, can_post_for_audience, content_rule


@dataclass(frozen=True)
class AudienceState:
    """Who a piece of content is for, compared before and after an edit."""

    owner_id: int | None
    visibility: str
    working_group_id: int | None
    organization_ids: frozenset[int]

    @classmethod
    def of(cls, obj: AudienceModel) -> AudienceState:
        listed = frozenset(obj.audience_organizations.values_list("pk", flat=True)) if obj.pk else frozenset()
        return cls(obj.owner_id, obj.visibility, obj.working_group_id, listed)

    def addressed(self) -> tuple[str, int | None]:
        return self.visibility, self.working_group_id


def _refuse(reason: str):
    raise PermissionDenied(reason)


@contextmanager
def content_write(
    obj: AudienceModel, *, by, may_change: Callable[..., bool] | None = None
) -> Iterator[AudienceModel | None]:
    """Wrap the saving of ``obj`` (a new, unsaved object or a changed one): yields the locked row as it
    was before (None for a new object). ``may_change`` overrides the model's registered "change" rule."""
    with transaction.atomic():
        who = viewer(by)
        if who is None:
            _refuse("not signed in")
        model = type(obj)
        if obj.pk is None:
            before = None
            if obj.owner_id not in who.organization_ids:
                _refuse("new content is owned by one of its author's organisations")
            if not can_post_for_audience(by, obj.visibility, obj.working_group_id):
                _refuse("the author may not address this audience")
        else:
            before = model._default_manager.select_for_update().get(pk=obj.pk)
            if not (may_change or content_rule(model, "change"))(by, before):
                _refuse("the user may not change this object")
        state_before = AudienceState.of(before) if before is not None else None
        yield before
        if obj.visibility == Visibility.PUBLIC and not model.allows_public:
            _refuse("this kind of content is never shown without sign-in")
        state_after = AudienceState.of(obj)
        if state_before is not None and state_after != state_before:
            # Changing the audience is sharing: the owner organisation's people only.
            if before.owner_id not in who.organization_ids:
                _refuse("only the owner organisation changes who may see it")
            if state_after.addressed() != state_before.addressed() and not can_post_for_audience(
                by, *state_after.addressed()
            ):
                _refuse("the author may not address this audience")
        ensure_still_visible(obj, by)


def ensure_still_visible(obj: AudienceModel, user) -> None:
    """Inside a write's transaction: a write that would hide the object from its own author's organisation
    is refused and rolled back (rule 2 of the access model) — even if a caller catches the refusal."""
    if not type(obj).objects.visible_to(user).filter(pk=obj.pk).exists():
        transaction.set_rollback(True)
        _refuse("the change would hide the object from its author")


class AudienceBackend(BaseBackend):
    """Django's object permission checks, answered by the content rules for content objects.

    It neither authenticates nor answers model permissions: allauth's backend (a ModelBackend) does both.
    """

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not isinstance(obj, AudienceModel):
            return False
        app_label, _dot, codename = perm.partition(".")
        action, _underscore, model_name = codename.partition("_")
        if app_label != obj._meta.app_label or model_name != obj._meta.model_name:
            return False
        return action in GENERIC_CONTENT_RULES and can(user_obj, action, obj)
