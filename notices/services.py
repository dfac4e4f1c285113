"""Writing notices: checked against the policy, and never leaving a notice its author cannot see."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from directory.access import viewer
from directory.mixins import ensure_still_visible
from directory.policy import can
from notices.models import Notice


@transaction.atomic
def save_notice(*, form, by) -> Notice:
    """Create (form.instance unsaved) or update a notice from a valid NoticeForm."""
    notice = form.instance
    who = viewer(by)
    if notice.pk is None:
        if who is None or form.cleaned_data["owner"].pk not in who.organization_ids:
            raise PermissionDenied
        notice.author = by
    else:
        before = Notice.objects.get(pk=notice.pk)
        if not can(by, "change", before):
            raise PermissionDenied
        if notice.owner_id != before.owner_id and (
            who is None or before.owner_id not in who.organization_ids
        ):
            # Only the owner organisation's people may hand content to another organisation.
            raise PermissionDenied
    notice = form.save()
    ensure_still_visible(notice, by)
    return notice
