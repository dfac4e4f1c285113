"""The base every app's API views build on.

A view names its ``module`` (the scope a token needs, api.scopes) and reads through its app's selector, the
same one its pages use: ``get_queryset`` starts from ``visible_to(user)``, so an object the caller may not
see is a 404 — the same answer as one that does not exist, in lists, details and filters alike.

Writes go through the app's own form and service, like the page that does the same thing (``FormWrites``):
the form decides what is valid and which choices the caller may make, the service checks the rule and keeps
the audit trail. The API adds no rule of its own, so it cannot disagree with the pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from api import services
from api.models import AccessToken
from core.forms import add_service_error
from directory.access import viewer
from directory.rules import can


class ModuleViewSet(viewsets.GenericViewSet):
    """A module's endpoints: the scope, ids that are numbers, and each token's use recorded."""

    #: The module of api.scopes.MODULES whose scope a token needs.
    module: str = ""
    #: Ids in addresses are numbers: anything else is not an address of the API (404 without a query).
    lookup_value_regex = r"[0-9]+"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "auth", None)
        if isinstance(token, AccessToken):
            services.record_use(token, request, response.status_code)
        return response


class ReadViewSet(ModuleViewSet, viewsets.ReadOnlyModelViewSet):
    """A list (cursor-paged, filtered like its page) and a detail, of what the caller may see.

    Subclasses name the ``serializer_class``, ``get_queryset`` (the app's selector for the user), the
    ``filterset_class`` of its page, the ``ordering`` (ending with the primary key) and, if the rows need
    more than their query fetched, ``prepare_rows`` (e.g. prefetching a page's files: a constant number of
    queries for any page)."""

    ordering = ("-pk",)

    def prepare_rows(self, rows: list) -> list:
        return rows

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else self.prepare_rows(page)

    def get_object(self):
        return self.prepare_rows([super().get_object()])[0]


def form_data(unbound, request, *, start_from_form: bool) -> dict:
    """The request's fields as data for the form ``unbound`` was made as (JSON and multipart alike). With
    ``start_from_form``, a field the body leaves out keeps the form's starting value: the object's current
    one for a partial update, what the page would propose for a creation (e.g. the caller's organisation as
    owner when they have one)."""
    body = request.data
    data = {bound.name: bound.value() for bound in unbound} if start_from_form else {}
    for name, field in unbound.fields.items():
        if name in body:
            many = getattr(field.widget, "allow_multiple_selected", False)
            data[name] = body.getlist(name) if many and hasattr(body, "getlist") else body.get(name)
    return data


class FormWrites:  # noqa: B024 -- a mixin of ReadViewSet, whose prepare_rows it uses
    """Create and update (full or partial) through the app's form and service.

    Subclasses name the ``form_class`` (a form that takes the ``user``, as the pages' forms do) and ``save``
    (the app's service); the body is described in the schema by ``api.schema.form_serializer``. Deleting is
    ``ServiceDeletes``, for the modules whose pages delete (what the pages do not do, the API does not
    offer: its router then maps no DELETE)."""

    form_class = None

    def save(self, form, *, by):
        """Write the valid form through the app's service; returns the object."""
        raise NotImplementedError

    def changeable_object(self, action: str = "change"):
        """The object, visible to the caller (404 otherwise) and theirs to change or delete (403 otherwise:
        they know it exists), by the rule the app registered for its model (directory.rules)."""
        obj = self.get_object()
        if not can(self.request.user, action, obj):
            raise exceptions.PermissionDenied
        return obj

    def _write(self, *, instance=None, partial=False, created=False):
        user = self.request.user
        unbound = self.form_class(instance=instance, user=user)
        if created and hasattr(unbound, "start_audience"):
            unbound.start_audience(user, None)  # as the page's empty form starts
            who = viewer(user)
            if who is not None and len(who.organization_ids) == 1:
                # The page's owner list starts on the person's organisation: with one, it is the owner.
                (unbound.initial["owner"],) = who.organization_ids
        data = form_data(unbound, self.request, start_from_form=created or partial)
        form = self.form_class(data, self.request.FILES, instance=instance, user=user)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            with transaction.atomic():
                obj = self.save(form, by=self.request.user)
        except PermissionDenied as refused:
            raise exceptions.PermissionDenied from refused
        except DjangoValidationError as refused:
            # A service's own refusal (a rule the form cannot see): next to its field, as the page shows it.
            add_service_error(form, refused)
            raise exceptions.ValidationError(form_errors(form)) from refused
        obj = self.prepare_rows([self.get_queryset().get(pk=obj.pk)])[0]  # read back as the caller lists it
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(obj).data, status=code)

    def create(self, request, *args, **kwargs):
        return self._write(created=True)

    def update(self, request, *args, **kwargs):
        return self._write(instance=self.changeable_object(), partial=kwargs.get("partial", False))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class ServiceDeletes:  # noqa: B024 -- a mixin of FormWrites, whose changeable_object it uses
    """DELETE through the app's service — what the page's own "delete" does (the library's trash, the
    calendar's cancellation): ``destroy_object(obj, by=)``, allowed by the model's ``delete_rule``."""

    #: The registered rule (directory.rules) that allows it: "delete" unless the page asks another.
    delete_rule = "delete"

    def destroy_object(self, obj, *, by) -> None:
        raise NotImplementedError

    def destroy(self, request, *args, **kwargs):
        self.destroy_object(self.changeable_object(self.delete_rule), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def form_errors(form) -> dict:
    """A form's errors as DRF gives a serializer's: ``{"field": ["message", ...]}``, ``non_field_errors``
    for the form's own."""
    return {
        ("non_field_errors" if name == "__all__" else name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }
