"""The registry's part of ``bench``: the directory at scale — Scale.users people in Scale.organizations
organisations, each with a profile and a search index — and the directory page timed on it.

Organisations: the reference data's (45 entities, 193 Member States, the regional organisations) plus
synthetic regional and other organisations up to Scale.organizations, recognisable as bench data by their
``*.bench.compact.example`` addresses and their description. People: set-based SQL (an ORM loop over 20,000
people and their profiles takes minutes), with the audit triggers ignored for these synthetic rows, as in
notices.bench. Every step adds only what is missing, so a rerun changes nothing and a larger Scale grows
the existing data set.

Each person has a current role in one organisation (one in ten in two, one in twenty an ended earlier
role), weighted as the Compact is: an entity has more focal points than a Member State, which has more
than a regional or other organisation. Profiles: a job title, one to three languages (English for most,
French for a third), one to three themes, zero to two pillars, the country they work in, varied contact
visibilities, and the search vector ``directory.people.index_text`` would compute, computed here in SQL.
"""

from __future__ import annotations

import re

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.http import QueryDict
from django.urls import reverse

from core.benchmarking import Page, Query, Scale, ignoring_audit
from directory import reference
from directory.demo import PLACES, secretariat_group
from directory.filters import PeopleFilter
from directory.models import (
    CompactStatus,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Pillar,
    Profile,
    User,
)
from directory.people import (
    LANGUAGE_NAMES,
    SEARCH_CONFIG,
    fold,
    forget_counts,
    people_for,
    refresh_facet_keys,
)
from directory.views.people import PAGE_SIZE, facets

BENCH_EMAIL_DOMAIN = "bench.compact.example"
BENCH_ORGANIZATION_NOTE = "Synthetic organisation of the bench data set (python manage.py bench)."

#: People per organisation, relative: the Compact's entities have the most focal points.
WEIGHTS = {
    OrganizationKind.COMPACT_ENTITY: 6,
    OrganizationKind.MEMBER_STATE: 3,
    OrganizationKind.REGIONAL_ORGANIZATION: 2,
    OrganizationKind.OTHER: 1,
}


def words(text: str) -> list[str]:
    return text.split()


def columns(rows) -> list[list]:
    """[(a, 1), (b, 2)] -> [[a, b], [1, 2]]: rows as the arrays that unnest() turns back into rows."""
    return [list(column) for column in zip(*rows, strict=True)]


FIRST_NAMES = words("""Amina Fatima Mohamed Ahmed Youssef Leila Omar Khadija Ibrahim Aisha Kwame Kofi Ama Chinedu Ngozi
Oluwaseun Wanjiru Otieno Thandiwe Sipho Moussa Aminata Mamadou Fatou Abdoulaye Hiwot Tesfaye Wei Li Mei Jun Hiroshi
Yuki Haruto Min-jun Ji-woo Priya Rahul Anjali Arjun Ayesha Bilal Siti Budi Dewi Maria José Juan Camila Valentina
Mateo Sofía Lucía Diego Gabriela João Ana Pedro Carlos Isabel Olga Dmitri Ivan Natalia Aigerim Nurlan Dilnoza Giorgi
Nino Katarzyna Piotr Andrei Elena Mihai Anna Jan Lukas Sophie Emma Louis Camille Pierre Marie Hans Ingrid Lars Sven
Maja Giulia Marco Francesca Liam Olivia James Sarah David Rachel Michael Emily Thomas Hannah Mehmet Elif Zeynep Ali
Reza Maryam Sara Noor Hassan Layla Tariq Samira Jean-Pierre Marie-Claire Kenji Sakura Thabo Nomvula Chiara Mateus
Farida Rustam Gulnara Bakhyt Tomasz Agnieszka Zoran Milica Ahmad Parisa Hamid Nadia Keisha Andrés Renata Tupac""")

LAST_NAMES = words("""Haddad Khoury El-Amin Benali Mansour Al-Farsi Hussein Rahman Okafor Mensah Asante Adeyemi Eze Kamau
Mwangi Ndlovu Dlamini Nkosi Diallo Traoré Ndiaye Sow Keita Tadesse Bekele Wang Zhang Liu Chen Tanaka Sato Suzuki Kim
Park Lee Sharma Patel Singh Gupta Khan Siddiqui Nguyen Tran Santoso Wijaya Reyes Cruz Garcia Rodríguez Martínez López
González Hernández Pérez Silva Santos Oliveira Costa Ivanov Petrova Smirnov Volkova Kuznetsov Beridze Kowalski Nowak
Popescu Ionescu Horvat Novák Müller Schmidt Fischer Weber Dubois Martin Bernard Lefebvre Moreau Rossi Bianchi Romano
Hansen Johansson Andersson Nielsen Smith Johnson Brown Taylor Wilson O'Brien Murphy Yılmaz Demir Kaya Hosseini Ahmadi
Karimi Jansen Okonkwo Abubakar Toure Kipchoge Achieng Mutua Banda Phiri Moyo Chukwu Quispe Mamani Vargas Castillo
Morales Ortiz Herrera Medina Rojas Aliyev Karimova Tursunov Nazarova Petrenko Shevchenko Kovalenko Jovanović Hadžić""")

JOB_TITLES = [
    "Programme Officer",
    "Programme Management Officer",
    "Senior Programme Officer",
    "Political Affairs Officer",
    "Senior Political Affairs Officer",
    "Legal Officer",
    "Human Rights Officer",
    "Counter-Terrorism Coordinator",
    "Counter-Terrorism Adviser",
    "Security Sector Reform Officer",
    "Border Management Specialist",
    "Criminal Justice Officer",
    "Policy Analyst",
    "Policy Specialist",
    "Research Officer",
    "Head of Unit, Counter-Terrorism",
    "Director, Multilateral Affairs",
    "Deputy Director, International Security",
    "First Secretary, Permanent Mission",
    "Counsellor, Permanent Mission",
    "Intelligence Analyst",
    "Aviation Security Officer",
    "Maritime Security Officer",
    "Cybersecurity Specialist",
    "Financial Intelligence Analyst",
    "Prosecutor",
    "Investigating Judge",
    "Training Coordinator",
    "Communications Officer",
    "Gender and Inclusion Adviser",
    "Youth Engagement Officer",
    "Victims Support Officer",
    "Project Manager, Technical Assistance",
    "Monitoring and Evaluation Officer",
    "Chief of Section, Capacity Building",
    "Liaison Officer",
]

THEMES = [
    "border security",
    "countering the financing of terrorism",
    "prevention of violent extremism",
    "victims of terrorism",
    "human rights",
    "gender",
    "youth",
    "aviation security",
    "maritime security",
    "cybersecurity",
    "critical infrastructure",
    "cbrn",
    "criminal justice",
    "prisons",
    "foreign terrorist fighters",
    "strategic communications",
    "legal assistance",
    "sanctions",
    "biometrics",
    "rehabilitation and reintegration",
    "small arms and light weapons",
    "information sharing",
    "education",
    "civil society",
    "new technologies",
]

#: (language code, share of people who work in it), in the profile's order.
LANGUAGE_SHARES = [
    ("en", 0.85),
    ("fr", 0.3),
    ("es", 0.2),
    ("ar", 0.15),
    ("ru", 0.1),
    ("zh", 0.05),
    ("pt", 0.05),
    ("de", 0.03),
    ("sw", 0.02),
    ("tr", 0.02),
    ("fa", 0.01),
    ("ur", 0.01),
    ("id", 0.01),
    ("ja", 0.01),
]

#: Where people of organisations other than Member States work (headquarters and regional offices).
WORK_COUNTRIES = (
    ["USA"] * 6 + ["CHE"] * 3 + ["AUT"] * 3 + ["FRA", "BEL", "KEN", "SEN", "THA", "QAT", "ETH", "NLD"]
)

REGIONAL_BODIES = [
    "Regional Counter-Terrorism Centre",
    "Regional Police Cooperation Organisation",
    "Network of Financial Intelligence Units",
    "Border Security Commission",
    "Judicial Cooperation Network",
    "Regional Security Mechanism",
    "Intelligence Fusion Centre",
    "Association of Prosecutors",
    "Coast Guard Forum",
    "Customs Enforcement Network",
    "Aviation Security Council",
    "Forum against Violent Extremism",
]
#: Regions of the synthetic regional organisations, with the code their acronyms end with.
REGIONS = [
    ("the Sahel", "SAH"),
    ("Central Asia", "CAS"),
    ("the Western Balkans", "WB"),
    ("the Caribbean", "CAR"),
    ("South-East Asia", "SEA"),
    ("the Horn of Africa", "HOA"),
    ("the Lake Chad Basin", "LCB"),
    ("the Andean Region", "AND"),
    ("the Pacific Islands", "PI"),
    ("the Gulf", "GLF"),
    ("the Great Lakes", "GL"),
    ("the Mediterranean", "MED"),
    ("the Baltic Sea Region", "BAL"),
    ("Southern Africa", "SAF"),
    ("the Indian Ocean", "IO"),
    ("South Asia", "SAS"),
    ("the Black Sea Region", "BSR"),
    ("Central America", "CAM"),
    ("the Maghreb", "MAG"),
    ("the Danube Region", "DAN"),
]
OTHER_BODIES = [
    "Institute for Security Studies",
    "Centre for Peace and Conflict Research",
    "Foundation for Victims of Terrorism",
    "Civil Society Network against Violent Extremism",
    "Academy for Law Enforcement Training",
    "Institute for Criminal Justice Reform",
    "Observatory on Radicalisation",
    "Youth Peacebuilders Network",
]
CITIES = [
    "Nairobi",
    "Dakar",
    "Amman",
    "Tashkent",
    "Bogotá",
    "Jakarta",
    "Geneva",
    "Vienna",
    "Manila",
    "Abuja",
    "Rabat",
    "Tunis",
    "Kampala",
    "Lima",
    "Bangkok",
    "Doha",
    "Oslo",
    "Valletta",
    "Tbilisi",
    "Addis Ababa",
]
SMALL_WORDS = {"of", "the", "for", "and", "on", "against", "in"}


# --- Organisations ----------------------------------------------------------------------------------------


def bench_organizations():
    return Organization.objects.filter(contact_email__endswith=f".{BENCH_EMAIL_DOMAIN}")


def organization_name(n: int) -> tuple[str, str, str]:
    """The n-th synthetic organisation: (kind, name, acronym); regional and other organisations alternate,
    e.g. "Border Security Commission of the Sahel" (BSC-SAH), "Nairobi Institute for Security Studies"
    (ISS-NAI)."""
    if n % 2 == 0:
        places = REGIONS
        bodies = REGIONAL_BODIES
    else:
        places = [(city, fold(city)[:3].upper()) for city in CITIES]
        bodies = OTHER_BODIES
    cycle, rest = divmod(n // 2, len(bodies) * len(places))
    body, (place, code) = bodies[rest % len(bodies)], places[rest // len(bodies)]
    name = f"{body} of {place}" if n % 2 == 0 else f"{place} {body}"
    acronym = "".join(word[0] for word in re.split(r"[\s\-]+", body) if word not in SMALL_WORDS) + "-" + code
    if cycle:
        name, acronym = f"{name} ({cycle + 1})", f"{acronym}{cycle + 1}"
    kind = OrganizationKind.REGIONAL_ORGANIZATION if n % 2 == 0 else OrganizationKind.OTHER
    return kind, name, acronym


def grow_organizations(target: int) -> int:
    """Add synthetic organisations until ``target`` are active; returns how many were added."""
    missing = target - Organization.objects.filter(is_active=True).count()
    if missing <= 0:
        return 0
    first = bench_organizations().count()
    taken = set(Organization.objects.values_list("kind", "acronym"))
    new = []
    for n in range(first, first + missing):
        kind, name, acronym = organization_name(n)
        if (kind, acronym) in taken:
            acronym = f"{acronym}-{n}"
        taken.add((kind, acronym))
        new.append(
            Organization(
                kind=kind,
                compact_status=CompactStatus.NONE,
                name=name,
                acronym=acronym,
                description=BENCH_ORGANIZATION_NOTE,
                website=f"https://org{n:04d}.{BENCH_EMAIL_DOMAIN}",
                contact_email=f"info@org{n:04d}.{BENCH_EMAIL_DOMAIN}",
            )
        )
    Organization.objects.bulk_create(new)
    return missing


def rename_organizations() -> list[int]:
    """Give synthetic organisations made by an earlier version of this module today's names; returns the
    ids of those renamed."""
    stale = []
    for organization in bench_organizations():
        n = int(re.search(r"org(\d+)\.", organization.contact_email).group(1))
        _kind, name, acronym = organization_name(n)
        if organization.name != name or organization.acronym not in (acronym, f"{acronym}-{n}"):
            organization.name, organization.acronym = name, acronym
            stale.append(organization)
    if stale:
        with transaction.atomic():
            # In two steps: an acronym may move from one organisation to another.
            Organization.objects.filter(pk__in=[o.pk for o in stale]).update(acronym="")
            Organization.objects.bulk_update(stale, ["name", "acronym"])
    return [organization.pk for organization in stale]


# --- People -----------------------------------------------------------------------------------------------
# Positional parameters throughout: pgtrigger.ignore prepends one of its own to each statement.

INSERT_USERS = f"""
WITH p AS (SELECT %s::text AS password, %s::text[] AS firsts, %s::text[] AS lasts)
INSERT INTO {User._meta.db_table}
    (password, is_superuser, email, full_name, preferred_name, is_active, is_staff, date_joined)
SELECT p.password, false, 'user' || lpad(g::text, 6, '0') || '@{BENCH_EMAIL_DOMAIN}',
       p.firsts[1 + floor(random() * array_length(p.firsts, 1))::int] || ' '
       || p.lasts[1 + floor(random() * array_length(p.lasts, 1))::int],
       '', true, false, now() - random() * interval '6 years'
FROM generate_series(%s, %s) g CROSS JOIN p
ORDER BY g
"""

# Users of the first bench data sets were "Bench User 000123": given names like everyone else's.
RENAME_PLACEHOLDERS = f"""
WITH p AS (SELECT %s::text[] AS firsts, %s::text[] AS lasts)
UPDATE {User._meta.db_table} u
SET full_name = p.firsts[1 + floor(random() * array_length(p.firsts, 1))::int] || ' '
                || p.lasts[1 + floor(random() * array_length(p.lasts, 1))::int]
FROM p
WHERE u.email LIKE %s AND u.full_name LIKE 'Bench User %%'
"""

MEMBERSHIP = Membership._meta.db_table

# One current role for every bench person without one; %s: the weighted organisations, the bench emails.
INSERT_MEMBERSHIPS = f"""
WITH p AS (SELECT %s::bigint[] AS orgs)
INSERT INTO {MEMBERSHIP} (user_id, organization_id, role, started_at, ended_at)
SELECT u.id, p.orgs[1 + floor(random() * array_length(p.orgs, 1))::int],
       (ARRAY['focal_point', 'focal_point', 'focal_point', 'focal_point', 'focal_point', 'focal_point',
              'alternate', 'alternate', 'alternate', 'organization_admin'])[1 + floor(random() * 10)::int],
       now() - random() * interval '5 years', NULL
FROM {User._meta.db_table} u CROSS JOIN p
WHERE u.email LIKE %s AND NOT EXISTS (SELECT 1 FROM {MEMBERSHIP} m WHERE m.user_id = u.id)
ORDER BY u.id
"""

# For the people just given their first role: one in ten a second current role, one in twenty an earlier,
# ended one (the directory must ignore it).
INSERT_MORE_MEMBERSHIPS = f"""
WITH p AS (SELECT %s::bigint[] AS orgs),
fresh AS (SELECT m.user_id, random() AS r FROM {MEMBERSHIP} m WHERE m.id > %s)
INSERT INTO {MEMBERSHIP} (user_id, organization_id, role, started_at, ended_at)
SELECT fresh.user_id, p.orgs[1 + floor(random() * array_length(p.orgs, 1))::int],
       CASE WHEN fresh.r < 0.05 THEN 'alternate' ELSE 'focal_point' END,
       CASE WHEN fresh.r < 0.1 THEN now() - interval '1 year' ELSE now() - interval '8 years' END,
       CASE WHEN fresh.r < 0.1 THEN NULL ELSE now() - interval '5 years' END
FROM fresh CROSS JOIN p
WHERE fresh.r < 0.15
ON CONFLICT DO NOTHING
"""

PROFILE = Profile._meta.db_table
PILLARS = Profile.expertise_pillars.through._meta.db_table
ORGANIZATION = Organization._meta.db_table

# A profile for every bench person without one. The country: a Member State's own, else where
# international organisations work. %s: themes, job titles, work countries, (code, share) of languages,
# (country, time zone, office phone, mobile phone) places, the bench emails.
INSERT_PROFILES = f"""
WITH p AS (SELECT %s::text[] AS themes, %s::text[] AS titles, %s::text[] AS countries),
languages AS (SELECT * FROM unnest(%s::text[], %s::float[]) WITH ORDINALITY AS l(code, share, position)),
places AS (SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) AS pl(country, zone, office,
                                                                                       mobile)),
people AS (
    SELECT u.id, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
           (SELECT o.iso3 FROM {MEMBERSHIP} m JOIN {ORGANIZATION} o ON o.id = m.organization_id
            WHERE m.user_id = u.id AND m.ended_at IS NULL ORDER BY m.id LIMIT 1) AS state
    FROM {User._meta.db_table} u
    WHERE u.email LIKE %s AND NOT EXISTS (SELECT 1 FROM {PROFILE} pr WHERE pr.user_id = u.id)
),
located AS (
    SELECT people.*, COALESCE(NULLIF(people.state, ''),
                              p.countries[1 + floor(people.r5 * array_length(p.countries, 1))::int]) AS country
    FROM people CROSS JOIN p
)
INSERT INTO {PROFILE} (user_id, job_title, bio, phone_office, phone_mobile, languages, expertise_tags, country,
                       time_zone, photo, email_visibility, phone_visibility, reconfirmed_at, updated_at,
                       facet_keys)
SELECT x.id,
       p.titles[1 + floor(x.r1 * array_length(p.titles, 1))::int],
       '',
       CASE WHEN x.r2 < 0.9 THEN replace(COALESCE(pl.office, '+1 212 963 {{n}}'), '{{n}}',
                                         lpad((x.id %% 10000)::text, 4, '0')) ELSE '' END,
       CASE WHEN x.r2 < 0.6 THEN replace(COALESCE(pl.mobile, '+1 917 555 {{n}}'), '{{n}}',
                                         lpad(((x.id * 7) %% 10000)::text, 4, '0')) ELSE '' END,
       -- Both subqueries refer to the row (x.id, x.r3): an uncorrelated one would be run once for all.
       COALESCE(NULLIF(ARRAY(SELECT l.code FROM languages l WHERE random() < l.share + 0 * x.id
                             ORDER BY l.position), '{{}}'), ARRAY['en']),
       ARRAY(SELECT DISTINCT p.themes[1 + floor(random() * array_length(p.themes, 1))::int]
             FROM generate_series(1, 1 + floor(x.r3 * 3)::int)),
       x.country,
       COALESCE(pl.zone, 'UTC'),
       '',
       CASE WHEN x.r4 < 0.6 THEN 'platform' WHEN x.r4 < 0.8 THEN 'compact'
            WHEN x.r4 < 0.95 THEN 'organization' ELSE 'private' END,
       CASE WHEN x.r2 < 0.2 THEN 'platform' WHEN x.r2 < 0.3 THEN 'compact'
            WHEN x.r2 < 0.9 THEN 'organization' ELSE 'private' END,
       now() - x.r5 * interval '800 days',
       now(),
       '{{}}'  -- filled below by refresh_facet_keys, once memberships and pillars are in
FROM located x CROSS JOIN p LEFT JOIN places pl ON pl.country = x.country
ORDER BY x.id
RETURNING user_id
"""

# Pillars for the new profiles: 60 % have one, 25 % two.
INSERT_PILLARS = f"""
WITH p AS (SELECT %s::bigint[] AS pillars),
fresh AS (SELECT id AS user_id, random() AS r FROM unnest(%s::bigint[]) AS id)
INSERT INTO {PILLARS} (profile_id, pillar_id)
SELECT fresh.user_id, p.pillars[1 + (floor(fresh.r * 1000)::int + n) %% array_length(p.pillars, 1)]
FROM fresh CROSS JOIN p CROSS JOIN generate_series(0, 1) n
WHERE fresh.r < 0.6 AND n = 0 OR fresh.r < 0.25 AND n = 1
ON CONFLICT DO NOTHING
"""

# The search vector of directory.people.index_text, in SQL: the same parts in the same order, folded the
# same way (lower case, accents removed with translate() from a table built from fold()).
# %s: language codes and names, folded-from and folded-to characters, the bench emails.
UPDATE_SEARCH_VECTORS = f"""
WITH names AS (SELECT * FROM unnest(%s::text[], %s::text[]) AS n(code, name)),
fold AS (SELECT %s::text AS source, %s::text AS target)
UPDATE {PROFILE} pr
SET search_vector = to_tsvector('{SEARCH_CONFIG}', translate(lower(concat_ws(' ',
        u.full_name, u.preferred_name,
        (SELECT string_agg(concat_ws(' ', o.name, o.acronym), ' ' ORDER BY o.name, m.role)
         FROM {MEMBERSHIP} m JOIN {ORGANIZATION} o ON o.id = m.organization_id
         WHERE m.user_id = u.id AND m.ended_at IS NULL),
        pr.job_title,
        array_to_string(pr.expertise_tags, ' '),
        (SELECT string_agg(pl.name, ' ' ORDER BY pl.number)
         FROM {PILLARS} pp JOIN {Pillar._meta.db_table} pl ON pl.id = pp.pillar_id
         WHERE pp.profile_id = pr.user_id),
        (SELECT string_agg(COALESCE(n.name, l.code), ' ' ORDER BY l.position)
         FROM unnest(pr.languages) WITH ORDINALITY AS l(code, position) LEFT JOIN names n ON n.code = l.code),
        NULLIF(pr.country, ''),
        (SELECT o.name FROM {ORGANIZATION} o WHERE o.iso3 = pr.country AND pr.country <> '' LIMIT 1)
    )), fold.source, fold.target))
FROM {User._meta.db_table} u CROSS JOIN fold
WHERE u.id = pr.user_id AND pr.search_vector IS NULL AND u.email LIKE %s
"""

# Members of renamed organisations are found by the new name: their vectors are computed again.
FORGET_SEARCH_VECTORS = f"""
UPDATE {PROFILE} SET search_vector = NULL
WHERE user_id IN (SELECT user_id FROM {MEMBERSHIP} WHERE organization_id = ANY(%s::bigint[]))
"""


def folding_table(texts) -> tuple[str, str]:
    """translate() arguments that fold every non-ASCII character of ``texts`` as ``people.fold`` does."""
    source, target, dropped = [], [], []
    for char in sorted({c for text in texts for c in text if ord(c) > 127}):
        folded = fold(char)
        if folded == char:
            continue
        if folded == "":
            dropped.append(char)  # translate() drops characters that have no counterpart
        elif len(folded) == 1:
            source.append(char)
            target.append(folded)
    return "".join(source + dropped), "".join(target)


def _weighted_organizations() -> list[int]:
    rows = Organization.objects.filter(is_active=True).values_list("pk", "kind")
    return [pk for pk, kind in rows for _ in range(WEIGHTS.get(kind, 1))]


def generate(scale: Scale, write) -> None:
    reference.load()
    with ignoring_audit(models=(User, Organization, Membership, Profile)):
        added = grow_organizations(scale.organizations)
        renamed = rename_organizations()
    like = f"%@{BENCH_EMAIL_DOMAIN}"
    existing = User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count()
    organizations = _weighted_organizations()
    names = (FIRST_NAMES, LAST_NAMES)
    places = [(country, zone, office, mobile) for country, (zone, office, mobile) in PLACES.items()]
    languages = [(code, str(name)) for code, name in LANGUAGE_NAMES.items()]
    texts = [*FIRST_NAMES, *LAST_NAMES, *JOB_TITLES, *THEMES, *(name for _code, name in languages)]
    texts += list(Organization.objects.values_list("name", flat=True))
    texts += list(Pillar.objects.values_list("name", flat=True))
    source, target = folding_table(texts)
    with (
        transaction.atomic(),
        ignoring_audit(models=(User, Organization, Membership, Profile)),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT setseed(0.42)")  # the same data set for the same scale, run after run
        if existing < scale.users:
            password = make_password(None)  # unusable: bench users never sign in with a password
            cursor.execute(INSERT_USERS, [password, *names, existing, scale.users - 1])
        cursor.execute(RENAME_PLACEHOLDERS, [*names, like])
        if renamed:
            cursor.execute(FORGET_SEARCH_VECTORS, [renamed])
        last_membership = Membership.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        cursor.execute(INSERT_MEMBERSHIPS, [organizations, like])
        if cursor.rowcount:
            cursor.execute(INSERT_MORE_MEMBERSHIPS, [organizations, last_membership])
        cursor.execute(
            INSERT_PROFILES,
            [THEMES, JOB_TITLES, WORK_COUNTRIES, *columns(LANGUAGE_SHARES), *columns(places), like],
        )
        profiles = [user_id for (user_id,) in cursor.fetchall()]
        if profiles:
            cursor.execute(INSERT_PILLARS, [list(Pillar.objects.values_list("pk", flat=True)), profiles])
        cursor.execute(UPDATE_SEARCH_VECTORS, [*columns(languages), source, target, like])
        indexed = cursor.rowcount
    unkeyed = Profile.objects.filter(user__email__endswith=f"@{BENCH_EMAIL_DOMAIN}", facet_keys=[]).exists()
    if added or renamed or indexed or unkeyed:
        refresh_facet_keys()  # set-based, for everyone: the rows above were written without signals
        indexed = indexed or unkeyed  # the planner must learn the new keys (ANALYZE below)
    people = User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count()
    total = Organization.objects.filter(is_active=True).count()
    if not (added or renamed or indexed):
        write(f"directory: {people:,} bench users in {total:,} organisations already there")
        return
    # The planner must know the new rows; VACUUM cannot run in a transaction (as in the tests).
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in (User._meta.db_table, ORGANIZATION, MEMBERSHIP, PROFILE, PILLARS):
            cursor.execute(f"{analyze} {table}")
    write(
        f"directory: {max(0, scale.users - existing):,} bench users created, {added:,} organisations "
        f"added, {len(profiles):,} profiles ({people:,} people in {total:,} organisations"
        + (f"; {len(renamed)} organisations renamed)" if renamed else ")")
    )


# --- Who signs in -----------------------------------------------------------------------------------------


def focal_point() -> User:
    """A focal point of an organisation that takes part in Working Groups, as most users are, with a second
    factor enrolled (MFA is mandatory)."""
    user = (
        User.objects.filter(
            email__endswith=f"@{BENCH_EMAIL_DOMAIN}",
            memberships__role=MembershipRole.FOCAL_POINT,
            memberships__ended_at__isnull=True,
            memberships__organization__participations__isnull=False,
        )
        .order_by("email")
        .first()
    )
    return with_mfa(user)


def state_focal_point() -> User:
    """A Member State focal point, with a second factor: reads what is platform-wide and its own, not what
    is for the Compact's entities (the other end of the audience rule from ``focal_point``)."""
    membership = (
        Membership.objects.filter(
            user__email__endswith=f"@{BENCH_EMAIL_DOMAIN}",
            role=MembershipRole.FOCAL_POINT,
            organization__kind=OrganizationKind.MEMBER_STATE,
        )
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    return with_mfa(membership.user)


def secretariat_member() -> User:
    """A person of the Secretariat (its organisation's focal point, in its group), with a second factor."""
    user, _created = User.objects.get_or_create(
        # Not in the bench people's domain: the directory's part counts those.
        email=f"bench@secretariat.{BENCH_EMAIL_DOMAIN}",
        defaults={"full_name": "Bench Secretariat"},
    )
    Membership.objects.get_or_create(
        user=user, organization=Organization.objects.get(reference_key=settings.SECRETARIAT_ORGANIZATION),
        ended_at=None, defaults={"role": MembershipRole.FOCAL_POINT},
    )  # fmt: skip
    user.groups.add(secretariat_group())
    return with_mfa(user)


def with_mfa(user: User) -> User:
    """The user, with a second factor enrolled (MFA is mandatory: without one, every page redirects)."""
    if not Authenticator.objects.filter(user=user).exists():
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(generate_totp_secret())}
        )
    return user


# --- Measurements -----------------------------------------------------------------------------------------

#: A word many profiles hold (job titles, themes, organisation names), and two filters, as people search.
COMMON_TERM = "security"
TWO_FILTERS = {"kind": OrganizationKind.COMPACT_ENTITY, "language": "fr"}


def _query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(data)
    return query


def first_page(user, data: dict) -> list[User]:
    """What the directory page reads for its results: the count, the first page, their organisations."""
    results = PeopleFilter(_query(data), queryset=people_for(user)).qs
    if not data.get("q"):
        results = results.order_by("full_name", "pk")
    results.count()
    return list(results[:PAGE_SIZE])


def facet_counts(user, data: dict) -> list[dict]:
    """What the directory page reads for its filters: each facet's values and counts, with their labels."""
    query = _query(data)
    return facets(people_for(user), query, PeopleFilter(query).form)


def uncached_counts(user, data: dict) -> list[dict]:
    """The same counts with the cache out of the way: what the first visitor of a new search waits for."""
    forget_counts()
    return facet_counts(user, data)


def measurements(scale: Scale, write):
    data = f"{scale.users:,} people, {scale.organizations:,} organisations"
    user = focal_point()
    searched = {"q": COMMON_TERM, **TWO_FILTERS}
    url = reverse("directory:people")
    filters = "&".join(f"{name}={value}" for name, value in TWO_FILTERS.items())
    pages = [
        ("directory page: search + 2 filters, counts included", f"{url}?q={COMMON_TERM}&{filters}", 100),
        ("directory page: 2 filters, counts included", f"{url}?{filters}", 100),
        ("directory page: everyone, counts included", url, None),
    ]
    for name, address, target in pages:
        yield Page(name, address, user=lambda: user, data=data, target_ms=target)
    api = reverse("api:directory-person-list")
    yield Page(
        "API: people, first page (entity focal point)", api, user=lambda: user, data=data, target_ms=50
    )
    yield Page("API: people, search + 2 filters (entity focal point)", f"{api}?q={COMMON_TERM}&{filters}",
               user=lambda: user, data=data, target_ms=50)  # fmt: skip
    yield Query(
        "directory: first page of a search + 2 filters",
        lambda: first_page(user, searched),
        data,
        target_ms=50,
    )
    yield Query("directory: facet counts of a search + 2 filters", lambda: facet_counts(user, searched), data)
    yield Query(
        "directory: facet counts of a search + 2 filters, uncached",
        lambda: uncached_counts(user, searched),
        data,
        target_ms=100,
    )
