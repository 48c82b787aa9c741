"""Stepping down on time (issue 17, item 4): coaching or uitvoering that looks like monitoring in
the direct time of the last 8 weeks, with the hours a step down frees. Values by hand."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from caseload.advice import (
    Move,
    RunningRole,
    WorkerLoad,
    YouthLoad,
    freed_by_worker,
    hours_outside_band,
    rebalance,
    step_down_candidates,
)
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


# --- Rebalancing advice ---------------------------------------------------------------------------


def test_hours_outside_the_band():
    assert hours_outside_band(130, 100, 0.8, 1.1) == pytest.approx(20)  # 20 above 110
    assert hours_outside_band(60, 100, 0.8, 1.1) == pytest.approx(20)  # 20 below 80
    assert hours_outside_band(95, 100, 0.8, 1.1) == 0
    assert hours_outside_band(12, 0, 0.8, 1.1) == 12  # no capacity: every hour is outside


def test_rebalancing_prefers_monitoring_and_regie_and_leaves_a_fixed_worker_alone():
    # A 130/100 (20 above), B 60/100 (20 below), C 95/100. Monitoring first: y3 (8 h) to B lowers
    # the 40 hours outside to 24 (to C only to 32); then regie: y2 (12 h) to B: 0 outside. Coaching
    # (y1, 40 h) and the fixed y4 stay.
    workers = [WorkerLoad("A", 100, 130), WorkerLoad("B", 100, 60), WorkerLoad("C", 100, 95)]
    youths = [
        YouthLoad("y1", "A", "coaching", 40),
        YouthLoad("y2", "A", "regie", 12),
        YouthLoad("y3", "A", "monitoring", 8),
        YouthLoad("y4", "A", "regie", 12, fixed=True),
    ]
    assert rebalance(workers, youths, low=0.8, high=1.1) == [
        Move("y3", "A", "B", "monitoring", 8),
        Move("y2", "A", "B", "regie", 12),
    ]


def test_a_fixed_worker_moves_only_when_nothing_else_helps_and_nothing_moves_inside_the_band():
    workers = [WorkerLoad("A", 100, 120), WorkerLoad("B", 100, 60)]
    only_fixed = [YouthLoad("y4", "A", "regie", 12, fixed=True)]
    # 10 above and 20 below = 30; after the move 0 above and 8 below: it helps, so it is advised.
    assert rebalance(workers, only_fixed, low=0.8, high=1.1) == [Move("y4", "A", "B", "regie", 12)]
    inside = [WorkerLoad("A", 100, 100), WorkerLoad("B", 100, 90)]
    assert rebalance(inside, [YouthLoad("y1", "A", "monitoring", 8)], low=0.8, high=1.1) == []


@pytest.mark.django_db
def test_the_team_lead_gets_the_advice_and_accepts_a_move_with_one_click(client):
    from cases.models import Handover
    from tests.factories import FtePeriodFactory

    # Anna: 0.1 fte = 120 h/yr, 4 coaching youths (160 h/yr): 133%. Bram: 1.0 fte = 1200 h, none: 0%.
    organisation = OrganisationFactory(name="Herverdeelstad")
    team = TeamFactory(organisation=organisation, name="Noord")
    lead = UserFactory(username="lead", role=User.Role.TEAM_LEAD, organisation=organisation)
    team.leads.add(lead)
    anna, bram = WorkerFactory(team=team, name="Anna Bakker"), WorkerFactory(team=team, name="Bram Smit")
    FtePeriodFactory(worker=anna, start_date=D(2025, 1, 1), fte="0.1")
    FtePeriodFactory(worker=bram, start_date=D(2025, 1, 1), fte="1")
    approach = ApproachFactory(organisation=organisation)
    for number in range(4):
        trajectory = TrajectoryFactory(
            youth=YouthFactory(organisation=organisation, first_name=f"Jongere{number}", complexity="licht"),
            worker=anna,
            approach=approach,
            start_date=D(2025, 1, 1),
        )
        PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 1, 1))
    client.force_login(lead)
    html = client.get(reverse("caseload:team_rebalance"), {"team": team.pk, "datum": "2025-06-01"}).content.decode()
    # Anna 160 of 120 (28 above 132), Bram 0 of 1200 (960 below 960): 988 h outside. One youth
    # (40 h) to Bram: Anna 120 (inside), Bram 40 (920 below); a second: Anna 80 (16 below 96),
    # Bram 80 (880 below): 896. A third would leave 56 + 840 = 896: no gain, so two moves.
    assert html.count('class="rebalance-move"') == 2 and "Bram Smit" in html
    assert "van 988 naar 896" in html
    assert AuditLogEntry.objects.filter(detail="teamdashboard").count() == 1
    form = html[html.index("<form") : html.index("</form>")]
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    response = client.post(reverse("caseload:youth_move"), data)
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.from_worker, handover.to_worker) == (anna, bram) and "Herverdeling op advies" in handover.note
    client.force_login(UserFactory(role=User.Role.ANALYST, organisation=organisation))
    assert client.get(reverse("caseload:team_rebalance")).status_code == 403


@pytest.mark.django_db
def test_the_advice_api_for_a_team_lead_only():
    from rest_framework.test import APIClient

    from tests.factories import FtePeriodFactory

    organisation = OrganisationFactory(name="Adviesstad")
    team, other = TeamFactory(organisation=organisation, name="Noord"), TeamFactory(organisation=organisation)
    lead = UserFactory(username="lead", role=User.Role.TEAM_LEAD, organisation=organisation)
    team.leads.add(lead)
    anna = WorkerFactory(team=team, name="Anna", external_id="W-ANNA")
    bram = WorkerFactory(team=team, name="Bram", external_id="W-BRAM")
    FtePeriodFactory(worker=anna, start_date=D(2025, 1, 1), fte="0.1")
    FtePeriodFactory(worker=bram, start_date=D(2025, 1, 1), fte="1")
    approach = ApproachFactory(organisation=organisation)
    for number in range(4):
        trajectory = TrajectoryFactory(
            youth=YouthFactory(organisation=organisation, external_id=f"J-{number}", complexity="licht"),
            worker=anna,
            approach=approach,
            start_date=D(2025, 1, 1),
        )
        PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 1, 1))
    url = reverse("api-caseload-advice")
    query = {"team": team.pk, "date": "2025-06-01"}
    api = APIClient()
    assert api.get(url, query).status_code in (401, 403)
    for role in (User.Role.WORKER, User.Role.ANALYST):
        api.force_authenticate(UserFactory(role=role, organisation=organisation))
        assert api.get(url, query).status_code == 403
    api.force_authenticate(lead)
    assert api.get(url, {**query, "team": other.pk}).status_code == 404
    assert api.get(url, {**query, "date": "juni"}).status_code == 400
    document = api.get(url, query).json()
    # No direct time logged since January: all four may step down, 40 - 8 = 32 h/yr each; two moves
    # to Bram (see the dashboard test: 988 -> 896 hours outside the band).
    assert [(row["youth_key"], row["hours_freed_per_year"]) for row in document["step_down"]] == [
        (f"J-{n}", 32.0) for n in range(4)
    ]
    assert [(row["from_worker"], row["to_worker"], row["hours_per_year"]) for row in document["moves"]] == [
        ("W-ANNA", "W-BRAM", 40.0),
        ("W-ANNA", "W-BRAM", 40.0),
    ]
    assert (document["hours_outside_band_before"], document["hours_outside_band_after"]) == (988.0, 896.0)
    assert AuditLogEntry.objects.filter(detail="teamdashboard").count() == 1
