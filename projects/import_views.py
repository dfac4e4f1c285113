"""Importing projects: a spreadsheet (upload → preview with every row's errors → save all, or only the valid
rows by choice) and an IATI activity file (upload → filter and pick activities, each shown with its mapping
→ save). Reading, checking and saving live in ``projects.imports``; these views parse the request, call them
and render.

A staged import is reached by its random token and belongs to its uploader: for anyone else the token is a
404, the same as a token that never existed. Uploads are capped before their body is read to its end
(``core.uploads.CappedUploadView``): a 200 MB file is refused without being stored anywhere.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.tables import CSV_TYPE, XLSX_TYPE, download
from core.uploads import CappedUploadView
from projects.imports import iati, spreadsheet, staging
from projects.imports.forms import (
    ActivityChoiceForm,
    ActivityFilterForm,
    IatiUploadForm,
    SaveChoiceForm,
    SpreadsheetUploadForm,
)
from projects.imports.rows import COLUMNS, HEADER_OF
from projects.models import ImportKind

PREVIEW_PAGE = 100


class _UploadView(LoginRequiredMixin, CappedUploadView):
    form_class = None
    template_name = ""

    def max_bytes(self) -> int:
        return spreadsheet.max_bytes()

    def get(self, request):
        return self.render(self.form_class(user=request.user))

    def too_large(self, request):
        return self.render(self.form_class(user=request.user), status=413)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "columns": COLUMNS}, status=status)


class SpreadsheetImportView(_UploadView):
    form_class = SpreadsheetUploadForm
    template_name = "projects/import/upload.html"

    def upload(self, request):
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form)
        staged = staging.stage_spreadsheet(
            by=request.user, filename=form.cleaned_data["file"].name, table=form.table,
            visibility=form.cleaned_data["visibility"],
        )  # fmt: skip
        return redirect("projects:import_preview", token=staged.token)


class ImportTemplateView(LoginRequiredMixin, View):
    """The template of the spreadsheet import: the columns and one example row."""

    def get(self, request, format):
        if format == "xlsx":
            return download(
                spreadsheet.template_xlsx(COLUMNS, sheet=_("Projects")), filename="projects-import.xlsx",
                content_type=XLSX_TYPE,
            )  # fmt: skip
        if format == "csv":
            return download(
                spreadsheet.template_csv(COLUMNS), filename="projects-import.csv", content_type=CSV_TYPE
            )
        raise Http404("no such format")


def _rows(staged) -> list[dict]:
    """The staged rows with their check, as the templates show them."""
    reports = {entry["number"]: entry for entry in staged.report}
    shown = []
    for row in staged.rows:
        report = reports.get(row["number"], {})
        shown.append({
            **row, "errors": report.get("errors", []), "updates": report.get("updates"),
        })  # fmt: skip
    return shown


class ImportPreviewView(LoginRequiredMixin, View):
    """Every row of the uploaded spreadsheet with its errors; nothing is saved until the uploader chooses."""

    def get(self, request, token):
        return self.render(staging.staged_for(request.user, token, ImportKind.SPREADSHEET))

    def post(self, request, token):
        staged = staging.staged_for(request.user, token, ImportKind.SPREADSHEET)
        if staged.saved_at is not None:
            messages.info(request, _("This import was saved already."))
            return redirect("projects:list")
        form = SaveChoiceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to save every row or only the valid rows."))
            return self.render(staged)
        only_valid = form.cleaned_data["action"] == "save_valid"
        saved = staging.save(staged=staged, by=request.user, only_valid=only_valid)
        if not saved.created and not saved.updated:
            messages.error(
                request, SaveChoiceForm.nothing_saved(only_valid=only_valid, invalid=len(saved.invalid or ()))
            )
            staged.refresh_from_db()
            return self.render(staged)
        _say_saved(request, saved)
        return redirect("projects:list")

    def render(self, staged):
        rows = _rows(staged)
        with_errors = [row for row in rows if row["errors"]]
        show_errors_only = self.request.GET.get("show") == "errors"
        page = Paginator(with_errors if show_errors_only else rows, PREVIEW_PAGE).get_page(
            self.request.GET.get("page")
        )
        context = {
            "staged": staged,
            "page": page,
            "total": len(rows),
            "invalid": len(with_errors),
            "valid": len(rows) - len(with_errors),
            "updates": sum(1 for row in rows if row["updates"] and not row["errors"]),
            "show_errors_only": show_errors_only,
            "headers": HEADER_OF,
        }
        return render(self.request, "projects/import/preview.html", context)


def _say_saved(request, saved: staging.Saved) -> None:
    messages.success(
        request,
        _("Import saved: %(created)s projects added, %(updated)s updated.")
        % {"created": saved.created, "updated": saved.updated},
    )


class IatiImportView(_UploadView):
    form_class = IatiUploadForm
    template_name = "projects/import/iati_upload.html"

    def upload(self, request):
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form)
        staged = staging.stage_iati(
            by=request.user, filename=form.cleaned_data["file"].name, activities=form.activities,
            lead=form.cleaned_data["lead"], visibility=form.cleaned_data["visibility"],
            rates=form.cleaned_data["rates"],
        )  # fmt: skip
        return redirect("projects:import_iati_preview", token=staged.token)


#: The mapping shown for each activity: project field, where it comes from in IATI.
MAPPING = (
    ("title", "title"),
    ("iati_identifier", "iati-identifier"),
    ("description", "description (type 1)"),
    ("expected_results", "description (type 2)"),
    ("partners", "participating-org (roles 2–4)"),
    ("donors", "participating-org (role 1)"),
    ("implementing_partners", "participating-org (role 4)"),
    ("countries", "recipient-country"),
    ("regions", "recipient-region"),
    ("is_global", "recipient-region 998"),
    ("themes", "sector"),
    ("sdg_targets", "tag (vocabulary 3)"),
    ("start", "activity-date 2, else 1"),
    ("end", "activity-date 4, else 3"),
    ("status", "activity-status"),
    ("budget", "budget"),
    ("currency", "budget/value/@currency"),
    ("usd_rate", ""),
    ("rate_date", "budget/value/@value-date"),
)


class IatiPreviewView(LoginRequiredMixin, View):
    """The file's activities, filtered by DAC sector and keyword, each with its mapping and its errors; the
    uploader ticks those to import."""

    def get(self, request, token):
        staged = staging.staged_for(request.user, token, ImportKind.IATI)
        return self.render(staged, ActivityChoiceForm(count=len(staged.rows)))

    def post(self, request, token):
        staged = staging.staged_for(request.user, token, ImportKind.IATI)
        if staged.saved_at is not None:
            messages.info(request, _("This import was saved already."))
            return redirect("projects:list")
        form = ActivityChoiceForm(request.POST, count=len(staged.rows))
        if not form.is_valid():
            return self.render(staged, form)
        saved = staging.save(staged=staged, by=request.user, numbers=form.cleaned_data["activity"])
        if saved.invalid:
            staged.refresh_from_db()
            numbers = ", ".join(str(row.number) for row in saved.invalid)
            messages.error(
                request,
                _("These activities have errors: %(numbers)s. Nothing was saved: untick them, or correct "
                  "them in the file and upload it again.") % {"numbers": numbers},
            )  # fmt: skip
            return self.render(staged, form)
        _say_saved(request, saved)
        return redirect("projects:list")

    def render(self, staged, form):
        filters = ActivityFilterForm(self.request.GET or None)
        sector, keyword = "", ""
        if filters.is_valid():
            sector = filters.cleaned_data["sector"]
            keyword = " ".join(filters.cleaned_data["q"].casefold().split())
        rows = [
            row for row in _rows(staged)
            if iati.sector_matches(row["activity"]["sectors"], sector) and keyword in row["search"]
        ]  # fmt: skip
        page = Paginator(rows, PREVIEW_PAGE).get_page(self.request.GET.get("page"))
        ticked = {str(value) for value in (form["activity"].value() or ())}
        for row in page:
            values = row["values"]
            row["mapping"] = [(HEADER_OF[key], source, values.get(key, "")) for key, source in MAPPING]
            row["ticked"] = str(row["number"]) in ticked
        query = self.request.GET.copy()
        query.pop("page", None)
        context = {
            "staged": staged,
            "filters": filters,
            "form": form,
            "page": page,
            "matching": len(rows),
            "total": len(staged.rows),
            "query": query.urlencode(),
            "action": reverse("projects:import_iati_preview", kwargs={"token": staged.token}),
        }
        return render(self.request, "projects/import/iati_preview.html", context)
