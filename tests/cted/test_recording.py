"""CTED records through the pages: an assessment, the report's next step and its confidential report, the
recommendations with the entities that could deliver and the projects that answer them — and the
assistance status follows the links. Bad input is a message next to its field; whoever may not see the
assessment gets a 404, whoever sees it but is not CTED's a 403."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cted import services
from cted.models import (
    Assessment,
    ConsentAudience,
    Recommendation,
    RecommendationProjectEvent,
    ReportStage,
    StatusChange,
)
from directory.access import Visibility
from library.models import Resource
from tests.conftest import organization, signed_in
from tests.pages import field_error, messages, parse, table, words
from tests.projects.conftest import make_project, theme

pytestmark = pytest.mark.django_db


def report(title: str, visibility: str, *, owner: str = "entity:CTED", readers=()) -> Resource:
    resource = Resource.objects.create(
        title=title, resource_type="report", owner=organization(owner), visibility=visibility
    )
    resource.audience_organizations.set([organization(key) for key in readers])
    return resource


def form_labels(page) -> list[str]:
    """The labels of the page's form, in order."""
    return [label.text() for label in parse(page).first("main").first("form", method="post").all("label")]


def share_with_undp(kenya, ken_person) -> None:
    services.grant_consent(
        kenya.assessment, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNDP"),
        by=ken_person,
    )  # fmt: skip


# Recording an assessment


def test_cted_records_an_assessment_from_the_list(cted_person, ken_person):
    cted = signed_in(cted_person)
    # given the list, where CTED (and only CTED) finds the way to record one
    assert "Record an assessment" in words(cted.get("/assessments/"))
    assert "Record an assessment" not in words(signed_in(ken_person).get("/assessments/"))
    # when CTED records Morocco's desk review
    page = cted.post(
        "/assessments/new/",
        {
            "state": organization("state:MAR").pk, "visit_type": "desk_review", "visit_start": "2025-02-03",
            "visit_end": "2025-02-05",
        },
        follow=True,
    )  # fmt: skip
    # then it is recorded, at the preliminary observations, and its page says so in the project's dates
    assert "The assessment is recorded: only the State and CTED see it." in messages(page)
    assessment = Assessment.objects.get()
    assert (assessment.state.name, assessment.visit_type, assessment.stage) == (
        "Morocco",
        "desk_review",
        "preliminary",
    )
    assert (assessment.visit_start, assessment.visit_end, assessment.created_by) == (
        date(2025, 2, 3), date(2025, 2, 5), cted_person,
    )  # fmt: skip
    assert "Assessment of Morocco" in words(page)
    assert "Desk review · 3 Feb 2025–5 Feb 2025" in words(page)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"state": "entity:UNDP"}, "state", "Select a valid choice."),  # not a Member State: no choice
        ({"state": "²"}, "state", "Select a valid choice."),
        ({"state": ""}, "state", "This field is required."),
        ({"visit_type": "holiday"}, "visit_type", "Select a valid choice."),
        ({"visit_start": "9999-12-31"}, "visit_start", "Give a date up to"),
        ({"visit_start": "²"}, "visit_start", "Enter a valid date."),
        ({"visit_start": ""}, "visit_start", "This field is required."),
        ({"visit_end": "2025-01-31"}, "visit_end", "The visit ends before it starts."),
    ],
)
def test_a_bad_assessment_gets_its_message_next_to_the_field(cted_person, change, field, message):
    body = {"state": organization("state:MAR").pk, "visit_type": "advocacy", "visit_start": "2025-02-03"}
    if change.get("state", "").startswith("entity:"):
        change = {"state": organization(change["state"]).pk}
    page = signed_in(cted_person).post("/assessments/new/", {**body, **change})
    assert page.status_code == 200
    assert message in field_error(page, field)
    assert not Assessment.objects.exists()


def test_only_cted_records_an_assessment(client, ken_person, member, secretariat):
    body = {"state": organization("state:KEN").pk, "visit_type": "advocacy", "visit_start": "2025-02-03"}
    for person in (ken_person, member, secretariat):
        visitor = signed_in(person)
        assert visitor.get("/assessments/new/").status_code == 403
        assert visitor.post("/assessments/new/", body).status_code == 403
    assert client.get("/assessments/new/").url.startswith("/accounts/login/")
    assert not Assessment.objects.exists()


# The report's steps


def test_cted_records_the_next_steps_as_the_workflow_allows(kenya, cted_person):
    cted = signed_in(cted_person)
    url = f"/assessments/{kenya.assessment.pk}/step/"
    assert "Record the next step" in words(cted.get(f"/assessments/{kenya.assessment.pk}/"))
    # given the preliminary observations, the only step offered is the draft
    page = cted.get(url)
    assert "The report is at: Preliminary observations" in words(page)
    assert form_labels(page) == ["Draft report sent to the State", "On"]
    # when CTED records it
    page = cted.post(url, {"step": "draft", "on": "2025-04-10"}, follow=True)
    assert "The step is recorded." in messages(page)
    assert "The State's comments on the draft report: due 10 May 2025" in words(page)
    kenya.assessment.refresh_from_db()
    assert (kenya.assessment.stage, kenya.assessment.draft_sent_on) == ("draft", date(2025, 4, 10))
    # then the State's comments or the adoption may follow
    assert form_labels(cted.get(url)) == ["The State's comments received", "Report adopted", "On"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"step": "adopted", "on": "2025-04-10"}, "step", "Select a valid choice."),  # out of order
        ({"step": "published", "on": "2025-04-10"}, "step", "Select a valid choice."),
        (
            {"step": "draft", "on": "2025-03-01"},
            "on",
            "cannot be dated before 3 Mar 2025",
        ),  # before the visit
        ({"step": "draft", "on": "future"}, "on", "the date is in the future"),
        ({"step": "draft", "on": "9999-12-31"}, "on", "Give a date up to"),
        ({"step": "draft", "on": "²"}, "on", "Enter a valid date."),
        ({"step": "draft", "on": ""}, "on", "This field is required."),
    ],
)
def test_a_bad_step_gets_its_message_next_to_the_field(kenya, cted_person, body, field, message):
    if body["on"] == "future":
        body = {**body, "on": (timezone.localdate() + timedelta(days=1)).isoformat()}
    page = signed_in(cted_person).post(f"/assessments/{kenya.assessment.pk}/step/", body)
    assert page.status_code == 200
    assert message in field_error(page, field)
    kenya.assessment.refresh_from_db()
    assert kenya.assessment.stage == ReportStage.PRELIMINARY


def test_a_report_with_every_step_offers_none(kenya, cted_person):
    for step, day in (
        ("draft", date(2025, 4, 1)),
        ("adopted", date(2025, 5, 1)),
        ("steps", date(2025, 9, 1)),
    ):
        services.record_report_step(kenya.assessment, step=step, on=day, by=cted_person)
    page = signed_in(cted_person).get(f"/assessments/{kenya.assessment.pk}/step/")
    assert "Every step of the report is recorded." in words(page)
    assert parse(page).first("main").first("form", method="post") is None


# Who may record on an assessment: CTED; the State and a consented entity see it (403); others do not (404)

CTED_PAGES = ("step/", "report/", "recommendations/new/")


@pytest.mark.parametrize("page", CTED_PAGES)
def test_the_recording_pages_are_cteds(kenya, ken_person, member, unodc_person, page):
    url = f"/assessments/{kenya.assessment.pk}/{page}"
    assert signed_in(unodc_person).get(url).status_code == 404
    assert signed_in(unodc_person).post(url, {}).status_code == 404
    assert signed_in(member).get(url).status_code == 404  # UNDP, before Kenya's consent
    share_with_undp(kenya, ken_person)
    for person in (member, ken_person):
        assert signed_in(person).get(url).status_code == 403
        assert signed_in(person).post(url, {}).status_code == 403
    assert signed_in(ken_person).get(f"/assessments/{kenya.assessment.pk}/999999/").status_code == 404


# The confidential report


def test_cted_attaches_a_restricted_report_and_only_its_readers_see_the_link(
    kenya, cted_person, ken_person, member
):
    share_with_undp(kenya, ken_person)
    cted, state, undp = signed_in(cted_person), signed_in(ken_person), signed_in(member)
    assessment = f"/assessments/{kenya.assessment.pk}/"
    # given the report in the library for CTED and Kenya only
    confidential = report("Kenya: CTED's assessment report", Visibility.ORGANIZATIONS, readers=["state:KEN"])
    assert "Attach the report" in words(cted.get(assessment))
    # when CTED attaches it
    page = cted.post(f"{assessment}report/", {"report": confidential.pk}, follow=True)
    assert "The report is attached: its readers in the library see its link." in messages(page)
    assert Assessment.objects.get().report == confidential
    # then CTED and Kenya find its link; UNDP, who sees the assessment but not the report, nothing of it
    for reader in (cted, state):
        link = parse(reader.get(assessment)).first("a", href=f"/library/{confidential.pk}/")
        assert link is not None
        assert link.text() == "Kenya: CTED's assessment report"
    page = undp.get(assessment)
    assert page.status_code == 200
    assert "CTED's assessment report" not in words(page)
    assert "Confidential report" not in words(page)


@pytest.mark.parametrize(
    ("visibility", "message"),
    [
        (Visibility.PLATFORM, "is visible to everyone on the platform: restrict it in the library"),
        (Visibility.COMPACT, "is visible to compact entities and the secretariat"),
    ],
)
def test_a_report_others_may_read_is_refused_saying_why(kenya, cted_person, visibility, message):
    public = report("A widely shared report", visibility)
    page = signed_in(cted_person).post(f"/assessments/{kenya.assessment.pk}/report/", {"report": public.pk})
    assert message in field_error(page, "report")
    assert Assessment.objects.get().report is None


def test_a_report_cted_may_not_read_is_no_choice_and_never_named(kenya, cted_person):
    hidden = report("UNODC's internal evaluation", Visibility.OWNER, owner="entity:UNODC")
    url = f"/assessments/{kenya.assessment.pk}/report/"
    for value in (hidden.pk, "999999", "²", ""):
        page = signed_in(cted_person).post(url, {"report": value})
        assert page.status_code == 200
        assert field_error(page, "report").startswith(("Select a valid choice.", "This field is required."))
        assert "UNODC's internal evaluation" not in words(page)
    assert Assessment.objects.get().report is None


# Recommendations and their links


def test_cted_adds_a_recommendation_and_a_project_makes_it_matched(kenya, cted_person):
    answer = make_project("Electronic evidence for East African prosecutors")
    justice = theme("Criminal justice and the rule of law")
    cted = signed_in(cted_person)
    assessment = f"/assessments/{kenya.assessment.pk}/"
    assert "Add a recommendation" in words(cted.get(assessment))
    page = cted.post(
        f"{assessment}recommendations/new/",
        {
            "theme": justice.pk, "text": "  Set up a central authority for mutual legal assistance  ",
            "is_priority": "on", "entities": [organization("entity:UNODC").pk], "projects": [answer.pk],
        },
        follow=True,
    )  # fmt: skip
    assert "The recommendation is recorded." in messages(page)
    need = Recommendation.objects.get(text="Set up a central authority for mutual legal assistance")
    assert (need.theme, need.is_priority, need.assistance_status) == (justice, True, "matched")
    assert list(need.entities.all()) == [organization("entity:UNODC")]
    assert list(need.projects.all()) == [answer]
    change = need.changes.get()
    assert (change.old, change.new, change.changed_by) == ("requested", "matched", cted_person)
    assert change.reason == "A project answers the need: Electronic evidence for East African prosecutors"
    row = table(page, "The recommendations you may see").text()
    assert "Set up a central authority for mutual legal assistance Priority need Edit" in row


def test_the_form_names_entities_and_projects_and_offers_only_visible_projects(kenya, cted_person):
    make_project("Border security in the Sahel")
    make_project("UNODC's owner-only pilot", visibility=Visibility.OWNER)
    page = signed_in(cted_person).get(f"/assessments/{kenya.assessment.pk}/recommendations/new/")
    projects = [option.text() for option in parse(page).first("select", name="projects").all("option")]
    assert projects == ["Border security in the Sahel — UNODC"]
    entities = [option.text() for option in parse(page).first("select", name="entities").all("option")]
    assert "United Nations Office on Drugs and Crime (UNODC)" in entities
    assert "Kenya" not in entities  # a Member State does not deliver assistance
    assert "UNODC's owner-only pilot" not in words(page)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"text": ""}, "text", "This field is required."),
        ({"text": "   "}, "text", "This field is required."),
        ({"text": "x" * 5001}, "text", "Ensure this value has at most 5000 characters"),
        ({"text": "A\x00B"}, "text", "Null characters are not allowed."),
        ({"theme": "999999"}, "theme", "Select a valid choice."),
        ({"theme": "²"}, "theme", "Select a valid choice."),
        ({"projects": "invisible"}, "projects", "Select a valid choice."),
        ({"projects": "999999"}, "projects", "Select a valid choice."),
        ({"entities": "state:KEN"}, "entities", "Select a valid choice."),
    ],
)
def test_a_bad_recommendation_gets_its_message_next_to_the_field(kenya, cted_person, change, field, message):
    hidden = make_project("UNODC's owner-only pilot", visibility=Visibility.OWNER)
    if change.get("projects") == "invisible":
        change = {"projects": [hidden.pk]}
    if change.get("entities", "").startswith("state:"):
        change = {"entities": [organization(change["entities"]).pk]}
    before = Recommendation.objects.count()
    page = signed_in(cted_person).post(
        f"/assessments/{kenya.assessment.pk}/recommendations/new/", {"text": "A need", **change}
    )
    assert page.status_code == 200
    assert message in field_error(page, field)
    assert "UNODC's owner-only pilot" not in words(page)  # the invisible project's title never shows
    assert Recommendation.objects.count() == before


def test_cted_edits_a_recommendation_and_unlinking_the_last_project_makes_it_requested(kenya, cted_person):
    answer = make_project("Passenger data systems in East Africa")
    services.set_links(kenya.priority, entities=[], projects=[answer], by=cted_person)
    url = f"/assessments/recommendations/{kenya.priority.pk}/edit/"
    cted = signed_in(cted_person)
    # given the form as the recommendation stands
    form = parse(cted.get(url))
    assert (
        form.first("textarea", name="text").text() == "Border agencies need passenger data (API/PNR) systems"
    )
    assert (
        form.first("select", name="projects").first("option", value=str(answer.pk)).attrs.get("selected")
        is not None
    )
    # when CTED rewrites it and unlinks its only project
    page = cted.post(
        url,
        {"text": "Border agencies need API and PNR systems", "entities": [organization("entity:IOM").pk]},
        follow=True,
    )
    assert "The recommendation is saved." in messages(page)
    need = Recommendation.objects.get(pk=kenya.priority.pk)
    assert (need.text, need.is_priority, need.assistance_status) == (
        "Border agencies need API and PNR systems", False, "requested",
    )  # fmt: skip
    assert list(need.entities.values_list("acronym", flat=True)) == ["IOM"]
    history = list(need.changes.values_list("old", "new", "reason"))
    assert history == [
        ("requested", "matched", "A project answers the need: Passenger data systems in East Africa"),
        (
            "matched",
            "requested",
            "No project answers the need any more: Passenger data systems in East Africa unlinked",
        ),
    ]
    # and the link table's changes are audited: the project linked, then unlinked
    events = RecommendationProjectEvent.objects.order_by("pgh_id").values_list("pgh_label", "project_id")
    assert list(events) == [("insert", answer.pk), ("delete", answer.pk)]


def test_a_provided_recommendation_stays_provided_when_its_projects_change(kenya, cted_person):
    answer = make_project("Passenger data systems in East Africa")
    services.set_links(kenya.priority, entities=[], projects=[answer], by=cted_person)
    services.change_status(
        kenya.priority, kind="assistance", to="provided", reason="Installed", by=cted_person
    )
    services.set_links(kenya.priority, entities=[], projects=[], by=cted_person)
    kenya.priority.refresh_from_db()
    assert kenya.priority.assistance_status == "provided"
    assert kenya.priority.changes.count() == 2


def test_an_edit_keeps_the_links_the_editor_may_not_see(kenya, cted_person, make_user):
    # given a recommendation answered by a project CTED may not see (linked by someone who could)
    hidden = make_project("UNODC's owner-only pilot", visibility=Visibility.OWNER)
    Recommendation.objects.filter(pk=kenya.training.pk).update(assistance_status="matched")
    kenya.training.projects.add(hidden)
    url = f"/assessments/recommendations/{kenya.training.pk}/edit/"
    cted = signed_in(cted_person)
    assert "UNODC's owner-only pilot" not in words(cted.get(url))
    # when CTED edits it without that project in the form
    cted.post(url, {"text": "Train prosecutors and judges on electronic evidence"})
    # then the link stays, and so does "matched": a project still answers the need
    need = Recommendation.objects.get(pk=kenya.training.pk)
    assert list(need.projects.all()) == [hidden]
    assert (need.assistance_status, need.changes.count()) == ("matched", 0)


def test_matched_needs_a_linked_project(kenya, cted_person):
    url = f"/assessments/recommendations/{kenya.legislation.pk}/assistance/"
    page = signed_in(cted_person).post(url, {"to": "matched", "reason": "Someone will help"})
    assert field_error(page, "to") == "Link the project that answers the need first."
    assert not StatusChange.objects.exists()


def test_the_recommendation_edit_page_is_cteds(kenya, ken_person, member, unodc_person, cted_person):
    url = f"/assessments/recommendations/{kenya.training.pk}/edit/"
    assert signed_in(unodc_person).get(url).status_code == 404
    assert signed_in(member).post(url, {"text": "x"}).status_code == 404
    share_with_undp(kenya, ken_person)
    services.set_release_level(kenya.assessment, level="full", by=ken_person)
    for person in (member, ken_person):
        assert signed_in(person).get(url).status_code == 403
        assert signed_in(person).post(url, {"text": "Rewritten"}).status_code == 403
    assert not Recommendation.objects.filter(text="Rewritten").exists()
    assert signed_in(cted_person).get("/assessments/recommendations/999999/edit/").status_code == 404
    # the State sees no Edit link on its assessment; CTED one per recommendation
    assert "Edit" not in words(signed_in(ken_person).get(f"/assessments/{kenya.assessment.pk}/")).split()
    row = table(signed_in(cted_person).get(f"/assessments/{kenya.assessment.pk}/"), "The recommendations")
    assert row.text().count("Edit the recommendation") == 3


def test_the_recommendation_form_reads_in_a_constant_number_of_queries(
    kenya, cted_person, django_assert_max_num_queries
):
    cted = signed_in(cted_person)
    url = f"/assessments/recommendations/{kenya.training.pk}/edit/"
    make_project("The first project", lead="entity:UNDP")
    cted.get(url)  # the session's first request
    with CaptureQueriesContext(connection) as few:
        cted.get(url)
    for number in range(10):
        make_project(f"Project {number}", lead=("entity:UNDP", "entity:UNODC", "entity:IOM")[number % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = cted.get(url)
    assert len(parse(page).first("select", name="projects").all("option")) == 11
