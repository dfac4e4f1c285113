"""Planning's part of the home: rounds waiting for a ballot, reports due, open activities not updated."""

from datetime import timedelta

from django.utils import timezone

from directory.models import Membership, Participation, ParticipationRole
from planning import services
from planning.models import Activity, ActivityStatus, ReportingPeriod
from planning.selectors import reports_due, rounds_awaiting_ballot, stale_activities_of
from tests.conftest import organization, wg
from tests.planning.conftest import make_activity, make_round


def test_a_person_of_two_member_organisations_waits_until_both_voted(member, compact):
    # given a UNDP focal point who is also IOM's, both members of WG 2, and an open round
    Participation.objects.update_or_create(
        working_group=wg(),
        organization=organization("entity:IOM"),
        defaults={"role": ParticipationRole.MEMBER},
    )
    Membership.objects.create(user=member, organization=organization("entity:IOM"), role="focal_point")
    activity = make_activity()
    round_ = make_round([activity])
    # and a round not open yet
    make_round([make_activity("Later")], group=wg(3), opens=timezone.now() + timedelta(days=2))

    assert rounds_awaiting_ballot(member) == [round_]
    services.submit_ballot(
        round_=round_, organization=organization("entity:UNDP"), scores={activity.pk: 2}, by=member
    )
    assert rounds_awaiting_ballot(member) == [round_]  # IOM has not voted yet
    services.submit_ballot(
        round_=round_, organization=organization("entity:IOM"), scores={activity.pk: 2}, by=member
    )
    assert rounds_awaiting_ballot(member) == []


def test_a_report_is_due_from_sixty_days_before_its_date_for_a_year(chair):
    today = timezone.localdate()

    def period(name, due):
        return ReportingPeriod.objects.create(name=name, start=due - timedelta(days=400), end=due, due=due)

    period("Far ahead", today + timedelta(days=61))
    soon = period("Soon", today + timedelta(days=59))
    late = period("Late", today - timedelta(days=364))
    period("History", today - timedelta(days=366))

    wg2 = [report.period for report in reports_due(chair) if report.working_group_id == wg().pk]
    assert wg2 == [late, soon]


def test_stale_activities_are_those_the_persons_organisation_owns_or_leads(member, chair, settings):
    led = make_activity("Led by UNDP", lead="entity:UNDP", owner="entity:CTED", status=ActivityStatus.ONGOING)
    other = make_activity("Led by CTED", lead="entity:CTED")
    Activity.objects.filter(pk__in=[led.pk, other.pk]).update(updated_at=timezone.now() - timedelta(days=91))

    assert [row.label for row in stale_activities_of(member).oldest] == ["Led by UNDP"]
    assert stale_activities_of(chair).count == 2  # CTED owns the first and leads the second
    settings.FRESHNESS_DAYS = {**settings.FRESHNESS_DAYS, "activities": 120}
    assert stale_activities_of(member).count == 0
