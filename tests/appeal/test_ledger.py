"""The ledger is append-only in the database itself, audited on insert; every bad input is refused with a
message a person can act on; and who may write what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from appeal import services
from appeal.models import Earmark, Flow, Priority, Stage
from tests.appeal.conftest import flow
from tests.conftest import organization
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db


def refused(statement):
    """The DatabaseError a statement raises (in a savepoint, so the test goes on)."""
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        statement()
    return str(error.value)


def test_the_database_refuses_to_change_or_delete_an_entry(world):
    entry = world.flows["ken paid"]
    # when anything tries to change or delete an entry — the ORM, a bulk update, raw SQL
    attempts = [
        lambda: Flow.objects.filter(pk=entry.pk).update(amount=Decimal("1.00")),
        lambda: Flow.objects.filter(pk=entry.pk).delete(),
        lambda: connection.cursor().execute(
            "UPDATE appeal_flow SET amount_usd = 0.01 WHERE id = %s", [entry.pk]
        ),
        lambda: connection.cursor().execute("DELETE FROM appeal_flow WHERE id = %s", [entry.pk]),
        lambda: connection.cursor().execute("DELETE FROM appeal_flow"),
    ]
    # then the database refuses each, and the entry is as recorded
    for attempt in attempts:
        assert "Cannot update or delete rows from appeal_flow" in refused(attempt)
    entry.refresh_from_db()
    assert (entry.amount, entry.amount_usd) == (Decimal("250000.00"), Decimal("275825.00"))


def test_every_entry_is_audited_when_it_is_recorded(world, secretariat):
    events = apps.get_model("appeal", "FlowEvent").objects
    assert events.count() == Flow.objects.count() == 12
    event = events.get(pgh_obj=world.flows["nor reversal"])
    assert (event.pgh_label, event.amount, event.recorded_by_id) == (
        "insert",
        Decimal("-50000.00"),
        secretariat.pk,
    )


def test_the_database_checks_what_it_can_hold(world, secretariat):
    # given an entry the services would refuse, written around them
    base = {
        "cycle": world.cycle,
        "donor": organization("state:KEN"),
        "stage": Stage.PLEDGE,
        "date": date(2021, 1, 1),
        "currency": "USD",
        "usd_rate": Decimal(1),
        "recorded_by": secretariat,
        "earmark": Earmark.UNEARMARKED,
    }
    bad = [
        {"amount": Decimal(0), "amount_usd": Decimal(0)},
        {"amount": Decimal(-5), "amount_usd": Decimal(-5)},  # a new entry below zero
        {"amount": Decimal(5), "amount_usd": Decimal(5), "usd_rate": Decimal(2)},  # dollars at another rate
        {"amount": Decimal(5), "amount_usd": Decimal(-5)},
        {"amount": Decimal(5), "amount_usd": Decimal(5), "priority": Priority.VICTIMS},  # two earmarks
        {"amount": Decimal(5), "amount_usd": Decimal(5), "earmark": Earmark.PROJECT},  # project earmark, none
        {
            "amount": Decimal(-5),
            "amount_usd": Decimal(-5),
            "corrects": world.flows["ken pledge"],
        },  # no reason
    ]
    for fields in bad:
        refused(lambda fields=fields: Flow.objects.create(**{**base, **fields}))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "0"}, "The amount must be more than zero"),
        ({"amount": "-10"}, "The amount must be more than zero"),
        ({"amount": 10.5}, "not a floating-point number"),
        ({"amount": "10.005"}, "more than two decimals"),
        ({"amount": "NaN"}, "The amount is not a number."),
        ({"amount": "ten"}, "The amount is not a number."),
        ({"amount": "1e15"}, "The amount is too large."),
        ({"amount": "1e40"}, "The amount is too large."),
        ({"currency": "EUR", "usd_rate": "1e40"}, "at most ten digits before the point"),
        ({"currency": "XYZ"}, "Unknown currency: XYZ."),
        (
            {"amount": "99999999999999.99", "currency": "KWD", "usd_rate": "3.25"},
            "in US dollars at this rate is too",
        ),
        ({"currency": "EUR"}, "Give the rate to US dollars used for the amount in EUR."),
        ({"currency": "EUR", "usd_rate": "0"}, "The rate to US dollars must be more than zero."),
        ({"currency": "EUR", "usd_rate": "-1.1"}, "The rate to US dollars must be more than zero."),
        ({"usd_rate": "1.1"}, "An amount in US dollars has no other rate than 1."),
        ({"usd_rate": "one"}, "The rate is not a number."),
        ({"currency": "EUR", "usd_rate": 1.1}, "not a floating-point number"),
        ({"stage": "promise"}, "Not a stage of a flow: promise."),
        ({"earmark": Earmark.PRIORITY, "priority": "world_peace"}, "Choose the thematic priority"),
        ({"earmark": Earmark.PROJECT}, "Choose the appeal project of this cycle"),
        ({"earmark": Earmark.PILLAR}, "Choose the pillar"),
    ],
)
def test_a_bad_flow_is_refused_with_a_clear_message(cycle, secretariat, changes, message):
    fields = {
        "cycle": cycle, "donor": organization("state:KEN"), "stage": Stage.PLEDGE, "date": date(2021, 1, 1),
        "amount": "10", "currency": "USD", "earmark": Earmark.UNEARMARKED, "by": secretariat,
    }  # fmt: skip
    fields.update(changes)
    with pytest.raises(ValidationError, match=message):
        services.record_flow(**fields)
    assert not Flow.objects.exists()


def test_nothing_is_recorded_in_a_closed_cycle(world, secretariat, unodc_person):
    services.close_cycle(world.cycle, by=secretariat)
    closed = "The appeal cycle 2021–2022 is closed"
    with pytest.raises(ValidationError, match=closed):
        flow(secretariat, world.cycle, "state:KEN", Stage.PLEDGE, "10")
    with pytest.raises(ValidationError, match=closed):
        services.correct_flow(world.flows["ken pledge"], amount=Decimal("-1"), reason="Typo.", by=secretariat)
    with pytest.raises(ValidationError, match=closed):  # its projects are frozen too
        services.set_requirements(world.border, amounts={2021: "1"}, by=unodc_person)
    with pytest.raises(ValidationError, match=closed):
        services.add_appeal_project(
            cycle=world.cycle, project=make_project("Late"), priorities=[Priority.CFT], by=unodc_person
        )


def test_a_payment_above_the_commitment_needs_a_reason(world, secretariat):
    # given Norway committed US$ 300,000 to Victims' support and paid US$ 120,000 net
    victims = world.victims
    # when a payment would bring it to 300,000.01 without a reason: refused, with the figures
    with pytest.raises(ValidationError, match=r"US\$ 300,000.01, above the US\$ 300,000.00 it committed"):
        flow(secretariat, world.cycle, "state:NOR", Stage.PAID, "180000.01", to=victims)
    # up to the commitment it is recorded; above it, with a reason, too
    flow(secretariat, world.cycle, "state:NOR", Stage.PAID, "180000", to=victims)
    extra = flow(secretariat, world.cycle, "state:NOR", Stage.PAID, "5", to=victims, reason="Exchange gain.")
    assert extra.reason == "Exchange gain."


def test_a_correction_may_not_reverse_more_than_what_remains(world, secretariat):
    commitment = world.flows["ken commitment"]  # EUR 400,000 adjusted by −33,333.33: 366,666.67 remain
    with pytest.raises(ValidationError, match="what remains of the entry: 366,666.67 EUR"):
        services.correct_flow(commitment, amount=Decimal("-366666.68"), reason="Cancelled.", by=secretariat)
    reversal = services.correct_flow(
        commitment, amount=Decimal("-366666.67"), reason="Cancelled.", by=secretariat
    )
    assert services.remaining(commitment) == 0
    with pytest.raises(ValidationError, match="itself a correction"):
        services.correct_flow(reversal, amount=Decimal("1"), reason="Undo.", by=secretariat)
    with pytest.raises(ValidationError, match="Give the reason for the correction."):
        services.correct_flow(world.flows["ken pledge"], amount=Decimal("-1"), reason="  ", by=secretariat)
    with pytest.raises(ValidationError, match="A correction of zero changes nothing."):
        services.correct_flow(world.flows["ken pledge"], amount=Decimal("0"), reason="None.", by=secretariat)


def test_requirements_are_positive_and_within_the_cycle(world, unodc_person):
    with pytest.raises(ValidationError, match="2023 is not a year of the 2021–2022 appeal."):
        services.set_requirements(world.border, amounts={2023: "10"}, by=unodc_person)
    with pytest.raises(ValidationError, match="The requirement for 2021 must be more than zero."):
        services.set_requirements(world.border, amounts={2021: "0"}, by=unodc_person)
    with pytest.raises(ValidationError, match="The requirement for 2022 has more than two decimals."):
        services.set_requirements(world.border, amounts={2022: "1.001"}, by=unodc_person)
    # a year left out has no requirement any more
    kept = services.set_requirements(world.border, amounts={2022: "750000"}, by=unodc_person)
    assert [(r.year, r.amount_usd) for r in kept] == [(2022, Decimal("750000.00"))]


def test_who_may_write_what(world, secretariat, unodc_person, cted_person, ken_person):
    # only the Secretariat opens and closes cycles and keeps the ledger
    for person in (unodc_person, ken_person):
        with pytest.raises(PermissionDenied):
            services.open_cycle(name="2023–2024", first_year=2023, last_year=2024, by=person)
        with pytest.raises(PermissionDenied):
            flow(person, world.cycle, "state:KEN", Stage.PLEDGE, "10")
        with pytest.raises(PermissionDenied):
            services.close_cycle(world.cycle, by=person)
    # a lead entity appeals for its own projects only, and sets their requirements
    with pytest.raises(PermissionDenied):
        services.add_appeal_project(
            cycle=world.cycle, project=make_project("UNODC's"), priorities=[Priority.CFT], by=cted_person
        )
    with pytest.raises(PermissionDenied):
        services.set_requirements(world.border, amounts={2021: "1"}, by=cted_person)
    with pytest.raises(PermissionDenied):  # not the Secretariat as such either
        services.set_requirements(world.border, amounts={2021: "1"}, by=secretariat)


@pytest.mark.parametrize(
    ("name", "first", "last", "message"),
    [
        ("", 2023, 2024, "Give the cycle a name"),
        ("2021–2022", 2021, 2022, "There is already a cycle named 2021–2022."),
        ("Backwards", 2024, 2023, "A cycle runs from its first year to its last"),
        ("Typo", 2023, 20241, "A cycle runs from its first year to its last"),
    ],
)
def test_a_bad_cycle_is_refused(cycle, secretariat, name, first, last, message):
    with pytest.raises(ValidationError, match=message):
        services.open_cycle(name=name, first_year=first, last_year=last, by=secretariat)


def test_appeal_projects_have_known_priorities_and_come_once_per_cycle(world, unodc_person):
    with pytest.raises(ValidationError, match="Choose at least one thematic priority."):
        services.add_appeal_project(
            cycle=world.cycle, project=make_project("A"), priorities=[], by=unodc_person
        )
    with pytest.raises(ValidationError, match="Not a thematic priority of the Appeal: peace."):
        services.add_appeal_project(
            cycle=world.cycle, project=make_project("B"), priorities=["peace"], by=unodc_person
        )
    with pytest.raises(ValidationError, match="already in the 2021–2022 appeal"):
        services.add_appeal_project(
            cycle=world.cycle, project=world.border.project, priorities=[Priority.CFT], by=unodc_person
        )
