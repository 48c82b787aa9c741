import datetime

import pytest

from cases.models import Phase, Role
from core.models import User
from tests.factories import (
    ApproachFactory,
    OrganisationFactory,
    PeriodFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)


class World:
    """Two organisations; in the first two teams. A worker, a colleague, a team lead, an analyst."""

    def __init__(self) -> None:
        self.organisation = OrganisationFactory(name="Gemeente Voorbeeld")
        self.team = TeamFactory(organisation=self.organisation, name="Noord")
        self.other_team = TeamFactory(organisation=self.organisation, name="Zuid")
        self.user = UserFactory(username="anna", organisation=self.organisation, role=User.Role.WORKER)
        self.worker = WorkerFactory(name="Anna Bakker", team=self.team, user=self.user)
        self.colleague_user = UserFactory(username="bram", organisation=self.organisation, role=User.Role.WORKER)
        self.colleague = WorkerFactory(name="Bram Smit", team=self.team, user=self.colleague_user)
        self.other_team_user = UserFactory(username="chris", organisation=self.organisation, role=User.Role.WORKER)
        self.other_team_worker = WorkerFactory(name="Chris Dekker", team=self.other_team, user=self.other_team_user)
        self.lead = UserFactory(username="lead", organisation=self.organisation, role=User.Role.TEAM_LEAD)
        self.team.leads.add(self.lead)
        self.analyst = UserFactory(username="analist", organisation=self.organisation, role=User.Role.ANALYST)
        self.approach = ApproachFactory(organisation=self.organisation, name="Jongerenadviseurs + werktraject")

        self.youth = YouthFactory(
            organisation=self.organisation, first_name="Noa", last_name="Jansen", external_id="J-1"
        )
        self.trajectory = TrajectoryFactory(
            youth=self.youth,
            worker=self.worker,
            approach=self.approach,
            start_date=datetime.date(2025, 1, 6),
            external_id="T-1",
        )
        self.period = PeriodFactory(
            trajectory=self.trajectory,
            phase=Phase.BEGELEIDING,
            role=Role.COACHING,
            start_date=datetime.date(2025, 1, 6),
        )

        self.other_youth = YouthFactory(
            organisation=self.organisation, first_name="Ravi", last_name="Peters", external_id="J-2"
        )
        self.other_trajectory = TrajectoryFactory(
            youth=self.other_youth,
            worker=self.other_team_worker,
            approach=self.approach,
            start_date=datetime.date(2025, 2, 1),
            external_id="T-2",
        )
        PeriodFactory(
            trajectory=self.other_trajectory,
            phase=Phase.BEGELEIDING,
            role=Role.REGIE,
            start_date=datetime.date(2025, 2, 1),
        )

        self.foreign_organisation = OrganisationFactory(name="Gemeente Elders")
        self.foreign_user = UserFactory(username="eva", organisation=self.foreign_organisation, role=User.Role.WORKER)
        self.foreign_worker = WorkerFactory(
            name="Eva Vos", team=TeamFactory(organisation=self.foreign_organisation), user=self.foreign_user
        )


@pytest.fixture
def world(db) -> World:
    return World()
