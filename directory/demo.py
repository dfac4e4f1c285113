"""The registry's part of ``seed_demo``: one demo account per role, in real Compact organisations, and some
sixty invented focal points across Compact entities, Member States of every region and regional
organisations, each with a directory profile.

Every person, name and number here is invented; addresses are on the reserved ``example`` domain (mail to
them can never reach anyone). Running it again updates these people in place: people are matched on their
email address, memberships on (person, organisation, role), and roles no longer listed here are ended.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from core.demo import DEMO_EMAIL_DOMAIN, DemoRun
from directory.models import (
    SECRETARIAT_GROUP,
    AccessRequest,
    AccessRequestStatus,
    ContactVisibility,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    MembershipRole,
    Organization,
    Pillar,
    Profile,
    User,
)
from directory.people import refresh_search_index

#: role key -> (label, local part of the email, full name, organisation reference key, membership role)
DEMO_ACCOUNTS = {
    "secretariat": (
        "Secretariat (UNOCT)",
        "secretariat",
        "Amina Rahman",
        "entity:UNOCT",
        MembershipRole.FOCAL_POINT,
    ),
    "entity_focal_point": (
        "Entity focal point (UNODC)",
        "focal.unodc",
        "Lucas Moreau",
        "entity:UNODC",
        MembershipRole.FOCAL_POINT,
    ),
    "state_focal_point": (
        "Member State focal point (Kenya)",
        "focal.kenya",
        "Wanjiru Kamau",
        "state:KEN",
        MembershipRole.FOCAL_POINT,
    ),
    "regional_focal_point": (
        "Regional organisation focal point (AU)",
        "focal.au",
        "Kwame Mensah",
        "regional:AU",
        MembershipRole.FOCAL_POINT,
    ),
    "wg_chair": (
        "WG chair (CTED, chair of WG 2)",
        "chair.cted",
        "Elena Petrova",
        "entity:CTED",
        MembershipRole.FOCAL_POINT,
    ),
    "organization_admin": (
        "Organisation admin (UNDP)",
        "admin.undp",
        "Carlos Mendes",
        "entity:UNDP",
        MembershipRole.ORGANIZATION_ADMIN,
    ),
}

#: Where people work: ISO 3166 alpha-3 -> (time zone, office phone, mobile phone); ``{n}`` is four digits.
PLACES = {
    "ARG": ("America/Argentina/Buenos_Aires", "+54 11 4819 {n}", "+54 9 11 5921 {n}"),
    "AUT": ("Europe/Vienna", "+43 1 26060 {n}", "+43 664 813 {n}"),
    "BEL": ("Europe/Brussels", "+32 2 209 {n}", "+32 475 61 {n}"),
    "BRA": ("America/Sao_Paulo", "+55 61 2030 {n}", "+55 61 98142 {n}"),
    "CAN": ("America/Toronto", "+1 514 954 {n}", "+1 438 555 {n}"),
    "CHE": ("Europe/Zurich", "+41 22 917 {n}", "+41 79 442 {n}"),
    "COL": ("America/Bogota", "+57 601 381 {n}", "+57 310 555 {n}"),
    "DJI": ("Africa/Djibouti", "+253 21 35 {n}", "+253 77 80 {n}"),
    "ESP": ("Europe/Madrid", "+34 91 379 {n}", "+34 612 34 {n}"),
    "ETH": ("Africa/Addis_Ababa", "+251 11 551 {n}", "+251 911 52 {n}"),
    "FRA": ("Europe/Paris", "+33 1 45 68 {n}", "+33 6 12 84 {n}"),
    "GBR": ("Europe/London", "+44 20 7735 {n}", "+44 7700 900 {n}"),
    "GEO": ("Asia/Tbilisi", "+995 32 294 {n}", "+995 599 12 {n}"),
    "IDN": ("Asia/Jakarta", "+62 21 726 {n}", "+62 812 8810 {n}"),
    "ITA": ("Europe/Rome", "+39 011 653 {n}", "+39 347 210 {n}"),
    "JPN": ("Asia/Tokyo", "+81 3 5501 {n}", "+81 90 3381 {n}"),
    "KEN": ("Africa/Nairobi", "+254 20 762 {n}", "+254 722 51 {n}"),
    "MAR": ("Africa/Casablanca", "+212 537 76 {n}", "+212 661 48 {n}"),
    "MEX": ("America/Mexico_City", "+52 55 3686 {n}", "+52 55 1934 {n}"),
    "NGA": ("Africa/Lagos", "+234 9 523 {n}", "+234 803 455 {n}"),
    "NLD": ("Europe/Amsterdam", "+31 70 416 {n}", "+31 6 2814 {n}"),
    "NOR": ("Europe/Oslo", "+47 23 95 {n}", "+47 412 5 {n}"),
    "PAK": ("Asia/Karachi", "+92 51 921 {n}", "+92 300 851 {n}"),
    "PHL": ("Asia/Manila", "+63 2 8834 {n}", "+63 917 803 {n}"),
    "POL": ("Europe/Warsaw", "+48 22 523 {n}", "+48 601 33 {n}"),
    "QAT": ("Asia/Qatar", "+974 4433 {n}", "+974 5581 {n}"),
    "ROU": ("Europe/Bucharest", "+40 21 431 {n}", "+40 722 31 {n}"),
    "SAU": ("Asia/Riyadh", "+966 12 651 {n}", "+966 55 812 {n}"),
    "SEN": ("Africa/Dakar", "+221 33 859 {n}", "+221 77 64 {n}"),
    "THA": ("Asia/Bangkok", "+66 2 288 {n}", "+66 81 925 {n}"),
    "TTO": ("America/Port_of_Spain", "+1 868 623 {n}", "+1 868 555 {n}"),
    "USA": ("America/New_York", "+1 212 963 {n}", "+1 917 555 {n}"),
    "UZB": ("Asia/Tashkent", "+998 71 233 {n}", "+998 90 351 {n}"),
    "ZAF": ("Africa/Johannesburg", "+27 12 351 {n}", "+27 82 555 {n}"),
}


@dataclass(frozen=True)
class DemoPerson:
    organization: str  # reference key
    name: str
    job_title: str
    roles: str  # membership roles, space-separated
    languages: str  # codes, space-separated
    themes: tuple[str, ...]
    pillars: tuple[int, ...]
    country: str  # where they work (ISO 3166 alpha-3)
    preferred_name: str = ""


P = DemoPerson
FP, ALT, ADMIN = "focal_point", "alternate", "organization_admin"

#: Invented focal points. Several work for the organisations that lead Working Groups (CTED, UNOCT, UNODC,
#: WCO, INTERPOL); Member States come from all five regional groups.
DEMO_PEOPLE = [
    # --- Compact entities -----------------------------------------------------------------------------------
    P("entity:UNOCT", "Sofía Castillo Ruiz", "Coordination Officer, Compact Secretariat", f"{FP} {ADMIN}",
      "en es fr", ("inter-agency coordination", "strategic planning"), (3,), "USA"),
    P("entity:UNOCT", "Rahul Venkataraman", "Programme Management Officer, UN Counter-Terrorism Centre", ALT,
      "en hi", ("victims of terrorism", "strategic communications"), (1, 4), "USA"),
    P("entity:UNOCT", "Fatima Zahra Bennani",
      "Programme Officer, Global Programme on Countering the Financing of Terrorism", FP,
      "ar fr en", ("countering the financing of terrorism",), (2,), "QAT"),
    P("entity:CTED", "Jean-Baptiste Nkurunziza", "Legal Officer, Assessment Team for Africa", FP,
      "fr en", ("country assessments", "criminal justice"), (2, 4), "USA"),
    P("entity:CTED", "Hannah Lindqvist", "Senior Political Affairs Officer", ALT,
      "en de", ("border security", "biometrics"), (2,), "USA"),
    P("entity:CTED", "Rashid Al-Khatib", "Legal Officer, Assessment Team for the Middle East", FP,
      "ar en fr", ("country assessments", "human rights"), (4,), "USA"),
    P("entity:UNODC", "Aigerim Seitkali",
      "Crime Prevention and Criminal Justice Officer, Terrorism Prevention Branch", FP,
      "ru en", ("criminal justice", "foreign terrorist fighters"), (2, 3), "AUT"),
    P("entity:UNODC", "Moussa Diallo", "Regional Counter-Terrorism Adviser for West and Central Africa", FP,
      "fr en", ("legal assistance", "prisons"), (3,), "SEN"),
    P("entity:UNODC", "Ploy Srisuwan", "Programme Officer, Container Control Programme", ALT,
      "en", ("maritime security", "border security"), (2,), "THA", "Ploy"),
    P("entity:UNODC", "Martina Kovačević", "Programme Officer, Global Firearms Programme", ALT,
      "en de it", ("small arms and light weapons",), (), "AUT"),
    P("entity:UNDP", "Grace Achieng Otieno", "Policy Specialist, Prevention of Violent Extremism", FP,
      "en sw", ("prevention of violent extremism", "youth"), (1,), "KEN", "Grace"),
    P("entity:OHCHR", "Mariam Haddad", "Human Rights Officer, Rule of Law and Democracy Section", FP,
      "ar fr en", ("human rights", "civil society"), (4,), "CHE"),
    P("entity:UNESCO", "Théo Lambert",
      "Programme Specialist, Preventing Violent Extremism through Education", FP,
      "fr en es", ("education", "prevention of violent extremism"), (1,), "FRA"),
    P("entity:UN-WOMEN", "Nomvula Dlamini", "Policy Specialist, Women, Peace and Security", FP,
      "en", ("gender",), (1, 4), "USA"),
    P("entity:WCO", "Pieter Van den Berg", "Technical Officer, Security Programme", f"{FP} {ADMIN}",
      "en fr de", ("customs", "border security"), (2,), "BEL"),
    P("entity:WCO", "Yuki Tanaka", "Programme Manager, Security Programme", ALT,
      "ja en", ("customs", "small arms and light weapons"), (2,), "BEL"),
    P("entity:INTERPOL", "Andrés Villalobos",
      "Criminal Intelligence Officer, Counter-Terrorism Directorate", FP,
      "es en fr", ("foreign terrorist fighters", "biometrics"), (2,), "FRA"),
    P("entity:INTERPOL", "Tomasz Wiśniewski", "Specialized Officer, Counter-Terrorism Fusion Centre", ALT,
      "en ru", ("information sharing",), (), "FRA"),
    P("entity:ICAO", "Catherine Tremblay", "Aviation Security Officer", FP,
      "en fr", ("aviation security", "passenger data"), (2,), "CAN"),
    P("entity:IMO", "Kofi Asante-Boateng", "Technical Officer, Maritime Security Section", FP,
      "en", ("maritime security",), (2,), "GBR"),
    P("entity:UNICRI", "Giulia Ferraro", "Programme Officer, CBRN Risk Mitigation", FP,
      "it en fr", ("cbrn", "critical infrastructure"), (2, 3), "ITA"),
    P("entity:OPCW", "Dmitri Sokolov", "Senior Policy Officer, Office of Strategy and Policy", FP,
      "ru en", ("chemical security", "cbrn"), (2,), "NLD"),
    P("entity:WHO", "Priya Raghunathan", "Technical Officer, Health Security Preparedness", FP,
      "en hi", ("biological security", "public health"), (2,), "CHE"),
    P("entity:UNHCR", "Ahmad Karimi", "Senior Protection Officer", FP,
      "fa en", ("refugee protection", "human rights"), (4,), "CHE"),
    P("entity:UNICEF", "Isabela Nascimento", "Child Protection Specialist", FP,
      "pt es en", ("children", "rehabilitation and reintegration"), (1, 4), "USA"),
    P("entity:IOM", "Leila Benali", "Immigration and Border Management Specialist", FP,
      "ar fr en", ("border security", "migration"), (2,), "CHE"),
    P("entity:1267-MT", "Oliver Hastings", "Expert, Analytical Support and Sanctions Monitoring Team", FP,
      "en ar", ("sanctions", "countering the financing of terrorism"), (2,), "USA"),
    P("entity:DPPA", "Mei Ling Chen", "Political Affairs Officer", FP,
      "zh en", ("conflict prevention",), (1,), "USA"),
    P("entity:FATF", "Benoît Garnier", "Policy Analyst", FP,
      "fr en", ("countering the financing of terrorism",), (), "FRA"),
    P("entity:UNITAR", "Nadia Rahimova", "Training Specialist, Peacekeeping Training Programme", FP,
      "ru en", ("training",), (3,), "CHE"),
    P("entity:ODA", "Kenji Morita", "Political Affairs Officer, Weapons of Mass Destruction Branch", FP,
      "ja en", ("non-proliferation", "cbrn"), (2,), "USA"),
    P("entity:UNAOC", "Omar Farouk El-Sayed", "Programme Officer, Youth Solidarity Fund", FP,
      "ar en", ("youth", "intercultural dialogue"), (1,), "USA", "Omar"),
    P("entity:SR-CT", "Ana Lucía Paredes", "Human Rights Officer, Special Procedures Branch", FP,
      "es en", ("human rights", "civil society"), (4,), "CHE"),
    # --- Member States (all five regional groups) ---------------------------------------------------------
    P("state:KEN", "Brian Kiprotich Rotich", "Deputy Director, National Counter Terrorism Centre", ALT,
      "en sw", ("prevention of violent extremism", "border security"), (1, 2), "KEN", "Brian"),
    P("state:NGA", "Chiamaka Eze", "Assistant Director, Office of the National Security Adviser", FP,
      "en ha", ("prevention of violent extremism", "rehabilitation and reintegration"), (1,), "NGA"),
    P("state:NGA", "Ibrahim Musa Abubakar", "Counsellor, Permanent Mission of Nigeria to the United Nations",
      ALT, "en ha ar", ("multilateral affairs",), (), "USA"),
    P("state:MAR", "Youssef El Amrani", "Director of Multilateral Affairs, Ministry of Foreign Affairs", FP,
      "ar fr en", ("multilateral affairs", "prevention of violent extremism"), (1,), "MAR"),
    P("state:SEN", "Aïssatou Sow", "Investigating Judge, Counter-Terrorism Judicial Unit", FP,
      "fr", ("criminal justice",), (2, 4), "SEN"),
    P("state:ZAF", "Thabo Nkosi",
      "Director, Counter-Terrorism, Department of International Relations and Cooperation", f"{FP} {ADMIN}",
      "en", ("countering the financing of terrorism", "legal assistance"), (2,), "ZAF"),
    P("state:IDN", "Dewi Kusumawati", "International Cooperation Officer, National Counter Terrorism Agency",
      FP, "id en", ("rehabilitation and reintegration", "prisons"), (1,), "IDN"),
    P("state:JPN", "Haruto Sato",
      "Deputy Director, International Counter-Terrorism Cooperation Division, Ministry of Foreign Affairs",
      FP, "ja en", ("aviation security",), (), "JPN"),
    P("state:PAK", "Ayesha Siddiqui", "Director (United Nations), Ministry of Foreign Affairs", FP,
      "ur en", ("multilateral affairs",), (3,), "PAK"),
    P("state:QAT", "Khalid Al-Mansouri", "Counter-Terrorism Adviser, Ministry of Interior", FP,
      "ar en", ("critical infrastructure", "cybersecurity"), (2,), "QAT"),
    P("state:UZB", "Dilnoza Yusupova", "Chief Specialist, Ministry of Foreign Affairs", FP,
      "ru en", ("foreign terrorist fighters", "rehabilitation and reintegration"), (1,), "UZB"),
    P("state:PHL", "José Miguel Dela Cruz", "Director, Anti-Terrorism Council Programme Management Center",
      FP, "en es", ("prevention of violent extremism",), (1,), "PHL", "Migs"),
    P("state:POL", "Katarzyna Nowak", "Counsellor, Department of Security Policy", FP,
      "en de", ("cybersecurity",), (), "POL", "Kasia"),
    P("state:ROU", "Andrei Popescu", "Senior Adviser, Ministry of Internal Affairs", FP,
      "en fr", ("critical infrastructure",), (2,), "ROU"),
    P("state:GEO", "Nino Beridze", "Head of Division, Ministry of Foreign Affairs", FP,
      "en ru", ("border security",), (), "GEO"),
    P("state:BRA", "Rafael Oliveira Santos", "Diplomat, Division of Transnational Crime", FP,
      "pt es en", ("countering the financing of terrorism",), (2,), "BRA"),
    P("state:MEX", "Valeria Hernández Soto", "Director for Multilateral Security Affairs", FP,
      "es en", ("small arms and light weapons", "multilateral affairs"), (), "MEX"),
    P("state:COL", "Camilo Restrepo", "First Secretary, Permanent Mission of Colombia to the United Nations",
      ALT, "es en", ("victims of terrorism",), (4,), "USA"),
    P("state:ARG", "Martín Gutiérrez", "Head of the Counter-Terrorism Unit, Ministry of Security", FP,
      "es en", ("victims of terrorism", "criminal justice"), (2, 4), "ARG"),
    P("state:TTO", "Keisha Ramdial", "Counter-Terrorism Coordinator, Ministry of National Security", FP,
      "en", ("border security", "countering the financing of terrorism"), (2,), "TTO"),
    P("state:ESP", "Lucía Fernández Prieto", "Head of Counter-Terrorism, Ministry of Foreign Affairs", FP,
      "es en fr", ("victims of terrorism",), (4,), "ESP"),
    P("state:NOR", "Ingrid Haugland", "Senior Adviser, Section for Security Policy", f"{FP} {ADMIN}",
      "en de", ("prevention of violent extremism", "gender"), (1,), "NOR"),
    P("state:CAN", "Marc-André Gagnon",
      "Deputy Director, Counter-Terrorism Capacity Building Program, Global Affairs Canada", FP,
      "en fr", ("capacity building",), (3,), "CAN"),
    # --- Regional organisations ---------------------------------------------------------------------------
    P("regional:AU", "Hiwot Tadesse", "Counter-Terrorism Expert, Peace and Security Department", ALT,
      "en fr", ("prevention of violent extremism", "border security"), (1, 2), "ETH"),
    P("regional:EU", "Matthias Keller", "Policy Officer, Counter-Terrorism, European External Action Service",
      f"{FP} {ADMIN}", "de en fr", ("strategic communications", "information sharing"), (), "BEL"),
    P("regional:OSCE", "Elif Yıldız", "Programme Officer, Action against Terrorism Unit", FP,
      "tr en ru", ("prevention of violent extremism", "gender"), (1,), "AUT"),
    P("regional:OIC", "Abdulrahman Al-Harbi", "Director of Political Affairs", FP,
      "ar en", ("intercultural dialogue",), (1,), "SAU"),
    P("regional:ASEAN", "Nguyen Thi Lan", "Senior Officer, Security Cooperation Division", FP,
      "en", ("maritime security", "cybersecurity"), (2,), "IDN", "Lan"),
    P("regional:OAS", "Gabriela Moreno",
      "Programme Manager, Inter-American Committee against Terrorism (CICTE)", FP,
      "es en pt", ("cybersecurity", "critical infrastructure"), (2, 3), "USA"),
    P("regional:IGAD", "Abdi Hassan Warsame", "Security Sector Programme Officer", FP,
      "en ar", ("border security", "countering the financing of terrorism"), (2,), "DJI"),
]  # fmt: skip

#: Profiles of the six role accounts (job title, languages, themes, pillars, country).
DEMO_ACCOUNT_PROFILES = {
    "secretariat": ("Chief, Compact Secretariat", "en ar fr", ("inter-agency coordination",), (3,), "USA"),
    "entity_focal_point": (
        "Programme Officer, Terrorism Prevention Branch", "fr en es",
        ("criminal justice", "legal assistance"), (2, 3), "AUT",
    ),
    "state_focal_point": (
        "Director, Counter-Terrorism, Ministry of Foreign and Diaspora Affairs", "en sw",
        ("prevention of violent extremism",), (1,), "KEN",
    ),
    "regional_focal_point": (
        "Head of Counter-Terrorism, Peace and Security Department", "en fr",
        ("border security",), (2,), "ETH",
    ),
    "wg_chair": (
        "Chief of Section, Assessment and Technical Assistance", "ru en fr",
        ("country assessments", "border security"), (2,), "USA",
    ),
    "organization_admin": (
        "Team Leader, Prevention of Violent Extremism", "pt en es",
        ("prevention of violent extremism",), (1,), "USA",
    ),
}  # fmt: skip

#: Varied on purpose, cycled over the people: most emails are visible platform-wide, phones mostly to the
#: person's organisation (the default), and some of each is restricted further.
EMAIL_VISIBILITIES = [
    ContactVisibility.PLATFORM,
    ContactVisibility.PLATFORM,
    ContactVisibility.COMPACT,
    ContactVisibility.PLATFORM,
    ContactVisibility.ORGANIZATION,
    ContactVisibility.PLATFORM,
    ContactVisibility.PRIVATE,
]
PHONE_VISIBILITIES = [
    ContactVisibility.ORGANIZATION,
    ContactVisibility.PLATFORM,
    ContactVisibility.ORGANIZATION,
    ContactVisibility.COMPACT,
    ContactVisibility.PRIVATE,
]
#: Every ninth person has not confirmed their details for two years: the directory flags them as stale.
STALE_EVERY = 9


def secretariat_group() -> Group:
    """The Secretariat's group. It carries no Django model permission: what the Secretariat may do is
    decided by ``directory.rules`` (with a current role in the Secretariat's organisation), never by
    permissions that would open Django's admin or outlive the role."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.clear()
    return group


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def email_of(person: DemoPerson) -> str:
    """first.last@<organisation>.demo.compact.example, e.g. aissatou.sow@sen.demo.compact.example."""
    words = _ascii(person.name).lower().replace("'", "").split()
    domain = person.organization.split(":", 1)[1].lower()
    return f"{words[0]}.{words[-1]}@{domain}.{DEMO_EMAIL_DOMAIN}"


def phones_of(index: int, country: str) -> tuple[str, str]:
    """An office number in the country's format, and a mobile for two people in three; some have none."""
    if index % 11 == 10:
        return "", ""
    _zone, office, mobile = PLACES[country]
    office = office.format(n=f"{(index * 379 + 1201) % 9000 + 1000:04d}")
    # 01xx: the block of North American numbers reserved for fiction.
    mobile = mobile.format(
        n=f"01{index % 100:02d}" if mobile.startswith("+1 ") else f"{index * 53 + 1017:04d}"
    )
    return office, mobile if index % 3 != 2 else ""


def _save_profile(
    user: User,
    *,
    job_title: str,
    languages: str,
    themes: tuple[str, ...],
    pillars: list[Pillar],
    country: str,
    phones: tuple[str, str],
    email_visibility: str = ContactVisibility.PLATFORM,
    phone_visibility: str = ContactVisibility.ORGANIZATION,
    reconfirmed_at=None,
) -> None:
    details = {
        "job_title": job_title,
        "languages": languages.split(),
        "expertise_tags": sorted(set(themes)),
        "country": country,
        "time_zone": PLACES[country][0],
        "phone_office": phones[0],
        "phone_mobile": phones[1],
        "email_visibility": email_visibility,
        "phone_visibility": phone_visibility,
    }
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults=details,
        # Only when first created: a later run must not undo a reconfirmation made in the demo.
        create_defaults={**details, "reconfirmed_at": reconfirmed_at or timezone.now()},
    )
    profile.expertise_pillars.set(pillars)


def _keep_roles(user: User, organization: Organization, roles: list[str], now) -> None:
    """Exactly these current roles in this organisation; any other current role of the person ends."""
    for role in roles:
        Membership.objects.get_or_create(user=user, organization=organization, role=role, ended_at=None)
    (
        Membership.objects.filter(user=user, ended_at__isnull=True)
        .exclude(organization=organization, role__in=roles)
        .update(ended_at=now)
    )


def seed_accounts(run: DemoRun, pillars: dict[int, Pillar]) -> list[int]:
    """The six role accounts, with the safe default visibilities of contact details."""
    organizations = Organization.objects.in_bulk(
        [account[3] for account in DEMO_ACCOUNTS.values()], field_name="reference_key"
    )
    for index, (role, (label, local_part, full_name, org_key, membership_role)) in enumerate(
        DEMO_ACCOUNTS.items()
    ):
        email = f"{local_part}@{DEMO_EMAIL_DOMAIN}"
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"full_name": full_name, "is_active": True, "is_staff": False, "is_superuser": False},
        )
        user.set_password(run.password)
        user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, organization=organizations[org_key], role=membership_role, ended_at=None
        )
        job_title, languages, themes, numbers, country = DEMO_ACCOUNT_PROFILES[role]
        _save_profile(
            user,
            job_title=job_title,
            languages=languages,
            themes=themes,
            pillars=[pillars[number] for number in numbers],
            country=country,
            phones=phones_of(index, country),
        )
        if role == "secretariat":
            user.groups.add(secretariat_group())
        run.users[role] = user
        run.logins.append((label, email))
    return [user.pk for user in run.users.values()]


def seed_people(run: DemoRun, pillars: dict[int, Pillar]) -> list[int]:
    organizations = Organization.objects.in_bulk(
        {person.organization for person in DEMO_PEOPLE}, field_name="reference_key"
    )
    # One hash for all: they sign in with the demo password too, without 60 slow hashings.
    password = make_password(run.password)
    now = timezone.now()
    ids = []
    for index, person in enumerate(DEMO_PEOPLE):
        user, _ = User.objects.update_or_create(
            email=email_of(person),
            defaults={
                "full_name": person.name,
                "preferred_name": person.preferred_name,
                "is_active": True,
                "password": password,
            },
        )
        _keep_roles(user, organizations[person.organization], person.roles.split(), now)
        stale = index % STALE_EVERY == STALE_EVERY - 1
        _save_profile(
            user,
            job_title=person.job_title,
            languages=person.languages,
            themes=person.themes,
            pillars=[pillars[number] for number in person.pillars],
            country=person.country,
            phones=phones_of(index, person.country),
            email_visibility=EMAIL_VISIBILITIES[index % len(EMAIL_VISIBILITIES)],
            phone_visibility=PHONE_VISIBILITIES[index % len(PHONE_VISIBILITIES)],
            reconfirmed_at=now - timedelta(days=730 if stale else 3 * index),
        )
        ids.append(user.pk)
    return ids


def seed_requests(run: DemoRun) -> None:
    """What waits for a decision on a working platform: a visitor's access request for the Secretariat,
    and UNDP's admin asking the UNODC focal point to take a role in UNDP too (for a joint programme), which
    only that person may accept. Pending ones are left as they are when the demo runs again."""
    AccessRequest.objects.get_or_create(
        email=f"lena.hoffmann@{DEMO_EMAIL_DOMAIN}",
        status=AccessRequestStatus.PENDING,
        defaults={
            "full_name": "Lena Hoffmann",
            "organization_name": "Federal Foreign Office, Germany",
            "job_title": "Desk Officer, Counter-Terrorism",
            "justification": "I follow Working Group 5 for my ministry and need its documents and meetings.",
        },
    )
    MembershipRequest.objects.get_or_create(
        user=run.users["entity_focal_point"],
        organization=Organization.objects.get(reference_key="entity:UNDP"),
        status=MembershipRequestStatus.PENDING,
        defaults={"role": MembershipRole.FOCAL_POINT, "requested_by": run.users["organization_admin"]},
    )


def seed(run: DemoRun) -> None:
    pillars = {pillar.number: pillar for pillar in Pillar.objects.all()}
    accounts = seed_accounts(run, pillars)
    people = seed_people(run, pillars)
    seed_requests(run)
    refresh_search_index(accounts + people)
    organizations = Counter(key.split(":")[0] for key in {person.organization for person in DEMO_PEOPLE})
    run.write(
        f"directory: {len(DEMO_ACCOUNTS)} demo accounts and {len(people)} focal points with profiles, in "
        f"{organizations['entity']} Compact entities, {organizations['state']} Member States and "
        f"{organizations['regional']} regional organisations; an access request and a membership request "
        "waiting for a decision"
    )
