"""Importing projects from a spreadsheet (XLSX or CSV): the preview lists every row with its errors and saves
nothing; the uploader saves every row only if all are valid, or chooses to save only the valid ones; a file
that cannot be imported says why, never a server error; a staged import is its uploader's alone."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tables import csv_bytes
from projects.models import Project, ProjectImport
from tests.conftest import organization, signed_in
from tests.pages import messages, parse, table, words
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db

HEADER = [
    "Title", "Code", "Lead entity", "Countries", "Themes", "Partner entities", "Start", "End", "Status",
    "Budget", "Currency", "USD rate", "Rate date", "Pillars", "SDG targets", "Donors",
]  # fmt: skip


def row(title="Border security in the Sahel", **changes) -> list[str]:
    values = {
        "Title": title, "Code": "", "Lead entity": "UNODC", "Countries": "MLI; Niger",
        "Themes": "Border management and law enforcement", "Partner entities": "UNDP", "Start": "2025-01-01",
        "End": "2027-12-31", "Status": "ongoing", "Budget": "1000000", "Currency": "EUR", "USD rate": "1.085",
        "Rate date": "2025-01-02", "Pillars": "2; 4", "SDG targets": "16.4; 16.a", "Donors": "DEU",
    }  # fmt: skip
    values.update({key.replace("_", " "): value for key, value in changes.items()})
    return [values[column] for column in HEADER]


def csv_file(rows, header=HEADER, name="projects.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(header, rows), content_type="text/csv")


def upload(client, file, visibility="platform"):
    return client.post("/projects/import/", {"file": file, "visibility": visibility})


def staged_url(response) -> str:
    assert response.status_code == 302, messages(response) or response.content[:2000]
    return response["Location"]


def test_the_template_downloads_and_reads_back(unodc_person):
    client = signed_in(unodc_person)
    # given the template downloaded as a workbook (its example row is a valid UNODC project)
    template = client.get("/projects/import/template.xlsx")
    assert template.status_code == 200
    assert template["Content-Disposition"] == 'attachment; filename="projects-import.xlsx"'
    # when it is uploaded as it is
    preview = client.get(staged_url(upload(client, SimpleUploadedFile("t.xlsx", template.content))))
    # then its one row is valid, and nothing is saved yet
    assert "1 valid, 0 with errors." in words(preview)
    assert not Project.objects.exists()
    assert client.get("/projects/import/template.csv")["Content-Type"].startswith("text/csv")
    assert client.get("/projects/import/template.pdf").status_code == 404


def test_a_valid_file_is_saved_whole_with_its_links_index_and_audit(unodc_person):
    client = signed_in(unodc_person)
    # given a file of two valid rows, uploaded and previewed
    url = staged_url(upload(client, csv_file([row(), row("Victims' support", Code="V-1", Currency="USD")])))
    preview = client.get(url)
    assert "2 valid, 0 with errors." in words(preview)
    # when the uploader saves every row
    response = client.post(url, {"action": "save_all"})
    # then both projects exist, with their budgets in dollars, links, facet keys, and the audit trail
    assert response.status_code == 302
    sahel = Project.objects.get(title="Border security in the Sahel")
    assert sahel.owner == organization("entity:UNODC")
    assert sahel.author == unodc_person
    assert sahel.countries == ["MLI", "NER"]
    assert sahel.budget_usd == Decimal("1085000.00")
    assert sahel.rate_date == date(2025, 1, 2)
    assert sahel.sdg_targets == ["16.4", "16.a"]
    assert [p.number for p in sahel.pillars.order_by("number")] == [2, 4]
    assert list(sahel.partners.values_list("acronym", flat=True)) == ["UNDP"]
    assert list(sahel.donors.values_list("iso3", flat=True)) == ["DEU"]
    assert "country:MLI" in sahel.facet_keys
    assert "pillar:" + str(sahel.pillars.first().pk) in sahel.facet_keys
    assert Project.objects.get(code="V-1").budget_usd == Decimal("1000000")
    events = Project.pgh_event_model.objects.filter(pgh_obj_id=sahel.pk, pgh_label="insert")
    assert events.count() == 1
    partner_events = Project.partners.through.pgh_event_model if hasattr(
        Project.partners.through, "pgh_event_model") else None  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM projects_projectpartnerevent WHERE project_id = %s", [sahel.pk])
        assert cursor.fetchone()[0] == 1, partner_events
    assert "Import saved: 2 projects added, 0 updated." in words(client.get("/projects/"))
    # and the list finds it by search
    assert "Border security in the Sahel" in words(client.get("/projects/?q=sahel"))


def test_the_preview_lists_each_rows_errors_and_saves_nothing(unodc_person):
    client = signed_in(unodc_person)
    # given a file with one valid row and rows with every kind of row error
    rows = [
        row(),
        row("Wrong currency", Currency="XYZ"),
        row("Negative", Budget="-5"),
        row("Backwards", Start="2026-01-01", End="2025-01-01"),
        row("Nowhere", Countries="Atlantis; MLI"),
        row("Stranger", **{"Lead entity": "Nobody Org"}),
        row("Not theirs", **{"Lead entity": "UNDP"}),
        row("No theme", Themes="Astrology"),
        row("", Code="NO-TITLE"),
    ]
    url = staged_url(upload(client, csv_file(rows)))
    # when the preview opens
    preview = client.get(url)
    # then every row is listed with its number, column and message; unknown names are named
    text = words(preview)
    assert "1 valid, 8 with errors." in text
    errors = {
        cells[0].text(): cells[-1].text()
        for cells in (tr.all("th") + tr.all("td") for tr in table(preview, "Rows of the file").all("tr")[1:])
    }
    assert errors["2"] == "Valid"
    assert "Currency: Select a valid choice. XYZ is not one of the available choices." in errors["3"]
    assert "Budget: Ensure this value is greater than or equal to 0." in errors["4"]
    assert "End: The end comes before the start." in errors["5"]
    assert "Countries: Unknown countries: Atlantis." in errors["6"]
    assert "Lead entity: No organisation on the platform is called Nobody Org." in errors["7"]
    assert (
        "Lead entity: You may add projects only for your own organisations, and UNDP is not one"
        in errors["8"]
    )
    assert "Themes: Unknown themes: Astrology." in errors["9"]
    assert "Title: This field is required." in errors["10"]
    assert "8 rows have errors." in " ".join(messages(preview))
    # and nothing is saved
    assert not Project.objects.exists()
    # when the uploader asks to save every row
    refused = client.post(url, {"action": "save_all"})
    # then nothing is saved, and the page says why and offers the choice
    assert refused.status_code == 200
    assert "8 rows have errors: nothing was saved." in " ".join(messages(refused))
    assert not Project.objects.exists()
    # when the uploader explicitly chooses to save only the valid rows
    client.post(url, {"action": "save_valid"})
    # then only the valid one is saved
    assert list(Project.objects.values_list("title", flat=True)) == ["Border security in the Sahel"]


def test_a_post_without_a_choice_saves_nothing(unodc_person):
    client = signed_in(unodc_person)
    url = staged_url(upload(client, csv_file([row()])))
    # when the preview is posted without an action, or with an unknown one
    for body in ({}, {"action": "save_everything"}):
        response = client.post(url, body)
        # then nothing is saved, with a message
        assert response.status_code == 200
        assert "Choose to save every row or only the valid rows." in " ".join(messages(response))
    assert not Project.objects.exists()


def test_codes_and_identifiers_are_unique_across_the_file_and_the_database(unodc_person):
    make_project("Existing", code="TAKEN")
    make_project("Of UNDP", lead="entity:UNDP", iati_identifier="XM-DAC-1-UNDP")
    client = signed_in(unodc_person)
    header = [*HEADER, "IATI identifier"]
    rows = [
        [*row("A", Code="SAME"), ""],
        [*row("B", Code="SAME"), ""],
        [*row("C", Code="TAKEN"), ""],
        [*row("D"), "XM-DAC-1-UNDP"],
    ]
    preview = client.get(staged_url(upload(client, csv_file(rows, header=header))))
    text = words(preview)
    assert "Code: Row 2 has the same code for UNODC." in text
    assert "Code: UNODC already has a project with the code TAKEN." in text
    assert "IATI identifier: A project of another lead entity has this IATI identifier" in text


def test_a_row_with_the_identifier_of_an_own_project_updates_it(unodc_person):
    project = make_project("Old title", iati_identifier="XM-DAC-41114-P-1", code="P-1")
    client = signed_in(unodc_person)
    header = [*HEADER, "IATI identifier"]
    url = staged_url(
        upload(client, csv_file([[*row("New title", Code="P-1"), "XM-DAC-41114-P-1"]], header=header))
    )
    assert "1 valid row updates a project already imported" in words(client.get(url))
    client.post(url, {"action": "save_all"})
    project.refresh_from_db()
    assert project.title == "New title"
    assert Project.objects.count() == 1
    assert list(project.partners.values_list("acronym", flat=True)) == ["UNDP"]


def test_a_workbook_with_typed_cells_is_read_as_written(unodc_person):
    from openpyxl import Workbook

    # given a workbook whose dates are date cells and amounts number cells
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "lead entity", "start", "end", "budget", "global"])
    sheet.append(["Typed", "unodc", datetime(2025, 3, 1), date(2026, 3, 1), 2500000.5, True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = signed_in(unodc_person)
    url = staged_url(upload(client, SimpleUploadedFile("typed.xlsx", buffer.getvalue())))
    client.post(url, {"action": "save_all"})
    project = Project.objects.get(title="Typed")
    assert (project.start, project.end, project.budget, project.is_global) == (
        date(2025, 3, 1),
        date(2026, 3, 1),
        Decimal("2500000.50"),
        True,
    )


def many_rows(count: int) -> bytes:
    lines = ["Title,Lead entity,Countries,Budget"] + [f"Project {n},UNODC,MLI,{n}" for n in range(count)]
    return "\n".join(lines).encode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty."),
        ("blank.csv", b"\n\n,,\n", "The file is empty."),
        (
            "header.csv",
            b"Title,Lead entity\n",
            "The file has its header row but no rows under it.",
        ),
        ("wrong.csv", b"Name,Owner,Money\nA,UNODC,1\n", "Unknown columns: Name, Owner, Money."),
        ("missing.csv", b"Title,Budget\nA,1\n", "these are missing: Lead entity."),
        ("twice.csv", b"Title,Lead entity,title\nA,UNODC,B\n", "The column Title appears twice."),
        ("extra.csv", b"Title,Lead entity\nA,UNODC,surprise\n", "Row 2 has values beyond the last column"),
        ("big.csv", many_rows(50_000), "The file has more than 10,000 rows."),
        ("fake.xlsx", b"%PDF-1.7\n%fake pdf", "This file is a PDF document."),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "This type of file is not accepted."),
        ("latin1.csv", "Title,Lead entity\nCaf\xe9,UNODC\n".encode("latin-1"), "Text files must be in UTF-8"),
        ("page.csv", b"<html><script>alert(1)</script></html>", "markup files are not accepted"),
        ("prog.csv", b"MZ\x90\x00" + b"\x00" * 100, "programs are not accepted"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_and_stages_nothing(unodc_person, name, content, message):
    client = signed_in(unodc_person)
    # when such a file is uploaded
    response = upload(client, SimpleUploadedFile(name, content))
    # then the form says why, and nothing is staged or saved
    assert response.status_code == 200
    assert message in words(response)
    assert not ProjectImport.objects.exists()
    assert not Project.objects.exists()


def test_a_damaged_workbook_says_so(unodc_person):
    # given a ZIP that claims to be a workbook but whose sheet is not XML
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "not xml at all")
    response = upload(signed_in(unodc_person), SimpleUploadedFile("bad.xlsx", buffer.getvalue()))
    assert response.status_code == 200
    assert "This workbook could not be read." in words(response)


def test_an_oversized_upload_is_refused_before_it_is_read(unodc_person, settings):
    settings.PROJECTS_IMPORT_MAX_MB = 1
    client = signed_in(unodc_person)
    # when a file over the cap is uploaded
    response = upload(
        client, SimpleUploadedFile("huge.csv", b"Title,Lead entity\n" + b"x" * (2 * 1024 * 1024))
    )
    # then the page says the cap, and nothing is staged
    assert response.status_code == 413
    assert "The file is larger than 1 MB" in " ".join(messages(response))
    assert not ProjectImport.objects.exists()


def test_someone_without_an_organisation_is_told_why(make_user, compact):
    outsider = make_user("nobody@example.org")
    response = upload(signed_in(outsider), csv_file([row()]))
    assert response.status_code == 200
    assert "you are not a member of any" in words(response)
    assert not ProjectImport.objects.exists()


def test_another_person_cannot_see_or_save_someones_staged_import(unodc_person, make_user):
    colleague = make_user("colleague@example.org", organization=organization("entity:UNODC"))
    url = staged_url(upload(signed_in(unodc_person), csv_file([row()])))
    other = signed_in(colleague)
    # when someone else (even of the same organisation) opens or posts the token
    assert other.get(url).status_code == 404
    assert other.post(url, {"action": "save_all"}).status_code == 404
    # then nothing is saved, and the token answers like one that never existed
    assert not Project.objects.exists()
    assert other.get("/projects/import/no-such-token/").status_code == 404
    assert signed_in(unodc_person).get(url).status_code == 200


def test_a_saved_import_is_not_saved_twice(unodc_person):
    client = signed_in(unodc_person)
    url = staged_url(upload(client, csv_file([row()])))
    client.post(url, {"action": "save_all"})
    again = client.post(url, {"action": "save_all"})
    assert again.status_code == 302
    assert Project.objects.count() == 1


def test_the_preview_reads_in_a_constant_number_of_queries(unodc_person):
    client = signed_in(unodc_person)
    small = staged_url(upload(client, csv_file([row(f"P{n}") for n in range(3)])))
    large = staged_url(upload(client, csv_file([row(f"P{n}", Currency="XYZ") for n in range(250)])))
    client.get(small)  # the session and the user's context warmed alike
    with CaptureQueriesContext(connection) as few:
        client.get(small)
    with CaptureQueriesContext(connection) as many:
        page = client.get(large + "?page=2")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(parse(page).first("tbody").all("tr")) == 100


def test_saving_is_bulk_whatever_the_number_of_rows(unodc_person):
    client = signed_in(unodc_person)
    counts = []
    for size in (20, 120):
        url = staged_url(upload(client, csv_file([row(f"{size}-{n}") for n in range(size)])))
        with CaptureQueriesContext(connection) as queries:
            client.post(url, {"action": "save_all"})
        counts.append(len(queries.captured_queries))
    assert Project.objects.count() == 140
    assert counts[0] == counts[1]
