"""Finding each app's contribution to a project-wide command.

An app takes part in ``seed_demo`` with a ``demo.py`` module and in ``bench`` with a ``bench.py`` module.
They are visited in INSTALLED_APPS order, which follows the layers (core, directory, content apps,
working_groups, dashboard), so a higher app's part can rely on what the lower ones made.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        module_name = f"{config.name}.{name}"
        if find_spec(module_name) is not None:
            yield import_module(module_name)
