"""A team lead's check in a real browser: who is overloaded and why, drill down to the caseload,
move a youth to a colleague with room, and see the colleague's figures change; a team lead of
another team never sees this team's figures."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cases.models import Handover
from core.models import FtePeriod, User
from tests.browser.conftest import login
from tests.factories import (
    ApproachFactory,
    OrganisationFactory,
    PeriodFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def team():
    """Team Noord: Anna (0.1 fte = 120 h a year) coaches four youths (4 x 40 = 160 h: 133%),
    Bram (1.0 fte = 1200 h) one (40 h: 3%, room). Team Zuid has its own lead."""
    organisation = OrganisationFactory(name="Gemeente Voorbeeld")
    noord = TeamFactory(organisation=organisation, name="Jongerenpunt Noord")
    zuid = TeamFactory(organisation=organisation, name="Jongerenpunt Zuid")
    lead = UserFactory(
        username="tessa", first_name="Tessa", last_name="de Leider", organisation=organisation, role=User.Role.TEAM_LEAD
    )
    noord.leads.add(lead)
    other_lead = UserFactory(username="zoe", organisation=organisation, role=User.Role.TEAM_LEAD)
    zuid.leads.add(other_lead)
    anna = WorkerFactory(name="Anna Bakker", external_id="W-ANNA", team=noord)
    bram = WorkerFactory(name="Bram Smit", external_id="W-BRAM", team=noord)
    start = datetime.date.today() - datetime.timedelta(days=30)
    FtePeriod.objects.create(worker=anna, start_date=start, fte="0.1")
    FtePeriod.objects.create(worker=bram, start_date=start, fte="1.0")
    approach = ApproachFactory(organisation=organisation, name="Jongerenadviseurs")
    for index, (first_name, worker) in enumerate(
        [("Noa", anna), ("Sem", anna), ("Liam", anna), ("Mila", anna), ("Ravi", bram)]
    ):
        youth = YouthFactory(
            organisation=organisation, first_name=first_name, last_name="Jansen", external_id=f"J-{index}"
        )
        trajectory = TrajectoryFactory(youth=youth, worker=worker, approach=approach, start_date=start)
        PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=start)
    return {"noord": noord, "zuid": zuid, "anna": anna, "bram": bram}


def row(page, worker):
    return page.locator(f"#begeleider-{worker.pk}")


def test_team_lead_moves_a_youth_from_an_overloaded_worker(live_server, browser_page, team):
    page = browser_page
    login(page, live_server, "tessa", PASSWORD)
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_role("heading", name="Teamdashboard Jongerenpunt Noord")).to_be_visible()

    anna, bram = row(page, team["anna"]), row(page, team["bram"])
    expect(anna.locator(".flags")).to_contain_text("overbelast: 133% van de capaciteit")
    expect(anna.locator(".expected-hours")).to_have_text("160,0")
    expect(bram.locator(".flags")).to_contain_text("onderbelast: 3% van de capaciteit")
    expect(bram.locator(".youths-total")).to_have_text("1")
    expect(page.locator("#team-chart svg .month")).to_have_count(15)

    # Drill down to Anna's caseload (the worker's page of cases), and back.
    anna.get_by_role("link", name="Anna Bakker").click()
    expect(page).to_have_url(re.compile(rf"/caseload/\?begeleider={team['anna'].pk}$"))
    expect(page.get_by_text("Noa Jansen")).to_be_visible()
    page.go_back()

    # Move Mila to Bram, a colleague with room, with a note (a warme overdracht).
    page.get_by_text("Verplaats een jongere van Anna Bakker").click()
    form = page.locator('form.move-form[data-worker="W-ANNA"]')
    youth = form.get_by_label("Jongere")
    youth.select_option(youth.locator("option", has_text="Mila Jansen").get_attribute("value"))
    colleague = form.get_by_label("Naar collega met ruimte")
    colleague.select_option(colleague.locator("option", has_text="Bram Smit").get_attribute("value"))
    form.get_by_label("Overdrachtsnotitie").fill("Kennismaking met Bram gehad; Anna heeft te veel jongeren.")
    shots = Path(settings.BASE_DIR) / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "teamdashboard-verplaats.png"), full_page=True)
    form.get_by_role("button", name="Verplaats jongere").click()

    expect(page.locator(".msg-success")).to_contain_text("Mila Jansen is overgedragen aan Bram Smit")
    # Bram's figures change: 2 youths, 80 hours; Anna is back at 120 of 120 hours, not overloaded.
    expect(bram.locator(".youths-total")).to_have_text("2")
    expect(bram.locator(".expected-hours")).to_have_text("80,0")
    expect(anna.locator(".expected-hours")).to_have_text("120,0")
    expect(anna.locator(".flags")).not_to_contain_text("overbelast")
    handover = Handover.objects.get()
    assert (handover.from_worker, handover.to_worker) == (team["anna"], team["bram"])
    assert handover.note.startswith("Kennismaking")


def test_note_is_required_to_move_a_youth(live_server, browser_page, team):
    page = browser_page
    login(page, live_server, "tessa", PASSWORD)
    page.goto(f"{live_server.url}/team/")
    page.get_by_text("Verplaats een jongere van Anna Bakker").click()
    form = page.locator('form.move-form[data-worker="W-ANNA"]')
    # The browser refuses an empty note (required), so nothing reaches the server.
    form.get_by_role("button", name="Verplaats jongere").click()
    expect(page).to_have_url(re.compile(r"/team/$"))
    assert not Handover.objects.exists()


def test_lead_of_another_team_cannot_open_this_teams_figures(live_server, browser_page, team):
    page = browser_page
    login(page, live_server, "zoe", PASSWORD)
    page.goto(f"{live_server.url}/team/")
    expect(page.get_by_role("heading", name="Teamdashboard Jongerenpunt Zuid")).to_be_visible()
    expect(page.get_by_text("Anna Bakker")).to_have_count(0)

    response = page.goto(f"{live_server.url}/team/?team={team['noord'].pk}")
    assert response.status == 404
    expect(page.get_by_text("Anna Bakker")).to_have_count(0)

    today = datetime.date.today().isoformat()
    response = page.goto(f"{live_server.url}/api/v1/caseload/?date={today}&team={team['noord'].pk}")
    assert response.status == 404
    assert "W-ANNA" not in page.content()
    response = page.goto(f"{live_server.url}/caseload/?begeleider={team['anna'].pk}")
    assert response.status == 404


def test_team_lead_follows_the_rebalancing_advice_with_one_click(live_server, browser_page, team):
    # Anna 160 of 120 h (28 above 132), Bram 40 of 1200 (920 below 960): moving one of Anna's
    # youths (40 h) makes Anna 120 (inside) and Bram 80; a second makes Anna 80 (16 below 96),
    # Bram 120 (840 below): still less outside, so two moves are advised.
    page = browser_page
    login(page, live_server, "tessa", PASSWORD)
    page.get_by_role("link", name="Team", exact=True).click()
    page.get_by_role("button", name="Advies berekenen").click()
    moves = page.locator("#rebalance-advice tr.rebalance-move")
    expect(moves).to_have_count(2)
    expect(moves.first).to_contain_text("Anna Bakker")
    expect(moves.first).to_contain_text("Bram Smit")
    shots = Path(settings.BASE_DIR) / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "teamdashboard-advies.png"), full_page=True)
    moves.first.get_by_role("button", name="Overdragen").click()
    expect(page.locator(".msg-success")).to_contain_text("is overgedragen aan Bram Smit")
    expect(row(page, team["anna"]).locator(".expected-hours")).to_have_text("120,0")
    handover = Handover.objects.get()
    assert (handover.from_worker, handover.to_worker) == (team["anna"], team["bram"])
    assert handover.note.startswith("Herverdeling op advies van het teamdashboard")
