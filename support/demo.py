"""support's part of ``seed_demo``: Kenya's focal point asks Working Group 2 (border management) for support
on passenger data, seen by every Compact entity, and UNODC has offered help; an older request of Kenya's,
addressed to UNODC, was agreed on UNODC's offer and a project of the matrix answers it. Written through the
services (rules and checks included); a request already there is left as it is."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.demo import DemoRun
from directory.access import Visibility
from directory.models import Organization, WorkingGroup
from projects.selectors import projects_for, themes_offered
from support import services
from support.forms import RequestForm
from support.models import StatusChange, SupportRequest

CURRENT = (
    "Advance passenger information at Kenya's main airports",
    "Kenya is setting up advance passenger information (API) and passenger name record (PNR) systems at "
    "Jomo Kenyatta and Moi international airports, as resolution 2396 requires. We ask the Working Group for "
    "legal drafting support, a data protection review and training of the passenger information unit.",
    "Border management and law enforcement",
)
OLDER = (
    "Training of prosecutors on electronic evidence",
    "Kenya's Office of the Director of Public Prosecutions asks for a training programme on the collection, "
    "preservation and admissibility of electronic evidence in terrorism cases, for about 40 prosecutors.",
    "Criminal justice and the rule of law",
)


def seed(run: DemoRun) -> None:
    kenya, unodc = run.users.get("state_focal_point"), run.users.get("entity_focal_point")
    if kenya is None or unodc is None:
        return
    entity = Organization.objects.get(reference_key="entity:UNODC")
    if not SupportRequest.objects.filter(title=CURRENT[0]).exists():
        current = _ask(
            kenya, CURRENT, visibility=Visibility.COMPACT, group=WorkingGroup.objects.get(number=2)
        )
        services.offer_support(
            current, organization=entity, by=unodc,
            text="UNODC's Global Programme on countering terrorist travel can provide a legal drafting "
                 "expert and a two-week training of the passenger information unit in Nairobi.",
        )  # fmt: skip
        run.write("support: Kenya's request to Working Group 2, with UNODC's offer")
    if not SupportRequest.objects.filter(title=OLDER[0]).exists():
        older = _ask(kenya, OLDER, visibility=Visibility.OWNER, entities=[entity])
        offer = services.offer_support(
            older, organization=entity, by=unodc,
            text="Our criminal justice project in Kenya includes a module on electronic evidence; we can add "
                 "two sessions for the ODPP.",
        )  # fmt: skip
        services.accept_offer(older, offer=offer, by=kenya)
        answer = projects_for(kenya).filter(countries__contains=["KEN"]).order_by("title").first()
        if answer is not None:
            services.link_projects(older, projects=[answer], by=unodc)
        # It was asked three months ago: its history says so.
        asked = timezone.now() - timedelta(days=90)
        SupportRequest.objects.filter(pk=older.pk).update(created_at=asked)
        for days, change in enumerate(older.history.order_by("pk")):
            StatusChange.objects.filter(pk=change.pk).update(changed_at=asked + timedelta(days=days * 12))
        run.write("support: an older request of Kenya's, agreed with UNODC, answered by a project")


def _ask(by, texts, *, visibility, group=None, entities=()) -> SupportRequest:
    title, description, theme = texts
    found = themes_offered().filter(name=theme).first() or themes_offered().first()
    form = RequestForm(
        {
            "title": title,
            "description": description,
            "theme": found.pk,
            "owner": Organization.objects.get(reference_key="state:KEN").pk,
            "visibility": visibility,
            "addressed_working_group": group.pk if group else "",
            "addressed_entities": [entity.pk for entity in entities],
        },
        user=by,
    )
    if not form.is_valid():
        raise ValueError(f"the demo request is not valid: {form.errors.as_text()}")
    return services.ask(form=form, by=by)
