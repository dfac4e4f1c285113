"""The home (docs/dashboard.md, "Home"): what waits for each person — for the right person only, gone once
acted on —, what their organisation owns that needs updating, new documents in their themes, and nothing
the reader may not see, in a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from calendar_app import services as calendar
from calendar_app.models import EventType
from cted import services as cted
from cted.models import ReportStage
from dashboard.waiting import Urgency, waiting_for
from directory import lifecycle
from directory.access import Visibility
from directory.models import Organization, Participation, ParticipationRole, Profile
from library.models import Resource
from planning import services as planning
from planning.models import ActivityStatus, ProgressReport, ReportingPeriod
from projects.models import Project, ProjectStatus
from support import services as support
from tests.calendar_app.conftest import make_event
from tests.conftest import make_profile, organization, signed_in, wg
from tests.discussions.conftest import thread
from tests.pages import parse
from tests.planning.conftest import make_activity, make_round
from tests.projects.conftest import make_project
from tests.support.conftest import ask

TODAY = timezone.localdate


def kinds(user) -> list[str]:
    return [item.kind for item in waiting_for(user)]


def labels(user) -> list[str]:
    return [item.label for item in waiting_for(user)]


def home(user) -> str:
    response = signed_in(user).get("/home/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, title_id: str) -> str:
    """The text of the home's section labelled by ``title_id`` (empty if the section is absent)."""
    found = parse(html).first("section", **{"aria-labelledby": title_id})
    return found.text() if found is not None else ""


# --- Waiting for you ----------------------------------------------------------------------------------------


def test_a_focal_point_due_for_reconfirmation_is_asked_until_they_confirm(ken_person, au_person, make_user):
    # given Kenya's focal point, whose details were confirmed 400 days ago, and AU's, confirmed today
    make_profile(user=ken_person, reconfirmed_at=timezone.now() - timedelta(days=400))
    make_profile(user=au_person, reconfirmed_at=timezone.now())
    nobody = make_user("nobody@example.org")  # no role anywhere: nothing to reconfirm

    # then only Kenya's focal point is asked, overdue since the day the year ran out
    (item,) = [item for item in waiting_for(ken_person) if item.kind == "reconfirm"]
    assert item.urgency == Urgency.OVERDUE
    assert item.due == TODAY() - timedelta(days=35)
    assert item.url == "/people/me/reconfirm/"
    assert "reconfirm" not in kinds(au_person)
    assert "reconfirm" not in kinds(nobody)

    # and once they confirm, nothing is asked any more
    lifecycle.reconfirm(user=ken_person)
    assert "reconfirm" not in kinds(ken_person)


def test_a_reconfirmation_is_announced_a_month_before_it_falls_due(ken_person):
    make_profile(user=ken_person, reconfirmed_at=timezone.now() - timedelta(days=300))  # due in 65 days
    assert "reconfirm" not in kinds(ken_person)
    make_profile(user=ken_person, reconfirmed_at=timezone.now() - timedelta(days=340))  # due in 25 days
    (item,) = [item for item in waiting_for(ken_person) if item.kind == "reconfirm"]
    assert item.urgency == Urgency.LATER
    assert item.due == TODAY() + timedelta(days=25)


def test_a_reconfirmation_requested_by_email_waits_even_before_the_year_is_out(ken_person):
    make_profile(
        user=ken_person,
        reconfirmed_at=timezone.now() - timedelta(days=300),
        reconfirmation_requested_at=timezone.now() - timedelta(days=1),
    )
    assert "reconfirm" in kinds(ken_person)


def test_a_working_group_meeting_waits_for_an_answer_from_its_participants_only(member, au_person):
    # given a meeting of WG 2 (UNDP is a member, the AU takes no part) in ten days, and one that is
    # visible to CTED only although it is WG 2's
    meeting = make_event(
        organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(), title="WG 2 meeting",
        event_type=EventType.WG_MEETING, start=timezone.now() + timedelta(days=10),
    )  # fmt: skip
    make_event(
        organization("entity:CTED"), Visibility.OWNER, working_group=wg(), title="Chairs' preparation",
        event_type=EventType.WG_MEETING, start=timezone.now() + timedelta(days=9),
    )  # fmt: skip

    # then UNDP's focal point is asked to answer the meeting they may see, with the answer form in place
    (item,) = [item for item in waiting_for(member) if item.kind == "rsvp"]
    assert item.label == "Will you attend WG 2 meeting?"
    assert item.rsvp_url == f"/calendar/events/{meeting.pk}/rsvp/"
    assert item.due == timezone.localdate(meeting.start)
    page = home(member)
    assert "Chairs' preparation" not in page  # nothing invisible on the home
    assert f'action="/calendar/events/{meeting.pk}/rsvp/"' in page
    assert "rsvp" not in kinds(au_person)

    # and once they answer (from the home's form), the meeting no longer waits
    response = signed_in(member).post(item.rsvp_url, {"response": "maybe"})
    assert response.status_code == 302
    assert "rsvp" not in kinds(member)


def test_an_event_shared_with_a_person_by_name_waits_for_that_person(chair, ken_person, make_user):
    event = make_event(
        organization("entity:CTED"), Visibility.OWNER, title="Briefing for Kenya",
        start=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    calendar.share_event(event=event, by=chair, users=[ken_person])
    colleague = make_user("colleague@kenya.example", organization=organization("state:KEN"))

    (item,) = [item for item in waiting_for(ken_person) if item.kind == "rsvp"]
    assert item.urgency == Urgency.SOON
    assert "rsvp" not in kinds(colleague)  # shared with a person, not with their State


def test_an_open_round_waits_for_a_ballot_of_each_member_organisation(member, make_user, compact):
    # given an open round of WG 2, closing in a week
    round_ = make_round([make_activity()], title="Priorities 2027")
    observer = make_user("iom@example.org", organization=organization("entity:IOM"))
    Participation.objects.update_or_create(
        working_group=wg(), organization=organization("entity:IOM"),
        defaults={"role": ParticipationRole.OBSERVER},
    )  # fmt: skip

    # then UNDP's focal point (a member) is asked to vote; an observer is not
    (item,) = [item for item in waiting_for(member) if item.kind == "round"]
    assert "Priorities 2027" in item.label
    assert item.url == f"/planning/rounds/{round_.pk}/ballot/"
    assert "round" not in kinds(observer)

    # and once UNDP has voted, nobody of UNDP is asked again
    planning.submit_ballot(
        round_=round_,
        organization=organization("entity:UNDP"),
        scores={round_.activities.get().pk: 4},
        by=member,
    )
    colleague = make_user("colleague@undp.example", organization=organization("entity:UNDP"))
    assert "round" not in kinds(member)
    assert "round" not in kinds(colleague)


def test_a_progress_report_due_waits_for_the_groups_chairs_until_submitted(chair, member, secretariat):
    # given a period due in twenty days, and WG 2 (chaired by CTED) without a submitted report
    period = ReportingPeriod.objects.create(
        name="2026", start=TODAY() - timedelta(days=300), end=TODAY() - timedelta(days=10),
        due=TODAY() + timedelta(days=20),
    )  # fmt: skip
    # and a period due long ago, whose reports are history
    ReportingPeriod.objects.create(
        name="2020", start=date(2020, 1, 1), end=date(2020, 12, 31), due=date(2021, 1, 31)
    )

    # then CTED's focal point is asked for WG 2's report (and of the groups CTED co-chairs), for 2026 only
    items = [item for item in waiting_for(chair) if item.kind == "report"]
    assert "Submit the progress report of WG 2: Border Management and Law Enforcement for 2026" in [
        item.label for item in items
    ]
    assert all("2020" not in item.label for item in items)
    # a member does not write the report; the Secretariat manages every space but reports only for the
    # groups its own organisation chairs
    assert "report" not in kinds(member)
    assert not any("WG 2:" in label for label in labels(secretariat))

    # and once the report is submitted, WG 2's no longer waits
    ProgressReport.objects.create(working_group=wg(), period=period, achievements="We trained 200 officers.")
    planning.submit_report(by=chair, working_group=wg(), period=period)
    assert not any("WG 2:" in label for label in labels(chair) if "progress report" in label)


def test_a_cted_deadline_waits_for_the_states_people_only(kenya, cted_person, ken_person, unodc_person):
    # given Kenya's draft report sent 40 days ago: its comments were due ten days ago
    cted.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=TODAY() - timedelta(days=40), by=cted_person
    )

    (item,) = [item for item in waiting_for(ken_person) if item.kind == "cted_deadline"]
    assert item.label.startswith("The State's comments on the draft report — Kenya")
    assert item.urgency == Urgency.OVERDUE
    assert item.due == TODAY() - timedelta(days=10)
    # CTED (which reads the assessment) owes nothing; another organisation does not even read it
    assert "cted_deadline" not in kinds(cted_person)
    assert "cted_deadline" not in kinds(unodc_person)

    # once CTED records Kenya's comments, nothing is awaited
    cted.record_report_step(kenya.assessment, step=ReportStage.COMMENTS, on=TODAY(), by=cted_person)
    assert "cted_deadline" not in kinds(ken_person)


def test_the_state_decides_whether_to_share_an_adopted_report_and_to_renew_a_consent(
    kenya, cted_person, ken_person, au_person
):
    # given Kenya's report adopted, shared with nobody
    cted.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=TODAY() - timedelta(days=90), by=cted_person
    )
    cted.record_report_step(
        kenya.assessment, step=ReportStage.ADOPTED, on=TODAY() - timedelta(days=30), by=cted_person
    )

    # then Kenya's people are asked to decide; CTED and others are not
    (item,) = [item for item in waiting_for(ken_person) if item.kind == "consent"]
    assert item.label.startswith("Decide whether to share Kenya")
    assert item.due is None
    assert "consent" not in kinds(cted_person)
    assert "consent" not in kinds(au_person)

    # when Kenya shares it with the AU until a date in three weeks, the decision left is to renew it
    cted.grant_consent(
        kenya.assessment, audience="organization", organization=organization("regional:AU"),
        expires_on=TODAY() + timedelta(days=21), by=ken_person,
    )  # fmt: skip
    (item,) = [item for item in waiting_for(ken_person) if item.kind == "consent"]
    assert item.label.startswith("Renew or let end your consent to share Kenya")
    assert "with AU" in item.label
    assert item.due == TODAY() + timedelta(days=21)
    assert "consent" not in kinds(au_person)  # the AU reads the assessment now; the decision is Kenya's


def test_a_request_for_support_waits_for_the_addressee_then_for_the_asker(
    ken_person, unodc_person, au_person, make_user
):
    # given Kenya's request addressed to UNODC
    request = ask(ken_person, entities=["entity:UNODC"], visibility=Visibility.PLATFORM)

    # then UNODC's focal point is asked to answer it; the AU (which may read it) is not addressed
    assert "support" in kinds(unodc_person)
    assert "support" not in kinds(au_person)
    assert "support" not in kinds(ken_person)  # nothing to choose yet

    # when UNODC offers, the request waits for Kenya's choice, no longer for UNODC
    offer = support.offer_support(
        request, organization=organization("entity:UNODC"), text="Training", by=unodc_person
    )
    assert "support" not in kinds(unodc_person)
    (item,) = [item for item in waiting_for(ken_person) if item.kind == "support"]
    assert "Choose among the offers" in item.label

    # and once Kenya accepts, nothing waits
    support.accept_offer(request, offer=offer, by=ken_person)
    assert "support" not in kinds(ken_person)


def test_the_list_puts_the_overdue_first_then_by_due_date(kenya, cted_person, ken_person, chair):
    make_profile(user=ken_person, reconfirmed_at=timezone.now() - timedelta(days=360))  # due in 5 days
    cted.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=TODAY() - timedelta(days=40), by=cted_person
    )  # overdue
    event = make_event(
        organization("entity:CTED"), Visibility.OWNER, start=timezone.now() + timedelta(days=20)
    )
    calendar.share_event(event=event, by=chair, users=[ken_person])

    assert kinds(ken_person)[:3] == ["cted_deadline", "reconfirm", "rsvp"]
    page = home(ken_person)
    assert "Overdue since" in page
    # the waiting list comes first on the page
    assert page.index("Waiting for you") < page.index("Your Working Groups")


def test_the_membership_requests_are_in_the_list(ken_person, undp_admin):
    from directory.models import MembershipRequest

    MembershipRequest.objects.create(
        user=ken_person, organization=organization("entity:UNDP"), role="alternate", requested_by=undp_admin
    )
    assert "An organisation asked you to take a role in it." in section(home(ken_person), "waiting-title")


# --- Needs updating -----------------------------------------------------------------------------------------


def age(model, pk, days: int) -> None:
    """Set a row's ``updated_at`` ``days`` ago (an update, so ``auto_now`` does not move it back)."""
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - timedelta(days=days))


def library_resource(owner: str, title: str, **fields) -> Resource:
    return Resource.objects.create(
        owner=organization(owner), visibility=fields.pop("visibility", Visibility.PLATFORM), title=title,
        resource_type="guidance", **fields,
    )  # fmt: skip


def test_stale_content_surfaces_to_its_owners_only(unodc_person, ken_person, member, settings):
    # given UNODC's resource not updated for 400 days, one updated 100 days ago, and an ongoing project
    # not updated for 200 days, a completed one neither
    old = library_resource("entity:UNODC", "Old guidance")
    age(Resource, old.pk, 400)
    age(Resource, library_resource("entity:UNODC", "Recent guidance").pk, 100)
    ongoing = make_project("Border project", status=ProjectStatus.ONGOING)
    age(Project, ongoing.pk, 200)
    age(Project, make_project("Finished project", status=ProjectStatus.COMPLETED).pk, 400)

    # then UNODC's focal point sees them under "Needs updating", each linked to its edit page
    stale = section(home(unodc_person), "stale-title")
    assert "Library resources" in stale
    assert "Old guidance" in stale
    assert "Recent guidance" not in stale
    assert "Ongoing projects" in stale
    assert "Border project" in stale
    assert "Finished project" not in stale
    assert f'href="/library/{old.pk}/edit/"' in home(unodc_person)
    # and nobody of another organisation does, even if they may read them
    assert section(home(ken_person), "stale-title") == ""
    assert section(home(member), "stale-title") == ""

    # a shorter period for the library makes the recent one stale too
    settings.FRESHNESS_DAYS = {**settings.FRESHNESS_DAYS, "library": 90}
    assert "Recent guidance" in section(home(unodc_person), "stale-title")

    # once updated, a resource no longer needs it
    Resource.objects.filter(pk=old.pk).update(updated_at=timezone.now())
    assert "Old guidance" not in section(home(unodc_person), "stale-title")


def test_open_activities_surface_to_their_lead_organisation(member, chair):
    activity = make_activity("Border training", status=ActivityStatus.PLANNED)  # led and owned by UNDP
    done = make_activity("Past training", status=ActivityStatus.COMPLETED)
    age(type(activity), activity.pk, 100)
    age(type(done), done.pk, 100)

    stale = section(home(member), "stale-title")
    assert "Open workplan activities" in stale
    assert "Border training" in stale
    assert "Past training" not in stale
    assert f"/planning/activities/{activity.pk}/edit/" in home(member)
    # the chair's organisation neither owns nor leads it
    assert "Border training" not in section(home(chair), "stale-title")


def test_the_organisation_profile_surfaces_to_its_admins_and_the_country_profile_to_the_states_people(
    undp_admin, member, ken_person, unodc_person
):
    from countries.models import CountryProfile

    Organization.objects.filter(reference_key="entity:UNDP").update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    profile = CountryProfile.objects.create(
        organization=organization("state:KEN"), priorities="Borders.", updated_by=ken_person,
        updated_at=timezone.now() - timedelta(days=400),
    )  # fmt: skip

    assert "Your organisation's profile" in section(home(undp_admin), "stale-title")
    assert "Your organisation's profile" not in section(home(member), "stale-title")  # a focal point
    assert "Country profile" in section(home(ken_person), "stale-title")
    assert f"/countries/{profile.organization_id}/profile/edit/" in home(ken_person)
    assert "Country profile" not in section(home(unodc_person), "stale-title")


# --- The rest of the home: themes, Working Groups, discussion, audience -------------------------------------


def test_new_documents_follow_the_themes_of_the_profile_or_else_the_working_groups(member, ken_person):
    # given a resource on border security, one of WG 2, and one on border security only UNODC may read
    library_resource("entity:UNODC", "Border security guide", tags=["Border security"])
    library_resource("entity:CTED", "WG 2 minutes", working_group=wg(), visibility=Visibility.WORKING_GROUP)
    library_resource(
        "entity:UNODC", "Internal border note", tags=["Border security"], visibility=Visibility.OWNER
    )
    from library import indexing

    indexing.refresh(Resource.objects.values_list("pk", flat=True))

    # a person who listed "border security" among their themes sees the guide, never the internal note
    make_profile(user=ken_person, expertise_tags=["border security"])
    themes = section(home(ken_person), "themes-title")
    assert "Border security guide" in themes
    assert "Internal border note" not in themes
    assert "From the themes and pillars of your profile." in themes

    # a person who listed none sees their Working Groups' documents, and is told so
    Profile.objects.filter(user=member).update(expertise_tags=[])
    themes = section(home(member), "themes-title")
    assert "WG 2 minutes" in themes
    assert "Border security guide" not in themes
    assert "From your Working Groups." in themes


def test_working_groups_link_to_their_space_and_discussion_shows_only_readable_threads(
    member, chair, au_person
):
    thread(chair, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS, title="Members' thread")
    thread(chair, "entity:CTED", Visibility.OWNER, title="CTED internal thread")

    page = home(member)
    assert f'href="/groups/{wg().pk}/"' in page
    discussion = section(page, "discussion-title")
    assert "Members' thread" in discussion
    assert "CTED internal thread" not in discussion
    assert "Members' thread" not in section(home(au_person), "discussion-title")


# --- Constant queries ---------------------------------------------------------------------------------------


def busy_world(person, asker, chair, cted_person, numbers) -> None:
    """Of each thing waiting for ``person`` (a focal point of Kenya, UNDP and CTED at once), and of each thing
    their organisations own that needs updating, one per number in ``numbers``."""
    start = timezone.now() + timedelta(days=5)
    for n in numbers:
        event = make_event(organization("entity:CTED"), Visibility.OWNER, title=f"Event {n}", start=start)
        calendar.share_event(event=event, by=chair, users=[person])
        make_event(
            organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(), title=f"Meeting {n}",
            event_type=EventType.WG_MEETING, start=start,
        )  # fmt: skip
        ReportingPeriod.objects.create(
            name=f"P{n}", start=TODAY() - timedelta(days=200), end=TODAY(), due=TODAY() + timedelta(days=n)
        )
        age(Resource, library_resource("state:KEN", f"Resource {n}", tags=["borders"]).pk, 400)
        age(Project, make_project(f"Project {n}", lead="entity:UNDP").pk, 400)
        activity = make_activity(f"Activity {n}")
        age(type(activity), activity.pk, 400)
        ask(
            asker,
            title=f"Request {n}",
            entities=["entity:UNDP"],
            visibility=Visibility.PLATFORM,
            owner="regional:AU",
        )
        assessment = cted.record_assessment(
            state=organization("state:KEN"), visit_type="comprehensive", visit_start=date(2025, 1, 1),
            by=cted_person,
        )  # fmt: skip
        cted.record_report_step(
            assessment, step=ReportStage.DRAFT, on=TODAY() - timedelta(days=60), by=cted_person
        )
        if n % 2:
            cted.record_report_step(
                assessment, step=ReportStage.ADOPTED, on=TODAY() - timedelta(days=5), by=cted_person
            )
        thread(chair, "entity:CTED", Visibility.PLATFORM, title=f"Thread {n}")


def home_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/home/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/home/").status_code == 200
    return len(queries)


def test_the_home_query_count_does_not_grow_with_data(make_user, chair, cted_person, au_person):
    # given a person who is a focal point of Kenya, UNDP and CTED, due for reconfirmation, with themes
    from directory.models import Membership

    person = make_user("busy@example.org", organization=organization("state:KEN"))
    for key in ("entity:UNDP", "entity:CTED"):
        Membership.objects.create(user=person, organization=organization(key), role="focal_point")
    make_profile(user=person, reconfirmed_at=timezone.now() - timedelta(days=400), expertise_tags=["borders"])
    make_round([make_activity("Round activity")])

    # when one of each thing waits for them, then five of each
    busy_world(person, au_person, chair, cted_person, [1])
    client = signed_in(person)
    few = home_queries(client)
    for kind in ("reconfirm", "rsvp", "round", "report", "cted_deadline", "consent", "support"):
        assert kind in kinds(person), kind
    busy_world(person, au_person, chair, cted_person, [2, 3, 4, 5])
    many = home_queries(client)

    # then the home reads them in the same number of queries
    assert len(waiting_for(person)) > 20
    assert "Needs updating" in client.get("/home/").content.decode()
    assert few == many
