"""The technical admin: every registered model's list opens for a superuser; audit records stay read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.audit import record
from core.models import SecurityEventKind


@pytest.fixture
def superuser_client(client, compact, make_user):
    client.force_login(make_user("root@example.org", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_list_opens(superuser_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert superuser_client.get(url).status_code == 200


def test_the_security_log_cannot_be_changed_from_the_admin(superuser_client):
    event = record(SecurityEventKind.SIGN_IN, login="someone@example.org")
    change = reverse("admin:core_securityevent_change", args=[event.pk])
    delete = reverse("admin:core_securityevent_delete", args=[event.pk])
    assert superuser_client.get(change).status_code == 200  # readable
    assert "Save" not in superuser_client.get(change).content.decode()
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
