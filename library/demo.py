"""library's part of ``seed_demo``: a few dozen resources with real PDF and Word files, generated here
(nothing is downloaded), whose text is extracted and searchable like any upload's."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from core.demo import DemoRun
from directory.access import Visibility
from directory.models import Membership, Pillar, WorkingGroup
from library import samples, services
from library.models import Resource

# (author role, title, type, pillars, themes, WG number, visibility, language, countries, year, paragraphs);
# two are public, on the public pages (showcase)
DEMO_RESOURCES = [
    ("wg_chair", "Border management and security: good practices for joint patrols", "good_practice",
     [2], ["border security", "joint patrols"], 2, Visibility.PLATFORM, "en", ["NER", "MLI", "BFA"], 2021,
     ["Joint mobile patrols reduced cross-border smuggling of small arms in the Liptako-Gourma region.",
      "Liaison officers exchanged alerts through a shared radio network, and customs and police trained "
      "together on risk analysis at the border crossing points."]),
    ("entity_focal_point", "Handbook on the criminal justice response to terrorism financing", "guidance",
     [2, 4], ["terrorism financing", "criminal justice"], 6, Visibility.PLATFORM, "en", [], 2020,
     ["Financial intelligence units should share information on suspicious transactions promptly.",
      "Prosecutors need specialised training to use financial evidence in terrorism cases, and "
      "judges benefit from guidance on the freezing of assets."]),
    ("secretariat", "Compact Coordination Committee: summary of the annual meeting", "meeting_record",
     [1, 2, 3, 4], ["coordination", "annual meeting"], None, Visibility.COMPACT, "en", [], 2022,
     ["The Coordination Committee reviewed the Working Groups' progress and the Multi-Year Appeal.",
      "Entities agreed to map their technical-assistance projects in the Sahel before the next meeting."]),
    ("wg_chair", "Guide des bonnes pratiques pour la gestion coordonnée des frontières", "guidance",
     [2], ["border security"], 2, Visibility.PLATFORM, "fr", ["MLI", "SEN"], 2021,
     ["La gestion coordonnée des frontières repose sur le partage d'information entre les services.",
      "Les patrouilles conjointes et les postes frontières à guichet unique renforcent la sécurité."]),
    ("organization_admin", "Preventing violent extremism through education: programme review", "report",
     [1], ["preventing violent extremism", "education", "youth"], 4, Visibility.WORKING_GROUP, "en",
     ["KEN", "SOM"], 2022,
     ["School-based programmes that build critical thinking reduced the appeal of extremist narratives.",
      "Teachers asked for materials in local languages and for support from community leaders."]),
    ("entity_focal_point", "Victims of terrorism: standards for support and assistance", "publication",
     [1, 4], ["victims of terrorism", "human rights"], 8, Visibility.PUBLIC, "en", [], 2019,
     ["Victims should receive immediate medical and psychosocial support and long-term assistance.",
      "National strategies should recognise victims' rights and give them a voice in commemoration."]),
    ("secretariat", "Training package: investigating terrorist use of the internet", "training",
     [2, 3], ["information technology", "investigations", "training"], 3, Visibility.COMPACT, "en", [], 2023,
     ["Module 1 covers the preservation of electronic evidence and requests to service providers.",
      "Module 2 presents open-source investigation techniques that respect privacy safeguards."]),
    ("wg_chair", "Technical assistance recommendations: follow-up matrix for the Sahel", "dataset",
     [3], ["technical assistance", "recommendations"], 6, Visibility.OWNER, "en",
     ["NER", "TCD", "MRT", "MLI", "BFA"], 2022,
     ["The matrix lists each CTED recommendation, the entity that can assist, and the status of delivery.",
      "Recommendations on aviation security and border management have the most offers of assistance."]),
    ("organization_admin", "Gender dimensions of counter-terrorism: lessons learned", "report",
     [1, 4], ["gender", "human rights"], 7, Visibility.PUBLIC, "en", [], 2021,
     ["Women's participation in the design of counter-terrorism policies improves their effectiveness.",
      "Data disaggregated by sex and age is still rare in national reporting."]),
    ("entity_focal_point", "Protection of critical infrastructure against terrorist attacks", "guidance",
     [2], ["critical infrastructure", "soft targets"], 5, Visibility.PLATFORM, "en", [], 2018,
     ["Public-private partnerships are essential: most critical infrastructure is privately owned.",
      "Exercises that test the response to a combined cyber and physical attack reveal coordination gaps."]),
]  # fmt: skip


def seed(run: DemoRun) -> None:
    groups = {group.number: group for group in WorkingGroup.objects.all()}
    pillars = {pillar.number: pillar for pillar in Pillar.objects.all()}
    made = 0
    for index, row in enumerate(DEMO_RESOURCES * 3):
        role, title, kind, pillar_numbers, themes, wg, visibility, language, countries, year, texts = row
        edition = index // len(DEMO_RESOURCES)
        if edition:
            title = f"{title} ({year + edition})"
        author = run.users[role]
        owner = Membership.objects.filter(user=author, ended_at__isnull=True).first().organization
        resource, created = Resource.objects.update_or_create(
            title=title,
            defaults={
                "summary": texts[0],
                "resource_type": kind,
                "tags": themes,
                "languages": [language],
                "countries": countries,
                "publication_date": datetime.date(year + edition, 1 + index % 12, 1 + index % 27),
                "owner": owner,
                "author": author,
                "visibility": visibility,
                "working_group": groups.get(wg),
            },
        )
        resource.pillars.set([pillars[number] for number in pillar_numbers])
        if created or not resource.documents.exists():
            paragraphs = [*texts, *[f"{text} (Edition {edition + 1}.)" for text in texts]]
            if index % 2:
                data, name = samples.docx_bytes(title, paragraphs), f"{title[:60]}.docx"
            else:
                data, name = samples.pdf_bytes(title, paragraphs), f"{title[:60]}.pdf"
            upload = services.check_upload(ContentFile(data, name=name))
            services.add_document(resource=resource, upload=upload, by=author, language=language)
            made += 1
    services.indexing.refresh(Resource.objects.values_list("pk", flat=True))
    run.write(f"library: {len(DEMO_RESOURCES) * 3} demo resources ({made} with new files)")
