from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from directory.models import Organization, Participation, ParticipationRole
from directory.rules import people_findable_by
from working_groups.services import GUEST_KINDS

#: Roles given by adding an organisation (guests are invited with their own form, for a topic).
ROLES = [(value, label) for value, label in ParticipationRole.choices if value != ParticipationRole.GUEST]


def _not_taking_part(working_group):
    return Organization.objects.filter(is_active=True).exclude(
        pk__in=Participation.objects.filter(working_group=working_group).values("organization_id")
    )


class ParticipantForm(StyledFormMixin, forms.Form):
    prefix = "add"
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=ROLES, initial=ParticipationRole.MEMBER)

    def __init__(self, *args, working_group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            _not_taking_part(working_group).exclude(kind__in=GUEST_KINDS).order_by("name")
        )


class GuestForm(StyledFormMixin, forms.Form):
    """A Member State or regional organisation invited for a topic ("multi-stakeholder collaboration")."""

    prefix = "guest"

    organization = forms.ModelChoiceField(label=_("Guest organisation"), queryset=Organization.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The guest takes part until this day; leave empty for no end date."),
    )  # fmt: skip

    def __init__(self, *args, working_group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            _not_taking_part(working_group).filter(kind__in=GUEST_KINDS).order_by("kind", "name")
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["role"] = ParticipationRole.GUEST
        return cleaned


class ManagerForm(StyledFormMixin, forms.Form):
    prefix = "manager"
    email = forms.EmailField(label=_("Email of the person"), max_length=254)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            # Among the people the manager could find in the directory: any other address gets the same
            # answer as an unknown one.
            person = people_findable_by(self.user).filter(email__iexact=email).first()
            if person is None:
                self.add_error("email", _("Nobody in the directory has this email address."))
            cleaned["person"] = person
        return cleaned
