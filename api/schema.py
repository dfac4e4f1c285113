"""The OpenAPI description: the token scheme, write bodies described from the pages' forms, and the error
answers every operation may give.

A write endpoint validates with the app's Django form (api.viewsets.FormWrites); ``form_serializer`` turns
that form's fields into a serializer that only *describes* the body, so the schema and the validation have
one source. Per-person choices (which Working Groups, which organisations) are left as ids in the schema:
the form refuses one the caller may not choose, with a 400 that names the field.
"""

from __future__ import annotations

from django import forms
from django_filters import filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (`cpat_…`), made on the platform's “API tokens” page.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class FilterSets(DjangoFilterExtension):
    """The pages' filter sets, with one addition: a filter choosing a record (an organisation, a Working
    Group) takes its id, also when a method of the filter set applies it."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, filters.ModelMultipleChoiceFilter):
            schema = build_array_type(build_basic_type(OpenApiTypes.INT))
            return [self._parameter(field_name, filter_field, schema, explode=True)]
        if isinstance(filter_field, filters.ModelChoiceFilter):
            return [self._parameter(field_name, filter_field, build_basic_type(OpenApiTypes.INT))]
        return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)

    @staticmethod
    def _parameter(name, filter_field, schema, *, explode=False):
        from drf_spectacular.plumbing import build_parameter_type

        return build_parameter_type(
            name=name, location="query", schema=schema, description=str(filter_field.label or ""),
            required=filter_field.extra.get("required", False), explode=explode,
        )  # fmt: skip


def _field(field: forms.Field) -> serializers.Field:
    """The serializer field that describes a form field (what it accepts, not who may choose what)."""
    common = {"required": field.required, "help_text": str(field.help_text or "") or None}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(min_value=1), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, allow_null=not field.required, **common)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.ListField(child=serializers.CharField(), **common)
    if isinstance(field, forms.ChoiceField):
        choices = (
            [(key, label) for key, label in field.choices if key != ""]
            if isinstance(field.choices, list)
            else []
        )
        if choices and not field.required:
            return serializers.ChoiceField(choices=choices, allow_blank=True, **common)
        return (
            serializers.ChoiceField(choices=choices, **common) if choices else serializers.CharField(**common)
        )
    if isinstance(field, forms.FileField):
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        file = serializers.FileField()
        return serializers.ListField(child=file, **common) if multiple else serializers.FileField(**common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(required=False, help_text=common["help_text"])
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.TimeField):
        return serializers.TimeField(**common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, coerce_to_string=False, **common
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    if isinstance(field, forms.EmailField):
        return serializers.EmailField(allow_blank=not field.required, **common)
    if isinstance(field, forms.URLField):
        return serializers.URLField(allow_blank=not field.required, **common)
    max_length = getattr(field, "max_length", None)
    return serializers.CharField(allow_blank=not field.required, max_length=max_length, **common)


def form_serializer(form_class, name: str, *, exclude=()) -> type[serializers.Serializer]:
    """A serializer describing ``form_class``'s fields, named ``name`` in the schema."""
    fields = {
        field_name: _field(field)
        for field_name, field in form_class.base_fields.items()
        if field_name not in exclude
    }
    return type(name, (serializers.Serializer,), {**fields, "__doc__": form_class.__doc__})


ERRORS = {
    "400": "The body or a filter is not valid: each field's messages.",
    "401": "No token, or a token that is unknown, revoked or expired (or a signed-out session).",
    "403": "The token lacks the scope, or the caller may see the object but not change it.",
    "404": "Nothing there — or nothing the caller may see: the two are the same answer.",
    "429": "Too many requests: wait for the seconds in Retry-After.",
}


def add_error_answers(result, generator, request, public):
    """Postprocessing hook: every operation may answer 401, 403 (scope), 404 and 429, writes and filtered
    lists also 400 — documented once here, with their bodies, rather than on every view."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    components["ValidationError"] = {
        "type": "object",
        "additionalProperties": {"oneOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code in responses:
                    continue
                schema = "ValidationError" if code == "400" else "Error"
                responses[code] = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                }
                if code == "429":
                    responses[code]["headers"] = {
                        "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
                    }
    return result
