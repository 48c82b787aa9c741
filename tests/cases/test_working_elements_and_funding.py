"""Working elements ticked per trajectory (dossier and API, through one service) and the funding
source chosen when a trajectory starts (page form and API)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services
from cases.models import Trajectory, WorkingElement
from core.exceptions import ApplicationError
from core.models import AuditLogEntry
from tests.factories import PeriodFactory, TrajectoryFactory, YouthFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def tuesday_2_december_2025():
    with time_machine.travel(datetime.datetime(2025, 12, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def elements(world):
    names = ["Maatwerk", "Outreachend werken", "Vaste begeleider"]
    WorkingElement.objects.create(organisation=world.foreign_organisation, name="Elders")
    return {name: WorkingElement.objects.create(organisation=world.organisation, name=name) for name in names}


def _names(trajectory):
    return sorted(trajectory.working_elements.values_list("name", flat=True))


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_service_replaces_the_ticked_elements_by_name(world, elements):
    services.trajectory_working_elements_set(
        user=world.user, trajectory=world.trajectory, names=["Vaste begeleider", "Maatwerk", "Maatwerk"]
    )
    assert _names(world.trajectory) == ["Maatwerk", "Vaste begeleider"]

    services.trajectory_working_elements_set(user=world.user, trajectory=world.trajectory, names=["Outreachend werken"])
    assert _names(world.trajectory) == ["Outreachend werken"]
    assert AuditLogEntry.objects.filter(detail="working elements: Outreachend werken").count() == 1


def test_an_element_of_another_organisation_or_unknown_is_refused_and_nothing_changes(world, elements):
    services.trajectory_working_elements_set(user=world.user, trajectory=world.trajectory, names=["Maatwerk"])

    with pytest.raises(ApplicationError) as error:
        services.trajectory_working_elements_set(
            user=world.user, trajectory=world.trajectory, names=["Vaste begeleider", "Elders", "Yoga"]
        )

    assert error.value.message == (
        "Onbekend werkzaam element: Elders, Yoga. De organisatie kent: Maatwerk, Outreachend werken, Vaste begeleider."
    )
    assert set(error.value.fields) == {"working_elements"}
    assert _names(world.trajectory) == ["Maatwerk"]


def test_the_dossier_offers_the_organisations_elements_and_saves_the_ticks(client, world, elements):
    client.force_login(world.user)
    dossier = reverse("cases:youth_dossier", kwargs={"youth_id": world.youth.pk})
    page = client.get(dossier).content.decode()
    assert reverse("cases:working_elements", args=[world.trajectory.pk]) in page
    assert "Vaste begeleider" in page
    assert "Elders" not in page
    assert "financiering Gemeente" in page

    response = client.post(
        reverse("cases:working_elements", args=[world.trajectory.pk]),
        {"working_elements": ["Maatwerk", "Vaste begeleider"]},
    )

    assert response.status_code == 302
    assert response["Location"] == dossier
    assert _names(world.trajectory) == ["Maatwerk", "Vaste begeleider"]
    assert "Maatwerk, Vaste begeleider" in client.get(dossier).content.decode()


def test_the_dossier_refuses_a_name_not_on_the_list(client, world, elements):
    client.force_login(world.user)
    response = client.post(
        reverse("cases:working_elements", args=[world.trajectory.pk]), {"working_elements": ["Elders"]}
    )
    assert response.status_code == 400
    assert _names(world.trajectory) == []


def test_ticking_asks_write_case_data_and_scope(client, world, elements):
    url = reverse("cases:working_elements", args=[world.trajectory.pk])
    client.force_login(world.analyst)
    assert client.post(url, {"working_elements": ["Maatwerk"]}).status_code == 403
    client.force_login(world.other_team_user)
    assert client.post(url, {"working_elements": ["Maatwerk"]}).status_code == 404
    assert _names(world.trajectory) == []


def test_the_api_shows_and_writes_the_element_names(world, elements):
    url = f"/api/v1/trajectories/{world.trajectory.pk}/working-elements/"

    response = api(world.user).put(url, {"working_elements": ["Vaste begeleider", "Maatwerk"]}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["working_elements"] == ["Maatwerk", "Vaste begeleider"]
    detail = api(world.user).get(f"/api/v1/trajectories/{world.trajectory.pk}/").json()
    assert detail["working_elements"] == ["Maatwerk", "Vaste begeleider"]

    refused = api(world.user).put(url, {"working_elements": ["Yoga"]}, format="json")
    assert refused.status_code == 400
    assert "working_elements" in refused.json()
    assert api(world.analyst).put(url, {"working_elements": []}, format="json").status_code == 403
    assert api(world.other_team_user).put(url, {"working_elements": []}, format="json").status_code == 404
    assert _names(world.trajectory) == ["Maatwerk", "Vaste begeleider"]


@pytest.mark.parametrize("extra", [1, 8])
def test_the_trajectory_list_with_elements_makes_a_bounded_number_of_queries(
    world, elements, extra, django_assert_max_num_queries
):
    for number in range(extra):
        youth = YouthFactory(organisation=world.organisation, external_id=f"J-W{number}")
        trajectory = TrajectoryFactory(
            youth=youth,
            worker=world.worker,
            approach=world.approach,
            start_date=D(2025, 2, 1),
            external_id=f"T-W{number}",
        )
        PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 2, 1))
        trajectory.working_elements.set(elements.values())
    client = api(world.user)
    client.get("/api/v1/trajectories/")

    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/trajectories/")

    assert [t["working_elements"] for t in response.json()["results"] if t["external_id"].startswith("T-W")] == [
        ["Maatwerk", "Outreachend werken", "Vaste begeleider"]
    ] * extra


def test_the_page_form_starts_a_trajectory_with_its_funding_source(client, world):
    youth = YouthFactory(organisation=world.organisation, external_id="J-9")
    client.force_login(world.user)

    response = client.post(
        reverse("cases:trajectory_start", args=[youth.pk]),
        {
            "approach": world.approach.pk,
            "worker": world.worker.pk,
            "start_date": "2025-11-03",
            "phase": "intake",
            "role": "coaching",
            "funding_source": "esf",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Trajectory.objects.get(youth=youth).funding_source == "esf"


def test_the_api_starts_a_trajectory_with_its_funding_source(world):
    youth = YouthFactory(organisation=world.organisation, external_id="J-9")
    body = {"youth": youth.pk, "approach": world.approach.pk, "start_date": "2025-11-03"}

    wrong = api(world.user).post("/api/v1/trajectories/", {**body, "funding_source": "lottery"}, format="json")
    assert wrong.status_code == 400
    assert "funding_source" in wrong.json()
    assert not Trajectory.objects.filter(youth=youth).exists()

    response = api(world.user).post("/api/v1/trajectories/", {**body, "funding_source": "rmc"}, format="json")
    assert response.status_code == 201
    assert response.json()["funding_source"] == "rmc"
    assert Trajectory.objects.get(youth=youth).funding_source == "rmc"
