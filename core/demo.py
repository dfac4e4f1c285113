"""Shared state of one ``seed_demo`` run, handed to each app's ``demo.seed`` (the command lives in
compact_platform; the type here, in the lowest layer, so that apps never import the project package)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_EMAIL_DOMAIN = "demo.compact.example"  # a reserved example domain: demo mail can never reach anyone


@dataclass
class DemoRun:
    password: str
    write: callable
    #: The demo accounts by role, filled by directory.demo and used by the apps seeded after it.
    users: dict = field(default_factory=dict)
    #: Lines printed at the end: who to sign in as.
    logins: list[tuple[str, str]] = field(default_factory=list)
