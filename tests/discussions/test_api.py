"""The discussions API (discussions/api.py): a token reads the threads and replies its person reads — in
lists, details, posts and filters — and what it writes (threads, edits, replies) goes through the
discussions' form and services: the same audience, mentions, notifications and moderation as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.access import Visibility
from discussions.models import Reply, Thread
from library.models import Resource
from notifications.models import Notification
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import organization, wg
from tests.discussions.conftest import reply, thread

LIST = reverse("api:discussions-thread-list")


def detail(item) -> str:
    return reverse("api:discussions-thread-detail", args=[item.pk])


def posts(item) -> str:
    return reverse("api:discussions-thread-posts", args=[item.pk])


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


@pytest.fixture
def members_only(chair, member):
    item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS, title="Members-only border data")
    reply(item, member, "UNDP's confidential figures.")
    return item


@pytest.fixture
def for_everyone(unodc_person):
    return thread(unodc_person, "entity:UNODC", Visibility.PLATFORM, title="For everyone")


# --- Reading ------------------------------------------------------------------------------------------------


def test_a_token_reads_the_threads_and_replies_its_person_reads_and_nothing_else(
    members_only, for_everyone, member, observer, outsider
):
    # given tokens of a member of WG 2 and of people outside its members (an observer, an outsider)
    reader = bearer(member, "discussions:read")
    # then the member lists, opens and reads the replies of the members-only thread
    assert titles(all_rows(reader, LIST)) == {members_only.title, for_everyone.title}
    body = reader.get(detail(members_only)).json()
    assert body["body"] == "Text."
    assert body["reply_count"] == 1
    assert [row["body"] for row in all_rows(reader, posts(members_only))] == ["UNDP's confidential figures."]
    # while for the others it is not there: absent from the list, its detail and posts the same 404 as a
    # thread that does not exist
    for person in (observer, outsider):
        client = bearer(person, "discussions:read")
        assert titles(all_rows(client, LIST)) == {for_everyone.title}
        missing = client.get(detail(Thread(pk=members_only.pk + 1000)))
        hidden = client.get(detail(members_only))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
        assert client.get(posts(members_only)).status_code == 404


def test_filters_never_reveal_a_thread_the_caller_may_not_read(members_only, member, outsider):
    group = wg(2).pk
    # when the outsider narrows the list to WG 2, where the members-only thread is
    assert all_rows(bearer(outsider, "discussions:read"), LIST, working_group=group) == []
    # while a member finds it there, and not under another group
    client = bearer(member, "discussions:read")
    assert titles(all_rows(client, LIST, working_group=group)) == {members_only.title}
    assert all_rows(client, LIST, working_group=wg(3).pk) == []


@pytest.mark.parametrize("value", ["²", "abc", "99999999999999999999", "-1"])
def test_a_bad_filter_is_a_400_naming_it(member, value):
    response = bearer(member, "discussions:read").get(LIST, {"working_group": value})
    assert response.status_code == 400
    assert "working_group" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        LIST + "?cursor=not-a-cursor",
        LIST + "99999999999999999999999/",
        LIST + "99999999999999999999999/posts/",
        LIST + "²/",
        LIST + "abc/posts/",
    ],
)
def test_bad_addresses_are_404s_not_errors(member, url):
    assert bearer(member, "discussions:read").get(url).status_code == 404


def test_a_bad_cursor_of_the_posts_is_a_404(members_only, member):
    response = bearer(member, "discussions:read").get(posts(members_only), {"cursor": "²"})
    assert response.status_code == 404


def test_a_page_of_threads_costs_the_same_queries_whatever_its_length(chair, member):
    client = bearer(member, "discussions:read")
    first = thread(chair, "entity:CTED", title="First")
    reply(first, member)
    few = queries_of(client, LIST)
    for number in range(6):
        more = thread(chair, "entity:CTED", Visibility.PLATFORM, title=f"More {number}")
        reply(more, chair)
    assert queries_of(client, LIST) == few


def test_a_page_of_replies_costs_the_same_queries_whatever_its_length(members_only, chair, member):
    client = bearer(member, "discussions:read")
    few = queries_of(client, posts(members_only))
    resource = Resource.objects.create(
        title="Annex",
        resource_type="report",
        owner=organization("entity:CTED"),
        visibility=Visibility.PLATFORM,
    )
    for number in range(6):
        reply(members_only, chair, f"Reply {number}").attachments.add(resource)
    assert queries_of(client, posts(members_only)) == few
    rows = all_rows(client, posts(members_only))
    assert len(rows) == 7
    assert rows[-1]["attachments"] == [{"id": resource.pk, "title": "Annex", "resource_type": "report"}]


def test_an_attachment_the_reader_may_not_see_is_not_listed(members_only, chair, member):
    private = Resource.objects.create(
        title="CTED internal note", resource_type="report", owner=organization("entity:CTED"),
        visibility=Visibility.OWNER,
    )  # fmt: skip
    members_only.attachments.add(private)
    reply(members_only, chair, "See the note.").attachments.add(private)
    client = bearer(member, "discussions:read")
    assert client.get(detail(members_only)).json()["attachments"] == []
    assert [row["attachments"] for row in all_rows(client, posts(members_only))] == [[], []]
    assert bearer(chair, "discussions:read").get(detail(members_only)).json()["attachments"][0]["title"] == (
        "CTED internal note"
    )


def test_a_hidden_post_keeps_its_text_for_the_moderators_only(members_only, chair, member):
    # given the chair (who runs WG 2's space) hid the thread and its reply
    hidden = {"hidden_at": timezone.now(), "hidden_by": chair}
    Thread.objects.filter(pk=members_only.pk).update(**hidden)
    Reply.objects.filter(thread=members_only).update(**hidden)
    # then a member sees that they are there, never their text
    client = bearer(member, "discussions:read")
    (row,) = all_rows(client, LIST)
    assert row["title"] is None
    assert row["is_hidden"]
    body = client.get(detail(members_only)).json()
    assert body["title"] is None
    assert body["body"] is None
    assert not body["may_reply"]
    (answer,) = all_rows(client, posts(members_only))
    assert answer["body"] is None
    assert answer["is_hidden"]
    # while the chair, a moderator, reads them on the detail (the list withholds every hidden title)
    moderator = bearer(chair, "discussions:read")
    body = moderator.get(detail(members_only)).json()
    assert body["title"] == members_only.title
    assert body["moderator"]
    assert all_rows(moderator, posts(members_only))[0]["body"] == "UNDP's confidential figures."
    assert all_rows(moderator, LIST)[0]["title"] is None


# --- Starting and editing threads ---------------------------------------------------------------------------


def test_starting_a_thread_notifies_the_people_it_mentions(unodc_person, vice_chair):
    client = bearer(unodc_person, "discussions:write")
    # when UNODC's focal point starts a thread for everyone, mentioning the vice-chair
    response = client.post(
        LIST,
        {
            "title": "Border data",
            "body": "Over to @lucas.moreau@unodc.example.org.",
            "visibility": "platform",
        },
        content_type="application/json",
    )
    # then it is stored in UNODC's name (their one organisation, as the page proposes) and they are notified
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"]["acronym"] == "UNODC"
    assert body["may_edit"]
    assert body["posts"].endswith(f"/threads/{body['id']}/posts/")
    assert Thread.objects.get(pk=body["id"]).author == unodc_person
    assert Notification.objects.filter(recipient=vice_chair, kind="mention").count() == 1


def test_a_thread_that_leaves_people_out_is_posted_only_when_told_so(chair, observer, guest):
    client = bearer(chair, "discussions:write")
    data = {
        "title": "Members only", "body": "Text.", "visibility": Visibility.WORKING_GROUP_MEMBERS,
        "working_group": wg(2).pk,
    }  # fmt: skip
    # when the chair starts a members-only thread of WG 2, which has an observer and a guest
    response = client.post(LIST, data, content_type="application/json")
    # then nothing is posted: the answer names who would be left out, as the page does
    assert response.status_code == 400
    assert (
        "Kenya, which takes part as guest: a members-only thread leaves it out."
        in (response.json()["post_anyway"])
    )
    assert not Thread.objects.exists()
    # and with post_anyway it is posted as written
    response = client.post(LIST, {**data, "post_anyway": True}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert Thread.objects.get().visibility == Visibility.WORKING_GROUP_MEMBERS


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"owner": "entity:UNODC"}, "owner"),  # a Member State's focal point writing in UNODC's name
        ({"visibility": "novel"}, "visibility"),
        ({"title": ""}, "title"),
        ({"attachment_links": "/library/99999999/"}, "attachment_links"),
    ],
)
def test_a_refused_choice_is_a_400_naming_it_with_nothing_stored(ken_person, data, field):
    if "owner" in data:
        data = {"owner": organization(data["owner"]).pk}
    body = {"title": "In someone's name", "body": "x", "visibility": "platform", **data}
    response = bearer(ken_person, "discussions:write").post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Thread.objects.exists()


def test_only_the_author_edits_a_thread(members_only, chair, member, observer):
    # a member reads the thread but may not edit it; the observer may not even see it
    change = {"title": "Taken over"}
    assert (
        bearer(member, "discussions:write")
        .patch(detail(members_only), change, "application/json")
        .status_code
        == 403
    )
    assert (
        bearer(observer, "discussions:write")
        .patch(detail(members_only), change, "application/json")
        .status_code
        == 404
    )
    members_only.refresh_from_db()
    assert members_only.title == "Members-only border data"
    # while its author changes the title and keeps what the body does not name
    response = bearer(chair, "discussions:write").patch(detail(members_only), change, "application/json")
    assert response.status_code == 200, response.json()
    members_only.refresh_from_db()
    assert (members_only.title, members_only.body) == ("Taken over", "Text.")
    assert members_only.visibility == Visibility.WORKING_GROUP_MEMBERS


def test_a_thread_is_not_deleted_through_the_api(for_everyone, unodc_person):
    # the pages delete no thread (a moderator hides it): neither does the API
    assert bearer(unodc_person, "discussions:write").delete(detail(for_everyone)).status_code == 405
    assert Thread.objects.filter(pk=for_everyone.pk).exists()


# --- Replies ------------------------------------------------------------------------------------------------


def test_a_reader_replies_and_the_thread_author_is_notified(members_only, chair, vice_chair):
    client = bearer(vice_chair, "discussions:write")
    response = client.post(posts(members_only), {"body": "UNODC agrees."}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["body"] == "UNODC agrees."
    assert Reply.objects.get(pk=response.json()["id"]).author == vice_chair
    assert Notification.objects.filter(recipient=chair, kind="reply").exists()
    assert client.get(detail(members_only)).json()["reply_count"] == 2


def test_who_may_not_reply_is_refused_with_nothing_stored(members_only, member, observer):
    # the observer may not read the thread: 404
    response = bearer(observer, "discussions:write").post(posts(members_only), {"body": "Hello"})
    assert response.status_code == 404
    # a member may not reply to a locked thread: 403, with the page's reason
    Thread.objects.filter(pk=members_only.pk).update(is_locked=True)
    response = bearer(member, "discussions:write").post(posts(members_only), {"body": "Hello"})
    assert response.status_code == 403
    assert "locked" in response.json()["detail"]
    # and an empty reply is a 400 naming the field
    Thread.objects.filter(pk=members_only.pk).update(is_locked=False)
    response = bearer(member, "discussions:write").post(posts(members_only), {"body": ""})
    assert response.status_code == 400
    assert "body" in response.json()
    assert not Reply.objects.filter(body="Hello").exists()
    assert members_only.replies.count() == 1


def test_a_read_token_cannot_write(members_only, chair):
    client = bearer(chair, "discussions:read")
    response = client.patch(detail(members_only), {"title": "Changed"}, content_type="application/json")
    assert response.status_code == 403
    assert "discussions:write" in response.json()["detail"]
    assert client.post(posts(members_only), {"body": "A reply"}).status_code == 403
    assert client.post(LIST, {"title": "New", "body": "x", "visibility": "platform"}).status_code == 403
    assert Thread.objects.count() == 1
    assert members_only.replies.count() == 1
