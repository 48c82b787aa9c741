"""The accountability pages (Dutch) and the query counts of pages and endpoints, which do not grow
with the data. Data: "Telstad" (conftest.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import FollowUp, OutcomeType, Phase, Role
from tests.factories import (
    FollowUpFactory,
    OutcomeFactory,
    PeriodFactory,
    TrajectoryFactory,
    YouthFactory,
)

pytestmark = pytest.mark.django_db
QUERY = {"date_from": "2025-01-01", "date_to": "2026-01-01", "measured_at": "2026-06-01"}
PAGES = ["result_indicators", "vcv", "vcv_csv", "vcv_xlsx", "first_contact", "working_elements", "monitor"]


@pytest.mark.parametrize("page", PAGES)
def test_workers_and_anonymous_may_not_open_the_pages(client, telstad, page):
    url = reverse(f"accountability:{page}")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(telstad.worker_user)
    assert client.get(url, QUERY).status_code == 403


def test_result_indicators_page(client, telstad):
    client.force_login(telstad.analyst)
    response = client.get(reverse("accountability:result_indicators"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 januari 2025 t/m 31 december 2025" in html
    assert "1 juni 2026" in html
    assert "66,7%" in html  # work_4w: 2 of 3
    assert "(2 van 3)" in html  # the share with its denominator
    assert "voorlopig" in html  # work_12m: T3's moment lies after the measurement date
    assert "20%" in html and "25%" in html  # the ESF target lines
    assert "&lt; 10" in html  # groups under 10 trajectories show no share


def test_vcv_page_and_csv(client, telstad):
    client.force_login(telstad.lead_noord)
    query = {"date_from": "2025-01-01", "date_to": "2026-01-01"}
    response = client.get(reverse("accountability:vcv"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "€ 58.660,27" in html and "0,752" in html
    assert "W-C" not in html  # another team's worker
    assert "Y1" not in html  # a VCV row names workers, not youths
    download = client.get(reverse("accountability:vcv_csv"), query)
    assert download["Content-Type"].startswith("text/csv")
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "medewerker;W-A;Noord;1,000;78000,00;2;2;1,000;78000,00;0,00;78000,00"
    assert lines[-1] == "totaal;;;1,752;136660,27;3;3;1,000;136660,27;0,00;136660,27"


def test_vcv_spreadsheet_has_the_csv_rows_as_numbers(client, telstad):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(telstad.lead_noord)
    response = client.get(reverse("accountability:vcv_xlsx"), {"date_from": "2025-01-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(value is not None for value in row)]
    assert rows[0] == ("Vereenvoudigde kostenverantwoording (VCV)",) + (None,) * 10
    assert rows[1][0] == "Periode: 1 januari 2025 t/m 31 december 2025"
    assert rows[2][:4] == ("Regel", "Medewerker", "Team", "Fte")
    assert rows[3] == ("medewerker", "W-A", "Noord", 1.0, 78000.0, 2, 2, 1.0, 78000.0, 0.0, 78000.0)
    assert rows[-1] == ("totaal", None, None, 1.752, 136660.27, 3, 3, 1.0, 136660.27, 0.0, 136660.27)
    assert sheet.cell(row=5, column=5).number_format == "#,##0.00"
    assert sheet.cell(row=5, column=4).number_format == "#,##0.000"
    client.force_login(telstad.worker_user)  # a worker sees no aggregates
    assert client.get(reverse("accountability:vcv_xlsx"), {"date_from": "2025-01-01"}).status_code == 403


def test_first_contact_page(client, telstad):
    client.force_login(telstad.analyst)
    html = client.get(reverse("accountability:first_contact"), QUERY).content.decode()
    assert "66,7%" in html and "DUO/RMC-melding" in html and "onbekend" in html


def test_working_elements_page(client, telstad):
    client.force_login(telstad.analyst)
    html = client.get(reverse("accountability:working_elements"), QUERY).content.decode()
    assert "Vaste begeleider" in html and "&lt; 10" in html


def test_monitor_page(client, telstad, reference_data):
    client.force_login(telstad.analyst)
    response = client.get(reverse("accountability:monitor"), {**QUERY, "approach": telstad.approach.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Input" in html and "Doorstroom" in html and "Output en effect" in html
    assert "<svg" in html
    assert reverse("mkba:report") in html
    assert "66,7%" in html


def test_the_pages_open_without_a_query(client, telstad):
    client.force_login(telstad.analyst)
    for page in PAGES:
        assert client.get(reverse(f"accountability:{page}")).status_code == 200


def _grow(telstad, count):
    """``count`` more ended trajectories in Noord with periods, outcomes and answered checks."""
    w_a = telstad.workers[0]
    for index in range(count):
        youth = YouthFactory(
            organisation=telstad.organisation, reported_on=dt.date(2025, 4, 1), first_contact_on=dt.date(2025, 4, 3)
        )
        trajectory = TrajectoryFactory(
            youth=youth,
            worker=w_a,
            approach=telstad.approach,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 5, 1 + index % 20),
        )
        PeriodFactory(
            trajectory=trajectory,
            phase=Phase.BEGELEIDING,
            role=Role.COACHING,
            start_date=dt.date(2025, 1, 1),
            end_date=trajectory.end_date,
        )
        outcome = OutcomeFactory(trajectory=trajectory, outcome=OutcomeType.WORK, date=dt.date(2025, 4, 1))
        FollowUpFactory(
            outcome=outcome, months_after=6, due_date=dt.date(2025, 10, 1), answer=FollowUp.Answer.STILL_THERE
        )


def _count(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(client, telstad, reference_data):
    api = APIClient()
    api.force_authenticate(telstad.lead_noord)
    client.force_login(telstad.lead_noord)
    api_query = {"from": "2025-01-01", "to": "2026-01-01", "measured_at": "2026-06-01"}
    requests = {
        **{
            page: (
                lambda page=page: client.get(
                    reverse(f"accountability:{page}"), {**QUERY, "approach": telstad.approach.pk}
                )
            )
            for page in PAGES
        },
        "vcv_csv": lambda: client.get(reverse("accountability:vcv_csv"), QUERY),
        **{
            name: (lambda name=name: api.get(reverse(name), api_query))
            for name in (
                "api-indicators-results",
                "api-vcv",
                "api-indicators-first-contact",
                "api-indicators-working-elements",
            )
        },
    }
    _grow(telstad, 3)
    small = {name: _count(request) for name, request in requests.items()}
    _grow(telstad, 30)
    large = {name: _count(request) for name, request in requests.items()}
    assert large == small
    assert max(count for name, count in small.items() if name != "monitor") <= 20


def test_the_intake_queue_shows_the_teams_time_to_first_contact(client, telstad, time_machine):
    """On 25 May 2025 the last 90 days hold Y3's melding (1 May, contact 21 May: 20 days) for
    team Noord; Y5 has no trajectory, so no team. A worker sees no aggregate."""
    time_machine.move_to(dt.datetime(2025, 5, 25, 12, tzinfo=dt.UTC))
    client.force_login(telstad.lead_noord)
    html = client.get(reverse("cases:intake_queue")).content.decode()
    assert "1 gemeld): mediaan 20 dagen, 0% binnen 7 dagen" in html
    client.force_login(telstad.worker_user)
    assert "team-first-contact" not in client.get(reverse("cases:intake_queue")).content.decode()
