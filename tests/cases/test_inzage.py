"""Inzage (AVG art. 15, issue 12 finding 3): who may make it, what it holds, and that it is audited."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cases.models import CostItem, TimeEntry
from core.models import AuditLogEntry, User
from core.services import audit_log_read
from tests.factories import (
    OutcomeFactory,
    PeriodFactory,
    TimeEntryFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def wednesday_2_december_2026():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def privacy(world):
    return UserFactory(
        username="privacy",
        first_name="Pia",
        last_name="Privé",
        organisation=world.organisation,
        role=User.Role.PRIVACY_OFFICER,
    )


@pytest.fixture
def second_trajectory(world):
    """The same youth (Noa, J-1) also has a trajectory with team Zuid, with a note in its hours."""
    trajectory = TrajectoryFactory(
        youth=world.youth,
        worker=world.other_team_worker,
        approach=world.approach,
        start_date=D(2024, 3, 1),
        end_date=D(2024, 9, 1),
        external_id="T-ZUID",
    )
    PeriodFactory(trajectory=trajectory, phase="begeleiding", role="regie", start_date=D(2024, 3, 1))
    TimeEntryFactory(
        worker=world.other_team_worker, trajectory=trajectory, date=D(2024, 4, 2), minutes=60, note="Zuid: thuisbezoek"
    )
    CostItem.objects.create(
        approach=world.approach, trajectory=trajectory, date=D(2024, 5, 1), line="other", amount=Decimal("125.50")
    )
    return trajectory


def test_a_worker_cannot_make_an_inzage_export_of_their_own_youth(client, world, second_trajectory):
    # Before issue 12 a worker's export of their own youth held team Zuid's trajectory and its notes.
    client.force_login(world.user)

    download = client.get(reverse("cases:youth_export", args=[world.youth.pk]))
    cover = client.get(reverse("cases:youth_inzage", args=[world.youth.pk]))

    assert (download.status_code, cover.status_code) == (403, 403)
    assert "Zuid: thuisbezoek" not in download.content.decode()
    assert AuditLogEntry.objects.filter(action="export").count() == 0


def test_the_team_leads_export_holds_every_trajectory_of_the_organisation_and_the_audit_trail(
    client, world, second_trajectory
):
    client.force_login(world.user)
    client.get(reverse("cases:youth_dossier", args=[world.youth.pk]))  # Anna reads the dossier
    client.force_login(world.lead)

    response = client.get(reverse("cases:youth_export", args=[world.youth.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="inzage-J-1.json"'
    data = json.loads(response.content)
    assert [t["key"] for t in data["trajectories"]] == ["T-ZUID", "T-1"]  # both teams, oldest first
    zuid = data["trajectories"][0]
    assert zuid["time_entries"] == [
        {
            "date": "2024-04-02",
            "minutes": 60,
            "category": "client_direct",
            "note": "Zuid: thuisbezoek",
            "worker": "Chris Dekker",
        }
    ]
    assert zuid["cost_items"] == [{"date": "2024-05-01", "line": "other", "amount": "125.50", "description": ""}]
    assert (data["organisation"], data["made_on"], data["requested_on"]) == (
        "Gemeente Voorbeeld",
        "2026-12-02",
        "2026-12-02",
    )
    # Who read or changed it: Anna's dossier read, then this export itself.
    trail = [(line["who"], line["action"], line["what"], line["detail"]) for line in data["audit_trail"]]
    anna = world.user.get_full_name() or world.user.username
    lead = world.lead.get_full_name() or world.lead.username
    assert trail == [
        (anna, "view", "youth", "dossier"),
        (lead, "export", "youth", "inzage export"),
    ]
    assert AuditLogEntry.objects.filter(action="export", youth_key="J-1", user=world.lead).count() == 1


def test_a_list_row_in_the_trail_names_the_page_and_never_another_youths_key(client, world, privacy):
    audit_log_read(
        user=world.lead,
        youth_keys=["J-1", "J-2"],
        organisation_id=world.organisation.pk,
        object_type="youth",
        detail="Jongeren",
    )
    client.force_login(privacy)

    data = json.loads(client.get(reverse("cases:youth_export", args=[world.youth.pk])).content)

    assert [(line["action"], line["detail"]) for line in data["audit_trail"]] == [
        ("view", "Jongeren"),
        ("export", "inzage export"),
    ]
    assert "J-2" not in json.dumps(data["audit_trail"])


def test_a_team_lead_of_another_team_gets_not_found(client, world):
    other_lead = UserFactory(organisation=world.organisation, role=User.Role.TEAM_LEAD)
    world.other_team.leads.add(other_lead)
    client.force_login(other_lead)

    assert client.get(reverse("cases:youth_inzage", args=[world.youth.pk])).status_code == 404
    assert client.get(reverse("cases:youth_export", args=[world.youth.pk])).status_code == 404
    assert AuditLogEntry.objects.count() == 0


def test_the_cover_page_is_dutch_and_says_whose_data_what_and_who(client, world, privacy, second_trajectory):
    OutcomeFactory(trajectory=world.trajectory, date=D(2025, 3, 3), outcome="work", note="Bakkerij")
    client.force_login(privacy)

    response = client.get(reverse("cases:youth_inzage", args=[world.youth.pk]), {"verzoekdatum": "2026-11-28"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Inzage in persoonsgegevens" in html
    assert "Noa Jansen" in html
    assert "Gemeente Voorbeeld" in html
    assert "28 november 2026" in html  # the date of the request
    assert "2 december 2026" in html  # the date it was made
    assert "Pia Privé (privacyfunctionaris)" in html
    assert "2 trajecten, met de begeleider en de aanpak." in html
    assert "1 tijdregistratie (1 met notitie)." in html
    assert "1 kostenpost op een traject." in html
    assert reverse("cases:youth_export", args=[world.youth.pk]) + "?verzoekdatum=2026-11-28" in html
    assert "inzage: voorblad bekeken" in html  # the trail, in words
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.action, entry.youth_key, entry.detail) == (privacy, "view", "J-1", "inzage cover page")


def test_the_privacy_officer_finds_a_youth_by_key(client, world, privacy):
    client.force_login(privacy)

    response = client.post(reverse("cases:inzage_lookup"), {"key": " J-2 "})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:youth_inzage", args=[world.other_youth.pk])
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.action, entry.youth_key, entry.detail) == (privacy, "view", "J-2", "inzage lookup by key")


def test_a_key_of_another_organisation_is_not_found_and_not_logged(client, world, privacy):
    from tests.factories import YouthFactory

    YouthFactory(organisation=world.foreign_organisation, external_id="E-1")
    client.force_login(privacy)

    response = client.post(reverse("cases:inzage_lookup"), {"key": "E-1"})

    assert response.status_code == 404
    assert "Geen jongere gevonden." in response.content.decode()
    assert "E-1" in response.content.decode()
    assert AuditLogEntry.objects.count() == 0


@pytest.mark.parametrize("role", ["worker", "analyst"])
def test_the_lookup_page_is_refused_to_roles_without_inzage(client, world, role):
    client.force_login(world.user if role == "worker" else world.analyst)

    assert client.get(reverse("cases:inzage_lookup")).status_code == 403
    assert client.post(reverse("cases:inzage_lookup"), {"key": "J-1"}).status_code == 403
    assert AuditLogEntry.objects.count() == 0


def test_the_privacy_officer_sees_no_case_contents(client, world, privacy):
    client.force_login(privacy)

    assert client.get(reverse("cases:youth_dossier", args=[world.youth.pk])).status_code == 403
    assert client.get(reverse("cases:youth_list")).status_code == 403
    assert client.get(reverse("cases:my_caseload")).status_code == 403
    assert client.get(reverse("cases:intake_queue")).status_code == 403
    assert TimeEntry.objects.count() == 0
