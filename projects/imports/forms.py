"""The import pages' forms: the uploads (which read the file: a file that cannot be imported is a form error
with one message), the preview's choice, the IATI page's filter and selection."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import SEARCH_LENGTH
from directory.access import Visibility, viewer
from directory.models import Organization
from projects.imports import iati, spreadsheet
from projects.imports.rows import COLUMNS, IMPORT_VISIBILITIES
from projects.reference import CURRENCIES

RATE = re.compile(r"^([A-Za-z]{3})\s*[=:]?\s*([0-9]+(?:\.[0-9]+)?)$")


class _UploadForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who may see the imported projects"), choices=IMPORT_VISIBILITIES,
        initial=Visibility.PLATFORM, widget=forms.RadioSelect,
        help_text=_("The same for every project of the file; each can be shared differently afterwards."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        who = viewer(user)
        self.own_organizations = Organization.objects.filter(
            pk__in=who.organization_ids if who else (), is_active=True
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not self.own_organizations.exists():
            raise ValidationError(
                _("Projects are added for one of your organisations, and you are not a member of any.")
            )
        return cleaned


class SpreadsheetFileMixin:
    """A form's ``file`` read as a spreadsheet of ``columns`` (``self.table``): a file that cannot be imported
    is the field's error, with one message. The projects' and CTED's imports use it."""

    columns: tuple = ()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table = spreadsheet.read_table(upload, name=upload.name, columns=self.columns)
        except spreadsheet.ImportFileError as error:
            raise ValidationError(str(error)) from None
        return upload


class SpreadsheetUploadForm(SpreadsheetFileMixin, _UploadForm):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with the template's columns."),
    )

    columns = COLUMNS
    field_order = ["file", "visibility"]


class IatiUploadForm(_UploadForm):
    file = forms.FileField(
        label=_("IATI activity file"), help_text=_("XML, IATI standard 2.03 (an <iati-activities> file).")
    )
    lead = forms.ModelChoiceField(
        label=_("Lead entity"), queryset=Organization.objects.none(), empty_label=None,
        help_text=_("Your organisation whose activities these are."),
    )  # fmt: skip
    rates = forms.CharField(
        label=_("US dollar rates"), required=False, max_length=500,
        help_text=_("For budgets in other currencies: US dollars for one unit, e.g. “EUR 1.085; GBP 1.27”. "
                    "The budget's value date is kept as the rate's date."),
    )  # fmt: skip

    field_order = ["file", "lead", "visibility", "rates"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["lead"].queryset = self.own_organizations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.activities = iati.read_activities(upload)
        except spreadsheet.ImportFileError as error:
            raise ValidationError(str(error)) from None
        return upload

    def clean_rates(self):
        known = {code for code, _label in CURRENCIES}
        rates, wrong = {}, []
        for part in re.split(r"[;,\n]+", self.cleaned_data["rates"]):
            if not part.strip():
                continue
            found = RATE.match(part.strip())
            try:
                rate = Decimal(found.group(2)) if found else None
            except InvalidOperation:
                rate = None
            if not found or found.group(1).upper() not in known or not rate or rate <= 0:
                wrong.append(part.strip()[:20])
            else:
                rates[found.group(1).upper()] = found.group(2)
        if wrong:
            raise ValidationError(
                _("Not a currency code and a rate above zero: %(items)s. Write e.g. “EUR 1.085; GBP 1.27”.")
                % {"items": ", ".join(wrong)}
            )
        return rates


class SaveChoiceForm(forms.Form):
    """The preview's buttons: save every row (only if all are valid), or only the valid ones."""

    action = forms.ChoiceField(choices=[("save_all", "save_all"), ("save_valid", "save_valid")])

    @staticmethod
    def nothing_saved(*, only_valid: bool, invalid: int) -> str:
        """Why a save wrote nothing: no valid row, or rows with errors when every row was to be saved."""
        if only_valid:
            return str(_("No row is valid: nothing was saved."))
        return ngettext(
            "%(count)s row has errors: nothing was saved. Correct the file and upload it again, or save only "
            "the valid rows.",
            "%(count)s rows have errors: nothing was saved. Correct the file and upload it again, or save "
            "only the valid rows.",
            invalid,
        ) % {"count": invalid}


class ActivityFilterForm(forms.Form):
    sector = forms.RegexField(
        label=_("DAC sector code starts with"), regex=r"^\d{1,5}$", required=False, max_length=5,
        help_text=_("E.g. 152 for conflict, peace and security (15210, 15220…)."),
        error_messages={"invalid": _("Give the first digits of a DAC sector code, e.g. 152.")},
    )  # fmt: skip
    q = forms.CharField(label=_("Keyword"), required=False, max_length=SEARCH_LENGTH)


class ActivityChoiceForm(forms.Form):
    activity = forms.TypedMultipleChoiceField(
        label=_("Activities to import"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the activities to import.")},
    )  # fmt: skip

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [(str(number), str(number)) for number in range(1, count + 1)]
