"""countries' part of ``seed_demo``: Kenya's country profile written by its demo focal point in two saves
(so that its history shows an earlier version), and a notice of Kenya's addressed to Working Group 2 — the
showcase on its page. Written through the service (rule and versioning included); idempotent: a profile
already written is left as it is."""

from __future__ import annotations

from core.demo import DemoRun
from countries import services
from countries.models import CountryProfile
from directory.access import Visibility
from directory.models import Organization, WorkingGroup
from notices.models import Notice

FIRST = {
    "priorities": (
        "Implementing the national strategy to counter violent extremism through county action plans.\n"
        "Securing the land borders with Somalia and the coast."
    ),
    "challenges": "Limited forensic capacity outside Nairobi.",
    "good_practices": (
        "County engagement forums bringing together local government, police and religious leaders."
    ),
}

SECOND = {
    "priorities": (
        "Implementing the national strategy to counter violent extremism through the 47 county action "
        "plans.\n"
        "Border security: one-stop border posts and advance passenger information at the main airports.\n"
        "Countering the financing of terrorism, following the mutual evaluation's recommendations."
    ),
    "challenges": (
        "Limited forensic and digital-evidence capacity outside Nairobi.\n"
        "Long, porous land borders and the movement of fighters across them.\n"
        "Rehabilitating and reintegrating returnees while protecting the communities that receive them."
    ),
    "good_practices": (
        "County engagement forums bringing together local government, police, religious leaders and women's "
        "and youth organisations.\n"
        "An amnesty and reintegration programme with psychosocial support and vocational training."
    ),
}

SHOWCASE_TITLE = "Kenya's county action plans: lessons from the first five years"


def seed(run: DemoRun) -> None:
    kenya_person = run.users.get("state_focal_point")
    if kenya_person is None:
        return
    kenya = Organization.objects.get(reference_key="state:KEN")
    if not CountryProfile.objects.filter(organization=kenya).exists():
        for texts in (FIRST, SECOND):
            services.save_country_profile(organization=kenya, by=kenya_person, **texts)
        run.write("countries: Kenya's country profile, in two versions")
    Notice.objects.update_or_create(
        owner=kenya,
        title=SHOWCASE_TITLE,
        defaults={
            "author": kenya_person,
            "body": (
                "Kenya shares with Working Group 2 what its county action plans against violent extremism "
                "achieved, where they fell short, and what the next plans will change."
            ),
            "visibility": Visibility.PLATFORM,
            "working_group": WorkingGroup.objects.get(number=2),
        },
    )
