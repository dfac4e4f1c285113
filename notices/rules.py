"""Who may do what with notices — the worked example of an app's rules module (docs/access-control.md).

Reading is the audience rule (``Notice.objects.visible_to``) and nothing else. A notice follows the generic
content rules: its owner organisation's people edit, share and delete it; a person holding a "change"
grant edits its text, never its audience. An app whose model differs states it here and registers it
(see planning.rules); notices register the generic rules by name, so every view, service and template
asks ``notices.rules``.
"""

from __future__ import annotations

from directory.rules import can_change_content, can_share_content, register_content_rules
from notices.models import Notice


def can_change_notice(user, notice: Notice) -> bool:
    return can_change_content(user, notice)


def can_share_notice(user, notice: Notice) -> bool:
    return can_share_content(user, notice)


register_content_rules(Notice, change=can_change_notice, share=can_share_notice)
