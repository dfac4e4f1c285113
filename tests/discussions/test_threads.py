"""Discussions: who reads which thread, mentions and notifications, attachments, history, moderation and bad
input — through the pages, as each person would."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.access import Visibility
from directory.models import Membership, User
from discussions import selectors
from discussions.models import Reply, Thread
from library.models import Resource
from notifications.models import Notification
from tests.conftest import organization, signed_in
from tests.discussions.conftest import new_thread_data, reply, thread
from tests.pages import addresses, field_error, links, messages, selected, words


def mentions(response) -> list[str]:
    """The mentions in the page: the links that read "@" and a name."""
    return [text for text, _href in links(response) if text.startswith("@")]


# --- Who reads what -----------------------------------------------------------------------------------------


def test_a_members_only_thread_reaches_members_never_observers_or_guests(
    chair, member, observer, guest, outsider
):
    # given a members-only thread of WG 2
    item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS, title="Members only")
    url = f"/discussions/{item.pk}/"
    # then members read it; an observer, a guest and an outsider get the page of a missing thread
    assert signed_in(member).get(url).status_code == 200
    for person in (observer, guest, outsider):
        assert signed_in(person).get(url).status_code == 404
        assert "Members only" not in words(signed_in(person).get("/discussions/"))


def test_a_space_wide_thread_reaches_observers_and_guests(chair, observer, guest, outsider):
    item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP, title="Everyone in the space")
    for person in (observer, guest):
        assert signed_in(person).get(f"/discussions/{item.pk}/").status_code == 200
        assert "Everyone in the space" in words(signed_in(person).get("/discussions/"))
    assert signed_in(outsider).get(f"/discussions/{item.pk}/").status_code == 404


def test_replies_are_read_through_their_thread(chair, member, observer):
    item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS)
    answer = reply(item, member)
    assert list(selectors.visible_replies(member)) == [answer]
    assert list(selectors.visible_replies(observer)) == []
    # and editing a reply in a thread one cannot see is a 404, not a 403
    assert signed_in(observer).get(f"/discussions/replies/{answer.pk}/edit/").status_code == 404


def test_the_list_filters_by_working_group_latest_activity_first(chair, vice_chair):
    older = thread(chair, "entity:CTED", Visibility.WORKING_GROUP, title="Older thread")
    thread(chair, "entity:CTED", Visibility.WORKING_GROUP, title="Newer thread")
    thread(vice_chair, "entity:UNODC", Visibility.OWNER, title="No group")
    client = signed_in(vice_chair)
    client.post(f"/discussions/{older.pk}/reply/", {"body": "Bumping this one.", "attachment_links": ""})
    page = words(client.get(f"/discussions/?working_group={older.working_group_id}"))
    assert page.index("Older thread") < page.index("Newer thread")
    assert "No group" not in page


def test_recent_for_group_is_one_query_with_reply_counts(chair, member, wg2, django_assert_num_queries):
    for number in range(7):
        item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP, title=f"T{number}")
        for _ in range(number):
            reply(item, member)
    selectors.threads_for(member).count()  # the reader's audience context, read once per request
    with django_assert_num_queries(1):
        recent = selectors.recent_for_group(member, wg2)
    assert [(t.title, t.reply_count) for t in recent] == [(f"T{n}", n) for n in (6, 5, 4, 3, 2)]


# --- Mentions and notifications -----------------------------------------------------------------------------


def test_a_mention_of_a_reader_notifies_them_once(chair, vice_chair):
    # given the chair starts a members-only thread mentioning the vice-chair
    client = signed_in(chair)
    body = "Could @lucas.moreau@unodc.example.org lead this?"
    response = client.post("/discussions/new/", new_thread_data(body=body), follow=True)
    item = Thread.objects.get(title="Border data exchange")
    # then the vice-chair has one mention, the page links to their profile, and the poster is told
    mentions = Notification.objects.filter(recipient=vice_chair, kind="mention")
    assert mentions.count() == 1
    assert f"/people/{vice_chair.pk}/" in addresses(response)
    assert any("Lucas Moreau" in message for message in messages(response))
    # and editing the thread (the mention still there) does not notify them again
    client.post(f"/discussions/{item.pk}/edit/", new_thread_data(body=body + " Thanks."))
    assert mentions.count() == 1
    # nor does the new-thread notification come on top of the mention
    assert not Notification.objects.filter(recipient=vice_chair, kind="thread").exists()


def test_a_mention_of_someone_who_cannot_see_the_thread_notifies_no_one_and_says_why(chair, guest, observer):
    client = signed_in(chair)
    response = client.post(
        "/discussions/new/",
        new_thread_data(
            body="Inviting @gita@ken.example.org and @otto@desa.example.org and @nobody@nowhere.org"
        ),
        follow=True,
    )
    assert response.status_code == 200
    assert not Notification.objects.filter(recipient__in=[guest, observer]).exists()
    said = " ".join(messages(response))
    assert (
        "Gita Guest cannot see this thread (members of WG 2 only): not notified. "
        "Share it with them first if they should."
    ) in said
    assert "Otto Observer cannot see this thread" in said
    assert "nobody@nowhere.org" in said


def test_a_mention_tells_nobody_who_has_an_account(chair, make_user):
    # given a deactivated account and an account in no organisation: neither is in the directory
    make_user("gone@example.org", full_name="Gone Person", is_active=False)
    make_user("loose@example.org", full_name="Loose Person")
    # when the chair mentions them, and an address without an account
    response = signed_in(chair).post(
        "/discussions/new/",
        new_thread_data(body="Asking @gone@example.org, @loose@example.org and @nobody@nowhere.org"),
        follow=True,
    )
    # then all three get the same answer, and the thread shows none of them as a person
    said = messages(response)
    for email in ("gone@example.org", "loose@example.org", "nobody@nowhere.org"):
        assert f"Nobody in the directory has the address {email}: that mention notified no one." in said
    page = words(response)
    assert mentions(response) == []
    assert "Gone Person" not in page
    assert "Loose Person" not in page


def test_a_new_members_only_thread_notifies_the_members_only(chair, vice_chair, member, observer, guest):
    client = signed_in(chair)
    client.post("/discussions/new/", new_thread_data())
    told = set(Notification.objects.filter(kind="thread").values_list("recipient__email", flat=True))
    assert {vice_chair.email, member.email} <= told
    assert chair.email not in told  # the author
    assert observer.email not in told
    assert guest.email not in told


def test_a_reply_notifies_the_author_and_earlier_repliers_who_still_read_it(chair, vice_chair, member):
    item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS)
    reply(item, member)
    leaver = User.objects.create_user(email="left@undp.example.org", password="x" * 20, full_name="Leaver")
    membership = Membership.objects.create(
        user=leaver, organization=organization("entity:UNDP"), role="focal_point"
    )
    reply(item, leaver)
    membership.delete()  # no longer in a member organisation: no longer a reader
    signed_in(vice_chair).post(f"/discussions/{item.pk}/reply/", {"body": "Agreed.", "attachment_links": ""})
    told = set(Notification.objects.filter(kind="reply").values_list("recipient__email", flat=True))
    assert told == {chair.email, member.email}


# --- Attachments --------------------------------------------------------------------------------------------


def test_an_attachment_is_listed_only_to_readers_who_may_see_it(vice_chair, member):
    # given a UNODC-only resource attached by a UNODC person to a members-only thread
    resource = Resource.objects.create(
        title="UNODC internal note", resource_type="report", owner=organization("entity:UNODC")
    )
    public = Resource.objects.create(
        title="Public guide",
        resource_type="report",
        owner=organization("entity:UNODC"),
        visibility="platform",
    )
    client = signed_in(vice_chair)
    data = new_thread_data(
        owner=organization("entity:UNODC").pk, attachment_links=f"/library/{resource.pk}/\n{public.pk}"
    )
    response = client.post("/discussions/new/", data, follow=True)
    assert "UNODC internal note" in words(response)
    # then a UNDP member reads the thread and the public guide, not the UNODC-only note
    page = words(signed_in(member).get(response.redirect_chain[-1][0]))
    assert "Public guide" in page
    assert "UNODC internal note" not in page


def test_one_cannot_attach_a_resource_one_may_not_see(chair):
    hidden = Resource.objects.create(
        title="Secret", resource_type="report", owner=organization("entity:UNODC")
    )
    response = signed_in(chair).post(
        "/discussions/new/", new_thread_data(attachment_links=f"/library/{hidden.pk}/")
    )
    assert response.status_code == 200
    assert "No library resource you may see has this address" in field_error(response, "attachment_links")
    assert not Thread.objects.exists()


# --- Editing and history ------------------------------------------------------------------------------------


def test_authors_edit_their_posts_and_every_version_stays_in_the_history(chair, member, vice_chair):
    client = signed_in(chair)
    client.post("/discussions/new/", new_thread_data(body="First wording."))
    item = Thread.objects.get()
    client.post(f"/discussions/{item.pk}/edit/", new_thread_data(body="Second wording."))
    signed_in(member).post(f"/discussions/{item.pk}/reply/", {"body": "Reply v1", "attachment_links": ""})
    answer = Reply.objects.get()
    signed_in(member).post(
        f"/discussions/replies/{answer.pk}/edit/", {"body": "Reply v2", "attachment_links": ""}
    )
    # then any reader sees every version in the history, with who wrote it
    history = words(signed_in(vice_chair).get(f"/discussions/{item.pk}/history/"))
    for wording in ("First wording.", "Second wording.", "Reply v1", "Reply v2", "Carla Chair", "Mia Member"):
        assert wording in history
    # and someone else may not edit them
    assert signed_in(vice_chair).get(f"/discussions/{item.pk}/edit/").status_code == 403
    assert signed_in(chair).get(f"/discussions/replies/{answer.pk}/edit/").status_code == 403


# --- Moderation ---------------------------------------------------------------------------------------------


def test_only_space_managers_hide_and_lock(chair, vice_chair, member):
    item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS)
    answer = reply(item, chair)
    for url in (
        f"/discussions/{item.pk}/hide/",
        f"/discussions/{item.pk}/lock/",
        f"/discussions/replies/{answer.pk}/hide/",
    ):
        assert signed_in(member).post(url).status_code == 403
    item.refresh_from_db()
    assert not item.is_locked
    assert not item.is_hidden
    # the vice-chair (UNODC) manages WG 2's space, though the thread is CTED's
    assert signed_in(vice_chair).post(f"/discussions/{item.pk}/lock/").status_code == 302
    item.refresh_from_db()
    assert item.is_locked


def test_a_locked_thread_refuses_replies_with_a_clear_message(chair, member):
    item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS)
    signed_in(chair).post(f"/discussions/{item.pk}/lock/")
    response = signed_in(member).post(
        f"/discussions/{item.pk}/reply/", {"body": "Too late?", "attachment_links": ""}, follow=True
    )
    assert response.status_code == 200
    assert "locked by a moderator" in " ".join(messages(response))
    assert not Reply.objects.exists()
    signed_in(chair).post(f"/discussions/{item.pk}/unlock/")
    signed_in(member).post(f"/discussions/{item.pk}/reply/", {"body": "Now then.", "attachment_links": ""})
    assert Reply.objects.count() == 1


def test_a_hidden_reply_shows_a_placeholder_to_others_and_its_text_to_managers(chair, member, vice_chair):
    item = thread(chair, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS)
    answer = reply(item, member, "Off-topic advertisement")
    signed_in(chair).post(f"/discussions/replies/{answer.pk}/hide/")
    url = f"/discussions/{item.pk}/"
    assert "Off-topic advertisement" not in words(signed_in(member).get(url))
    assert "hidden by a moderator" in words(signed_in(member).get(url))
    assert "Off-topic advertisement" in words(signed_in(vice_chair).get(url))
    # nor does the history give the hidden text away
    assert "Off-topic advertisement" not in words(signed_in(member).get(f"/discussions/{item.pk}/history/"))
    signed_in(chair).post(f"/discussions/replies/{answer.pk}/unhide/")
    assert "Off-topic advertisement" in words(signed_in(member).get(url))


def test_threads_outside_the_groups_are_moderated_by_the_owner_organisation(chair, vice_chair, make_user):
    colleague = make_user("other@unodc.example.org", organization=organization("entity:UNODC"))
    item = thread(vice_chair, "entity:UNODC", Visibility.PLATFORM)
    assert signed_in(chair).post(f"/discussions/{item.pk}/hide/").status_code == 403
    assert signed_in(colleague).post(f"/discussions/{item.pk}/hide/").status_code == 302


# --- Bad input ----------------------------------------------------------------------------------------------


def test_an_empty_or_overlong_body_is_a_form_error(chair):
    client = signed_in(chair)
    assert field_error(client.post("/discussions/new/", new_thread_data(body="   ")), "body")
    assert "10000" in field_error(
        client.post("/discussions/new/", new_thread_data(body="x" * 10_001)), "body"
    ).replace(",", "")
    item = thread(chair, "entity:CTED")
    response = client.post(f"/discussions/{item.pk}/reply/", {"body": "", "attachment_links": ""})
    assert response.status_code == 400
    assert field_error(response, "body")
    assert not Thread.objects.exclude(pk=item.pk).exists()
    assert not Reply.objects.exists()


def test_markup_in_posts_is_shown_as_text(chair):
    item = thread(chair, "entity:CTED", body='<script>alert("x")</script>\n<b>bold</b> @<img src=x>@a.org')
    reply(item, chair, "<script>document.cookie</script>")
    page = signed_in(chair).get(f"/discussions/{item.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "<script>document" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in page


def test_a_guest_cannot_start_a_members_only_thread(guest):
    response = signed_in(guest).post("/discussions/new/", new_thread_data(owner=organization("state:KEN").pk))
    assert "only member organisations write for its members only" in field_error(response, "visibility")
    assert not Thread.objects.exists()
    # the space-wide audience is theirs to use
    response = signed_in(guest).post(
        "/discussions/new/",
        new_thread_data(owner=organization("state:KEN").pk, visibility=Visibility.WORKING_GROUP),
    )
    assert response.status_code == 302


def test_starting_from_a_space_preselects_its_group_and_everyone_in_it(chair, wg2):
    page = signed_in(chair).get(f"/discussions/new/?working_group={wg2.pk}")
    assert selected(page, "Working Group (optional)") == [str(wg2.pk)]
    # everyone in the space, guests included: leaving them out is a choice, never a default
    assert selected(page, "Who can see it") == ["working_group"]


def test_a_working_group_that_is_a_digit_but_no_number_is_no_filter(chair, wg2):
    # given threads in and outside WG 2
    thread(chair, "entity:CTED", Visibility.WORKING_GROUP, title="In the group")
    thread(chair, "entity:CTED", Visibility.OWNER, title="Outside the groups")
    client = signed_in(chair)

    # when the list and the new-thread form are asked for the group "²" (str.isdigit() says yes, int() no)
    listed = client.get("/discussions/", {"working_group": "²"})
    form = client.get("/discussions/new/", {"working_group": "²"})

    # then it is no choice: every thread is listed, and the form preselects no group
    assert listed.status_code == 200
    assert "In the group" in words(listed)
    assert "Outside the groups" in words(listed)
    assert form.status_code == 200
    assert str(wg2.pk) not in selected(form, "Working Group (optional)")


# --- Performance --------------------------------------------------------------------------------------------


def test_the_thread_page_reads_in_a_constant_number_of_queries(
    chair, member, vice_chair, django_assert_num_queries
):
    item = thread(chair, "entity:CTED", body="Hello @mia@undp.example.org")
    resource = Resource.objects.create(
        title="Guide", resource_type="report", owner=organization("entity:CTED"), visibility="platform"
    )

    def add(count: int) -> None:
        for number in range(count):
            answer = reply(
                item, member if number % 2 else vice_chair, f"Reply {number} @chair@cted.example.org"
            )
            answer.attachments.add(resource)

    client = signed_in(chair)
    add(2)
    assert client.get(f"/discussions/{item.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(f"/discussions/{item.pk}/")
    assert len(few.captured_queries) == 15  # pinned: a change here is a change to look at
    add(30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(f"/discussions/{item.pk}/")
    assert len(mentions(response)) == 33


def test_before_posting_a_members_only_thread_the_author_sees_who_is_left_out(chair, guest, observer):
    client = signed_in(chair)
    # when the chair posts for WG 2's members only, mentioning the observer
    response = client.post(
        "/discussions/new/",
        new_thread_data(body="Over to @otto@desa.example.org for the data.", post_anyway=None),
        follow=True,
    )
    # then nothing is posted yet: the page says who would not see it
    assert response.status_code == 200
    assert not Thread.objects.exists()
    page = words(response)
    assert "Before you post: who will not see this thread" in page
    assert "Kenya, which takes part as guest: a members-only thread leaves it out." in page
    assert "DESA, which takes part as observer" in page
    assert "Otto Observer, whom you mention, cannot see a thread for this audience" in page
    # and ticking "post anyway" posts it as written
    response = client.post(
        "/discussions/new/",
        new_thread_data(body="Over to @otto@desa.example.org for the data.", post_anyway="on"),
    )
    assert response.status_code == 302
    assert Thread.objects.get().visibility == Visibility.WORKING_GROUP_MEMBERS
    # while a thread for everyone in the space is posted at once
    response = client.post(
        "/discussions/new/", new_thread_data(title="For all", visibility="working_group", post_anyway=None)
    )
    assert response.status_code == 302
