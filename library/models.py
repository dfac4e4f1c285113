"""The thematic resource library: resources, the documents they hold, every version of each document, and
the passages of extracted text that search highlights.

A *resource* is what people look for (a report, a guidance note, a training package); it carries the
metadata and the audience. A resource holds *documents* (the same report in English and French, say), and
each document keeps every uploaded *version*. Text is extracted from each version in a background job;
the current versions' text is cut into *passages* so a search can show where a phrase was found without
reading whole files.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.audit import track_links
from directory.access import AudienceModel, AudienceQuerySet
from directory.models import WORKING_LANGUAGES, Organization, Pillar
from library.extraction import ExtractionStatus
from library.filetypes import FileKind


class ResourceType(models.TextChoices):
    REPORT = "report", _("Report")
    GUIDANCE = "guidance", _("Guidance")
    TRAINING = "training", _("Training material")
    MEETING_RECORD = "meeting_record", _("Meeting record")
    PUBLICATION = "publication", _("Publication")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    DATASET = "dataset", _("Dataset")
    LINK = "link", _("Link")


class ResourceQuerySet(AudienceQuerySet):
    def visible_to(self, user) -> ResourceQuerySet:
        """The resources the user may read; a resource in the trash is read by no one (it is restored or
        purged from the trash page, which has its own rule)."""
        return super().visible_to(user).filter(deleted_at__isnull=True)

    def in_trash(self) -> ResourceQuerySet:
        return self.filter(deleted_at__isnull=False)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["search_vector", "document_vector", "facet_keys"],
)
class Resource(AudienceModel):
    """A document or link shared through the library, with its metadata and audience."""

    #: An owner may publish a resource on the public pages, its files downloadable without sign-in.
    allows_public = True

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    resource_type = models.CharField(_("type"), max_length=20, choices=ResourceType.choices)
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="+", verbose_name=_("strategy pillars"))
    tags = ArrayField(
        models.CharField(max_length=50),
        blank=True,
        default=list,
        verbose_name=_("themes"),
        help_text=_("Thematic tags, separated by commas (e.g. border security, victims, financing)."),
    )
    countries = ArrayField(
        models.CharField(max_length=3), blank=True, default=list, verbose_name=_("countries")
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=WORKING_LANGUAGES),
        blank=True,
        default=list,
        verbose_name=_("languages"),
    )
    publication_date = models.DateField(_("publication date"), default=timezone.localdate)
    author_organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        verbose_name=_("author organisations"),
        help_text=_("The organisations that wrote it, when not (only) the owner."),
    )
    external_url = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("For a resource published elsewhere: its address."),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    deleted_at = models.DateTimeField(_("moved to the trash"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False,
    )  # fmt: skip
    # Ranking reads only title, themes and summary: a small vector, cheap to score for thousands of hits.
    search_vector = SearchVectorField(null=True, editable=False)
    # Matching reads everything (metadata and the current files' text); it is never scored, only tested.
    document_vector = SearchVectorField(null=True, editable=False)
    #: Every filter value as "<facet>:<value>", for containment filters and one-query facet counts.
    facet_keys = ArrayField(models.CharField(max_length=80), default=list, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-publication_date", "-id"]
        indexes = [
            models.Index(fields=["visibility", "-publication_date"], name="resource_visibility_idx"),
            models.Index(fields=["owner", "-publication_date"], name="resource_owner_idx"),
            models.Index(fields=["working_group", "-publication_date"], name="resource_wg_idx"),
            models.Index(fields=["-publication_date", "-id"], name="resource_recent_idx"),
            models.Index(fields=["-created_at"], name="resource_added_idx"),
            models.Index(
                fields=["deleted_at"], name="resource_trash_idx", condition=models.Q(deleted_at__isnull=False)
            ),
            GinIndex(fields=["search_vector"], name="resource_search_idx"),
            GinIndex(fields=["document_vector"], name="resource_document_idx"),
            GinIndex(fields=["facet_keys"], name="resource_facets_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:resource", kwargs={"pk": self.pk})

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None


class ResourceUserGrant(UserObjectPermissionBase):
    """A resource shared with one person."""

    content_object = models.ForeignKey(Resource, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("resource shared with a person")


class ResourceGroupGrant(GroupObjectPermissionBase):
    """A resource shared with a group of people."""

    content_object = models.ForeignKey(Resource, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("resource shared with a group")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Document(models.Model):
    """One file of a resource (e.g. its French version), whose uploads are kept as versions."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="documents")
    language = models.CharField(_("language"), max_length=8, choices=WORKING_LANGUAGES, blank=True)
    label = models.CharField(
        _("label"), max_length=120, blank=True, help_text=_("e.g. “Annex II” or “Executive summary”.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["resource", "id"]

    def __str__(self) -> str:
        return self.label or self.get_language_display() or _("Document %(number)s") % {"number": self.pk}


def _version_name(instance: FileVersion, filename: str) -> str:
    # Generated names only: the uploaded name never becomes a path. The SHA-256 names the content, the
    # random part keeps two uploads of the same content (by people who cannot see each other's) apart.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"library/{instance.sha256[:2]}/{instance.sha256}-{secrets.token_hex(4)}{suffix}"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), exclude=["extracted_text"]
)
class FileVersion(models.Model):
    """One upload of a document. Every version stays downloadable; the newest is the current one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(default=True)
    file = models.FileField(_("file"), upload_to=_version_name, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=8, choices=FileKind.choices)
    content_type = models.CharField(max_length=120)
    size = models.BigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("uploaded by"),
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    extraction_status = models.CharField(
        _("search"), max_length=12, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    extracted_text = models.TextField(blank=True, editable=False)
    extraction_truncated = models.BooleanField(default=False, editable=False)
    extracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    extraction_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["document"], condition=models.Q(is_current=True), name="version_one_current"
            ),
        ]
        indexes = [
            models.Index(
                fields=["extraction_status", "uploaded_at"],
                name="version_pending_idx",
                condition=models.Q(extraction_status=ExtractionStatus.PENDING),
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"

    def get_absolute_url(self) -> str:
        return reverse("library:download", kwargs={"pk": self.pk})

    @property
    def is_searchable(self) -> bool:
        return self.extraction_status == ExtractionStatus.SEARCHABLE


class Passage(models.Model):
    """About 1,500 characters of a current version's text, with its own search vector: search shows the
    best passage of each hit instead of highlighting a whole file (derived data, rebuilt after extraction;
    it holds offsets, not a second copy of the text)."""

    version = models.ForeignKey(FileVersion, on_delete=models.CASCADE, related_name="passages")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    length = models.PositiveIntegerField()
    config = models.CharField(max_length=20)
    vector = SearchVectorField()

    class Meta:
        indexes = [
            GinIndex(fields=["vector"], name="passage_vector_idx"),
            models.Index(fields=["resource"], name="passage_resource_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}@{self.start}"


class RelatedTerm(models.Model):
    """Words of the domain that a search for one should also find where the stemmers keep them apart:
    "terrorist" and "terrorism", "extremist" and "extremism", British and American spellings. Applied to
    every query in every language's configuration by ``library_query`` (PostgreSQL's ``ts_rewrite``), so
    neither the index nor the stored vectors change when the list does."""

    word = models.CharField(_("word"), max_length=60, unique=True)
    forms = ArrayField(models.CharField(max_length=60), verbose_name=_("also find"))

    class Meta:
        verbose_name = _("related search term")
        verbose_name_plural = _("related search terms")
        ordering = ["word"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(word__regex=r"^[a-z]+$"), name="relatedterm_one_lower_case_word"
            )
        ]

    def __str__(self) -> str:
        return f"{self.word} → {', '.join(self.forms)}"


# Sharing and the many-to-many metadata are writes like any other: audited too.
track_links(
    Resource,
    grants=(ResourceUserGrant, ResourceGroupGrant),
    links={
        "audience_organizations": "ResourceAudienceOrganizationEvent",
        "author_organizations": "ResourceAuthorOrganizationEvent",
        "pillars": "ResourcePillarEvent",
    },
)
