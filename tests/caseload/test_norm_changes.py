"""Norms adopted from a day on (issue 17, item 1): "a beheerder can adopt it as the organisation's
(or an approach's) new norm, recorded with its date and source, so the caseload figures from then
on use it and the past keeps its own". Engine tests with values by hand, then the service and the
selectors on a database."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from caseload.calculations import ApproachOverride, CaseloadSettings, NormChange, settings_on
from core.exceptions import ApplicationError
from tests.caseload.test_calculations import for_period, on_date, period, periods_frame, worker

D = dt.date
SIXTY = {"coaching": 60.0, "uitvoering": 50.0, "regie": 20.0, "monitoring": 10.0}
# y1: coaching with w1 from 1 January 2025, open, approach A.
PERIODS = periods_frame(period("t1", "y1", "w1", D(2025, 1, 1), None))
FROM_JULY = CaseloadSettings(norm_changes=(NormChange(valid_from=D(2025, 7, 2), norm_hours=SIXTY),))


def test_settings_on_a_day_take_the_latest_change_on_or_before_it():
    settings = CaseloadSettings(
        approach_overrides={"B": ApproachOverride(norm_hours={"coaching": 30})},
        norm_changes=(
            NormChange(valid_from=D(2025, 7, 2), norm_hours=SIXTY),
            NormChange(valid_from=D(2025, 3, 1), norm_hours=dict(SIXTY, coaching=50.0)),
            NormChange(valid_from=D(2025, 9, 1), norm_hours=dict(SIXTY, coaching=70.0), approach_id="B"),
        ),
    )
    assert settings_on(settings, D(2025, 2, 28)).norm_hours["coaching"] == 40.0
    assert settings_on(settings, D(2025, 3, 1)).norm_hours["coaching"] == 50.0
    assert settings_on(settings, D(2025, 7, 2)).norm_hours["coaching"] == 60.0
    # The approach keeps its fixed override until its own adopted norm holds.
    assert settings_on(settings, D(2025, 8, 31)).approach_overrides["B"].norm_hours == {"coaching": 30}
    assert settings_on(settings, D(2025, 9, 1)).approach_overrides["B"].norm_hours["coaching"] == 70.0
    assert settings_on(settings, D(2025, 9, 1)).norm_changes == ()
    assert settings_on(CaseloadSettings(), D(2025, 9, 1)) == CaseloadSettings()


def test_a_change_needs_all_four_roles():
    with pytest.raises(ValueError, match="missing"):
        NormChange(valid_from=D(2025, 1, 1), norm_hours={"coaching": 60})


def test_point_in_time_uses_the_norm_of_that_day():
    assert worker(on_date(PERIODS, D(2025, 7, 1), settings=FROM_JULY), "w1")["expected_hours"] == 40.0
    assert worker(on_date(PERIODS, D(2025, 7, 2), settings=FROM_JULY), "w1")["expected_hours"] == 60.0


def test_period_mode_splits_the_overlap_at_the_adoption_day():
    # 2025: 1 January - 2 July is 182 days at 40, 2 July - 1 January 183 days at 60:
    # (40 * 182 + 60 * 183) / 365 = (7,280 + 10,980) / 365 = 50.027 -> 50.0 (not 40 or 60).
    document = for_period(PERIODS, D(2025, 1, 1), D(2026, 1, 1), settings=FROM_JULY)
    assert worker(document, "w1")["expected_hours"] == 50.0
    assert worker(document, "w1")["youths_total"] == 1
    # The first half year keeps its own norm: 40 * 182 / 365 = 19.945 -> 19.9.
    assert worker(for_period(PERIODS, D(2025, 1, 1), D(2025, 7, 2), settings=FROM_JULY), "w1")["expected_hours"] == 19.9


def test_an_approachs_adopted_norm_weighs_only_that_approachs_periods():
    periods = periods_frame(
        period("t1", "y1", "w1", D(2025, 1, 1), None, approach="A"),
        period("t2", "y2", "w1", D(2025, 1, 1), None, approach="B"),
    )
    settings = CaseloadSettings(norm_changes=(NormChange(valid_from=D(2025, 7, 2), norm_hours=SIXTY, approach_id="B"),))
    # 1 August: A 40 (the organisation's) + B 60 (its adopted norm) = 100.
    assert worker(on_date(periods, D(2025, 8, 1), settings=settings), "w1")["expected_hours"] == 100.0
    assert worker(on_date(periods, D(2025, 6, 1), settings=settings), "w1")["expected_hours"] == 80.0


def test_the_cut_keeps_a_role_run_whole():
    # Long in role counts from 1 January, not from the adoption day: flagged on 2 October 2025.
    for day in (D(2025, 10, 1), D(2025, 10, 2)):
        assert (
            worker(on_date(PERIODS, day, settings=FROM_JULY), "w1")["long_in_role_youths"]
            == worker(on_date(PERIODS, day), "w1")["long_in_role_youths"]
        )
    assert worker(on_date(PERIODS, D(2025, 10, 2), settings=FROM_JULY), "w1")["long_in_role_youths"] == 1


# --- The service and the selectors ---------------------------------------------------------------

from caseload import selectors  # noqa: E402
from caseload.services import norm_adopt  # noqa: E402
from cases.models import NormChange as NormChangeRow  # noqa: E402
from core.models import AuditLogEntry  # noqa: E402
from tests.factories import (  # noqa: E402
    ApproachFactory,
    FtePeriodFactory,
    OrganisationFactory,
    PeriodFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

NORMS = {role: Decimal(str(hours)) for role, hours in SIXTY.items()}


@pytest.fixture(autouse=True)
def new_year_2025():
    """An adoption holds from today or later: these tests adopt in 2025 from 1 January 2025."""
    with time_machine.travel(dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)):
        yield


def test_an_adoption_never_reaches_back(normstad, client):
    # The review's finding: a norm adopted from 2020 rewrote every figure since. The days until
    # today keep the norm that held then; a correction of today's own adoption stays possible.
    _organisation, _team, _approach, beheerder = normstad
    with pytest.raises(ApplicationError) as raised:
        norm_adopt(user=beheerder, valid_from=D(2024, 12, 31), norm_hours=NORMS, source="x")
    assert "valid_from" in raised.value.fields
    norm_adopt(user=beheerder, valid_from=D(2025, 1, 1), norm_hours=NORMS, source="today")
    client.force_login(beheerder)
    data = {
        "geldt_vanaf": "2024-12-31",
        "coaching": "45",
        "uitvoering": "40",
        "regie": "12",
        "monitoring": "8",
        "bron": "x",
    }
    page = client.post("/planning/normen/vaststellen/", data).content.decode()
    assert "De dagen tot vandaag houden de norm die toen gold: kies vandaag of later." in page
    assert NormChangeRow.objects.get().source == "today"


@pytest.fixture
def normstad(db):
    organisation = OrganisationFactory(name="Normstad")
    team = TeamFactory(organisation=organisation, name="Noord")
    worker = WorkerFactory(team=team, external_id="W-1")
    FtePeriodFactory(worker=worker, start_date=D(2024, 1, 1), fte=1)
    approach = ApproachFactory(organisation=organisation, name="Werkfit")
    trajectory = TrajectoryFactory(
        youth=YouthFactory(organisation=organisation), worker=worker, approach=approach, start_date=D(2025, 1, 1)
    )
    PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 1, 1))
    beheerder = UserFactory(organisation=organisation, role="admin")
    return organisation, team, approach, beheerder


def _team_hours(team, **window):
    document = selectors.caseload_for_scope(scope=selectors.CaseloadScope(team_ids=(team.pk,)), **window)
    return document["workers"][0]["expected_hours"]


def test_an_adopted_norm_moves_the_figures_from_its_day_and_keeps_the_past(normstad):
    organisation, team, _approach, beheerder = normstad
    before = _team_hours(team, date_from=D(2025, 1, 1), date_to=D(2025, 7, 2))
    change = norm_adopt(
        user=beheerder, valid_from=D(2025, 7, 2), norm_hours=NORMS, source="Schatting 2025-01-01 tot 2025-07-01"
    )
    assert _team_hours(team, date_from=D(2025, 1, 1), date_to=D(2025, 7, 2)) == before == 19.9
    assert _team_hours(team, date_from=D(2025, 1, 1), date_to=D(2026, 1, 1)) == 50.0
    entry = AuditLogEntry.objects.get(object_type="norm")
    assert (entry.action, entry.object_id, entry.organisation) == ("create", str(change.pk), organisation)
    assert "vanaf 2025-07-02: coaching 60.0" in entry.detail


def test_a_second_adoption_on_the_same_day_corrects_it(normstad):
    _organisation, team, _approach, beheerder = normstad
    norm_adopt(user=beheerder, valid_from=D(2025, 7, 2), norm_hours=NORMS, source="eerste")
    norm_adopt(
        user=beheerder, valid_from=D(2025, 7, 2), norm_hours=dict(NORMS, coaching=Decimal("40")), source="tweede"
    )
    assert NormChangeRow.objects.get().source == "tweede"
    assert _team_hours(team, date_from=D(2025, 1, 1), date_to=D(2026, 1, 1)) == 40.0


def test_an_approachs_norm_holds_for_that_approach(normstad):
    _organisation, team, approach, beheerder = normstad
    norm_adopt(user=beheerder, valid_from=D(2025, 1, 1), norm_hours=NORMS, source="aanpak", approach_id=approach.pk)
    assert _team_hours(team, date_from=D(2025, 1, 1), date_to=D(2026, 1, 1)) == 60.0


@pytest.mark.parametrize("role", ["team_lead", "analyst", "worker", "privacy_officer"])
def test_only_a_beheerder_adopts_a_norm(normstad, role):
    organisation, _team, _approach, _beheerder = normstad
    user = UserFactory(organisation=organisation, role=role)
    with pytest.raises(ApplicationError, match="beheerder"):
        norm_adopt(user=user, valid_from=D(2025, 7, 2), norm_hours=NORMS, source="x")
    assert not NormChangeRow.objects.exists()


def test_another_organisations_approach_is_unknown(normstad):
    _organisation, _team, _approach, beheerder = normstad
    other = ApproachFactory(organisation=OrganisationFactory(name="Elders"))
    with pytest.raises(ApplicationError, match="Onbekende aanpak"):
        norm_adopt(user=beheerder, valid_from=D(2025, 7, 2), norm_hours=NORMS, source="x", approach_id=other.pk)


def test_a_negative_norm_is_refused_in_dutch(normstad):
    _organisation, _team, _approach, beheerder = normstad
    with pytest.raises(ApplicationError) as raised:
        norm_adopt(user=beheerder, valid_from=D(2025, 7, 2), norm_hours=dict(NORMS, regie=Decimal("-1")), source="x")
    assert raised.value.fields
    assert not NormChangeRow.objects.exists()


def test_the_calibration_shows_the_norm_in_use_on_the_windows_last_day(normstad):
    _organisation, team, _approach, beheerder = normstad
    norm_adopt(user=beheerder, valid_from=D(2025, 7, 2), norm_hours=NORMS, source="x")
    scope = selectors.CaseloadScope(team_ids=(team.pk,))
    early = selectors.norms_calibration_for_scope(
        scope=scope, date_from=D(2025, 1, 1), date_to=D(2025, 7, 1), resamples=20
    )
    late = selectors.norms_calibration_for_scope(
        scope=scope, date_from=D(2025, 1, 1), date_to=D(2025, 8, 1), resamples=20
    )
    assert early["norms"]["coaching"]["current"] == 40.0
    assert late["norms"]["coaching"]["current"] == 60.0


# --- The pages ------------------------------------------------------------------------------------


def test_the_beheerder_adopts_an_estimate_from_the_norms_page(client, normstad):
    organisation, _team, _approach, beheerder = normstad
    client.force_login(beheerder)
    page = client.get("/planning/normen/?van=2025-01-01&tot=2025-03-01").content.decode()
    assert "Schatting vaststellen als norm" in page
    assert "Nog geen norm vastgesteld" in page
    # The link carries the estimates and a source in words.
    start = page.index('href="/planning/normen/vaststellen/?')
    link = page[start + 6 : page.index('"', start + 6)].replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert "Geschat uit de uren van 1 januari 2025 t/m 28 februari 2025" in form
    response = client.post(
        "/planning/normen/vaststellen/",
        {
            "geldt_vanaf": "2025-07-02",
            "coaching": "45,5",
            "uitvoering": "40",
            "regie": "12",
            "monitoring": "8",
            "bron": "Schatting voorjaar",
        },
        follow=True,
    )
    assert "Norm vastgesteld voor de hele organisatie vanaf 2 juli 2025." in response.content.decode()
    change = NormChangeRow.objects.get()
    assert (change.organisation, change.norm_coaching_hours, change.recorded_by) == (
        organisation,
        Decimal("45.5"),
        beheerder,
    )
    history = response.content.decode()
    assert "2 juli 2025" in history and "45,5" in history and "Schatting voorjaar" in history


def test_a_wrong_number_gets_a_dutch_error_and_writes_nothing(client, normstad):
    _organisation, _team, _approach, beheerder = normstad
    client.force_login(beheerder)
    response = client.post(
        "/planning/normen/vaststellen/",
        {
            "geldt_vanaf": "2025-07-02",
            "coaching": "veertig",
            "uitvoering": "-1",
            "regie": "12",
            "monitoring": "8",
            "bron": "x",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Geef een getal, bijvoorbeeld 12,5." in page
    assert not NormChangeRow.objects.exists()


def test_a_team_lead_sees_the_history_but_no_adoption_link(client, normstad):
    organisation, team, _approach, beheerder = normstad
    norm_adopt(user=beheerder, valid_from=D(2025, 7, 2), norm_hours=NORMS, source="Schatting voorjaar")
    lead = UserFactory(organisation=organisation, role="team_lead")
    team.leads.add(lead)
    client.force_login(lead)
    page = client.get("/planning/normen/?van=2025-01-01&tot=2025-03-01").content.decode()
    assert "Schatting voorjaar" in page
    assert "Schatting vaststellen als norm" not in page


# --- The API --------------------------------------------------------------------------------------

API = "/api/v1/caseload/norm-changes/"
BODY = {
    "valid_from": "2025-07-02",
    "norms": {"coaching": 60, "uitvoering": 50, "regie": 20, "monitoring": 10},
    "source": "Schatting voorjaar",
}


def test_the_api_adopts_and_lists_for_the_beheerder(client, normstad):
    _organisation, team, approach, beheerder = normstad
    client.force_login(beheerder)
    response = client.post(API, dict(BODY, approach=approach.pk), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["norms"] == {"coaching": 60.0, "uitvoering": 50.0, "regie": 20.0, "monitoring": 10.0}
    assert (response.json()["approach"], response.json()["approach_name"]) == (approach.pk, "Werkfit")
    (listed,) = client.get(API).json()
    assert (listed["valid_from"], listed["source"]) == ("2025-07-02", "Schatting voorjaar")
    assert _team_hours(team, date_from=D(2025, 1, 1), date_to=D(2026, 1, 1)) == 50.0


@pytest.mark.parametrize(
    ("role", "read", "write"), [("team_lead", 200, 403), ("analyst", 200, 403), ("worker", 403, 403)]
)
def test_the_api_refuses_who_may_not(client, normstad, role, read, write):
    organisation, _team, _approach, beheerder = normstad
    norm_adopt(user=beheerder, valid_from=D(2025, 7, 2), norm_hours=NORMS, source="x")
    client.force_login(UserFactory(organisation=organisation, role=role))
    assert client.get(API).status_code == read
    assert client.post(API, BODY, content_type="application/json").status_code == write
    assert NormChangeRow.objects.count() == 1


def test_the_api_shows_nothing_of_another_organisation_and_needs_a_login(client, normstad):
    _organisation, _team, approach, beheerder = normstad
    norm_adopt(user=beheerder, valid_from=D(2025, 7, 2), norm_hours=NORMS, source="x")
    assert client.get(API).status_code in (401, 403)
    other = UserFactory(organisation=OrganisationFactory(name="Elders"), role="admin")
    client.force_login(other)
    assert client.get(API).json() == []
    # Another organisation's approach is an error on the request, and nothing is written.
    response = client.post(API, dict(BODY, approach=approach.pk), content_type="application/json")
    assert response.status_code == 400
    assert NormChangeRow.objects.count() == 1


def test_the_api_refuses_a_negative_norm_with_the_field(client, normstad):
    _organisation, _team, _approach, beheerder = normstad
    client.force_login(beheerder)
    body = dict(BODY, norms=dict(BODY["norms"], regie=-1))
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert "regie" in response.json()["norms"]
    assert not NormChangeRow.objects.exists()


def test_the_page_rounds_a_norm_half_up_to_one_decimal(client, normstad):
    # Review: the form rounded half to even (12,25 -> 12,2); every rounding here is half up.
    _organisation, _team, _approach, beheerder = normstad
    client.force_login(beheerder)
    data = {"geldt_vanaf": "2025-02-01", "coaching": "40", "uitvoering": "40", "regie": "12,25", "monitoring": "8"}
    client.post("/planning/normen/vaststellen/", data | {"bron": "x"})
    assert NormChangeRow.objects.get().norm_regie_hours == Decimal("12.3")
