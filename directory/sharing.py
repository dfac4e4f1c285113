"""Sharing content with named people or organisations, and explaining who can see it.

A share with a person is a guardian grant (direct-foreign-key table of the content model); a share with an
organisation adds it to the content's audience organisations. Both are checked with ``rules.can(...,
"share")`` and audited by the database triggers on those tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from directory.access import AudienceModel, Visibility, grant_models
from directory.models import Organization, User
from directory.rules import can


def _view_codename(obj: AudienceModel) -> str:
    return f"{obj._meta.app_label}.view_{obj._meta.model_name}"


@transaction.atomic
def share(*, obj: AudienceModel, by, users=(), organizations=()) -> None:
    if not can(by, "share", obj):
        raise PermissionDenied
    for user in users:
        assign_perm(_view_codename(obj), user, obj)
    if organizations:
        obj.audience_organizations.add(*organizations)


@transaction.atomic
def unshare(*, obj: AudienceModel, by, users=(), organizations=()) -> None:
    if not can(by, "share", obj):
        raise PermissionDenied
    for user in users:
        remove_perm(_view_codename(obj), user, obj)
    if organizations:
        obj.audience_organizations.remove(*organizations)


@dataclass(frozen=True)
class Audience:
    """The "who can see this?" panel's content, in plain words."""

    summary: str
    organizations: list[Organization]
    people: list[User]


def describe(obj: AudienceModel) -> Audience:
    owner = obj.owner.display_name
    summaries = {
        Visibility.PUBLIC: _(
            "Everyone, without signing in: it is shown on the platform's public pages, and to everyone "
            "signed in."
        ),
        Visibility.PLATFORM: _("Everyone signed in to the platform."),
        Visibility.COMPACT: _(
            "People of the Compact entities and the Secretariat (not Member States or regional "
            "organisations)."
        ),
        Visibility.WORKING_GROUP: _(
            "People of the organisations taking part in %(wg)s (observers and guests included), and of "
            "%(owner)s."
        )
        % {"wg": obj.working_group, "owner": owner},
        Visibility.WORKING_GROUP_MEMBERS: _(
            "People of the member organisations of %(wg)s (not observers or guests), and of %(owner)s."
        )
        % {"wg": obj.working_group, "owner": owner},
        Visibility.ORGANIZATIONS: _("People of %(owner)s and of the organisations listed below.")
        % {"owner": owner},
        Visibility.OWNER: _("Only the people of %(owner)s.") % {"owner": owner},
    }
    user_model, _group_model = grant_models(type(obj))
    people = User.objects.filter(
        pk__in=user_model.objects.filter(content_object=obj).values("user_id"), is_active=True
    ).order_by("full_name")
    return Audience(
        summary=summaries[obj.visibility],
        organizations=list(obj.audience_organizations.order_by("name")),
        people=list(people),
    )
