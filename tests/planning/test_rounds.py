"""Prioritisation rounds: opened and closed by the space's managers, scored once by each member
organisation, refused after the close, results ordered by mean score then number of votes."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from planning import selectors, services
from planning.models import Ballot, BallotScore, PrioritisationRound
from tests.conftest import organization, signed_in, wg
from tests.pages import messages
from tests.planning.conftest import make_activity, make_round


@pytest.fixture
def activities(compact):
    return [make_activity("Training"), make_activity("Mapping"), make_activity("Compendium")]


def round_post(activities, **overrides) -> dict:
    now = timezone.localtime()
    data = {
        "title": "Priorities for next year",
        "instructions": "",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "activities": [a.pk for a in activities],
    }
    data.update(overrides)
    return data


def test_the_chair_opens_a_round(chair, activities):
    response = signed_in(chair).post(f"/planning/wg/{wg().pk}/rounds/new/", round_post(activities))
    round_ = PrioritisationRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/planning/rounds/{round_.pk}/"
    assert round_.opened_by == chair
    assert round_.is_open
    assert selectors.current_round(wg()) == round_


def test_members_observers_and_strangers_cannot_open_or_close(member, observer, stranger, activities):
    round_ = make_round(activities)
    for user in (member, observer, stranger):
        client = signed_in(user)
        assert client.get(f"/planning/wg/{wg().pk}/rounds/new/").status_code == 403
        assert client.post(f"/planning/wg/{wg().pk}/rounds/new/", round_post(activities)).status_code == 403
    assert signed_in(member).post(f"/planning/rounds/{round_.pk}/close/").status_code == 403
    assert signed_in(observer).post(f"/planning/rounds/{round_.pk}/close/").status_code == 403
    # someone outside the space does not learn the round exists
    assert signed_in(stranger).post(f"/planning/rounds/{round_.pk}/close/").status_code == 404
    round_.refresh_from_db()
    assert round_.closed_at is None


def test_a_second_open_round_is_refused_with_a_message(chair, activities):
    make_round(activities, title="First round")
    response = signed_in(chair).post(f"/planning/wg/{wg().pk}/rounds/new/", round_post(activities))
    assert response.status_code == 200
    assert "“First round” is not closed yet" in html.unescape(response.content.decode())
    assert PrioritisationRound.objects.count() == 1


def test_a_round_closing_before_it_opens_is_a_form_error(chair, activities):
    now = timezone.localtime()
    response = signed_in(chair).post(
        f"/planning/wg/{wg().pk}/rounds/new/",
        round_post(activities, closes_at=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 200
    assert "must close after it opens" in response.content.decode()
    assert not PrioritisationRound.objects.exists()


def test_a_member_organisation_scores_once(member, activities):
    round_ = make_round(activities)
    client = signed_in(member)
    training, mapping, _compendium = activities
    # when UNDP scores two activities
    response = client.post(
        f"/planning/rounds/{round_.pk}/ballot/",
        {
            "organization": organization("entity:UNDP").pk,
            f"score_{training.pk}": "5",
            f"score_{mapping.pk}": "2",
        },
    )
    # then its ballot is recorded
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.organization == organization("entity:UNDP")
    assert ballot.submitted_by == member
    assert dict(BallotScore.objects.values_list("activity_id", "score")) == {training.pk: 5, mapping.pk: 2}
    # when it submits again
    response = client.post(
        f"/planning/rounds/{round_.pk}/ballot/",
        {"organization": organization("entity:UNDP").pk, f"score_{training.pk}": "1"},
        follow=True,
    )
    # then it is refused with a message, and the first ballot stands
    assert response.status_code == 200
    assert any("has already submitted its scores" in message for message in messages(response))
    assert Ballot.objects.count() == 1
    assert BallotScore.objects.get(activity=training).score == 5
    # and the ballot page itself says so
    response = client.get(f"/planning/rounds/{round_.pk}/ballot/", follow=True)
    assert any("a ballot is final" in message for message in messages(response))


def test_a_colleague_of_the_same_organisation_cannot_vote_again(member, make_user, activities):
    round_ = make_round(activities)
    colleague = make_user("colleague@example.org", organization=organization("entity:UNDP"))
    services.submit_ballot(
        round_=round_, organization=organization("entity:UNDP"), scores={activities[0].pk: 3}, by=member
    )
    with pytest.raises(ValidationError, match="already submitted"):
        services.submit_ballot(
            round_=round_,
            organization=organization("entity:UNDP"),
            scores={activities[0].pk: 5},
            by=colleague,
        )


def test_scores_after_the_close_are_refused_with_a_message(member, chair, activities):
    # given a round the chair closed
    round_ = make_round(activities)
    signed_in(chair).post(f"/planning/rounds/{round_.pk}/close/")
    # when a member submits
    response = signed_in(member).post(
        f"/planning/rounds/{round_.pk}/ballot/",
        {"organization": organization("entity:UNDP").pk, f"score_{activities[0].pk}": "4"},
        follow=True,
    )
    # then it is refused with a message
    assert response.status_code == 200
    assert any("This round is closed" in message for message in messages(response))
    assert not Ballot.objects.exists()


def test_scores_after_the_closing_time_are_refused(member, activities):
    now = timezone.now()
    round_ = make_round(activities, opens=now - timedelta(days=10), closes=now - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="closed"):
        services.submit_ballot(
            round_=round_, organization=organization("entity:UNDP"), scores={activities[0].pk: 4}, by=member
        )


def test_scores_before_the_opening_are_refused(member, activities):
    now = timezone.now()
    round_ = make_round(activities, opens=now + timedelta(days=1), closes=now + timedelta(days=5))
    with pytest.raises(ValidationError, match="opens on"):
        services.submit_ballot(
            round_=round_, organization=organization("entity:UNDP"), scores={activities[0].pk: 4}, by=member
        )


def test_observers_and_guests_do_not_vote(observer, guest, activities):
    round_ = make_round(activities)
    for user in (observer, guest):
        client = signed_in(user)
        # they follow the round...
        page = client.get(f"/planning/rounds/{round_.pk}/")
        assert page.status_code == 200
        assert "Only the group's member organisations score activities" in page.content.decode()
        # ...but cannot score
        assert client.get(f"/planning/rounds/{round_.pk}/ballot/").status_code == 403
        assert client.post(f"/planning/rounds/{round_.pk}/ballot/", {}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.submit_ballot(
            round_=round_, organization=organization("entity:IOM"), scores={activities[0].pk: 4}, by=observer
        )
    assert not Ballot.objects.exists()


def test_a_user_cannot_vote_for_another_organisation(member, activities):
    round_ = make_round(activities)
    response = signed_in(member).post(
        f"/planning/rounds/{round_.pk}/ballot/",
        {"organization": organization("entity:CTED").pk, f"score_{activities[0].pk}": "4"},
    )
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_an_empty_ballot_is_a_form_error(member, activities):
    round_ = make_round(activities)
    response = signed_in(member).post(
        f"/planning/rounds/{round_.pk}/ballot/", {"organization": organization("entity:UNDP").pk}
    )
    assert response.status_code == 400
    assert "Score at least one activity" in response.content.decode()


def test_strangers_do_not_see_rounds(stranger, activities):
    round_ = make_round(activities)
    assert signed_in(stranger).get(f"/planning/rounds/{round_.pk}/").status_code == 404


def test_results_order_and_priorities(chair, make_user, activities):
    # given four member organisations' scores
    training, mapping, compendium = activities
    round_ = make_round(activities)
    extra = make_activity("Nobody scored this")
    round_.activities.add(extra)
    scores = {
        "entity:CTED": {training.pk: 4, mapping.pk: 5, compendium.pk: 3},
        "entity:UNDP": {training.pk: 4, mapping.pk: 3, compendium.pk: 5},
        "entity:ICAO": {training.pk: 4, compendium.pk: 4},
        "entity:WCO": {mapping.pk: 4},
    }
    for key, ballot in scores.items():
        person = make_user(f"{key.split(':')[1].lower()}@example.org", organization=organization(key))
        services.submit_ballot(round_=round_, organization=organization(key), scores=ballot, by=person)
    # when the chair closes the round
    response = signed_in(chair).post(f"/planning/rounds/{round_.pk}/close/")
    assert response.status_code == 302
    # then the three scored activities tie (mean 4.0, 3 votes each): start date, then id, decide; the
    # activity nobody scored comes last
    results = selectors.results(round_)
    assert [(r.activity.title, r.mean, r.votes) for r in results] == [
        ("Training", 4.0, 3),
        ("Mapping", 4.0, 3),
        ("Compendium", 4.0, 3),
        ("Nobody scored this", None, 0),
    ]
    round_.refresh_from_db()
    assert round_.closed_at is not None
    assert round_.closed_by == chair
    for activity, rank in ((training, 1), (mapping, 2), (compendium, 3)):
        activity.refresh_from_db()
        assert (activity.priority, activity.priority_round_id) == (rank, round_.pk)
    extra.refresh_from_db()
    assert extra.priority is None


def test_results_rank_by_mean_then_by_votes(make_user, compact):
    a, b, c = make_activity("A"), make_activity("B"), make_activity("C")
    round_ = make_round([a, b, c])
    scores = {
        "entity:CTED": {a.pk: 3, b.pk: 5, c.pk: 4},
        "entity:UNDP": {a.pk: 3, c.pk: 4},
        "entity:ICAO": {a.pk: 3},
    }
    for key, ballot in scores.items():
        person = make_user(f"{key.split(':')[1].lower()}@example.org", organization=organization(key))
        services.submit_ballot(round_=round_, organization=organization(key), scores=ballot, by=person)
    # B has the best mean (5.0, one vote); C 4.0 with two; A 3.0 with three
    assert [(r.activity.title, r.rank) for r in selectors.results(round_)] == [("B", 1), ("C", 2), ("A", 3)]
    # a fourth organisation gives B a 3: B is now 4.0 with 2 votes, like C
    person = make_user("wco@example.org", organization=organization("entity:WCO"))
    services.submit_ballot(
        round_=round_, organization=organization("entity:WCO"), scores={b.pk: 3}, by=person
    )
    assert [r.activity.title for r in selectors.results(round_)] == ["B", "C", "A"]  # by id: B first
    # a fifth gives C a 4
    person = make_user("imo@example.org", organization=organization("entity:IMO"))
    services.submit_ballot(
        round_=round_, organization=organization("entity:IMO"), scores={c.pk: 4}, by=person
    )
    # C is 4.0 with 3 votes: it now comes before B (4.0 with 2)
    assert [r.activity.title for r in selectors.results(round_)] == ["C", "B", "A"]


def test_closing_twice_says_so(chair, activities):
    round_ = make_round(activities)
    client = signed_in(chair)
    client.post(f"/planning/rounds/{round_.pk}/close/")
    response = client.post(f"/planning/rounds/{round_.pk}/close/", follow=True)
    assert any("already closed" in message for message in messages(response))


def test_the_results_page_shows_the_order(chair, member, activities):
    round_ = make_round(activities)
    training, mapping, _ = activities
    services.submit_ballot(
        round_=round_,
        organization=organization("entity:UNDP"),
        scores={mapping.pk: 5, training.pk: 1},
        by=member,
    )
    services.close_round(round_=round_, by=chair)
    page = signed_in(member).get(f"/planning/rounds/{round_.pk}/").content.decode()
    assert page.index("Mapping") < page.index("Training")
    # and the workplan follows the new priorities
    plan = signed_in(member).get(f"/planning/wg/{wg().pk}/").content.decode()
    assert plan.index("Mapping") < plan.index("Training")


def test_observers_never_read_members_only_activities_through_a_round(observer, chair, compact):
    secret = make_activity("Members-only item", visibility="wg_members")
    open_item = make_activity("Open item")
    round_ = make_round([secret, open_item])
    page = signed_in(observer).get(f"/planning/rounds/{round_.pk}/").content.decode()
    assert "Open item" in page
    assert "Members-only item" not in page
    services.close_round(round_=round_, by=chair)
    page = signed_in(observer).get(f"/planning/rounds/{round_.pk}/").content.decode()
    assert "Members-only item" not in page
