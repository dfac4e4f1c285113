"""Forms of requests for support: asking (with the audience the asker chooses and its addressees), offering,
accepting, changing the status, linking projects, and the list's filters. Every choice offered is one the
person may make (their own asking organisation, projects they may see); a posted id outside the choices is
"not one of the available choices", never an error page. The rules are the services'
(``support.services``)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FieldGroupsMixin, StyledFormMixin
from directory.access import Visibility
from directory.forms import AudienceFormMixin
from directory.models import Organization, WorkingGroup
from projects.models import Project
from projects.selectors import themes_offered
from support import rules, selectors
from support.models import RequestStatus, SupportRequest


class _OrganizationLabel:
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.acronym})" if obj.acronym and obj.acronym != obj.name else obj.name


class _Organizations(_OrganizationLabel, forms.ModelMultipleChoiceField):
    pass


class _Organization(_OrganizationLabel, forms.ModelChoiceField):
    pass


class RequestForm(FieldGroupsMixin, AudienceFormMixin, StyledFormMixin, forms.ModelForm):
    """A new request: what, on which theme, addressed to whom, and for which audience."""

    addressed_entities = _Organizations(
        label=_("Addressed to the entities"), required=False, queryset=Organization.objects.none(),
        help_text=_("They can read the request whatever its audience."),
    )  # fmt: skip

    field_groups = (
        (_("Addressees"), ("addressed_working_group", "addressed_entities")),
        (_("Audience"), ("owner", "visibility", "working_group", "audience_organizations")),
    )
    shown_when = {
        "working_group": ("visibility", (Visibility.WORKING_GROUP, Visibility.WORKING_GROUP_MEMBERS))
    }

    class Meta:
        model = SupportRequest
        fields = [
            "title",
            "description",
            "theme",
            "addressed_working_group",
            "addressed_entities",
            *AudienceFormMixin.audience_fields,
        ]
        labels = {
            "owner": _("Asked by"),
            "addressed_working_group": _("Addressed to a Working Group"),
        }
        help_texts = {
            "addressed_working_group": _("Its chairs may offer help; its members can read the request."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "audience_organizations": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_audience_choices(user)
        fields = self.fields
        # Only the organisations the person asks for (a State's or regional organisation's focal point).
        fields["owner"].queryset = selectors.asking_organizations(rules.asking_organization_ids(user))
        fields["visibility"].initial = Visibility.COMPACT
        fields["theme"].queryset = themes_offered()
        fields["addressed_working_group"].queryset = WorkingGroup.objects.filter(is_active=True).order_by(
            "number"
        )
        fields["addressed_entities"].queryset = selectors.entity_choices()

    def clean(self):
        cleaned = super().clean()
        self.clean_audience(cleaned)
        return cleaned


class OfferForm(StyledFormMixin, forms.Form):
    """An offer of help: on behalf of which of the person's organisations, and what."""

    organization = _Organization(label=_("On behalf of"), queryset=Organization.objects.none())
    text = forms.CharField(
        label=_("What your organisation offers"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The asking organisation's focal points receive it, with your name."),
    )  # fmt: skip

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        first_two = list(organizations[:2])
        if len(first_two) == 1:  # most people act for one organisation: shown, not to choose
            self.fields["organization"].initial = first_two[0]
            self.fields["organization"].disabled = True


class AcceptForm(forms.Form):
    """Which offer the asker accepts (among the request's open ones)."""

    offer = forms.ModelChoiceField(queryset=None, label=_("Offer"))

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers


class StatusForm(StyledFormMixin, forms.Form):
    """The asker marks the request delivered or closes it."""

    to = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (RequestStatus.DELIVERED, RequestStatus.DELIVERED.label),
            (RequestStatus.CLOSED, RequestStatus.CLOSED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why"), max_length=1_000, required=False, help_text=_("Required to close the request."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class _Project(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} — {obj.owner.display_name}"


class LinkForm(StyledFormMixin, forms.Form):
    """The projects of the matrix that answer the request, among those the person may see: the id of another
    one is "not one of the available choices", its title never shown."""

    projects = _Project(
        label=_("Projects that answer the request"), required=False, queryset=Project.objects.none()
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects.select_related("owner")
        self.fields["projects"].widget.attrs["data-searchable"] = ""  # the matrix runs to thousands


class RequestFilter(django_filters.FilterSet):
    """The list's filters, all in the URL; a value that is not understood is dropped with a message
    (``core.facets.valid_filters``)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    theme = django_filters.ModelChoiceFilter(label=_("Theme"), queryset=themes_offered())
    organization = django_filters.ModelChoiceFilter(
        label=_("Asked by"),
        field_name="owner",
        queryset=Organization.objects.filter(kind__in=rules.ASKING_KINDS, is_active=True).order_by("name"),
    )

    class Meta:
        model = SupportRequest
        fields = ["status", "theme", "organization"]
