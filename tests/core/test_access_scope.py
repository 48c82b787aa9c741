"""Role x capability x scope, through the real pages (issue 12, SPEC §8).

One organisation with teams A and B: workers w1 and w2 in A, w3 in B, a team lead of A, an
analyst, an admin and a privacy officer; a second organisation with its own worker. Each of the
four youths has one running trajectory (coaching since 6 January 2025):

    own         w1's youth (team A)
    teammate    w2's youth (team A)
    other team  w3's youth (team B)
    other org   the other organisation's worker's youth

The answers are written out by hand in TABLE. A capability is asked through its page:

    see         GET the dossier                      200 / 404 outside scope / 403 role without it
    write       POST a change of role (period)       302 / 404 / 403, and nothing changed on refusal
    inzage      GET the inzage cover page            200 / 404 / 403
    register    GET /jongeren/nieuw/ (no scope)      200 / 403
    cost        POST a cost item on the trajectory   302 / 400 outside scope (an id in a form is a
                (/rendement/kosten/nieuw/, issue 15)  field error) / 403, nothing written on refusal

TEAM stands for "only where the organisation lets workers see their team's youths"
(``Organisation.workers_see_team_youths``): the answer is the allowed one with the setting on and
404 with it off; every row is run both ways.
"""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from cases.models import CostItem, Period, Phase, Role
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

pytestmark = pytest.mark.django_db

TEAM = "team"  # allowed only with workers_see_team_youths (see the docstring)
SCOPES = ("own", "teammate", "other_team", "other_org")

# fmt: off
# role             capability   own   teammate  other_team  other_org
TABLE: dict[str, dict[str, tuple[Any, ...]]] = {
    "worker": {
        "see":      (200,  TEAM,     404,        404),
        "write":    (302,  TEAM,     404,        404),
        "inzage":   (403,  403,      403,        403),   # issue 12 finding 3: a worker makes no export
        "cost":     (403,  403,      403,        403),   # issue 15: see test_workers_enter_costs_where_allowed
        "register": (200,),
    },
    "team_lead": {  # of team A
        "see":      (200,  200,      404,        404),
        "write":    (302,  302,      404,        404),
        "inzage":   (200,  200,      404,        404),
        "cost":     (302,  302,      400,        400),
        "register": (200,),
    },
    "analyst": {
        "see":      (403,  403,      403,        403),
        "write":    (403,  403,      403,        403),
        "inzage":   (403,  403,      403,        403),
        "cost":     (302,  302,      302,        400),   # by pseudonymous keys, never names
        "register": (403,),                              # issue 12 finding 2
    },
    "admin": {
        "see":      (403,  403,      403,        403),
        "write":    (403,  403,      403,        403),
        "inzage":   (403,  403,      403,        403),
        "cost":     (403,  403,      403,        403),
        "register": (403,),                              # issue 12 finding 2
    },
    "privacy_officer": {
        "see":      (403,  403,      403,        403),   # no case contents, only the export
        "write":    (403,  403,      403,        403),
        "inzage":   (200,  200,      200,        404),
        "cost":     (403,  403,      403,        403),
        "register": (403,),
    },
    "other_org_worker": {  # the other organisation's own worker: "other_org" is their youth
        "see":      (404,  404,      404,        200),
        "write":    (404,  404,      404,        302),
        "inzage":   (403,  403,      403,        403),
        "cost":     (403,  403,      403,        403),
        "register": (200,),
    },
}
# fmt: on

D = datetime.date


class Organisations:
    def __init__(self, *, workers_see_team_youths: bool, workers_enter_costs: bool = False) -> None:
        organisation = OrganisationFactory(name="Gemeente Voorbeeld")
        organisation.workers_see_team_youths = workers_see_team_youths
        organisation.workers_enter_costs = workers_enter_costs
        organisation.save()
        team_a = TeamFactory(organisation=organisation, name="A")
        team_b = TeamFactory(organisation=organisation, name="B")
        approach = ApproachFactory(organisation=organisation, name="Jongerenadviseurs")
        other = OrganisationFactory(name="Gemeente Elders")
        other_team = TeamFactory(organisation=other, name="X")
        other_approach = ApproachFactory(organisation=other, name="Aanpak Elders")

        def worker(username: str, team: Any, org: Any) -> tuple[User, Any]:
            user = UserFactory(username=username, organisation=org, role=User.Role.WORKER)
            return user, WorkerFactory(team=team, user=user, name=username)

        w1_user, w1 = worker("w1", team_a, organisation)
        _w2_user, w2 = worker("w2", team_a, organisation)
        _w3_user, w3 = worker("w3", team_b, organisation)
        x_user, wx = worker("wx", other_team, other)
        lead = UserFactory(username="lead-a", organisation=organisation, role=User.Role.TEAM_LEAD)
        team_a.leads.add(lead)
        self.users: dict[str, User] = {
            "worker": w1_user,
            "team_lead": lead,
            "analyst": UserFactory(username="analist", organisation=organisation, role=User.Role.ANALYST),
            "admin": UserFactory(username="beheerder", organisation=organisation, role=User.Role.ADMIN),
            "privacy_officer": UserFactory(
                username="privacy", organisation=organisation, role=User.Role.PRIVACY_OFFICER
            ),
            "other_org_worker": x_user,
        }
        self.trajectories = {}
        for scope, (owner, org, aanpak) in {
            "own": (w1, organisation, approach),
            "teammate": (w2, organisation, approach),
            "other_team": (w3, organisation, approach),
            "other_org": (wx, other, other_approach),
        }.items():
            youth = YouthFactory(organisation=org, external_id=f"Y-{scope}", first_name=scope)
            trajectory = TrajectoryFactory(
                youth=youth, worker=owner, approach=aanpak, start_date=D(2025, 1, 6), external_id=f"T-{scope}"
            )
            PeriodFactory(trajectory=trajectory, phase=Phase.BEGELEIDING, role=Role.COACHING, start_date=D(2025, 1, 6))
            self.trajectories[scope] = trajectory


def _expected(value: Any, workers_see_team_youths: bool, allowed: int) -> int:
    if value == TEAM:
        return allowed if workers_see_team_youths else 404
    return int(value)


def _periods(trajectory: Any) -> list[tuple[Any, ...]]:
    return list(
        Period.objects.filter(trajectory=trajectory).order_by("pk").values_list("role", "start_date", "end_date")
    )


CASES = [
    (role, capability, scope)
    for role, capabilities in TABLE.items()
    for capability in ("see", "write", "inzage", "cost")
    for scope in SCOPES
]


def test_the_table_is_complete():
    assert set(TABLE) == {"worker", "team_lead", "analyst", "admin", "privacy_officer", "other_org_worker"}
    for answers in TABLE.values():
        assert {k: len(v) for k, v in answers.items()} == {"see": 4, "write": 4, "inzage": 4, "cost": 4, "register": 1}


@pytest.mark.parametrize("workers_see_team_youths", [False, True], ids=["own-only", "team-wide"])
@pytest.mark.parametrize(("role", "capability", "scope"), CASES, ids=["-".join(case) for case in CASES])
def test_role_capability_scope(client, role, capability, scope, workers_see_team_youths):
    world = Organisations(workers_see_team_youths=workers_see_team_youths)
    trajectory = world.trajectories[scope]
    client.force_login(world.users[role])
    value = TABLE[role][capability][SCOPES.index(scope)]

    if capability == "see":
        response = client.get(reverse("cases:youth_dossier", args=[trajectory.youth_id]))
        assert response.status_code == _expected(value, workers_see_team_youths, 200)
    elif capability == "inzage":
        response = client.get(reverse("cases:youth_inzage", args=[trajectory.youth_id]))
        assert response.status_code == _expected(value, workers_see_team_youths, 200)
    elif capability == "cost":
        _assert_cost_entry(client, trajectory, _expected(value, workers_see_team_youths, 302))
    else:
        before = _periods(trajectory)
        response = client.post(
            reverse("cases:period_change", args=[trajectory.pk]),
            {"date": "2025-09-15", "phase": "begeleiding", "role": "regie"},
        )
        expected = _expected(value, workers_see_team_youths, 302)
        assert response.status_code == expected
        if expected == 302:
            assert _periods(trajectory) == [
                ("coaching", D(2025, 1, 6), D(2025, 9, 15)),
                ("regie", D(2025, 9, 15), None),
            ]
        else:
            assert _periods(trajectory) == before


def _assert_cost_entry(client: Any, trajectory: Any, expected: int) -> None:
    response = client.post(
        reverse("mkba:cost_create"),
        {
            "approach": trajectory.approach_id,
            "trajectory": trajectory.pk,
            "line": "extra_zorg",
            "date": "2025-03-01",
            "amount": "1.234,50",
        },
    )
    assert response.status_code == expected
    written = list(CostItem.objects.values_list("trajectory_id", "line", "amount"))
    assert written == ([(trajectory.pk, "extra_zorg", Decimal("1234.50"))] if expected == 302 else [])


# With ``Organisation.workers_enter_costs`` a worker enters costs on the trajectories of their
# case scope (TEAM: their team's too where workers see their team's youths); every other row of
# TABLE is unchanged (tests/core/test_access.py pins the capability for every role).
# fmt: off
WORKERS_ENTER_COSTS = {
    "worker":           (302,  TEAM,     400,        400),
    "other_org_worker": (403,  403,      403,        403),   # their organisation does not allow it
}
# fmt: on


@pytest.mark.parametrize("workers_see_team_youths", [False, True], ids=["own-only", "team-wide"])
@pytest.mark.parametrize("role", list(WORKERS_ENTER_COSTS))
@pytest.mark.parametrize("scope", SCOPES)
def test_workers_enter_costs_where_allowed(client, role, scope, workers_see_team_youths):
    world = Organisations(workers_see_team_youths=workers_see_team_youths, workers_enter_costs=True)
    client.force_login(world.users[role])
    value = WORKERS_ENTER_COSTS[role][SCOPES.index(scope)]
    expected = 400 if value == TEAM and not workers_see_team_youths else _expected(value, True, 302)
    _assert_cost_entry(client, world.trajectories[scope], expected)


@pytest.mark.parametrize("role", list(TABLE))
def test_register_a_youth(client, role):
    world = Organisations(workers_see_team_youths=False)
    client.force_login(world.users[role])

    response = client.get(reverse("cases:youth_register"))

    assert response.status_code == TABLE[role]["register"][0]
