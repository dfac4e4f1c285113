"""CTED's pages as their readers meet them: the list and the assessment page show what consent allows, and
the State's focal point gives and withdraws consent through the pages, with effect at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cted.models import Assessment, ConsentGrant, ReleaseLevel
from tests.conftest import organization, signed_in
from tests.pages import field_error, messages, table, words
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db


def test_the_state_gives_consent_and_the_entity_sees_at_once_then_no_more(kenya, ken_person, member):
    Assessment.objects.filter(pk=kenya.assessment.pk).update(release_level=ReleaseLevel.PARTIAL)
    url = f"/assessments/{kenya.assessment.pk}/"
    undp = signed_in(member)
    assert undp.get(url).status_code == 404
    assert "Kenya" not in words(undp.get("/assessments/"))
    # when Kenya's focal point shares the assessment with UNDP
    state = signed_in(ken_person)
    page = state.post(
        f"{url}consent/",
        {"audience": "organization", "organization": organization("entity:UNDP").pk},
        follow=True,
    )
    assert "The consent is given: it takes effect at once." in messages(page)
    assert "United Nations Development Programme" in table(page, "Consents given").text()
    # then UNDP's people see it and its priority need only (the release level is partial)
    seen = undp.get(url)
    assert seen.status_code == 200
    assert table(seen, "The recommendations you may see").text().count("Priority need") == 1
    assert "Train prosecutors" not in words(seen)
    assert "Consent to share" not in words(seen)  # the consents are the State's and CTED's business
    # when the State withdraws it, UNDP sees nothing again
    grant = ConsentGrant.objects.get()
    page = state.post(f"/assessments/consents/{grant.pk}/withdraw/", follow=True)
    assert "The consent is withdrawn: it no longer applies, from now on." in messages(page)
    assert undp.get(url).status_code == 404


def test_bad_consent_gets_its_message_on_the_form(kenya, ken_person):
    state = signed_in(ken_person)
    url = f"/assessments/{kenya.assessment.pk}/consent/"
    page = state.post(url, {"audience": "organization"})
    assert page.status_code == 200
    assert "Choose the Compact entity or regional organisation" in words(page)
    yesterday = timezone.localdate() - timedelta(days=1)
    page = state.post(url, {"audience": "compact_entities", "expires_on": yesterday.isoformat()})
    assert "would end in the past" in words(page)
    page = state.post(url, {"audience": "compact_entities", "expires_on": "9999-99-99"})
    assert "Enter a valid date." in words(page)
    assert not ConsentGrant.objects.exists()


def test_the_list_flags_an_overdue_deadline(kenya, cted_person):
    from datetime import date

    from cted import services
    from cted.models import ReportStage

    services.record_report_step(
        kenya.assessment, step=ReportStage.DRAFT, on=date(2025, 4, 10), by=cted_person
    )
    row = table(signed_in(cted_person).get("/assessments/"), "The assessments you may see").text()
    assert "The State's comments on the draft report: 10 May 2025 Overdue" in row


def test_the_state_sets_the_release_level_and_access_follows(kenya, ken_person, member, cted_person):
    from cted import services
    from cted.models import ConsentAudience

    services.grant_consent(
        kenya.assessment, audience=ConsentAudience.ORGANIZATION, organization=organization("entity:UNDP"),
        by=ken_person,
    )  # fmt: skip
    url = f"/assessments/{kenya.assessment.pk}/"
    undp = signed_in(member)
    assert "No recommendation you may see." in words(undp.get(url))  # not shared: the record only
    page = signed_in(ken_person).post(f"{url}release/", {"release_level": "full"}, follow=True)
    assert "The release level is changed: it applies at once." in messages(page)
    assert table(undp.get(url), "The recommendations you may see").text().count("Requested") == 3
    # CTED sees the assessment but the release level is the State's choice
    assert signed_in(cted_person).get(f"{url}release/").status_code == 403


def test_cted_changes_an_assistance_status_as_the_workflow_allows(kenya, cted_person, ken_person):
    url = f"/assessments/recommendations/{kenya.training.pk}/assistance/"
    cted = signed_in(cted_person)
    page = cted.get(url)
    assert "Now: Requested" in words(page)
    # a jump the workflow forbids is no choice
    page = cted.post(url, {"to": "provided", "reason": "Done"})
    assert "Select a valid choice." in words(page)
    # "matched" needs the project that answers the need
    page = cted.post(url, {"to": "matched", "reason": "UNODC's training project answers it"})
    assert field_error(page, "to") == "Link the project that answers the need first."
    kenya.training.projects.add(make_project("Training of prosecutors in East Africa"))
    page = cted.post(url, {"to": "matched", "reason": "UNODC's training project answers it"}, follow=True)
    assert "The status is changed." in messages(page)
    history = table(cted.get(url), "The changes of this status").text()
    assert "Requested Matched UNODC's training project answers it Cleo Cted" in history
    # the State reports implementation, not assistance
    assert signed_in(ken_person).get(url).status_code == 403
    assert signed_in(ken_person).get(url.replace("assistance", "implementation")).status_code == 200
    assert cted.get(url.replace("assistance", "nothing")).status_code == 404
