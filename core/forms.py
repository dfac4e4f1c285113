"""Form pieces shared by every app: Bootstrap classes and accessible error links, set in one place; a
field for comma-separated themes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StyledFormMixin:
    """Adds Bootstrap's classes to every widget, and ties each field's errors to it for screen readers
    (Django itself sets ``aria-invalid`` and links help texts)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}-error"]
                if self.fields[name].help_text:
                    described.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field when it names one the form has,
    at the top of the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class TagListField(forms.CharField):
    """Themes typed as one comma-separated line, kept as a sorted list of distinct lower-case tags."""

    def __init__(self, *, max_tags: int = 15, max_tag_length: int = 40, **kwargs):
        self.max_tags, self.max_tag_length = max_tags, max_tag_length
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return list(value)
        text = super().to_python(value)
        return sorted({" ".join(tag.split()).lower() for tag in text.split(",") if tag.strip()})

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if any(len(tag) > self.max_tag_length for tag in value):
            raise forms.ValidationError(
                _("Each theme is at most %(length)s characters.") % {"length": self.max_tag_length}
            )
        if len(value) > self.max_tags:
            raise forms.ValidationError(_("At most %(count)s themes.") % {"count": self.max_tags})

    def run_validators(self, value):
        super().run_validators(", ".join(value))


def chosen(data, name: str, queryset):
    """The object of ``queryset`` whose id ``data[name]`` holds (a row's button posts its id), or None.

    Parsed by a form field, never ``int()``: a missing, malformed ("abc", "²", "1e309") or foreign id is
    simply no choice, and the caller answers it like an object that does not exist."""
    field = forms.ModelChoiceField(queryset=queryset)
    try:
        return field.clean(data.get(name))
    except ValidationError:
        return None
