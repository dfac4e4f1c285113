"""The library's pages. Reads go through ``library.selectors`` (``visible_to``), writes through
``library.services``; an invisible resource is a 404 everywhere, downloads included."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from core import facets as core_facets
from core.audit import record
from core.models import SecurityEventKind
from core.paging import capped_page, page_of
from directory import sharing
from directory.access import Visibility, viewer
from directory.forms import started_in_group
from directory.mixins import ObjectActionMixin, VisibleObjectMixin
from directory.models import Organization
from directory.people import LANGUAGE_NAMES
from directory.views.edit import ContentEditView
from directory.views.share import ShareView
from library import rules, search, selectors, services
from library.filetypes import RejectedFile
from library.filters import LibraryFilter
from library.forms import DocumentForm, ResourceForm, VersionForm
from library.models import Document, FileVersion, Resource

PAGE_SIZE = 20
COUNT_CAP = 1000


class OverviewView(LoginRequiredMixin, View):
    """The library's front page: browse by pillar and by theme, and what was added this week."""

    def get(self, request):
        return render(
            request,
            "library/overview.html",
            {"overview": selectors.overview(request.user), "filter": LibraryFilter()},
        )


class SearchView(LoginRequiredMixin, View):
    """Search and filtered lists (a pillar, a theme, a Working Group's resources): ranked results with
    highlighted passages, facets with counts, every choice in the URL."""

    def get(self, request):
        data, _ignored, filterset = core_facets.valid_filters(
            request, LibraryFilter, queryset=selectors.resources_for(request.user)
        )
        raw_query = (data.get("q") or "").strip()
        query = search.clean_query(raw_query)
        if raw_query and not query:
            messages.info(request, _("Type some words to search for: the search had none."))
        elif len(raw_query) > search.MAX_QUERY_LENGTH:
            messages.info(
                request,
                _("Only the first %(count)s characters of the search were used.")
                % {"count": search.MAX_QUERY_LENGTH},
            )
        results = selectors.ordered(filterset.qs, data)
        page, count, more = capped_page(results, request.GET.get("page"), per_page=PAGE_SIZE, cap=COUNT_CAP)
        rows = selectors.with_documents(page.object_list)
        found = search.snippets([resource.pk for resource in rows], query)
        for resource in rows:
            resource.snippet = found.get(resource.pk)
        context = {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "count": count,
            "more": more,
            "facets": core_facets.with_links(selectors.facets(request.user, data, filterset.form), data),
            "query": data,
            "searched": query,
        }
        template = "library/results.html" if request.headers.get("HX-Request") else "library/search.html"
        return render(request, template, context)


class ResourceView(VisibleObjectMixin, DetailView):
    model = Resource
    select_related = ("owner", "author", "working_group")
    template_name = "library/resource.html"
    context_object_name = "resource"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resource = self.object
        documents = (
            Document.objects.filter(resource=resource)
            .prefetch_related("versions__uploaded_by")
            .order_by("id")
        )
        may_change = rules.can_change_resource(self.request.user, resource)
        context.update(
            {
                "documents": documents,
                "pillars": resource.pillars.order_by("number"),
                "authors": resource.author_organizations.all(),
                "countries": Organization.objects.filter(iso3__in=resource.countries)
                .order_by("name")
                .values_list("name", flat=True),
                "languages": [str(LANGUAGE_NAMES.get(code, code)) for code in resource.languages],
                "audience": sharing.describe(resource),
                "related": selectors.related(self.request.user, resource),
                "may_change": may_change,
                "may_share": rules.can_share_resource(self.request.user, resource),
                "may_delete": rules.can_trash_resource(self.request.user, resource),
                "document_form": DocumentForm() if may_change else None,
                "version_form": VersionForm() if may_change else None,
            }
        )
        return context


def _duplicate_message(request, duplicate: Resource) -> None:
    messages.warning(
        request,
        format_html(
            _('This file is already in the library: <a href="{url}">{title}</a>.'),
            url=duplicate.get_absolute_url(),
            title=duplicate.title,
        ),
    )


def _renamed_messages(request, uploads) -> None:
    for upload in uploads:
        if upload.sniffed.renamed:
            messages.info(
                request,
                _("%(name)s is a %(kind)s whatever its name said; it is stored as such.")
                % {"name": upload.name, "kind": upload.sniffed.kind.label},
            )


class ResourceCreateView(LoginRequiredMixin, View):
    def get(self, request):
        form = ResourceForm(user=request.user)
        form.start_audience(request.user, started_in_group(request))
        return render(request, "library/form.html", {"form": form})

    def post(self, request):
        form = ResourceForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                resource = services.save_resource(
                    form=form,
                    by=request.user,
                    uploads=form.cleaned_data["files"],
                    language=form.cleaned_data["file_language"],
                )
            except services.DuplicateFile as duplicate:
                _duplicate_message(request, duplicate.resource)
                form.add_error("files", _("This file is already in the library (see the link above)."))
            else:
                _renamed_messages(request, form.cleaned_data["files"])
                messages.success(request, _("Resource added. Its files become searchable in a moment."))
                return redirect(resource)
        return render(request, "library/form.html", {"form": form})


class ResourceEditView(ContentEditView):
    model = Resource
    form_class = ResourceForm
    template_name = "library/form.html"
    success_message = gettext_lazy("Resource updated.")

    def save(self, form, *, by) -> None:
        services.save_resource(form=form, by=by)


class ResourceShareView(ShareView):
    model = Resource


class AddDocumentView(ObjectActionMixin, View):
    """Another file of the resource. POST only; a refused file shows the resource page with the error."""

    model = Resource
    http_method_names = ["post"]

    def post(self, request, pk):
        resource = self.get_object()
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_document(
                    resource=resource,
                    upload=form.cleaned_data["file"][0],
                    language=form.cleaned_data["language"],
                    label=form.cleaned_data["label"],
                    by=request.user,
                )
            except services.DuplicateFile as duplicate:
                _duplicate_message(request, duplicate.resource)
            else:
                _renamed_messages(request, form.cleaned_data["file"])
                messages.success(request, _("File added."))
        else:
            messages.error(request, " ".join(form.errors.get("file", [_("The file could not be added.")])))
        return redirect(resource)


class AddVersionView(LoginRequiredMixin, View):
    """A new version of one document (the earlier ones stay). POST only."""

    http_method_names = ["post"]

    def post(self, request, pk):
        document = get_object_or_404(
            Document.objects.select_related("resource"),
            pk=pk,
            resource__in=Resource.objects.visible_to(request.user),
        )
        if not rules.can_change_resource(request.user, document.resource):
            raise PermissionDenied
        form = VersionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = services.add_version(
                    document=document, upload=form.cleaned_data["file"][0], by=request.user
                )
            except RejectedFile as error:
                messages.error(request, str(error))
            else:
                _renamed_messages(request, form.cleaned_data["file"])
                messages.success(request, _("Version %(number)s uploaded.") % {"number": version.number})
        else:
            messages.error(request, " ".join(form.errors.get("file", [_("The file could not be added.")])))
        return redirect(document.resource)


class DownloadView(View):
    """A file, only through this permission-checked view: always as an attachment, never sniffed or
    cached by shared caches, and sandboxed should a browser render it anyway.

    Open without sign-in for the files of public resources only (``visible_to`` gives an anonymous visitor
    exactly those): any other file sends a visitor to the sign-in page, as before — whether it exists or
    not, so the answer reveals nothing."""

    def get(self, request, pk):
        version = selectors.version_for(request.user, pk)
        if version is None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        return file_response(request, version)


def file_response(request, version: FileVersion):
    """The file as an attachment (the page's download and the API's): a restricted one's download is
    recorded in the security log."""
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    resource = version.document.resource
    if resource.visibility not in (Visibility.PUBLIC, Visibility.PLATFORM, Visibility.COMPACT):
        record(SecurityEventKind.DOWNLOAD, request=request, resource=resource.pk, version=version.pk)
    response = FileResponse(
        handle, as_attachment=True, filename=version.original_name, content_type=version.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- The trash ----------------------------------------------------------------------------------------------


class TrashResourceView(ObjectActionMixin, View):
    model = Resource
    action = "delete"
    http_method_names = ["post"]

    def post(self, request, pk):
        resource = self.get_object()
        services.trash(resource=resource, by=request.user)
        messages.success(request, _("“%(title)s” was moved to the trash.") % {"title": resource.title})
        return redirect("library:trash")


class TrashView(LoginRequiredMixin, View):
    """The trash of the reader's organisations (every organisation's, for the Secretariat). A title is
    shown only to those who could read the resource before it was deleted."""

    def get(self, request):
        trashed = selectors.trash_for(request.user).select_related("owner", "deleted_by")
        page = page_of(request, trashed.order_by("-deleted_at", "-pk"), per_page=50)
        # Only the page's resources are checked against the audience rule.
        readable = set(
            Resource.objects.filter(pk__in=[resource.pk for resource in page])
            .filter(Resource.audience_rule(viewer(request.user)))
            .values_list("pk", flat=True)
        )
        rows = [
            (
                resource,
                resource.pk in readable,
                rules.can_restore_resource(request.user, resource),
                rules.can_purge_resource(request.user, resource),
            )
            for resource in page
        ]
        return render(request, "library/trash.html", {"page": page, "rows": rows})


class TrashActionView(LoginRequiredMixin, View):
    """Restore or purge (POST only). A resource outside the reader's trash is a 404."""

    http_method_names = ["post"]
    action = "restore"

    def post(self, request, pk):
        resource = get_object_or_404(selectors.trash_for(request.user), pk=pk)
        if self.action == "restore":
            services.restore(resource=resource, by=request.user)
            messages.success(request, _("Resource restored."))
            if Resource.objects.visible_to(request.user).filter(pk=resource.pk).exists():
                return redirect(resource)
        else:
            services.purge(resource=resource, by=request.user, request=request)
            messages.success(request, _("Resource deleted for good."))
        return redirect("library:trash")
