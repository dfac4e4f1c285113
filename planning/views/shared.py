"""What the planning pages share: the group of the URL, a refusal's messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from directory.models import WorkingGroup


def working_group_of(pk) -> WorkingGroup:
    return get_object_or_404(WorkingGroup, pk=pk, is_active=True)


def messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]
