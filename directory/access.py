"""Who may read what: the audience of every piece of content, enforced in one place.

Every content model inherits ``AudienceModel``; its manager's ``visible_to(user)`` is the only way content
is read — lists, detail pages (an invisible object is a 404, like a missing one), search, exports, feeds.
The rule, for a signed-in, active user:

- ``public``         everyone, signed in or not — offered only by the models that say so
                     (``AudienceModel.allows_public``: projects, events, library resources; the Appeal has
                     its own published-and-public flag, ``appeal.access``);
- ``platform``       every signed-in user;
- ``compact``        people of Compact entities (the Secretariat is UNOCT, a Compact entity) — not Member
                     States or regional organisations;
- ``working_group``  people of organisations taking part in the content's Working Group, in any role
                     (observers, and guests until the end of their invitation, included);
- ``wg_members``     people of the Working Group's member organisations only (chair, co-chair,
                     vice-chair, member): never observers or guests;
- ``organizations``  the owner and the listed audience organisations;
- ``owner``          the owner organisation only;

and, whatever the visibility, the owner organisation's people, the listed audience organisations' people,
and anyone holding an explicit grant (django-guardian, on direct-foreign-key permission models: one user
table and one group table per content model).

The query is written as filters on indexed columns of the content table plus ``pk IN (subquery)`` for the
audience organisations and the grants: never a Python loop, a join plus DISTINCT, or guardian's
``get_objects_for_user`` (measured at 1M rows: 6–13 ms for a page of 50 with this shape, 0.2–0.8 s with
guardian's generic one).

The Secretariat administers organisations, users and access; it does not read content restricted to other
organisations by virtue of that role (least privilege): its people see what UNOCT's people see.

An anonymous visitor (or an inactive account: a person whose access ended is no more than a visitor) reads
exactly the ``public`` rows of a model that allows them, and nothing of any other model. ``public`` is a level
*above* ``platform`` (a signed-in reader sees public rows too), chosen by the owner row by row; it is never a
default. Why it is limited to a few models, and refused in the model, the save path and the forms rather than
only in the forms: the platform's confidential content (CTED assessments and recommendations, people, notices,
discussions, plans) must not become readable without sign-in by a mistaken choice or a crafted POST, so a
model that does not allow it refuses to save a public row at all (docs/access-control.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from core.paging import count_capped
from directory.models import (
    LEADERSHIP_ROLES,
    MEMBER_ROLES,
    SECRETARIAT_GROUP,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Participation,
    User,
    WorkingGroup,
)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone, without signing in — shown on the public pages")
    PLATFORM = "platform", _("Everyone on the platform")
    COMPACT = "compact", _("Compact entities and the Secretariat")
    WORKING_GROUP = "working_group", _("Everyone in the Working Group space (observers and guests too)")
    WORKING_GROUP_MEMBERS = "wg_members", _("Members of the Working Group only (not observers or guests)")
    ORGANIZATIONS = "organizations", _("The owner and the listed organisations")
    OWNER = "owner", _("The owner organisation only")


@dataclass(frozen=True)
class Viewer:
    """What the audience rules need to know about a user, read once per request."""

    user_id: int
    organization_ids: frozenset[int]
    administered_organization_ids: frozenset[int]
    #: Working Groups the user's organisations take part in, in any role (guests until their date).
    working_group_ids: frozenset[int]
    #: Those where they are members (chair, co-chair, vice-chair, member).
    member_group_ids: frozenset[int]
    #: Those their organisations chair (chair, co-chair, vice-chair): their people run the space.
    led_group_ids: frozenset[int]
    group_ids: frozenset[int]
    is_compact: bool
    is_secretariat: bool
    #: The reference keys of the user's organisations ("entity:CTED"...): rules about a named entity.
    organization_keys: frozenset[str] = frozenset()


#: The levels every signed-in reader sees: a public row is readable by anyone, signed in or not.
EVERYONE_SIGNED_IN = (Visibility.PUBLIC, Visibility.PLATFORM)

#: A condition no row meets: Django answers a filter on it without a query (an empty ``IN``).
NOTHING = Q(pk__in=[])

VIEWER_CACHE = "_audience_viewer"


def viewer(user) -> Viewer | None:
    """The user's audience context (three small queries — memberships, groups, Working Groups — then cached
    on the user object for the request), or None if the user is anonymous or inactive."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, VIEWER_CACHE, None)
    if cached is not None:
        return cached
    memberships = list(
        Membership.objects.filter(
            user_id=user.pk, ended_at__isnull=True, organization__is_active=True
        ).values_list("organization_id", "organization__kind", "role", "organization__reference_key")
    )
    organization_ids = frozenset(org_id for org_id, _kind, _role, _key in memberships)
    groups = dict(user.groups.values_list("pk", "name"))
    participations = (
        set(
            Participation.objects.current()
            .filter(organization_id__in=organization_ids)
            .order_by()
            .values_list("working_group_id", "role")
        )
        if organization_ids
        else set()
    )
    # The Secretariat's rights come from the group *and* a current role in the Secretariat's own
    # organisation: a person who leaves it (a handover ends the membership) stops administering at once,
    # even if nobody remembers to take them out of the group (rule 7 of the access model).
    is_secretariat = SECRETARIAT_GROUP in groups.values() and any(
        key == settings.SECRETARIAT_ORGANIZATION for _id, _kind, _role, key in memberships
    )
    result = Viewer(
        user_id=user.pk,
        organization_ids=organization_ids,
        administered_organization_ids=frozenset(
            org_id for org_id, _kind, role, _key in memberships if role == MembershipRole.ORGANIZATION_ADMIN
        ),
        working_group_ids=frozenset(group for group, _role in participations),
        member_group_ids=frozenset(group for group, role in participations if role in MEMBER_ROLES),
        led_group_ids=frozenset(group for group, role in participations if role in LEADERSHIP_ROLES),
        group_ids=frozenset(groups),
        is_compact=is_secretariat
        or any(kind == OrganizationKind.COMPACT_ENTITY for _id, kind, _role, _key in memberships),
        is_secretariat=is_secretariat,
        organization_keys=frozenset(key for _id, _kind, _role, key in memberships if key),
    )
    setattr(user, VIEWER_CACHE, result)
    return result


def audience_signature(user) -> tuple:
    """What decides which content a user may see: the part of a cache key (facet counts, overviews) that
    keeps one reader's figures from ever being served to another."""
    who = viewer(user)
    return (who.user_id,) if who else ()


#: Other per-request answers derived from the viewer (e.g. directory.rules' designated spaces), dropped
#: with it.
DERIVED_CACHES: list[str] = []


def forget_viewer(user) -> None:
    """Drop the cached context after the user's memberships or groups change within a request."""
    for name in (VIEWER_CACHE, *DERIVED_CACHES):
        if hasattr(user, name):
            delattr(user, name)


def grant_models(model) -> tuple[type[models.Model], type[models.Model]]:
    """The direct-foreign-key guardian models of a content model; refuses the generic tables."""
    user_model, group_model = get_user_obj_perms_model(model), get_group_obj_perms_model(model)
    if user_model._meta.app_label == "guardian" or group_model._meta.app_label == "guardian":
        raise ImproperlyConfigured(
            f"{model.__name__} needs direct-foreign-key grant models (UserObjectPermissionBase and "
            f"GroupObjectPermissionBase subclasses): the generic ones cannot be filtered by index"
        )
    return user_model, group_model


class AudienceQuerySet(models.QuerySet):
    def visible_to(self, user) -> AudienceQuerySet:
        """The rows the user may read. Anonymous and inactive users read the public rows of a model that
        allows them (``AudienceModel.allows_public``), nothing of any other."""
        who = viewer(user)
        if who is None and not self.model.allows_public:
            return self.none()
        return self.filter(self.model.audience_rule(who))

    def count_capped(self, cap: int = 1000) -> tuple[int, bool]:
        """(count, more): see core.paging."""
        return count_capped(self, cap)


class AudienceModel(models.Model):
    """Abstract base of every piece of content: who owns it, who wrote it, and who may read it.

    A concrete content model also declares its two grant models (subclasses of guardian's
    ``UserObjectPermissionBase`` and ``GroupObjectPermissionBase`` with a ``content_object`` foreign key).
    """

    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    visibility = models.CharField(
        _("who can see it"), max_length=16, choices=Visibility.choices, default=Visibility.OWNER
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Working Group"),
    )
    audience_organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        verbose_name=_("also visible to"),
        help_text=_("Organisations that may see it whatever its visibility."),
    )

    objects = AudienceQuerySet.as_manager()

    #: May an owner show this content to everyone, without sign-in (``Visibility.PUBLIC``)? False unless a
    #: model says otherwise: only content meant for "greater visibility" (projects, events, library
    #: resources) — never CTED's, people, notices, discussions or plans.
    allows_public: ClassVar[bool] = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The last line of defence, whatever the path (a service, the admin, a demo, a script): a model that
        # does not allow public content never stores a public row.
        self.refuse_public()
        super().save(*args, **kwargs)

    def refuse_public(self) -> None:
        """A ValidationError on ``visibility`` for a public row of a model that does not allow it."""
        if self.visibility == Visibility.PUBLIC and not self.allows_public:
            raise ValidationError(
                {"visibility": _("This kind of content cannot be shown without sign-in.")}, code="no_public"
            )

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=exclude)
        self.refuse_public()

    @classmethod
    def audience_rule(cls, who: Viewer | None, *, key: str = "pk") -> Q:
        """The rows ``who`` may read (None: an anonymous or inactive reader). ``key`` names the column holding
        the content's id: "pk" on the content's own table; a table that copies the audience columns of its
        content (the calendar's occurrences) passes its foreign key, and gets the same rule."""
        if who is None:
            # Exactly the public rows, on the indexed visibility column — nothing for a model without them.
            return Q(visibility=Visibility.PUBLIC) if cls.allows_public else NOTHING
        if cls.allows_public:
            rule = Q(visibility__in=EVERYONE_SIGNED_IN)
        else:
            rule = Q(visibility=Visibility.PLATFORM)
        if who.is_compact:
            rule |= Q(visibility=Visibility.COMPACT)
        if who.working_group_ids:
            rule |= Q(visibility=Visibility.WORKING_GROUP, working_group_id__in=who.working_group_ids)
        if who.member_group_ids:
            rule |= Q(visibility=Visibility.WORKING_GROUP_MEMBERS, working_group_id__in=who.member_group_ids)
        if who.organization_ids:
            rule |= Q(owner_id__in=who.organization_ids)
            through = cls.audience_organizations.through
            listed = through.objects.filter(organization_id__in=who.organization_ids)
            rule |= Q(**{f"{key}__in": listed.values(cls.audience_through_column())})
        rule |= Q(**{f"{key}__in": cls.granted_ids(who, ("view", "change"))})
        return rule

    @classmethod
    def audience_through_column(cls) -> str:
        return f"{cls._meta.model_name}_id"

    @classmethod
    def granted_ids(cls, who: Viewer, actions: tuple[str, ...]):
        """Ids of the rows the user holds one of ``actions`` on, directly or through a group: a union of
        two index scans, used as ``pk IN (...)``."""
        user_model, group_model = grant_models(cls)
        codenames = [f"{action}_{cls._meta.model_name}" for action in actions]
        direct = user_model.objects.filter(user_id=who.user_id, permission__codename__in=codenames)
        if not who.group_ids:
            return direct.values("content_object_id")
        through_groups = group_model.objects.filter(
            group_id__in=who.group_ids, permission__codename__in=codenames
        )
        return direct.values("content_object_id").union(through_groups.values("content_object_id"))


def readers(obj: AudienceModel) -> QuerySet[User]:
    """Everyone who may read ``obj``, as one query: ``audience_rule`` read the other way round, from the
    content to its readers (whom to notify or remind — never anyone who cannot read it).
    ``tests/directory/test_access.py`` checks it against ``visible_to`` person by person."""
    active = User.objects.filter(is_active=True)
    if obj.visibility in EVERYONE_SIGNED_IN:
        # A public item's readers to notify are the platform's people: visitors have no account to notify.
        return active
    through = type(obj).audience_organizations.through
    organizations = Q(pk=obj.owner_id) | Q(
        pk__in=through.objects.filter(**{type(obj).audience_through_column(): obj.pk}).values(
            "organization_id"
        )
    )
    if obj.visibility == Visibility.COMPACT:
        # The Secretariat's people are people of its organisation, a Compact entity: covered here.
        organizations |= Q(kind=OrganizationKind.COMPACT_ENTITY)
    elif obj.visibility in (Visibility.WORKING_GROUP, Visibility.WORKING_GROUP_MEMBERS):
        participations = Participation.objects.current().filter(working_group_id=obj.working_group_id)
        if obj.visibility == Visibility.WORKING_GROUP_MEMBERS:
            participations = participations.filter(role__in=MEMBER_ROLES)
        organizations |= Q(pk__in=participations.values("organization_id"))
    members = Membership.objects.filter(
        ended_at__isnull=True,
        organization__is_active=True,
        organization__in=Organization.objects.filter(organizations).values("pk"),
    ).values("user_id")
    user_model, group_model = grant_models(type(obj))
    codenames = [f"{action}_{obj._meta.model_name}" for action in ("view", "change")]
    direct = user_model.objects.filter(content_object=obj, permission__codename__in=codenames)
    groups = group_model.objects.filter(content_object=obj, permission__codename__in=codenames)
    through_groups = User.groups.through.objects.filter(group_id__in=groups.values("group_id")).values(
        "user_id"
    )
    return active.filter(Q(pk__in=members) | Q(pk__in=direct.values("user_id")) | Q(pk__in=through_groups))
