"""/api/v1/cost-items/ (issue 15): every endpoint for anonymous, worker, team lead of another team,
another organisation and the allowed users; the response shape; 400s and 403s with nothing written.

The cohort (tests/mkba/conftest.py): the lead leads team Noord (T1, T2); T3 and T4 are team Zuid's.
"""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from cases.models import CostItem, CostLine
from core.models import AuditLogEntry
from tests.factories import CostItemFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/api/v1/cost-items/"
NOT_VISIBLE = ["Onbekend of niet zichtbaar voor u."]


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def cohort(cohort):
    """The conftest's cohort without its cost items: each test here makes the ones it counts."""
    CostItem.objects.all().delete()
    return cohort


class Items:
    """One item on T1 (Noord), one on T3 (Zuid), one on the approach, one in the other organisation."""

    def __init__(self, cohort):
        self.on_t1 = CostItemFactory(
            approach=cohort.approach,
            trajectory=cohort.t1,
            line=CostLine.EXTRA_ZORG,
            amount=Decimal("100.00"),
            date=D(2024, 2, 1),
        )
        self.on_t3 = CostItemFactory(
            approach=cohort.approach,
            trajectory=cohort.t3,
            line=CostLine.EXTRA_ZORG,
            amount=Decimal("200.00"),
            date=D(2024, 7, 1),
        )
        self.on_approach = CostItemFactory(
            approach=cohort.approach,
            trajectory=None,
            line=CostLine.LOON_VERGOEDINGEN,
            amount=Decimal("300.00"),
            date=D(2024, 3, 1),
        )
        self.foreign = CostItemFactory(approach=cohort.foreign_approach, amount=Decimal("400.00"))


@pytest.fixture
def items(cohort):
    return Items(cohort)


def _state():
    return (
        sorted(CostItem.objects.values_list("pk", "trajectory_id", "date", "line", "amount", "description")),
        AuditLogEntry.objects.filter(object_type="cost_item").count(),
    )


def body(cohort, **changes):
    data = {
        "approach": cohort.approach.pk,
        "trajectory": cohort.t1.pk,
        "date": "2024-04-01",
        "line": "overige_interventie",
        "amount": "1234.50",
        "description": "trainingsbudget",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


# --- list and retrieve ------------------------------------------------------------------------------


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_gets_nothing(items):
    assert client_for().get(URL).status_code in (401, 403)
    assert client_for().get(f"{URL}{items.on_t1.pk}/").status_code in (401, 403)


@pytest.mark.parametrize("role", ["worker_user", "admin"])
def test_workers_and_admins_are_refused(cohort, items, role):
    client = client_for(getattr(cohort, role))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{items.on_t1.pk}/").status_code == 403
    before = _state()
    assert client.post(URL, body(cohort), format="json").status_code == 403
    assert client.put(f"{URL}{items.on_t1.pk}/", body(cohort), format="json").status_code == 403
    assert client.delete(f"{URL}{items.on_t1.pk}/").status_code == 403
    assert _state() == before


def test_the_analyst_lists_the_organisations_items_by_keys(cohort, items):
    response = client_for(cohort.analyst).get(URL)
    assert _ids(response) == {items.on_t1.pk, items.on_t3.pk, items.on_approach.pk}
    row = next(row for row in response.json()["results"] if row["id"] == items.on_t1.pk)
    assert row == {
        "id": items.on_t1.pk,
        "approach": cohort.approach.pk,
        "trajectory": cohort.t1.pk,
        "trajectory_key": cohort.t1.external_id,
        "youth_key": cohort.t1.youth.external_id,
        "date": "2024-02-01",
        "line": "extra_zorg",
        "line_label": "2. Extra inzet van zorg of ondersteuning",
        "amount": "100.00",
        "description": "",
    }


def test_the_team_lead_lists_their_teams_items_and_the_approach_level_ones(cohort, items):
    assert _ids(client_for(cohort.lead).get(URL)) == {items.on_t1.pk, items.on_approach.pk}
    assert client_for(cohort.lead).get(f"{URL}{items.on_t3.pk}/").status_code == 404  # another team


def test_another_organisation_sees_none_of_it(cohort, items):
    client = client_for(cohort.foreign_analyst)
    assert _ids(client.get(URL)) == {items.foreign.pk}
    assert client.get(f"{URL}{items.on_t1.pk}/").status_code == 404
    assert client.get(f"{URL}{items.on_approach.pk}/").status_code == 404


def test_filters(cohort, items):
    client = client_for(cohort.analyst)
    assert _ids(client.get(URL, {"trajectory": cohort.t3.pk})) == {items.on_t3.pk}
    assert _ids(client.get(URL, {"line": "loon_vergoedingen"})) == {items.on_approach.pk}
    assert _ids(client.get(URL, {"date_from": "2024-03-01", "date_to": "2024-07-01"})) == {
        items.on_approach.pk,
        items.on_t3.pk,
    }
    assert _ids(client.get(URL, {"approach_level": "true"})) == {items.on_approach.pk}
    assert _ids(client.get(URL, {"approach": cohort.other_approach.pk})) == set()
    assert _ids(client.get(URL, {"approach": cohort.foreign_approach.pk})) == set()  # no widening by a filter
    assert client.get(URL, {"line": "huur"}).status_code == 400
    assert client.get(f"{URL}99999999999999999999/").status_code == 404


def test_the_list_makes_a_bounded_number_of_queries(cohort, items, django_assert_max_num_queries):
    for day in range(1, 29):
        CostItemFactory(approach=cohort.approach, trajectory=cohort.t2, date=D(2024, 3, day))
    with django_assert_max_num_queries(8):
        assert len(client_for(cohort.analyst).get(URL).json()["results"]) == 31


# --- create ----------------------------------------------------------------------------------------


def test_the_analyst_creates_an_item(cohort):
    response = client_for(cohort.analyst).post(URL, body(cohort), format="json")

    assert response.status_code == 201, response.content
    item = CostItem.objects.get()
    assert response.json()["id"] == item.pk
    assert (item.trajectory, item.date, item.line, item.amount) == (
        cohort.t1,
        D(2024, 4, 1),
        "overige_interventie",
        Decimal("1234.50"),
    )
    assert response.json()["amount"] == "1234.50"
    assert AuditLogEntry.objects.filter(object_type="cost_item", youth_key=cohort.t1.youth.external_id).count() == 1


def test_the_approach_follows_from_the_trajectory(cohort):
    response = client_for(cohort.analyst).post(URL, body(cohort, approach=...), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["approach"] == cohort.approach.pk


def test_an_approach_level_item(cohort):
    response = client_for(cohort.analyst).post(URL, body(cohort, trajectory=None, date="2030-01-01"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["trajectory"] is None


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"amount": "-1"}, {"amount": ["Het bedrag mag niet negatief zijn."]}),
        ({"amount": "1.005"}, {"amount": ["Hoogstens twee cijfers achter de komma (centen)."]}),
        (
            {"line": "begeleiding"},
            {"line": ["Kosten begeleiding (1a) volgen uit de geschreven uren; kies kostenpost 1b, 1c, 2 of 3."]},
        ),
        ({"date": "2024-01-14"}, {"date": ["De datum moet binnen het traject liggen: op of na 15 januari 2024."]}),
        ({"approach": ..., "trajectory": None}, {"approach": ["Geef een aanpak of een traject."]}),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(cohort, changes, errors):
    before = _state()
    response = client_for(cohort.analyst).post(URL, body(cohort, **changes), format="json")
    assert response.status_code == 400
    data = response.json()
    assert data.pop("detail")
    assert data == errors
    assert _state() == before


def test_ids_outside_the_scope_are_a_400_on_that_field(cohort):
    foreign_trajectory = TrajectoryFactory(approach=cohort.foreign_approach, start_date=D(2024, 1, 1))
    cases = [
        (cohort.lead, body(cohort, trajectory=cohort.t3.pk, date="2024-07-01"), "trajectory"),  # other team
        (cohort.lead, body(cohort, trajectory=None), "trajectory"),  # approach level: the analyst's
        (cohort.analyst, body(cohort, trajectory=foreign_trajectory.pk), "trajectory"),  # other organisation
        (cohort.analyst, body(cohort, approach=cohort.foreign_approach.pk, trajectory=None), "approach"),
    ]
    for user, data, field in cases:
        before = _state()
        response = client_for(user).post(URL, data, format="json")
        assert response.status_code == 400, (data, response.content)
        assert field in response.json()
        assert _state() == before


def test_the_team_lead_creates_on_their_teams_trajectory(cohort):
    response = client_for(cohort.lead).post(URL, body(cohort, trajectory=cohort.t2.pk), format="json")
    assert response.status_code == 201, response.content


# --- update and delete -----------------------------------------------------------------------------


def test_the_analyst_updates_and_deletes(cohort, items):
    client = client_for(cohort.analyst)
    response = client.put(
        f"{URL}{items.on_approach.pk}/",
        body(cohort, trajectory=None, amount="99.9", line="extra_onderwijs"),
        format="json",
    )
    assert response.status_code == 200, response.content
    items.on_approach.refresh_from_db()
    assert (items.on_approach.amount, items.on_approach.line) == (Decimal("99.90"), "extra_onderwijs")

    assert client.delete(f"{URL}{items.on_approach.pk}/").status_code == 204
    assert not CostItem.objects.filter(pk=items.on_approach.pk).exists()
    assert AuditLogEntry.objects.filter(object_type="cost_item", object_id=str(items.on_approach.pk)).count() == 2


def test_the_team_lead_changes_their_teams_items_only(cohort, items):
    client = client_for(cohort.lead)
    before = _state()
    # the approach-level item: visible, not theirs to change
    assert client.put(f"{URL}{items.on_approach.pk}/", body(cohort, trajectory=None), format="json").status_code == 403
    assert client.delete(f"{URL}{items.on_approach.pk}/").status_code == 403
    # another team's item, another organisation's: not there
    assert client.put(f"{URL}{items.on_t3.pk}/", body(cohort), format="json").status_code == 404
    assert client.delete(f"{URL}{items.on_t3.pk}/").status_code == 404
    assert client.delete(f"{URL}{items.foreign.pk}/").status_code == 404
    # moving their item to another team's trajectory: a 400 on the field
    response = client.put(
        f"{URL}{items.on_t1.pk}/", body(cohort, trajectory=cohort.t3.pk, date="2024-07-01"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["trajectory"] == NOT_VISIBLE
    assert _state() == before

    response = client.put(f"{URL}{items.on_t1.pk}/", body(cohort, amount="150"), format="json")
    assert response.status_code == 200, response.content
    assert client.delete(f"{URL}{items.on_t1.pk}/").status_code == 204


def test_another_organisation_changes_nothing(cohort, items):
    client = client_for(cohort.foreign_analyst)
    before = _state()
    assert client.put(f"{URL}{items.on_t1.pk}/", body(cohort), format="json").status_code == 404
    assert client.delete(f"{URL}{items.on_approach.pk}/").status_code == 404
    assert _state() == before


def test_a_worker_where_the_organisation_allows_it(cohort, items):
    cohort.organisation.workers_enter_costs = True
    cohort.organisation.save(update_fields=["workers_enter_costs"])
    worker = type(cohort.worker_user).objects.get(pk=cohort.worker_user.pk)
    client = client_for(worker)

    assert _ids(client.get(URL)) == {items.on_t1.pk}  # their own trajectory's; nothing approach-level
    assert client.get(f"{URL}{items.on_approach.pk}/").status_code == 404
    assert client.post(URL, body(cohort, trajectory=cohort.t2.pk), format="json").status_code == 201
    before = _state()
    assert client.post(URL, body(cohort, trajectory=None), format="json").status_code == 400
    assert client.post(URL, body(cohort, trajectory=cohort.t3.pk), format="json").status_code == 400
    assert client.delete(f"{URL}{items.on_t3.pk}/").status_code == 404
    assert _state() == before
    assert client.delete(f"{URL}{items.on_t1.pk}/").status_code == 204
