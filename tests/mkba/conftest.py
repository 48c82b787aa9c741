"""A small cohort of four trajectories with hand-countable hours, costs and outcomes.

Approach A, cohort [2024-01-01, 2024-07-01), measured at 2024-12-31:
T1 2024-01-15 (Noord)  T2 2024-03-01 (Noord)  T3 2024-06-30 (Zuid)  T4 2024-05-01 (Zuid)
outside the cohort: T5 2023-12-31 (before), T6 2024-07-01 (the exclusive end), T7 in approach B.
"""

import datetime
from decimal import Decimal

import pytest

from cases.models import CostLine, OutcomeType, TimeCategory
from core.models import User
from tests.factories import (
    ApproachFactory,
    CostItemFactory,
    FtePeriodFactory,
    OrganisationFactory,
    OutcomeFactory,
    TeamFactory,
    TimeEntryFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
)
from tests.mkba.factories import ParameterSetFactory, parameters_data

D = datetime.date
FROM, TO, MEASURED_AT = D(2024, 1, 1), D(2024, 7, 1), D(2024, 12, 31)
PASSWORD = "correct-horse-battery-staple"


class Cohort:
    def __init__(self):
        self.organisation = OrganisationFactory(name="Gemeente Voorbeeld")
        self.team = TeamFactory(organisation=self.organisation, name="Noord")
        self.other_team = TeamFactory(organisation=self.organisation, name="Zuid")
        self.worker = WorkerFactory(name="Anna Bakker", team=self.team)
        self.other_worker = WorkerFactory(name="Bram Smit", team=self.other_team)
        self.approach = ApproachFactory(organisation=self.organisation, name="Jongerenadviseurs + werktraject")
        self.other_approach = ApproachFactory(organisation=self.organisation, name="Groepstraining")
        self.parameter_set = ParameterSetFactory(organisation=self.organisation, name="Testkengetallen", version=1)

        self.analyst = UserFactory(username="analist", organisation=self.organisation, role=User.Role.ANALYST)
        self.admin = UserFactory(username="beheer", organisation=self.organisation, role=User.Role.ADMIN)
        self.lead = UserFactory(username="lead", organisation=self.organisation, role=User.Role.TEAM_LEAD)
        self.team.leads.add(self.lead)
        self.worker_user = UserFactory(username="anna", organisation=self.organisation, role=User.Role.WORKER)
        self.worker.user = self.worker_user
        self.worker.save(update_fields=["user"])

        self.foreign_organisation = OrganisationFactory(name="Gemeente Elders")
        self.foreign_analyst = UserFactory(
            username="elders", organisation=self.foreign_organisation, role=User.Role.ANALYST
        )
        self.foreign_approach = ApproachFactory(organisation=self.foreign_organisation, name="Elders-aanpak")
        self.foreign_set = ParameterSetFactory(organisation=self.foreign_organisation, name="Elders-set")

        def trajectory(start: datetime.date, worker, approach=None):  # type: ignore[no-untyped-def]
            return TrajectoryFactory(approach=approach or self.approach, worker=worker, start_date=start)

        self.t1 = trajectory(D(2024, 1, 15), self.worker)
        self.t2 = trajectory(D(2024, 3, 1), self.worker)
        self.t3 = trajectory(D(2024, 6, 30), self.other_worker)
        self.t4 = trajectory(D(2024, 5, 1), self.other_worker)
        self.t5 = trajectory(D(2023, 12, 31), self.worker)
        self.t6 = trajectory(D(2024, 7, 1), self.worker)
        self.t7 = trajectory(D(2024, 2, 1), self.worker, self.other_approach)

        def minutes(trajectory, day, count, category=TimeCategory.CLIENT_DIRECT):  # type: ignore[no-untyped-def]
            TimeEntryFactory(
                worker=trajectory.worker, trajectory=trajectory, date=day, minutes=count, category=category
            )

        # Client minutes on the cohort up to the measurement date: 120 + 60 + 90 + 45 = 315 (5.25 h)
        minutes(self.t1, D(2024, 2, 1), 120)
        minutes(self.t1, D(2024, 3, 1), 60, TimeCategory.CLIENT_INDIRECT)
        minutes(self.t2, D(2024, 12, 31), 90)  # on the measurement date: counts
        minutes(self.t2, D(2025, 1, 1), 30)  # after it: not
        minutes(self.t3, D(2024, 7, 15), 45, TimeCategory.CLIENT_INDIRECT)
        minutes(self.t4, D(2024, 6, 1), 100, TimeCategory.OVERHEAD)  # overhead: not client time
        minutes(self.t5, D(2024, 2, 1), 600)  # not in the cohort
        minutes(self.t7, D(2024, 2, 1), 300)  # other approach
        TimeEntryFactory(worker=self.worker, date=D(2024, 2, 2), minutes=240, category=TimeCategory.OVERHEAD)

        def cost(line, amount, day, trajectory=None, approach=None):  # type: ignore[no-untyped-def]
            CostItemFactory(
                approach=approach or self.approach, trajectory=trajectory, line=line, amount=Decimal(amount), date=day
            )

        cost(CostLine.OVERIGE_INTERVENTIE, "1000", D(2024, 4, 1), self.t1)  # counts
        cost(CostLine.EXTRA_ZORG, "400", D(2024, 12, 31), self.t2)  # on the measurement date: counts
        cost(CostLine.EXTRA_ZORG, "200", D(2025, 2, 1), self.t3)  # after it: not
        cost(CostLine.LOON_VERGOEDINGEN, "3000", D(2024, 1, 1))  # approach level, first day: counts
        cost(CostLine.OVERIGE_INTERVENTIE, "500", D(2024, 7, 1))  # approach level, the exclusive end: not
        cost(CostLine.EXTRA_ONDERWIJS, "700", D(2023, 12, 31))  # approach level, before: not
        cost(CostLine.OVERIGE_INTERVENTIE, "5000", D(2024, 2, 1), self.t5)  # not in the cohort
        cost(CostLine.OVERIGE_INTERVENTIE, "9999", D(2024, 2, 1), approach=self.other_approach)  # other approach

        def outcome(trajectory, kind, day):  # type: ignore[no-untyped-def]
            OutcomeFactory(trajectory=trajectory, outcome=kind, date=day)

        outcome(self.t1, OutcomeType.WORK, D(2024, 5, 1))
        outcome(self.t1, OutcomeType.WORK, D(2024, 9, 1))  # the same outcome twice: counted once
        outcome(self.t2, OutcomeType.WORK, D(2025, 1, 10))  # after the measurement date: not
        outcome(self.t3, OutcomeType.SCHOOL, D(2024, 8, 1))
        outcome(self.t4, OutcomeType.SCHOOL, D(2024, 12, 31))  # on the measurement date: counts
        outcome(self.t5, OutcomeType.WORK, D(2024, 3, 1))  # not in the cohort
        outcome(self.t6, OutcomeType.WORK, D(2024, 8, 1))  # not in the cohort

        # Fte periods for cost basis "fte"
        FtePeriodFactory(worker=self.worker, start_date=D(2023, 1, 1), fte=Decimal("0.8"))
        FtePeriodFactory(worker=self.worker, start_date=D(2024, 4, 1), fte=Decimal("1.0"))
        FtePeriodFactory(worker=self.other_worker, start_date=D(2024, 1, 1), fte=Decimal("0.5"))


@pytest.fixture
def cohort(db) -> Cohort:
    return Cohort()


@pytest.fixture
def parameters() -> dict:
    return parameters_data()


def mkba_report_request(cohort, **changes):
    """``services.report_request`` for an on-demand MKBA report of the cohort (the analyst asks);
    ``changes`` override any argument. Returns ``(report, created)``."""
    from reports import services
    from reports.models import Report

    arguments = {
        "kind": Report.Kind.MKBA_ON_DEMAND,
        "organisation": cohort.organisation,
        "approach": cohort.approach,
        "period_start": FROM,
        "period_end": TO,
        "measured_at": MEASURED_AT,
        "parameter_set": cohort.parameter_set,
        "requested_by": cohort.analyst,
        "made_by": "demand:analist",
    }
    arguments.update(changes)
    return services.report_request(**arguments)
