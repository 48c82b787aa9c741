import datetime

import pytest
import time_machine

from cases import services
from cases.models import FollowUp, Handover, Outcome, Period, Phase, Role, TimeCategory, TimeEntry, Trajectory
from core.exceptions import ApplicationError
from core.models import AuditLogEntry
from tests.factories import ApproachFactory, YouthFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def periods_of(trajectory):
    return list(
        Period.objects.filter(trajectory=trajectory)
        .order_by("start_date")
        .values_list("phase", "role", "start_date", "end_date", "worker__name")
    )


def test_period_change_closes_the_running_period_and_opens_the_next(world):
    services.period_change(
        user=world.user, trajectory=world.trajectory, date=D(2025, 3, 1), phase=Phase.BEGELEIDING, role=Role.REGIE
    )

    assert periods_of(world.trajectory) == [
        ("begeleiding", "coaching", D(2025, 1, 6), D(2025, 3, 1), None),
        ("begeleiding", "regie", D(2025, 3, 1), None, None),
    ]
    assert AuditLogEntry.objects.filter(object_type="trajectory", youth_key="J-1", action="update").count() == 1


@pytest.mark.parametrize(
    ("date", "phase", "role", "field"),
    [
        (D(2024, 12, 1), Phase.BEGELEIDING, Role.REGIE, "date"),  # before the trajectory
        (D(2025, 3, 1), Phase.TIME_OUT, Role.COACHING, "role"),  # a time-out has no role
        (D(2025, 3, 1), Phase.BEGELEIDING, "coach", "role"),  # unknown role
        (D(2025, 3, 1), Phase.BEGELEIDING, Role.COACHING, "role"),  # nothing changes
    ],
)
def test_period_change_refuses_bad_input_and_writes_nothing(world, date, phase, role, field):
    before = periods_of(world.trajectory)

    with pytest.raises(ApplicationError) as error:
        services.period_change(user=world.user, trajectory=world.trajectory, date=date, phase=phase, role=role)

    assert field in error.value.fields
    assert periods_of(world.trajectory) == before
    assert AuditLogEntry.objects.count() == 0


def test_a_change_before_the_running_period_is_refused_with_a_dutch_date(world):
    services.period_change(
        user=world.user, trajectory=world.trajectory, date=D(2025, 3, 1), phase=Phase.BEGELEIDING, role=Role.REGIE
    )
    with pytest.raises(ApplicationError) as error:
        services.period_change(
            user=world.user, trajectory=world.trajectory, date=D(2025, 2, 1), phase="nazorg", role="monitoring"
        )
    assert error.value.message == "De wijziging kan niet vóór de start van de lopende periode (1 maart 2025) liggen."
    assert error.value.fields == {"date": ["Vanaf 1 maart 2025."]}


def test_a_second_change_on_the_same_day_corrects_that_days_period(world):
    change = {"user": world.user, "trajectory": world.trajectory, "date": D(2025, 3, 1)}
    services.period_change(**change, phase=Phase.BEGELEIDING, role=Role.REGIE)
    services.period_change(**change, phase=Phase.NAZORG, role=Role.MONITORING)
    # Earlier days keep their history; 1 March holds the corrected phase and role.
    assert periods_of(world.trajectory) == [
        ("begeleiding", "coaching", D(2025, 1, 6), D(2025, 3, 1), None),
        ("nazorg", "monitoring", D(2025, 3, 1), None, None),
    ]
    assert AuditLogEntry.objects.filter(object_type="trajectory", action="update").count() == 2


def test_time_out_and_resume_on_one_day_leave_the_period_running(world):
    services.trajectory_pause(user=world.user, trajectory=world.trajectory, date=D(2025, 4, 1))
    services.trajectory_resume(
        user=world.user, trajectory=world.trajectory, date=D(2025, 4, 1), phase=Phase.BEGELEIDING, role=Role.COACHING
    )
    assert periods_of(world.trajectory) == [("begeleiding", "coaching", D(2025, 1, 6), None, None)]
    # Resumed in another role on the day of the time-out: that day's period is corrected instead.
    services.trajectory_pause(user=world.user, trajectory=world.trajectory, date=D(2025, 5, 1))
    services.trajectory_resume(
        user=world.user, trajectory=world.trajectory, date=D(2025, 5, 1), phase=Phase.BEGELEIDING, role=Role.REGIE
    )
    assert periods_of(world.trajectory) == [
        ("begeleiding", "coaching", D(2025, 1, 6), D(2025, 5, 1), None),
        ("begeleiding", "regie", D(2025, 5, 1), None, None),
    ]


def test_closing_on_the_day_of_a_change_voids_that_change(world):
    services.period_change(
        user=world.user, trajectory=world.trajectory, date=D(2025, 3, 1), phase=Phase.NAZORG, role=Role.MONITORING
    )
    services.trajectory_close(user=world.user, trajectory=world.trajectory, date=D(2025, 3, 1))
    assert periods_of(world.trajectory) == [("begeleiding", "coaching", D(2025, 1, 6), D(2025, 3, 1), None)]
    world.trajectory.refresh_from_db()
    assert world.trajectory.end_date == D(2025, 3, 1)


def test_pause_and_resume(world):
    services.trajectory_pause(user=world.user, trajectory=world.trajectory, date=D(2025, 4, 1))
    services.trajectory_resume(
        user=world.user, trajectory=world.trajectory, date=D(2025, 5, 1), phase=Phase.BEGELEIDING, role=Role.COACHING
    )

    assert periods_of(world.trajectory) == [
        ("begeleiding", "coaching", D(2025, 1, 6), D(2025, 4, 1), None),
        ("time-out", "", D(2025, 4, 1), D(2025, 5, 1), None),
        ("begeleiding", "coaching", D(2025, 5, 1), None, None),
    ]


def test_close_ends_the_running_period_and_the_trajectory(world):
    services.trajectory_close(user=world.user, trajectory=world.trajectory, date=D(2025, 6, 30))

    world.trajectory.refresh_from_db()
    assert world.trajectory.end_date == D(2025, 6, 30)
    assert periods_of(world.trajectory)[-1][3] == D(2025, 6, 30)
    with pytest.raises(ApplicationError):
        services.period_change(
            user=world.user, trajectory=world.trajectory, date=D(2025, 7, 1), phase="nazorg", role="monitoring"
        )


def test_handover_moves_later_periods_and_keeps_history_with_the_old_worker(world):
    services.trajectory_handover(
        user=world.user,
        trajectory=world.trajectory,
        to_worker=world.colleague,
        date=D(2025, 5, 1),
        note="Samen kennisgemaakt; Bram neemt het over.",
        met_together_on=D(2025, 4, 28),
    )

    world.trajectory.refresh_from_db()
    assert world.trajectory.worker == world.colleague
    assert periods_of(world.trajectory) == [
        ("begeleiding", "coaching", D(2025, 1, 6), D(2025, 5, 1), "Anna Bakker"),
        ("begeleiding", "coaching", D(2025, 5, 1), None, "Bram Smit"),
    ]
    handover = Handover.objects.get()
    assert (handover.from_worker, handover.to_worker, handover.met_together_on) == (
        world.worker,
        world.colleague,
        D(2025, 4, 28),
    )


def test_handover_needs_a_note_and_a_colleague_of_the_organisation(world):
    with pytest.raises(ApplicationError) as error:
        services.trajectory_handover(
            user=world.user, trajectory=world.trajectory, to_worker=world.colleague, date=D(2025, 5, 1), note=" "
        )
    assert "note" in error.value.fields
    with pytest.raises(ApplicationError) as error:
        services.trajectory_handover(
            user=world.user, trajectory=world.trajectory, to_worker=world.foreign_worker, date=D(2025, 5, 1), note="x"
        )
    assert "to_worker" in error.value.fields
    assert Handover.objects.count() == 0
    assert Trajectory.objects.get(pk=world.trajectory.pk).worker == world.worker


def test_outcome_work_plans_follow_ups_after_1_6_and_12_months(world):
    outcome = services.outcome_register(
        user=world.user, trajectory=world.trajectory, date=D(2025, 8, 31), outcome="work"
    )

    assert list(FollowUp.objects.filter(outcome=outcome).values_list("months_after", "due_date")) == [
        (1, D(2025, 9, 30)),
        (6, D(2026, 2, 28)),
        (12, D(2026, 8, 31)),
    ]


def test_outcome_stabilised_has_no_follow_ups_and_unknown_outcome_is_refused(world):
    services.outcome_register(user=world.user, trajectory=world.trajectory, date=D(2025, 8, 1), outcome="stabilised")
    assert FollowUp.objects.count() == 0
    with pytest.raises(ApplicationError) as error:
        services.outcome_register(user=world.user, trajectory=world.trajectory, date=D(2025, 8, 1), outcome="lottery")
    assert "outcome" in error.value.fields
    assert Outcome.objects.count() == 1


@pytest.mark.parametrize(
    ("minutes", "category", "with_trajectory", "field"),
    [
        (0, TimeCategory.CLIENT_DIRECT, True, "minutes"),
        (-30, TimeCategory.CLIENT_DIRECT, True, "minutes"),
        (30, TimeCategory.CLIENT_DIRECT, False, "trajectory"),
        (30, TimeCategory.OVERHEAD, True, "trajectory"),
    ],
)
def test_time_entry_refuses_bad_input(world, minutes, category, with_trajectory, field):
    entry = services.TimeEntryInput(
        date=D(2025, 3, 3), minutes=minutes, category=category, trajectory=world.trajectory if with_trajectory else None
    )
    with pytest.raises(ApplicationError) as error:
        services.time_entry_log(user=world.user, worker=world.worker, entry=entry)
    assert field in error.value.fields
    assert TimeEntry.objects.count() == 0


def test_time_entry_logged(world):
    entry = services.TimeEntryInput(
        date=D(2025, 3, 3), minutes=30, category=TimeCategory.CLIENT_DIRECT, trajectory=world.trajectory
    )
    services.time_entry_log(user=world.user, worker=world.worker, entry=entry)

    assert list(TimeEntry.objects.values_list("worker__name", "minutes", "category", "trajectory__external_id")) == [
        ("Anna Bakker", 30, "client_direct", "T-1")
    ]


def test_trajectory_start_refuses_a_second_running_trajectory_in_the_same_approach(world):
    with pytest.raises(ApplicationError) as error:
        services.trajectory_start(
            user=world.user, youth=world.youth, approach=world.approach, worker=world.worker, start_date=D(2025, 6, 1)
        )
    assert "approach" in error.value.fields

    other = ApproachFactory(organisation=world.organisation, name="Casusregisseur")
    trajectory = services.trajectory_start(
        user=world.user,
        youth=world.youth,
        approach=other,
        worker=world.worker,
        start_date=D(2025, 6, 1),
        role=Role.REGIE,
    )
    assert periods_of(trajectory) == [("intake", "regie", D(2025, 6, 1), None, None)]


@time_machine.travel(datetime.datetime(2025, 9, 15, 10, 0, tzinfo=datetime.UTC))
def test_pick_up_records_first_contact(world):
    youth = YouthFactory(organisation=world.organisation, reported_on=D(2025, 9, 1), referral_route="DUO/RMC-melding")

    services.youth_pick_up(user=world.user, youth=youth, date=D(2025, 9, 15))

    youth.refresh_from_db()
    assert youth.first_contact_on == D(2025, 9, 15)
    with pytest.raises(ApplicationError):
        services.youth_pick_up(user=world.user, youth=youth, date=D(2025, 9, 16))


def test_closing_on_the_day_of_a_handover_ends_with_the_worker_it_had(world):
    services.trajectory_handover(
        user=world.user, trajectory=world.trajectory, to_worker=world.colleague, date=D(2025, 5, 1), note="Overdracht."
    )
    services.trajectory_close(user=world.user, trajectory=world.trajectory, date=D(2025, 5, 1))
    world.trajectory.refresh_from_db()
    assert (world.trajectory.worker, world.trajectory.end_date) == (world.worker, D(2025, 5, 1))
    assert periods_of(world.trajectory) == [("begeleiding", "coaching", D(2025, 1, 6), D(2025, 5, 1), "Anna Bakker")]
