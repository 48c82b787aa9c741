"""A team lead's look ahead in a real browser (issue 17): from the team dashboard's chart to the
forecast, then "what if Bram leaves": his youths and intake go to Anna, his capacity is gone."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from core.formats import date_text
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
    """Team Noord: Anna (0.5 fte) and Bram (0.5 fte), each coaching youths who stay about 90 days;
    a new youth every 10 days over the last two years (some ended, the latest still running)."""
    organisation = OrganisationFactory(name="Gemeente Voorbeeld")
    noord = TeamFactory(organisation=organisation, name="Jongerenpunt Noord")
    lead = UserFactory(username="tessa", organisation=organisation, role=User.Role.TEAM_LEAD)
    noord.leads.add(lead)
    anna = WorkerFactory(name="Anna Bakker", external_id="W-ANNA", team=noord)
    bram = WorkerFactory(name="Bram Smit", external_id="W-BRAM", team=noord)
    today = datetime.date.today()
    for worker in (anna, bram):
        FtePeriod.objects.create(worker=worker, start_date=today - datetime.timedelta(days=800), fte="0.5")
    approach = ApproachFactory(organisation=organisation, name="Jongerenadviseurs")
    for index in range(73):
        start = today - datetime.timedelta(days=10 * index + 3)
        end = start + datetime.timedelta(days=90)
        youth = YouthFactory(organisation=organisation, external_id=f"J-{index}")
        worker = anna if index % 2 else bram
        trajectory = TrajectoryFactory(
            youth=youth, worker=worker, approach=approach, start_date=start, end_date=end if end <= today else None
        )
        PeriodFactory(
            trajectory=trajectory,
            phase="begeleiding",
            role="coaching",
            start_date=start,
            end_date=end if end <= today else None,
        )
    return {"noord": noord, "anna": anna, "bram": bram}


def test_team_lead_looks_ahead_and_asks_what_if_a_worker_leaves(live_server, browser_page, team):
    page = browser_page
    login(page, live_server, "tessa", PASSWORD)
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.locator("#team-chart svg .month")).to_have_count(15)
    expect(page.locator("#team-chart svg .bar.projected")).to_have_count(3)
    shots = Path(settings.BASE_DIR) / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.locator("#team-chart").screenshot(path=str(shots / "teamdashboard-grafiek.png"))
    page.get_by_role("link", name="Prognose per week, met wat-als").click()
    expect(page.get_by_role("heading", name="Prognose van de belasting: Jongerenpunt Noord")).to_be_visible()
    weeks = page.locator("tr.forecast-week")
    expect(weeks).to_have_count(13)
    expect(weeks.first).to_contain_text(date_text(datetime.date.today()))  # "4 september 2026"
    expect(page.locator("#forecast-stays")).to_contain_text("Jongerenadviseurs")
    bram = page.locator('tr.forecast-worker[data-worker="W-BRAM"]')
    expect(bram.locator(".last-utilisation")).not_to_have_text("-")

    # What if Bram leaves today: no capacity of his, his youths go to Anna.
    page.get_by_label("Begeleider").select_option(label="Bram Smit")
    page.get_by_label("Nieuwe fte (0 = vertrekt)").fill("0")
    page.get_by_role("button", name="Bereken prognose").click()
    expect(bram.locator(".last-utilisation")).to_have_text("-")
    anna = page.locator('tr.forecast-worker[data-worker="W-ANNA"]')
    expect(anna.locator(".last-utilisation")).to_contain_text("%")

    page.screenshot(path=str(shots / "prognose.png"), full_page=True)
