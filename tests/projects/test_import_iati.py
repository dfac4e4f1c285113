"""Importing projects from an IATI activity file (2.03): the entity uploads its file, filters the activities
by DAC sector and keyword, sees how each becomes a project, picks some and saves them; importing again updates
by IATI identifier. Unsafe or wrong files (DOCTYPE, entities, oversize, wrong root, malformed, empty) are
refused with one message, never a server error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project, ProjectImport, ProjectStatus
from tests.conftest import organization, signed_in
from tests.pages import messages, parse, words
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db


def activity(identifier, title, *, sectors=("15210",), countries=("ML",), status="2", budget=None,
             orgs=(), extra="") -> str:  # fmt: skip
    budget_xml = ""
    for kind, value, currency, value_date in budget or ():
        budget_xml += (
            f'<budget type="{kind}"><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>'
            f'<value currency="{currency}" value-date="{value_date}">{value}</value></budget>'
        )
    return f"""
  <iati-activity default-currency="USD" last-updated-datetime="2025-01-01T00:00:00">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="XM-DAC-41114" type="40"><narrative>UNODC</narrative></reporting-org>
    <title><narrative xml:lang="fr">Titre</narrative><narrative xml:lang="en">{title}</narrative></title>
    <description type="1"><narrative>About {title}.</narrative></description>
    <description type="2"><narrative>Objectives of {title}.</narrative></description>
    {"".join(f'<participating-org role="{role}" ref="{ref}"><narrative>{name}</narrative></participating-org>'
             for role, ref, name in orgs)}
    <activity-status code="{status}"/>
    <activity-date type="1" iso-date="2024-12-01"/>
    <activity-date type="2" iso-date="2025-01-15"/>
    <activity-date type="3" iso-date="2027-12-31"/>
    {"".join(f'<recipient-country code="{code}" percentage="50"/>' for code in countries)}
    {"".join(f'<sector vocabulary="1" code="{code}"/>' for code in sectors)}
    <tag vocabulary="3" code="16.4"/>
    {budget_xml}
    {extra}
  </iati-activity>"""  # fmt: skip


def iati_file(*activities: str, root="iati-activities", prolog="") -> bytes:
    body = "".join(activities)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}\n<{root} version="2.03" '
            f'generated-datetime="2025-01-01T00:00:00">{body}\n</{root}>').encode()  # fmt: skip


PORTFOLIO = iati_file(
    activity(
        "XM-DAC-41114-SAHEL", "Border security in the Sahel", sectors=("15210",),
        countries=("ML", "NE", "XK"),
        budget=[("1", "600000", "EUR", "2025-01-01"), ("1", "400000", "EUR", "2025-06-30")],
        orgs=[("1", "XM-DAC-5-7", "Germany"), ("4", "", "UNDP"), ("4", "", "National police academy"),
              ("3", "XI-IATI-X", "A foundation")],
    ),
    activity("XM-DAC-41114-PVE", "Preventing violent extremism online", sectors=("15220", "22040"),
             countries=("KE",), status="1"),
    activity("XM-DAC-41114-WATER", "Water supply", sectors=("14020",), countries=("KE",), status="4"),
)  # fmt: skip


def upload(client, content: bytes, *, lead="entity:UNODC", rates="EUR 1.085", name="activities.xml"):
    return client.post(
        "/projects/import/iati/",
        {"file": SimpleUploadedFile(name, content, content_type="application/xml"),
         "lead": organization(lead).pk, "visibility": "platform", "rates": rates},
    )  # fmt: skip


def staged_url(response) -> str:
    assert response.status_code == 302, messages(response) or words(response)[-3000:]
    return response["Location"]


def shown(page) -> list[str]:
    """The identifiers of the activities offered, as their labels say them."""
    return [
        label.text().split("(")[1].split(";")[0].split(")")[0]
        for label in parse(page).all("label") if label.attrs.get("for", "").startswith("activity-")
    ]  # fmt: skip


def number_of(page, identifier: str) -> str:
    for box in parse(page).all("input", name="activity"):
        label = parse(page).first("label", **{"for": box.attrs["id"]})
        if identifier in label.text():
            return box.attrs["value"]
    raise AssertionError(identifier)


def test_activities_are_filtered_by_sector_and_keyword_and_show_their_mapping(unodc_person):
    client = signed_in(unodc_person)
    url = staged_url(upload(client, PORTFOLIO))
    # when the page opens, then every activity is offered; nothing is saved yet
    page = client.get(url)
    assert shown(page) == ["XM-DAC-41114-SAHEL", "XM-DAC-41114-PVE", "XM-DAC-41114-WATER"]
    assert not Project.objects.exists()
    # when filtered by the DAC prefix 152 (conflict, peace and security), then the two of that sector
    assert shown(client.get(url + "?sector=152")) == ["XM-DAC-41114-SAHEL", "XM-DAC-41114-PVE"]
    # when filtered by a keyword too, then only the one that says it
    assert shown(client.get(url + "?sector=152&q=ONLINE")) == ["XM-DAC-41114-PVE"]
    assert shown(client.get(url + "?q=water")) == ["XM-DAC-41114-WATER"]
    # a wrong filter is a message, not an error
    wrong = client.get(url + "?sector=abc")
    assert wrong.status_code == 200
    assert "Give the first digits of a DAC sector code" in words(wrong)
    # and the mapping says where each value comes from, and what is left out
    text = words(page)
    assert "Countries recipient-country MLI; NER" in text
    assert "Recipient country XK is not a Member State in the registry: left out." in text
    assert "A foundation (extending) is not on the platform: left out." in text
    assert "Budget budget 1000000 EUR" in text.replace("Currency budget/value/@currency ", "")
    assert "Themes sector Border management and law enforcement" in text


def test_ticked_activities_are_saved_with_their_mapping(unodc_person):
    client = signed_in(unodc_person)
    url = staged_url(upload(client, PORTFOLIO))
    page = client.get(url)
    # when two activities are ticked and imported
    response = client.post(url, {"activity": [number_of(page, "SAHEL"), number_of(page, "PVE")]})
    # then they are projects of UNODC, mapped as shown
    assert response.status_code == 302
    assert Project.objects.count() == 2
    sahel = Project.objects.get(iati_identifier="XM-DAC-41114-SAHEL")
    assert sahel.owner == organization("entity:UNODC")
    assert sahel.title == "Border security in the Sahel"  # the English narrative
    assert sahel.description == "About Border security in the Sahel."
    assert sahel.expected_results == "Objectives of Border security in the Sahel."
    assert sahel.countries == ["MLI", "NER"]
    assert (sahel.start, sahel.end) == (date(2025, 1, 15), date(2027, 12, 31))  # actual start, planned end
    assert sahel.status == ProjectStatus.ONGOING
    assert (sahel.budget, sahel.currency, sahel.usd_rate) == (Decimal("1000000"), "EUR", Decimal("1.085"))
    assert sahel.rate_date == date(2025, 6, 30)  # the latest value date
    assert sahel.budget_usd == Decimal("1085000.00")
    assert list(sahel.donors.values_list("iso3", flat=True)) == ["DEU"]
    assert list(sahel.partners.values_list("acronym", flat=True)) == ["UNDP"]
    assert sahel.implementing_partners == "National police academy"
    assert sahel.sdg_targets == ["16.4"]
    assert list(sahel.themes.values_list("name", flat=True)) == ["Border management and law enforcement"]
    pve = Project.objects.get(iati_identifier="XM-DAC-41114-PVE")
    assert pve.status == ProjectStatus.PIPELINE
    assert list(pve.themes.values_list("name", flat=True)) == ["Preventing and countering violent extremism"]
    assert "country:KEN" in pve.facet_keys


def test_a_reimport_updates_by_identifier_instead_of_duplicating(unodc_person):
    client = signed_in(unodc_person)
    first = staged_url(upload(client, PORTFOLIO))
    client.post(first, {"activity": [number_of(client.get(first), "SAHEL")]})
    project = Project.objects.get(iati_identifier="XM-DAC-41114-SAHEL")
    # given the entity's next file, where the activity has a new title and is closed
    changed = iati_file(activity("XM-DAC-41114-SAHEL", "Border security in the Sahel, phase 2", status="4"))
    url = staged_url(upload(client, changed))
    page = client.get(url)
    assert "updates the project imported before" in words(page)
    # when it is imported again
    client.post(url, {"activity": [number_of(page, "SAHEL")]})
    # then the same project is updated, not duplicated
    project.refresh_from_db()
    assert Project.objects.filter(iati_identifier="XM-DAC-41114-SAHEL").count() == 1
    assert project.title == "Border security in the Sahel, phase 2"
    assert project.status == ProjectStatus.COMPLETED
    assert project.pgh_event_model.objects.filter(pgh_obj_id=project.pk, pgh_label="update").exists()


def test_an_identifier_of_another_entitys_project_is_not_taken_over(unodc_person):
    make_project("UNDP's", lead="entity:UNDP", iati_identifier="XM-DAC-41114-PVE")
    client = signed_in(unodc_person)
    url = staged_url(upload(client, PORTFOLIO))
    page = client.get(url)
    assert "A project of another lead entity has this IATI identifier" in words(page)
    # when the activity is posted anyway (its box is disabled in the page)
    response = client.post(url, {"activity": [number_of(page, "SAHEL"), number_of(page, "PVE")]})
    # then nothing is saved, and the page says which activity stopped it
    assert response.status_code == 200
    assert "These activities have errors: 2. Nothing was saved" in " ".join(messages(response))
    assert Project.objects.get(iati_identifier="XM-DAC-41114-PVE").title == "UNDP's"
    assert not Project.objects.filter(iati_identifier="XM-DAC-41114-SAHEL").exists()


def test_a_foreign_budget_without_a_rate_is_an_error_of_its_activity(unodc_person):
    client = signed_in(unodc_person)
    url = staged_url(upload(client, PORTFOLIO, rates=""))
    assert "USD rate: Give the rate to US dollars" in words(client.get(url))


def test_the_lead_is_one_of_the_uploaders_organisations(unodc_person):
    response = upload(signed_in(unodc_person), PORTFOLIO, lead="entity:UNDP")
    assert response.status_code == 200
    assert "Select a valid choice." in words(response)
    assert not ProjectImport.objects.exists()


def test_nothing_ticked_is_a_message(unodc_person):
    client = signed_in(unodc_person)
    url = staged_url(upload(client, PORTFOLIO))
    response = client.post(url, {})
    assert "Tick the activities to import." in " ".join(messages(response))
    response = client.post(url, {"activity": ["99"]})
    assert response.status_code == 200
    assert not Project.objects.exists()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol3;</iati-identifier></iati-activity>
</iati-activities>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY ext SYSTEM "http://example.org/secret">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&ext;</iati-identifier></iati-activity>
</iati-activities>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            iati_file(activity("A-1", "x"), prolog="<!DOCTYPE iati-activities>"),
            "declares a document type (DOCTYPE)",
        ),
        (BILLION_LAUGHS, "declares a document type (DOCTYPE)"),
        (EXTERNAL, "declares a document type (DOCTYPE)"),
        (
            iati_file(activity("A-1", "x"), root="projects"),
            "root element is <projects>, not <iati-activities>",
        ),
        (iati_file(root="iati-organisations"), "This is an IATI organisation file."),
        (iati_file(), "The file holds no activities"),
        (b"<iati-activities version='2.03'><iati-activity>", "not well-formed XML (line 1"),
        (b"Title,Lead entity\nA,UNODC\n", "not well-formed XML"),
        (b"PK\x03\x04 a workbook", "not an IATI XML file"),
        (b'<iati-activities version="1.05"><iati-activity/></iati-activities>', "IATI version 1.05"),
        (b"", "The submitted file is empty."),
    ],
)
def test_an_unsafe_or_wrong_file_is_refused_with_a_message(unodc_person, content, message):
    # when such a file is uploaded
    response = upload(signed_in(unodc_person), content)
    # then one message says why, and nothing is staged or saved
    assert response.status_code == 200
    assert message in words(response)
    assert not ProjectImport.objects.exists()
    assert not Project.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(unodc_person, settings):
    settings.PROJECTS_IMPORT_MAX_MB = 1
    padding = "<!-- " + "x" * (3 * 1024 * 1024) + " -->"
    response = upload(signed_in(unodc_person), iati_file(activity("A-1", "x"), padding))
    assert response.status_code == 413
    assert "The file is larger than 1 MB" in " ".join(messages(response))
    assert not ProjectImport.objects.exists()


def test_a_200_mb_upload_is_refused_without_parsing(unodc_person):
    # given a request announcing 200 MB (the cap is 20 MB): the body is never parsed
    client = signed_in(unodc_person)
    response = client.generic(
        "POST", "/projects/import/iati/", b"--x--\r\n",
        content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(200 * 1024 * 1024),
    )  # fmt: skip
    assert response.status_code == 413
    assert "The file is larger than 20 MB" in " ".join(messages(response))


def test_another_person_cannot_see_or_use_someones_staged_file(unodc_person, make_user):
    url = staged_url(upload(signed_in(unodc_person), PORTFOLIO))
    other = signed_in(make_user("other@example.org", organization=organization("entity:UNODC")))
    assert other.get(url).status_code == 404
    assert other.post(url, {"activity": ["1"]}).status_code == 404
    assert not Project.objects.exists()


def test_the_page_reads_in_a_constant_number_of_queries(unodc_person):
    client = signed_in(unodc_person)
    small = staged_url(upload(client, PORTFOLIO))
    many = iati_file(*(activity(f"XM-DAC-41114-{n}", f"Activity {n}") for n in range(150)))
    large = staged_url(upload(client, many))
    client.get(small)
    with CaptureQueriesContext(connection) as few:
        client.get(small)
    with CaptureQueriesContext(connection) as more:
        client.get(large)
    assert len(more.captured_queries) == len(few.captured_queries)


def test_our_iati_export_reads_back_through_the_import_as_the_same_project(unodc_person):
    # given a UNODC project published to IATI, in euros, for Kenya and Niger, on one theme
    project = make_project(
        "Border security in East Africa", iati_identifier="XM-DAC-41114-EA-1", countries=["KEN", "NER"],
        themes=["Border management and law enforcement"], status="ongoing", start=date(2025, 1, 1),
        end=date(2027, 12, 31), currency="EUR", budget="1000000", usd_rate="1.085",
        rate_date=date(2025, 1, 1), description="Training border police.", sdg_targets=["16.4"],
    )  # fmt: skip
    client = signed_in(unodc_person)
    # when its lead exports the list as IATI XML and imports that file again
    exported = client.get(f"/projects/export/?format=iati&lead={project.owner_id}")
    assert exported.status_code == 200
    url = staged_url(upload(client, exported.content, rates="EUR 1.085"))
    page = client.get(url)
    assert "updates the project imported before" in words(page)
    client.post(url, {"activity": [number_of(page, "XM-DAC-41114-EA-1")]})
    # then the import read every field back as it was written: still one project, nothing changed
    assert Project.objects.count() == 1
    again = Project.objects.get()
    assert (again.pk, again.title, again.description) == (project.pk, project.title, project.description)
    assert again.countries == ["KEN", "NER"]
    assert (again.start, again.end, again.status) == (project.start, project.end, project.status)
    assert (again.budget, again.currency, again.budget_usd) == (
        Decimal("1000000"),
        "EUR",
        Decimal("1085000.00"),
    )
    assert list(again.themes.values_list("name", flat=True)) == ["Border management and law enforcement"]
    assert again.sdg_targets == ["16.4"]
