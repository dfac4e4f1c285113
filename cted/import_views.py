"""CTED imports a spreadsheet of recommendations: upload → preview of every row with its errors and what it
will create → save every row (only if all are valid), or only the valid ones by choice. Reading and checking
live in ``cted.imports``, the write in ``cted.services.import_recommendations``; these views parse the
request, call them and render.

CTED's people only: anyone else gets a 403 on every import page. A staged import is reached by its random
token and belongs to its uploader: for another of CTED's people the token is a 404, the same as a token that
never existed. Uploads are capped before their body is read (``core.uploads.CappedUploadView``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from core.tables import CSV_TYPE, XLSX_TYPE, download
from core.uploads import CappedUploadView
from cted import imports, rules
from cted.forms import RecommendationUploadForm
from cted.models import RecommendationImport
from projects.imports import spreadsheet
from projects.imports.forms import SaveChoiceForm

PREVIEW_PAGE = 100


class CtedOnlyMixin:
    """CTED's people only (``rules.can_record_assessment``): a 403 for anyone else signed in. Listed before
    ``LoginRequiredMixin``, so that a visitor who is not signed in is sent to sign in first."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_record_assessment(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportView(CtedOnlyMixin, LoginRequiredMixin, CappedUploadView):
    """The upload: the file is read and every row checked, then kept for the preview."""

    def max_bytes(self) -> int:
        return spreadsheet.max_bytes()

    def get(self, request):
        return self._render(RecommendationUploadForm())

    def upload(self, request):
        form = RecommendationUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        staged = imports.stage(by=request.user, filename=form.cleaned_data["file"].name, table=form.table)
        return redirect("cted:import_preview", token=staged.token)

    def too_large(self, request):
        return self._render(RecommendationUploadForm(), status=413)

    def _render(self, form, status=200):
        context = {"form": form, "columns": imports.COLUMNS}
        return render(self.request, "cted/import_upload.html", context, status=status)


class ImportTemplateView(CtedOnlyMixin, LoginRequiredMixin, View):
    """The import's template: the columns, one example row, and (in the workbook) what to write in each."""

    def get(self, request, format):
        if format == "xlsx":
            content = spreadsheet.template_xlsx(imports.COLUMNS, sheet=_("Recommendations"))
            return download(content, filename="recommendations-import.xlsx", content_type=XLSX_TYPE)
        if format == "csv":
            content = spreadsheet.template_csv(imports.COLUMNS)
            return download(content, filename="recommendations-import.csv", content_type=CSV_TYPE)
        raise Http404("no such format")


class ImportPreviewView(CtedOnlyMixin, LoginRequiredMixin, View):
    """Every row of the uploaded file with its errors, or what it will create; nothing is saved until the
    uploader chooses to save every row (all valid) or only the valid ones."""

    def get(self, request, token):
        return self._render(RecommendationImport.of_uploader(request.user, token))

    def post(self, request, token):
        staged = RecommendationImport.of_uploader(request.user, token)
        if staged.saved_at is not None:
            messages.info(request, _("This import was saved already."))
            return redirect("cted:assessments")
        form = SaveChoiceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to save every row or only the valid rows."))
            return self._render(staged)
        only_valid = form.cleaned_data["action"] == "save_valid"
        created, invalid = imports.save(staged=staged, by=request.user, only_valid=only_valid)
        if not created:
            messages.error(request, SaveChoiceForm.nothing_saved(only_valid=only_valid, invalid=invalid))
            staged.refresh_from_db()
            return self._render(staged)
        saved = ngettext(
            "Import saved: %(count)s recommendation added.",
            "Import saved: %(count)s recommendations added.",
            created,
        ) % {"count": created}
        if invalid:
            saved += " " + ngettext(
                "%(count)s row with errors was left out.",
                "%(count)s rows with errors were left out.",
                invalid,
            ) % {"count": invalid}
        messages.success(request, saved)
        return redirect("cted:assessments")

    def _render(self, staged):
        reports = {entry["number"]: entry for entry in staged.report}
        rows = [{**row, **reports.get(row["number"], {"errors": [], "creates": None})} for row in staged.rows]
        invalid = sum(1 for row in rows if row["errors"])
        show_errors_only = self.request.GET.get("show") == "errors"
        shown = [row for row in rows if row["errors"]] if show_errors_only else rows
        context = {
            "staged": staged,
            "page": Paginator(shown, PREVIEW_PAGE).get_page(self.request.GET.get("page")),
            "total": len(rows),
            "invalid": invalid,
            "valid": len(rows) - invalid,
            "show_errors_only": show_errors_only,
        }
        return render(self.request, "cted/import_preview.html", context)
