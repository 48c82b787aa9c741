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
