"""The recommendations' search as its readers meet it: consent decides every row, count and download at once;
the chain views (no project / a project but unfunded / funded) follow the projects and the Appeal funding the
reader may see; an entity offers assistance and the State's focal points and CTED hear of it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from appeal.models import AppealProject, Priority, Stage
from cted import services
from cted.models import AssistanceOffer, ConsentAudience, ReleaseLevel
from directory.access import Visibility
from notifications.models import Notification
from projects.models import ThematicArea
from tests.appeal.conftest import appeal_for, flow
from tests.conftest import count_queries, organization, signed_in
from tests.pages import field_error, links, messages, table, words
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db

SEARCH = "/assessments/recommendations/"


def found(client, query: str = "") -> list[str]:
    """The texts of the recommendations a search lists."""
    page = client.get(f"{SEARCH}?{query}")
    assert page.status_code == 200
    return [text for text in RECOMMENDATION_TEXTS if text in words(page)]


def facet(client, query: str, label: str) -> str:
    """The facet value's label with its count as the filters show it ("Kenya (3)"), or ""."""
    text = words(client.get(f"{SEARCH}?{query}"))
    start = text.find(f"{label} (")
    return "" if start < 0 else text[start : text.index(")", start) + 1]


def exported(client, query: str = "") -> list[dict]:
    response = client.get(f"/assessments/recommendations/export/?{query}&format=csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


RECOMMENDATION_TEXTS = (
    "Border agencies need passenger data",
    "Criminalise the financing of travel",
    "Train prosecutors on the use of electronic evidence",
    "Protect the victims of terrorism",
)


def share(kenya, ken_person, level=ReleaseLevel.FULL, **grant):
    services.set_release_level(kenya.assessment, level=level, by=ken_person)
    return services.grant_consent(
        kenya.assessment, by=ken_person, **({"audience": ConsentAudience.COMPACT_ENTITIES} | grant)
    )


def test_consent_decides_the_search_its_counts_and_its_download_at_once(kenya, ken_person, member):
    undp = signed_in(member)
    # given nothing shared: UNDP finds nothing, counts nothing, downloads nothing
    assert found(undp) == []
    assert facet(undp, "", "Kenya") == ""
    assert exported(undp) == []
    # when Kenya shares the assessment in full with UNDP (the counts were cached above)
    grant = share(
        kenya, ken_person, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNDP")
    )
    # then the three recommendations are found, counted and downloaded
    assert len(found(undp)) == 3
    assert facet(undp, "", "Kenya") == "Kenya (3)"
    assert {row["Member State"] for row in exported(undp)} == {"Kenya"}
    assert len(exported(undp)) == 3
    # when the release level becomes partial, only the priority need remains, everywhere
    services.set_release_level(kenya.assessment, level=ReleaseLevel.PARTIAL, by=ken_person)
    assert found(undp) == ["Border agencies need passenger data"]
    assert facet(undp, "", "Kenya") == "Kenya (1)"
    assert [row["High-priority need"] for row in exported(undp)] == ["yes"]
    # when Kenya withdraws the consent, nothing is left, not even a count
    services.revoke_consent(grant, by=ken_person)
    assert found(undp) == []
    assert facet(undp, "", "Kenya") == ""
    assert facet(undp, "", "High-priority needs") == ""
    assert exported(undp) == []


def test_a_consent_runs_through_its_last_day_and_no_further(kenya, ken_person, member, monkeypatch):
    undp = signed_in(member)
    share(kenya, ken_person, expires_on=timezone.localdate())
    assert len(found(undp)) == 3
    assert facet(undp, "", "Kenya") == "Kenya (3)"
    # when the day after its last day comes
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert found(undp) == []
    assert facet(undp, "", "Kenya") == ""
    assert exported(undp) == []


def test_a_single_recommendation_shared_is_all_an_entity_finds_or_counts(kenya, ken_person, unodc_person):
    services.grant_consent(
        kenya.assessment,
        recommendation=kenya.training,
        audience=ConsentAudience.COMPACT_ENTITIES,
        by=ken_person,
    )
    unodc = signed_in(unodc_person)
    assert found(unodc) == ["Train prosecutors on the use of electronic evidence"]
    assert facet(unodc, "", "Other recommendations") == "Other recommendations (1)"
    assert facet(unodc, "", "High-priority needs") == ""
    # a word of a recommendation not shared finds nothing, and gives no snippet
    assert found(unodc, "q=passenger") == []
    assert "passenger" not in words(unodc.get(f"{SEARCH}?q=passenger")).replace("q=passenger", "")


def test_cted_and_the_state_find_everything_of_theirs_and_the_secretariat_nothing(
    kenya, ken_person, cted_person, secretariat
):
    assert len(found(signed_in(cted_person))) == 3
    assert len(found(signed_in(ken_person))) == 3
    assert found(signed_in(secretariat)) == []


@pytest.fixture
def chain(kenya, ken_person, cted_person, secretariat, unodc_person, member, cycle):
    """Kenya's four recommendations shared in full with every Compact entity, answered by projects:

    - the priority need by UNODC's project, funded through the Appeal (a commitment and a payment);
    - the legislation by UNODC's project appealed for with a pledge only (a promise, not funding);
    - the training by UNDP's project seen by UNDP only: for UNODC it has no project, for UNDP none funded;
    - the victims' support by nothing.
    """
    share(kenya, ken_person)
    victims = services.add_recommendation(
        kenya.assessment, text="Protect the victims of terrorism", by=cted_person
    )
    funded = appeal_for(
        cycle, "Passenger data for Kenya", "entity:UNODC", unodc_person, [Priority.BORDER_SECURITY],
        {2021: "400000"},
    )  # fmt: skip
    pledged = appeal_for(
        cycle, "Terrorist financing law", "entity:UNODC", unodc_person, [Priority.CFT], {2021: "200000"}
    )
    flow(secretariat, cycle, "state:NOR", Stage.COMMITMENT, "300000", to=funded)
    flow(secretariat, cycle, "state:NOR", Stage.PAID, "100000", to=funded)
    flow(secretariat, cycle, "state:JPN", Stage.PLEDGE, "50000", to=pledged)
    undp_only = make_project("UNDP's prosecutors' training", lead="entity:UNDP", visibility=Visibility.OWNER)
    kenya.priority.projects.add(funded.project)
    kenya.legislation.projects.add(pledged.project)
    kenya.training.projects.add(undp_only)
    return victims


def test_the_chain_views_follow_the_projects_and_funding_the_reader_sees(chain, unodc_person, member):
    unodc, undp = signed_in(unodc_person), signed_in(member)
    assert found(unodc, "chain=funded") == ["Border agencies need passenger data"]
    assert found(unodc, "chain=unfunded") == ["Criminalise the financing of travel"]
    assert found(unodc, "chain=no_project") == [
        "Train prosecutors on the use of electronic evidence",
        "Protect the victims of terrorism",
    ]
    # UNDP sees its own project: its training need is answered, not yet funded
    assert found(undp, "chain=unfunded") == [
        "Criminalise the financing of travel",
        "Train prosecutors on the use of electronic evidence",
    ]
    assert found(undp, "chain=no_project") == ["Protect the victims of terrorism"]
    # the counts are those of the chain, with the other filters
    assert facet(unodc, "chain=no_project", "Other recommendations") == "Other recommendations (2)"
    assert facet(unodc, "chain=funded", "High-priority needs") == "High-priority needs (1)"
    assert facet(unodc, "chain=funded", "Other recommendations") == ""
    # each row says where it stands, and the download says the same
    rows = {row["Recommendation"][:20]: row["Project and funding"] for row in exported(unodc)}
    assert rows == {
        "Border agencies need": "Funded",
        "Criminalise the fina": "With a project, not funded",
        "Train prosecutors on": "No project",
        "Protect the victims ": "No project",
    }


def test_an_entity_offers_assistance_and_the_state_and_cted_hear_of_it(
    chain, unodc_person, ken_person, cted_person, member
):
    unodc = signed_in(unodc_person)
    url = f"/assessments/recommendations/{chain.pk}/offer/"
    assert "Offer assistance" in words(unodc.get(f"{SEARCH}?chain=no_project"))
    offer = {"organization": organization("entity:UNODC").pk, "message": "A mentor for victims' associations"}
    page = unodc.post(url, offer, follow=True)
    assert "Your offer is sent to Kenya's focal points and to CTED." in messages(page)
    offer = AssistanceOffer.objects.get()
    assert (offer.recommendation, offer.organization.acronym, offer.offered_by) == (
        chain,
        "UNODC",
        unodc_person,
    )
    told = set(Notification.objects.values_list("recipient__email", flat=True))
    assert told == {ken_person.email, cted_person.email}
    assert "offers assistance to Kenya" in Notification.objects.first().subject
    # a second offer of the same organisation says when the first was made, and records nothing
    again = unodc.post(url, {"organization": organization("entity:UNODC").pk, "message": "Again"})
    assert "offered help with this recommendation on" in words(again)
    assert AssistanceOffer.objects.count() == 1


def test_offers_are_refused_with_reasons(chain, unodc_person, ken_person, au_person, compact, make_user):
    url = f"/assessments/recommendations/{chain.pk}/offer/"
    # the State's own people do not offer to themselves; an organisation without consent does not see it
    assert signed_in(ken_person).get(url).status_code == 403
    assert signed_in(au_person).get(url).status_code == 404
    unodc = signed_in(unodc_person)
    empty = unodc.post(url, {"organization": organization("entity:UNODC").pk, "message": "  "})
    assert field_error(empty, "message")
    assert not AssistanceOffer.objects.exists()
    assert unodc.get("/assessments/recommendations/999999/offer/").status_code == 404
    # a person of one entity offers for it, whatever organisation the request names
    for named in (organization("entity:UNDP").pk, "²", "99999999999999999999"):
        unodc.post(url, {"organization": named, "message": "Help"})
    assert [offer.organization.acronym for offer in AssistanceOffer.objects.all()] == ["UNODC"]


def test_the_service_refuses_an_offer_for_someone_elses_organisation(chain, unodc_person):
    with pytest.raises(ValidationError, match="on behalf of your own organisation"):
        services.offer_assistance(
            chain, organization=organization("entity:UNDP"), message="Help", by=unodc_person
        )


def test_filters_not_understood_are_said_and_ignored(kenya, cted_person):
    cted = signed_in(cted_person)
    page = cted.get(f"{SEARCH}?year=²&state=abc&chain=nowhere&theme=99999999999999999999&region=mars&page=x")
    assert page.status_code == 200
    assert any("not understood" in message for message in messages(page))
    assert len(found(cted)) == 3
    refused = cted.get("/assessments/recommendations/export/?format=pdf")
    assert refused.status_code == 400
    assert "Formats: csv, xlsx" in words(refused)
    workbook = cted.get("/assessments/recommendations/export/?format=xlsx&priority=yes")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_search_and_the_chain_views_cost_the_same_queries_whatever_their_length(
    chain, kenya, cted_person, unodc_person
):
    unodc = signed_in(unodc_person)
    urls = [SEARCH, f"{SEARCH}?chain=funded", f"{SEARCH}?chain=no_project&q=terrorism&priority=no"]
    before = [count_queries(unodc, url) for url in urls]
    for n in range(12):
        added = services.add_recommendation(
            kenya.assessment, text=f"Terrorism need {n}", theme=None, by=cted_person
        )
        added.entities.add(organization("entity:UNODC"), organization("entity:UNDP"))
        added.projects.add(kenya.priority.projects.get())
    assert [count_queries(unodc, url) for url in urls] == before


def test_the_chain_follows_a_new_link_and_new_money_at_once(
    chain, kenya, unodc_person, cted_person, secretariat
):
    unodc = signed_in(unodc_person)
    assert found(unodc, "chain=funded") == ["Border agencies need passenger data"]  # read, and kept a minute
    # when CTED links the funded project to the victims' need, it is funded at the next page
    funded_project = kenya.priority.projects.get()
    services.set_links(chain, entities=[], projects=[funded_project], by=cted_person)
    assert found(unodc, "chain=funded") == [
        "Border agencies need passenger data",
        "Protect the victims of terrorism",
    ]
    # when money is committed to the pledged project, the legislation need is funded at the next page too
    pledged = AppealProject.objects.get(project=kenya.legislation.projects.get())
    flow(secretariat, pledged.cycle, "state:JPN", Stage.COMMITMENT, "20000", to=pledged)
    assert "Criminalise the financing of travel" in found(unodc, "chain=funded")
    assert found(unodc, "chain=unfunded") == []


def body_rows(page) -> list[list[str]]:
    """The statistics table's body, row by row, cell by cell."""
    body = table(page, "Recommendations by thematic area and status").first("tbody")
    return [[cell.text() for cell in row.all() if cell.tag in ("th", "td")] for row in body.all("tr")]


def test_the_statistics_count_by_theme_and_status_what_the_reader_may_see(
    kenya, ken_person, cted_person, member
):
    themes = {theme.name: theme for theme in ThematicArea.objects.all()}
    border, justice = (
        themes["Border management and law enforcement"],
        themes["Criminal justice and the rule of law"],
    )
    for recommendation, theme in ((kenya.priority, border), (kenya.training, justice)):
        services.edit_recommendation(
            recommendation, text=recommendation.text, theme=theme, is_priority=recommendation.is_priority,
            entities=[], projects=[], by=cted_person,
        )  # fmt: skip
    services.change_status(
        kenya.training, kind="implementation", to="in_progress", reason="Courses planned", by=ken_person
    )
    cted = signed_in(cted_person)
    page = cted.get("/assessments/recommendations/statistics/")
    rows = {row[0]: row[1:] for row in body_rows(page)}
    # open, in progress, implemented, closed | requested, matched, provided | total
    assert rows["Border management and law enforcement"] == ["1", "0", "0", "0", "1", "0", "0", "1"]
    assert rows["Criminal justice and the rule of law"] == ["0", "1", "0", "0", "1", "0", "0", "1"]
    assert rows["No thematic area"] == ["1", "0", "0", "0", "1", "0", "0", "1"]
    # each figure opens the list behind it
    assert ("1", f"/assessments/recommendations/?theme={justice.pk}&implementation=in_progress") in links(
        page
    )
    # UNDP, shared the priority needs only, counts that one; filters narrow the table
    share(kenya, ken_person, level=ReleaseLevel.PARTIAL, audience=ConsentAudience.ORGANIZATION,
          organization=organization("entity:UNDP"))  # fmt: skip
    undp = body_rows(signed_in(member).get("/assessments/recommendations/statistics/"))
    assert [row[0] for row in undp] == ["Border management and law enforcement"]
    narrowed = cted.get("/assessments/recommendations/statistics/?implementation=in_progress&year=²")
    assert narrowed.status_code == 200
    assert [row[0] for row in body_rows(narrowed)] == ["Criminal justice and the rule of law"]
