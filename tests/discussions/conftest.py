"""People around Working Group 2 (CTED chairs; UNODC vice-chair; UNDP member; DESA observer; Kenya invited
as a guest) and helpers to start threads and replies as they would."""

from __future__ import annotations

import pytest

from directory.access import Visibility
from directory.models import Participation, WorkingGroup
from discussions.models import Reply, Thread
from tests.conftest import organization


@pytest.fixture
def wg2(compact):
    return WorkingGroup.objects.get(number=2)


@pytest.fixture
def vice_chair(compact, make_user):
    return make_user(
        "lucas.moreau@unodc.example.org", organization=organization("entity:UNODC"), full_name="Lucas Moreau"
    )


@pytest.fixture
def observer(compact, make_user):
    return make_user(
        "otto@desa.example.org", organization=organization("entity:DESA"), full_name="Otto Observer"
    )


@pytest.fixture
def guest(compact, make_user, wg2):
    Participation.objects.create(
        working_group=wg2, organization=organization("state:KEN"), role="guest", topic="Border data"
    )
    return make_user("gita@ken.example.org", organization=organization("state:KEN"), full_name="Gita Guest")


@pytest.fixture
def outsider(compact, make_user):
    return make_user(
        "olga@au.example.org", organization=organization("regional:AU"), full_name="Olga Outside"
    )


def thread(
    author, owner_key: str, visibility=Visibility.WORKING_GROUP_MEMBERS, *, group=None, **fields
) -> Thread:
    """A thread written straight to the database (no notifications): the world a test starts from."""
    if group is None and visibility in (Visibility.WORKING_GROUP, Visibility.WORKING_GROUP_MEMBERS):
        group = WorkingGroup.objects.get(number=2)
    return Thread.objects.create(
        title=fields.pop("title", f"{visibility} thread"),
        body=fields.pop("body", "Text."),
        owner=organization(owner_key),
        author=author,
        visibility=visibility,
        working_group=group,
        **fields,
    )


def reply(to: Thread, author, body: str = "A reply.") -> Reply:
    return Reply.objects.create(thread=to, author=author, body=body)


def new_thread_data(**overrides) -> dict:
    data = {
        "title": "Border data exchange",
        "body": "Colleagues, what do you think?",
        "owner": organization("entity:CTED").pk,
        "visibility": Visibility.WORKING_GROUP_MEMBERS,
        "working_group": WorkingGroup.objects.get(number=2).pk,
        "audience_organizations": [],
        "attachment_links": "",
        # Who a thread leaves out is shown before posting (tested on its own): the other tests post as
        # written.
        "post_anyway": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
