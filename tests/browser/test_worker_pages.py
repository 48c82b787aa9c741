"""A worker's morning in a real browser: find a youth, log time, change role, register an
outcome, hand over; and never reach another team's youth."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from cases.models import Handover, Outcome, Period, TimeEntry
from core.models import User
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
def team_with_youths():
    organisation = OrganisationFactory(name="Gemeente Voorbeeld")
    team = TeamFactory(organisation=organisation, name="Jongerenpunt Noord")
    user = UserFactory(
        username="anna", first_name="Anna", last_name="Bakker", organisation=organisation, role=User.Role.WORKER
    )
    worker = WorkerFactory(name="Anna Bakker", team=team, user=user)
    colleague = WorkerFactory(name="Bram Smit", team=team)
    approach = ApproachFactory(organisation=organisation, name="Jongerenadviseurs + werktraject")
    youth = YouthFactory(organisation=organisation, first_name="Noa", last_name="Jansen", external_id="J-100")
    start = datetime.date.today() - datetime.timedelta(days=60)
    trajectory = TrajectoryFactory(youth=youth, worker=worker, approach=approach, start_date=start)
    PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=start)

    other_team = TeamFactory(organisation=organisation, name="Jongerenpunt Zuid")
    other_youth = YouthFactory(organisation=organisation, first_name="Ravi", last_name="Peters", external_id="J-200")
    other_trajectory = TrajectoryFactory(
        youth=other_youth, worker=WorkerFactory(team=other_team), approach=approach, start_date=start
    )
    PeriodFactory(trajectory=other_trajectory, phase="begeleiding", role="regie", start_date=start)
    return {"trajectory": trajectory, "colleague": colleague, "other_youth": other_youth, "worker": worker}


def test_worker_logs_time_changes_role_registers_work_and_hands_over(browser_page, live_server, team_with_youths):
    page = browser_page
    trajectory = team_with_youths["trajectory"]
    login(page, live_server, "anna", PASSWORD)

    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()
    with page.expect_response(lambda response: "deel=tabel" in response.url):
        page.get_by_label("Zoeken").fill("Noa")
    row = page.locator("tr[data-youth='J-100']")
    expect(row).to_contain_text("Coaching")
    expect(page.locator("tr[data-youth='J-200']")).to_have_count(0)

    # One-click time logging from the list (HTMX: the page does not reload): one click is 30
    # minutes of direct client time today; then corrected to 45 minutes.
    row.get_by_role("button", name="+30 min").click()
    form = page.locator(f"#log-{trajectory.pk}")
    expect(form).to_contain_text("30 minuten cliënt direct geregistreerd op")
    expect(page.locator("#week-total")).to_have_text("0:30")
    assert list(TimeEntry.objects.values_list("minutes", "category")) == [(30, "client_direct")]
    form.get_by_role("button", name="Aanpassen").click()
    form.get_by_label("Minuten").fill("45")
    form.get_by_role("button", name="Opslaan").click()
    expect(form).to_contain_text("Aangepast: 45 minuten cliënt direct")
    expect(page.locator("#week-total")).to_have_text("0:45")
    assert list(TimeEntry.objects.values_list("minutes", "category")) == [(45, "client_direct")]

    # Change the role to regie on the dossier.
    row.get_by_role("link", name="Noa Jansen").click()
    expect(page.get_by_role("heading", name=re.compile("Noa Jansen"))).to_be_visible()
    page.get_by_text("Fase of rol wijzigen").click()
    section = page.locator(f"#traject-{trajectory.pk}")
    section.get_by_label("Rol").select_option("regie")
    section.get_by_role("button", name="Wijzigen").click()
    expect(page.get_by_text("Fase en rol gewijzigd.")).to_be_visible()
    assert Period.objects.filter(trajectory=trajectory, end_date__isnull=True).get().role == "regie"

    # Register the outcome work.
    page.get_by_text("Resultaat vastleggen").click()
    section.get_by_label("Resultaat").select_option("work")
    section.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Resultaat vastgelegd.")).to_be_visible()
    expect(section.locator(".outcome")).to_contain_text("Werk (regulier)")
    assert list(Outcome.objects.values_list("outcome", flat=True)) == ["work"]

    # Hand over to a colleague (warme overdracht).
    page.get_by_text("Warme overdracht").click()
    # The list comes with each colleague's room, own team first; Anna herself is not offered.
    expect(section.locator("select[name=to_worker] optgroup[label='Eigen team']")).to_contain_text("Bram Smit")
    expect(section.locator("select[name=to_worker]")).not_to_contain_text("Anna Bakker")
    section.get_by_label("Naar collega").select_option(value=str(team_with_youths["colleague"].pk))
    section.get_by_label("Overdrachtsnotitie").fill("Samen kennisgemaakt; Bram neemt het over.")
    section.get_by_role("button", name="Overdragen").click()
    # The youth has left Anna's caseload: she is back on her list, without Noa.
    expect(page.get_by_text("Jongere overgedragen")).to_be_visible()
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()
    expect(page.locator("tr[data-youth='J-100']")).to_have_count(0)
    handover = Handover.objects.get()
    assert (handover.from_worker.name, handover.to_worker.name) == ("Anna Bakker", "Bram Smit")


def test_worker_cannot_reach_another_teams_youth(browser_page, live_server, team_with_youths):
    page = browser_page
    login(page, live_server, "anna", PASSWORD)

    response = page.goto(f"{live_server.url}/jongeren/{team_with_youths['other_youth'].pk}/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    page.goto(f"{live_server.url}/jongeren/?q=Ravi")
    expect(page.get_by_text("Geen jongeren gevonden.")).to_be_visible()


def test_bad_input_gets_a_message_on_the_page_and_writes_nothing(browser_page, live_server, team_with_youths):
    page = browser_page
    trajectory = team_with_youths["trajectory"]
    login(page, live_server, "anna", PASSWORD)
    page.goto(f"{live_server.url}/jongeren/{trajectory.youth_id}/")

    page.get_by_text("Fase of rol wijzigen").click()
    section = page.locator(f"#traject-{trajectory.pk}")
    section.get_by_label("Met ingang van").fill((trajectory.start_date - datetime.timedelta(days=10)).isoformat())
    section.get_by_label("Rol").select_option("regie")
    section.get_by_role("button", name="Wijzigen").click()

    expect(page.get_by_text("De datum ligt voor de start van het traject.")).to_be_visible()
    assert Period.objects.filter(trajectory=trajectory).count() == 1
