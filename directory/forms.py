"""Forms of the registry and accounts, and the audience fields every content form shares."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from directory.access import Visibility, viewer
from directory.models import (
    AccessRequest,
    MembershipRole,
    Organization,
    OrganizationKind,
    ParticipationRole,
    User,
    WorkingGroup,
)
from directory.services import grantable_roles, is_secretariat


class AudienceFormMixin:
    """Audience fields for a content ModelForm, offering only what the user may choose.

    The owner is one of the user's own organisations, the Working Group one the user's organisations take
    part in; audience organisations are any active organisation (their names are public on the platform).
    """

    audience_fields = ("owner", "visibility", "working_group", "audience_organizations")

    def limit_audience_choices(self, user) -> None:
        who = viewer(user)
        organization_ids = set(who.organization_ids if who else ())
        working_group_ids = set(who.working_group_ids if who else ())
        instance = self.instance
        if instance.pk and instance.owner_id not in organization_ids:
            # Someone editing through a "change" grant keeps the owner: handing the content to their own
            # organisation would give them share and delete rights it never granted.
            organization_ids = {instance.owner_id}
            self.fields["owner"].disabled = True
        if instance.pk and instance.working_group_id:
            working_group_ids.add(instance.working_group_id)  # keep the current group selectable
        self.fields["owner"].queryset = Organization.objects.filter(pk__in=organization_ids, is_active=True)
        self.fields["owner"].empty_label = None
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(pk__in=working_group_ids)
        self.fields["audience_organizations"].queryset = Organization.objects.filter(is_active=True)
        self.fields["audience_organizations"].required = False

    def clean_audience(self, cleaned_data: dict) -> None:
        if cleaned_data.get("visibility") == Visibility.WORKING_GROUP and not cleaned_data.get(
            "working_group"
        ):
            self.add_error("working_group", _("Choose the Working Group whose members may see it."))
        if cleaned_data.get("visibility") != Visibility.WORKING_GROUP:
            cleaned_data["working_group"] = None


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
        if is_secretariat(user):
            self.fields["organization"].queryset = Organization.objects.filter(is_active=True)
        else:
            self.fields["organization"].queryset = Organization.objects.filter(
                pk=getattr(organization, "pk", None)
            )
        if organization is not None:
            self.fields["organization"].initial = organization.pk
        roles = grantable_roles(user, organization or Organization())
        self.fields["role"].choices = [(role, MembershipRole(role).label) for role in roles]


class ApproveAccessRequestForm(StyledFormMixin, forms.Form):
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


class MembershipForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email of an existing account"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, MembershipRole(role).label) for role in roles]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this email; send an invitation instead."))
        self.user = user
        return email


class UserMembershipForm(StyledFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class ParticipationForm(StyledFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=ParticipationRole.choices)


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

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace(",", "\n").split()
        emails = sorted({email.strip().lower() for email in raw if email.strip()})
        if len(emails) > 100:
            raise forms.ValidationError(_("Share with at most 100 people at a time."))
        users = list(User.objects.filter(email__in=emails, is_active=True))
        unknown = sorted(set(emails) - {user.email for user in users})
        if unknown:
            raise forms.ValidationError(
                _("No active account has these emails: %(emails)s") % {"emails": ", ".join(unknown)}
            )
        self.users = users
        return emails

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("emails") and not cleaned.get("organizations"):
            raise forms.ValidationError(_("Name at least one person or organisation."))
        return cleaned
