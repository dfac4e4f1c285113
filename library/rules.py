"""Who may do what in the library. Reading is the audience rule (``Resource.objects.visible_to``): pages,
search, snippets and downloads alike.

- A resource outside the trash is changed (metadata, documents, versions) by its owner organisation's
  people and anyone with a "change" grant; shared and moved to the trash by its owner organisation.
- The trash is managed by the owner organisation (restore) and its organisation admins (purge, which
  cannot be undone), and by the Secretariat, which restores and purges any organisation's trash without
  reading what it may not see (the trash page shows it only the titles it could read).
"""

from __future__ import annotations

from directory.access import viewer
from directory.rules import can_change_content, can_delete_content, can_share_content, register_content_rules
from library.models import Resource


def can_change_resource(user, resource: Resource) -> bool:
    return not resource.in_trash and can_change_content(user, resource)


def can_share_resource(user, resource: Resource) -> bool:
    return not resource.in_trash and can_share_content(user, resource)


def can_trash_resource(user, resource: Resource) -> bool:
    return not resource.in_trash and can_delete_content(user, resource)


def can_restore_resource(user, resource: Resource) -> bool:
    who = viewer(user)
    return (
        resource.in_trash
        and who is not None
        and (who.is_secretariat or resource.owner_id in who.organization_ids)
    )


def can_purge_resource(user, resource: Resource) -> bool:
    who = viewer(user)
    return (
        resource.in_trash
        and who is not None
        and (who.is_secretariat or resource.owner_id in who.administered_organization_ids)
    )


register_content_rules(
    Resource, change=can_change_resource, share=can_share_resource, delete=can_trash_resource
)
