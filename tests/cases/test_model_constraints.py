"""The database itself refuses impossible case data, on SQLite and on PostgreSQL alike."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cases.models import Period, Phase, Role, TimeEntry, Trajectory
from core.models import FtePeriod
from tests.factories import (
    ApproachFactory,
    FtePeriodFactory,
    PeriodFactory,
    TimeEntryFactory,
    TrajectoryFactory,
    WorkerFactory,
    YouthFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_overlapping_periods_on_one_trajectory_are_refused():
    first = PeriodFactory(start_date=D(2025, 1, 1), end_date=D(2025, 3, 1))

    assert refused(lambda: PeriodFactory(trajectory=first.trajectory, start_date=D(2025, 2, 1), end_date=D(2025, 4, 1)))
    assert refused(lambda: PeriodFactory(trajectory=first.trajectory, start_date=D(2024, 12, 1), end_date=None))
    assert Period.objects.count() == 1


def test_back_to_back_periods_are_allowed_because_the_end_is_exclusive():
    first = PeriodFactory(start_date=D(2025, 1, 1), end_date=D(2025, 3, 1))

    PeriodFactory(trajectory=first.trajectory, start_date=D(2025, 3, 1), end_date=None, role=Role.REGIE)

    assert Period.objects.filter(trajectory=first.trajectory).count() == 2


def test_moving_a_period_onto_another_is_refused():
    first = PeriodFactory(start_date=D(2025, 1, 1), end_date=D(2025, 3, 1))
    second = PeriodFactory(trajectory=first.trajectory, start_date=D(2025, 3, 1), end_date=D(2025, 5, 1))
    second.start_date = D(2025, 2, 15)

    assert refused(lambda: second.save(update_fields=["start_date"]))


def test_open_period_overlaps_everything_after_it():
    first = PeriodFactory(start_date=D(2025, 1, 1), end_date=None)

    assert refused(lambda: PeriodFactory(trajectory=first.trajectory, start_date=D(2030, 1, 1), end_date=None))


def test_youth_never_twice_at_once_in_one_approach():
    trajectory = TrajectoryFactory(start_date=D(2025, 1, 1), end_date=D(2025, 6, 1))

    def second():
        TrajectoryFactory(
            youth=trajectory.youth, approach=trajectory.approach, start_date=D(2025, 5, 1), worker=trajectory.worker
        )

    assert refused(second)
    # After the first ended, or in another approach, it is fine.
    TrajectoryFactory(youth=trajectory.youth, approach=trajectory.approach, start_date=D(2025, 6, 1))
    TrajectoryFactory(youth=trajectory.youth, approach=ApproachFactory(), start_date=D(2025, 2, 1))
    assert Trajectory.objects.filter(youth=trajectory.youth).count() == 3


@pytest.mark.parametrize("minutes", [0, 1441])
def test_minutes_must_be_between_1_and_a_day(minutes):
    assert refused(lambda: TimeEntryFactory(minutes=minutes))
    assert TimeEntry.objects.count() == 0


@pytest.mark.parametrize(("fte", "allowed"), [(Decimal("0"), True), (Decimal("1.5"), True), (Decimal("1.501"), False)])
def test_fte_between_0_and_1_5(fte, allowed):
    worker = WorkerFactory()

    assert refused(lambda: FtePeriodFactory(worker=worker, fte=fte)) is not allowed
    assert FtePeriod.objects.filter(worker=worker).count() == (1 if allowed else 0)


def test_dates_in_order():
    assert refused(lambda: TrajectoryFactory(start_date=D(2025, 5, 1), end_date=D(2025, 4, 30)))
    assert refused(lambda: PeriodFactory(start_date=D(2025, 5, 1), end_date=D(2025, 5, 1)))


def test_time_out_has_no_role():
    assert refused(lambda: PeriodFactory(phase=Phase.TIME_OUT, role=Role.COACHING))
    PeriodFactory(phase=Phase.TIME_OUT, role="")


def test_youth_can_be_created_without_personal_data():
    youth = YouthFactory(first_name="", last_name="", birth_date=None)
    assert youth.display_name == youth.external_id
