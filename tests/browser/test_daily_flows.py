"""Issue 15 in a real browser: the flows that used to trap a worker. Change only the role; a
time-out and its resume on one day; re-rate a youth's complexity (today's figures change, last
month's do not); set a next action and find it on top of Mijn caseload; answer a durability check;
hand a youth over to another organisation. Screenshots go to var/screenshots/ for a look."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from caseload.selectors import caseload_for_scope, caseload_scope_all
from cases.models import ComplexityChange, FollowUp, Handover, Period
from core.models import User
from tests.browser.conftest import login
from tests.factories import (
    ApproachFactory,
    FollowUpFactory,
    FtePeriodFactory,
    OrganisationFactory,
    OutcomeFactory,
    PeriodFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"
TODAY = datetime.date.today()
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def anna():
    organisation = OrganisationFactory(name="Gemeente Voorbeeld", factor_complex=2)
    team = TeamFactory(organisation=organisation, name="Jongerenpunt Noord")
    user = UserFactory(username="anna", first_name="Anna", organisation=organisation, role=User.Role.WORKER)
    worker = WorkerFactory(name="Anna Bakker", team=team, user=user, external_id="W-ANNA")
    FtePeriodFactory(worker=worker, start_date=TODAY - datetime.timedelta(days=400), fte=1)
    WorkerFactory(name="Bram Smit", team=team)
    approach = ApproachFactory(organisation=organisation, name="Jongerenadviseurs + werktraject")
    youth = YouthFactory(
        organisation=organisation, first_name="Noa", last_name="Jansen", external_id="J-100", complexity="licht"
    )
    start = TODAY - datetime.timedelta(days=90)
    trajectory = TrajectoryFactory(youth=youth, worker=worker, approach=approach, start_date=start)
    PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=start)
    return {"trajectory": trajectory, "youth": youth, "team": team, "organisation": organisation}


def _dossier(page, live_server, anna):
    login(page, live_server, "anna", PASSWORD)
    page.goto(f"{live_server.url}/jongeren/{anna['youth'].pk}/")
    return page.locator(f"#traject-{anna['trajectory'].pk}")


def test_changing_only_the_role_keeps_the_phase(browser_page, live_server, anna):
    page = browser_page
    section = _dossier(page, live_server, anna)
    section.locator("summary", has_text="Fase of rol wijzigen").click()
    expect(section.get_by_label("Fase")).to_have_value("begeleiding")
    expect(section.get_by_label("Rol")).to_have_value("coaching")
    expect(section.get_by_label("Fase").locator("option[value='time-out']")).to_have_count(0)
    section.get_by_label("Rol").select_option("regie")
    section.get_by_role("button", name="Wijzigen").click()
    expect(page.get_by_text("Fase en rol gewijzigd.")).to_be_visible()
    running = Period.objects.get(trajectory=anna["trajectory"], end_date__isnull=True)
    assert (running.phase, running.role, running.start_date) == ("begeleiding", "regie", TODAY)
    # A second change on the same day corrects it: no period of one day, no refusal.
    section = page.locator(f"#traject-{anna['trajectory'].pk}")
    section.locator("summary", has_text="Fase of rol wijzigen").click()
    expect(section.get_by_label("Rol")).to_have_value("regie")
    section.get_by_label("Rol").select_option("monitoring")
    section.get_by_role("button", name="Wijzigen").click()
    expect(page.get_by_text("Fase en rol gewijzigd.")).to_be_visible()
    assert list(
        Period.objects.filter(trajectory=anna["trajectory"]).order_by("start_date").values_list("role", "end_date")
    ) == [
        ("coaching", TODAY),
        ("monitoring", None),
    ]


def test_time_out_and_resume_on_one_day(browser_page, live_server, anna):
    page = browser_page
    section = _dossier(page, live_server, anna)
    section.locator("summary", has_text="Time-out").click()
    section.get_by_role("button", name="Op time-out zetten").click()
    expect(page.get_by_text("Traject op time-out gezet.")).to_be_visible()
    section = page.locator(f"#traject-{anna['trajectory'].pk}")
    section.locator("summary", has_text="Hervatten").click()
    # The resume form opens on today and on the phase and role from before the time-out.
    resume = section.locator("form[action$='/hervatten/']")
    expect(resume.locator("select[name=role]")).to_have_value("coaching")
    expect(resume.locator("select[name=phase]")).to_have_value("begeleiding")
    resume.get_by_role("button", name="Hervatten").click()
    expect(page.get_by_text("Traject hervat.")).to_be_visible()
    assert list(Period.objects.filter(trajectory=anna["trajectory"]).values_list("phase", "role", "end_date")) == [
        ("begeleiding", "coaching", None)
    ]
    shot(page, "dossier-na-time-out-en-hervatten")


def test_re_rating_complexity_changes_today_and_not_last_month(browser_page, live_server, anna):
    page = browser_page
    scope = caseload_scope_all(team=str(anna["team"].pk))
    month_start = TODAY.replace(day=1)
    last_month = (month_start - datetime.timedelta(days=1)).replace(day=1)

    def hours(**when):
        return caseload_for_scope(scope=scope, **when)["workers"][0]["expected_hours"]

    before_today, before_last_month = hours(day=TODAY), hours(date_from=last_month, date_to=month_start)
    section = _dossier(page, live_server, anna)
    page.get_by_text("Profiel bijwerken").click()
    profile = page.locator("#profile-edit")
    profile.locator("select[name=complexity]").select_option("complex")
    profile.locator("select[name=benefit]").select_option("bijstand")
    profile.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Profiel opgeslagen.")).to_be_visible()
    expect(page.locator(".complexity-history")).to_contain_text(f"eerst licht; vanaf {TODAY.day}")
    assert section is not None
    assert hours(day=TODAY) == before_today * 2  # complex weighs 2 in this organisation
    assert hours(date_from=last_month, date_to=month_start) == before_last_month
    assert ComplexityChange.objects.count() == 2
    shot(page, "dossier-profiel")


def test_next_action_goes_on_top_of_my_caseload(browser_page, live_server, anna):
    page = browser_page
    other = TrajectoryFactory(
        youth=YouthFactory(organisation=anna["organisation"], first_name="Aaron", last_name="Aa", external_id="J-001"),
        worker=anna["trajectory"].worker,
        approach=anna["trajectory"].approach,
        start_date=anna["trajectory"].start_date,
    )
    PeriodFactory(trajectory=other, phase="begeleiding", role="regie", start_date=other.start_date)
    section = _dossier(page, live_server, anna)
    section.locator("summary", has_text="Volgende actie").click()
    section.locator("input[name=next_action]").fill("Bellen met de mentor")
    section.locator("input[name=next_action_on]").fill(TODAY.isoformat())
    section.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Volgende actie opgeslagen.")).to_be_visible()
    page.goto(f"{live_server.url}/caseload/")
    rows = page.locator("table.caseload tbody tr[data-youth]")
    expect(rows.first).to_have_attribute("data-youth", "J-100")  # Noa's action is today: above Aaron Aa
    expect(rows.first).to_contain_text("vandaag")
    expect(rows.first).to_contain_text("Bellen met de mentor")
    shot(page, "mijn-caseload-volgende-actie")


def test_answering_a_durability_check_from_my_caseload(browser_page, live_server, anna):
    page = browser_page
    outcome = OutcomeFactory(trajectory=anna["trajectory"], date=TODAY - datetime.timedelta(days=40), outcome="work")
    check = FollowUpFactory(outcome=outcome, months_after=1, due_date=TODAY - datetime.timedelta(days=9))
    login(page, live_server, "anna", PASSWORD)
    page.goto(f"{live_server.url}/caseload/")
    row = page.locator("tr[data-youth='J-100']")
    expect(row).to_contain_text("Duurzaamheidscheck werk (regulier), na 1 mnd")
    row.get_by_label("Antwoord op de check").select_option("still_there")
    row.get_by_role("button", name="Opslaan").click()
    expect(page.locator("tr[data-youth='J-100']")).not_to_contain_text("Duurzaamheidscheck")
    check.refresh_from_db()
    assert (check.answer, check.answered_on) == (FollowUp.Answer.STILL_THERE, TODAY)


def test_handover_to_another_organisation_closes_the_trajectory(browser_page, live_server, anna):
    page = browser_page
    section = _dossier(page, live_server, anna)
    section.locator("summary", has_text="Warme overdracht").click()
    section.get_by_label("Of naar een andere organisatie").fill("Werkplein Regio")
    section.get_by_label("Samen met de jongere gesproken op").fill(TODAY.isoformat())
    section.get_by_label("Overdrachtsnotitie").fill("Samen bij het Werkplein geweest.")
    section.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_text("Jongere overgedragen")).to_be_visible()
    handover = Handover.objects.get()
    assert (handover.to_worker, handover.to_organisation) == (None, "Werkplein Regio")
    anna["trajectory"].refresh_from_db()
    assert anna["trajectory"].end_date == TODAY
    # The history stays readable: the dossier names the organisation.
    page.goto(f"{live_server.url}/jongeren/{anna['youth'].pk}/")
    expect(page.locator(".handover")).to_contain_text(re.compile("Anna Bakker → Werkplein Regio"))
