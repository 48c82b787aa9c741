"""The case REST API (SPEC §6, §8): every endpoint for anonymous users, another organisation,
another team and the allowed user; bad input as 400 with field errors and nothing written;
audit logging of youth reads; bounded queries on lists; the OpenAPI schema."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from cases.models import (
    FollowUp,
    Handover,
    Outcome,
    Period,
    TimeEntry,
    Trajectory,
    Youth,
)
from core.models import AuditLogEntry, Organisation, Team, User, Worker
from tests.factories import (
    ApproachFactory,
    FollowUpFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OutcomeFactory,
    PeriodFactory,
    TargetGroupFactory,
    TeamFactory,
    TimeEntryFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
API = "/api/v1"


# ---------------------------------------------------------------------------------------------
# The world: organisation "Zwolle" with team A (Anna, her colleague Carla, team lead Lotte) and
# team B (Bram), an analyst and an admin; organisation "Deventer" with Xander. Anna, Bram and Xander
# each have one youth in one running trajectory.


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    team_a: Team
    team_b: Team
    anna: User
    anna_worker: Worker
    carla: User
    carla_worker: Worker
    bram: User
    bram_worker: Worker
    lead: User
    analyst: User
    admin: User
    outsider: User
    outsider_worker: Worker
    approach: Any
    other_approach: Any
    target_group: Any
    municipality: Any
    youth: Youth
    youth_b: Youth
    youth_x: Youth
    trajectory: Trajectory
    trajectory_b: Trajectory
    trajectory_x: Trajectory
    period: Period
    period_b: Period
    period_x: Period


def _worker_user(username: str, name: str, external_id: str, team: Team, role: str = User.Role.WORKER):
    user = UserFactory(username=username, role=role, organisation=team.organisation)
    worker = WorkerFactory(user=user, team=team, name=name, external_id=external_id)
    return user, worker


@pytest.fixture
def world() -> World:
    org = OrganisationFactory(name="Gemeente Zwolle")
    other_org = OrganisationFactory(name="Gemeente Deventer")
    team_a = TeamFactory(organisation=org, name="Team Noord")
    team_b = TeamFactory(organisation=org, name="Team Zuid")
    team_x = TeamFactory(organisation=other_org, name="Team Deventer")
    anna, anna_worker = _worker_user("anna", "Anna de Boer", "W-ANNA", team_a)
    carla, carla_worker = _worker_user("carla", "Carla Smit", "W-CARLA", team_a)
    bram, bram_worker = _worker_user("bram", "Bram Visser", "W-BRAM", team_b)
    outsider, outsider_worker = _worker_user("xander", "Xander Mol", "W-XANDER", team_x)
    lead = UserFactory(username="lotte", role=User.Role.TEAM_LEAD, organisation=org)
    team_a.leads.add(lead)
    analyst = UserFactory(username="ali", role=User.Role.ANALYST, organisation=org)
    admin = UserFactory(username="beheer", role=User.Role.ADMIN, organisation=org)
    approach = ApproachFactory(organisation=org, name="Jongerenadviseurs + werktraject")
    other_approach = ApproachFactory(organisation=other_org, name="Deventer aanpak")
    target_group = TargetGroupFactory(organisation=org, name="Voortijdig schoolverlaters")
    municipality = MunicipalityFactory(name="Zwolle")
    youth = YouthFactory(
        organisation=org,
        external_id="J-A1",
        first_name="Noa",
        last_name="Jansen",
        target_group=target_group,
        municipality=municipality,
        life_domains=["schulden"],
        reported_on=D(2024, 12, 15),
        first_contact_on=D(2025, 1, 1),
    )
    youth_b = YouthFactory(organisation=org, external_id="J-B1", first_name="Sem", last_name="Bos")
    youth_x = YouthFactory(organisation=other_org, external_id="J-X1", first_name="Mila", last_name="Kok")
    trajectory = TrajectoryFactory(
        external_id="T-A1", youth=youth, approach=approach, worker=anna_worker, start_date=D(2025, 1, 1)
    )
    trajectory_b = TrajectoryFactory(
        external_id="T-B1", youth=youth_b, approach=approach, worker=bram_worker, start_date=D(2025, 2, 1)
    )
    trajectory_x = TrajectoryFactory(
        external_id="T-X1", youth=youth_x, approach=other_approach, worker=outsider_worker, start_date=D(2025, 1, 1)
    )
    period = PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 1, 1))
    period_b = PeriodFactory(trajectory=trajectory_b, phase="intake", role="regie", start_date=D(2025, 2, 1))
    period_x = PeriodFactory(trajectory=trajectory_x, phase="begeleiding", role="coaching", start_date=D(2025, 1, 1))
    return World(
        org=org,
        other_org=other_org,
        team_a=team_a,
        team_b=team_b,
        anna=anna,
        anna_worker=anna_worker,
        carla=carla,
        carla_worker=carla_worker,
        bram=bram,
        bram_worker=bram_worker,
        lead=lead,
        analyst=analyst,
        admin=admin,
        outsider=outsider,
        outsider_worker=outsider_worker,
        approach=approach,
        other_approach=other_approach,
        target_group=target_group,
        municipality=municipality,
        youth=youth,
        youth_b=youth_b,
        youth_x=youth_x,
        trajectory=trajectory,
        trajectory_b=trajectory_b,
        trajectory_x=trajectory_x,
        period=period,
        period_b=period_b,
        period_x=period_x,
    )


def api(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        # A fresh instance per client, so no cached relation hides a query or a scope change.
        client.force_authenticate(user=User.objects.get(pk=user.pk))
    return client


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the case tables and the audit log: a denied write must leave all of it alone."""
    models = [Youth, Trajectory, Period, Handover, TimeEntry, Outcome, FollowUp, AuditLogEntry]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def results(response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> list[int]:
    return [row["id"] for row in results(response)]


def youth_json(w: World) -> dict[str, Any]:
    return {
        "id": w.youth.pk,
        "external_id": "J-A1",
        "first_name": "Noa",
        "last_name": "Jansen",
        "birth_date": "2005-03-14",
        "phone": "",
        "email": "",
        "address": "",
        "target_group": w.target_group.pk,
        "target_group_name": "Voortijdig schoolverlaters",
        "education_level": "vmbo-basis",
        "has_startkwalificatie": False,
        "benefit": "none",
        "life_domains": ["schulden"],
        "complexity": "meervoudig",
        "municipality": w.municipality.pk,
        "municipality_name": "Zwolle",
        "referral_route": "DUO/RMC-melding",
        "reported_on": "2024-12-15",
        "first_contact_on": "2025-01-01",
        "anonymised_at": None,
    }


def period_json(w: World) -> dict[str, Any]:
    return {
        "id": w.period.pk,
        "trajectory": w.trajectory.pk,
        "phase": "begeleiding",
        "role": "coaching",
        "start_date": "2025-01-01",
        "end_date": None,
        "worker": None,
        "effective_worker": w.anna_worker.pk,
    }


def trajectory_json(w: World) -> dict[str, Any]:
    return {
        "id": w.trajectory.pk,
        "external_id": "T-A1",
        "youth": w.youth.pk,
        "youth_key": "J-A1",
        "approach": w.approach.pk,
        "approach_name": "Jongerenadviseurs + werktraject",
        "worker": w.anna_worker.pk,
        "worker_name": "Anna de Boer",
        "start_date": "2025-01-01",
        "end_date": None,
        "funding_source": "gemeente",
        "current_period": period_json(w),
        "working_elements": [],
        "next_action": "",
        "next_action_on": None,
    }


def query_count(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# ---------------------------------------------------------------------------------------------
# Youths: list


def test_youth_list_anonymous_is_refused(world):
    assert api().get(f"{API}/youths/").status_code == 403


def test_youth_list_of_worker_holds_exactly_their_youths_with_all_fields(world):
    response = api(world.anna).get(f"{API}/youths/")

    assert response.status_code == 200
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [youth_json(world)]}


def test_youth_list_other_organisation_and_other_team_see_only_their_own(world):
    assert [row["external_id"] for row in results(api(world.outsider).get(f"{API}/youths/"))] == ["J-X1"]
    assert [row["external_id"] for row in results(api(world.bram).get(f"{API}/youths/"))] == ["J-B1"]
    assert results(api(world.carla).get(f"{API}/youths/")) == []


def test_youth_list_of_colleague_holds_team_youths_when_the_organisation_allows(world):
    world.org.workers_see_team_youths = True
    world.org.save()

    assert [row["external_id"] for row in results(api(world.carla).get(f"{API}/youths/"))] == ["J-A1"]
    assert [row["external_id"] for row in results(api(world.bram).get(f"{API}/youths/"))] == ["J-B1"]


def test_youth_list_of_team_lead_holds_the_team_youths(world):
    assert [row["external_id"] for row in results(api(world.lead).get(f"{API}/youths/"))] == ["J-A1"]


def test_youth_list_of_analyst_and_admin_is_empty(world):
    assert results(api(world.analyst).get(f"{API}/youths/")) == []
    assert results(api(world.admin).get(f"{API}/youths/")) == []


def test_youth_list_holds_the_organisations_intake_queue(world):
    YouthFactory(organisation=world.org, external_id="J-Q1", reported_on=D(2025, 3, 1))

    assert [row["external_id"] for row in results(api(world.bram).get(f"{API}/youths/"))] == ["J-B1", "J-Q1"]
    assert [row["external_id"] for row in results(api(world.outsider).get(f"{API}/youths/"))] == ["J-X1"]


def test_youth_list_is_audit_logged_once_per_request_with_the_keys_shown(world):
    YouthFactory(organisation=world.org, external_id="J-Q1", reported_on=D(2025, 3, 1))

    api(world.anna).get(f"{API}/youths/")

    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.organisation, entry.action, entry.object_type, entry.detail) == (
        world.anna,
        world.org,
        "view",
        "youth",
        "api youths list",
    )
    assert entry.youth_key_list == ["J-A1", "J-Q1"]


def test_youth_list_with_nothing_shown_logs_nothing(world):
    api(world.analyst).get(f"{API}/youths/")

    assert AuditLogEntry.objects.count() == 0


def test_youth_list_long_page_is_one_entry_naming_every_key(world):
    # Issue 12: one row per request naming the youths (before: spilled over several 500-character rows).
    for number in range(60):
        youth = YouthFactory(organisation=world.org, external_id=f"JONGERE-{number:04d}")
        TrajectoryFactory(youth=youth, approach=world.approach, worker=world.anna_worker)

    response = api(world.anna).get(f"{API}/youths/?page_size=100")

    assert response.json()["count"] == 61
    entry = AuditLogEntry.objects.get()
    assert entry.youth_key_list == ["J-A1", *[f"JONGERE-{number:04d}" for number in range(60)]]


def test_youth_list_filters_and_ordering(world):
    world.org.workers_see_team_youths = True
    world.org.save()
    second = YouthFactory(organisation=world.org, external_id="J-A2", complexity="complex", referral_route="school")
    TrajectoryFactory(youth=second, approach=world.approach, worker=world.anna_worker)
    client = api(world.anna)

    def keys(query: str) -> list[str]:
        return [row["external_id"] for row in results(client.get(f"{API}/youths/?{query}"))]

    assert keys("complexity=complex") == ["J-A2"]
    assert keys("referral_route=school") == ["J-A2"]
    assert keys(f"target_group={world.target_group.pk}") == ["J-A1"]
    assert keys("ordering=-external_id") == ["J-A2", "J-A1"]
    assert client.get(f"{API}/youths/?complexity=zwaar").status_code == 400


def test_youth_list_makes_the_same_number_of_queries_for_5_and_50_youths(world):
    def add(count: int) -> None:
        for _ in range(count):
            youth = YouthFactory(organisation=world.org)
            TrajectoryFactory(youth=youth, approach=world.approach, worker=world.anna_worker)

    add(4)
    five = query_count(api(world.anna), f"{API}/youths/")
    add(45)
    fifty = query_count(api(world.anna), f"{API}/youths/")

    assert five == fifty


# ---------------------------------------------------------------------------------------------
# Youths: retrieve (the dossier)


def test_youth_dossier_anonymous_other_organisation_other_team_analyst_get_nothing(world):
    url = f"{API}/youths/{world.youth.pk}/"

    assert api().get(url).status_code == 403
    assert api(world.outsider).get(url).status_code == 404
    assert api(world.bram).get(url).status_code == 404
    assert api(world.carla).get(url).status_code == 404
    assert api(world.analyst).get(url).status_code == 404
    assert api(world.admin).get(url).status_code == 404
    assert AuditLogEntry.objects.count() == 0


def test_youth_dossier_holds_the_whole_history_and_is_audit_logged(world):
    outcome = OutcomeFactory(trajectory=world.trajectory, date=D(2025, 6, 1), outcome="school")
    follow_up = FollowUpFactory(outcome=outcome, months_after=1, due_date=D(2025, 7, 1))

    response = api(world.anna).get(f"{API}/youths/{world.youth.pk}/")

    assert response.status_code == 200
    trajectory = {
        **trajectory_json(world),
        "periods": [period_json(world)],
        "outcomes": [
            {
                "id": outcome.pk,
                "trajectory": world.trajectory.pk,
                "date": "2025-06-01",
                "outcome": "school",
                "note": "",
                "follow_ups": [
                    {
                        "id": follow_up.pk,
                        "months_after": 1,
                        "due_date": "2025-07-01",
                        "answer": "",
                        "answered_on": None,
                    }
                ],
            }
        ],
        "handovers": [],
        "working_elements": [],
        "next_action": "",
        "next_action_on": None,
    }
    assert response.json() == {**youth_json(world), "trajectories": [trajectory]}
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.action, entry.object_type, entry.object_id, entry.youth_key, entry.detail) == (
        world.anna,
        "view",
        "youth",
        str(world.youth.pk),
        "J-A1",
        "dossier",
    )


def test_youth_dossier_makes_the_same_number_of_queries_for_a_short_and_a_long_history(world):
    def add_trajectory(number: int) -> None:
        approach = ApproachFactory(organisation=world.org)
        trajectory = TrajectoryFactory(
            youth=world.youth, approach=approach, worker=world.anna_worker, start_date=D(2025, 1, 1)
        )
        PeriodFactory(trajectory=trajectory, start_date=D(2025, 1, 1), end_date=D(2025, 2, 1))
        PeriodFactory(trajectory=trajectory, start_date=D(2025, 2, 1), role="regie")
        outcome = OutcomeFactory(trajectory=trajectory, date=D(2025, 3, number + 1))
        FollowUpFactory(outcome=outcome)

    add_trajectory(0)
    short = query_count(api(world.anna), f"{API}/youths/{world.youth.pk}/")
    for number in range(1, 10):
        add_trajectory(number)
    long = query_count(api(world.anna), f"{API}/youths/{world.youth.pk}/")

    assert short == long


def test_youth_dossier_for_team_lead(world):
    response = api(world.lead).get(f"{API}/youths/{world.youth.pk}/")

    assert response.status_code == 200
    assert response.json()["external_id"] == "J-A1"


def test_youth_dossier_unknown_id_is_404(world):
    assert api(world.anna).get(f"{API}/youths/999999/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Youths: register


NEW_YOUTH = {
    "external_id": "J-NEW",
    "first_name": "Lina",
    "last_name": "Bakker",
    "birth_date": "2006-05-01",
    "complexity": "complex",
    "life_domains": ["schulden", "huisvesting"],
    "referral_route": "school",
    "reported_on": "2025-03-01",
}


def test_youth_register_anonymous_analyst_and_admin_are_refused_and_nothing_is_written(world):
    before = snapshot()

    assert api().post(f"{API}/youths/", NEW_YOUTH, format="json").status_code == 403
    assert api(world.analyst).post(f"{API}/youths/", NEW_YOUTH, format="json").status_code == 403
    assert api(world.admin).post(f"{API}/youths/", NEW_YOUTH, format="json").status_code == 403
    assert snapshot() == before


def test_youth_register_creates_the_youth_in_the_users_organisation(world):
    body = {**NEW_YOUTH, "target_group": world.target_group.pk, "municipality": world.municipality.pk}

    response = api(world.anna).post(f"{API}/youths/", body, format="json")

    assert response.status_code == 201, response.content
    youth = Youth.objects.get(external_id="J-NEW")
    assert response.json() == {
        "id": youth.pk,
        "external_id": "J-NEW",
        "first_name": "Lina",
        "last_name": "Bakker",
        "birth_date": "2006-05-01",
        "phone": "",
        "email": "",
        "address": "",
        "target_group": world.target_group.pk,
        "target_group_name": "Voortijdig schoolverlaters",
        "education_level": "",
        "has_startkwalificatie": None,
        "benefit": "none",
        "life_domains": ["schulden", "huisvesting"],
        "complexity": "complex",
        "municipality": world.municipality.pk,
        "municipality_name": "Zwolle",
        "referral_route": "school",
        "reported_on": "2025-03-01",
        "first_contact_on": None,
        "anonymised_at": None,
        "already_known": [],
    }
    assert youth.organisation == world.org
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.action, entry.youth_key, entry.detail) == (world.anna, "create", "J-NEW", "registered")


def test_youth_register_by_another_organisation_lands_in_that_organisation(world):
    response = api(world.outsider).post(f"{API}/youths/", NEW_YOUTH, format="json")

    assert response.status_code == 201
    assert Youth.objects.get(external_id="J-NEW").organisation == world.other_org


def test_youth_register_with_a_target_group_of_another_organisation_is_a_field_error(world):
    before = snapshot()

    response = api(world.outsider).post(
        f"{API}/youths/", {**NEW_YOUTH, "target_group": world.target_group.pk}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "target_group"}
    assert snapshot() == before


def test_youth_register_bad_input_gives_field_errors_and_writes_nothing(world):
    before = snapshot()
    body = {
        **NEW_YOUTH,
        "complexity": "zwaar",
        "life_domains": ["geluk"],
        "birth_date": "gisteren",
        "municipality": 999999,
    }
    response = api(world.anna).post(f"{API}/youths/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "complexity", "life_domains", "birth_date", "municipality"}
    assert set(api(world.anna).post(f"{API}/youths/", {}, format="json").json()) == {"detail", "external_id"}
    assert snapshot() == before


def test_youth_register_already_known_by_name_and_birth_date_is_409_and_writes_no_youth(world):
    OutcomeFactory(trajectory=world.trajectory, date=D(2025, 6, 1), outcome="work")
    body = {**NEW_YOUTH, "first_name": "noa", "last_name": "JANSEN", "birth_date": "2005-03-14"}

    response = api(world.bram).post(f"{API}/youths/", body, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Deze jongere is mogelijk al bekend. Bevestig met confirm_new=true.",
        "already_known": [
            {
                "id": world.youth.pk,
                "external_id": "J-A1",
                "trajectories": [
                    {
                        "approach_name": "Jongerenadviseurs + werktraject",
                        "start_date": "2025-01-01",
                        "end_date": None,
                        "outcomes": [{"date": "2025-06-01", "outcome": "work"}],
                    }
                ],
            }
        ],
    }
    assert not Youth.objects.filter(external_id="J-NEW").exists()
    # Showing the match is a read of that youth's record.
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.action, entry.youth_key, entry.detail) == (
        world.bram,
        "view",
        "J-A1",
        "already-known check",
    )


def test_youth_register_already_known_with_confirm_new_registers_and_returns_the_matches(world):
    body = {**NEW_YOUTH, "first_name": "Noa", "last_name": "Jansen", "birth_date": "2005-03-14", "confirm_new": True}

    response = api(world.anna).post(f"{API}/youths/", body, format="json")

    assert response.status_code == 201
    assert [match["external_id"] for match in response.json()["already_known"]] == ["J-A1"]
    assert Youth.objects.filter(first_name="Noa", last_name="Jansen").count() == 2


def test_youth_register_existing_key_is_400_on_external_id_even_with_confirm_new(world):
    before_youths = Youth.objects.count()

    response = api(world.anna).post(
        f"{API}/youths/", {**NEW_YOUTH, "external_id": "J-A1", "confirm_new": True}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "external_id", "already_known"}
    assert Youth.objects.count() == before_youths


def test_youth_register_key_of_own_organisation_answers_bestaat_al(world):
    before = Youth.objects.count()

    response = api(world.anna).post(f"{API}/youths/", {**NEW_YOUTH, "external_id": "J-B1"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert (body["detail"], body["external_id"]) == (
        "Er is al een jongere met deze sleutel.",
        ["Deze sleutel bestaat al."],
    )
    assert [match["external_id"] for match in body["already_known"]] == ["J-B1"]
    assert Youth.objects.count() == before


def test_youth_register_key_of_another_organisation_is_no_oracle(world):
    # Issue 12 (5): keys are unique per organisation; another organisation's key answers exactly as
    # an unknown key (before: 400 "already exists", telling that the key is someone's client).
    response = api(world.anna).post(f"{API}/youths/", {**NEW_YOUTH, "external_id": "J-X1"}, format="json")
    unknown = api(world.anna).post(
        f"{API}/youths/", {**NEW_YOUTH, "external_id": "J-NEW2", "first_name": "Ilse"}, format="json"
    )

    assert (response.status_code, unknown.status_code) == (201, 201)
    assert response.json()["already_known"] == []
    assert set(response.json()) == set(unknown.json())
    assert list(
        Youth.objects.filter(external_id="J-X1")
        .order_by("organisation__name")
        .values_list("organisation__name", "first_name")
    ) == [("Gemeente Deventer", "Mila"), ("Gemeente Zwolle", "Lina")]


# ---------------------------------------------------------------------------------------------
# Youths: pick up from the intake queue


@pytest.fixture
def melding(world) -> Youth:
    return YouthFactory(organisation=world.org, external_id="J-Q1", reported_on=D(2025, 3, 1))


def test_pick_up_anonymous_other_organisation_other_team_and_analyst_change_nothing(world, melding):
    before = snapshot()

    assert api().post(f"{API}/youths/{melding.pk}/pick-up/", {"date": "2025-03-05"}).status_code == 403
    assert api(world.outsider).post(f"{API}/youths/{melding.pk}/pick-up/", {"date": "2025-03-05"}).status_code == 404
    assert api(world.anna).post(f"{API}/youths/{world.youth_b.pk}/pick-up/", {"date": "2025-03-05"}).status_code == 404
    assert api(world.analyst).post(f"{API}/youths/{melding.pk}/pick-up/", {"date": "2025-03-05"}).status_code == 403
    assert snapshot() == before


def test_pick_up_records_the_first_contact(world, melding):
    response = api(world.anna).post(f"{API}/youths/{melding.pk}/pick-up/", {"date": "2025-03-05"})

    assert response.status_code == 200
    assert response.json()["external_id"] == "J-Q1"
    assert response.json()["first_contact_on"] == "2025-03-05"
    melding.refresh_from_db()
    assert melding.first_contact_on == D(2025, 3, 5)
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.action, entry.youth_key, entry.detail) == (
        world.anna,
        "update",
        "J-Q1",
        "picked up on 2025-03-05",
    )


def test_pick_up_before_the_melding_or_twice_is_400_and_writes_nothing(world, melding):
    before = snapshot()
    client = api(world.anna)

    early = client.post(f"{API}/youths/{melding.pk}/pick-up/", {"date": "2025-02-28"})
    assert early.status_code == 400
    assert early.json() == {"detail": "Eerste contact kan niet voor de melding liggen.", "date": ["Te vroeg."]}
    assert set(client.post(f"{API}/youths/{melding.pk}/pick-up/", {}).json()) == {"detail", "date"}
    assert snapshot() == before

    twice = client.post(f"{API}/youths/{world.youth.pk}/pick-up/", {"date": "2025-03-05"})
    assert twice.status_code == 400
    assert twice.json() == {"detail": "Deze jongere is al opgepakt."}
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Trajectories: read


def test_trajectory_list_and_detail_anonymous_is_refused(world):
    assert api().get(f"{API}/trajectories/").status_code == 403
    assert api().get(f"{API}/trajectories/{world.trajectory.pk}/").status_code == 403


def test_trajectory_list_of_worker_is_exact(world):
    response = api(world.anna).get(f"{API}/trajectories/")

    assert response.status_code == 200
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [trajectory_json(world)]}


def test_trajectory_list_scopes(world):
    assert ids(api(world.outsider).get(f"{API}/trajectories/")) == [world.trajectory_x.pk]
    assert ids(api(world.bram).get(f"{API}/trajectories/")) == [world.trajectory_b.pk]
    assert ids(api(world.lead).get(f"{API}/trajectories/")) == [world.trajectory.pk]
    assert ids(api(world.analyst).get(f"{API}/trajectories/")) == []
    assert ids(api(world.admin).get(f"{API}/trajectories/")) == []


def test_trajectory_detail_scopes(world):
    url = f"{API}/trajectories/{world.trajectory.pk}/"

    assert api(world.outsider).get(url).status_code == 404
    assert api(world.bram).get(url).status_code == 404
    assert api(world.analyst).get(url).status_code == 404
    response = api(world.anna).get(url)
    assert response.status_code == 200
    assert response.json() == trajectory_json(world)


def test_trajectory_list_filters(world):
    world.org.workers_see_team_youths = True
    world.org.save()
    other = ApproachFactory(organisation=world.org, name="Leerwerktraject")
    closed = TrajectoryFactory(
        youth=world.youth, approach=other, worker=world.anna_worker, start_date=D(2024, 1, 1), end_date=D(2024, 7, 1)
    )
    client = api(world.lead)

    assert ids(client.get(f"{API}/trajectories/?approach={other.pk}")) == [closed.pk]
    assert ids(client.get(f"{API}/trajectories/?worker={world.anna_worker.pk}")) == [world.trajectory.pk, closed.pk]
    assert ids(client.get(f"{API}/trajectories/?active_on=2024-06-30")) == [closed.pk]
    # The end date is exclusive.
    assert ids(client.get(f"{API}/trajectories/?active_on=2024-07-01")) == []
    assert ids(client.get(f"{API}/trajectories/?active_on=2025-01-01")) == [world.trajectory.pk]
    assert ids(client.get(f"{API}/trajectories/?is_open=false")) == [closed.pk]
    assert ids(client.get(f"{API}/trajectories/?ordering=start_date")) == [closed.pk, world.trajectory.pk]


def test_trajectory_list_makes_the_same_number_of_queries_for_5_and_50(world):
    def add(count: int) -> None:
        for _ in range(count):
            trajectory = TrajectoryFactory(
                approach=world.approach, worker=world.anna_worker, youth__organisation=world.org
            )
            PeriodFactory(trajectory=trajectory)

    add(4)
    five = query_count(api(world.anna), f"{API}/trajectories/")
    add(45)
    fifty = query_count(api(world.anna), f"{API}/trajectories/")

    assert five == fifty


# ---------------------------------------------------------------------------------------------
# Trajectories: start


@pytest.fixture
def start_body(world, melding) -> dict[str, Any]:
    return {"youth": melding.pk, "approach": world.approach.pk, "start_date": "2025-03-10", "role": "coaching"}


def test_trajectory_start_anonymous_and_analyst_are_refused(world, start_body):
    before = snapshot()

    assert api().post(f"{API}/trajectories/", start_body, format="json").status_code == 403
    assert api(world.analyst).post(f"{API}/trajectories/", start_body, format="json").status_code == 403
    assert snapshot() == before


def test_trajectory_start_with_ids_outside_the_scope_is_400_per_field(world, start_body):
    before = snapshot()

    outsider = api(world.outsider).post(f"{API}/trajectories/", start_body, format="json")
    assert outsider.status_code == 400
    assert set(outsider.json()) == {"detail", "youth", "approach"}
    # Bram may not start a trajectory for Anna's youth, nor assign it to Anna (another team).
    bram = api(world.bram).post(
        f"{API}/trajectories/",
        {**start_body, "youth": world.youth.pk, "worker": world.anna_worker.pk},
        format="json",
    )
    assert bram.status_code == 400
    assert set(bram.json()) == {"detail", "youth", "worker"}
    unknown = api(world.anna).post(
        f"{API}/trajectories/", {**start_body, "approach": 999999, "youth": "x"}, format="json"
    )
    assert unknown.status_code == 400
    assert set(unknown.json()) == {"detail", "approach", "youth"}
    # A colleague who has left (inactive) cannot be made responsible, as on the dossier page.
    Worker.objects.filter(pk=world.carla_worker.pk).update(is_active=False)
    inactive = api(world.anna).post(
        f"{API}/trajectories/", {**start_body, "worker": world.carla_worker.pk}, format="json"
    )
    assert inactive.status_code == 400
    assert set(inactive.json()) == {"detail", "worker"}
    assert snapshot() == before


def test_trajectory_start_creates_trajectory_and_first_period_for_the_users_worker(world, start_body, melding):
    response = api(world.anna).post(f"{API}/trajectories/", start_body, format="json")

    assert response.status_code == 201, response.content
    trajectory = Trajectory.objects.get(youth=melding)
    period = trajectory.periods.get()
    assert response.json() == {
        "id": trajectory.pk,
        "external_id": f"J-Q1-{world.approach.pk}-20250310",
        "youth": melding.pk,
        "youth_key": "J-Q1",
        "approach": world.approach.pk,
        "approach_name": "Jongerenadviseurs + werktraject",
        "worker": world.anna_worker.pk,
        "worker_name": "Anna de Boer",
        "start_date": "2025-03-10",
        "end_date": None,
        "funding_source": "gemeente",
        "current_period": {
            "id": period.pk,
            "trajectory": trajectory.pk,
            "phase": "intake",
            "role": "coaching",
            "start_date": "2025-03-10",
            "end_date": None,
            "worker": None,
            "effective_worker": world.anna_worker.pk,
        },
        "working_elements": [],
        "next_action": "",
        "next_action_on": None,
    }
    melding.refresh_from_db()
    assert melding.first_contact_on == D(2025, 3, 10)


def test_trajectory_start_by_team_lead_for_a_team_worker(world, start_body):
    response = api(world.lead).post(
        f"{API}/trajectories/", {**start_body, "worker": world.carla_worker.pk}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["worker"] == world.carla_worker.pk


def test_trajectory_start_by_team_lead_without_worker_record_needs_a_worker(world, start_body):
    before = snapshot()

    response = api(world.lead).post(f"{API}/trajectories/", start_body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "worker"}
    assert snapshot() == before


def test_trajectory_start_twice_in_one_approach_or_time_out_with_role_is_400(world):
    before = snapshot()
    client = api(world.anna)
    body = {"youth": world.youth.pk, "approach": world.approach.pk, "start_date": "2025-03-10"}

    twice = client.post(f"{API}/trajectories/", body, format="json")
    assert twice.status_code == 400
    assert twice.json() == {
        "detail": "Deze jongere zit al in een lopend traject van deze aanpak.",
        "approach": ["Al een lopend traject in deze aanpak."],
    }
    other = ApproachFactory(organisation=world.org, name="Leerwerktraject")
    time_out = client.post(
        f"{API}/trajectories/",
        {**body, "approach": other.pk, "phase": "time-out", "role": "coaching"},
        format="json",
    )
    assert time_out.status_code == 400
    assert set(time_out.json()) == {"detail", "role"}
    bad_role = client.post(f"{API}/trajectories/", {**body, "approach": other.pk, "role": "baas"}, format="json")
    assert set(bad_role.json()) == {"detail", "role"}
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Trajectories: phase changes, pause, resume, close


def _post(user: User | None, url: str, body: dict[str, Any]):
    return api(user).post(url, body, format="json")


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("phase-changes", {"date": "2025-03-01", "phase": "begeleiding", "role": "regie"}),
        ("pause", {"date": "2025-03-01"}),
        ("resume", {"date": "2025-03-01", "phase": "begeleiding", "role": "coaching"}),
        ("close", {"date": "2025-03-01"}),
    ],
)
def test_trajectory_actions_are_refused_outside_the_scope_and_change_nothing(world, action, body):
    url = f"{API}/trajectories/{world.trajectory.pk}/{action}/"
    before = snapshot()

    assert _post(None, url, body).status_code == 403
    assert _post(world.outsider, url, body).status_code == 404
    assert _post(world.bram, url, body).status_code == 404
    assert _post(world.carla, url, body).status_code == 404
    assert _post(world.analyst, url, body).status_code == 403
    assert _post(world.anna, f"{API}/trajectories/999999/{action}/", body).status_code == 404
    assert snapshot() == before


def test_phase_change_closes_the_running_period_and_opens_the_next(world):
    response = _post(
        world.anna,
        f"{API}/trajectories/{world.trajectory.pk}/phase-changes/",
        {"date": "2025-03-01", "phase": "begeleiding", "role": "regie"},
    )

    assert response.status_code == 201
    new = Period.objects.get(trajectory=world.trajectory, start_date=D(2025, 3, 1))
    assert response.json() == {
        "id": new.pk,
        "trajectory": world.trajectory.pk,
        "phase": "begeleiding",
        "role": "regie",
        "start_date": "2025-03-01",
        "end_date": None,
        "worker": None,
        "effective_worker": world.anna_worker.pk,
    }
    world.period.refresh_from_db()
    assert world.period.end_date == D(2025, 3, 1)
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.youth_key, entry.detail) == (
        "update",
        "J-A1",
        "2025-03-01: phase begeleiding, role regie",
    )


def test_phase_change_by_team_lead_and_by_colleague_when_allowed(world):
    url = f"{API}/trajectories/{world.trajectory.pk}/phase-changes/"

    assert _post(world.lead, url, {"date": "2025-03-01", "phase": "begeleiding", "role": "regie"}).status_code == 201
    world.org.workers_see_team_youths = True
    world.org.save()
    assert _post(world.carla, url, {"date": "2025-04-01", "phase": "nazorg", "role": "monitoring"}).status_code == 201
    assert list(world.trajectory.periods.order_by("start_date").values_list("role", flat=True)) == [
        "coaching",
        "regie",
        "monitoring",
    ]


def test_phase_change_bad_input_is_400_with_field_errors_and_writes_nothing(world):
    url = f"{API}/trajectories/{world.trajectory.pk}/phase-changes/"
    before = snapshot()

    unknown_role = _post(world.anna, url, {"date": "2025-03-01", "phase": "begeleiding", "role": "baas"})
    assert unknown_role.status_code == 400
    assert set(unknown_role.json()) == {"detail", "role"}
    unknown_phase = _post(world.anna, url, {"date": "2025-03-01", "phase": "klaar", "role": ""})
    assert set(unknown_phase.json()) == {"detail", "phase"}
    missing = _post(world.anna, url, {})
    assert set(missing.json()) == {"detail", "date", "phase", "role"}
    before_start = _post(world.anna, url, {"date": "2024-12-01", "phase": "begeleiding", "role": "regie"})
    assert before_start.json() == {
        "detail": "De datum ligt voor de start van het traject.",
        "date": ["Kies een datum vanaf de startdatum."],
    }
    time_out_with_role = _post(world.anna, url, {"date": "2025-03-01", "phase": "time-out", "role": "coaching"})
    assert time_out_with_role.json() == {
        "detail": "Een time-out heeft geen rol.",
        "role": ["Laat de rol leeg bij een time-out."],
    }
    unchanged = _post(world.anna, url, {"date": "2025-03-01", "phase": "begeleiding", "role": "coaching"})
    assert set(unchanged.json()) == {"detail", "role"}
    assert snapshot() == before


def test_phase_change_overlapping_a_later_period_is_400_on_date_and_writes_nothing(world):
    # Imported history: a closed period and no running one, on a trajectory still open.
    world.period.end_date = D(2025, 3, 1)
    world.period.save()
    url = f"{API}/trajectories/{world.trajectory.pk}/phase-changes/"
    before = snapshot()

    response = _post(world.anna, url, {"date": "2025-02-01", "phase": "begeleiding", "role": "regie"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Deze periode overlapt met een andere periode van hetzelfde traject.",
        "date": ["Overlapt met een bestaande periode."],
    }
    assert snapshot() == before


def test_phase_change_on_a_closed_trajectory_is_400(world):
    world.trajectory.end_date = D(2025, 5, 1)
    world.trajectory.save()
    before = snapshot()

    response = _post(
        world.anna,
        f"{API}/trajectories/{world.trajectory.pk}/phase-changes/",
        {"date": "2025-06-01", "phase": "nazorg", "role": "monitoring"},
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Dit traject is afgesloten."}
    assert snapshot() == before


def test_pause_and_resume(world):
    base = f"{API}/trajectories/{world.trajectory.pk}"

    paused = _post(world.anna, f"{base}/pause/", {"date": "2025-03-01"})
    assert paused.status_code == 201
    assert {key: paused.json()[key] for key in ("phase", "role", "start_date", "end_date")} == {
        "phase": "time-out",
        "role": "",
        "start_date": "2025-03-01",
        "end_date": None,
    }
    resumed = _post(world.anna, f"{base}/resume/", {"date": "2025-04-01", "phase": "begeleiding", "role": "coaching"})
    assert resumed.status_code == 201
    assert list(
        world.trajectory.periods.order_by("start_date").values_list("phase", "role", "start_date", "end_date")
    ) == [
        ("begeleiding", "coaching", D(2025, 1, 1), D(2025, 3, 1)),
        ("time-out", "", D(2025, 3, 1), D(2025, 4, 1)),
        ("begeleiding", "coaching", D(2025, 4, 1), None),
    ]


def test_pause_and_resume_bad_input_writes_nothing(world):
    base = f"{API}/trajectories/{world.trajectory.pk}"
    before = snapshot()

    not_paused = _post(
        world.anna, f"{base}/resume/", {"date": "2025-04-01", "phase": "begeleiding", "role": "coaching"}
    )
    assert not_paused.status_code == 400
    assert not_paused.json() == {"detail": "Dit traject staat niet op time-out."}
    too_early = _post(world.anna, f"{base}/pause/", {"date": "2024-12-31"})
    assert too_early.status_code == 400
    assert set(too_early.json()) == {"detail", "date"}
    assert set(_post(world.anna, f"{base}/pause/", {"date": "1 maart"}).json()) == {"detail", "date"}
    assert snapshot() == before


def test_close_ends_the_running_period_and_the_trajectory(world):
    response = _post(world.anna, f"{API}/trajectories/{world.trajectory.pk}/close/", {"date": "2025-06-01"})

    assert response.status_code == 200
    assert response.json() == {
        **trajectory_json(world),
        "end_date": "2025-06-01",
        "current_period": None,
    }
    world.period.refresh_from_db()
    assert world.period.end_date == D(2025, 6, 1)


def test_close_before_the_start_or_twice_is_400_and_writes_nothing(world):
    url = f"{API}/trajectories/{world.trajectory.pk}/close/"
    before = snapshot()

    before_start = _post(world.anna, url, {"date": "2024-12-31"})
    assert before_start.status_code == 400
    assert before_start.json() == {
        "detail": "De einddatum ligt voor de startdatum.",
        "date": ["Kies een latere datum."],
    }
    on_period_start = _post(world.anna, url, {"date": "2025-01-01"})
    assert set(on_period_start.json()) == {"detail", "date"}
    assert snapshot() == before

    assert _post(world.anna, url, {"date": "2025-06-01"}).status_code == 200
    after_close = snapshot()
    twice = _post(world.anna, url, {"date": "2025-07-01"})
    assert twice.json() == {"detail": "Dit traject is al afgesloten."}
    assert snapshot() == after_close


# ---------------------------------------------------------------------------------------------
# Trajectories: handover


def test_handover_refused_outside_the_scope_and_changes_nothing(world):
    url = f"{API}/trajectories/{world.trajectory.pk}/handover/"
    body = {"to_worker": world.bram_worker.pk, "date": "2025-06-01", "note": "Overdracht"}
    before = snapshot()

    assert _post(None, url, body).status_code == 403
    assert _post(world.outsider, url, body).status_code == 404
    assert _post(world.bram, url, body).status_code == 404
    assert _post(world.analyst, url, body).status_code == 403
    assert snapshot() == before


def test_handover_moves_later_periods_to_the_new_worker_who_then_sees_the_youth(world):
    response = _post(
        world.anna,
        f"{API}/trajectories/{world.trajectory.pk}/handover/",
        {
            "to_worker": world.bram_worker.pk,
            "date": "2025-06-01",
            "note": "Samen besproken met Noa.",
            "met_together_on": "2025-05-28",
        },
    )

    assert response.status_code == 201, response.content
    handover = Handover.objects.get()
    assert response.json() == {
        "id": handover.pk,
        "trajectory": world.trajectory.pk,
        "from_worker": world.anna_worker.pk,
        "to_worker": world.bram_worker.pk,
        "to_organisation": "",
        "date": "2025-06-01",
        "met_together_on": "2025-05-28",
        "note": "Samen besproken met Noa.",
    }
    assert list(world.trajectory.periods.order_by("start_date").values_list("worker", "start_date", "end_date")) == [
        (world.anna_worker.pk, D(2025, 1, 1), D(2025, 6, 1)),
        (world.bram_worker.pk, D(2025, 6, 1), None),
    ]
    world.trajectory.refresh_from_db()
    assert world.trajectory.worker == world.bram_worker
    assert api(world.bram).get(f"{API}/youths/{world.youth.pk}/").status_code == 200
    assert [row["external_id"] for row in results(api(world.bram).get(f"{API}/youths/"))] == ["J-A1", "J-B1"]


def test_after_a_handover_the_old_worker_no_longer_sees_the_youth(world):
    assert (
        _post(
            world.anna,
            f"{API}/trajectories/{world.trajectory.pk}/handover/",
            {"to_worker": world.bram_worker.pk, "date": "2025-06-01", "note": "Samen besproken met Noa."},
        ).status_code
        == 201
    )

    assert api(world.anna).get(f"{API}/youths/{world.youth.pk}/").status_code == 404
    assert results(api(world.anna).get(f"{API}/youths/")) == []


def test_handover_bad_input_is_400_per_field_and_writes_nothing(world):
    url = f"{API}/trajectories/{world.trajectory.pk}/handover/"
    before = snapshot()

    outside = _post(world.anna, url, {"to_worker": world.outsider_worker.pk, "date": "2025-06-01", "note": "x"})
    assert outside.status_code == 400
    assert set(outside.json()) == {"detail", "to_worker"}
    unknown = _post(world.anna, url, {"to_worker": 999999, "date": "2025-06-01", "note": "x"})
    assert set(unknown.json()) == {"detail", "to_worker"}
    same = _post(world.anna, url, {"to_worker": world.anna_worker.pk, "date": "2025-06-01", "note": "x"})
    assert same.json() == {"detail": "Deze collega is al de begeleider.", "to_worker": ["Kies een andere collega."]}
    no_note = _post(world.anna, url, {"to_worker": world.bram_worker.pk, "date": "2025-06-01", "note": "  "})
    assert set(no_note.json()) == {"detail", "note"}
    met_later = _post(
        world.anna,
        url,
        {"to_worker": world.bram_worker.pk, "date": "2025-06-01", "note": "x", "met_together_on": "2025-06-02"},
    )
    assert met_later.json() == {
        "detail": "Het gezamenlijke gesprek ligt na de overdracht.",
        "met_together_on": ["Uiterlijk op de overdrachtsdatum."],
    }
    assert snapshot() == before


def test_handover_dated_before_the_running_period_is_400_on_date_and_writes_nothing(world):
    before = snapshot()

    response = _post(
        world.anna,
        f"{API}/trajectories/{world.trajectory.pk}/handover/",
        {"to_worker": world.bram_worker.pk, "date": "2024-12-01", "note": "Overdracht"},
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "date"}
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Periods


def test_period_list_and_detail_scopes(world):
    assert api().get(f"{API}/periods/").status_code == 403
    assert api().get(f"{API}/periods/{world.period.pk}/").status_code == 403
    assert ids(api(world.outsider).get(f"{API}/periods/")) == [world.period_x.pk]
    assert ids(api(world.bram).get(f"{API}/periods/")) == [world.period_b.pk]
    assert ids(api(world.analyst).get(f"{API}/periods/")) == []
    assert api(world.outsider).get(f"{API}/periods/{world.period.pk}/").status_code == 404
    assert api(world.bram).get(f"{API}/periods/{world.period.pk}/").status_code == 404
    assert api(world.anna).get(f"{API}/periods/{world.period.pk}/").json() == period_json(world)
    assert api(world.anna).get(f"{API}/periods/").json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [period_json(world)],
    }


def test_period_list_filters(world):
    world.period.end_date = D(2025, 3, 1)
    world.period.save()
    later = PeriodFactory(
        trajectory=world.trajectory,
        phase="nazorg",
        role="monitoring",
        start_date=D(2025, 3, 1),
        worker=world.carla_worker,
    )
    client = api(world.lead)

    assert ids(client.get(f"{API}/periods/?trajectory={world.trajectory.pk}")) == [world.period.pk, later.pk]
    assert ids(client.get(f"{API}/periods/?role=monitoring")) == [later.pk]
    assert ids(client.get(f"{API}/periods/?phase=begeleiding")) == [world.period.pk]
    assert ids(client.get(f"{API}/periods/?worker={world.anna_worker.pk}")) == [world.period.pk]
    assert ids(client.get(f"{API}/periods/?worker={world.carla_worker.pk}")) == [later.pk]
    assert ids(client.get(f"{API}/periods/?ordering=-start_date")) == [later.pk, world.period.pk]
    assert client.get(f"{API}/periods/?role=baas").status_code == 400


def test_period_list_makes_the_same_number_of_queries_for_5_and_50(world):
    def add(count: int) -> None:
        for _ in range(count):
            trajectory = TrajectoryFactory(
                approach=world.approach, worker=world.anna_worker, youth__organisation=world.org
            )
            PeriodFactory(trajectory=trajectory)

    add(4)
    five = query_count(api(world.anna), f"{API}/periods/")
    add(45)
    fifty = query_count(api(world.anna), f"{API}/periods/")

    assert five == fifty


# ---------------------------------------------------------------------------------------------
# Time entries


@pytest.fixture
def entries(world) -> dict[str, TimeEntry]:
    return {
        "anna": TimeEntryFactory(
            worker=world.anna_worker, trajectory=world.trajectory, date=D(2025, 2, 3), minutes=45, note="Gesprek"
        ),
        "anna_overhead": TimeEntryFactory(
            worker=world.anna_worker, trajectory=None, date=D(2025, 2, 4), minutes=60, category="overhead"
        ),
        "carla": TimeEntryFactory(worker=world.carla_worker, category="overhead", date=D(2025, 2, 5)),
        "bram": TimeEntryFactory(worker=world.bram_worker, trajectory=world.trajectory_b, date=D(2025, 2, 3)),
        "outsider": TimeEntryFactory(worker=world.outsider_worker, trajectory=world.trajectory_x),
    }


def test_time_entry_list_and_detail_scopes(world, entries):
    anna = entries["anna"]

    assert api().get(f"{API}/time-entries/").status_code == 403
    assert api().get(f"{API}/time-entries/{anna.pk}/").status_code == 403
    assert ids(api(world.outsider).get(f"{API}/time-entries/")) == [entries["outsider"].pk]
    assert ids(api(world.bram).get(f"{API}/time-entries/")) == [entries["bram"].pk]
    assert ids(api(world.carla).get(f"{API}/time-entries/")) == [entries["carla"].pk]
    assert ids(api(world.analyst).get(f"{API}/time-entries/")) == []
    assert ids(api(world.lead).get(f"{API}/time-entries/")) == [
        entries["carla"].pk,
        entries["anna_overhead"].pk,
        anna.pk,
    ]
    assert api(world.outsider).get(f"{API}/time-entries/{anna.pk}/").status_code == 404
    assert api(world.bram).get(f"{API}/time-entries/{anna.pk}/").status_code == 404
    assert api(world.carla).get(f"{API}/time-entries/{anna.pk}/").status_code == 404
    assert api(world.anna).get(f"{API}/time-entries/{anna.pk}/").json() == {
        "id": anna.pk,
        "worker": world.anna_worker.pk,
        "date": "2025-02-03",
        "minutes": 45,
        "category": "client_direct",
        "trajectory": world.trajectory.pk,
        "note": "Gesprek",
    }


def test_time_entry_list_filters(world, entries):
    client = api(world.lead)

    assert ids(client.get(f"{API}/time-entries/?worker={world.carla_worker.pk}")) == [entries["carla"].pk]
    assert ids(client.get(f"{API}/time-entries/?category=overhead")) == [
        entries["carla"].pk,
        entries["anna_overhead"].pk,
    ]
    assert ids(client.get(f"{API}/time-entries/?date_from=2025-02-04&date_to=2025-02-04")) == [
        entries["anna_overhead"].pk
    ]
    assert ids(client.get(f"{API}/time-entries/?trajectory={world.trajectory.pk}")) == [entries["anna"].pk]
    assert ids(client.get(f"{API}/time-entries/?ordering=minutes")) == [
        entries["carla"].pk,
        entries["anna"].pk,
        entries["anna_overhead"].pk,
    ]


def test_time_entry_list_makes_the_same_number_of_queries_for_5_and_50(world):
    TimeEntryFactory.create_batch(5, worker=world.anna_worker, trajectory=world.trajectory)
    five = query_count(api(world.anna), f"{API}/time-entries/")
    TimeEntryFactory.create_batch(45, worker=world.anna_worker, trajectory=world.trajectory)
    fifty = query_count(api(world.anna), f"{API}/time-entries/")

    assert five == fifty


TIME_BODY = {"date": "2025-03-03", "minutes": 30, "category": "client_direct", "note": "Huisbezoek"}


def test_time_entry_log_refused_outside_the_scope_and_writes_nothing(world):
    body = {**TIME_BODY, "trajectory": world.trajectory.pk}
    before = snapshot()

    assert _post(None, f"{API}/time-entries/", body).status_code == 403
    assert _post(world.analyst, f"{API}/time-entries/", body).status_code == 403
    outsider = _post(world.outsider, f"{API}/time-entries/", body)
    assert outsider.status_code == 400
    assert set(outsider.json()) == {"detail", "trajectory"}
    bram = _post(world.bram, f"{API}/time-entries/", body)
    assert bram.status_code == 400
    assert set(bram.json()) == {"detail", "trajectory"}
    # A team lead without a worker record has no hours of their own to log.
    assert _post(world.lead, f"{API}/time-entries/", body).status_code == 403
    assert snapshot() == before


def test_time_entry_log_writes_for_the_users_own_worker(world):
    response = _post(world.anna, f"{API}/time-entries/", {**TIME_BODY, "trajectory": world.trajectory.pk})

    assert response.status_code == 201
    entry = TimeEntry.objects.get()
    assert response.json() == {
        "id": entry.pk,
        "worker": world.anna_worker.pk,
        "date": "2025-03-03",
        "minutes": 30,
        "category": "client_direct",
        "trajectory": world.trajectory.pk,
        "note": "Huisbezoek",
    }
    audit = AuditLogEntry.objects.get()
    assert (audit.action, audit.youth_key, audit.detail) == ("update", "J-A1", "30 min client_direct on 2025-03-03")


def test_time_entry_log_for_someone_else_is_refused(world):
    lead_worker = WorkerFactory(user=world.lead, team=world.team_a, name="Lotte", external_id="W-LOTTE")
    before = snapshot()

    response = _post(
        world.lead, f"{API}/time-entries/", {**TIME_BODY, "category": "overhead", "worker": world.anna_worker.pk}
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "worker"}
    assert snapshot() == before
    own = _post(world.lead, f"{API}/time-entries/", {**TIME_BODY, "category": "overhead", "worker": lead_worker.pk})
    assert own.status_code == 201
    assert TimeEntry.objects.get().worker == lead_worker


@pytest.mark.parametrize("minutes", [0, -15, 1441])
def test_time_entry_log_minutes_out_of_range_is_400_on_minutes(world, minutes):
    before = snapshot()

    response = _post(
        world.anna, f"{API}/time-entries/", {**TIME_BODY, "minutes": minutes, "trajectory": world.trajectory.pk}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Het aantal minuten moet tussen 1 en 1440 liggen.",
        "minutes": ["Tussen 1 en 1440."],
    }
    assert snapshot() == before


def test_time_entry_log_category_and_trajectory_must_match(world):
    before = snapshot()

    client_time = _post(world.anna, f"{API}/time-entries/", TIME_BODY)
    assert client_time.json() == {
        "detail": "Cliënttijd hoort bij een traject.",
        "trajectory": ["Kies de jongere / het traject."],
    }
    overhead = _post(
        world.anna, f"{API}/time-entries/", {**TIME_BODY, "category": "overhead", "trajectory": world.trajectory.pk}
    )
    assert set(overhead.json()) == {"detail", "trajectory"}
    bad = _post(world.anna, f"{API}/time-entries/", {"date": "", "minutes": "veel", "category": "pauze"})
    assert set(bad.json()) == {"detail", "date", "minutes", "category"}
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Outcomes and follow-ups


def test_outcome_list_and_detail_scopes_and_shape(world):
    outcome = OutcomeFactory(trajectory=world.trajectory, date=D(2025, 6, 1), outcome="work", note="Bij de bakker")
    follow_up = FollowUpFactory(outcome=outcome, months_after=1, due_date=D(2025, 7, 1))
    other = OutcomeFactory(trajectory=world.trajectory_b)
    foreign = OutcomeFactory(trajectory=world.trajectory_x)
    expected = {
        "id": outcome.pk,
        "trajectory": world.trajectory.pk,
        "date": "2025-06-01",
        "outcome": "work",
        "note": "Bij de bakker",
        "follow_ups": [
            {"id": follow_up.pk, "months_after": 1, "due_date": "2025-07-01", "answer": "", "answered_on": None}
        ],
    }

    assert api().get(f"{API}/outcomes/").status_code == 403
    assert api().get(f"{API}/outcomes/{outcome.pk}/").status_code == 403
    assert ids(api(world.outsider).get(f"{API}/outcomes/")) == [foreign.pk]
    assert ids(api(world.bram).get(f"{API}/outcomes/")) == [other.pk]
    assert ids(api(world.analyst).get(f"{API}/outcomes/")) == []
    assert api(world.outsider).get(f"{API}/outcomes/{outcome.pk}/").status_code == 404
    assert api(world.bram).get(f"{API}/outcomes/{outcome.pk}/").status_code == 404
    assert api(world.anna).get(f"{API}/outcomes/{outcome.pk}/").json() == expected
    assert results(api(world.anna).get(f"{API}/outcomes/")) == [expected]


def test_outcome_list_filters(world):
    work = OutcomeFactory(trajectory=world.trajectory, date=D(2025, 6, 1), outcome="work")
    school = OutcomeFactory(trajectory=world.trajectory, date=D(2025, 8, 1), outcome="school")
    client = api(world.anna)

    assert ids(client.get(f"{API}/outcomes/?outcome=school")) == [school.pk]
    assert ids(client.get(f"{API}/outcomes/?date_from=2025-06-02")) == [school.pk]
    assert ids(client.get(f"{API}/outcomes/?date_to=2025-06-01")) == [work.pk]
    assert ids(client.get(f"{API}/outcomes/?trajectory={world.trajectory.pk}&ordering=date")) == [work.pk, school.pk]
    assert ids(client.get(f"{API}/outcomes/?trajectory={world.trajectory_b.pk}")) == []


def test_outcome_list_makes_the_same_number_of_queries_for_5_and_50(world):
    def add(count: int) -> None:
        for number in range(count):
            outcome = OutcomeFactory(trajectory=world.trajectory, date=D(2025, 1, 2) + datetime.timedelta(days=number))
            FollowUpFactory(outcome=outcome)

    add(5)
    five = query_count(api(world.anna), f"{API}/outcomes/")
    OutcomeFactory.reset_sequence()
    Outcome.objects.all().delete()
    add(50)
    fifty = query_count(api(world.anna), f"{API}/outcomes/")

    assert five == fifty


def test_outcome_register_refused_outside_the_scope_and_writes_nothing(world):
    body = {"trajectory": world.trajectory.pk, "date": "2025-06-01", "outcome": "work"}
    before = snapshot()

    assert _post(None, f"{API}/outcomes/", body).status_code == 403
    assert _post(world.analyst, f"{API}/outcomes/", body).status_code == 403
    for user in (world.outsider, world.bram, world.carla):
        response = _post(user, f"{API}/outcomes/", body)
        assert response.status_code == 400
        assert set(response.json()) == {"detail", "trajectory"}
    assert snapshot() == before


def test_outcome_register_plans_follow_ups_after_work(world):
    response = _post(
        world.anna,
        f"{API}/outcomes/",
        {"trajectory": world.trajectory.pk, "date": "2025-06-01", "outcome": "work", "note": "Bij de bakker"},
    )

    assert response.status_code == 201
    outcome = Outcome.objects.get()
    follow_ups = list(outcome.follow_ups.order_by("months_after"))
    assert response.json() == {
        "id": outcome.pk,
        "trajectory": world.trajectory.pk,
        "date": "2025-06-01",
        "outcome": "work",
        "note": "Bij de bakker",
        "follow_ups": [
            {"id": follow_ups[0].pk, "months_after": 1, "due_date": "2025-07-01", "answer": "", "answered_on": None},
            {"id": follow_ups[1].pk, "months_after": 6, "due_date": "2025-12-01", "answer": "", "answered_on": None},
            {"id": follow_ups[2].pk, "months_after": 12, "due_date": "2026-06-01", "answer": "", "answered_on": None},
        ],
    }


def test_outcome_register_bad_input_is_400_and_writes_nothing(world):
    OutcomeFactory(trajectory=world.trajectory, date=D(2025, 6, 1), outcome="work")
    before = snapshot()

    early = _post(
        world.anna, f"{API}/outcomes/", {"trajectory": world.trajectory.pk, "date": "2024-12-31", "outcome": "work"}
    )
    assert early.status_code == 400
    assert early.json() == {"detail": "Het resultaat ligt voor de start van het traject.", "date": ["Te vroeg."]}
    unknown = _post(world.anna, f"{API}/outcomes/", {"trajectory": 999999, "date": "2025-06-01", "outcome": "geluk"})
    assert set(unknown.json()) == {"detail", "trajectory", "outcome"}
    duplicate = _post(
        world.anna, f"{API}/outcomes/", {"trajectory": world.trajectory.pk, "date": "2025-06-01", "outcome": "work"}
    )
    assert duplicate.status_code == 400
    assert set(duplicate.json()) == {"detail", "__all__"}
    assert snapshot() == before


def test_follow_up_answer(world):
    follow_up = FollowUpFactory(outcome=OutcomeFactory(trajectory=world.trajectory), months_after=6)
    url = f"{API}/follow-ups/{follow_up.pk}/answer/"
    body = {"answer": "still_there", "answered_on": "2025-12-02"}
    before = snapshot()

    assert _post(None, url, body).status_code == 403
    assert _post(world.analyst, url, body).status_code == 403
    assert _post(world.outsider, url, body).status_code == 404
    assert _post(world.bram, url, body).status_code == 404
    bad = _post(world.anna, url, {"answer": "misschien", "answered_on": "morgen"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"detail", "answer", "answered_on"}
    assert snapshot() == before

    response = _post(world.anna, url, body)
    assert response.status_code == 200
    assert response.json() == {
        "id": follow_up.pk,
        "outcome": follow_up.outcome_id,
        "months_after": 6,
        "due_date": "2025-07-01",
        "answer": "still_there",
        "answered_on": "2025-12-02",
    }
    follow_up.refresh_from_db()
    assert (follow_up.answer, follow_up.answered_on) == ("still_there", D(2025, 12, 2))


# ---------------------------------------------------------------------------------------------
# Approaches


def test_approach_list_and_detail(world):
    expected = {
        "id": world.approach.pk,
        "name": "Jongerenadviseurs + werktraject",
        "type": "intensieve_begeleiding",
        "reference_number": None,
        "expected_duration_days": 182,
        "norm_coaching_hours": None,
        "norm_uitvoering_hours": None,
        "norm_regie_hours": None,
        "norm_monitoring_hours": None,
        "working_elements": [],
    }

    assert api().get(f"{API}/approaches/").status_code == 403
    assert api().get(f"{API}/approaches/{world.approach.pk}/").status_code == 403
    assert ids(api(world.outsider).get(f"{API}/approaches/")) == [world.other_approach.pk]
    assert api(world.outsider).get(f"{API}/approaches/{world.approach.pk}/").status_code == 404
    # Approaches are the organisation's configuration: every role and team of it reads them.
    for user in (world.anna, world.bram, world.lead, world.analyst, world.admin):
        assert results(api(user).get(f"{API}/approaches/")) == [expected]
    assert api(world.bram).get(f"{API}/approaches/{world.approach.pk}/").json() == expected


def test_approach_list_filters_and_bounded_queries(world):
    ApproachFactory(organisation=world.org, name="Leerwerk", type="leer_werk_traject", reference_number=3)
    client = api(world.analyst)

    assert [row["name"] for row in results(client.get(f"{API}/approaches/?type=leer_werk_traject"))] == ["Leerwerk"]
    assert [row["name"] for row in results(client.get(f"{API}/approaches/?reference_number=3"))] == ["Leerwerk"]
    ApproachFactory.create_batch(3, organisation=world.org)
    five = query_count(api(world.analyst), f"{API}/approaches/")
    ApproachFactory.create_batch(45, organisation=world.org)
    fifty = query_count(api(world.analyst), f"{API}/approaches/")
    assert five == fifty


def test_approach_is_read_only(world):
    response = _post(world.anna, f"{API}/approaches/", {"name": "Nieuw"})

    assert response.status_code == 405


# ---------------------------------------------------------------------------------------------
# Schema


def test_schema_answers_for_an_authenticated_user(world):
    response = api(world.anna).get(f"{API}/schema/")

    assert response.status_code == 200
    assert b"/api/v1/trajectories/{id}/phase-changes/" in response.content


# ---------------------------------------------------------------------------------------------
# Issue 12: every API read of case data leaves one audit row per request naming the youths shown,
# with a bounded number of queries; reads and writes ask core.access.


def _case_world_with_history(w: World) -> None:
    outcome = OutcomeFactory(trajectory=w.trajectory, date=D(2025, 6, 1), outcome="school")
    FollowUpFactory(outcome=outcome, months_after=1, due_date=D(2025, 7, 1))
    TimeEntryFactory(worker=w.anna_worker, trajectory=w.trajectory, date=D(2025, 3, 3))
    TimeEntryFactory(worker=w.anna_worker, trajectory=None, category="overhead", date=D(2025, 3, 4))


READ_RESOURCES = [
    ("trajectories", "trajectory", Trajectory),
    ("periods", "period", Period),
    ("outcomes", "outcome", Outcome),
    ("time-entries", "time_entry", TimeEntry),
]


@pytest.mark.parametrize(("resource", "object_type", "model"), READ_RESOURCES)
def test_api_list_read_is_one_audit_row_naming_the_youths_shown(world, resource, object_type, model):
    _case_world_with_history(world)
    second = YouthFactory(organisation=world.org, external_id="J-A2")
    trajectory = TrajectoryFactory(youth=second, approach=world.approach, worker=world.anna_worker)
    PeriodFactory(trajectory=trajectory)
    OutcomeFactory(trajectory=trajectory)
    TimeEntryFactory(worker=world.anna_worker, trajectory=trajectory)

    response = api(world.anna).get(f"{API}/{resource}/")

    assert response.status_code == 200
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.organisation, entry.action, entry.object_type, entry.detail) == (
        world.anna,
        world.org,
        "view",
        object_type,
        f"api {resource} list",
    )
    assert entry.youth_key_list == ["J-A1", "J-A2"]


@pytest.mark.parametrize(("resource", "object_type", "model"), READ_RESOURCES)
def test_api_detail_read_is_one_audit_row_naming_the_youth(world, resource, object_type, model):
    _case_world_with_history(world)
    obj = model.objects.filter(**{"youth" if model is Trajectory else "trajectory__youth": world.youth}).first()

    response = api(world.anna).get(f"{API}/{resource}/{obj.pk}/")

    assert response.status_code == 200
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.object_type, entry.youth_key, entry.detail) == (
        "view",
        object_type,
        "J-A1",
        f"api {resource} detail",
    )


def test_api_read_of_overhead_hours_only_names_no_youth_and_logs_nothing(world):
    TimeEntryFactory(worker=world.anna_worker, trajectory=None, category="overhead", date=D(2025, 3, 4))

    assert len(results(api(world.anna).get(f"{API}/time-entries/?category=overhead"))) == 1
    assert AuditLogEntry.objects.count() == 0


@pytest.mark.parametrize(("resource", "object_type", "model"), READ_RESOURCES)
def test_api_audited_list_makes_a_bounded_number_of_queries(
    world, resource, object_type, model, django_assert_max_num_queries
):
    OutcomeFactory(trajectory=world.trajectory)
    TimeEntryFactory(worker=world.anna_worker, trajectory=world.trajectory)
    for _ in range(30):
        youth = YouthFactory(organisation=world.org)
        trajectory = TrajectoryFactory(youth=youth, approach=world.approach, worker=world.anna_worker)
        PeriodFactory(trajectory=trajectory)
        FollowUpFactory(outcome=OutcomeFactory(trajectory=trajectory))
        TimeEntryFactory(worker=world.anna_worker, trajectory=trajectory)
    client = api(world.anna)

    # Session/user, count, page, prefetches, the page's youth keys and the audit insert.
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}/{resource}/?page_size=100")

    assert len(response.json()["results"]) == 31
    assert len(AuditLogEntry.objects.get().youth_key_list) == 31


@pytest.fixture
def privacy_officer(world) -> User:
    return UserFactory(username="pieter", role=User.Role.PRIVACY_OFFICER, organisation=world.org)


@pytest.mark.parametrize("resource", ["youths", "trajectories", "periods", "outcomes", "time-entries"])
def test_privacy_officer_reads_no_case_contents_through_the_api(world, privacy_officer, resource):
    _case_world_with_history(world)
    detail_ids = {
        "youths": world.youth.pk,
        "trajectories": world.trajectory.pk,
        "periods": world.period.pk,
        "outcomes": Outcome.objects.get().pk,
        "time-entries": TimeEntry.objects.filter(trajectory=world.trajectory).get().pk,
    }
    client = api(privacy_officer)

    assert results(client.get(f"{API}/{resource}/")) == []
    assert client.get(f"{API}/{resource}/{detail_ids[resource]}/").status_code == 404
    assert AuditLogEntry.objects.count() == 0


def test_privacy_officer_writes_nothing_through_the_api(world, privacy_officer):
    _case_world_with_history(world)
    client = api(privacy_officer)
    before = snapshot()
    follow_up = FollowUp.objects.get()

    answers = [
        client.post(f"{API}/youths/", NEW_YOUTH, format="json"),
        client.post(f"{API}/trajectories/{world.trajectory.pk}/close/", {"date": "2025-06-01"}, format="json"),
        client.post(
            f"{API}/outcomes/",
            {"trajectory": world.trajectory.pk, "date": "2025-06-01", "outcome": "work"},
            format="json",
        ),
        client.post(
            f"{API}/time-entries/",
            {"date": "2025-03-03", "minutes": 30, "category": "overhead"},
            format="json",
        ),
        client.post(
            f"{API}/follow-ups/{follow_up.pk}/answer/", {"answer": "yes", "answered_on": "2025-07-01"}, format="json"
        ),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403, 403, 403]
    assert answers[0].json() == {"detail": "Alleen begeleiders en teamleiders kunnen jongeren registreren."}
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Issue 12, "the schema tells the truth": impossible ids and pages never give a server error (on
# SQLite a number beyond 64 bits raised OverflowError); every error body has a `detail` text.

HUGE = "999999999999999999999"


@pytest.mark.parametrize(
    "query",
    [
        f"youths/?target_group={HUGE}",
        f"youths/?municipality={HUGE}",
        f"trajectories/?youth={HUGE}",
        f"periods/?worker={HUGE}",
        f"time-entries/?trajectory={HUGE}",
        f"outcomes/?trajectory={HUGE}",
        f"approaches/?reference_number={HUGE}",
    ],
)
def test_huge_id_in_a_filter_is_400_on_that_filter(world, query):
    response = api(world.lead).get(f"{API}/{query}")

    assert response.status_code == 400
    name = query.split("?")[1].split("=")[0]
    assert set(response.json()) == {"detail", name}


@pytest.mark.parametrize("path", ["youths", "trajectories", "periods", "time-entries", "outcomes", "approaches"])
def test_huge_or_negative_id_in_the_path_is_a_json_404(world, path):
    for value in (HUGE, "-1"):
        response = api(world.lead).get(f"{API}/{path}/{value}/")

        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}


def test_huge_page_number_is_404_and_huge_page_size_is_capped(world):
    TimeEntryFactory(worker=world.anna_worker, trajectory=world.trajectory, date=D(2025, 3, 3))
    client = api(world.lead)

    assert client.get(f"{API}/time-entries/?page={HUGE}").status_code == 404
    assert client.get(f"{API}/time-entries/?page=-{HUGE}").status_code == 404
    assert len(results(client.get(f"{API}/time-entries/?page_size={HUGE}"))) == 1


def test_huge_id_in_a_body_is_400_does_not_exist_and_writes_nothing(world):
    before = snapshot()

    response = api(world.anna).post(
        f"{API}/outcomes/", {"trajectory": int(HUGE), "date": "2025-06-01", "outcome": "work"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "trajectory"}
    assert snapshot() == before


def test_validation_error_body_has_a_detail_beside_the_field_errors(world):
    response = api(world.anna).post(f"{API}/time-entries/", {"minutes": "veel"}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == "Ongeldige invoer; zie de meldingen per veld."
    assert set(response.json()) == {"detail", "date", "minutes", "category"}


def test_youth_email_may_be_empty_as_the_schema_documents(world):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert "format" not in schema["components"]["schemas"]["Youth"]["properties"]["email"]
    assert results(api(world.anna).get(f"{API}/youths/"))[0]["email"] == ""
