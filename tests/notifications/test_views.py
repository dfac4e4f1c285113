"""The notifications pages: the list, opening one, marking all read, and the email settings."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.access import viewer
from notifications import services
from notifications.models import Frequency, Notification, Preference
from tests.conftest import signed_in, wg
from tests.pages import field_error, labels, parse, words


def notify(user, subject="Something happened", url="/somewhere/", **fields):
    (created,) = services.notify(recipients=[user], subject=subject, body="Text.", url=url, **fields)
    return created


def listed(response) -> list[tuple[str, bool]]:
    """(subject, marked unread in words) of each notification listed in the main region, in order."""
    found = []
    for item in parse(response).first("main").all("li"):
        subjects = [
            link.text() for link in item.all("a") if re.fullmatch(r"/notifications/\d+/", link.attrs["href"])
        ]
        if subjects:
            found.append((subjects[0], item.text().startswith("Unread ")))
    return found


# --- The list ---------------------------------------------------------------------------------------------


def test_the_list_shows_my_notifications_newest_first_with_the_unread_marked(alice, bob):
    # given alice has an older, read notification and a newer unread one; bob has one
    old = notify(alice, subject="Older")
    notify(alice, subject="Newer", working_group=wg(2))
    notify(bob, subject="Bob's own")
    services.mark_read(alice, [old.pk])
    # when alice opens her notifications
    response = signed_in(alice).get("/notifications/")
    # then she sees hers only, newest first, the unread one marked in words (not by colour alone)
    assert response.status_code == 200
    assert listed(response) == [("Newer", True), ("Older", False)]
    assert "Bob's own" not in words(response)
    assert str(wg(2)) in words(response)
    assert "1 unread" in words(response)


def test_the_list_is_paginated(alice):
    for number in range(55):
        notify(alice, subject=f"Item {number}")
    first = signed_in(alice).get("/notifications/")
    second = signed_in(alice).get("/notifications/?page=2")
    assert len(listed(first)) == 50
    assert listed(first)[0][0] == "Item 54"
    assert len(listed(second)) == 5
    assert "Page 2 of 2" in words(second)


def test_the_list_takes_a_constant_number_of_queries(alice):
    # given alice has a few notifications in several Working Groups
    client = signed_in(alice)
    for number in (1, 2, 3):
        notify(alice, working_group=wg(number))
    client.get("/notifications/")  # the session's first request
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    # when she has many more, in every Working Group
    for number in range(40):
        notify(alice, working_group=wg(1 + number % 8))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/notifications/")
    # then the page takes the same number of queries
    assert len(listed(response)) == 43
    assert len(many.captured_queries) == len(few.captured_queries)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Opening one --------------------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_follows_its_link(alice):
    notification = notify(alice, url="/discussions/7/#reply-3")
    response = signed_in(alice).get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/discussions/7/#reply-3"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_a_404(alice, bob):
    # given bob's notification
    his = notify(bob)
    # when alice opens it, then it does not exist for her, and it stays unread
    assert signed_in(alice).get(f"/notifications/{his.pk}/").status_code == 404
    assert signed_in(alice).get("/notifications/999999999/").status_code == 404
    his.refresh_from_db()
    assert his.read_at is None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/phish", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "http:/x"],
)
def test_opening_never_redirects_off_site(alice, url):
    # given a notification whose link points elsewhere (written around notify(), which refuses such links)
    notification = Notification.objects.create(recipient=alice, subject="Odd", url=url)
    # when alice opens it, then she lands on her notifications, not elsewhere
    response = signed_in(alice).get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"


def test_mark_all_as_read(alice, bob):
    # given alice has two unread notifications and bob one
    notify(alice)
    notify(alice)
    his = notify(bob)
    client = signed_in(alice)
    # when she marks all as read
    response = client.post("/notifications/read/", follow=True)
    # then hers are read, bob's not, and she is told
    assert "2 notifications marked as read." in words(response)
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=his.pk).read_at is None
    assert listed(response) == [("Something happened", False), ("Something happened", False)]
    # and a GET changes nothing
    assert client.get("/notifications/read/").status_code == 405


# --- Email settings ---------------------------------------------------------------------------------------


def frequency_fields(response) -> dict[str, str]:
    """{field name: selected value} of the page's selects."""
    page = response.content.decode()
    fields = {}
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        fields[name] = selected.group(1) if selected else ""
    return fields


def test_the_settings_offer_my_working_groups_and_outside(bob):
    # given bob's organisation takes part in some Working Groups (CTED chairs WG 2)
    groups = sorted(viewer(bob).working_group_ids)
    assert wg(2).pk in groups
    Preference.objects.create(user=bob, working_group=wg(2), frequency=Frequency.WEEKLY)
    # when he opens his email settings
    response = signed_in(bob).get("/notifications/preferences/")
    # then there is one choice per group he takes part in, and one for outside them, with his choices
    fields = frequency_fields(response)
    assert set(fields) == {"outside", *(f"wg_{pk}" for pk in groups)}
    assert fields[f"wg_{wg(2).pk}"] == "weekly"
    assert fields["outside"] == "immediate"
    assert "Outside the Working Groups" in labels(response)


def test_saving_the_settings_in_one_post(bob):
    groups = sorted(viewer(bob).working_group_ids)
    data = {"outside": "daily", **{f"wg_{pk}": "none" for pk in groups}, f"wg_{wg(2).pk}": "weekly"}
    response = signed_in(bob).post("/notifications/preferences/", data, follow=True)
    assert "Your notification settings are saved." in words(response)
    assert services.frequency_for(bob, None) == Frequency.DAILY
    assert services.frequency_for(bob, wg(2)) == Frequency.WEEKLY
    assert Preference.objects.filter(user=bob).count() == len(groups) + 1
    # and saving again updates the same rows
    signed_in(bob).post("/notifications/preferences/", {**data, "outside": "immediate"})
    assert services.frequency_for(bob, None) == Frequency.IMMEDIATE
    assert Preference.objects.filter(user=bob).count() == len(groups) + 1


def test_bad_settings_are_refused_with_a_message(bob):
    response = signed_in(bob).post(
        "/notifications/preferences/", {"outside": "hourly", f"wg_{wg(2).pk}": "daily"}
    )
    assert response.status_code == 200
    # the error is tied to its field, for screen readers
    assert (
        field_error(response, "outside")
        == "Select a valid choice. hourly is not one of the available choices."
    )
    assert not Preference.objects.filter(user=bob).exists()


def test_a_working_group_one_is_not_in_cannot_be_set(make_user, compact):
    # given a person without an organisation (no Working Group)
    outsider = make_user("outsider@example.org")
    # when they post a choice for Working Group 2 too
    response = signed_in(outsider).post(
        "/notifications/preferences/", {"outside": "weekly", f"wg_{wg(2).pk}": "none"}, follow=True
    )
    # then only "outside" is saved
    assert response.status_code == 200
    assert list(Preference.objects.filter(user=outsider).values_list("working_group", "frequency")) == [
        (None, "weekly")
    ]


def test_the_service_refuses_a_working_group_one_is_not_in(make_user, compact):
    from django.core.exceptions import ValidationError

    outsider = make_user("outsider@example.org")
    with pytest.raises(ValidationError):
        services.save_preferences(user=outsider, choices={wg(2).pk: Frequency.NONE})


# --- The bell -----------------------------------------------------------------------------------------------


def test_the_bell_shows_the_count_it_is_given_without_a_query(alice):
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        none = render_to_string("notifications/includes/bell.html", {"notifications_unread": 0}, request)
        some = render_to_string("notifications/includes/bell.html", {"notifications_unread": 3}, request)
        lots = render_to_string("notifications/includes/bell.html", {"notifications_unread": 250}, request)
    assert len(queries) == 0
    assert 'href="/notifications/"' in none
    assert words(none) == "Notifications"
    assert words(some) == "Notifications 3 unread"
    assert "99+" in lots


def test_the_context_processor_counts_only_when_read(alice, rf):
    from notifications.context_processors import unread

    notify(alice)
    request = rf.get("/")
    request.user = alice
    with CaptureQueriesContext(connection) as queries:
        context = unread(request)
    assert len(queries) == 0
    assert str(context["notifications_unread"]) == "1"


def test_timestamps_are_shown(alice):
    notification = notify(alice)
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(days=3))
    response = signed_in(alice).get("/notifications/")
    assert "3 days ago" in words(response)
