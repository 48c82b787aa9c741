"""The caseload figures from the shared cache (issue 16): a repeated view costs a cache read, and a
change of the organisation's data shows at once."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases.services import period_change

D = dt.date
URL = "/api/v1/caseload/"


def _w1(document):
    return next(row for row in document["workers"] if row["worker_id"] == "W-1")


@pytest.mark.django_db
def test_a_repeated_request_is_a_cache_read_and_a_change_shows_at_once(rekenstad, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(rekenstad.lead_noord)
    first = api.get(URL, {"date": "2025-03-01"}).json()
    assert _w1(first)["expected_hours"] == 138.0
    with CaptureQueriesContext(connection) as queries:
        again = api.get(URL, {"date": "2025-03-01"}).json()
    assert again == first
    # The scope (the teams the lead may see) and nothing of the engine's eight queries.
    assert not any("cases_period" in query["sql"] for query in queries.captured_queries)
    # y1 (t1, coaching 40 with W-1) goes to monitoring (8) on 1 March: 138 - 40 + 8 = 106.
    with django_capture_on_commit_callbacks(execute=True):
        period_change(
            user=rekenstad.lead_noord,
            trajectory=rekenstad.trajectories["t1"],
            date=D(2025, 3, 1),
            phase="nazorg",
            role="monitoring",
        )
    assert _w1(api.get(URL, {"date": "2025-03-01"}).json())["expected_hours"] == 106.0


@pytest.mark.django_db
def test_each_scope_and_date_has_its_own_figures(rekenstad):
    api = APIClient()
    api.force_authenticate(rekenstad.lead_noord)
    noord = api.get(URL, {"date": "2025-03-01"}).json()
    api.force_authenticate(rekenstad.lead_zuid)
    zuid = api.get(URL, {"date": "2025-03-01"}).json()
    assert [row["worker_id"] for row in zuid["workers"]] == ["W-3"] != [row["worker_id"] for row in noord["workers"]]
    api.force_authenticate(rekenstad.worker_user)
    (own,) = api.get(URL, {"date": "2025-03-01"}).json()["workers"]
    assert own["worker_id"] == "W-1"
    api.force_authenticate(rekenstad.lead_noord)
    assert api.get(URL, {"date": "2025-02-01"}).json()["date"] == "2025-02-01"


@pytest.mark.django_db
def test_the_dashboards_figures_and_chart_follow_a_change(rekenstad, django_capture_on_commit_callbacks):
    from caseload.selectors import team_chart_months, team_figures

    def w1_hours(day):
        figures = team_figures(team=rekenstad.noord, day=day, date_from=D(2025, 1, 1), date_to=D(2025, 4, 1))
        return _w1(figures.at_day)["expected_hours"]

    chart = team_chart_months(team=rekenstad.noord, day=D(2025, 3, 1))
    # 1 March: t1 coaching 40 + t2 regie 12 x 1.5 + t3 coaching (B) 80 = 138; 1 February also t4's
    # coaching with W-1 (40): 178. Each day has its own key.
    assert (w1_hours(D(2025, 3, 1)), w1_hours(D(2025, 2, 1))) == (138.0, 178.0)
    with django_capture_on_commit_callbacks(execute=True):
        period_change(
            user=rekenstad.lead_noord,
            trajectory=rekenstad.trajectories["t1"],
            date=D(2025, 3, 1),
            phase="nazorg",
            role="monitoring",
        )
    assert w1_hours(D(2025, 3, 1)) == 106.0
    after = team_chart_months(team=rekenstad.noord, day=D(2025, 3, 1))
    # The months before March keep their figures; March loses t1's coaching for monitoring:
    # (40 - 8) x 31 / 365 = 2.72 hours.
    assert [m.expected_hours for m in after if m.month < D(2025, 3, 1)] == [
        m.expected_hours for m in chart if m.month < D(2025, 3, 1)
    ]
    march_before, march_after = (next(m for m in months if m.month == D(2025, 3, 1)) for months in (chart, after))
    assert march_before.expected_hours - march_after.expected_hours == pytest.approx((40 - 8) * 31 / 365)
