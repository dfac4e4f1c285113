"""The Secretariat's form for a new entry of the ledger; the rules of money are the service's
(``appeal.services.record_flow``), whose messages the form shows next to the fields they concern."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from appeal.models import AppealCycle, AppealProject, Earmark, Priority, Stage
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
