"""Stored reports made by real processes (SPEC §5): ``celery beat`` reading its schedule from the
PostgreSQL test database, a separately started worker, Redis in between.

- a quarterly schedule in the database, fired by beat, made by the worker (and its PDF opens and
  holds the figures);
- the same schedule firing again and again still makes one report;
- a worker killed (SIGKILL) in the middle of a report: the broker hands the unacknowledged job to
  the next worker, which finishes the report; exactly one report, one set of notifications.

The workers and beat use a Redis database of their own (``isolated_redis_url``) and a queue per
test, so a short visibility timeout cannot touch anybody else's messages.
"""

import datetime
import json
import os
import re
import signal
import uuid

import pytest
from django.utils import timezone, translation
from django_celery_beat.models import ClockedSchedule, IntervalSchedule, PeriodicTask

from core.models import Notification
from mkba import presentation
from mkba import selectors as mkba_selectors
from reports import services
from reports.models import Report
from tests.celery_worker import (
    celery_app_for,
    isolated_redis_url,
    running_beat,
    running_worker,
    start_worker,
    stop_process,
    wait_for,
    wait_until_ready,
)
from tests.mkba.conftest import FROM, MEASURED_AT, TO, Cohort
from tests.services import pdf_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

D = datetime.date
# The previous quarter of 2024-04-01: [2024-01-01, 2024-04-01), measured on 2024-03-31. Of the
# cohort of conftest.py, T1 and T2 of approach A (team Noord) started in it, and T7 of approach B.
TODAY = "2024-04-01"
QUARTER_FROM, QUARTER_TO, QUARTER_MEASURED_AT = D(2024, 1, 1), D(2024, 4, 1), D(2024, 3, 31)


def unique_queue() -> str:
    return f"test-reports-{uuid.uuid4().hex[:8]}"


def environment(queue: str, **extra: str) -> dict[str, str]:
    """Worker and beat: the isolated broker, and the report jobs on the test's own queue."""
    return {"REDIS_URL": isolated_redis_url(), "CASELOAD_REPORT_QUEUE": queue, **extra}


def succeeded(log: str, task: str) -> int:
    return len(re.findall(rf"{re.escape(task)}\[[^\]]+\] succeeded", log))


def stored_pdf_text(report: Report, tmp_path) -> str:
    return pdf_text(bytes(Report.objects.values_list("pdf", flat=True).get(pk=report.pk)), tmp_path)


def test_a_quarterly_schedule_in_the_database_is_fired_by_beat_and_made_by_a_worker(tmp_path, reference_data):
    cohort = Cohort()
    queue = unique_queue()
    PeriodicTask.objects.create(
        name="MKBA per kwartaal (test)",
        task="mkba.reports_quarterly",
        clocked=ClockedSchedule.objects.create(clocked_time=timezone.now()),
        one_off=True,
        queue=queue,
        kwargs=json.dumps({"today": TODAY}),
    )

    with (
        running_beat(tmp_path, environment=environment(queue)) as beat,  # starts while the worker does
        running_worker(tmp_path, queue=queue, environment=environment(queue)) as worker,
    ):
        wait_for(
            lambda: Report.objects.filter(status=Report.Status.DONE).count() == 2,
            timeout=60,
            message=f"the scheduled reports\n{beat.log()}\n{worker.log()}",
        )

    assert sorted(Report.objects.values_list("approach__name", flat=True)) == [
        "Groepstraining",
        "Jongerenadviseurs + werktraject",
    ]
    report = Report.objects.get(approach=cohort.approach)
    assert (report.kind, report.approach, report.team) == (Report.Kind.MKBA_QUARTERLY, cohort.approach, None)
    assert (report.period_start, report.period_end, report.measured_at) == (
        QUARTER_FROM,
        QUARTER_TO,
        QUARTER_MEASURED_AT,
    )
    assert report.made_by == "schedule:MKBA per kwartaal (test)"
    assert report.worker_hostname == worker.nodename
    expected = mkba_selectors.mkba_report_generate(
        approach=cohort.approach, date_from=QUARTER_FROM, date_to=QUARTER_TO, measured_at=QUARTER_MEASURED_AT
    )
    assert report.result == expected
    # By hand: T1 (2024-01-15) and T2 (2024-03-01) of approach A, N = 2, with the shipped default
    # parameter set (mkba/data/default_parameters.json: hourly rate 65, discount rate 0.0225).
    # begeleiding: client minutes on T1, T2 up to 2024-03-31: 120 + 60 = 180 -> 3 h x 65 = 195
    #   (T2's 90 minutes are dated 2024-12-31)
    # overige_interventie 0: T1's 1000 is dated 2024-04-01, after the measurement date; the
    #   approach-level 500 is dated 2024-07-01, outside the quarter
    # loon_vergoedingen: the approach-level 3000 dated 2024-01-01, whole (no team): 3000
    # extra_zorg 0: T2's 400 is dated 2024-12-31; extra_onderwijs 0: the 700 is before the quarter
    # total costs 195 + 3000 = 3195
    # No outcome of T1 or T2 is dated on or before 2024-03-31 (T1 work 2024-05-01, T2 work 2025),
    # so every observed rate is 0 and net = (0 - baseline) x attribution, extra = net x 2:
    # work -0.29 / -0.58; startkwalificatie -0.14 / -0.28; prevented_escalation 0 (baseline 0);
    # stabilised -0.10 / -0.20.
    # Benefits with annuity factors 1 + ... + 1.0225^-4 = 4.784740 and 1.0225^-1 + ... + 1.0225^-10
    # = 8.866216: work -0.58 x (4770 + 3170 + 3100) x 4.784740 = -30637.65; startkwalificatie
    # -0.28 x (5170 x 8.866216 + 6620 + 11320 + 900 + 2970) = -18941.53; stabilised
    # -0.2 x (14090 + 4090 + 3180) = -4272; total -53851.18 -> -53851; ratio -53851.18 / 3195 = -16.85
    result = report.result
    assert result["participants"] == 2
    assert result["costs"] == {
        "begeleiding": 195,
        "overige_interventie": 0,
        "loon_vergoedingen": 3000,
        "extra_zorg": 0,
        "extra_onderwijs": 0,
    }
    assert result["total_costs"] == 3195
    assert result["effects"] == {
        "work": {"observed": 0.0, "baseline": 0.29, "net": -0.29, "extra": -0.58},
        "startkwalificatie": {"observed": 0.0, "baseline": 0.14, "net": -0.14, "extra": -0.28},
        "prevented_escalation": {"observed": 0.0, "baseline": 0.0, "net": 0.0, "extra": 0.0},
        "stabilised": {"observed": 0.0, "baseline": 0.1, "net": -0.1, "extra": -0.2},
    }
    assert (result["total_benefits"], result["social_ratio"]) == (-53851, -16.85)
    # No requester: the organisation's analysts are told, and the leads of the cohort's team (Noord).
    told = Notification.objects.filter(url=f"/rendement/rapporten/{report.pk}/")
    assert sorted(told.values_list("user__username", flat=True)) == ["analist", "lead"]

    # The PDF the worker made opens and holds the figures.
    text = stored_pdf_text(report, tmp_path)
    with translation.override("nl"):
        ratio = presentation.ratio_text(expected["social_ratio"])
        total_costs = presentation.euro(expected["total_costs"])
    assert "Jongerenadviseurs + werktraject" in text
    assert "Maatschappelijke KB-verhouding" in text and ratio in text
    assert total_costs.replace(" ", "") in text.replace(" ", "")  # pdftotext may drop the space in "€ 3.195"


def test_the_same_schedule_firing_again_and_again_makes_one_report(tmp_path, reference_data):
    Cohort()
    queue = unique_queue()
    PeriodicTask.objects.create(
        name="MKBA per kwartaal (elke seconde)",
        task="mkba.reports_quarterly",
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS),
        queue=queue,
        kwargs=json.dumps({"today": TODAY}),
    )

    with (
        running_beat(tmp_path, environment=environment(queue)) as beat,  # starts while the worker does
        running_worker(tmp_path, queue=queue, environment=environment(queue)) as worker,
    ):
        wait_for(
            lambda: (
                succeeded(worker.log(), "mkba.reports_quarterly") >= 2
                and Report.objects.filter(status=Report.Status.DONE).count() == 2
            ),
            timeout=60,
            message=f"two firings and the reports\n{beat.log()}\n{worker.log()}",
        )
        log = worker.log()

    assert Report.objects.count() == 2  # one per approach with a cohort
    assert set(Report.objects.values_list("attempts", flat=True)) == {1}
    assert succeeded(log, "mkba.report_generate") == 2  # one job each: only the first firing made them


def test_a_worker_killed_in_the_middle_of_a_report_leaves_exactly_one_report(tmp_path, reference_data, monkeypatch):
    cohort = Cohort()
    queue = unique_queue()
    # Each progress step takes 0.4 s, so the report runs for a few seconds; the broker hands an
    # unacknowledged job to another worker after 2 s, and looks for such jobs every second.
    slow = environment(
        queue, CASELOAD_REPORT_STEP_DELAY="0.4", CELERY_VISIBILITY_TIMEOUT="2", CELERY_UNACKED_RESTORE_INTERVAL="1"
    )
    broker = celery_app_for(slow["REDIS_URL"])
    monkeypatch.setattr(
        services,
        "report_enqueue",
        lambda report_id: broker.send_task("mkba.report_generate", args=[report_id], queue=queue),
    )

    # Both workers start together (saving a start-up); the second listens to the report queue
    # only once the first is dead.
    first = start_worker(tmp_path, queue=queue, environment=slow, name=f"{queue}-first", wait=False)
    second = start_worker(tmp_path, queue=f"{queue}-standby", environment=slow, name=f"{queue}-second", wait=False)
    try:
        wait_until_ready(first)
        wait_until_ready(second)
        report, created = services.report_request(
            kind=Report.Kind.MKBA_ON_DEMAND,
            organisation=cohort.organisation,
            approach=cohort.approach,
            period_start=FROM,
            period_end=TO,
            measured_at=MEASURED_AT,
            parameter_set=cohort.parameter_set,
            requested_by=cohort.analyst,
            made_by="demand:analist",
        )
        assert created
        wait_for(
            lambda: Report.objects.filter(
                pk=report.pk, status=Report.Status.RUNNING, progress__gt=services.STEP_STARTED[0]
            ).exists(),
            timeout=30,
            message=f"the report running\n{first.log()}",
        )
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=10)

        report.refresh_from_db()
        assert (report.status, report.attempts) == (Report.Status.RUNNING, 1)
        assert 0 < report.progress < 100
        assert first.process.returncode == -signal.SIGKILL

        broker.control.add_consumer(queue, destination=[second.nodename], reply=True, timeout=10)
        done = wait_for(
            lambda: Report.objects.filter(pk=report.pk, status=Report.Status.DONE).first(),
            timeout=60,
            message=f"the report done by the second worker\n{second.log()}",
        )
    finally:
        stop_process(first.process)
        stop_process(second.process)

    assert Report.objects.count() == 1
    assert done.attempts >= 2
    assert done.worker_hostname == second.nodename
    # The figures of conftest.py's cohort, computed by hand in test_report_end_to_end.py.
    assert (done.result["total_costs"], done.result["balance"], done.result["social_ratio"]) == (4715, 5445, 2.15)
    # Told once, by the one execution that stored the result.
    assert Notification.objects.filter(user=cohort.analyst).count() == 1
    assert "2,15" in stored_pdf_text(done, tmp_path)
