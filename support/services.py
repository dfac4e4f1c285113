"""Writing requests for support: every write keyword-only, checked by ``support.rules`` (``PermissionDenied``)
and by the workflow below (``ValidationError`` with a message a person can act on), in one transaction,
audited by the models' triggers (pghistory). Notifications go through ``notifications.notify``, to the other
side's focal points and alternates who may read the request; their emails leave once the write commits."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.i18n import in_each_readers_language
from directory.access import Visibility
from directory.models import Organization, OrganizationKind
from directory.policy import content_write
from notifications.services import notify
from support import rules, selectors
from support.models import Offer, OfferState, ProjectLink, RequestStatus, StatusChange, SupportRequest

#: The changes a person makes through the status form (an offer moves open → offers, an acceptance
#: offers → agreed, both by themselves). Closing always says why.
MANUAL_TRANSITIONS = {
    RequestStatus.OPEN: {RequestStatus.CLOSED},
    RequestStatus.OFFERS: {RequestStatus.CLOSED},
    RequestStatus.AGREED: {RequestStatus.DELIVERED, RequestStatus.CLOSED},
    RequestStatus.DELIVERED: set(),
    RequestStatus.CLOSED: set(),
}


def _record(request: SupportRequest, to: str, *, by, reason: str = "") -> None:
    """Move the request to ``to`` and write the dated history row (the caller holds the row lock)."""
    StatusChange.objects.create(
        request=request, from_status=request.status, to_status=to, changed_by=by, reason=reason
    )
    request.status = to
    request.save(update_fields=["status", "updated_at"])


def _widen_to_addressees(request: SupportRequest) -> None:
    """Addressees must be able to read the request: the addressed entities and the addressed Working Group's
    member organisations the chosen visibility does not already reach become audience organisations."""
    ids = selectors.addressee_organization_ids(request)
    if request.visibility == Visibility.PLATFORM or not ids:
        return
    reached = Organization.objects.filter(pk__in=ids).exclude(pk=request.owner_id)
    if request.visibility == Visibility.COMPACT:
        reached = reached.exclude(kind=OrganizationKind.COMPACT_ENTITY)
    request.audience_organizations.add(*reached)


def ask(*, form, by) -> SupportRequest:
    """A Member State's or regional organisation's focal point asks for support (a valid ``RequestForm``):
    saved with its audience widened to its addressees, and its first history row."""
    request = form.instance
    if request.owner_id not in rules.asking_organization_ids(by):
        raise PermissionDenied
    with content_write(request, by=by):
        request.author = by
        request = form.save()
        _widen_to_addressees(request)
        StatusChange.objects.create(
            request=request, from_status="", to_status=RequestStatus.OPEN, changed_by=by
        )
    return request


def _lock(request: SupportRequest, by) -> SupportRequest:
    """The request, re-read through ``visible_to`` under a row lock: a request the user may no longer see is
    refused like a missing one."""
    locked = (
        SupportRequest.objects.visible_to(by).select_for_update(of=("self",)).filter(pk=request.pk).first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


@transaction.atomic
def offer_support(request: SupportRequest, *, organization: Organization, text: str, by) -> Offer:
    """An organisation offers help: the first offer moves the request to "offers received"; the asker's focal
    points and alternates who may read it are notified."""
    request = _lock(request, by)
    if not rules.can_offer(by, request):
        raise PermissionDenied
    if not rules.is_taking_offers(request):
        raise ValidationError(_("The request is “%(status)s”: it takes no more offers.") % {
            "status": request.get_status_display()})  # fmt: skip
    if organization.pk not in rules.offering_organization_ids(by, request):
        raise ValidationError({"organization": _("Offer on behalf of your own organisation.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what your organisation offers.")})
    if request.offers.filter(organization=organization, state=OfferState.OPEN).exists():
        raise ValidationError(
            _("%(organization)s has an open offer on this request already.") % {"organization": organization}
        )
    try:
        with transaction.atomic():
            offer = Offer.objects.create(request=request, organization=organization, text=text, offered_by=by)
    except IntegrityError as error:  # a second click at the same moment: the constraint decided
        raise ValidationError(
            _("%(organization)s has an open offer on this request already.") % {"organization": organization}
        ) from error
    if request.status == RequestStatus.OPEN:
        _record(request, RequestStatus.OFFERS, by=by, reason=_("First offer, from %(organization)s") % {
            "organization": organization.display_name})  # fmt: skip
    notify(
        recipients=selectors.focal_points_reading(request, [request.owner_id]),
        subject=in_each_readers_language(
            lambda: (
                _("%(organization)s offers support: %(title)s")
                % {"organization": organization.display_name, "title": request.title}
            )
        ),
        body=in_each_readers_language(
            lambda: (
                _("%(text)s\n\n— %(person)s, %(organization)s")
                % {"text": text, "person": by.get_full_name(), "organization": organization.display_name}
            )
        ),
        url=request.get_absolute_url(),
        kind="support_offer",
    )
    return offer


@transaction.atomic
def accept_offer(request: SupportRequest, *, offer: Offer, by) -> Offer:
    """The asker accepts one open offer: the request is agreed, the other offers stay, marked not accepted;
    the offering organisation's focal points and alternates who may read the request are notified."""
    request = _lock(request, by)
    if not rules.can_accept_offer(by, request):
        raise PermissionDenied
    if not rules.is_taking_offers(request):
        raise ValidationError(_("The request is “%(status)s”: no offer can be accepted any more.") % {
            "status": request.get_status_display()})  # fmt: skip
    offer = request.offers.select_for_update().filter(pk=offer.pk, state=OfferState.OPEN).first()
    if offer is None:
        raise ValidationError(_("That offer is not open any more."))
    offer.state = OfferState.ACCEPTED
    offer.save(update_fields=["state"])
    request.offers.filter(state=OfferState.OPEN).update(state=OfferState.NOT_ACCEPTED)
    _record(request, RequestStatus.AGREED, by=by, reason=_("Offer of %(organization)s accepted") % {
        "organization": offer.organization.display_name})  # fmt: skip
    notify(
        recipients=selectors.focal_points_reading(request, [offer.organization_id]),
        subject=in_each_readers_language(
            lambda: (
                _("%(asker)s accepted your offer: %(title)s")
                % {"asker": request.owner.display_name, "title": request.title}
            )
        ),
        body=in_each_readers_language(
            lambda: (
                _("%(asker)s accepted the offer of %(organization)s.\n\n— %(person)s")
                % {
                    "asker": request.owner.display_name,
                    "organization": offer.organization.display_name,
                    "person": by.get_full_name(),
                }
            )
        ),
        url=request.get_absolute_url(),
        kind="support_accepted",
    )
    return offer


@transaction.atomic
def change_status(request: SupportRequest, *, to: str, reason: str = "", by) -> SupportRequest:
    """The asker marks an agreed request delivered, or closes one (saying why); any other change is refused
    with the ones allowed from where it stands."""
    request = _lock(request, by)
    if not rules.can_change_status(by, request):
        raise PermissionDenied
    allowed = MANUAL_TRANSITIONS.get(request.status, set())
    if to not in allowed:
        names = ", ".join(str(RequestStatus(value).label) for value in sorted(allowed)) or _("none")
        raise ValidationError(
            _("A request that is “%(status)s” cannot become “%(to)s”. Possible: %(allowed)s.")
            % {
                "status": request.get_status_display(),
                "to": RequestStatus(to).label if to in RequestStatus.values else to,
                "allowed": names,
            }
        )
    reason = (reason or "").strip()
    if to == RequestStatus.CLOSED and not reason:
        raise ValidationError({"reason": _("Say why the request is closed.")})
    _record(request, to, by=by, reason=reason)
    return request


@transaction.atomic
def link_projects(request: SupportRequest, *, projects, by) -> SupportRequest:
    """Set the projects that answer the request among those ``by`` may see: links to projects they may not see
    are kept as they are (never shown to them, never removed by them)."""
    request = _lock(request, by)
    accepted = (
        request.offers.filter(state=OfferState.ACCEPTED).values_list("organization_id", flat=True).first()
    )
    if not rules.can_link_projects(by, request, accepted):
        raise PermissionDenied
    visible = selectors.linkable_projects(by)
    wanted = {project.pk for project in projects}
    if visible.filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"projects": _("Choose projects you may see.")})
    current = set(
        request.project_links.filter(project__in=visible.values("pk")).values_list("project_id", flat=True)
    )
    request.project_links.filter(project_id__in=current - wanted).delete()
    ProjectLink.objects.bulk_create(
        [ProjectLink(request=request, project_id=pk, linked_by=by) for pk in sorted(wanted - current)]
    )
    return request
