"""The notices API (notices/api.py), read only: a token reads the notices its person reads on the notices
pages, in lists and details, and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.access import Visibility
from notices.models import Notice
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import notice, organization

LIST = reverse("api:notice-list")


def detail(item) -> str:
    return reverse("api:notice-detail", args=[item.pk])


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


@pytest.fixture
def owner_only(compact):
    return notice(organization("entity:UNODC"), Visibility.OWNER, title="Owner-only notice of UNODC")


@pytest.fixture
def listed(compact):
    """UNODC's notice for itself and Kenya."""
    return notice(
        organization("entity:UNODC"), Visibility.ORGANIZATIONS, title="For UNODC and Kenya",
        audience=[organization("state:KEN")],
    )  # fmt: skip


@pytest.fixture
def for_everyone(compact):
    return notice(organization("entity:CTED"), Visibility.PLATFORM, title="For everyone")


def test_a_token_reads_the_notices_its_person_reads_and_nothing_else(
    owner_only, listed, for_everyone, unodc_person, ken_person, au_person, secretariat
):
    # given tokens of UNODC's, Kenya's and the African Union's focal points, and of the Secretariat
    assert titles(all_rows(bearer(unodc_person, "notices:read"), LIST)) == {
        owner_only.title, listed.title, for_everyone.title,
    }  # fmt: skip
    assert titles(all_rows(bearer(ken_person, "notices:read"), LIST)) == {listed.title, for_everyone.title}
    # the Secretariat administers, it does not read other organisations' restricted notices
    for person in (au_person, secretariat):
        client = bearer(person, "notices:read")
        assert titles(all_rows(client, LIST)) == {for_everyone.title}
        missing = client.get(detail(Notice(pk=owner_only.pk + 1000)))
        hidden = client.get(detail(owner_only))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()  # the same answer for "not yours" and "not there"
        assert client.get(detail(listed)).status_code == 404


def test_a_notice_is_read_with_its_author_owner_and_audience(listed, ken_person, unodc_person):
    Notice.objects.filter(pk=listed.pk).update(author=unodc_person)
    body = bearer(ken_person, "notices:read").get(detail(listed)).json()
    assert body["body"] == "Text of the notice."
    assert body["author"] == {"id": unodc_person.pk, "full_name": "Ana Unodc"}
    assert body["owner"]["acronym"] == "UNODC"
    assert body["visibility"] == Visibility.ORGANIZATIONS
    assert body["working_group"] is None
    assert body["web_url"] == listed.get_absolute_url()


@pytest.mark.parametrize(
    "url", [LIST + "?cursor=not-a-cursor", LIST + "99999999999999999999999/", LIST + "²/", LIST + "abc/"]
)
def test_bad_addresses_are_404s_not_errors(ken_person, url):
    assert bearer(ken_person, "notices:read").get(url).status_code == 404


def test_pages_are_bounded_and_walk_every_notice_once(compact, unodc_person):
    for number in range(3):
        notice(organization("entity:UNODC"), title=f"Notice {number}")
    client = bearer(unodc_person, "notices:read")
    assert len(client.get(LIST, {"page_size": 2}).json()["results"]) == 2
    assert len(all_rows(client, LIST, page_size=1)) == 3


def test_a_page_costs_the_same_queries_whatever_its_length(compact, unodc_person):
    client = bearer(unodc_person, "notices:read")
    notice(organization("entity:UNODC"), title="First", author=unodc_person)
    few = queries_of(client, LIST)
    for number in range(6):
        notice(organization("entity:UNODC"), title=f"More {number}", author=unodc_person)
    assert queries_of(client, LIST) == few


def test_notices_are_read_only(for_everyone, unodc_person):
    # no token may hold notices:write (api.scopes.WRITABLE): a write is refused before anything is read
    client = bearer(unodc_person, "notices:read")
    assert client.post(LIST, {"title": "New", "body": "x"}).status_code == 403
    assert client.delete(detail(for_everyone)).status_code == 403
    assert not Notice.objects.filter(title="New").exists()
    assert Notice.objects.filter(pk=for_everyone.pk).exists()
