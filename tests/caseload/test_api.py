"""``GET /api/v1/caseload/`` and ``/api/v1/caseload/plan/``: status, permissions, shape, figures.

Data: the "Rekenstad" fixture (tests/caseload/conftest.py); figures worked out by hand there and
in test_selectors.py.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Handover

pytestmark = pytest.mark.django_db
URL = reverse("api-caseload")
PLAN = reverse("api-caseload-plan")

FIGURE_FIELDS = [
    "fte",
    "capacity_hours",
    "expected_hours",
    "utilisation",
    "youths_by_role",
    "youths_total",
    "youths_served",
    "youths_per_fte_year",
    "logged_hours",
    "overhead_share",
    "long_in_role_youths",
    "flags",
]


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_is_refused(api, rekenstad):
    response = api.get(URL, {"date": "2025-03-01"})
    assert response.status_code == 403
    assert "workers" not in response.json()
    assert api.get(PLAN, {"coaching": "50x20"}).status_code == 403


def test_shape_of_the_date_document(api, rekenstad):
    api.force_authenticate(rekenstad.lead_noord)
    response = api.get(URL, {"date": "2025-03-01"})
    assert response.status_code == 200
    document = response.json()
    assert list(document) == ["mode", "date", "workers", "teams"]
    assert list(document["workers"][0]) == ["worker_id", "team", *FIGURE_FIELDS]
    assert list(document["teams"][0]) == ["team", *FIGURE_FIELDS]
    assert list(document["workers"][0]["youths_by_role"]) == ["coaching", "uitvoering", "regie", "monitoring"]
    w1 = document["workers"][0]
    assert (w1["worker_id"], w1["expected_hours"], w1["utilisation"], w1["flags"]) == (
        "W-1",
        138.0,
        1.15,
        ["overload", "long_in_role"],
    )


def test_shape_of_the_period_document(api, rekenstad):
    api.force_authenticate(rekenstad.lead_noord)
    document = api.get(URL, {"from": "2025-02-01", "to": "2025-03-01"}).json()
    assert list(document) == ["mode", "from", "to", "workers", "teams"]
    assert (document["mode"], document["from"], document["to"]) == ("period", "2025-02-01", "2025-03-01")
    w1 = document["workers"][0]
    assert w1["logged_hours"] == {"client_direct": 1.5, "client_indirect": 0.5, "overhead": 2.0}
    assert (w1["expected_hours"], w1["capacity_hours"], w1["utilisation"], w1["overhead_share"]) == (
        12.1,
        9.2,
        1.317,
        0.5,
    )
    assert document["teams"][0]["youths_per_fte_year"] == 86.905


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, None),
        ({"date": "2025-13-01"}, "date"),
        ({"date": "1-3-2025"}, "date"),
        ({"from": "2025-01-01"}, None),
        ({"to": "2025-01-01"}, None),
        ({"from": "2025-03-01", "to": "2025-03-01"}, "to"),
        ({"from": "2025-03-01", "to": "2025-02-01"}, "to"),
        ({"from": "gisteren", "to": "2025-02-01"}, "from"),
        ({"date": "2025-03-01", "from": "2025-01-01", "to": "2025-02-01"}, None),
    ],
)
def test_bad_parameters_are_a_clear_400(api, rekenstad, params, field):
    api.force_authenticate(rekenstad.lead_noord)
    response = api.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    if field:
        assert field in body


def test_team_lead_sees_only_their_team(api, rekenstad):
    api.force_authenticate(rekenstad.lead_zuid)
    document = api.get(URL, {"date": "2025-03-01"}).json()
    assert [w["worker_id"] for w in document["workers"]] == ["W-3"]
    assert [t["team"] for t in document["teams"]] == ["Zuid"]


def test_team_of_another_team_or_organisation_is_404(api, rekenstad):
    api.force_authenticate(rekenstad.lead_noord)
    for team in (rekenstad.zuid.pk, "Zuid", rekenstad.oost.pk, "Oost", "bestaat-niet"):
        response = api.get(URL, {"date": "2025-03-01", "team": team})
        assert response.status_code == 404, team
        assert "workers" not in response.json()
    api.force_authenticate(rekenstad.lead_oost)
    assert api.get(URL, {"date": "2025-03-01", "team": rekenstad.noord.pk}).status_code == 404
    # and without team= only their own organisation's figures
    document = api.get(URL, {"date": "2025-03-01"}).json()
    assert [w["worker_id"] for w in document["workers"]] == ["W-9"]


def test_analyst_may_narrow_to_a_team_by_id_or_name(api, rekenstad):
    api.force_authenticate(rekenstad.analyst)
    document = api.get(URL, {"date": "2025-03-01"}).json()
    assert [t["team"] for t in document["teams"]] == ["Noord", "Zuid"]
    by_name = api.get(URL, {"date": "2025-03-01", "team": "Zuid"}).json()
    by_id = api.get(URL, {"date": "2025-03-01", "team": rekenstad.zuid.pk}).json()
    assert by_name == by_id
    assert [w["worker_id"] for w in by_id["workers"]] == ["W-3"]


def test_worker_gets_only_their_own_row(api, rekenstad):
    api.force_authenticate(rekenstad.worker_user)
    document = api.get(URL, {"date": "2025-03-01"}).json()
    assert [w["worker_id"] for w in document["workers"]] == ["W-1"]
    assert document["teams"] == []
    assert api.get(URL, {"date": "2025-03-01", "team": rekenstad.zuid.pk}).status_code == 404


def test_the_api_writes_nothing(api, rekenstad):
    api.force_authenticate(rekenstad.lead_noord)
    assert api.post(URL, {"date": "2025-03-01"}).status_code == 405
    assert not Handover.objects.exists()


# --- Planning ---------------------------------------------------------------------------------


def test_plan_asks_what_the_planning_page_asks(api, rekenstad):
    # The planning page needs SEE_AGGREGATES (core.access); a worker is refused there and here.
    api.force_authenticate(rekenstad.worker_user)
    assert api.get(PLAN, {"coaching": "50x20"}).status_code == 403


def test_plan_reproduces_the_study(api, rekenstad):
    api.force_authenticate(rekenstad.lead_noord)
    response = api.get(PLAN, {"coaching": "50x20", "regie": "25x6", "monitoring": "25x4"})
    assert response.status_code == 200
    assert response.json() == {"total_hours": 1250.0, "youths": 100, "hours_per_youth": 12.5, "fte_needed": 1.042}


def test_plan_with_fte_tells_how_many_youths_fit(api, rekenstad):
    api.force_authenticate(rekenstad.analyst)
    response = api.get(PLAN, {"coaching": "50x20", "regie": "25x6", "monitoring": "25x4", "fte": "2"})
    # 2 * 1200 / 12.5 = 192 youths
    assert response.json()["youths_that_fit"] == 192
    assert response.json()["fte"] == 2.0


@pytest.mark.parametrize("params", [{}, {"coaching": "50"}, {"coaching": "ax20"}, {"coaching": "50x20", "fte": "veel"}])
def test_plan_bad_input(api, rekenstad, params):
    api.force_authenticate(rekenstad.lead_noord)
    response = api.get(PLAN, params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_schema_documents_the_parameters(api, rekenstad):
    api.force_authenticate(rekenstad.analyst)
    response = api.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/caseload/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"date", "from", "to", "team"}
    assert "/api/v1/caseload/plan/" in schema["paths"]
