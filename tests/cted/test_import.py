"""CTED imports an existing table of recommendations from a spreadsheet: the preview lists every row with its
errors (row numbers as in the file) or what it will add, and saves nothing; CTED saves every row only if all
are valid, or chooses to save only the valid ones; a file that cannot be imported says why, never a server
error; the import is CTED's alone, and a staged import its uploader's."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.tables import csv_bytes
from cted.models import Recommendation, RecommendationImport, StatusChange
from tests.conftest import organization, signed_in
from tests.pages import messages, parse, table, words
from tests.projects.conftest import theme

pytestmark = pytest.mark.django_db

HEADER = [
    "Member State", "Visit date", "Thematic area", "Recommendation", "Priority", "Assistance status",
    "Implementation status", "Entities that could deliver",
]  # fmt: skip
BORDERS = "Border management and law enforcement"


def row(text="Establish an advance passenger information system", **changes) -> list[str]:
    values = {
        "Member State": "Kenya", "Visit date": "2025-03-03", "Thematic area": BORDERS,
        "Recommendation": text, "Priority": "", "Assistance status": "", "Implementation status": "",
        "Entities that could deliver": "",
    }  # fmt: skip
    values.update({key.replace("_", " "): value for key, value in changes.items()})
    return [values[column] for column in HEADER]


def csv_file(rows, header=HEADER, name="recommendations.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(header, rows), content_type="text/csv")


def upload(client, file):
    return client.post("/assessments/import/", {"file": file})


def staged_url(response) -> str:
    assert response.status_code == 302, messages(response) or response.content[:2000]
    return response["Location"]


def errors_of(page) -> dict[str, str]:
    """Row number → the text of its errors' cell, for the rows with errors."""
    found = {}
    for line in table(page, "Rows of the file").first("tbody").all("tr"):
        if "table-danger" in (line.attrs.get("class") or ""):
            found[line.first("th").text()] = line.all("td")[0].text()
    return found


@pytest.fixture
def borders(db):
    return theme(BORDERS)


def test_the_template_downloads_and_reads_back(cted_person, kenya, borders):
    client = signed_in(cted_person)
    # given the template downloaded as a workbook (its example row names Kenya's visit of 3 March 2025)
    template = client.get("/assessments/import/template.xlsx")
    assert template.status_code == 200
    assert template["Content-Disposition"] == 'attachment; filename="recommendations-import.xlsx"'
    # when it is uploaded as it is
    preview = client.get(staged_url(upload(client, SimpleUploadedFile("t.xlsx", template.content))))
    # then its one row is valid and says what it adds, and nothing is saved yet
    assert "1 valid, 0 with errors." in words(preview)
    assert "Kenya, comprehensive visit of" in words(preview)
    assert Recommendation.objects.count() == 3
    assert client.get("/assessments/import/template.csv")["Content-Type"].startswith("text/csv")
    assert client.get("/assessments/import/template.pdf").status_code == 404


def test_a_valid_file_is_saved_with_its_statuses_entities_and_audit(cted_person, kenya, borders):
    client = signed_in(cted_person)
    # given headers written loosely and rows naming the State by code, priority as "x", entities by comma
    header = ["MEMBER STATE", "visit_date", "Thématic area", "Récommendation", "priority",
              "Implementation status", "Entities that could deliver"]  # fmt: skip
    rows = [
        ["ken", "2025-03-03", BORDERS, "Adopt a national API/PNR law", "x", "In progress", "UNODC, UNDP"],
        ["Kenya", "2025-03-03", "", "=cmd|' /C calc'!A0", "", "", ""],
    ]
    url = staged_url(upload(client, csv_file(rows, header=header, name="ta-matrix.csv")))
    preview = client.get(url)
    assert "2 valid, 0 with errors." in words(preview)
    # when CTED saves every row
    response = client.post(url, {"action": "save_all"})
    # then both recommendations are Kenya's, with their theme, priority, status, entities and audit trail
    assert response.status_code == 302
    law = Recommendation.objects.get(text="Adopt a national API/PNR law")
    assert law.assessment == kenya.assessment
    assert law.theme == borders
    assert law.is_priority
    assert law.implementation_status == "in_progress"
    assert law.assistance_status == "requested"
    assert {org.acronym for org in law.entities.all()} == {"UNODC", "UNDP"}
    change = StatusChange.objects.get(recommendation=law)
    assert (change.kind, change.old, change.new) == ("implementation", "open", "in_progress")
    assert change.reason == "Imported from ta-matrix.csv"
    assert change.changed_by == cted_person
    assert Recommendation.pgh_event_model.objects.filter(pgh_obj_id=law.pk, pgh_label="insert").count() == 1
    # a formula-looking cell is kept as the text it is, and a default status records no change
    formula = Recommendation.objects.get(text="=cmd|' /C calc'!A0")
    assert not formula.is_priority
    assert formula.theme is None
    assert not StatusChange.objects.filter(recommendation=formula).exists()
    # and the list says how many were added; the assessment shows them
    assert "Import saved: 2 recommendations added." in words(client.get("/assessments/"))
    assert "Adopt a national API/PNR law" in words(client.get(f"/assessments/{kenya.assessment.pk}/"))


def test_the_preview_lists_each_rows_errors_and_saves_nothing(cted_person, kenya, borders):
    client = signed_in(cted_person)
    # given a file with one valid row and rows with every kind of row error (row 2 is the first under the
    # header)
    rows = [
        row(),  # 2
        row("Unknown State", **{"Member State": "Atlantis"}),  # 3
        row("No such visit", **{"Visit date": "2024-01-01"}),  # 4
        row("Far future", **{"Visit date": "9999-12-31"}),  # 5
        row("No such day", **{"Visit date": "31/02/2025"}),  # 6
        row("Superscript", **{"Visit date": "²"}),  # 7
        row("Astrology", **{"Thematic area": "Astrology"}),  # 8
        row(""),  # 9
        row("x" * 5_001),  # 10
        row("Maybe", Priority="maybe"),  # 11
        row("Matched already", **{"Assistance status": "Matched"}),  # 12
        row("Done", **{"Implementation status": "done"}),  # 13
        row("Nobody delivers", **{"Entities that could deliver": "UNODC; Nobody Org"}),  # 14
        row(),  # 15: the same as row 2
        row(kenya.training.text.upper()),  # 16: already recorded (case does not count)
        row("Provided", **{"Assistance status": "provided"}),  # 17
    ]
    url = staged_url(upload(client, csv_file(rows)))
    # when the preview opens
    preview = client.get(url)
    # then it counts the rows and lists each row's errors next to it, by the row's number in the file
    assert "16 rows: 1 valid, 15 with errors." in words(preview)
    errors = errors_of(preview)
    assert set(errors) == {str(number) for number in range(3, 18)}
    assert "No Member State is called Atlantis." in errors["3"]
    assert "No assessment of Kenya with a visit starting on" in errors["4"]
    assert "2024" in errors["4"]
    assert "No assessment of Kenya with a visit starting on" in errors["5"]
    assert "9999" in errors["5"]
    assert "Write the first day of the visit as a date, YYYY-MM-DD" in errors["6"]
    assert "Write the first day of the visit as a date, YYYY-MM-DD" in errors["7"]
    assert "Unknown thematic area: Astrology. The thematic areas are:" in errors["8"]
    assert BORDERS in errors["8"]
    assert "Write the recommendation." in errors["9"]
    assert "At most 5000 characters (it has 5001)" in errors["10"]
    assert "Write yes or no, not maybe." in errors["11"]
    assert (
        "“Matched” is recorded on the platform, when a project that answers the need is linked"
        in errors["12"]
    )
    assert "Not a status: done. Write one of: Open, In progress, Implemented, Closed" in errors["13"]
    assert "No Compact entity is called: Nobody Org." in errors["14"]
    assert "Row 2 has the same recommendation for this assessment" in errors["15"]
    assert "This recommendation is already recorded for this assessment." in errors["16"]
    assert "“Provided” is recorded on the platform" in errors["17"]
    # and the valid row says what it will add
    assert "Valid: will be added" in words(preview)
    assert Recommendation.objects.count() == 3
    # when CTED asks to save every row
    refused = client.post(url, {"action": "save_all"})
    # then nothing is saved, and the page says why
    assert refused.status_code == 200
    assert "15 rows have errors: nothing was saved." in " ".join(messages(refused))
    assert Recommendation.objects.count() == 3
    # when CTED saves only the valid rows
    saved = client.post(url, {"action": "save_valid"})
    # then only the valid row is added, and the message says how many were left out
    assert saved.status_code == 302
    assert Recommendation.objects.count() == 4
    said = words(client.get("/assessments/"))
    assert "Import saved: 1 recommendation added. 15 rows with errors were left out." in said


def test_a_post_without_a_choice_saves_nothing(cted_person, kenya, borders):
    client = signed_in(cted_person)
    url = staged_url(upload(client, csv_file([row()])))
    response = client.post(url, {"action": "everything"})
    assert response.status_code == 200
    assert "Choose to save every row or only the valid rows." in " ".join(messages(response))
    assert Recommendation.objects.count() == 3


def many_rows(count: int) -> bytes:
    lines = ["Member State,Visit date,Recommendation"] + [f"Kenya,2025-03-03,Need {n}" for n in range(count)]
    return "\n".join(lines).encode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty."),
        ("blank.csv", b"\n\n,,\n", "The file is empty."),
        (
            "header.csv",
            b"Member State,Visit date,Recommendation\n",
            "The file has its header row but no rows",
        ),
        ("wrong.csv", b"Country,When,What\nKenya,2025,A\n", "Unknown columns: Country, When, What."),
        ("missing.csv", b"Member State,Recommendation\nKenya,A\n", "these are missing: Visit date."),
        ("big.csv", many_rows(10_001), "The file has more than 10,000 rows."),
        ("image.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "This file is a PNG image."),
        ("fake.csv", b"%PDF-1.7\n%fake pdf", "This file is a PDF document."),
        ("prog.csv", b"MZ\x90\x00" + b"\x00" * 100, "programs are not accepted"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_and_stages_nothing(
    cted_person, kenya, name, content, message
):
    client = signed_in(cted_person)
    # when such a file is uploaded
    response = upload(client, SimpleUploadedFile(name, content))
    # then the form says why, next to the field, and nothing is staged or saved
    assert response.status_code == 200
    assert message in words(response)
    field = parse(response).first("input", type="file")
    assert field.attrs.get("aria-invalid") == "true"
    assert not RecommendationImport.objects.exists()
    assert Recommendation.objects.count() == 3


def test_an_oversized_upload_is_refused_before_it_is_read(cted_person, settings):
    settings.PROJECTS_IMPORT_MAX_MB = 1
    response = upload(
        signed_in(cted_person), SimpleUploadedFile("huge.csv", b"Member State\n" + b"x" * (2 * 1024 * 1024))
    )
    assert response.status_code == 413
    assert "The file is larger than 1 MB" in " ".join(messages(response))
    assert not RecommendationImport.objects.exists()


def test_the_import_is_cteds_and_a_staged_import_its_uploaders(cted_person, kenya, borders, make_user):
    url = staged_url(upload(signed_in(cted_person), csv_file([row()])))
    kenyan = signed_in(make_user("focal@kenya.example", organization=organization("state:KEN")))
    # when the State's focal point (who sees the assessment) opens the import's pages or posts to them
    for page in ("/assessments/import/", "/assessments/import/template.xlsx", url):
        assert kenyan.get(page).status_code == 403
    assert upload(kenyan, csv_file([row("Not theirs")])).status_code == 403
    assert kenyan.post(url, {"action": "save_all"}).status_code == 403
    # and when a colleague at CTED opens or posts the token
    colleague = signed_in(make_user("colleague@cted.example", organization=organization("entity:CTED")))
    assert colleague.get(url).status_code == 404
    assert colleague.post(url, {"action": "save_all"}).status_code == 404
    assert colleague.get("/assessments/import/no-such-token/").status_code == 404
    # then nothing is saved; its uploader still reaches it
    assert Recommendation.objects.count() == 3
    assert signed_in(cted_person).get(url).status_code == 200
    # and only CTED's list offers the import
    assert "Import recommendations" in words(signed_in(cted_person).get("/assessments/"))
    assert "Import recommendations" not in words(kenyan.get("/assessments/"))


def test_a_saved_import_is_not_saved_twice(cted_person, kenya, borders):
    client = signed_in(cted_person)
    url = staged_url(upload(client, csv_file([row()])))
    client.post(url, {"action": "save_all"})
    again = client.post(url, {"action": "save_all"})
    assert again.status_code == 302
    assert Recommendation.objects.count() == 4
    assert "This import was saved already." in words(client.get("/assessments/"))


def test_the_preview_reads_in_a_constant_number_of_queries(
    cted_person, kenya, borders, django_assert_max_num_queries
):
    client = signed_in(cted_person)
    small = staged_url(upload(client, csv_file([row(f"Need {n}") for n in range(3)])))
    large = staged_url(upload(client, csv_file([row(f"Need {n}", Priority="maybe") for n in range(250)])))
    client.get(small)  # the session and the user's context warmed alike
    with django_assert_max_num_queries(12) as few:
        client.get(small)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(large + "?page=2")
    assert len(parse(page).first("tbody").all("tr")) == 100


def test_saving_is_bulk_whatever_the_number_of_rows(
    cted_person, kenya, borders, django_assert_max_num_queries
):
    client = signed_in(cted_person)
    rows = [row(f"Need {n}", **{"Implementation status": "closed", "Entities that could deliver": "UNODC"})
            for n in range(200)]  # fmt: skip
    url = staged_url(upload(client, csv_file(rows)))
    with django_assert_max_num_queries(40):
        response = client.post(url, {"action": "save_all"})
    assert response.status_code == 302
    assert Recommendation.objects.count() == 203
    assert StatusChange.objects.filter(reason="Imported from recommendations.csv").count() == 200
