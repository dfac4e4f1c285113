"""The Appeal's forms: a cycle, an appeal project with its yearly requirements, a new entry of the ledger and
a correction. Each parses every input (a year or an amount that is no number is a message, never an error
page); the rules — who, which years, the rules of money — are the services' (``appeal.services``), whose
messages the pages show on the form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from appeal.models import FIRST_YEAR, LAST_YEAR, AppealCycle, AppealProject, Earmark, Priority, Stage
from core.forms import BoundedDateField, FieldGroupsMixin
from directory.models import Organization, Pillar
from projects.reference import CURRENCIES


class FlowForm(forms.Form):
    donor = forms.ModelChoiceField(
        label=_("Donor"), queryset=Organization.objects.filter(is_active=True).order_by("name")
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="USD")
    usd_rate = forms.DecimalField(
        label=_("US dollars for one unit of the currency"), max_digits=18, decimal_places=8, required=False,
        help_text=_("The rate used; leave empty for US dollars."),
    )  # fmt: skip
    earmark = forms.ChoiceField(label=_("Earmarked to"), choices=Earmark.choices, initial=Earmark.UNEARMARKED)
    appeal_project = forms.ModelChoiceField(
        label=_("Appeal project"), queryset=AppealProject.objects.none(), required=False
    )
    pillar = forms.ModelChoiceField(
        label=_("Pillar"), queryset=Pillar.objects.order_by("number"), required=False
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=[("", "—"), *Priority.choices], required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for a payment above what the donor committed for this earmark."),
    )  # fmt: skip

    def __init__(self, *args, cycle: AppealCycle, appeal_projects, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the cycle's appeal projects the Secretariat may see (all of them: it administers the Appeal).
        self.fields["appeal_project"].queryset = appeal_projects.filter(cycle=cycle)


class CycleForm(forms.Form):
    """A new appeal cycle (the Secretariat)."""

    name = forms.CharField(label=_("Name"), max_length=40, help_text=_("For example 2025–2026."))
    first_year = forms.IntegerField(label=_("First year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    last_year = forms.IntegerField(label=_("Last year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last year is the first year or a later one."))
        return cleaned


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} — {obj.owner.display_name}"


class AppealProjectForm(FieldGroupsMixin, forms.Form):
    """An appeal project's thematic priorities, publication and one requirement per year of its cycle, in US
    dollars (a year left empty has none)."""

    priorities = forms.MultipleChoiceField(
        label=_("Thematic priorities"), choices=Priority.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thematic priority.")},
    )  # fmt: skip
    is_published = forms.BooleanField(
        label=_("Published: everyone signed in sees it and its requirements"), required=False,
        help_text=_("Unpublished, only your entity's people and the Secretariat see it."),
    )  # fmt: skip
    is_public = forms.BooleanField(
        label=_("Public: shown on the public pages, without sign-in, with its requirements and funding"),
        required=False,
        help_text=_("Only for a published appeal project whose project is public."),
    )  # fmt: skip

    def __init__(self, *args, cycle: AppealCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        for year in cycle.years:
            self.fields[self.year_field(year)] = forms.DecimalField(
                label=_("Requirement for %(year)s") % {"year": year}, required=False,
                max_digits=16, decimal_places=2, min_value=Decimal("0.01"),
            )  # fmt: skip
        self.field_groups = (
            (_("Requirements in US dollars"), [self.year_field(year) for year in cycle.years]),
        )

    @staticmethod
    def year_field(year: int) -> str:
        return f"requirement_{year}"

    def requirements(self) -> dict[int, Decimal | None]:
        """Each year of the cycle and its requirement (None: none) for ``services.set_requirements``."""
        return {year: self.cleaned_data.get(self.year_field(year)) for year in self.cycle.years}

    @classmethod
    def initial_of(cls, appeal_project: AppealProject, requirements) -> dict:
        return {
            "priorities": list(appeal_project.priorities),
            "is_published": appeal_project.is_published,
            "is_public": appeal_project.is_public,
            **{cls.year_field(requirement.year): requirement.amount_usd for requirement in requirements},
        }


class NewAppealProjectForm(AppealProjectForm):
    """Appealing for a project: one of the projects the person's organisations lead, not in the cycle yet."""

    project = ProjectChoiceField(label=_("Project of the matrix"), queryset=AppealProject.objects.none())
    field_order = ["project"]

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class CorrectionForm(forms.Form):
    """A correction of an entry of the ledger, in the entry's currency (the service takes the rest from the
    entry)."""

    amount = forms.DecimalField(
        label=_("Correction"), max_digits=16, decimal_places=2,
        help_text=_("Negative to reverse all or part of the entry, positive to adjust it upwards."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the correction, for everyone who reads the entry."),
    )  # fmt: skip
    date = BoundedDateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when left empty."),
    )  # fmt: skip

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = _("Correction in %(code)s") % {"code": currency}
