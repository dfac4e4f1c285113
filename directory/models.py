"""The registry: who the platform's people and organisations are, and how they take part in Working Groups.

Everything else (access rules, content apps, WG spaces) reads these models, so they live in the lowest
domain app and depend on nothing above it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.audit import track_links
from core.translated import Translatable

SECRETARIAT_GROUP = "Secretariat"


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The people a user may find in the directory: every signed-in, active user finds every active
        person who currently represents an active organisation. Their contact details are a separate
        decision (directory.privacy)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        # Read from the memberships themselves (not from the denormalised facet keys): who is listed must
        # be exact whatever path changed a membership.
        representing = Membership.objects.filter(ended_at__isnull=True, organization__is_active=True)
        return self.filter(is_active=True, pk__in=representing.values("user_id"))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


# The audit trail never holds password hashes or the sign-in timestamp churn.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["password", "last_login"],
)
class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in; the email address is the login, unique and stored lower-cased."""

    email = models.EmailField(
        _("email address"), max_length=254, unique=True, error_messages={"unique": _("This email is in use.")}
    )
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(
        _("preferred name"), max_length=100, blank=True, help_text=_("How colleagues address you.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May sign in to the technical administration site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        # People by name (the API's list and its cursor): a page walks this index instead of sorting every
        # listed person (53 ms → 0.4 ms at 20,000 people).
        indexes = [models.Index(fields=["full_name", "id"], name="user_name_idx")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # Stored lower-cased, so the unique index is case-insensitive whatever path saved the row.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.preferred_name or self.full_name.split(" ")[0]


# Membership of groups is a grant (the Secretariat's group above all): every change to it is audited.
track_links(User, links={"groups": "UserGroupEvent"})


class OrganizationKind(models.TextChoices):
    COMPACT_ENTITY = "compact_entity", _("Compact entity")
    MEMBER_STATE = "member_state", _("Member State")
    REGIONAL_ORGANIZATION = "regional_organization", _("Regional organisation")
    OTHER = "other", _("Other organisation")


class CompactStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    NONE = "none", _("Not a Compact entity")


class Region(models.TextChoices):
    """The UN regional groups of Member States."""

    AFRICAN = "african", _("African States")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "eastern_european", _("Eastern European States")
    LATIN_AMERICAN_CARIBBEAN = "latin_american_caribbean", _("Latin American and Caribbean States")
    WESTERN_EUROPEAN_OTHERS = "western_european_others", _("Western European and other States")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Organization(Translatable):
    """A Compact entity, a Member State, a regional organisation or another partner (its official name in
    the other UN languages from the reference data)."""

    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    compact_status = models.CharField(
        _("Compact status"), max_length=10, choices=CompactStatus.choices, default=CompactStatus.NONE
    )
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    name = models.CharField(_("full name"), max_length=255)
    iso3 = models.CharField(
        _("ISO 3166 alpha-3 code"), max_length=3, blank=True, help_text=_("Member States only, e.g. KEN.")
    )
    region = models.CharField(_("regional group"), max_length=32, choices=Region.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("profile"), max_length=3000, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("general email"), blank=True)
    contact_phone = models.CharField(_("general phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    reference_key = models.CharField(
        _("reference key"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Identifier in the Compact's reference data file; empty for organisations added here."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    #: Lists of organisations run to hundreds: forms make them searchable (core.forms.is_long_list).
    long_list = True

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "is_active"], name="org_kind_active_idx")]
        constraints = [
            models.UniqueConstraint(fields=["iso3"], condition=~models.Q(iso3=""), name="org_iso3_unique"),
            models.UniqueConstraint(
                fields=["kind", "acronym"], condition=~models.Q(acronym=""), name="org_kind_acronym_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OrganizationKind.MEMBER_STATE, iso3__regex=r"^[A-Z]{3}$")
                | (~models.Q(kind=OrganizationKind.MEMBER_STATE) & models.Q(iso3="")),
                name="org_iso3_only_for_states",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OrganizationKind.COMPACT_ENTITY)
                & ~models.Q(compact_status=CompactStatus.NONE)
                | ~models.Q(kind=OrganizationKind.COMPACT_ENTITY)
                & models.Q(compact_status=CompactStatus.NONE),
                name="org_compact_status_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.acronym or self.local_name

    @property
    def local_name(self) -> str:
        """The full name in the reader's language (a Member State's official short name in Arabic...)."""
        return self.translated("name")


class MembershipRole(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    ALTERNATE = "alternate", _("Alternate focal point")
    ORGANIZATION_ADMIN = "organization_admin", _("Organisation admin")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    """A person's role in an organisation; ended rather than deleted, so a handover keeps its history."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=24, choices=MembershipRole.choices)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__name", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="membership_one_current_role",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organization", "role"], name="membership_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class MembershipRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the person's answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")


class MembershipRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=MembershipRequestStatus.PENDING)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class MembershipRequest(models.Model):
    """An organisation asks an existing account to take a role in it. Until the person accepts, nothing of
    theirs changes: joining an organisation lets its admins edit the person's profile and see what the
    person shares with "my organisations", so it takes the person's consent."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="membership_requests", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="membership_requests",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=24, choices=MembershipRole.choices)
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipRequestStatus.choices,
        default=MembershipRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = MembershipRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request to join an organisation")
        verbose_name_plural = _("requests to join an organisation")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=models.Q(status="pending"),
                name="membershiprequest_one_pending",
            )
        ]
        indexes = [models.Index(fields=["user", "status"], name="membershiprequest_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization} ({self.get_role_display()})"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Pillar(Translatable):
    """One of the four pillars of the UN Global Counter-Terrorism Strategy (A/RES/60/288)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    code = models.CharField(_("code"), max_length=4, unique=True, help_text=_("Roman numeral, e.g. II."))
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["number"]

    def __str__(self) -> str:
        # Never the numeral alone: people read "Pillar II" as a code; its name says what it is.
        return _("Pillar %(code)s: %(name)s") % {"code": self.code, "name": self.local_name}

    @property
    def local_name(self) -> str:
        return self.translated("name")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class WorkingGroup(Translatable):
    """One of the Compact's inter-agency Working Groups (its name and objective in the other UN languages
    from the reference data)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    objective = models.TextField(_("objective"))
    pillars = models.ManyToManyField(Pillar, related_name="working_groups", verbose_name=_("pillars"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Working Group")
        verbose_name_plural = _("Working Groups")
        ordering = ["number"]
        permissions = [("manage_space", _("Can manage the Working Group's space"))]

    def __str__(self) -> str:
        return _("WG %(number)s: %(name)s") % {"number": self.number, "name": self.local_short_name}

    @property
    def local_name(self) -> str:
        return self.translated("name")

    @property
    def local_short_name(self) -> str:
        return self.translated("short_name")

    @property
    def local_objective(self) -> str:
        return self.translated("objective")


class ParticipationRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    AD_HOC_OBSERVER = "ad_hoc_observer", _("Ad-hoc observer")
    GUEST = "guest", _("Guest")


#: Roles whose organisations' focal points run the WG space.
LEADERSHIP_ROLES = (ParticipationRole.CHAIR, ParticipationRole.CO_CHAIR, ParticipationRole.VICE_CHAIR)
#: Roles that make an organisation a *member* (content for members only reaches these, not observers or
#: guests).
MEMBER_ROLES = (*LEADERSHIP_ROLES, ParticipationRole.MEMBER)


class ParticipationQuerySet(models.QuerySet):
    def current(self) -> ParticipationQuerySet:
        """Participation that counts today: in an active group, and a guest's only until its date."""
        return self.filter(working_group__is_active=True).filter(
            models.Q(until__isnull=True) | models.Q(until__gte=timezone.localdate())
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Participation(models.Model):
    """An organisation's role in a Working Group; its focal points act for it there."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="participations", verbose_name=_("Working Group")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole.choices)
    # Guests (Member States, regional organisations) are invited by the chairs for a topic, for a while.
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["working_group__number", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "organization"], name="participation_once_per_wg"
            )
        ]
        indexes = [models.Index(fields=["organization", "role"], name="participation_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_role_display()}, {self.working_group}"

    @property
    def is_leadership(self) -> bool:
        return self.role in LEADERSHIP_ROLES


class WorkingGroupUserGrant(UserObjectPermissionBase):
    """A person the chairs designated to manage their Working Group's space (``manage_space``)."""

    content_object = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("Working Group space manager")


class WorkingGroupGroupGrant(GroupObjectPermissionBase):
    """A group of people managing a Working Group's space (guardian needs both grant tables)."""

    content_object = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("Working Group space managers (group)")


pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())(WorkingGroupUserGrant)
pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())(WorkingGroupGroupGrant)


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class AccessRequest(models.Model):
    """A visitor's request for an account, decided by the Secretariat."""

    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("work email"), max_length=254)
    organization_name = models.CharField(
        _("organisation"), max_length=255, help_text=_("The organisation you work for, as you name it.")
    )
    job_title = models.CharField(_("function"), max_length=200)
    justification = models.TextField(_("why you need access"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="accessrequest_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="accessrequest_rejection_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def by_token(self, token: str):
        """The invitation whose link carries ``token``; only its SHA-256 is stored."""
        return self.filter(token_digest=_token_digest(token))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Invitation(models.Model):
    """A single-use, expiring link to create an account with a role in an organisation."""

    email = models.EmailField(_("email"), max_length=254)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=24, choices=MembershipRole.choices)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    access_request = models.ForeignKey(
        AccessRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    # Only a digest: a database leak must not hand out working invitation links.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("account")
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization} ({self.get_role_display()})"

    def issue_token(self) -> str:
        """A new random token for the link; the caller sends it, the database keeps its digest."""
        token = secrets.token_urlsafe(32)
        self.token_digest = _token_digest(token)
        return token

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ContactVisibility(models.TextChoices):
    """Who may see one contact detail of a person (directory.privacy applies it to every output)."""

    PLATFORM = "platform", _("Everyone on the platform")
    COMPACT = "compact", _("Compact entities and the Secretariat")
    ORGANIZATION = "organization", _("People of my organisations")
    PRIVATE = "private", _("Only me")


#: Languages people work in: the six UN languages first, then others common among focal points.
WORKING_LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("sw", _("Swahili")),
    ("tr", _("Turkish")),
    ("fa", _("Persian")),
    ("ur", _("Urdu")),
    ("hi", _("Hindi")),
    ("id", _("Indonesian")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("ha", _("Hausa")),
]


def _photo_name(instance, filename: str) -> str:
    # Generated names only: an uploaded filename never becomes a path.
    return f"photos/{secrets.token_hex(16)}.jpg"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["search_vector", "search_text", "facet_keys"],
)
class Profile(models.Model):
    """What the directory shows of a person, with who may see their contact details."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="profile")
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    phone_office = models.CharField(_("office phone"), max_length=40, blank=True)
    phone_mobile = models.CharField(_("mobile phone"), max_length=40, blank=True)
    languages = ArrayField(
        models.CharField(max_length=8, choices=WORKING_LANGUAGES),
        default=list,
        blank=True,
        verbose_name=_("languages"),
    )
    expertise_pillars = models.ManyToManyField(
        Pillar, blank=True, related_name="experts", verbose_name=_("expertise: strategy pillars")
    )
    expertise_tags = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("expertise: themes")
    )
    country = models.CharField(
        _("country"), max_length=3, blank=True, help_text=_("Where you work, as an ISO 3166 alpha-3 code.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # The language of the person's pages, e-mails and digests; blank until they choose one (their
    # browser's language is used meanwhile).
    language = models.CharField(
        _("language of the platform"),
        max_length=7,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        db_default="",
    )
    photo = models.ImageField(_("photo"), upload_to=_photo_name, blank=True)
    email_visibility = models.CharField(
        _("who sees my email"),
        max_length=12,
        choices=ContactVisibility.choices,
        default=ContactVisibility.PLATFORM,
    )
    phone_visibility = models.CharField(
        _("who sees my phone numbers"),
        max_length=12,
        choices=ContactVisibility.choices,
        default=ContactVisibility.ORGANIZATION,
    )
    reconfirmed_at = models.DateTimeField(_("details confirmed"), default=timezone.now)
    reconfirmation_requested_at = models.DateTimeField(_("confirmation requested"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Only what every signed-in user may see goes in here: never an email or a phone number, so a hidden
    # contact detail can never be found by searching for it.
    search_vector = SearchVectorField(null=True, editable=False)
    #: The same words as one folded text, for matching inside words and despite typos (pg_trgm): "ova"
    #: finds Petrova, "Petrowa" finds her too.
    search_text = models.TextField(default="", db_default="", blank=True, editable=False)
    # Every filter value of the person, as "prefix:value" keys (see directory.people): one containment
    # test filters, one GROUP BY counts every facet.
    facet_keys = ArrayField(models.CharField(max_length=80), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["user__full_name"]
        indexes = [
            GinIndex(fields=["search_vector"], name="profile_search_idx"),
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="profile_search_text_idx"),
            GinIndex(fields=["facet_keys"], name="profile_facets_idx"),
            GinIndex(fields=["languages"], name="profile_languages_idx"),
            GinIndex(fields=["expertise_tags"], name="profile_tags_idx"),
            models.Index(fields=["country"], name="profile_country_idx"),
        ]

    def __str__(self) -> str:
        return str(self.user)
