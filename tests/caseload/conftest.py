"""A small organisation whose caseload figures are worked out by hand in the tests.

Organisation "Gemeente Rekenstad": default norms (coaching 40, uitvoering 40, regie 12,
monitoring 8 hours per youth per year), complexity factor complex = 1.5 (others 1.0), 1200
productive hours per fte. Approach A: no overrides, expected duration 182 days. Approach B:
coaching norm 80, expected duration 100 days (so long in role after 150 days).

Team "Noord": worker w1 (W-1, 0.1 fte from 2025-01-01), worker w2 (W-2, 0.5 fte from 2025-01-01,
1.0 fte from 2025-07-01). Team "Zuid": worker w3 (W-3, no fte periods).
Another organisation "Gemeente Elders" with team "Oost" and worker w9 (W-9, 1.0 fte).

Trajectories (period end exclusive, open = running):
- t1: y1 (licht), A, w1: begeleiding/coaching 2025-01-01 .. open
- t2: y2 (complex), A, w1: intake/regie 2025-02-01 .. 2025-04-01, begeleiding/coaching 2025-04-01 .. open
- t3: y3 (licht), B, w1: begeleiding/coaching 2024-01-01 .. open
- t4: y4 (meervoudig), A, trajectory worker w2 after a handover: coaching 2025-01-01 .. 2025-02-15
  with worker w1 named on the period, then monitoring 2025-02-15 .. open (worker empty = w2)
- t5: y5 (licht), A, w3: monitoring 2025-01-01 .. open
- t6: y6 (licht), A, w2: aanmelding/coaching 2025-01-01 .. open (no load: phase aanmelding)
- t9: y9 (licht), other organisation, w9: coaching 2025-01-01 .. open

Time entries of w1: 2025-01-31 60 min direct (before the period), 2025-02-03 90 min direct,
2025-02-10 30 min indirect, 2025-02-20 120 min overhead, 2025-03-01 60 min direct (after it).
w9: 2025-02-05 600 min overhead.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from cases.models import Complexity, Phase, Role, TimeCategory
from core.models import User
from tests.factories import (
    ApproachFactory,
    FtePeriodFactory,
    OrganisationFactory,
    PeriodFactory,
    TeamFactory,
    TimeEntryFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

D = dt.date
PASSWORD = "correct-horse-battery-staple"


@dataclass
class Rekenstad:
    organisation: object
    other_organisation: object
    noord: object
    zuid: object
    oost: object
    w1: object
    w2: object
    w3: object
    w9: object
    lead_noord: User
    lead_zuid: User
    lead_oost: User
    analyst: User
    worker_user: User
    trajectories: dict


@pytest.fixture
def rekenstad(db):
    organisation = OrganisationFactory(name="Gemeente Rekenstad", factor_complex=Decimal("1.5"))
    other = OrganisationFactory(name="Gemeente Elders")
    approach_a = ApproachFactory(organisation=organisation, name="Aanpak A")
    approach_b = ApproachFactory(
        organisation=organisation, name="Aanpak B", norm_coaching_hours=Decimal("80"), expected_duration_days=100
    )
    approach_other = ApproachFactory(organisation=other, name="Aanpak Elders")
    noord = TeamFactory(organisation=organisation, name="Noord")
    zuid = TeamFactory(organisation=organisation, name="Zuid")
    oost = TeamFactory(organisation=other, name="Oost")
    w1 = WorkerFactory(team=noord, external_id="W-1", name="Anna Bakker")
    w2 = WorkerFactory(team=noord, external_id="W-2", name="Bram Claassen")
    w3 = WorkerFactory(team=zuid, external_id="W-3", name="Cor Dekker")
    w9 = WorkerFactory(team=oost, external_id="W-9", name="Eva Elders")
    FtePeriodFactory(worker=w1, start_date=D(2025, 1, 1), fte=Decimal("0.1"))
    FtePeriodFactory(worker=w2, start_date=D(2025, 1, 1), fte=Decimal("0.5"))
    FtePeriodFactory(worker=w2, start_date=D(2025, 7, 1), fte=Decimal("1.0"))
    FtePeriodFactory(worker=w9, start_date=D(2025, 1, 1), fte=Decimal("1.0"))

    def youth(key, complexity, org=organisation):
        return YouthFactory(organisation=org, external_id=key, first_name=key.upper(), complexity=complexity)

    t1 = TrajectoryFactory(
        youth=youth("y1", Complexity.LICHT), approach=approach_a, worker=w1, start_date=D(2025, 1, 1)
    )
    PeriodFactory(trajectory=t1, role=Role.COACHING, start_date=D(2025, 1, 1))
    t2 = TrajectoryFactory(
        youth=youth("y2", Complexity.COMPLEX), approach=approach_a, worker=w1, start_date=D(2025, 2, 1)
    )
    PeriodFactory(trajectory=t2, phase=Phase.INTAKE, role=Role.REGIE, start_date=D(2025, 2, 1), end_date=D(2025, 4, 1))
    PeriodFactory(trajectory=t2, role=Role.COACHING, start_date=D(2025, 4, 1))
    t3 = TrajectoryFactory(
        youth=youth("y3", Complexity.LICHT), approach=approach_b, worker=w1, start_date=D(2024, 1, 1)
    )
    PeriodFactory(trajectory=t3, role=Role.COACHING, start_date=D(2024, 1, 1))
    t4 = TrajectoryFactory(
        youth=youth("y4", Complexity.MEERVOUDIG), approach=approach_a, worker=w2, start_date=D(2025, 1, 1)
    )
    PeriodFactory(trajectory=t4, role=Role.COACHING, start_date=D(2025, 1, 1), end_date=D(2025, 2, 15), worker=w1)
    PeriodFactory(trajectory=t4, role=Role.MONITORING, start_date=D(2025, 2, 15))
    t5 = TrajectoryFactory(
        youth=youth("y5", Complexity.LICHT), approach=approach_a, worker=w3, start_date=D(2025, 1, 1)
    )
    PeriodFactory(trajectory=t5, role=Role.MONITORING, start_date=D(2025, 1, 1))
    t6 = TrajectoryFactory(
        youth=youth("y6", Complexity.LICHT), approach=approach_a, worker=w2, start_date=D(2025, 1, 1)
    )
    PeriodFactory(trajectory=t6, phase=Phase.AANMELDING, role=Role.COACHING, start_date=D(2025, 1, 1))
    t9 = TrajectoryFactory(
        youth=youth("y9", Complexity.LICHT, other), approach=approach_other, worker=w9, start_date=D(2025, 1, 1)
    )
    PeriodFactory(trajectory=t9, role=Role.COACHING, start_date=D(2025, 1, 1))

    for day, minutes, category in [
        (D(2025, 1, 31), 60, TimeCategory.CLIENT_DIRECT),
        (D(2025, 2, 3), 90, TimeCategory.CLIENT_DIRECT),
        (D(2025, 2, 10), 30, TimeCategory.CLIENT_INDIRECT),
        (D(2025, 2, 20), 120, TimeCategory.OVERHEAD),
        (D(2025, 3, 1), 60, TimeCategory.CLIENT_DIRECT),
    ]:
        TimeEntryFactory(worker=w1, date=day, minutes=minutes, category=category)
    TimeEntryFactory(worker=w9, date=D(2025, 2, 5), minutes=600, category=TimeCategory.OVERHEAD)

    lead_noord = UserFactory(username="lead-noord", role=User.Role.TEAM_LEAD, organisation=organisation)
    noord.leads.add(lead_noord)
    lead_zuid = UserFactory(username="lead-zuid", role=User.Role.TEAM_LEAD, organisation=organisation)
    zuid.leads.add(lead_zuid)
    lead_oost = UserFactory(username="lead-oost", role=User.Role.TEAM_LEAD, organisation=other)
    oost.leads.add(lead_oost)
    analyst = UserFactory(username="analist", role=User.Role.ANALYST, organisation=organisation)
    worker_user = UserFactory(username="anna", role=User.Role.WORKER, organisation=organisation)
    w1.user = worker_user
    w1.save(update_fields=["user"])
    return Rekenstad(
        organisation=organisation,
        other_organisation=other,
        noord=noord,
        zuid=zuid,
        oost=oost,
        w1=w1,
        w2=w2,
        w3=w3,
        w9=w9,
        lead_noord=lead_noord,
        lead_zuid=lead_zuid,
        lead_oost=lead_oost,
        analyst=analyst,
        worker_user=worker_user,
        trajectories={"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5, "t6": t6, "t9": t9},
    )
