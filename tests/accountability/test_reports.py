"""The accountability report kinds: requested, made and shown by the reports pipeline, with the
documents of the commands. Data: "Telstad" (conftest.py)."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from reports import services
from reports.models import Report
from tests.accountability import conftest as data

pytestmark = pytest.mark.django_db
FROM, TO, MEASURED_AT = dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def sent_jobs(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(services, "report_enqueue", sent.append)
    return sent


def made(telstad, kind, **scope):
    report, created = services.report_request(
        kind=kind,
        organisation=telstad.organisation,
        period_start=FROM,
        period_end=TO,
        measured_at=MEASURED_AT if kind != "vcv" else None,
        made_by="demand:test",
        **scope,
    )
    assert created
    return services.report_generate(report_id=report.pk, task_id="task-1", hostname="worker@test")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("result_indicators", data.RESULT_INDICATORS_NOORD),
        ("vcv", data.VCV_NOORD),
        ("first_contact", data.FIRST_CONTACT_NOORD),
    ],
)
def test_a_team_report_stores_the_commands_document(telstad, kind, expected):
    report = made(telstad, kind, team=telstad.noord)
    assert report.status == Report.Status.DONE, report.error
    assert json.loads(report.result_json) == expected


def test_an_approach_report_of_working_elements(telstad):
    report = made(telstad, "working_elements", approach=telstad.approach)
    assert json.loads(report.result_json) == data.WORKING_ELEMENTS


def test_a_monitor_report_is_shown_to_the_team_lead(telstad, client, reference_data):
    report = made(telstad, "monitor", approach=telstad.approach, team=telstad.noord)
    assert report.status == Report.Status.DONE, report.error
    client.force_login(telstad.lead_noord)
    html = client.get(reverse("mkba:report_detail", args=[report.pk])).content.decode()
    assert "Doorstroom" in html


def test_a_measured_report_needs_a_measurement_date(telstad):
    with pytest.raises(ApplicationError):
        services.report_request(
            kind="first_contact",
            organisation=telstad.organisation,
            team=telstad.noord,
            period_start=FROM,
            period_end=TO,
            made_by="demand:test",
        )


def test_scheduled_requests_are_one_per_team_over_the_previous_year(telstad):
    from accountability import reports

    requests = reports.RESULT_INDICATORS.scheduled_requests(today=dt.date(2026, 1, 5))
    assert [(r.team, r.period_start, r.period_end, r.measured_at) for r in requests] == [
        (telstad.noord, FROM, TO, dt.date(2025, 12, 31)),
        (telstad.zuid, FROM, TO, dt.date(2025, 12, 31)),
    ]
    assert {r.measured_at for r in reports.VCV.scheduled_requests(today=dt.date(2026, 1, 5))} == {None}


def test_a_report_needs_a_team_or_an_approach(telstad):
    with pytest.raises(ApplicationError):
        services.report_request(
            kind="vcv", organisation=telstad.organisation, period_start=FROM, period_end=TO, made_by="demand:test"
        )


def test_a_vcv_reports_spreadsheet_starts_with_the_einddeclaratie(telstad, client):
    from io import BytesIO

    from openpyxl import load_workbook

    report = made(telstad, "vcv", team=telstad.noord)
    client.force_login(telstad.lead_noord)
    response = client.get(reverse("mkba:report_xlsx", args=[report.pk]))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Einddeclaratie VCV", "Alle cijfers"]
    rows = [row for row in workbook["Einddeclaratie VCV"].iter_rows(values_only=True) if row[0] is not None]
    assert rows[1] == ("Periode: 1 januari 2025 t/m 31 december 2025",) + (None,) * 10
    assert rows[-1] == ("totaal", None, None, 1.752, 136660.27, 3, 3, 1.0, 136660.27, 0.0, 136660.27)
    figures = list(workbook["Alle cijfers"].iter_rows(values_only=True))
    assert ("total", "total", 136660.27) in figures


def _ask(client, **fields):
    data = {f"verantwoording-{name}": value for name, value in fields.items()}
    return client.post(reverse("mkba:report_list"), data)


def test_an_analyst_asks_for_an_accountability_report_on_the_reports_page(
    telstad, client, sent_jobs, django_capture_on_commit_callbacks
):
    client.force_login(telstad.analyst)
    page = client.get(reverse("mkba:report_list")).content.decode()
    assert "Verantwoordingsrapport aanvragen" in page and "Resultaatindicatoren" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(
            client,
            kind="first_contact",
            team=telstad.noord.pk,
            date_from="2025-01-01",
            date_to="2026-01-01",
            measured_at="2026-06-01",
        )
    report = Report.objects.get(kind="first_contact")
    assert response.status_code == 302 and response["Location"] == reverse("mkba:report_detail", args=[report.pk])
    assert (report.team, report.period_start, report.period_end, report.measured_at) == (
        telstad.noord,
        FROM,
        TO,
        MEASURED_AT,
    )
    assert report.made_by == "demand:analist" and sent_jobs == [report.pk]
    # A VCV has no measurement date, even when one is sent; an approach alone is a valid scope.
    _ask(
        client,
        kind="vcv",
        team=telstad.noord.pk,
        date_from="2025-01-01",
        date_to="2026-01-01",
        measured_at="2026-06-01",
    )
    assert Report.objects.get(kind="vcv").measured_at is None
    _ask(client, kind="working_elements", approach=telstad.approach.pk, date_from="2025-01-01", date_to="2026-01-01")
    assert Report.objects.get(kind="working_elements").team is None


def test_a_bad_accountability_request_shows_its_errors_and_stores_nothing(telstad, client):
    client.force_login(telstad.analyst)
    response = _ask(client, kind="vcv", approach=telstad.approach.pk, date_from="2025-01-01", date_to="2026-01-01")
    assert response.status_code == 400
    assert "Niet bij dit rapport." in response.content.decode()
    response = _ask(client, kind="monitor", date_from="2026-01-01", date_to="2025-01-01")
    assert response.status_code == 400 and "Moet na de begindatum liggen" in response.content.decode()
    assert not Report.objects.exists()


def test_a_team_lead_asks_for_their_own_team_only(telstad, client):
    client.force_login(telstad.lead_noord)
    response = _ask(
        client, kind="result_indicators", approach=telstad.approach.pk, date_from="2025-01-01", date_to="2026-01-01"
    )
    assert response.status_code == 400 and "Kies een van uw teams." in response.content.decode()
    response = _ask(
        client, kind="result_indicators", team=telstad.zuid.pk, date_from="2025-01-01", date_to="2026-01-01"
    )
    assert response.status_code == 400  # not a choice: another team's
    assert not Report.objects.exists()
    _ask(client, kind="result_indicators", team=telstad.noord.pk, date_from="2025-01-01", date_to="2026-01-01")
    assert Report.objects.get().team == telstad.noord


def test_the_yearly_schedule_makes_every_kind_for_every_team_once(telstad, django_capture_on_commit_callbacks):
    from reports import tasks

    with django_capture_on_commit_callbacks():
        first = tasks.reports_accountability_yearly.apply(
            kwargs={"today": "2026-01-02"}, headers={"periodic_task_name": "Verantwoording"}
        ).get()
        again = tasks.reports_accountability_yearly.apply(kwargs={"today": "2026-01-20"}).get()
    assert len(first) == 10 and sorted(again) == sorted(first)  # 5 kinds x 2 teams, made once
    assert set(Report.objects.values_list("made_by", flat=True)) == {"schedule:Verantwoording"}
    assert set(Report.objects.filter(kind="vcv").values_list("team__name", "period_start", "period_end")) == {
        ("Noord", FROM, TO),
        ("Zuid", FROM, TO),
    }
    only_vcv = tasks.reports_accountability_yearly.apply(kwargs={"today": "2027-01-02", "kinds": ["vcv"]}).get()
    assert set(Report.objects.filter(pk__in=only_vcv).values_list("kind", flat=True)) == {"vcv"}


def _api(user=None):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


ACCOUNTABILITY_URL = "/api/v1/mkba/reports/accountability/"


def test_the_api_asks_for_an_accountability_report(telstad, sent_jobs, django_capture_on_commit_callbacks):
    body = {"kind": "result_indicators", "from": "2025-01-01", "to": "2026-01-01", "measured_at": "2026-06-01"}
    with django_capture_on_commit_callbacks(execute=True):
        first = _api(telstad.analyst).post(ACCOUNTABILITY_URL, {**body, "team": telstad.noord.pk}, format="json")
    assert first.status_code == 202
    report = Report.objects.get()
    assert first.json() == {
        "id": report.pk,
        "status": "pending",
        "status_url": f"http://testserver/api/v1/mkba/reports/{report.pk}/",
        "created": True,
    }
    assert (report.kind, report.team, report.measured_at, report.made_by) == (
        "result_indicators",
        telstad.noord,
        MEASURED_AT,
        "api:analist",
    )
    assert sent_jobs == [report.pk]
    again = _api(telstad.analyst).post(ACCOUNTABILITY_URL, {**body, "team": telstad.noord.pk}, format="json")
    assert (again.status_code, again.json()["id"]) == (200, report.pk)
    vcv = _api(telstad.lead_noord).post(
        ACCOUNTABILITY_URL, {**body, "kind": "vcv", "team": telstad.noord.pk}, format="json"
    )
    assert vcv.status_code == 202 and Report.objects.get(kind="vcv").measured_at is None


def test_the_api_refuses_accountability_reports_out_of_scope(telstad):
    body = {"kind": "monitor", "from": "2025-01-01", "to": "2026-01-01"}
    assert _api().post(ACCOUNTABILITY_URL, body, format="json").status_code in (401, 403)
    assert _api(telstad.worker_user).post(ACCOUNTABILITY_URL, body, format="json").status_code == 403
    lead_other_team = _api(telstad.lead_noord).post(
        ACCOUNTABILITY_URL, {**body, "team": telstad.zuid.pk}, format="json"
    )
    assert lead_other_team.status_code == 400 and "team" in lead_other_team.json()
    lead_no_team = _api(telstad.lead_noord).post(
        ACCOUNTABILITY_URL, {**body, "approach": telstad.approach.pk}, format="json"
    )
    assert lead_no_team.json()["team"] == ["Kies een van uw teams."]
    other_org = _api(telstad.other_analyst).post(
        ACCOUNTABILITY_URL, {**body, "approach": telstad.approach.pk}, format="json"
    )
    assert other_org.status_code == 400 and "approach" in other_org.json()
    unknown_kind = _api(telstad.analyst).post(ACCOUNTABILITY_URL, {**body, "kind": "mkba_yearly"}, format="json")
    assert unknown_kind.status_code == 400 and "kind" in unknown_kind.json()
    neither = _api(telstad.analyst).post(ACCOUNTABILITY_URL, body, format="json")
    assert neither.status_code == 400
    assert not Report.objects.exists()
