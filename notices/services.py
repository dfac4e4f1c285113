"""Writing notices: checked against the policy, and never leaving a notice its author cannot see."""

from django.db import transaction

from directory.mixins import ensure_still_visible
from directory.policy import check_save
from notices.models import Notice


@transaction.atomic
def save_notice(*, form, by) -> Notice:
    """Create (form.instance unsaved) or update a notice from a valid NoticeForm."""
    notice = form.instance
    check_save(notice, by=by)
    if notice.pk is None:
        notice.author = by
    notice = form.save()
    ensure_still_visible(notice, by)
    return notice
