"""Stored reports (SPEC §5), the services: exactly once per key, immutable once done, the
fingerprint of the inputs, failures and retries, notifications, the schedules, CSV and PDF.

The cohort is the one of conftest.py (its figures are computed by hand in
test_report_end_to_end.py: total costs 4715, social ratio 2.15 ...). The jobs' messages are not
sent here: ``report_request`` enqueues on commit, which these (non-transactional) tests capture
without running; the job's service ``report_generate`` is called directly.
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from caseload import selectors as caseload_selectors
from cases.models import CostLine, OutcomeType, TimeCategory
from core.models import Notification, User
from mkba import selectors as mkba_selectors
from reports import documents, schedules, selectors, services, tasks
from reports.models import Report
from tests.factories import (
    CostItemFactory,
    FtePeriodFactory,
    OutcomeFactory,
    TeamFactory,
    TimeEntryFactory,
    UserFactory,
    WorkerFactory,
)
from tests.mkba.conftest import FROM, MEASURED_AT, TO, mkba_report_request
from tests.mkba.factories import ParameterSetFactory
from tests.services import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def sent_jobs(monkeypatch):
    """The report jobs that would have been sent to the broker (no broker in these tests)."""
    sent: list[int] = []
    monkeypatch.setattr(services, "report_enqueue", sent.append)
    return sent


def made(cohort, **changes) -> Report:
    report, _created = mkba_report_request(cohort, **changes)
    return services.report_generate(report_id=report.pk, task_id="task-1", hostname="worker@test")


# --- Exactly once ----------------------------------------------------------------------------------


def test_asking_twice_stores_one_report_and_sends_one_job(cohort, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first, first_created = mkba_report_request(cohort)
        second, second_created = mkba_report_request(cohort, requested_by=cohort.lead, made_by="demand:lead")

    assert (first_created, second_created) == (True, False)
    assert first.pk == second.pk
    assert Report.objects.count() == 1
    assert len(callbacks) == 1
    report = Report.objects.get()
    assert report.status == Report.Status.PENDING
    assert report.scope_key == f"approach:{cohort.approach.pk}"
    assert report.parameter_version == 1
    assert (report.requested_by, report.made_by) == (cohort.analyst, "demand:analist")


def test_the_key_holds_kind_scope_period_measurement_date_and_parameter_set(cohort):
    mkba_report_request(cohort)
    mkba_report_request(cohort, kind=Report.Kind.MKBA_QUARTERLY)
    mkba_report_request(cohort, team=cohort.team)
    mkba_report_request(cohort, measured_at=D(2024, 12, 30))
    mkba_report_request(cohort, period_end=D(2024, 6, 30))
    # Another set that is also version 1: another report (the key holds the set, not just "1").
    mkba_report_request(
        cohort, parameter_set=ParameterSetFactory(organisation=cohort.organisation, name="Ander", version=1)
    )

    assert Report.objects.count() == 6
    assert set(Report.objects.values_list("scope_key", flat=True)) == {
        f"approach:{cohort.approach.pk}",
        f"approach:{cohort.approach.pk}/team:{cohort.team.pk}",
    }


def test_without_a_parameter_set_the_approachs_current_version_is_in_the_key(cohort):
    report, _created = mkba_report_request(cohort, parameter_set=None)
    default = mkba_selectors.parameter_set_for_approach(cohort.approach)
    assert report.parameter_set == default
    assert report.parameter_version == default.version
    assert mkba_report_request(cohort, parameter_set=None)[0].pk == report.pk


def test_the_database_refuses_a_second_report_on_the_same_key(cohort):
    report, _created = mkba_report_request(cohort)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            kind=report.kind,
            organisation=cohort.organisation,
            approach=cohort.approach,
            scope_key=report.scope_key,
            period_start=FROM,
            period_end=TO,
            measured_at=MEASURED_AT,
            parameter_set=cohort.parameter_set,
            made_by="duplicate",
        )
    # Caseload reports have no measurement date and no parameters: NULLs do not escape the key.
    services.report_request(
        kind=Report.Kind.CASELOAD_MONTHLY,
        organisation=cohort.organisation,
        team=cohort.team,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 2, 1),
        made_by="schedule:test",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            kind=Report.Kind.CASELOAD_MONTHLY,
            organisation=cohort.organisation,
            team=cohort.team,
            scope_key=f"team:{cohort.team.pk}",
            period_start=D(2024, 1, 1),
            period_end=D(2024, 2, 1),
            made_by="duplicate",
        )


def test_a_concurrent_request_that_won_the_race_is_returned(cohort, monkeypatch, django_capture_on_commit_callbacks):
    existing, _created = mkba_report_request(cohort)
    # The other request committed between this one's lookup and its insert: the lookup misses,
    # the insert hits the unique constraint, and the service returns the winner's row.
    monkeypatch.setattr(QuerySet, "first", lambda self: None)
    with django_capture_on_commit_callbacks() as callbacks:
        report, created = mkba_report_request(cohort)
    assert (report.pk, created) == (existing.pk, False)
    assert callbacks == []
    assert Report.objects.count() == 1


def test_making_a_report_twice_stores_one_result(cohort):
    report = made(cohort)
    assert report.status == Report.Status.DONE
    assert report.result == mkba_selectors.mkba_report_generate(
        approach=cohort.approach,
        date_from=FROM,
        date_to=TO,
        measured_at=MEASURED_AT,
        parameter_set=cohort.parameter_set,
    )
    assert report.result["total_costs"] == 4715 and report.result["social_ratio"] == 2.15
    assert (report.progress, report.attempts, report.task_id, report.worker_hostname) == (
        100,
        1,
        "task-1",
        "worker@test",
    )
    assert bytes(Report.objects.values_list("pdf", flat=True).get()).startswith(b"%PDF")
    finished_at = report.finished_at

    again = services.report_generate(report_id=report.pk, task_id="task-2", hostname="other@test")

    assert again.pk == report.pk
    assert (again.finished_at, again.attempts, again.task_id) == (finished_at, 1, "task-1")
    assert Report.objects.count() == 1


def test_a_duplicate_execution_that_finishes_second_stores_nothing_and_tells_nobody(cohort, monkeypatch):
    """Two executions of one job overlap: while the first computes, a duplicate (task "dup") claims
    the report, computes and stores it. The first one's finish then finds the report done and
    changes nothing (``_report_finish``: only a report that is not done is updated): the stored
    report is the duplicate's, and the requester is told once."""
    report, _created = mkba_report_request(cohort)
    real_compute = services._report_compute
    calls: list[int] = []
    inner: dict[str, Report] = {}

    def compute_with_a_duplicate(report, *, progress):  # type: ignore[no-untyped-def]
        calls.append(report.pk)
        if len(calls) == 1:  # the outer execution: the duplicate runs (and finishes) in between
            inner["report"] = services.report_generate(report_id=report.pk, task_id="dup", hostname="dup@test")
        return real_compute(report, progress=progress)

    monkeypatch.setattr(services, "_report_compute", compute_with_a_duplicate)
    outer = services.report_generate(report_id=report.pk, task_id="outer", hostname="outer@test")

    assert len(calls) == 2  # both executions computed
    duplicate = inner["report"]
    assert duplicate.status == Report.Status.DONE
    assert (outer.pk, outer.status, outer.task_id, outer.worker_hostname) == (
        report.pk,
        Report.Status.DONE,
        "dup",
        "dup@test",
    )
    assert outer.attempts == 2  # claimed by "outer", then by "dup"
    # Told once, by the execution that stored the result: the requester (analist) and the leads
    # of the cohort's teams (T1, T2 Noord: lead; T3, T4 Zuid: no lead).
    assert Notification.objects.filter(user=cohort.analyst).count() == 1
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["analist", "lead"]
    # The outer execution's finish wrote nothing: the duplicate's result, fingerprint and time stay.
    assert (outer.finished_at, outer.fingerprint, outer.result) == (
        duplicate.finished_at,
        duplicate.fingerprint,
        duplicate.result,
    )
    assert outer.result["total_costs"] == 4715


def test_a_done_report_never_changes(cohort, django_capture_on_commit_callbacks):
    report = made(cohort)
    before = (report.result, report.fingerprint, report.finished_at)
    TimeEntryFactory(
        worker=cohort.worker, trajectory=cohort.t1, date=D(2024, 6, 1), minutes=600, category=TimeCategory.CLIENT_DIRECT
    )

    with django_capture_on_commit_callbacks() as callbacks:
        same, created = mkba_report_request(cohort)
    services.report_generate(report_id=report.pk)
    services.reports_requeue_stalled(now=timezone.now() + datetime.timedelta(days=1))

    report.refresh_from_db()
    assert (same.pk, created, callbacks) == (report.pk, False, [])
    assert (report.result, report.fingerprint, report.finished_at) == before


def test_a_report_whose_worker_died_is_claimed_again_by_the_redelivered_job(cohort):
    report, _created = mkba_report_request(cohort)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, attempts=1, progress=45)

    report = services.report_generate(report_id=report.pk, task_id="redelivered")

    assert (report.status, report.attempts, report.task_id) == (Report.Status.DONE, 2, "redelivered")


def test_a_deleted_report_is_nothing_to_do(cohort):
    assert services.report_generate(report_id=999_999) is None


# --- Fingerprint -------------------------------------------------------------------------------------


def fingerprint(cohort, **changes) -> str:
    Report.objects.all().delete()
    return made(cohort, **changes).fingerprint


def test_the_fingerprint_follows_the_inputs_and_nothing_else(cohort):
    first = fingerprint(cohort)
    assert re.fullmatch("[0-9a-f]{64}", first)

    # The same inputs: the same fingerprint, for another kind of report and a day later too.
    assert fingerprint(cohort, kind=Report.Kind.MKBA_QUARTERLY) == first
    # Not inputs of this report: time after the measurement date, overhead, another approach.
    TimeEntryFactory(worker=cohort.worker, trajectory=cohort.t1, date=D(2025, 1, 5), minutes=90)
    TimeEntryFactory(worker=cohort.worker, date=D(2024, 3, 5), minutes=90, category=TimeCategory.OVERHEAD)
    TimeEntryFactory(worker=cohort.worker, trajectory=cohort.t7, date=D(2024, 3, 5), minutes=90)
    assert fingerprint(cohort) == first

    # A new time entry on a trajectory of the cohort, before the measurement date: another one.
    TimeEntryFactory(worker=cohort.worker, trajectory=cohort.t1, date=D(2024, 3, 5), minutes=90)
    second = fingerprint(cohort)
    assert second != first
    # Another parameter set with the same figures elsewhere in the key: another one too.
    assert fingerprint(cohort, parameter_set=ParameterSetFactory(organisation=cohort.organisation)) != second

    # An outcome on a trajectory of the cohort, before the measurement date (T2 had only a work
    # outcome after it): another one. Nothing else of the inputs changes, only the outcomes.
    OutcomeFactory(trajectory=cohort.t2, outcome=OutcomeType.SCHOOL, date=D(2024, 10, 1))
    third = fingerprint(cohort)
    assert third not in (first, second)
    # A cost item on a trajectory of the cohort, before the measurement date: another one again.
    CostItemFactory(
        approach=cohort.approach,
        trajectory=cohort.t1,
        line=CostLine.EXTRA_ONDERWIJS,
        amount=Decimal(250),
        date=D(2024, 5, 1),
    )
    fourth = fingerprint(cohort)
    assert fourth not in (first, second, third)


# --- Failures ----------------------------------------------------------------------------------------


def test_bad_data_fails_the_report_with_its_error_and_tells_the_requester(cohort, django_capture_on_commit_callbacks):
    broken = ParameterSetFactory(organisation=cohort.organisation, name="Kapot", data={"hourly_rate": 60})
    report, _created = mkba_report_request(cohort, parameter_set=broken)

    report = services.report_generate(report_id=report.pk)

    assert report.status == Report.Status.FAILED
    assert "outcomes" in report.error
    assert "opnieuw geprobeerd" not in report.error
    assert (report.attempts, report.result, report.finished_at is not None) == (1, None, True)
    assert list(Notification.objects.values_list("user__username", "text")) == [
        ("analist", f"Rapport mislukt: {documents.report_title(report)}")
    ]
    # Asking again for a failed report runs it again (same row, a new job).
    with django_capture_on_commit_callbacks() as callbacks:
        again, created = mkba_report_request(cohort, parameter_set=broken)
    assert (again.pk, again.status, created, len(callbacks)) == (report.pk, Report.Status.PENDING, False, 1)


def test_a_database_error_fails_the_report_and_is_raised_for_the_retry(cohort, monkeypatch):
    report, _created = mkba_report_request(cohort)

    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(mkba_selectors, "mkba_cohort_inputs", unreachable)
    with pytest.raises(OperationalError):
        services.report_generate(report_id=report.pk, retries_left=3)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert (
        report.error
        == "OperationalError: server closed the connection unexpectedly (wordt automatisch opnieuw geprobeerd)"
    )
    assert Notification.objects.count() == 0  # a retry follows: nobody is told yet

    monkeypatch.undo()
    report = services.report_generate(report_id=report.pk)  # the retry
    assert (report.status, report.attempts, report.error) == (Report.Status.DONE, 2, "")


def test_a_bug_fails_the_report_and_is_raised(cohort, monkeypatch):
    report, _created = mkba_report_request(cohort)
    monkeypatch.setattr(mkba_selectors, "mkba_report_from_inputs", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.error) == (Report.Status.FAILED, "ZeroDivisionError: division by zero")


def test_retry_runs_only_failed_reports(cohort, django_capture_on_commit_callbacks):
    report, _created = mkba_report_request(cohort)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.report_retry(report=report) is False
        Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, error="x")
        assert services.report_retry(report=report, user=cohort.admin) is True
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert (report.status, report.progress) == (Report.Status.PENDING, 0)


def test_stalled_reports_are_sent_again(cohort, sent_jobs):
    sent = sent_jobs
    fresh, _created = mkba_report_request(cohort)
    old, _created = mkba_report_request(cohort, measured_at=D(2024, 12, 30))
    lost, _created = mkba_report_request(cohort, measured_at=D(2024, 12, 29))
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Report.objects.filter(pk=old.pk).update(created_at=long_ago)
    Report.objects.filter(pk=lost.pk).update(created_at=long_ago, status=Report.Status.RUNNING, started_at=long_ago)

    assert services.reports_requeue_stalled() == 2
    assert sorted(sent) == sorted([old.pk, lost.pk])
    assert fresh.pk not in sent


def test_a_request_with_a_bad_period_writes_nothing(cohort):
    from core.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        mkba_report_request(cohort, period_end=FROM)
    with pytest.raises(ApplicationError):
        mkba_report_request(cohort, measured_at=D(2023, 12, 1))
    with pytest.raises(ApplicationError):
        mkba_report_request(cohort, approach=cohort.foreign_approach)
    assert Report.objects.count() == 0


# --- Notifications -------------------------------------------------------------------------------


def test_the_maker_and_the_team_leads_of_the_cohort_are_told(cohort):
    other_lead = UserFactory(username="zuidlead", organisation=cohort.organisation, role=User.Role.TEAM_LEAD)
    cohort.other_team.leads.add(other_lead)
    idle_lead = UserFactory(username="leeg", organisation=cohort.organisation, role=User.Role.TEAM_LEAD)
    TeamFactory(organisation=cohort.organisation, name="Leeg").leads.add(idle_lead)

    report = made(cohort)

    # analist asked; T1, T2 (Noord: lead) and T3, T4 (Zuid: zuidlead) are the cohort.
    told = Notification.objects.order_by("user__username")
    assert list(told.values_list("user__username", flat=True)) == ["analist", "lead", "zuidlead"]
    assert {n.url for n in told} == {f"/rendement/rapporten/{report.pk}/"}
    assert {n.text for n in told} == {
        "Rapport klaar: MKBA-rapport op verzoek — Jongerenadviseurs + werktraject, 1 januari 2024 t/m 30 juni 2024"
    }


def test_a_team_report_tells_that_teams_leads_and_a_scheduled_one_the_analysts(
    cohort, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CASELOAD_SEND_EMAIL = True
    cohort.lead.email = "lead@example.org"
    cohort.lead.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        made(cohort, team=cohort.team)
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["analist", "lead"]

    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        made(cohort, requested_by=None, made_by="schedule:test", kind=Report.Kind.MKBA_QUARTERLY)
    # No requester: the analysts of the organisation (not the foreign one), and the cohort's leads.
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["analist", "lead"]
    assert [message.to for message in mailoutbox] == [["lead@example.org"], ["lead@example.org"]]


def test_a_stored_team_report_is_made_from_that_teams_cohort_only(cohort):
    report = made(cohort, team=cohort.team)
    assert report.status == Report.Status.DONE, report.error
    result = report.result
    # By hand (conftest.py, parameters_data()): team Noord's cohort is T1 and T2 (Anna Bakker);
    # T3, T4 are Zuid's. N = 2 of the approach's 4.
    # begeleiding: client minutes on T1, T2 up to 2024-12-31: 120 + 60 + 90 = 270 -> 4.5 h x 60 = 270
    #   (T2's 30 minutes of 2025-01-01 are after the measurement date; T3's 45 are Zuid's)
    # overige_interventie: T1's 1000 (the approach-level 500 is dated on the exclusive end)
    # loon_vergoedingen: the approach-level 3000, shared pro rata over the team: 3000 x 2/4 = 1500
    # extra_zorg: T2's 400 (on the measurement date); extra_onderwijs: 0 (the 700 is before `from`)
    # total costs 270 + 1000 + 1500 + 400 = 3170
    # work: T1 (T2's is after the measurement date) -> r = 1/2, e = 0.5 - 0.1 = 0.4, X = 0.8
    #   -> werk 0.8 x (10000 + 10000 / 1.25) = 14400, kwaliteit_van_leven 0.8 x 2000 / 1.25 = 1280
    # school: none in Noord -> r = 0, e = (0 - 0.6) x 0.8 = -0.48, X = -0.96 -> -0.96 x 5000 = -4800
    # total benefits 14400 + 1280 - 4800 = 10880; social ratio 10880 / 3170 = 3.4322 -> 3.43
    # (The whole approach would give N = 4, costs 4715, benefits 10160, ratio 2.15.)
    assert result["participants"] == 2
    assert result["costs"] == {
        "begeleiding": 270,
        "overige_interventie": 1000,
        "loon_vergoedingen": 1500,
        "extra_zorg": 400,
        "extra_onderwijs": 0,
    }
    assert (result["total_costs"], result["total_benefits"], result["social_ratio"]) == (3170, 10880, 3.43)
    assert result["effects"]["work"] == {"observed": 0.5, "baseline": 0.1, "net": 0.4, "extra": 0.8}


# --- Caseload reports ----------------------------------------------------------------------------


@pytest.fixture
def tiny_team(db):
    """One worker, 1.0 fte, in January 2025: 60 minutes client direct and 30 minutes overhead."""
    team = TeamFactory(name="Klein")
    worker = WorkerFactory(external_id="W9001", name="Kim Klein", team=team)
    FtePeriodFactory(worker=worker, start_date=D(2024, 1, 1), fte=Decimal("1.0"))
    TimeEntryFactory(worker=worker, date=D(2025, 1, 10), minutes=60, category=TimeCategory.CLIENT_DIRECT)
    TimeEntryFactory(worker=worker, date=D(2025, 1, 11), minutes=30, category=TimeCategory.OVERHEAD)
    TimeEntryFactory(worker=worker, date=D(2025, 2, 1), minutes=45, category=TimeCategory.OVERHEAD)  # February
    return team


JANUARY_2025 = (D(2025, 1, 1), D(2025, 2, 1))
FEBRUARY_2024 = (D(2024, 2, 1), D(2024, 3, 1))


def caseload_report(team, period=JANUARY_2025) -> Report:
    start, end = period
    report, _created = services.report_request(
        kind=Report.Kind.CASELOAD_MONTHLY,
        organisation=team.organisation,
        team=team,
        period_start=start,
        period_end=end,
        made_by="schedule:test",
    )
    return services.report_generate(report_id=report.pk)


def test_a_caseload_report_is_the_teams_caseload_over_the_month(cohort):
    """Team Noord of conftest.py over February 2024, by hand. The organisation has a second team
    (Zuid: Bram Smit, 0.5 fte), so a report that looked beyond its team would show.

    Anna Bakker (Noord): fte 0.8 from 2023-01-01 (1.0 only from 2024-04-01), so all of February
    (29 days, 2024 is a leap year) at 0.8: capacity 0.8 x 1200 x 29 / 365 = 76.274 -> 76.3 h.
    No periods in the fixture: expected 0, utilisation 0 -> underload; no youths.
    Time entries dated in [2024-02-01, 2024-03-01): client direct 120 (T1) + 600 (T5) + 300 (T7)
    = 1020 min = 17.0 h (the report is the worker's whole caseload, not one approach's cohort);
    client indirect 0 (T1's 60 minutes are dated 2024-03-01, the exclusive end); overhead 240 min
    (2024-02-02) = 4.0 h. Overhead share 4 / (17 + 0 + 4) = 0.1905 -> 0.19, not above 0.30.
    """
    report = caseload_report(cohort.team, FEBRUARY_2024)
    assert report.status == Report.Status.DONE, report.error
    assert report.scope_key == f"team:{cohort.team.pk}"
    assert (report.measured_at, report.parameter_set, report.parameter_version) == (None, None, 0)
    result = report.result
    assert (result["mode"], result["from"], result["to"]) == ("period", "2024-02-01", "2024-03-01")

    assert [worker["worker_id"] for worker in result["workers"]] == [cohort.worker.external_id]
    assert [team["team"] for team in result["teams"]] == ["Noord"]
    anna, noord = result["workers"][0], result["teams"][0]
    for figures in (anna, noord):
        assert figures["fte"] == 0.8
        assert figures["capacity_hours"] == 76.3
        assert (figures["expected_hours"], figures["utilisation"]) == (0.0, 0.0)
        assert figures["logged_hours"] == {"client_direct": 17.0, "client_indirect": 0.0, "overhead": 4.0}
        assert figures["overhead_share"] == 0.19
        assert (figures["youths_total"], figures["youths_served"]) == (0, 0)
        assert figures["flags"] == ["underload"]
    assert anna["team"] == "Noord"

    # And the same run as the dashboard's and the API's (caseload_for_scope) for that team.
    assert result == caseload_selectors.caseload_for_scope(
        scope=caseload_selectors.CaseloadScope(team_ids=(cohort.team.pk,)),
        date_from=FEBRUARY_2024[0],
        date_to=FEBRUARY_2024[1],
    )


# By hand: capacity 1.0 fte x 1200 h x 31 / 365 days = 101.918 -> 101.9 h; nothing expected (no
# periods), so utilisation 0 -> underload; logged 1.0 h direct, 0.5 h overhead -> overhead share
# 0.5 / 1.5 = 0.333 -> overhead flag; the February entry is outside the period.
TINY_CSV = """section,key,value
report,mode,period
report,from,2025-01-01
report,to,2025-02-01
workers,W9001.team,Klein
workers,W9001.fte,1.0
workers,W9001.capacity_hours,101.9
workers,W9001.expected_hours,0.0
workers,W9001.utilisation,0.0
workers,W9001.youths_by_role.coaching,0
workers,W9001.youths_by_role.uitvoering,0
workers,W9001.youths_by_role.regie,0
workers,W9001.youths_by_role.monitoring,0
workers,W9001.youths_total,0
workers,W9001.youths_served,0
workers,W9001.youths_per_fte_year,0.0
workers,W9001.logged_hours.client_direct,1.0
workers,W9001.logged_hours.client_indirect,0.0
workers,W9001.logged_hours.overhead,0.5
workers,W9001.overhead_share,0.333
workers,W9001.long_in_role_youths,0
workers,W9001.flags,underload overhead
teams,Klein.fte,1.0
teams,Klein.capacity_hours,101.9
teams,Klein.expected_hours,0.0
teams,Klein.utilisation,0.0
teams,Klein.youths_by_role.coaching,0
teams,Klein.youths_by_role.uitvoering,0
teams,Klein.youths_by_role.regie,0
teams,Klein.youths_by_role.monitoring,0
teams,Klein.youths_total,0
teams,Klein.youths_served,0
teams,Klein.youths_per_fte_year,0.0
teams,Klein.logged_hours.client_direct,1.0
teams,Klein.logged_hours.client_indirect,0.0
teams,Klein.logged_hours.overhead,0.5
teams,Klein.overhead_share,0.333
teams,Klein.long_in_role_youths,0
teams,Klein.flags,underload overhead
"""


def test_the_csv_of_a_tiny_caseload_report_is_exact(tiny_team):
    report = caseload_report(tiny_team)
    assert documents.report_csv(report.result) == TINY_CSV


def test_the_csv_of_an_mkba_report_has_one_row_per_figure(cohort):
    text = documents.report_csv(made(cohort).result)
    rows = text.splitlines()
    assert rows[:9] == [
        "section,key,value",
        "report,approach,Jongerenadviseurs + werktraject",
        "cohort,from,2024-01-01",
        "cohort,to,2024-07-01",
        "cohort,measured_at,2024-12-31",
        "report,participants,4",
        "parameter_set,name,Testkengetallen",
        "parameter_set,version,1",
        "costs,begeleiding,315",
    ]
    for row in (
        "report,total_costs,4715",
        "report,total_benefits,10160",
        "report,balance,5445",
        "per_participant,balance,1361",
        "report,social_ratio,2.15",
        "report,financial_ratio,1.95",
        "report,municipal_ratio,2.39",
        "stakeholders,gemeente.costs,4515",
        "stakeholders,zorgverzekeraar.balance,-200",
        "benefits,startkwalificaties,-1600",
        "effects,work.observed,0.25",
        "effects,school.net,-0.08",
        "report,break_even_effect,0.081",
    ):
        assert row in rows
    assert sum(row.startswith("reference_comparison,") for row in rows) == 40  # 10 approaches x 4 figures


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_quoted_in_the_csv():
    text = documents.report_csv({"approach": "=HYPERLINK(1)", "balance": -200, "stakeholders": {"@x": {"costs": 1}}})
    assert text.splitlines() == [
        "section,key,value",
        "report,approach,'=HYPERLINK(1)",
        "report,balance,-200",
        "stakeholders,'@x.costs,1",  # a stakeholder is a name from the parameter set
    ]


def test_the_pdf_holds_the_figures_and_the_charts(cohort, tmp_path):
    report = made(cohort)
    pdf = selectors.report_pdf_bytes(report)
    assert pdf is not None and pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "Jongerenadviseurs + werktraject" in text
    assert "Maatschappelijke KB-verhouding" in text and "2,15" in text
    assert "€ 4.715" in text and "€ 5.445" in text
    assert "Vergelijking met de tien referentieaanpakken" in text
    assert report.fingerprint in text.replace("\n", "").replace(" ", "")


def test_the_pdf_of_a_caseload_report(tiny_team, tmp_path):
    report = caseload_report(tiny_team)
    text = pdf_text(selectors.report_pdf_bytes(report), tmp_path)
    assert "Kim Klein" in text and "101,9" in text
    assert "te veel overhead: 33% van de geregistreerde uren" in text


# --- Schedules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "today", "period"),
    [
        (Report.Kind.CASELOAD_MONTHLY, D(2024, 3, 1), (D(2024, 2, 1), D(2024, 3, 1))),
        (Report.Kind.CASELOAD_MONTHLY, D(2024, 1, 31), (D(2023, 12, 1), D(2024, 1, 1))),
        (Report.Kind.MKBA_QUARTERLY, D(2024, 1, 1), (D(2023, 10, 1), D(2024, 1, 1))),
        (Report.Kind.MKBA_QUARTERLY, D(2024, 6, 30), (D(2024, 1, 1), D(2024, 4, 1))),
        (Report.Kind.MKBA_YEARLY, D(2024, 1, 2), (D(2023, 1, 1), D(2024, 1, 1))),
    ],
)
def test_the_previous_period(kind, today, period):
    assert services.previous_period(kind, today) == period


def test_the_quarterly_schedule_makes_one_report_per_approach_however_often_it_fires(cohort):
    # 2024-04-01: the first quarter of 2024. Approach A: T1, T2; approach B: T7; the foreign
    # approach has no trajectories, so no report.
    first = services.reports_schedule(kind=Report.Kind.MKBA_QUARTERLY, today=D(2024, 4, 1), made_by="schedule:q")
    again = services.reports_schedule(kind=Report.Kind.MKBA_QUARTERLY, today=D(2024, 4, 1), made_by="schedule:q")

    assert [r.pk for r in first] == [r.pk for r in again]
    assert sorted(r.approach.name for r in first) == ["Groepstraining", "Jongerenadviseurs + werktraject"]
    assert Report.objects.count() == 2
    report = Report.objects.get(approach=cohort.approach)
    assert (report.period_start, report.period_end, report.measured_at) == (
        D(2024, 1, 1),
        D(2024, 4, 1),
        D(2024, 3, 31),
    )
    assert (report.made_by, report.requested_by, report.parameter_set.is_shared) == ("schedule:q", None, True)

    per_team = services.reports_schedule(
        kind=Report.Kind.MKBA_QUARTERLY, today=D(2024, 4, 1), made_by="schedule:q", per_team=True
    )
    assert len(per_team) == 4  # and one per (approach, team Noord)
    assert Report.objects.filter(team=cohort.team).count() == 2


def test_the_monthly_schedule_makes_one_caseload_report_per_team(cohort):
    services.reports_schedule(kind=Report.Kind.CASELOAD_MONTHLY, today=D(2024, 2, 15), made_by="schedule:m")
    services.reports_schedule(kind=Report.Kind.CASELOAD_MONTHLY, today=D(2024, 2, 20), made_by="schedule:m")
    assert sorted(Report.objects.values_list("team__name", "period_start", "period_end")) == [
        ("Noord", D(2024, 1, 1), D(2024, 2, 1)),
        ("Zuid", D(2024, 1, 1), D(2024, 2, 1)),
    ]


def test_the_scheduled_tasks_name_their_schedule(cohort, reference_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        result = tasks.reports_yearly.apply(
            kwargs={"today": "2025-01-02"}, headers={"periodic_task_name": "MKBA per jaar"}
        ).get()
    assert len(result) == 2
    assert set(Report.objects.values_list("kind", "made_by")) == {(Report.Kind.MKBA_YEARLY, "schedule:MKBA per jaar")}


def test_the_report_task_runs_the_service(cohort):
    report, _created = mkba_report_request(cohort)
    assert tasks.report_generate.apply(args=[report.pk], task_id="abc").get() == "done"
    report.refresh_from_db()
    assert (report.task_id, report.status) == ("abc", Report.Status.DONE)


def test_schedules_install_is_idempotent_and_keeps_an_admins_changes(db):
    assert [outcome for _name, outcome in schedules.schedules_install()] == ["created"] * 7
    tasks_by_name = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}
    quarterly = tasks_by_name["MKBA-rapport per aanpak (per kwartaal)"]
    assert quarterly.task == "mkba.reports_quarterly"
    assert (quarterly.crontab.minute, quarterly.crontab.hour, quarterly.crontab.day_of_month) == ("30", "6", "1")
    assert quarterly.crontab.month_of_year == "1,4,7,10"
    assert json.loads(quarterly.kwargs) == {"per_team": False}
    assert {task.task for task in tasks_by_name.values()} == {
        "caseload.reports_monthly",
        "mkba.reports_quarterly",
        "mkba.reports_yearly",
        "accountability.reports_yearly",
        "cases.anonymise_expired_youths",
        "core.audit_log_delete_expired",
        "mkba.reports_requeue_stalled",
    }

    PeriodicTask.objects.filter(pk=quarterly.pk).update(kwargs='{"per_team": true}')
    assert [outcome for _name, outcome in schedules.schedules_install()] == ["kept"] * 7
    assert PeriodicTask.objects.count() == 7
    assert json.loads(PeriodicTask.objects.get(pk=quarterly.pk).kwargs) == {"per_team": True}

    assert [outcome for _name, outcome in schedules.schedules_install(reset=True)] == ["reset"] * 7
    assert json.loads(PeriodicTask.objects.get(pk=quarterly.pk).kwargs) == {"per_team": False}


def test_the_schedules_install_command(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("schedules_install", stdout=out)
    call_command("schedules_install", stdout=out)
    assert PeriodicTask.objects.count() == 7
    assert "MKBA-rapport per aanpak (per jaar): aangemaakt" in out.getvalue()
    assert "MKBA-rapport per aanpak (per jaar): bestond al, ongewijzigd" in out.getvalue()
