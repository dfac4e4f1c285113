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


def test_the_admin_is_for_superusers_only(client, compact, make_user, secretariat):
    # given staff without superuser status, and the Secretariat (neither staff nor superuser)
    staff = make_user("staff@example.org", is_staff=True)
    for person in (staff, secretariat):
        client.force_login(person)
        # then the admin sends them to its sign-in page, as it does anyone else
        for url in (
            "/admin/",
            reverse("admin:directory_user_changelist"),
            reverse("admin:directory_user_change", args=[person.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 302, (person, url)
            assert response["Location"].startswith("/admin/login/")


def test_no_web_page_makes_anyone_staff_or_superuser(superuser_client, secretariat):
    # when a superuser posts the user form with both flags ticked
    url = reverse("admin:directory_user_change", args=[secretariat.pk])
    page = superuser_client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    data = {
        "email": secretariat.email, "full_name": "Amina Renamed", "is_active": "on",
        "is_staff": "on", "is_superuser": "on",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # then neither flag changed: they come from the command line only
    secretariat.refresh_from_db()
    assert secretariat.full_name == "Amina Renamed"  # the form was saved
    assert not secretariat.is_staff
    assert not secretariat.is_superuser
