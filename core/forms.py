"""Form pieces shared by every app: the renderer that styles every form (Bootstrap classes, accessible
error links) in one place; a field for comma-separated themes; and the reading of what a request carries
(a chosen object's id, a date, a search box's text), where a malformed value is no choice or a message,
never a server error."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: The dates the platform works with. Python's own run from year 1 to 9999, and a week or a time zone
#: beyond either end is no date: a calendar window, a repetition or an all-day end computed from a date
#: near them would overflow. Far wider than any meeting or plan.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)

#: The longest text a search box searches for.
SEARCH_LENGTH = 100


def widget_css(widget) -> str:
    """Bootstrap's class for a widget: tick boxes and radio buttons, lists, or text-like controls."""
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    if isinstance(widget, forms.HiddenInput):
        return ""
    return "form-control"


#: A list this long is made searchable in the browser (static/js/platform.js): typing a few letters beats
#: scrolling through 193 countries.
SEARCHABLE_CHOICES = 20


def is_long_list(field) -> bool:
    """A select of many choices: a model list whose model says it is long (``long_list = True``, e.g.
    organisations), or a fixed list of more than SEARCHABLE_CHOICES. Counting a queryset would cost a
    query per field, so model lists are decided by their model."""
    if not isinstance(field.widget, forms.Select | forms.SelectMultiple) or isinstance(
        field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect
    ):
        return False
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        return getattr(queryset.model, "long_list", False)
    choices = getattr(field, "choices", ())
    try:
        count = len(choices)
    except TypeError:  # choices given by a callable: counted by walking them
        count = sum(1 for _choice in choices)
    return count > SEARCHABLE_CHOICES


class StyledBoundField(BoundField):
    """Every field of every form, as rendered: Bootstrap's class for its widget, and its errors tied to it
    for screen readers (Django itself sets ``aria-invalid`` and links help texts). Decided when the field
    is rendered, not when the form is built, so fields a form adds or replaces late are styled too."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = " ".join(
            part for part in (widget.attrs.get("class"), attrs.get("class"), widget_css(widget)) if part
        )
        if classes:
            attrs["class"] = classes
        if is_long_list(self.field):
            attrs["data-searchable"] = ""
        if self.errors:
            described = [f"{self.auto_id}-error"]
            if self.help_text:
                described.append(f"{self.auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(described)
        return attrs

    @property
    def shown_when(self) -> str:
        """ "<id of the controlling field>=<value>,<value>" when the form shows this field only for some
        choices of another (``FieldGroupsMixin.shown_when``); the page's script hides it otherwise."""
        condition = getattr(self.form, "shown_when", {}).get(self.name)
        if condition is None:
            return ""
        controller, values = condition
        return f"{self.form[controller].auto_id}={','.join(values)}"


class FieldGroupsMixin:
    """Fields shown together under a legend (``field_groups``: (legend, field names) pairs, at the place of
    their first field), and fields shown only for some choices of another (``shown_when``: field name →
    (controlling field name, values)) — without JavaScript every field shows and the form works the same."""

    field_groups: tuple = ()
    shown_when: dict = {}

    @property
    def grouped_fields(self) -> list[tuple[str | None, list]]:
        legend_of = {name: legend for legend, names in self.field_groups for name in names}
        members = {
            legend: [name for name in names if name in self.fields] for legend, names in self.field_groups
        }
        result, done = [], set()
        for field in self.visible_fields():
            legend = legend_of.get(field.name)
            if legend is None:
                result.append((None, [field]))
            elif legend not in done:
                done.add(legend)
                result.append((legend, [self[name] for name in members[legend] if not self[name].is_hidden]))
        return result


class PlatformFormRenderer(TemplatesSetting):
    """The one renderer of every form: widgets through the template engine (so templates/django/forms/
    overrides Django's markup) and every field a ``StyledBoundField``."""

    bound_field_class = StyledBoundField


class StyledFormMixin:
    """Kept for the forms that name it; the renderer styles every form (``PlatformFormRenderer``)."""


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


class BoundedDateField(forms.DateField):
    """A date between ``EARLIEST_DATE`` and ``LATEST_DATE``; outside them, a form error that says so."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(EARLIEST_DATE, gettext_lazy("Give a date from %(limit_value)s on.")),
            MaxValueValidator(LATEST_DATE, gettext_lazy("Give a date up to %(limit_value)s.")),
        ]


def from_query(request, name: str, field: forms.Field, default):
    """The query parameter ``name`` as ``field`` reads it; ``default`` when it is missing, and when the field
    refuses it, with the field's message: a hand-edited or stale link opens the page, never an error."""
    raw = request.GET.get(name)
    if raw in field.empty_values:  # not asked for: the page as it opens, without a "required" warning
        return default
    try:
        value = field.clean(raw)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return default
    return default if value in field.empty_values else value


def search_text(request, name: str = "q", *, max_length: int = SEARCH_LENGTH) -> str:
    """What a search box asks for: stripped, cut to ``max_length`` characters, and nothing when it holds a
    NUL byte (PostgreSQL refuses one in text), each time with a message rather than an error page."""
    text = request.GET.get(name, "").strip()
    if len(text) > max_length:
        text = text[:max_length].strip()
        messages.info(
            request, _("The search was shortened to its first %(n)d characters.") % {"n": max_length}
        )
    if "\x00" in text:
        messages.warning(request, _("The search contained characters that cannot be searched for."))
        return ""
    return text
