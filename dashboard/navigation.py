"""The main navigation: the platform's modules in three menus (Network, Knowledge, Coordination), the
Secretariat's menu, and the current place marked — one list, so a new module is one line here and the
menu bar keeps to one line at 1200 px whatever the number of modules.

A context processor (``navigation``) hands the template the menus with the current section and page
already decided; it reads no database (the viewer's roles come from the request's cached audience context).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from directory.access import viewer
from directory.models import Organization


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    #: Where the item is "the current page": URL namespaces (every page of an app) or view names.
    current: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    label: str
    items: tuple[Item, ...]


SECTIONS = (
    Section(
        _("Network"),
        (
            Item(
                _("People"),
                "directory:people",
                ("directory:people", "directory:person", "directory:edit_profile"),
            ),
            Item(
                _("Organisations"),
                "directory:organization_list",
                ("directory:organization_list", "directory:organization_page", "directory:organization_edit"),
            ),
            Item(_("Working Groups"), "working_groups:list", ("working_groups", "planning")),
        ),
    ),
    Section(
        _("Knowledge"),
        (
            Item(_("Library"), "library:overview", ("library",)),
            Item(_("Notices"), "notices:list", ("notices",)),
            Item(
                _("Newsletters"),
                "newsletters:archive",
                ("newsletters:archive", "newsletters:issue", "newsletters:subscription"),
            ),
        ),
    ),
    Section(
        _("Coordination"),
        (
            Item(_("Calendar"), "calendar_app:month", ("calendar_app",)),
            Item(_("Discussions"), "discussions:list", ("discussions",)),
            Item(_("Projects"), "projects:list", ("projects",)),
            Item(_("Multi-Year Appeal"), "appeal:cycles", ("appeal",)),
            Item(_("CTED assessments"), "cted:assessments", ("cted:assessments", "cted:assessment")),
            Item(_("CTED recommendations"), "cted:recommendations", ("cted:recommendations", "cted:offer")),
            Item(_("Requests for support"), "support:list", ("support",)),
        ),
    ),
)

#: The Secretariat's administration, in the order of its daily work; ``None`` separates groups.
SECRETARIAT = (
    Item(
        _("Access requests"),
        "directory:access_requests",
        ("directory:access_requests", "directory:access_request"),
    ),
    Item(_("Invite someone"), "directory:invite", ("directory:invite",)),
    Item(_("Invitations"), "directory:invitations", ("directory:invitations",)),
    Item(
        _("Manage organisations"),
        "directory:organizations",
        ("directory:organizations", "directory:organization"),
    ),
    Item(_("Manage accounts"), "directory:users", ("directory:users", "directory:user")),
    Item(_("Working Group participation"), "directory:working_groups", ("directory:working_groups",)),
    Item(_("Member State coverage"), "directory:coverage", ("directory:coverage",)),
    Item(_("Statistics"), "dashboard:statistics", ("dashboard:statistics",)),
    None,
    Item(_("Calendar clashes"), "calendar_app:clashes", ("calendar_app:clashes",)),
    Item(_("Project overlaps"), "projects:overlaps", ("projects:overlaps",)),
    Item(_("Workplans timeline"), "planning:timeline", ("planning:timeline",)),
    Item(
        _("Progress reports"),
        "planning:periods",
        ("planning:periods", "planning:period", "planning:period_new"),
    ),
    Item(
        _("Newsletters"),
        "newsletters:manage",
        ("newsletters:manage", "newsletters:new", "newsletters:edit", "newsletters:preview"),
    ),
    None,
    Item(_("Audit: changes"), "directory:audit_changes", ("directory:audit_changes",)),
    Item(_("Audit: security events"), "directory:audit_security", ("directory:audit_security",)),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Menu:
    label: str
    links: tuple[Link | None, ...]

    @property
    def current(self) -> bool:
        return any(link is not None and link.current for link in self.links)


def _is_current(item: Item, match) -> bool:
    if match is None:
        return False
    return match.view_name in item.current or match.namespace in item.current


def _links(items, match) -> tuple[Link | None, ...]:
    return tuple(
        None if item is None else Link(str(item.label), reverse(item.url_name), _is_current(item, match))
        for item in items
    )


def menus(request) -> dict:
    """The menus for this request: the modules for everyone signed in, the Secretariat's for it."""
    match = request.resolver_match
    who = viewer(request.user)
    result = {"sections": [Menu(str(section.label), _links(section.items, match)) for section in SECTIONS]}
    if who is not None and who.is_secretariat:
        result["secretariat"] = Menu(str(_("Secretariat")), _links(SECRETARIAT, match))
    if who is not None and who.administered_organization_ids:
        # An organisation admin's pages go in their own menu (one query, for organisation admins only).
        organizations = Organization.objects.filter(pk__in=who.administered_organization_ids).order_by("name")
        result["administered"] = [
            Link(
                str(_("People of %(organization)s") % {"organization": organization.display_name}),
                reverse("directory:members", args=[organization.pk]),
                match is not None
                and match.view_name == "directory:members"
                and match.kwargs.get("pk") == organization.pk,
            )
            for organization in organizations.only("pk", "acronym", "name")
        ]
    return result


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menus": SimpleLazyObject(lambda: menus(request))}
