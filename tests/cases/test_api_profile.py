"""Issue 15 in the API: the profile (PATCH), a dated complexity change, the next action and a
warme overdracht to another organisation; each for anonymous, another team, another organisation
and the allowed user. The world is test_api.py's (Zwolle: Anna in team A with youth J-A1, Bram in
team B; Deventer: Xander)."""

import datetime

import pytest
import time_machine
from django.db.models import F

from cases.models import ComplexityChange, Handover
from tests.cases.test_api import API, api, snapshot, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
D = datetime.date


def _refused_everywhere(world, method, url, body):  # noqa: F811
    before = snapshot()
    assert getattr(api(None), method)(url, body, format="json").status_code in (401, 403)
    assert getattr(api(world.bram), method)(url, body, format="json").status_code == 404  # another team
    assert getattr(api(world.outsider), method)(url, body, format="json").status_code == 404  # another organisation
    assert getattr(api(world.analyst), method)(url, body, format="json").status_code == 403  # no case data
    assert snapshot() == before


def test_patch_youth_profile(world):  # noqa: F811
    url = f"{API}/youths/{world.youth.pk}/"
    _refused_everywhere(world, "patch", url, {"phone": "06-1"})
    response = api(world.anna).patch(
        url, {"phone": "06-1", "benefit": "ww", "life_domains": ["huisvesting"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["phone"], body["benefit"], body["life_domains"], body["first_name"]) == (
        "06-1",
        "ww",
        ["huisvesting"],
        "Noa",
    )
    bad = api(world.anna).patch(url, {"benefit": "loterij", "target_group": 999999}, format="json")
    assert bad.status_code == 400 and set(bad.json()) >= {"benefit", "target_group"}


@time_machine.travel(datetime.datetime(2025, 6, 1, 12, 0), tick=False)
def test_post_complexity_change(world):  # noqa: F811
    url = f"{API}/youths/{world.youth.pk}/complexity-changes/"
    _refused_everywhere(world, "post", url, {"complexity": "complex", "valid_from": "2025-05-01"})
    response = api(world.anna).post(url, {"complexity": "complex", "valid_from": "2025-05-01"}, format="json")
    assert response.status_code == 200 and response.json()["complexity"] == "complex"
    assert list(
        ComplexityChange.objects.order_by(F("valid_from").asc(nulls_first=True)).values_list("valid_from", "complexity")
    ) == [
        (None, "meervoudig"),
        (D(2025, 5, 1), "complex"),
    ]
    future = api(world.anna).post(url, {"complexity": "licht", "valid_from": "2025-07-01"}, format="json")
    assert future.status_code == 400 and future.json()["valid_from"] == ["Uiterlijk 1 juni 2025."]


def test_put_next_action(world):  # noqa: F811
    url = f"{API}/trajectories/{world.trajectory.pk}/next-action/"
    body = {"next_action": "Gesprek met werkgever", "next_action_on": "2025-03-03"}
    _refused_everywhere(world, "put", url, body)
    response = api(world.anna).put(url, body, format="json")
    assert response.status_code == 200
    assert (response.json()["next_action"], response.json()["next_action_on"]) == (
        "Gesprek met werkgever",
        "2025-03-03",
    )
    half = api(world.anna).put(url, {"next_action": "Bellen", "next_action_on": None}, format="json")
    assert half.status_code == 400 and "next_action_on" in half.json()


def test_handover_to_another_organisation(world):  # noqa: F811
    url = f"{API}/trajectories/{world.trajectory.pk}/handover/"
    body = {
        "to_organisation": "Werkplein Regio Zwolle",
        "date": "2025-05-01",
        "note": "Samen met de jongere gesproken.",
    }
    _refused_everywhere(world, "post", url, body)
    neither = api(world.anna).post(url, {"date": "2025-05-01", "note": "x"}, format="json")
    assert neither.status_code == 400 and "to_worker" in neither.json()
    response = api(world.anna).post(url, body, format="json")
    assert response.status_code == 201
    assert (response.json()["to_worker"], response.json()["to_organisation"]) == (None, "Werkplein Regio Zwolle")
    world.trajectory.refresh_from_db()
    assert world.trajectory.end_date == D(2025, 5, 1)
    assert Handover.objects.count() == 1
