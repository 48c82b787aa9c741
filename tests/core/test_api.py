"""Teams and workers through the REST API (SPEC §6, §8): read-only, scoped by cases.selectors."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import Organisation, Team, User, Worker
from tests.factories import OrganisationFactory, TeamFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    team_a: Team
    team_b: Team
    team_x: Team
    anna: User
    anna_worker: Worker
    carla_worker: Worker
    bram: User
    bram_worker: Worker
    lead: User
    analyst: User
    admin: User
    outsider: User
    outsider_worker: Worker


@pytest.fixture
def world() -> World:
    org = OrganisationFactory(name="Gemeente Zwolle")
    other_org = OrganisationFactory(name="Gemeente Deventer")
    team_a = TeamFactory(organisation=org, name="Team Noord")
    team_b = TeamFactory(organisation=org, name="Team Zuid")
    team_x = TeamFactory(organisation=other_org, name="Team Deventer")
    anna = UserFactory(username="anna", role=User.Role.WORKER, organisation=org)
    anna_worker = WorkerFactory(user=anna, team=team_a, name="Anna de Boer", external_id="W-ANNA")
    carla_worker = WorkerFactory(team=team_a, name="Carla Smit", external_id="W-CARLA", function="jobcoach")
    bram = UserFactory(username="bram", role=User.Role.WORKER, organisation=org)
    bram_worker = WorkerFactory(user=bram, team=team_b, name="Bram Visser", external_id="W-BRAM", is_active=False)
    outsider = UserFactory(username="xander", role=User.Role.WORKER, organisation=other_org)
    outsider_worker = WorkerFactory(user=outsider, team=team_x, name="Xander Mol", external_id="W-XANDER")
    lead = UserFactory(username="lotte", role=User.Role.TEAM_LEAD, organisation=org)
    team_a.leads.add(lead)
    analyst = UserFactory(username="ali", role=User.Role.ANALYST, organisation=org)
    admin = UserFactory(username="beheer", role=User.Role.ADMIN, organisation=org)
    return World(
        org=org,
        other_org=other_org,
        team_a=team_a,
        team_b=team_b,
        team_x=team_x,
        anna=anna,
        anna_worker=anna_worker,
        carla_worker=carla_worker,
        bram=bram,
        bram_worker=bram_worker,
        lead=lead,
        analyst=analyst,
        admin=admin,
        outsider=outsider,
        outsider_worker=outsider_worker,
    )


def api(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=User.objects.get(pk=user.pk))
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def query_count(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# ---------------------------------------------------------------------------------------------
# Teams


def test_teams_anonymous_is_refused(world):
    assert api().get(f"{API}/teams/").status_code == 403
    assert api().get(f"{API}/teams/{world.team_a.pk}/").status_code == 403


def test_team_list_is_scoped_per_role(world):
    assert ids(api(world.anna).get(f"{API}/teams/")) == [world.team_a.pk]
    assert ids(api(world.bram).get(f"{API}/teams/")) == [world.team_b.pk]
    assert ids(api(world.lead).get(f"{API}/teams/")) == [world.team_a.pk]
    assert ids(api(world.analyst).get(f"{API}/teams/")) == [world.team_a.pk, world.team_b.pk]
    assert ids(api(world.admin).get(f"{API}/teams/")) == [world.team_a.pk, world.team_b.pk]
    assert ids(api(world.outsider).get(f"{API}/teams/")) == [world.team_x.pk]


def test_team_detail(world):
    url = f"{API}/teams/{world.team_a.pk}/"

    assert api(world.outsider).get(url).status_code == 404
    assert api(world.bram).get(url).status_code == 404
    response = api(world.anna).get(url)
    assert response.status_code == 200
    assert response.json() == {"id": world.team_a.pk, "name": "Team Noord", "organisation": world.org.pk}


def test_teams_are_read_only(world):
    before = list(Team.objects.order_by("pk").values())

    assert api(world.admin).post(f"{API}/teams/", {"name": "Nieuw"}).status_code == 405
    assert api(world.admin).delete(f"{API}/teams/{world.team_a.pk}/").status_code == 405
    assert list(Team.objects.order_by("pk").values()) == before


# ---------------------------------------------------------------------------------------------
# Workers


def test_workers_anonymous_is_refused(world):
    assert api().get(f"{API}/workers/").status_code == 403
    assert api().get(f"{API}/workers/{world.anna_worker.pk}/").status_code == 403


def test_worker_list_of_worker_holds_their_team_exactly(world):
    response = api(world.anna).get(f"{API}/workers/")

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": world.anna_worker.pk,
                "external_id": "W-ANNA",
                "name": "Anna de Boer",
                "team": world.team_a.pk,
                "team_name": "Team Noord",
                "function": "jongerenadviseur",
                "is_active": True,
            },
            {
                "id": world.carla_worker.pk,
                "external_id": "W-CARLA",
                "name": "Carla Smit",
                "team": world.team_a.pk,
                "team_name": "Team Noord",
                "function": "jobcoach",
                "is_active": True,
            },
        ],
    }


def test_worker_list_is_scoped_per_role(world):
    team_a = [world.anna_worker.pk, world.carla_worker.pk]

    assert ids(api(world.bram).get(f"{API}/workers/")) == [world.bram_worker.pk]
    assert ids(api(world.lead).get(f"{API}/workers/")) == team_a
    assert ids(api(world.analyst).get(f"{API}/workers/")) == [
        world.anna_worker.pk,
        world.bram_worker.pk,
        world.carla_worker.pk,
    ]
    assert ids(api(world.outsider).get(f"{API}/workers/")) == [world.outsider_worker.pk]


def test_worker_detail(world):
    url = f"{API}/workers/{world.carla_worker.pk}/"

    assert api(world.outsider).get(url).status_code == 404
    assert api(world.bram).get(url).status_code == 404
    assert api(world.lead).get(url).json()["name"] == "Carla Smit"
    assert api(world.anna).get(url).status_code == 200


def test_worker_list_filters_and_ordering(world):
    client = api(world.analyst)

    assert ids(client.get(f"{API}/workers/?team={world.team_b.pk}")) == [world.bram_worker.pk]
    assert ids(client.get(f"{API}/workers/?function=jobcoach")) == [world.carla_worker.pk]
    assert ids(client.get(f"{API}/workers/?is_active=false")) == [world.bram_worker.pk]
    assert ids(client.get(f"{API}/workers/?ordering=-external_id")) == [
        world.carla_worker.pk,
        world.bram_worker.pk,
        world.anna_worker.pk,
    ]
    assert ids(client.get(f"{API}/workers/?team={world.team_x.pk}")) == []


def test_workers_are_read_only(world):
    assert api(world.admin).post(f"{API}/workers/", {"name": "Nieuw"}).status_code == 405
    assert Worker.objects.count() == 4


def test_worker_and_team_lists_make_the_same_number_of_queries_for_5_and_50(world):
    WorkerFactory.create_batch(3, team=world.team_a)
    TeamFactory.create_batch(3, organisation=world.org)
    workers_five = query_count(api(world.lead), f"{API}/workers/")
    teams_five = query_count(api(world.analyst), f"{API}/teams/")
    WorkerFactory.create_batch(45, team=world.team_a)
    TeamFactory.create_batch(45, organisation=world.org)

    assert query_count(api(world.lead), f"{API}/workers/") == workers_five
    assert query_count(api(world.analyst), f"{API}/teams/") == teams_five


# ---------------------------------------------------------------------------------------------
# Issue 12: a number no id can be (beyond 64 bits) is a 400 or a 404 before any query; on SQLite it
# used to raise OverflowError (a 500).

HUGE = "999999999999999999999"


def test_worker_filter_on_a_huge_team_id_is_400_not_a_server_error(world):
    response = api(world.lead).get(f"/api/v1/workers/?team={HUGE}")

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "team"}


@pytest.mark.parametrize("path", [f"teams/{HUGE}", f"workers/{HUGE}", "workers/-1"])
def test_team_and_worker_with_an_impossible_id_are_a_json_404(world, path):
    response = api(world.lead).get(f"/api/v1/{path}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
