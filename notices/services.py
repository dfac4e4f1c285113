"""Writing notices: through the one save path of content (``directory.policy.content_write``), which checks
the rules before the save and the audience after it, in one transaction."""

from directory.policy import content_write
from notices.models import Notice


def save_notice(*, form, by) -> Notice:
    """Create (form.instance unsaved) or update a notice from a valid NoticeForm."""
    notice = form.instance
    with content_write(notice, by=by):
        if notice.pk is None:
            notice.author = by
        return form.save()
