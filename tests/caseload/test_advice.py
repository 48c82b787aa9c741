"""Stepping down on time (issue 17, item 4): coaching or uitvoering that looks like monitoring in
the direct time of the last 8 weeks, with the hours a step down frees. Values by hand."""

import datetime as dt

import pytest
from django.urls import reverse

from caseload.advice import RunningRole, freed_by_worker, step_down_candidates
from caseload.calculations import CaseloadSettings
from core.models import AuditLogEntry, User
from tests.factories import (
    ApproachFactory,
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
DAY = D(2025, 6, 1)
SETTINGS = CaseloadSettings(complexity_factors={"licht": 1.0, "meervoudig": 1.0, "complex": 2.0})


SINCE = D(2025, 1, 1)


def running(trajectory, role="coaching", since=SINCE, complexity="licht", minutes=0, worker="w1"):
    return RunningRole(trajectory, worker, 1, role, since, complexity, minutes)


def test_the_rule_by_hand():
    # Monitoring asks 8 h/yr: over 56 days 8 * 56 / 365 = 1.227 h = 73.6 minutes (complex: 147.3).
    rows = [
        running("t1", minutes=73),  # 1.217 h <= 1.227: a candidate; frees 40 - 8 = 32 h/yr
        running("t2", minutes=74),  # 1.233 h: above
        running("t3", role="regie", minutes=0),  # regie is not stepped down
        running("t4", since=D(2025, 4, 7), minutes=0),  # 55 days in role: not a whole window yet
        running("t5", since=D(2025, 4, 6), minutes=0, complexity="complex"),  # 56 days; frees (40-8)*2 = 64
        running("t6", role="uitvoering", minutes=140, complexity="complex", worker="w2"),  # 2.33 h <= 2.45: 64
    ]
    found = step_down_candidates(rows, DAY, SETTINGS)
    assert [(item.trajectory_id, round(item.hours_freed_per_year, 1)) for item in found] == [
        ("t5", 64.0),
        ("t6", 64.0),
        ("t1", 32.0),
    ]
    assert round(found[2].monitoring_hours, 3) == 1.227 and round(found[2].direct_hours, 3) == 1.217
    assert freed_by_worker(found) == {"w1": 96.0, "w2": 64.0}


@pytest.mark.django_db
def test_the_team_dashboard_lists_them_and_audits_the_names(client):
    organisation = OrganisationFactory(name="Afschaalstad")
    team = TeamFactory(organisation=organisation, name="Noord")
    lead = UserFactory(username="lead", role=User.Role.TEAM_LEAD, organisation=organisation)
    team.leads.add(lead)
    worker = WorkerFactory(team=team, name="Anna Bakker")
    approach = ApproachFactory(organisation=organisation)
    quiet = TrajectoryFactory(
        youth=YouthFactory(organisation=organisation, first_name="Stil", last_name="Jansen", complexity="licht"),
        worker=worker,
        approach=approach,
        start_date=D(2025, 1, 1),
    )
    busy = TrajectoryFactory(
        youth=YouthFactory(organisation=organisation, first_name="Druk", last_name="Peters", complexity="licht"),
        worker=worker,
        approach=approach,
        start_date=D(2025, 1, 1),
    )
    for trajectory in (quiet, busy):
        PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 1, 1))
    TimeEntryFactory(worker=worker, trajectory=quiet, date=D(2025, 5, 20), minutes=60, category="client_direct")
    TimeEntryFactory(worker=worker, trajectory=busy, date=D(2025, 5, 20), minutes=300, category="client_direct")
    client.force_login(lead)
    html = client.get(reverse("caseload:team_dashboard"), {"datum": "2025-06-01"}).content.decode()
    assert "Afschalen op tijd" in html and "Stil Jansen" in html and "Druk Peters" not in html
    section = html[html.index('id="step-down"') :]
    assert "1,0" in section and "1,2" in section and "32,0" in section  # 60 min; 8*56/365; 40 - 8
    (entry,) = AuditLogEntry.objects.filter(detail="teamdashboard")
    assert entry.youth_key == quiet.youth.external_id
