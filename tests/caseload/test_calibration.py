"""Norms learned from the hours (issue 17, item 1): the least-squares fit recovers norms a dataset
was built with, its interval holds them, and the command prints the contract's JSON."""

import datetime as dt
import json
from io import StringIO

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from caseload.calculations import PERIOD_COLUMNS, CaseloadSettings
from caseload.calibration import calibrate, month_windows, norms_calibrate
from tests.factories import (
    ApproachFactory,
    OrganisationFactory,
    PeriodFactory,
    TeamFactory,
    TimeEntryFactory,
    TrajectoryFactory,
    WorkerFactory,
    YouthFactory,
)

D = dt.date
TRUE_NORMS = {"coaching": 40.0, "uitvoering": 40.0, "regie": 12.0, "monitoring": 8.0}


def test_month_windows_cut_the_calendar_months_to_the_period():
    assert month_windows(D(2025, 1, 15), D(2025, 3, 10)) == [
        (D(2025, 1, 15), D(2025, 2, 1)),
        (D(2025, 2, 1), D(2025, 3, 1)),
        (D(2025, 3, 1), D(2025, 3, 10)),
    ]


def test_the_fit_recovers_the_norms_a_dataset_was_built_with():
    # 60 worker-months with random youth-years per role; hours = the true norms plus noise of
    # sd 1 hour. The estimates lie within their intervals and within 2 h of the truth.
    rng = np.random.default_rng(7)
    design = rng.uniform(0.0, 1.0, size=(60, 4))
    truth = np.array(list(TRUE_NORMS.values()))
    hours = design @ truth + rng.normal(0, 1.0, size=60)
    norms = norms_calibrate(design, hours, TRUE_NORMS, resamples=300, seed=1)
    for role, value in TRUE_NORMS.items():
        norm = norms[role]
        assert norm.current == value
        assert norm.low <= value <= norm.high, (role, norm)
        assert abs(norm.estimate - value) < 2.0, (role, norm)
    # Exact data: the fit is exact and the interval collapses onto it.
    exact = norms_calibrate(design, design @ truth, TRUE_NORMS, resamples=50, seed=1)
    assert {role: round(n.estimate, 6) for role, n in exact.items()} == TRUE_NORMS
    assert all(abs(n.high - n.low) < 1e-6 for n in exact.values())


def test_a_role_without_youths_has_no_estimate_and_the_seed_makes_it_reproducible():
    design = np.array([[0.1, 0.0, 0.2, 0.0], [0.3, 0.0, 0.1, 0.0], [0.2, 0.0, 0.3, 0.0]])
    hours = design @ np.array([40.0, 0.0, 12.0, 0.0]) + np.array([0.3, -0.2, 0.1])
    first = norms_calibrate(design, hours, {}, resamples=100, seed=5)
    assert first["uitvoering"].estimate is None and first["monitoring"].low is None
    assert first == norms_calibrate(design, hours, {}, resamples=100, seed=5)


def test_youth_years_weigh_complexity_and_split_by_month():
    # One coaching youth of w1 for January (31 days), complex (factor 2): 62/365 youth-years; the
    # hours 40 * 62 / 365 = 6.79 h make the estimate 40 exactly.
    periods = pd.DataFrame(
        [(1, 1, "w1", 1, "begeleiding", "coaching", D(2025, 1, 1), D(2025, 2, 1), "complex")],
        columns=list(PERIOD_COLUMNS),
    )
    minutes = 40 * 62 / 365 * 60
    logged = pd.DataFrame(
        [("w1", D(2025, 1, 1), "client_direct", minutes)], columns=["worker_id", "date", "category", "minutes"]
    )
    settings = CaseloadSettings(complexity_factors={"licht": 1.0, "meervoudig": 1.0, "complex": 2.0})
    result = calibrate(
        periods=periods, logged=logged, date_from=D(2025, 1, 1), date_to=D(2025, 3, 1), settings=settings, current={}
    )
    assert result.worker_months == 1  # February has neither youths nor hours
    assert round(result.norms["coaching"].estimate, 6) == 40.0


@pytest.fixture
def kalibratie(db):
    # January 2025. W-1: one coaching youth all month (31/365 youth-years), 204 minutes of client
    # time: 3.4 h / (31/365) = 40.03 -> 40.0. W-2: two regie youths (62/365), 122 minutes direct +
    # indirect: 2.0333 h / (62/365) = 11.97 -> 12.0. Overhead does not count.
    organisation = OrganisationFactory(name="Kalibratie")
    team = TeamFactory(organisation=organisation, name="Noord")
    approach = ApproachFactory(organisation=organisation)
    w1, w2 = WorkerFactory(team=team, external_id="W-1"), WorkerFactory(team=team, external_id="W-2")
    for worker, role, count in ((w1, "coaching", 1), (w2, "regie", 2)):
        for _ in range(count):
            trajectory = TrajectoryFactory(
                youth=YouthFactory(organisation=organisation, complexity="licht"),
                worker=worker,
                approach=approach,
                start_date=D(2024, 12, 1),
            )
            PeriodFactory(trajectory=trajectory, phase="begeleiding", role=role, start_date=D(2024, 12, 1))
    TimeEntryFactory(worker=w1, date=D(2025, 1, 10), minutes=204, category="client_direct")
    TimeEntryFactory(worker=w1, date=D(2025, 1, 11), minutes=600, category="overhead")
    TimeEntryFactory(worker=w2, date=D(2025, 1, 12), minutes=100, category="client_direct")
    TimeEntryFactory(worker=w2, date=D(2025, 1, 13), minutes=22, category="client_indirect")
    return {"organisation": organisation, "team": team}


def test_the_command_prints_the_contract_json(kalibratie):
    out = StringIO()
    call_command("calibrate_norms", "--from", "2025-01-01", "--to", "2025-02-01", "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["from"] == "2025-01-01" and document["to"] == "2025-02-01" and document["worker_months"] == 2
    assert document["norms"]["coaching"]["current"] == 40.0 and document["norms"]["coaching"]["estimate"] == 40.0
    assert document["norms"]["regie"]["estimate"] == 12.0 and document["norms"]["regie"]["current"] == 12.0
    assert document["norms"]["uitvoering"] == {"current": 40.0, "estimate": None, "low": None, "high": None}
    assert set(document["norms"]) == {"coaching", "uitvoering", "regie", "monitoring"}
    table = StringIO()
    call_command("calibrate_norms", "--from", "2025-01-01", "--to", "2025-02-01", "--team", "Noord", stdout=table)
    assert "coaching" in table.getvalue() and "2 worker-months" in table.getvalue()


def test_the_api_and_the_page_give_the_same_figures_to_whom_may_see_them(client, kalibratie):
    from django.urls import reverse
    from rest_framework.test import APIClient

    from core.models import User
    from tests.factories import UserFactory

    organisation, team = kalibratie["organisation"], kalibratie["team"]
    lead = UserFactory(role=User.Role.TEAM_LEAD, organisation=organisation)
    team.leads.add(lead)
    url = reverse("api-caseload-norms")
    query = {"from": "2025-01-01", "to": "2025-02-01"}
    api = APIClient()
    assert api.get(url, query).status_code in (401, 403)
    api.force_authenticate(UserFactory(role=User.Role.WORKER, organisation=organisation))
    assert api.get(url, query).status_code == 403
    other_team = TeamFactory(organisation=organisation, name="Zuid")
    api.force_authenticate(lead)
    assert api.get(url, {**query, "team": other_team.pk}).status_code == 404
    assert api.get(url, {"from": "2025-02-01", "to": "2025-01-01"}).status_code == 400
    document = api.get(url, query).json()
    assert document["worker_months"] == 2 and document["norms"]["regie"]["estimate"] == 12.0
    api.force_authenticate(UserFactory(role=User.Role.ANALYST, organisation=OrganisationFactory(name="Elders")))
    elsewhere = api.get(url, query).json()
    assert elsewhere["worker_months"] == 0  # another organisation: none of these hours
    assert elsewhere["norms"]["coaching"]["current"] == 40.0  # but its own norms beside them
    client.force_login(lead)
    html = client.get(reverse("caseload:norms"), {"van": "2025-01-01", "tot": "2025-02-01"}).content.decode()
    assert "Schatting uit 2 begeleider-maanden" in html and "<strong>40,0</strong>" in html
    assert "geen jongeren in deze rol" in html


@pytest.mark.django_db
def test_a_team_is_calibrated_on_its_own_workers_only():
    # W-1 (Noord) coaches Y in January (204 min: 40 h/yr); on 1 February Y goes to W-3 (Zuid), who
    # logs 184 min in February. For Noord only W-1's January counts: 40.0 from 1 worker-month.
    organisation = OrganisationFactory(name="Overdrachtstad")
    noord, zuid = (
        TeamFactory(organisation=organisation, name="Noord"),
        TeamFactory(organisation=organisation, name="Zuid"),
    )
    w1, w3 = WorkerFactory(team=noord, external_id="W-1"), WorkerFactory(team=zuid, external_id="W-3")
    trajectory = TrajectoryFactory(
        youth=YouthFactory(organisation=organisation, complexity="licht"),
        worker=w1,
        approach=ApproachFactory(organisation=organisation),
        start_date=D(2024, 12, 1),
    )
    PeriodFactory(
        trajectory=trajectory,
        phase="begeleiding",
        role="coaching",
        start_date=D(2024, 12, 1),
        end_date=D(2025, 2, 1),
        worker=w1,
    )
    PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 2, 1), worker=w3)
    TimeEntryFactory(worker=w1, date=D(2025, 1, 10), minutes=204, category="client_direct")
    TimeEntryFactory(worker=w3, date=D(2025, 2, 10), minutes=184, category="client_direct")
    out = StringIO()
    call_command(
        "calibrate_norms",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-01",
        "--team",
        "Noord",
        "--format",
        "json",
        stdout=out,
    )
    document = json.loads(out.getvalue())
    assert document["worker_months"] == 1 and document["norms"]["coaching"]["estimate"] == 40.0


def test_the_weighted_fit_equals_the_fit_of_the_repeated_rows():
    # The bootstrap fits on the normal equations (issue 17 benchmark: 3.0 s -> 0.2 s for 21,000
    # worker-months); the same minimiser as NNLS on the rows drawn, a zero column and collinear
    # columns included.
    from caseload.calibration import norms_fit, norms_fit_weighted

    rng = np.random.default_rng(7)
    design = rng.uniform(0, 0.5, size=(200, 4))
    design[:, 1] = 0.0  # no uitvoering in the data
    hours = design @ np.array([40.0, 0.0, 12.0, 8.0]) + rng.normal(0, 0.5, 200)
    rows = rng.integers(0, 200, 200)
    weights = np.bincount(rows, minlength=200).astype(np.float64)
    np.testing.assert_allclose(
        norms_fit_weighted(design, hours, weights), norms_fit(design[rows], hours[rows]), atol=1e-9
    )
    collinear = design.copy()
    collinear[:, 3] = collinear[:, 2]
    np.testing.assert_allclose(
        norms_fit_weighted(collinear, hours, weights) @ collinear[rows].T,
        norms_fit(collinear[rows], hours[rows]) @ collinear[rows].T,
        atol=1e-6,
    )
