import datetime

import pytest

from caseload.calculations import DEFAULT_SETTINGS
from caseload.selectors import worker_caseload_rows
from cases.models import Phase, Role
from tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def row_on(world, day):
    [row] = worker_caseload_rows(worker=world.worker, on=day, settings=DEFAULT_SETTINGS)
    return row.role_since, row.days_in_role, row.long_in_role


def test_mijn_caseload_flags_long_in_role_by_the_engines_rule(world):
    # Coaching since 6 Jan 2025, split over two back-to-back periods: one run. The limit is
    # 1.5 x 182 = 273 days; the run's first day is day 0.
    world.period.end_date = D(2025, 5, 1)
    world.period.save()
    PeriodFactory(trajectory=world.trajectory, phase=Phase.BEGELEIDING, role=Role.COACHING, start_date=D(2025, 5, 1))

    assert row_on(world, D(2025, 10, 6)) == (D(2025, 1, 6), 273, False)
    assert row_on(world, D(2025, 10, 7)) == (D(2025, 1, 6), 274, True)


def test_a_gap_or_another_role_starts_a_new_run(world):
    world.period.end_date = D(2025, 5, 1)
    world.period.save()
    PeriodFactory(trajectory=world.trajectory, phase=Phase.BEGELEIDING, role=Role.REGIE, start_date=D(2025, 5, 1))

    assert row_on(world, D(2025, 10, 7)) == (D(2025, 5, 1), 159, False)  # regie is never "too long"
