"""The forecast page ``/planning/prognose/`` and ``GET /api/v1/caseload/forecast/`` (issue 17):
who may see which team, the document's shape, the what-ifs, and no audit row (aggregates only)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditLogEntry
from tests.factories import PeriodFactory, TrajectoryFactory, YouthFactory

pytestmark = pytest.mark.django_db
D = dt.date
API = "/api/v1/caseload/forecast/"


def test_the_api_gives_a_team_lead_their_teams_forecast(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    before = AuditLogEntry.objects.count()
    response = client.get(API, {"team": rekenstad.noord.pk, "date": "2025-03-15", "weeks": 4})
    assert response.status_code == 200
    document = response.json()
    assert (document["team"], document["date"], document["weeks"], document["band"]) == (
        "Noord",
        "2025-03-15",
        4,
        "p10-p90",
    )
    assert [row["worker_id"] for row in document["workers"]] == ["W-1", "W-2"]
    team = document["teams"][0]
    # Today's load as the engine's date mode: t1 40 + t2 regie 12 x 1.5 + t3 (B) 80 + t4 monitoring 8.
    assert team["expected_hours_today"] == 146.0
    assert [week["from"] for week in team["weeks"]] == ["2025-03-15", "2025-03-22", "2025-03-29", "2025-04-05"]
    # Capacity: 0.1 + 0.5 fte = 0.6 x 1200 x 7 / 365 = 13.8 h a week.
    assert team["weeks"][0]["capacity_hours"] == 13.8
    assert AuditLogEntry.objects.count() == before  # no youth named


def test_the_api_what_if_a_worker_leaves(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    params = {"team": rekenstad.noord.pk, "date": "2025-03-15", "weeks": 4}
    plain = client.get(API, params).json()
    leaving = client.get(API, params | {"worker": "W-1", "worker_fte": "0", "worker_from": "2025-03-15"}).json()
    w1, w2 = leaving["workers"]
    assert w1["weeks"][0]["expected_hours"] == 0.0 and w1["weeks"][0]["capacity_hours"] == 0.0
    # W-2 takes W-1's youths; the team's hours stay, its capacity drops to 0.5 fte.
    assert leaving["teams"][0]["weeks"][0]["expected_hours"] == plain["teams"][0]["weeks"][0]["expected_hours"]
    assert leaving["teams"][0]["weeks"][0]["capacity_hours"] == 11.5  # 0.5 x 1200 x 7 / 365 = 11.51
    assert w2["weeks"][0]["expected_hours"] == leaving["teams"][0]["weeks"][0]["expected_hours"]


def test_the_api_refuses_what_it_should(client, rekenstad):
    assert client.get(API).status_code in (401, 403)
    client.force_login(rekenstad.worker_user)
    assert client.get(API, {"team": rekenstad.noord.pk}).status_code == 403
    client.force_login(rekenstad.lead_noord)
    assert client.get(API, {"team": rekenstad.zuid.pk}).status_code == 404  # not his team
    assert client.get(API, {"team": rekenstad.oost.pk}).status_code == 404  # another organisation
    assert client.get(API, {"team": rekenstad.noord.pk, "weeks": 27}).status_code == 400
    client.force_login(rekenstad.analyst)
    assert client.get(API, {"team": rekenstad.zuid.pk, "date": "2025-03-15"}).status_code == 200


def test_the_page_explains_its_figures_in_dutch(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    response = client.get(reverse("caseload:forecast"), {"team": rekenstad.noord.pk, "datum": "2025-03-15", "weken": 4})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Prognose van de belasting: Noord" in html
    assert "15 maart 2025" in html
    assert html.count('class="forecast-week"') == 4
    assert "Anna Bakker" in html and "Bram Claassen" in html
    assert "Hoe lang jongeren in een fase en rol blijven" in html


def test_the_page_refuses_a_worker_and_another_team(client, rekenstad):
    client.force_login(rekenstad.worker_user)
    assert client.get(reverse("caseload:forecast")).status_code == 403
    client.force_login(rekenstad.lead_zuid)
    assert client.get(reverse("caseload:forecast"), {"team": rekenstad.noord.pk}).status_code == 404


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_page_and_api_queries_do_not_grow_with_the_history(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    api = {"team": rekenstad.noord.pk, "date": "2025-03-15", "weeks": 4}
    page = {"team": rekenstad.noord.pk, "datum": "2025-03-15", "weken": 4}
    before = (_queries(client, API, api), _queries(client, reverse("caseload:forecast"), page))
    approach = rekenstad.trajectories["t1"].approach
    for index in range(30):
        youth = YouthFactory(organisation=rekenstad.organisation, external_id=f"extra-{index}")
        start = D(2024, 1, 1) + dt.timedelta(days=10 * index)
        trajectory = TrajectoryFactory(youth=youth, approach=approach, worker=rekenstad.w2, start_date=start)
        PeriodFactory(trajectory=trajectory, role="coaching", start_date=start, end_date=start + dt.timedelta(days=40))
        PeriodFactory(trajectory=trajectory, role="monitoring", start_date=start + dt.timedelta(days=40))
    after = (_queries(client, API, api), _queries(client, reverse("caseload:forecast"), page))
    assert after == before


def test_a_team_without_workers_has_an_empty_forecast(client, rekenstad):
    from tests.factories import TeamFactory

    empty = TeamFactory(organisation=rekenstad.organisation, name="Leeg")
    client.force_login(rekenstad.analyst)
    document = client.get(API, {"team": empty.pk, "date": "2025-03-15", "weeks": 4}).json()
    assert (document["team"], document["teams"], document["workers"]) == ("Leeg", [], [])
    assert client.get(reverse("caseload:forecast"), {"team": empty.pk, "datum": "2025-03-15"}).status_code == 200


def test_a_different_norm_holds_for_every_approach(client, rekenstad):
    # Coaching at 50.5 instead of 40 (A) and 80 (B's own): t1 50.5 + t2 regie 12 x 1.5 + t3 50.5 +
    # t4 monitoring 8 = 127 h a year today; the page takes the decimal comma.
    client.force_login(rekenstad.lead_noord)
    params = {"team": rekenstad.noord.pk, "date": "2025-03-15", "weeks": 4, "norm_coaching": "50.5"}
    assert client.get(API, params).json()["teams"][0]["expected_hours_today"] == 127.0
    page = client.get(
        reverse("caseload:forecast"),
        {"team": rekenstad.noord.pk, "datum": "2025-03-15", "weken": 4, "norm_coaching": "50,5"},
    ).content.decode()
    assert '<div class="value" id="today-hours">127</div>' in page


def test_a_what_if_without_its_other_half_is_an_error_not_nothing(client, rekenstad):
    # Review: a worker of another team, an fte without a worker and extra meldingen without a month
    # were dropped and the API answered 200 with no what-if at all.
    client.force_login(rekenstad.lead_noord)
    params = {"team": rekenstad.noord.pk, "date": "2025-03-15", "weeks": 4}
    cases = [
        ({"worker": "W-3", "worker_fte": "0"}, "worker"),  # Zuid's worker
        ({"worker": "W-1"}, "worker_fte"),
        ({"worker_fte": "0.5"}, "worker"),
        ({"extra_meldingen": "5"}, "extra_month"),
    ]
    for extra, field in cases:
        response = client.get(API, params | extra)
        assert response.status_code == 400 and field in response.json(), (extra, response.json())
