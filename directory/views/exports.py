"""Downloads of the directory: one person's vCard, and the filtered list as vCards, CSV or XLSX.

Who may download what:

- a vCard of one person: any signed-in user who may see the person in the directory (else 404, the same
  answer as for a person who does not exist);
- the filtered list as vCards: any signed-in user (the people and details they already see on the pages);
- the filtered list as CSV/XLSX: the Secretariat and organisation admins (403 for others): tables are for
  the people who administer the network, and they are the convenient way to take the whole directory away.

Every output applies ``directory.privacy`` through ``directory.exports`` (a hidden email or phone is in no
file), and every download is recorded as a security event ("export") with the format, the filters and the
number of people.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import audit, tables
from core.models import SecurityEventKind
from directory import exports
from directory.filters import PeopleFilter
from directory.people import people_for
from directory.rules import can_export_people_tables
from directory.views.people import valid_filters

#: The most people one list export holds; beyond, the file says it is cut and the filters should narrow.
MAX_ROWS = 5000
TABLE_FORMATS = ("csv", "xlsx")
FORMATS = ("vcf", *TABLE_FORMATS)
CONTENT_TYPES = {
    "vcf": "text/vcard; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _version(request) -> str | None:
    version = request.GET.get("version", exports.DEFAULT_VCARD_VERSION)
    return version if version in exports.VCARD_VERSIONS else None


def _bad_version() -> HttpResponseBadRequest:
    message = _("Unknown vCard version: ask for version 3.0 or 4.0.")
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def _download(content: bytes, *, format: str, filename: str) -> HttpResponse:
    # The stem is ASCII letters, digits and hyphens only (exports.safe_filename): nothing to quote.
    return tables.download(content, filename=f"{filename}.{format}", content_type=CONTENT_TYPES[format])


@require_safe
@login_required
def person_vcard(request, pk):
    version = _version(request)
    if version is None:
        return _bad_version()
    person = get_object_or_404(people_for(request.user), pk=pk)
    content = exports.vcard(request.user, person, version=version).encode("utf-8")
    audit.record(
        SecurityEventKind.EXPORT, request=request, format="vcf", version=version, count=1, people=[person.pk]
    )
    return _download(
        content, format="vcf", filename=exports.safe_filename(person.full_name, fallback=f"contact-{pk}")
    )


@require_safe
@login_required
def people_export(request, format):
    if format not in FORMATS:
        raise Http404
    if format in TABLE_FORMATS and not can_export_people_tables(request.user):
        raise PermissionDenied
    version = _version(request) if format == "vcf" else None
    if format == "vcf" and version is None:
        return _bad_version()

    # The same people, in the same order, as the directory page shows for this query string.
    data, ignored = valid_filters(request, warn=False)  # the export says which it ignored itself
    results = PeopleFilter(data, queryset=people_for(request.user)).qs
    if not data.get("q"):
        results = results.order_by("full_name", "pk")
    if format in TABLE_FORMATS:
        results = results.prefetch_related("profile__expertise_pillars")
    people = list(results[: MAX_ROWS + 1])
    truncated = len(people) > MAX_ROWS
    people = people[:MAX_ROWS]

    filters = {name: data.get(name) for name in PeopleFilter.base_filters if data.get(name)}
    audit.record(
        SecurityEventKind.EXPORT,
        request=request,
        format=format,
        **({"version": version} if version else {}),
        count=len(people),
        truncated=truncated,
        filters=filters,
        ignored_filters=ignored,
    )

    stamp = timezone.localtime()
    if format == "vcf":
        content = exports.vcards(request.user, people, version=version).encode("utf-8")
    elif format == "csv":
        content = exports.to_csv(request.user, people)
    else:
        about = [
            (_("Exported"), f"{stamp:%Y-%m-%d %H:%M %Z}"),
            (_("Exported by"), request.user.email),
            (_("Filters"), "; ".join(f"{name}={value}" for name, value in filters.items()) or _("none")),
            (_("People"), str(len(people))),
        ]
        if truncated:
            about.append((_("Truncated"), _truncated_message()))
        content = exports.to_xlsx(request.user, people, about=about)
    response = _download(content, format=format, filename=f"directory-{stamp:%Y-%m-%d}")
    response["X-Export-Count"] = str(len(people))
    if truncated:
        response["X-Export-Truncated"] = str(MAX_ROWS)  # the XLSX also says so on its "About" sheet
    return response


def _truncated_message() -> str:
    return _("Only the first %(max)s people are exported: narrow the filters to get the others.") % {
        "max": MAX_ROWS
    }
