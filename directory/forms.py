"""Forms of the registry and accounts, and the audience fields every content form shares."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.html import escape
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin, TagListField, chosen
from directory.access import Visibility, viewer
from directory.filters import member_state_choices
from directory.models import (
    WORKING_LANGUAGES,
    AccessRequest,
    MembershipRole,
    Organization,
    OrganizationKind,
    Profile,
    User,
    WorkingGroup,
)
from directory.profiles import clean_photo
from directory.rules import (
    can_administer_platform,
    can_post_for_audience,
    grantable_roles,
    people_findable_by,
)
from directory.services import ORGANIZATION_PROFILE_FIELDS

WORKING_GROUP_VISIBILITIES = (Visibility.WORKING_GROUP, Visibility.WORKING_GROUP_MEMBERS)


class AudienceFormMixin:
    """Audience fields for a content ModelForm, offering only what the user may choose.

    The owner is one of the user's own organisations, the Working Group one the user's organisations take
    part in; audience organisations are any active organisation (their names are public on the platform).
    Someone editing content of another organisation (through a "change" grant, as a lead organisation or
    a space manager) edits its text only: the audience fields are shown but fixed, since changing who may
    see it is sharing, which stays with the owner (``directory.policy.content_write`` refuses it too).
    """

    audience_fields = ("owner", "visibility", "working_group", "audience_organizations")
    #: Who a new piece of content is for, unless the person started from a Working Group's space (then:
    #: everyone in that space). None keeps the model's default.
    default_visibility: str | None = None

    def start_audience(self, user, working_group: WorkingGroup | None) -> None:
        """Pre-fill the audience of a new, unbound form from where the person started: a Working Group's
        space gives that group and everyone in its space (guests and observers included — narrowing it
        to the members is a choice, never a surprise); elsewhere, the form's default."""
        if self.instance.pk or self.is_bound:
            return
        if working_group is not None and can_post_for_audience(
            user, Visibility.WORKING_GROUP, working_group.pk
        ):
            self.initial["working_group"] = working_group.pk
            self.initial["visibility"] = Visibility.WORKING_GROUP
        elif self.default_visibility is not None:
            self.initial["visibility"] = self.default_visibility

    def limit_audience_choices(self, user) -> None:
        who = viewer(user)
        self.audience_user = user
        organization_ids = set(who.organization_ids if who else ())
        working_group_ids = set(who.working_group_ids if who else ())
        instance = self.instance
        if instance.pk and instance.working_group_id:
            working_group_ids.add(instance.working_group_id)  # keep the current group selectable
        fields = self.fields
        if instance.pk and instance.owner_id not in organization_ids:
            organization_ids = {instance.owner_id}
            for name in self.audience_fields:
                if name in fields:
                    fields[name].disabled = True
                    # Help texts are rendered as HTML: the organisation's name is escaped.
                    fields[name].help_text = _("Only %(owner)s's people change who may see it.") % {
                        "owner": escape(instance.owner.display_name)
                    }
        if "visibility" in fields and not type(instance).allows_public:
            # "Everyone, without signing in" is offered only for the models that allow it (the model refuses
            # it too: directory.access.AudienceModel.refuse_public).
            fields["visibility"].choices = [
                (value, label) for value, label in fields["visibility"].choices if value != Visibility.PUBLIC
            ]
        fields["owner"].queryset = Organization.objects.filter(pk__in=organization_ids, is_active=True)
        fields["owner"].empty_label = None
        if "working_group" in fields:
            fields["working_group"].queryset = WorkingGroup.objects.filter(pk__in=working_group_ids)
        fields["audience_organizations"].queryset = Organization.objects.filter(is_active=True)
        fields["audience_organizations"].required = False

    def clean_audience(self, cleaned_data: dict, *, working_group: WorkingGroup | None = None) -> None:
        """Check the chosen audience; ``working_group`` fixes the group (a form without that field)."""
        visibility = cleaned_data.get("visibility")
        by_group = visibility in WORKING_GROUP_VISIBILITIES
        group = working_group if working_group is not None else cleaned_data.get("working_group")
        if by_group and group is None:
            self.add_error("working_group", _("Choose the Working Group whose members may see it."))
            return
        if working_group is None and not by_group:
            cleaned_data["working_group"] = None
        unchanged = (
            self.instance.pk
            and visibility == self.instance.visibility
            and (group.pk if group else None) == self.instance.working_group_id
        )
        if by_group and not unchanged and not can_post_for_audience(self.audience_user, visibility, group.pk):
            # A guest or an observer writing for the members: they would write for an audience they are
            # not part of (and invite themselves into it). Refused, with the way out.
            field = "visibility" if "visibility" in self.fields else None
            self.add_error(
                field,
                _(
                    "Your organisation is not a member of %(group)s (it takes part as an observer or a "
                    "guest, or not at all): only member organisations write for its members only. Choose "
                    "“Everyone in the Working Group space” instead."
                )
                % {"group": group},
            )


class AccessRequestForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AccessRequest
        fields = ["full_name", "email", "organization_name", "job_title", "justification"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 4})}


class InvitationForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, user, organization: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if can_administer_platform(user):
            self.fields["organization"].queryset = Organization.objects.filter(is_active=True)
        else:
            self.fields["organization"].queryset = Organization.objects.filter(
                pk=getattr(organization, "pk", None)
            )
        if organization is not None:
            self.fields["organization"].initial = organization.pk
        roles = grantable_roles(user, organization or Organization())
        self.fields["role"].choices = [(role, MembershipRole(role).label) for role in roles]


class OrganizationRoleForm(StyledFormMixin, forms.Form):
    """A role in an organisation: for approving an access request, or adding a role to a user."""

    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class RejectAccessRequestForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the person)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AcceptInvitationForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["kind", "compact_status", "acronym", "name", "iso3", "region"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == OrganizationKind.COMPACT_ENTITY and cleaned.get("compact_status") == "none":
            self.add_error("compact_status", _("A Compact entity is a member or an observer."))
        if kind != OrganizationKind.COMPACT_ENTITY and cleaned.get("compact_status") not in (None, "none"):
            self.add_error("compact_status", _("Only Compact entities have a Compact status."))
        iso3 = (cleaned.get("iso3") or "").upper()
        cleaned["iso3"] = iso3
        if kind == OrganizationKind.MEMBER_STATE and not (len(iso3) == 3 and iso3.isalpha()):
            self.add_error("iso3", _("A Member State needs its three-letter ISO code, e.g. KEN."))
        if kind != OrganizationKind.MEMBER_STATE and iso3:
            self.add_error("iso3", _("Only Member States have an ISO code."))
        return cleaned


class ShareForm(StyledFormMixin, forms.Form):
    emails = forms.CharField(
        label=_("People (emails, one per line or separated by commas)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=Organization.objects.filter(is_active=True), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace(",", "\n").split()
        emails = sorted({email.strip().lower() for email in raw if email.strip()})
        if len(emails) > 100:
            raise forms.ValidationError(_("Share with at most 100 people at a time."))
        # Only people the sharer could find in the directory: the answer for any other address (no
        # account, a deactivated one, someone in no organisation) is the same as for an unknown one.
        users = list(people_findable_by(self.user).filter(email__in=emails))
        unknown = sorted(set(emails) - {user.email for user in users})
        if unknown:
            raise forms.ValidationError(
                _("Nobody in the directory has these addresses: %(emails)s") % {"emails": ", ".join(unknown)}
            )
        self.users = users
        return emails

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("emails") and not cleaned.get("organizations"):
            raise forms.ValidationError(_("Name at least one person or organisation."))
        return cleaned


def _time_zones() -> list[tuple[str, str]]:
    import zoneinfo

    return [
        (zone, zone.replace("_", " "))
        for zone in sorted(zoneinfo.available_timezones())
        if "/" in zone or zone == "UTC"
    ]


def _platform_languages() -> list[tuple[str, str]]:
    """The platform's languages, each named in itself (a reader finds their own whatever the page's)."""
    named = [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]
    return [("", _("My browser's language")), *named]


class ProfileForm(StyledFormMixin, forms.ModelForm):
    """A person's directory profile, with their name (kept on the user)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100, required=False)
    photo_upload = forms.FileField(
        label=_("Photo"), required=False, help_text=_("JPEG, PNG or WebP; it is resized to 400×400 pixels.")
    )
    expertise_tags = TagListField(
        label=_("Expertise: themes"), required=False, max_length=500,
        help_text=_("Separated by commas, e.g. border security, victims of terrorism."),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=WORKING_LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)
    language = forms.ChoiceField(
        label=_("Language of the platform"), required=False, choices=_platform_languages,
        help_text=_("Your pages, e-mails and digests are written in it."),
    )  # fmt: skip
    country = forms.ChoiceField(label=_("Country where you work"), required=False, choices=())

    class Meta:
        model = Profile
        fields = [
            "job_title", "bio", "phone_office", "phone_mobile", "languages", "expertise_pillars",
            "expertise_tags", "country", "time_zone", "language", "email_visibility", "phone_visibility",
        ]  # fmt: skip
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "expertise_pillars": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].initial = person.full_name
        self.fields["preferred_name"].initial = person.preferred_name
        self.fields["country"].choices = [("", "—"), *member_state_choices()]

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        return clean_photo(upload) if upload else None

    def clean_phone_office(self):
        return _clean_phone(self.cleaned_data["phone_office"])

    def clean_phone_mobile(self):
        return _clean_phone(self.cleaned_data["phone_mobile"])


def _clean_phone(value: str) -> str:
    value = " ".join(value.split())
    if value and not re.fullmatch(r"\+?[0-9 ().\-/]{5,40}", value):
        raise forms.ValidationError(
            _("Write the number with digits, spaces and + ( ) - only, e.g. +1 212 963 1234.")
        )
    return value


# --- Organisation pages (directory/views/organizations.py) ------------------------------------------------

#: What an organisation's admins may edit; the reference fields stay with the Secretariat's pages.


class OrganizationFilterForm(StyledFormMixin, forms.Form):
    """The organisation list's filters, read from the query string (the view drops invalid values)."""

    q = forms.CharField(
        label=_("Name, acronym or ISO code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 100}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganizationKind.choices]
    )


class OrganizationProfileForm(StyledFormMixin, forms.ModelForm):
    """An organisation's public profile, edited by its admins and the Secretariat."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("The full address, e.g. https://www.un.org/counterterrorism/."),
    )

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_PROFILE_FIELDS)
        labels = {
            "description": _("Description"),
            "contact_email": _("General email"),
            "contact_phone": _("General phone"),
            "address": _("Postal address"),
        }
        help_texts = {
            "description": _("What the organisation does, at most 3,000 characters."),
            "contact_email": _("A shared mailbox, not a person's address."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and not website.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter a web address starting with https:// or http://."))
        return website

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data["contact_phone"])

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def clean_address(self):
        return self.cleaned_data["address"].strip()


# --- Focal-point lifecycle: handover (directory.lifecycle) -------------------------------------------------


class HandoverForm(StyledFormMixin, forms.Form):
    """Who leaves and who takes over, among the organisation's current people.

    Both lists hold only the organisation's current people (the successor's, active ones): any other id —
    malformed, unknown, or someone of another organisation — is the same plain "not one of the choices"
    error, so the form never tells whether an account exists or what state it is in.
    ``directory.lifecycle.handover`` checks again, for any other caller.
    """

    leaver = forms.ModelChoiceField(
        label=_("Person leaving"),
        queryset=User.objects.all(),
        help_text=_(
            "Their roles in this organisation end; their account is deactivated unless they still represent "
            "another organisation."
        ),
    )
    successor = forms.ModelChoiceField(
        label=_("Successor"),
        queryset=User.objects.all(),
        help_text=_("Takes over every role of the person leaving. Invite them first if they are new."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the person leaving will lose their roles here and may no longer sign in."),
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        roles: dict[int, list[str]] = {}
        people: dict[int, User] = {}
        current = (
            organization.memberships.filter(ended_at__isnull=True)
            .select_related("user")
            .order_by("user__full_name", "user__email", "role")
        )
        for membership in current:
            people[membership.user_id] = membership.user
            roles.setdefault(membership.user_id, []).append(str(membership.get_role_display()))

        def option(person: User) -> tuple[int, str]:
            return person.pk, f"{person.full_name} <{person.email}> — {', '.join(roles[person.pk])}"

        empty = [("", "---------")]
        self.fields["leaver"].queryset = User.objects.filter(pk__in=list(people))
        self.fields["successor"].queryset = User.objects.filter(
            pk__in=[pk for pk, person in people.items() if person.is_active]
        )
        self.fields["leaver"].widget.choices = empty + [option(p) for p in people.values()]
        self.fields["successor"].widget.choices = empty + [option(p) for p in people.values() if p.is_active]


def started_in_group(request) -> WorkingGroup | None:
    """The Working Group whose space a "new" link came from (``?working_group=<id>``), if any; a malformed
    or unknown id is simply no group."""
    return chosen(request.GET, "working_group", WorkingGroup.objects.filter(is_active=True))
