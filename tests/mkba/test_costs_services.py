"""Cost items (issue 15, SPEC §4 cost lines 1b, 1c, 2, 3): the services' rules with exact values,
the audit rows, and the MKBA taking an entered cost into its figures.

The cohort (tests/mkba/conftest.py): approach "Jongerenadviseurs + werktraject", cohort
[2024-01-01, 2024-07-01); team Noord (lead "lead") has T1, T2, T5, T6 (and T7 in another approach),
team Zuid has T3, T4. The analyst reaches every trajectory of the organisation, the team lead Noord's.
"""

import datetime
from decimal import Decimal

import pytest

from cases.models import CostItem, CostLine
from core.exceptions import ApplicationError
from core.forms import decimal_parse as amount_parse
from core.models import AuditLogEntry
from mkba import selectors, services
from tests.factories import CostItemFactory, TrajectoryFactory
from tests.mkba.conftest import FROM, MEASURED_AT, TO

pytestmark = pytest.mark.django_db
D = datetime.date
NOT_VISIBLE = "Onbekend of niet zichtbaar voor u."


def _snapshot():
    return (
        sorted(CostItem.objects.values_list("pk", "approach_id", "trajectory_id", "date", "line", "amount")),
        AuditLogEntry.objects.filter(object_type="cost_item").count(),
    )


def _create(cohort, user=None, **changes):
    values = {
        "user": user or cohort.analyst,
        "approach": cohort.approach,
        "trajectory": cohort.t1,
        "date": D(2024, 4, 1),
        "line": CostLine.EXTRA_ZORG,
        "amount": Decimal("1234.50"),
        "description": "  schuldhulp  ",
    }
    values.update(changes)
    return services.cost_item_create(**values)


def _refused(cohort, user=None, **changes) -> dict[str, list[str]]:
    before = _snapshot()
    with pytest.raises(ApplicationError) as caught:
        _create(cohort, user=user, **changes)
    assert caught.value.message == "De kostenpost is niet opgeslagen: verbeter de gemarkeerde velden."
    assert _snapshot() == before  # nothing half-written, no audit row
    return caught.value.fields


def test_an_analyst_enters_a_cost_on_a_trajectory(cohort):
    item = _create(cohort)

    item.refresh_from_db()
    assert (item.approach_id, item.trajectory_id, item.date, item.line, item.amount, item.description) == (
        cohort.approach.pk,
        cohort.t1.pk,
        D(2024, 4, 1),
        "extra_zorg",
        Decimal("1234.50"),
        "schuldhulp",
    )
    audit = AuditLogEntry.objects.get(object_type="cost_item")
    assert audit.action == AuditLogEntry.Action.CREATE
    assert audit.object_id == str(item.pk)
    assert audit.user == cohort.analyst
    assert audit.youth_key == cohort.t1.youth.external_id  # a cost on a trajectory concerns a youth
    assert audit.organisation == cohort.organisation
    assert audit.detail == (
        f"kostenpost 2. Extra inzet van zorg of ondersteuning: € 1.234,50 op 1 april 2024 "
        f"(traject {cohort.t1.external_id})"
    )


def test_an_approach_level_cost_takes_any_date(cohort):
    item = _create(cohort, trajectory=None, date=D(2019, 1, 1), line=CostLine.LOON_VERGOEDINGEN, amount=Decimal(0))

    assert (item.trajectory_id, item.date, item.amount) == (None, D(2019, 1, 1), Decimal("0.00"))
    audit = AuditLogEntry.objects.get(object_type="cost_item")
    assert audit.youth_key == ""
    assert audit.detail == "kostenpost 1c. Kosten loon en vergoedingen: € 0,00 op 1 januari 2019 (aanpak)"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("-0.01"), "Het bedrag mag niet negatief zijn."),
        (Decimal("10.005"), "Hoogstens twee cijfers achter de komma (centen)."),
        (Decimal("10000000000"), "Het bedrag is te groot (hoogstens € 9.999.999.999,99)."),
        (Decimal("NaN"), "Geef een bedrag in euro, bijvoorbeeld 1234,50."),
        (12.5, "Geef een bedrag in euro, bijvoorbeeld 1234,50."),  # a float is no amount of money
    ],
)
def test_bad_amounts_are_refused(cohort, amount, message):
    assert _refused(cohort, amount=amount) == {"amount": [message]}


def test_two_decimals_and_the_largest_amount_are_accepted(cohort):
    assert _create(cohort, amount=Decimal("9999999999.99")).amount == Decimal("9999999999.99")
    assert _create(cohort, amount=Decimal("7.1")).amount == Decimal("7.10")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("begeleiding", "Kosten begeleiding (1a) volgen uit de geschreven uren; kies kostenpost 1b, 1c, 2 of 3."),
        ("huur", "Kies een kostenpost: 1b, 1c, 2 of 3."),
    ],
)
def test_lines_other_than_1b_1c_2_3_are_refused(cohort, line, message):
    assert _refused(cohort, line=line) == {"line": [message]}


def test_the_trajectory_must_belong_to_the_approach(cohort):
    assert _refused(cohort, trajectory=cohort.t7) == {
        "trajectory": ["Dit traject hoort niet bij de aanpak “Jongerenadviseurs + werktraject”."]
    }


def test_the_date_must_lie_within_the_trajectory(cohort):
    ended = TrajectoryFactory(
        approach=cohort.approach, worker=cohort.worker, start_date=D(2024, 2, 1), end_date=D(2024, 5, 1)
    )
    message = ["De datum moet binnen het traject liggen: op of na 1 februari 2024 en vóór 1 mei 2024."]
    assert _refused(cohort, trajectory=ended, date=D(2024, 1, 31)) == {"date": message}
    assert _refused(cohort, trajectory=ended, date=D(2024, 5, 1)) == {"date": message}  # the end is exclusive
    assert _create(cohort, trajectory=ended, date=D(2024, 2, 1)).date == D(2024, 2, 1)
    assert _create(cohort, trajectory=ended, date=D(2024, 4, 30)).date == D(2024, 4, 30)
    assert _refused(cohort, date=D(2024, 1, 14)) == {
        "date": ["De datum moet binnen het traject liggen: op of na 15 januari 2024."]
    }


def test_every_error_at_once(cohort):
    fields = _refused(cohort, approach=cohort.other_approach, line="x", amount=Decimal("-1"), description="x" * 301)
    assert set(fields) == {"trajectory", "line", "amount", "description"}
    assert fields["description"] == ["Hoogstens 300 tekens."]


def test_another_organisation_is_never_reachable(cohort):
    foreign_trajectory = TrajectoryFactory(approach=cohort.foreign_approach, start_date=D(2024, 1, 1))
    assert _refused(cohort, approach=cohort.foreign_approach, trajectory=None) == {"approach": [NOT_VISIBLE]}
    assert _refused(cohort, approach=cohort.foreign_approach, trajectory=foreign_trajectory) == {
        "approach": [NOT_VISIBLE],
        "trajectory": [NOT_VISIBLE],
    }
    # and the other organisation's analyst reaches nothing of ours
    assert _refused(cohort, user=cohort.foreign_analyst) == {"approach": [NOT_VISIBLE], "trajectory": [NOT_VISIBLE]}


def test_a_team_lead_enters_costs_on_the_trajectories_of_their_team_only(cohort):
    item = _create(cohort, user=cohort.lead, trajectory=cohort.t2, date=D(2024, 3, 1))
    assert item.trajectory == cohort.t2

    assert _refused(cohort, user=cohort.lead, trajectory=cohort.t3, date=D(2024, 7, 1)) == {"trajectory": [NOT_VISIBLE]}
    assert _refused(cohort, user=cohort.lead, trajectory=None) == {
        "trajectory": [
            "Kies een traject: kosten op de aanpak als geheel tellen voor elk team en voert een beleidsmedewerker in."
        ]
    }


@pytest.mark.parametrize("role", ["worker_user", "admin"])
def test_workers_and_admins_enter_no_costs(cohort, role):
    assert _refused(cohort, user=getattr(cohort, role)) == {"approach": [NOT_VISIBLE], "trajectory": [NOT_VISIBLE]}


def test_update_changes_the_item_and_is_audited_for_both_youths(cohort):
    item = _create(cohort)

    updated = services.cost_item_update(
        user=cohort.analyst,
        cost_item=item,
        approach=cohort.approach,
        trajectory=cohort.t3,
        date=D(2024, 7, 1),
        line=CostLine.EXTRA_ONDERWIJS,
        amount=Decimal("99.99"),
        description="",
    )

    updated.refresh_from_db()
    assert (updated.trajectory_id, updated.date, updated.line, updated.amount) == (
        cohort.t3.pk,
        D(2024, 7, 1),
        "extra_onderwijs",
        Decimal("99.99"),
    )
    rows = list(
        AuditLogEntry.objects.filter(object_type="cost_item", action=AuditLogEntry.Action.UPDATE)
        .order_by("pk")
        .values_list("youth_key", flat=True)
    )
    assert rows == [cohort.t3.youth.external_id, cohort.t1.youth.external_id]


def test_an_imported_1a_item_may_be_edited_but_nothing_becomes_1a(cohort):
    imported = CostItemFactory(approach=cohort.approach, trajectory=None, line=CostLine.BEGELEIDING, date=FROM)
    kept = services.cost_item_update(
        user=cohort.analyst,
        cost_item=imported,
        approach=cohort.approach,
        trajectory=None,
        date=FROM,
        line=CostLine.BEGELEIDING,
        amount=Decimal("10.00"),
    )
    assert (kept.line, kept.amount) == ("begeleiding", Decimal("10.00"))
    item = _create(cohort)
    with pytest.raises(ApplicationError) as caught:
        services.cost_item_update(
            user=cohort.analyst,
            cost_item=item,
            approach=cohort.approach,
            trajectory=cohort.t1,
            date=D(2024, 4, 1),
            line=CostLine.BEGELEIDING,
            amount=Decimal("1"),
        )
    assert list(caught.value.fields) == ["line"]


def test_a_team_lead_changes_no_approach_level_item(cohort):
    item = _create(cohort, trajectory=None)
    before = _snapshot()
    with pytest.raises(ApplicationError) as caught:
        services.cost_item_update(
            user=cohort.lead,
            cost_item=item,
            approach=cohort.approach,
            trajectory=cohort.t1,
            date=D(2024, 4, 1),
            line=CostLine.EXTRA_ZORG,
            amount=Decimal("1"),
        )
    assert caught.value.message == "Deze kostenpost kunt u niet wijzigen."
    with pytest.raises(ApplicationError):
        services.cost_item_delete(user=cohort.lead, cost_item=item)
    assert _snapshot() == before


def test_delete_removes_the_item_and_leaves_an_audit_row(cohort):
    item = _create(cohort)
    pk = item.pk

    services.cost_item_delete(user=cohort.analyst, cost_item=item)

    assert not CostItem.objects.filter(pk=pk).exists()
    audit = AuditLogEntry.objects.filter(object_type="cost_item").latest("pk")
    assert (audit.object_id, audit.youth_key) == (str(pk), cohort.t1.youth.external_id)
    assert audit.detail.startswith("verwijderd: kostenpost 2. Extra inzet van zorg of ondersteuning: € 1.234,50")


def test_an_entered_cost_changes_the_mkba_by_exactly_that_amount(cohort):
    """€ 1.000 on line 2 (extra zorg) of the approach, dated in the cohort's [from, to): the cost
    line, the total and, by the set's bearers (extra_zorg: gemeente 50%, zorgverzekeraar 50%), each
    stakeholder's costs go up by exactly that; the benefits do not move."""

    def report():
        return selectors.mkba_report_generate(
            approach=cohort.approach,
            date_from=FROM,
            date_to=TO,
            measured_at=MEASURED_AT,
            parameter_set=cohort.parameter_set,
        )

    before = report()
    _create(cohort, trajectory=None, date=D(2024, 3, 1), line=CostLine.EXTRA_ZORG, amount=Decimal("1000"))
    after = report()

    # By hand from the conftest: extra_zorg was € 400 (T2 on the measurement date).
    assert before["costs"]["extra_zorg"] == 400
    assert after["costs"]["extra_zorg"] == 1400
    assert after["total_costs"] - before["total_costs"] == 1000
    assert after["costs"]["overige_interventie"] == before["costs"]["overige_interventie"]
    assert after["stakeholders"]["gemeente"]["costs"] - before["stakeholders"]["gemeente"]["costs"] == 500
    assert after["stakeholders"]["zorgverzekeraar"]["costs"] - before["stakeholders"]["zorgverzekeraar"]["costs"] == 500
    assert after["total_benefits"] == before["total_benefits"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234,50", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("€ 1.234,50", Decimal("1234.50")),
        ("1 234,50", Decimal("1234.50")),
        ("1.234", Decimal("1234")),
        ("1.234.567", Decimal("1234567")),
        ("1234.50", Decimal("1234.50")),
        ("12,5", Decimal("12.5")),
        ("0", Decimal("0")),
        ("-5,00", Decimal("-5.00")),  # parsed; the service refuses it
        ("10,005", Decimal("10.005")),  # parsed; the service refuses it
    ],
)
def test_amounts_as_people_type_them(text, amount):
    assert amount_parse(text) == amount


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12.34,5", "1,2.3", "1e3", "NaN", "Infinity", ","])
def test_no_amount(text):
    with pytest.raises(ValueError):
        amount_parse(text)


def test_workers_enter_costs_on_their_own_trajectories_where_the_organisation_allows_it(cohort):
    cohort.organisation.workers_enter_costs = True
    cohort.organisation.save(update_fields=["workers_enter_costs"])
    worker = type(cohort.worker_user).objects.get(pk=cohort.worker_user.pk)  # fresh: the setting is read anew

    item = _create(cohort, user=worker, trajectory=cohort.t1)

    assert item.trajectory == cohort.t1
    assert _refused(cohort, user=worker, trajectory=cohort.t3, date=D(2024, 7, 1)) == {"trajectory": [NOT_VISIBLE]}
    assert _refused(cohort, user=worker, trajectory=None) == {
        "trajectory": [
            "Kies een traject: kosten op de aanpak als geheel tellen voor elk team en voert een beleidsmedewerker in."
        ]
    }
    # they read the items on their own trajectories only, nothing approach-level
    assert set(selectors.cost_items_visible_to(worker).values_list("trajectory_id", flat=True)) == {
        cohort.t1.pk,
        cohort.t2.pk,
        cohort.t5.pk,
    }
