"""Projects of the Compact's entities on preventing and countering terrorism: who runs what, where, with
which money; each with the audience its lead entity chooses, like every piece of content."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.audit import track_links
from core.models import StagedUpload
from core.translated import Translatable
from directory.access import AudienceModel
from directory.models import Organization, Pillar, WorkingGroup
from library.models import Resource
from projects.reference import CURRENCIES, IATI_IDENTIFIER, Region


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ThematicArea(Translatable):
    """A theme projects are classified by (reference data: the installation's list, which the Secretariat
    extends in the administration; the first list's names in the other UN languages from the reference
    data)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("offered for new projects"), default=True)

    class Meta:
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        return self.translated("name")


class ProjectStatus(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["search_vector", "facet_keys", "overlap_keys"],
)
class Project(AudienceModel):
    """A project of a Compact entity (its owner organisation is the lead entity), by pillar, theme and
    country, with its budget in its own currency and in US dollars at a recorded rate."""

    #: An owner may show a project on the public pages (its map and list): "greater visibility of UN
    #: counter-terrorism efforts".
    allows_public = True

    title = models.CharField(_("title"), max_length=300)
    code = models.CharField(
        _("code"), max_length=50, blank=True, help_text=_("The lead entity's own reference for it.")
    )
    #: The activity's identifier in the IATI registry: a re-import of the lead's activity file updates by it.
    iati_identifier = models.CharField(
        _("IATI identifier"), max_length=150, blank=True,
        validators=[RegexValidator(IATI_IDENTIFIER, _("An IATI identifier has no spaces, /, &, | or ?."))],
        help_text=_("If the project is published to IATI, e.g. XM-DAC-41114-PROJECT-00012345."),
    )  # fmt: skip
    partners = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("partner entities")
    )
    implementing_partners = models.CharField(
        _("implementing partners"), max_length=500, blank=True,
        help_text=_("Organisations outside the platform that carry out the work, separated by commas."),
    )  # fmt: skip
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="+", verbose_name=_("strategy pillars"))
    working_groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="+", verbose_name=_("Working Groups concerned")
    )
    themes = models.ManyToManyField(ThematicArea, blank=True, related_name="+", verbose_name=_("themes"))
    countries = ArrayField(
        models.CharField(max_length=3), blank=True, default=list, verbose_name=_("beneficiary countries")
    )
    regions = ArrayField(
        models.CharField(max_length=3, choices=Region.choices),
        blank=True,
        default=list,
        verbose_name=_("beneficiary regions"),
    )
    is_global = models.BooleanField(_("global"), default=False, help_text=_("For every country."))
    sdg_targets = ArrayField(
        models.CharField(max_length=5), blank=True, default=list, verbose_name=_("SDG targets")
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    usd_rate = models.DecimalField(
        _("US dollars for one unit of the currency"), max_digits=18, decimal_places=8, null=True, blank=True
    )
    rate_date = models.DateField(_("date of the rate"), null=True, blank=True)
    #: The budget in US dollars at the recorded rate (projects.services keeps it).
    budget_usd = models.DecimalField(
        _("budget in US dollars"), max_digits=16, decimal_places=2, null=True, blank=True, editable=False
    )
    donors = models.ManyToManyField(Organization, blank=True, related_name="+", verbose_name=_("donors"))
    description = models.TextField(_("description"), max_length=20_000, blank=True)
    expected_results = models.TextField(_("expected results"), max_length=10_000, blank=True)
    focal_point = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("focal point"),
    )  # fmt: skip
    resources = models.ManyToManyField(
        Resource, blank=True, related_name="+", verbose_name=_("related library resources")
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)
    #: Every filter value as "<facet>:<value>" (projects.indexing), for containment filters and counts.
    facet_keys = ArrayField(models.CharField(max_length=80), default=list, editable=False)
    #: "<theme id>:<ISO3 or * for global>" for each theme and place (projects.indexing); none if cancelled.
    overlap_keys = ArrayField(models.CharField(max_length=20), default=list, editable=False)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["visibility", "-start"], name="project_visibility_idx"),
            models.Index(fields=["owner", "-start"], name="project_owner_idx"),
            models.Index(fields=["working_group", "-start"], name="project_wg_idx"),
            GinIndex(fields=["search_vector"], name="project_search_idx"),
            GinIndex(fields=["facet_keys"], name="project_facets_idx"),
            # Written and probed in one transaction (projects.overlaps, once per changed project): without
            # fastupdate a new row's keys go straight into the index, not into a pending list that every
            # probe would scan (10,000 imported rows: 46 s instead of 0.4 s to find their overlaps).
            GinIndex(fields=["overlap_keys"], name="project_overlap_keys_idx", fastupdate=False),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
            models.CheckConstraint(condition=Q(usd_rate__gt=0), name="project_rate_positive"),
            models.UniqueConstraint(
                fields=["owner", "code"], condition=~Q(code=""), name="project_code_unique_per_lead"
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"], condition=~Q(iati_identifier=""), name="project_iati_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"pk": self.pk})


class ProjectUserGrant(UserObjectPermissionBase):
    """A project shared with one person."""

    content_object = models.ForeignKey(Project, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("project shared with a person")


class ProjectGroupGrant(GroupObjectPermissionBase):
    """A project shared with a group of people."""

    content_object = models.ForeignKey(Project, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("project shared with a group")


class OverlapVerdict(models.TextChoices):
    POSSIBLE = "possible", _("Possible overlap")
    COORDINATED = "coordinated", _("Coordinated")
    NOT_OVERLAP = "not_overlap", _("Not an overlap")


class OverlapQuerySet(models.QuerySet):
    def visible_to(self, user) -> OverlapQuerySet:
        """The pairs whose two projects the user may read: a pair says that the other project exists, so a
        reader who may not see one of them is not told about the pair at all."""
        # EXISTS per pair rather than IN (every readable project): a project page asks about its few pairs,
        # the report about one page of them, and neither should read the whole readable set to answer.
        readable = Project.objects.visible_to(user)
        return self.filter(
            Exists(readable.filter(pk=OuterRef("first_id"))),
            Exists(readable.filter(pk=OuterRef("second_id"))),
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ProjectOverlap(models.Model):
    """Two projects of different lead entities that share a theme and a country (or are both global) and
    run at the same time — found by projects.overlaps whenever a project is written — and what one of the
    two leads said about it: still a possible overlap, coordinated, or not an overlap, with a note. The
    pair is stored once, the lower project id first; it goes when the projects stop overlapping."""

    first = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(
        _("verdict"), max_length=12, choices=OverlapVerdict.choices, default=OverlapVerdict.POSSIBLE
    )
    note = models.TextField(_("note"), max_length=2_000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("marked by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("marked on"), null=True, blank=True)
    found_at = models.DateTimeField(_("found on"), default=timezone.now, editable=False)

    objects = OverlapQuerySet.as_manager()

    class Meta:
        verbose_name = _("project overlap")
        verbose_name_plural = _("project overlaps")
        indexes = [models.Index(fields=["second"], name="overlap_second_idx")]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="overlap_pair_once"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="overlap_lower_id_first"),
        ]

    def __str__(self) -> str:
        return f"{self.first} / {self.second}"

    def get_absolute_url(self) -> str:
        return reverse("projects:overlap", kwargs={"pk": self.pk})


# Sharing is a write like any other: grants and audience organisations are audited too.
track_links(
    Project,
    grants=(ProjectUserGrant, ProjectGroupGrant),
    links={
        "audience_organizations": "ProjectAudienceOrganizationEvent",
        "partners": "ProjectPartnerEvent",
        "pillars": "ProjectPillarEvent",
        "working_groups": "ProjectWorkingGroupEvent",
        "themes": "ProjectThemeEvent",
        "donors": "ProjectDonorEvent",
        "resources": "ProjectResourceEvent",
    },
)


class ImportKind(models.TextChoices):
    SPREADSHEET = "spreadsheet", _("Spreadsheet")
    IATI = "iati", _("IATI activity file")


class ProjectImport(StagedUpload):
    """An uploaded spreadsheet or IATI file of projects, read and checked, waiting for its uploader to save it
    (``core.models.StagedUpload``): with the audience its projects will have and, for an IATI file, the lead
    entity of every activity."""

    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    visibility = models.CharField(_("who may see the projects"), max_length=20)
    #: The lead entity of every activity of an IATI file (a spreadsheet names one per row).
    lead = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("project import")
        verbose_name_plural = _("project imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="project_import_expiry_idx")]
