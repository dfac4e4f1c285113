"""The Appeal's tests' world: the 2021–2022 cycle with two appeal projects, their requirements and a
hand-computed ledger (docs/appeal.md), all written through the services as the Secretariat and the lead
entities would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from appeal import services
from appeal.models import AppealCycle, AppealProject, Earmark, Flow, Priority, Stage
from directory.models import Pillar
from tests.conftest import organization
from tests.projects.conftest import make_project


@pytest.fixture
def cycle(secretariat) -> AppealCycle:
    return services.open_cycle(name="2021–2022", first_year=2021, last_year=2022, by=secretariat)


@pytest.fixture
def cted_person(compact, make_user):
    return make_user("cted@example.org", organization=organization("entity:CTED"), full_name="Cleo Cted")


@dataclass
class World:
    cycle: AppealCycle
    border: AppealProject  # UNODC's, joint with UNDP, published
    victims: AppealProject  # CTED's, alone
    flows: dict[str, Flow]


def appeal_for(cycle, title: str, lead: str, person, priorities, requirements, **project) -> AppealProject:
    appealed = services.add_appeal_project(
        cycle=cycle, project=make_project(title, lead=lead, **project), priorities=priorities, by=person,
        is_published=True,
    )  # fmt: skip
    services.set_requirements(appealed, amounts=requirements, by=person)
    return appealed


def flow(
    secretariat, cycle, donor: str, stage: str, amount: str, currency: str = "USD", rate=None, **earmark
):
    """A new entry of the ledger, earmarked as ``earmark`` says (``to`` an appeal project, a ``pillar``
    number, a ``priority``; none: unearmarked)."""
    if "to" in earmark:
        kind, target = Earmark.PROJECT, {"appeal_project": earmark.pop("to")}
    elif "pillar" in earmark:
        kind, target = Earmark.PILLAR, {"pillar": Pillar.objects.get(number=earmark.pop("pillar"))}
    elif "priority" in earmark:
        kind, target = Earmark.PRIORITY, {"priority": earmark.pop("priority")}
    else:
        kind, target = Earmark.UNEARMARKED, {}
    return services.record_flow(
        cycle=cycle, donor=organization(donor), stage=stage, date=earmark.pop("on", date(2021, 3, 1)),
        amount=Decimal(amount), currency=currency, usd_rate=None if rate is None else Decimal(rate),
        earmark=kind, by=secretariat, **target, **earmark,
    )  # fmt: skip


@pytest.fixture
def world(cycle, secretariat, unodc_person, cted_person) -> World:
    """The ledger of the hand computation (docs/appeal.md, "A worked example"):

    - Border security (UNODC, with UNDP: joint; pillar II), border security and criminal justice: 2021
      US$ 1,000,000, 2022 US$ 500,000. Victims' support (CTED; pillars I and IV), victims of terrorism: 2021
      US$ 400,000.
    - Kenya to Border security: pledge EUR 500,000 at 1.085 (US$ 542,500.00), commitment EUR 400,000 at
      1.085 (US$ 434,000.00) adjusted by EUR −33,333.33 (US$ −36,166.66), paid EUR 250,000 at 1.1033
      (US$ 275,825.00). Kenya unearmarked: commitment EUR 100.10 at 1.05 (US$ 105.105 → 105.11, half up).
    - Norway to Victims' support: pledge US$ 350,000, commitment US$ 300,000, paid US$ 120,000, paid
      US$ 50,000 reversed in full. Norway to preventing violent extremism: commitment JPY 10,000,000 at
      0.00672513 (US$ 67,251.30).
    - Japan to pillar II: paid GBP 10,000 at 1.27 (US$ 12,700.00) without a commitment, with its reason.
    """
    border = appeal_for(
        cycle, "Border security", "entity:UNODC", unodc_person,
        [Priority.BORDER_SECURITY, Priority.CRIMINAL_JUSTICE], {2021: "1000000", 2022: "500000.00"},
        partners=["entity:UNDP"], pillars=[2],
    )  # fmt: skip
    victims = appeal_for(
        cycle, "Victims' support", "entity:CTED", cted_person, [Priority.VICTIMS], {2021: "400000"},
        pillars=[1, 4],
    )  # fmt: skip
    s = secretariat
    flows = {
        "ken pledge": flow(s, cycle, "state:KEN", Stage.PLEDGE, "500000", "EUR", "1.085", to=border),
        "ken commitment": flow(s, cycle, "state:KEN", Stage.COMMITMENT, "400000", "EUR", "1.085", to=border),
        "ken paid": flow(s, cycle, "state:KEN", Stage.PAID, "250000", "EUR", "1.1033", to=border),
        "ken unearmarked": flow(s, cycle, "state:KEN", Stage.COMMITMENT, "100.10", "EUR", "1.05"),
        "nor pledge": flow(s, cycle, "state:NOR", Stage.PLEDGE, "350000", to=victims),
        "nor commitment": flow(s, cycle, "state:NOR", Stage.COMMITMENT, "300000", to=victims),
        "nor paid": flow(s, cycle, "state:NOR", Stage.PAID, "120000", to=victims),
        "nor paid twice": flow(s, cycle, "state:NOR", Stage.PAID, "50000", to=victims),
        "nor pcve": flow(
            s, cycle, "state:NOR", Stage.COMMITMENT, "10000000", "JPY", "0.00672513", priority="pcve"
        ),
        "jpn pillar": flow(
            s,
            cycle,
            "state:JPN",
            Stage.PAID,
            "10000",
            "GBP",
            "1.27",
            pillar=2,
            reason="Paid directly by the embassy; no commitment was recorded.",
        ),  # fmt: skip
    }
    flows["ken adjustment"] = services.correct_flow(
        flows["ken commitment"],
        amount=Decimal("-33333.33"),
        reason="The agreement was signed for less.",
        by=s,
    )
    flows["nor reversal"] = services.correct_flow(
        flows["nor paid twice"], amount=Decimal("-50000"), reason="Recorded twice.", by=s
    )
    return World(cycle=cycle, border=border, victims=victims, flows=flows)
