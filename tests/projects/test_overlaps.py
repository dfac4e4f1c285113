"""Possible overlaps between entities' projects: the rule (and a pair just outside each part of it), pairs
kept current as projects change, the leads' verdicts, who sees a pair, and the Secretariat's report."""

from __future__ import annotations

from datetime import date

import pytest

from directory.access import Visibility
from projects.models import OverlapVerdict, Project, ProjectOverlap
from projects.services import save_project
from tests.conftest import count_queries, organization, signed_in
from tests.pages import field_error, links, messages, table, words
from tests.projects.conftest import make_project, theme

pytestmark = pytest.mark.django_db

KENYA_GENDER = {
    "countries": ["KEN"],
    "themes": ["Gender"],
    "start": date(2025, 1, 1),
    "end": date(2026, 12, 31),
}


def unodc(title="UNODC in Kenya", **changes) -> Project:
    return make_project(title, lead="entity:UNODC", **{**KENYA_GENDER, **changes})


def cted(title="CTED in Kenya", **changes) -> Project:
    return make_project(title, lead="entity:CTED", **{**KENYA_GENDER, **changes})


def pairs() -> set[tuple[str, str]]:
    return {
        tuple(sorted((pair.first.title, pair.second.title)))
        for pair in ProjectOverlap.objects.select_related("first", "second")
    }


def test_two_entities_on_the_same_theme_in_the_same_country_at_the_same_time_overlap(unodc_person, chair):
    # given projects of UNODC and CTED on gender in Kenya in 2025–2026
    first, second = unodc(), cted()
    # then the pair is stored once, as a possible overlap
    assert pairs() == {("CTED in Kenya", "UNODC in Kenya")}
    pair = ProjectOverlap.objects.get()
    assert pair.verdict == OverlapVerdict.POSSIBLE
    # and each lead sees it on its own project's page, with what the two share
    for person, own, other in ((unodc_person, first, second), (chair, second, first)):
        page = signed_in(person).get(own.get_absolute_url())
        assert "Possible overlaps with other entities' projects" in words(page)
        assert (other.title, other.get_absolute_url()) in links(page)
        assert "Gender — Kenya" in words(page)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"countries": ["UGA"]}, id="other country"),
        pytest.param({"themes": ["Human rights"]}, id="other theme"),
        pytest.param({"start": date(2027, 1, 1), "end": date(2027, 12, 31)}, id="after it"),
        pytest.param({"start": date(2026, 12, 31), "end": date(2027, 12, 31)}, id="dates touching"),
        pytest.param({"start": date(2023, 1, 1), "end": date(2025, 1, 1)}, id="touching before"),
        pytest.param({"status": "cancelled"}, id="cancelled"),
        pytest.param({"countries": [], "is_global": True}, id="global against a country"),
        pytest.param({"themes": []}, id="no theme"),
    ],
)
def test_a_pair_just_outside_the_rule_is_not_an_overlap(changes):
    unodc()
    cted(**changes)
    assert pairs() == set()


def test_the_same_lead_entity_coordinates_its_own_projects():
    unodc("One")
    unodc("Two")
    assert pairs() == set()


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"countries": [], "is_global": True}, id="both global"),
        pytest.param({"start": date(2026, 12, 30), "end": None}, id="open-ended, one day shared"),
        pytest.param({"start": None, "end": date(2025, 1, 2)}, id="no start"),
        pytest.param(
            {"countries": ["UGA", "KEN"], "themes": ["Human rights", "Gender"]}, id="one of several"
        ),
    ],
)
def test_overlaps_just_inside_the_rule(changes):
    unodc(**({"countries": [], "is_global": True} if changes.get("is_global") else {}))
    cted(**changes)
    assert pairs() == {("CTED in Kenya", "UNODC in Kenya")}


def test_a_pair_follows_its_projects_and_keeps_its_verdict_while_they_overlap(unodc_person, chair):
    from projects.forms import ProjectForm

    first, second = unodc(), cted()
    pair = ProjectOverlap.objects.get()
    pair.verdict, pair.note = OverlapVerdict.COORDINATED, "Joint workplan agreed."
    pair.save()

    def edit(project: Project, by, **changes):
        form = ProjectForm(
            instance=project, user=by,
            data={**ProjectForm(instance=project, user=by).initial, **changes,
                  "themes": [t.pk for t in project.themes.all()], "owner": project.owner_id},
        )  # fmt: skip
        assert form.is_valid(), form.errors
        save_project(form=form, by=by)

    # when UNODC retitles its project, the pair and its verdict stay
    edit(first, unodc_person, title="UNODC in Kenya, phase 2")
    assert ProjectOverlap.objects.get().verdict == OverlapVerdict.COORDINATED
    # when CTED moves its project to Uganda, the pair goes
    edit(second, chair, countries=["UGA"])
    assert not ProjectOverlap.objects.exists()
    # and when it comes back, the pair is a possible overlap again
    edit(second, chair, countries=["KEN"])
    assert ProjectOverlap.objects.get().verdict == OverlapVerdict.POSSIBLE


def test_either_lead_marks_a_pair_and_both_see_the_verdict(unodc_person, chair):
    unodc()
    second = cted()
    pair = ProjectOverlap.objects.get()
    # when UNODC's focal point marks it coordinated, with a note
    response = signed_in(unodc_person).post(
        pair.get_absolute_url(), {"verdict": "coordinated", "note": "One joint steering committee."}
    )
    assert response.status_code == 302
    # then CTED's focal point reads the verdict, by whom, and the note, on its project and on the pair
    pair.refresh_from_db()
    assert (pair.verdict, pair.decided_by) == (OverlapVerdict.COORDINATED, unodc_person)
    page = words(signed_in(chair).get(pair.get_absolute_url()))
    assert "Coordinated" in page
    assert "One joint steering committee." in page
    assert unodc_person.full_name in page
    assert "Coordinated" in words(signed_in(chair).get(second.get_absolute_url()))
    # and the change is in the audit trail
    assert pair.events.filter(verdict="coordinated", pgh_context__metadata__user=unodc_person.pk).exists()
    # CTED may reopen it
    signed_in(chair).post(pair.get_absolute_url(), {"verdict": "possible", "note": ""})
    pair.refresh_from_db()
    assert (pair.verdict, pair.decided_by) == (OverlapVerdict.POSSIBLE, chair)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"verdict": "not_overlap", "note": "  "}, "note", "Say in a few words"),
        ({"verdict": "merged", "note": "x"}, "verdict", "Select a valid choice"),
        ({"verdict": "coordinated", "note": "x" * 2001}, "note", "at most 2000 characters"),
    ],
)
def test_a_verdict_without_its_reason_is_refused_and_nothing_changes(unodc_person, data, field, message):
    unodc(), cted()
    pair = ProjectOverlap.objects.get()
    response = signed_in(unodc_person).post(pair.get_absolute_url(), data)
    assert response.status_code == 400
    assert message in field_error(response, field)
    pair.refresh_from_db()
    assert (pair.verdict, pair.note, pair.decided_by) == (OverlapVerdict.POSSIBLE, "", None)


def test_a_third_entity_reads_a_pair_but_may_not_mark_it(member):
    unodc(), cted()
    pair = ProjectOverlap.objects.get()
    client = signed_in(member)  # UNDP
    page = client.get(pair.get_absolute_url())
    assert page.status_code == 200
    assert "Your verdict" not in words(page)
    assert client.post(pair.get_absolute_url(), {"verdict": "not_overlap", "note": "No."}).status_code == 403
    assert ProjectOverlap.objects.get().verdict == OverlapVerdict.POSSIBLE


def test_a_pair_with_a_project_the_reader_may_not_see_is_not_mentioned(unodc_person, chair):
    # given a CTED project only CTED may see, overlapping a UNODC project everyone may see
    first = unodc()
    cted("Confidential CTED project", visibility=Visibility.OWNER)
    pair = ProjectOverlap.objects.get()
    # then UNODC's people are not told about it: no flag on their project, the pair is a 404
    client = signed_in(unodc_person)
    assert "Confidential" not in words(client.get(first.get_absolute_url()))
    assert "Possible overlaps" not in words(client.get(first.get_absolute_url()))
    assert client.get(pair.get_absolute_url()).status_code == 404
    assert client.post(pair.get_absolute_url(), {"verdict": "coordinated", "note": "x"}).status_code == 404
    # while CTED's people, who see both, do
    assert signed_in(chair).get(pair.get_absolute_url()).status_code == 200


def report_rows(client, query: str = "") -> list[tuple[str, ...]]:
    response = client.get(f"/projects/overlaps/{query}")
    assert response.status_code == 200
    grid = table(response, "Pairs of projects that may overlap")
    return [
        tuple(cell.text() for cell in row.all("td")[:2])
        for row in grid.first("tbody").all("tr")
        if row.all("a")
    ]


def test_the_secretariat_report_lists_pairs_with_filters(secretariat, unodc_person):
    # given three pairs: gender in Kenya (UNODC–CTED), human rights in Uganda (UNODC–UNDP, marked not an
    # overlap), and one with a project the Secretariat may not see
    unodc(), cted()
    unodc("UNODC in Uganda", countries=["UGA"], themes=["Human rights"])
    make_project(
        "UNDP in Uganda",
        lead="entity:UNDP",
        **{**KENYA_GENDER, "countries": ["UGA"], "themes": ["Human rights"]},
    )
    make_project("Private UNDP", lead="entity:UNDP", visibility=Visibility.OWNER, **KENYA_GENDER)
    uganda = ProjectOverlap.objects.get(first__countries=["UGA"])
    uganda.verdict = OverlapVerdict.NOT_OVERLAP
    uganda.save()
    client = signed_in(secretariat)
    everything = report_rows(client)
    assert len(everything) == 2
    assert not any("Private" in " ".join(row) for row in everything)
    assert [row[0] for row in report_rows(client, "?verdict=possible")] == ["UNODC in Kenya UNODC"]
    assert len(report_rows(client, f"?lead={organization('entity:UNDP').pk}")) == 1
    assert len(report_rows(client, f"?theme={theme('Gender').pk}")) == 1
    assert len(report_rows(client, "?country=UGA")) == 1
    assert report_rows(client, "?country=FRA") == []
    # a hand-edited filter is ignored with a message, not a 500
    response = client.get("/projects/overlaps/?verdict=merged&lead=%C2%B2&page=999")
    assert response.status_code == 200
    assert any("not understood" in message for message in messages(response))
    # and the report is the Secretariat's: a focal point gets a 403
    assert signed_in(unodc_person).get("/projects/overlaps/").status_code == 403


@pytest.mark.parametrize("page", ["report", "pair", "project"])
def test_overlap_pages_make_the_same_queries_with_more_pairs(secretariat, page):
    first = make_project("UNOCT in Kenya", lead="entity:UNOCT", **KENYA_GENDER)
    cted()
    address = {
        "report": "/projects/overlaps/",
        "pair": ProjectOverlap.objects.get().get_absolute_url(),
        "project": first.get_absolute_url(),
    }[page]
    client = signed_in(secretariat)
    few = count_queries(client, address)
    for lead in ("entity:UNDP", "entity:UNODC", "entity:UNICRI", "entity:IOM"):
        make_project(f"More of {lead}", lead=lead, **KENYA_GENDER)
    assert ProjectOverlap.objects.count() > 10
    assert count_queries(client, address) == few
