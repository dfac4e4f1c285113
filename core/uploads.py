"""Upload pages that refuse a file larger than their cap before its body is read to its end: a request
announcing more is not parsed at all, a body longer than announced stops being stored at the cap. So a 200 MB
file is refused without being stored anywhere (the projects' and CTED's spreadsheet imports use it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

#: The body of an upload beyond the file: the other fields and the multipart framing.
UPLOAD_OVERHEAD = 64 * 1024


class CappedUploadHandler(FileUploadHandler):
    """Refuses an upload larger than ``cap`` bytes before its body is read: a request announcing more is not
    parsed at all (empty form, ``too_large``); a body longer than announced stops being stored at the cap."""

    def __init__(self, request=None, *, cap: int):
        super().__init__(request)
        self.cap = cap
        self.received = 0
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        if content_length > self.cap + UPLOAD_OVERHEAD:
            self.too_large = True
            return QueryDict(mutable=True), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.cap:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


class CappedUploadView(View):
    """A POST whose files are capped at ``max_bytes()``: too large, the page comes back (413) with a message
    and an empty form (``too_large``); else ``upload(request)`` runs, CSRF-checked."""

    @classmethod
    def as_view(cls, **initkwargs):
        # The CSRF middleware would read the whole body to find the token: checked in ``post`` once capped.
        return csrf_exempt(super().as_view(**initkwargs))

    def max_bytes(self) -> int:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        cap = self.max_bytes()
        handler = CappedUploadHandler(request, cap=cap)
        request.upload_handlers.insert(0, handler)
        request.POST  # noqa: B018 -- parsed now, through the cap
        if handler.too_large:
            messages.error(
                request,
                _("The file is larger than %(cap)s MB, the largest file accepted.") % {"cap": cap // 2**20},
            )
            return self.too_large(request)
        return csrf_protect(self.upload)(request, *args, **kwargs)

    def upload(self, request, *args, **kwargs):
        raise NotImplementedError

    def too_large(self, request):
        raise NotImplementedError
