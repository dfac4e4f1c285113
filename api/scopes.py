"""What a personal access token may do: read, or read and write, module by module.

A scope is ``"<module>:read"`` or ``"<module>:write"`` (writing includes reading). Every API view names its
``module``; the token must hold that module's scope for the method (api.permissions). A request signed in
by the browser's session is the person themself and needs no scope: the person's own rights, the same as
on the pages, still decide everything (the scope only ever narrows what a token may do, never widens it).
"""

from django.utils.translation import gettext_lazy as _

#: The modules of the API, in the order the token form lists them.
MODULES = {
    "directory": _("Directory: organisations, people, Working Groups"),
    "library": _("Library"),
    "calendar": _("Calendar"),
    "discussions": _("Discussions"),
    "notices": _("Notices"),
    "planning": _("Joint planning"),
    "projects": _("Projects"),
    "appeal": _("Multi-Year Appeal"),
    "cted": _("CTED assessments and recommendations"),
    "support": _("Technical assistance"),
    "countries": _("Member State pages"),
}

#: The modules with write endpoints (the others are read only, whatever a token holds).
WRITABLE = frozenset({"library", "calendar", "discussions", "projects"})

READ, WRITE = "read", "write"


def scope(module: str, level: str) -> str:
    return f"{module}:{level}"


def allows(scopes, module: str, *, write: bool) -> bool:
    """Whether a token holding ``scopes`` may read (or write) the module."""
    if scope(module, WRITE) in scopes:
        return True
    return not write and scope(module, READ) in scopes


ALL_SCOPES = frozenset(
    scope(module, level) for module in MODULES for level in ((READ, WRITE) if module in WRITABLE else (READ,))
)


def describe(scopes) -> list[str]:
    """Each module a token may use, named, with what it may do there, in the modules' order."""
    described = []
    for module, label in MODULES.items():
        if scope(module, WRITE) in scopes:
            described.append(_("%(module)s: read and write") % {"module": label})
        elif scope(module, READ) in scopes:
            described.append(_("%(module)s: read") % {"module": label})
    return described
