"""Who may do what with newsletters (docs/newsletters.md).

The Secretariat compiles, edits, previews and sends them (the brochure's "newsletters compiled by the
Secretariat"); every signed-in person reads the sent issues; a draft is the Secretariat's until it is sent.
Unsubscribing needs no right at all beyond the signed link of one's own e-mail (``newsletters.emails``).
"""

from __future__ import annotations

from directory.audit_trail import administrative
from directory.rules import can_administer_platform
from newsletters.models import Delivery, Newsletter


def can_manage_newsletters(user) -> bool:
    """Open a period, edit and preview a draft, send it, see who received it: the Secretariat."""
    return can_administer_platform(user)


def can_read_newsletter(user, newsletter: Newsletter) -> bool:
    """A sent (or sending) issue: every signed-in person; a draft: the Secretariat only."""
    if not (user.is_authenticated and user.is_active):
        return False
    return not newsletter.is_draft or can_manage_newsletters(user)


# Issues and their deliveries are the Secretariat's records (it reads every draft anyway): its audit trail
# shows them in full. People's subscription choices stay masked, like any record nobody declared.
administrative(Newsletter)
administrative(Delivery)
