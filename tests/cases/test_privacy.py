import datetime
import json

import pytest
from django.urls import reverse

from cases.models import WorkingElement
from cases.services import youths_anonymise_expired
from core.models import AuditLogEntry, User
from tests.factories import FollowUpFactory, OutcomeFactory, TimeEntryFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_youth_closed_longer_than_the_retention_term_is_anonymised(world):
    world.organisation.retention_months = 24
    world.organisation.save()
    world.trajectory.end_date = D(2025, 6, 30)
    world.trajectory.save()
    OutcomeFactory(trajectory=world.trajectory, date=D(2025, 6, 1), outcome="work", note="Werkt bij de bakker")

    assert youths_anonymise_expired(today=D(2027, 6, 30)) == 0  # exactly 24 months: not yet
    assert youths_anonymise_expired(today=D(2027, 7, 1)) == 1

    world.youth.refresh_from_db()
    assert (world.youth.first_name, world.youth.last_name, world.youth.birth_date) == ("", "", D(2005, 7, 1))
    assert world.youth.anonymised_at is not None
    assert world.trajectory.outcomes.get().note == ""
    assert world.trajectory.outcomes.get().outcome == "work"  # aggregates keep their facts
    assert youths_anonymise_expired(today=D(2027, 7, 2)) == 0  # idempotent
    assert AuditLogEntry.objects.filter(action="anonymise", youth_key="J-1").count() == 1


def test_youth_with_a_running_trajectory_is_kept(world):
    # Both youths of the world have open trajectories: nothing is anonymised, however late.
    assert youths_anonymise_expired(today=D(2040, 1, 1)) == 0


def test_inzage_export_holds_the_youths_data_and_is_logged(client, world):
    outcome = OutcomeFactory(trajectory=world.trajectory, date=D(2025, 3, 3), outcome="work", note="Bakkerij")
    FollowUpFactory(outcome=outcome, months_after=1, due_date=D(2025, 4, 3), answer="still_there")
    TimeEntryFactory(
        worker=world.worker, trajectory=world.trajectory, date=D(2025, 2, 4), minutes=45, note="Gesprek thuis"
    )
    element = WorkingElement.objects.create(organisation=world.organisation, name="vaste begeleider")
    world.trajectory.working_elements.add(element)
    # Issue 12: the export is made by the team lead of a team that has the youth (a worker may not).
    client.force_login(world.lead)

    response = client.get(reverse("cases:youth_export", args=[world.youth.pk]))

    data = json.loads(response.content)
    assert data["youth"]["key"] == "J-1"
    assert data["youth"]["first_name"] == "Noa"
    assert [t["approach"] for t in data["trajectories"]] == ["Jongerenadviseurs + werktraject"]
    (trajectory,) = data["trajectories"]
    assert trajectory["outcomes"] == [
        {
            "outcome": "work",
            "date": "2025-03-03",
            "note": "Bakkerij",
            "follow_ups": [{"months_after": 1, "due_date": "2025-04-03", "answer": "still_there", "answered_on": None}],
        }
    ]
    assert [(e["date"], e["minutes"], e["note"]) for e in trajectory["time_entries"]] == [
        ("2025-02-04", 45, "Gesprek thuis")
    ]
    assert trajectory["working_elements"] == ["vaste begeleider"]
    assert "first_contact_on" in data["youth"]
    assert AuditLogEntry.objects.filter(action="export", youth_key="J-1").count() == 1
    other_lead = UserFactory(organisation=world.organisation, role=User.Role.TEAM_LEAD)
    world.other_team.leads.add(other_lead)
    client.force_login(other_lead)
    assert client.get(reverse("cases:youth_export", args=[world.youth.pk])).status_code == 404


def test_inzage_export_for_an_anonymous_visitor_goes_to_the_login_page_and_is_not_logged(client, world):
    response = client.get(reverse("cases:youth_export", args=[world.youth.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert AuditLogEntry.objects.filter(action="export").count() == 0


def test_inzage_export_for_another_organisation_is_not_found_and_not_logged(client, world):
    client.force_login(UserFactory(organisation=world.foreign_organisation, role=User.Role.PRIVACY_OFFICER))

    response = client.get(reverse("cases:youth_export", args=[world.youth.pk]))

    assert response.status_code == 404
    assert AuditLogEntry.objects.filter(action="export").count() == 0
