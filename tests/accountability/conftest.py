""" "Telstad": a small hand-built dataset whose accountability figures are worked out by hand.

Period [2025-01-01, 2026-01-01) (365 days), measured at 2026-06-01; approach "Jongerenadviseurs";
teams Noord (W-A fte 1.0; W-B fte 0.5, 1.0 from 2025-07-01) and Zuid (W-C fte 0.8; W-D no fte).

- T1: Y1 (born 2000-05-10, "Kwetsbare jongeren", 24 on the end date: 23+), W-A, 2025-01-01 to
  2025-03-01; work 2025-02-15, its 6-month check (due 2025-08-15) not_there: the job ends before
  the 12-month moment. Period W-A coaching. Team Noord. Element "Vaste begeleider".
- T2: Y2 (born 2002-06-01: turns 23 on the end date 2025-06-01, "Schoolverlaters"), W-B,
  2025-02-01 to 2025-06-01; school 2025-06-10 (before M = 2025-06-29) with an unanswered check,
  out_of_sight 2025-09-01. Periods W-B intake coaching, then W-C begeleiding uitvoering: the last
  period's worker is W-C, so team Zuid.
- T3: Y3 (born 2008-01-01, no target group, <23), W-A, 2025-06-01 to 2025-12-01; work and
  out_of_sight on the same day 2025-12-15 (positive beats unknown); its 12-month moment
  2026-12-01 lies after the measurement date (provisional). Periods W-A coaching, then W-B
  monitoring (team Noord; a youth shared by two workers of one team). Both elements.
- T4: Y4 (born 1995-01-01: 30, not VCV-eligible), W-C, from 2025-03-01, open; W-C coaching.
- Y5: reported, contacted, no trajectory.

Result indicators (all three ended in 2025):
  work_4w: T1 +, T2 -, T3 +                 -> 3 ended, 2 +, 1 -, 0 ?, share 0.667, provisional 0
  work_12m: T1 - (check), T2 ? (out of sight), T3 + (provisional) -> 3, 1, 1, 1, 0.5, 1
  work_or_school_4w: all +                   -> 3, 3, 0, 0, 1.0, 0
  work_or_school_12m: T1 -, T2 ?, T3 +       -> 3, 1, 1, 1, 0.5, 1
VCV (annual cost 78,000): W-A 365 fte-days -> 78,000.00; W-B 181 x 0.5 + 184 x 1.0 = 274.5 ->
  274.5 x 78,000 / 365 = 58,660.27 (fte 0.752); W-C 292 -> 62,400.00; W-D 0.
  Youths: W-A {Y1, Y3}, W-B {Y2, Y3}, W-C {Y2, Y4 (not eligible)}, W-D none.
First contact (reported in 2025): Y2 5 days (DUO, Noord), Y3 20 days (school, Noord), Y4 waiting
  (DUO, Zuid), Y5 3 days (self, no team); Y1 reported in 2024.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from cases.models import FollowUp, OutcomeType, Phase, ReferralRoute, Role, WorkingElement
from core.models import User
from tests.factories import (
    ApproachFactory,
    FollowUpFactory,
    FtePeriodFactory,
    OrganisationFactory,
    OutcomeFactory,
    PeriodFactory,
    TargetGroupFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

D = dt.date


def _youth(organisation, key, birth, group, reported, contact, route):
    return YouthFactory(
        organisation=organisation,
        external_id=key,
        birth_date=birth,
        target_group=group,
        reported_on=reported,
        first_contact_on=contact,
        referral_route=route,
    )


@pytest.fixture
def telstad(db):
    organisation = OrganisationFactory(name="Telstad")
    noord = TeamFactory(organisation=organisation, name="Noord")
    zuid = TeamFactory(organisation=organisation, name="Zuid")
    w_a = WorkerFactory(team=noord, external_id="W-A")
    w_b = WorkerFactory(team=noord, external_id="W-B")
    w_c = WorkerFactory(team=zuid, external_id="W-C")
    w_d = WorkerFactory(team=zuid, external_id="W-D")
    FtePeriodFactory(worker=w_a, start_date=D(2024, 1, 1), fte=Decimal("1.0"))
    FtePeriodFactory(worker=w_b, start_date=D(2024, 1, 1), fte=Decimal("0.5"))
    FtePeriodFactory(worker=w_b, start_date=D(2025, 7, 1), fte=Decimal("1.0"))
    FtePeriodFactory(worker=w_c, start_date=D(2024, 1, 1), fte=Decimal("0.8"))
    approach = ApproachFactory(organisation=organisation, name="Jongerenadviseurs")
    vulnerable = TargetGroupFactory(organisation=organisation, name="Kwetsbare jongeren")
    leavers = TargetGroupFactory(organisation=organisation, name="Schoolverlaters")
    duo, school, self_route = ReferralRoute.DUO_RMC, ReferralRoute.SCHOOL, ReferralRoute.SELF
    y1 = _youth(organisation, "Y1", D(2000, 5, 10), vulnerable, D(2024, 12, 28), D(2025, 1, 2), duo)
    y2 = _youth(organisation, "Y2", D(2002, 6, 1), leavers, D(2025, 1, 10), D(2025, 1, 15), duo)
    y3 = _youth(organisation, "Y3", D(2008, 1, 1), None, D(2025, 5, 1), D(2025, 5, 21), school)
    y4 = _youth(organisation, "Y4", D(1995, 1, 1), None, D(2025, 2, 1), None, duo)
    _youth(organisation, "Y5", D(2004, 1, 1), None, D(2025, 3, 1), D(2025, 3, 4), self_route)

    def trajectory(key, youth, worker, start, end):
        return TrajectoryFactory(
            external_id=key, youth=youth, worker=worker, approach=approach, start_date=start, end_date=end
        )

    t1 = trajectory("T1", y1, w_a, D(2025, 1, 1), D(2025, 3, 1))
    t2 = trajectory("T2", y2, w_b, D(2025, 2, 1), D(2025, 6, 1))
    t3 = trajectory("T3", y3, w_a, D(2025, 6, 1), D(2025, 12, 1))
    t4 = trajectory("T4", y4, w_c, D(2025, 3, 1), None)
    PeriodFactory(
        trajectory=t1, phase=Phase.BEGELEIDING, role=Role.COACHING, start_date=D(2025, 1, 1), end_date=D(2025, 3, 1)
    )
    PeriodFactory(
        trajectory=t2, phase=Phase.INTAKE, role=Role.COACHING, start_date=D(2025, 2, 1), end_date=D(2025, 4, 1)
    )
    PeriodFactory(
        trajectory=t2,
        phase=Phase.BEGELEIDING,
        role=Role.UITVOERING,
        start_date=D(2025, 4, 1),
        end_date=D(2025, 6, 1),
        worker=w_c,
    )
    PeriodFactory(
        trajectory=t3, phase=Phase.BEGELEIDING, role=Role.COACHING, start_date=D(2025, 6, 1), end_date=D(2025, 9, 1)
    )
    PeriodFactory(
        trajectory=t3,
        phase=Phase.NAZORG,
        role=Role.MONITORING,
        start_date=D(2025, 9, 1),
        end_date=D(2025, 12, 1),
        worker=w_b,
    )
    PeriodFactory(trajectory=t4, phase=Phase.BEGELEIDING, role=Role.COACHING, start_date=D(2025, 3, 1), end_date=None)
    work = OutcomeFactory(trajectory=t1, outcome=OutcomeType.WORK, date=D(2025, 2, 15))
    FollowUpFactory(outcome=work, months_after=6, due_date=D(2025, 8, 15), answer=FollowUp.Answer.NOT_THERE)
    school_outcome = OutcomeFactory(trajectory=t2, outcome=OutcomeType.SCHOOL, date=D(2025, 6, 10))
    FollowUpFactory(outcome=school_outcome, months_after=1, due_date=D(2025, 7, 10), answer="")
    OutcomeFactory(trajectory=t2, outcome=OutcomeType.OUT_OF_SIGHT, date=D(2025, 9, 1))
    OutcomeFactory(trajectory=t3, outcome=OutcomeType.WORK, date=D(2025, 12, 15))
    OutcomeFactory(trajectory=t3, outcome=OutcomeType.OUT_OF_SIGHT, date=D(2025, 12, 15))
    steady = WorkingElement.objects.create(organisation=organisation, name="Vaste begeleider")
    custom = WorkingElement.objects.create(organisation=organisation, name="Maatwerk")
    t1.working_elements.add(steady)
    t3.working_elements.add(steady, custom)

    lead_noord = UserFactory(username="lead-noord", organisation=organisation, role=User.Role.TEAM_LEAD)
    noord.leads.add(lead_noord)
    analyst = UserFactory(username="analist", organisation=organisation, role=User.Role.ANALYST)
    worker_user = UserFactory(username="begeleider-a", organisation=organisation, role=User.Role.WORKER)
    w_a.user = worker_user
    w_a.save(update_fields=["user"])
    elsewhere = OrganisationFactory(name="Elders")
    other_analyst = UserFactory(username="analist-elders", organisation=elsewhere, role=User.Role.ANALYST)
    TeamFactory(organisation=elsewhere, name="Noord")
    return SimpleNamespace(
        organisation=organisation,
        noord=noord,
        zuid=zuid,
        approach=approach,
        workers=(w_a, w_b, w_c, w_d),
        trajectories=(t1, t2, t3, t4),
        lead_noord=lead_noord,
        analyst=analyst,
        worker_user=worker_user,
        other_analyst=other_analyst,
    )


def indicator(ended, positive, negative, unknown, share, provisional):
    return {
        "ended": ended,
        "positive": positive,
        "negative": negative,
        "unknown": unknown,
        "share": share,
        "provisional": provisional,
    }


def indicators(work_4w, work_12m, work_or_school_4w, work_or_school_12m):
    return {
        "work_4w": indicator(*work_4w),
        "work_12m": indicator(*work_12m),
        "work_or_school_4w": indicator(*work_or_school_4w),
        "work_or_school_12m": indicator(*work_or_school_12m),
    }


# Worked out in the module docstring.
ALL = indicators((3, 2, 1, 0, 0.667, 0), (3, 1, 1, 1, 0.5, 1), (3, 3, 0, 0, 1.0, 0), (3, 1, 1, 1, 0.5, 1))
OLDER = indicators((2, 1, 1, 0, 0.5, 0), (2, 0, 1, 1, 0.0, 0), (2, 2, 0, 0, 1.0, 0), (2, 0, 1, 1, 0.0, 0))
YOUNGER = indicators((1, 1, 0, 0, 1.0, 0), (1, 1, 0, 0, 1.0, 1), (1, 1, 0, 0, 1.0, 0), (1, 1, 0, 0, 1.0, 1))
ONLY_T1 = indicators((1, 1, 0, 0, 1.0, 0), (1, 0, 1, 0, 0.0, 0), (1, 1, 0, 0, 1.0, 0), (1, 0, 1, 0, 0.0, 0))
ONLY_T2 = indicators((1, 0, 1, 0, 0.0, 0), (1, 0, 0, 1, None, 0), (1, 1, 0, 0, 1.0, 0), (1, 0, 0, 1, None, 0))
NOORD = indicators((2, 2, 0, 0, 1.0, 0), (2, 1, 1, 0, 0.5, 1), (2, 2, 0, 0, 1.0, 0), (2, 1, 1, 0, 0.5, 1))

RESULT_INDICATORS = {
    "from": "2025-01-01",
    "to": "2026-01-01",
    "measured_at": "2026-06-01",
    "indicators": ALL,
    "breakdowns": {
        "age_band": {"23+": OLDER, "<23": YOUNGER},
        "target_group": {"Kwetsbare jongeren": ONLY_T1, "Schoolverlaters": ONLY_T2, "unknown": YOUNGER},
        "approach": {"Jongerenadviseurs": ALL},
        "team": {"Noord": NOORD, "Zuid": ONLY_T2},
    },
}
RESULT_INDICATORS_NOORD = {
    "from": "2025-01-01",
    "to": "2026-01-01",
    "measured_at": "2026-06-01",
    "indicators": NOORD,
    "breakdowns": {
        "age_band": {"23+": ONLY_T1, "<23": YOUNGER},
        "target_group": {"Kwetsbare jongeren": ONLY_T1, "unknown": YOUNGER},
        "approach": {"Jongerenadviseurs": NOORD},
        "team": {"Noord": NOORD},
    },
}


def vcv_figures(fte, costs, youths, eligible, share, accountable, flat_rate, total):
    return {
        "fte": fte,
        "personnel_costs": costs,
        "youths": youths,
        "eligible_youths": eligible,
        "share": share,
        "accountable": accountable,
        "flat_rate": flat_rate,
        "total": total,
    }


W_A = {"worker_id": "W-A", "team": "Noord"} | vcv_figures(1.0, 78000.0, 2, 2, 1.0, 78000.0, 0.0, 78000.0)
W_B = {"worker_id": "W-B", "team": "Noord"} | vcv_figures(0.752, 58660.27, 2, 2, 1.0, 58660.27, 0.0, 58660.27)
W_C = {"worker_id": "W-C", "team": "Zuid"} | vcv_figures(0.8, 62400.0, 2, 1, 0.5, 31200.0, 0.0, 31200.0)
W_D = {"worker_id": "W-D", "team": "Zuid"} | vcv_figures(0.0, 0.0, 0, 0, None, 0.0, 0.0, 0.0)
TEAM_NOORD = {"team": "Noord"} | vcv_figures(1.752, 136660.27, 3, 3, 1.0, 136660.27, 0.0, 136660.27)
TEAM_ZUID = {"team": "Zuid"} | vcv_figures(0.8, 62400.0, 2, 1, 0.5, 31200.0, 0.0, 31200.0)
VCV = {
    "from": "2025-01-01",
    "to": "2026-01-01",
    "rule": {"max_age": 28, "target_groups": [], "flat_rate": False},
    "workers": [W_A, W_B, W_C, W_D],
    "teams": [TEAM_NOORD, TEAM_ZUID],
    "total": vcv_figures(2.552, 199060.27, 4, 3, 0.75, 167860.27, 0.0, 167860.27),
}
VCV_NOORD = {
    "from": "2025-01-01",
    "to": "2026-01-01",
    "rule": {"max_age": 28, "target_groups": [], "flat_rate": False},
    "workers": [W_A, W_B],
    "teams": [TEAM_NOORD],
    "total": vcv_figures(1.752, 136660.27, 3, 3, 1.0, 136660.27, 0.0, 136660.27),
}


def contact(reported, contacted, waiting, median, p90, within):
    return {
        "reported": reported,
        "contacted": contacted,
        "waiting": waiting,
        "median_days": median,
        "p90_days": p90,
        "within_7_days": within,
    }


FIRST_CONTACT = {
    "from": "2025-01-01",
    "to": "2026-01-01",
    "measured_at": "2026-06-01",
    **contact(4, 3, 1, 5, 20, 0.667),
    "breakdowns": {
        "team": {
            "Noord": contact(2, 2, 0, 5, 20, 0.5),
            "Zuid": contact(1, 0, 1, None, None, None),
            "unknown": contact(1, 1, 0, 3, 3, 1.0),
        },
        "referral_route": {
            "DUO/RMC-melding": contact(2, 1, 1, 5, 5, 1.0),
            "school": contact(1, 1, 0, 20, 20, 0.0),
            "self": contact(1, 1, 0, 3, 3, 1.0),
        },
    },
}
FIRST_CONTACT_NOORD = {
    "from": "2025-01-01",
    "to": "2026-01-01",
    "measured_at": "2026-06-01",
    **contact(2, 2, 0, 5, 20, 0.5),
    "breakdowns": {
        "team": {"Noord": contact(2, 2, 0, 5, 20, 0.5)},
        "referral_route": {"DUO/RMC-melding": contact(1, 1, 0, 5, 5, 1.0), "school": contact(1, 1, 0, 20, 20, 0.0)},
    },
}


def group(trajectories):
    return {"trajectories": trajectories, "share": None, "suppressed": True}


WORKING_ELEMENTS = {
    "from": "2025-01-01",
    "to": "2026-01-01",
    "measured_at": "2026-06-01",
    "indicator": "work_or_school_4w",
    "elements": [
        {"element": "Maatwerk", "with": group(1), "without": group(2)},
        {"element": "Vaste begeleider", "with": group(2), "without": group(1)},
    ],
}
