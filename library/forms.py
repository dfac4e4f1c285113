import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin, TagListField
from directory.access import Visibility
from directory.filters import member_state_choices
from directory.forms import AudienceFormMixin
from directory.models import WORKING_LANGUAGES, Organization, Pillar
from library import services
from library.filetypes import RejectedFile
from library.models import Resource, ResourceType
from library.selectors import resources_for

MAX_FILES_AT_ONCE = 10

MAX_ATTACHMENTS = 10
#: A library resource's address (as copied from the browser) or its number.
RESOURCE_REFERENCE = re.compile(r"(?:/library/)?(\d{1,12})/?$")


class LibraryLinksMixin:
    """Library resources referred to from other content (a post's attachments, an event's documents), as a
    plain-text list of their addresses, one per line: only resources the writer may see are accepted;
    readers later see each one only if they may see it too. A text field scales to a library of any size,
    where a drop-down of every visible resource would not. The chosen resources are ``self.attachments``."""

    def add_attachments_field(self, user, current=(), *, label=None) -> None:
        self.user = user
        self.fields["attachment_links"] = forms.CharField(
            label=label or _("Attachments from the library"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "Paste the address of each library resource, one per line (at most %(max)s). Readers who "
                "may not see a resource will not see it listed."
            )
            % {"max": MAX_ATTACHMENTS},
        )
        if current:
            self.fields["attachment_links"].initial = "\n".join(
                resource.get_absolute_url() for resource in current
            )

    def clean_attachment_links(self):
        lines = [line.strip() for line in self.cleaned_data["attachment_links"].splitlines() if line.strip()]
        ids, wrong = [], []
        for line in lines:
            found = RESOURCE_REFERENCE.search(line)
            (ids if found else wrong).append(int(found.group(1)) if found else line)
        ids = list(dict.fromkeys(ids))
        if len(ids) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Attach at most %(max)s resources.") % {"max": MAX_ATTACHMENTS})
        resources = {resource.pk: resource for resource in resources_for(self.user).filter(pk__in=ids)}
        # The same answer for a resource that does not exist and one the poster may not see.
        wrong += [f"/library/{pk}/" for pk in ids if pk not in resources]
        if wrong:
            raise forms.ValidationError(
                _("No library resource you may see has this address: %(items)s") % {"items": ", ".join(wrong)}
            )
        self.attachments = [resources[pk] for pk in ids]
        return "\n".join(resource.get_absolute_url() for resource in self.attachments)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """One or more files, each checked by its content (``library.filetypes``) into a ``services.Upload``.

    The first file that fails names itself in the error; nothing is stored until every file passed."""

    widget = MultipleFileInput

    def __init__(self, *, multiple: bool = False, **kwargs):
        self.multiple = multiple
        super().__init__(**kwargs)
        if not multiple:
            self.widget = forms.ClearableFileInput()

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES_AT_ONCE:
            raise ValidationError(_("At most %(count)s files at once.") % {"count": MAX_FILES_AT_ONCE})
        uploads = []
        for file in files:
            try:
                uploads.append(services.check_upload(file))
            except RejectedFile as error:
                raise ValidationError(
                    _("%(name)s: %(reason)s") % {"name": file.name[:100], "reason": error}
                ) from None
        return uploads


class ResourceForm(AudienceFormMixin, StyledFormMixin, forms.ModelForm):
    """A resource's metadata and audience; on creation also its first files (or a link)."""

    # The library is for sharing: a new resource is for everyone signed in unless its author says otherwise.
    default_visibility = Visibility.PLATFORM

    tags = TagListField(
        label=_("Themes"), required=False, max_tags=20, max_tag_length=50,
        help_text=_("Separated by commas, e.g. border security, victims of terrorism, financing."),
    )  # fmt: skip
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, choices=(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=WORKING_LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    external_url = forms.URLField(
        label=_("Link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("For a resource published elsewhere: its address."),
    )  # fmt: skip
    files = UploadField(
        label=_("Files"), required=False, multiple=True,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument text, plain text, CSV, PNG or JPEG."),
    )  # fmt: skip
    file_language = forms.ChoiceField(
        label=_("Language of the files"), choices=[("", "—"), *WORKING_LANGUAGES], required=False
    )

    class Meta:
        model = Resource
        fields = [
            "title", "summary", "resource_type", "publication_date", "pillars", "tags", "countries",
            "languages", "author_organizations", "external_url", *AudienceFormMixin.audience_fields,
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "publication_date": forms.DateInput(attrs={"type": "date"}),
            "pillars": forms.CheckboxSelectMultiple,
            "author_organizations": forms.SelectMultiple(attrs={"size": 6}),
            "audience_organizations": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_audience_choices(user)
        self.fields["countries"].choices = member_state_choices()
        self.fields["pillars"].queryset = Pillar.objects.order_by("number")
        self.fields["author_organizations"].queryset = Organization.objects.filter(is_active=True)
        self.fields["author_organizations"].required = False
        if self.instance.pk:
            # Files of an existing resource are added as documents or versions, on its page.
            del self.fields["files"], self.fields["file_language"]

    def clean(self):
        cleaned = super().clean()
        # The Working Group is also the resource's subject ("a WG 2 document"), whatever its audience.
        working_group = cleaned.get("working_group")
        self.clean_audience(cleaned)
        cleaned["working_group"] = working_group
        self.instance.working_group = working_group
        if (
            not self.instance.pk
            and not self.errors
            and not cleaned.get("files")
            and not cleaned.get("external_url")
        ):
            self.add_error("files", _("Add at least one file, or a link to a resource published elsewhere."))
        if cleaned.get("resource_type") == ResourceType.LINK and not cleaned.get("external_url"):
            self.add_error("external_url", _("A link needs its address."))
        return cleaned


class DocumentForm(StyledFormMixin, forms.Form):
    """Another file of a resource (e.g. its translation)."""

    file = UploadField(label=_("File"))
    language = forms.ChoiceField(label=_("Language"), choices=[("", "—"), *WORKING_LANGUAGES], required=False)
    label = forms.CharField(label=_("Label"), max_length=120, required=False)


class VersionForm(StyledFormMixin, forms.Form):
    """A new version of one document: the earlier ones stay downloadable."""

    file = UploadField(label=_("New version"))
