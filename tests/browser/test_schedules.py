"""A beheerder's schedules in a real browser: from the admin's start page to the Dutch schedules
page, the monthly caseload report moved to the 3rd at 05:15, the audit-log purge switched off."""

import re

import pytest
from django_celery_beat.models import PeriodicTask
from playwright.sync_api import expect

from core.models import User
from reports import schedules
from tests.browser.conftest import login
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
MONTHLY = "Caseloadrapport per team (maandelijks)"
AUDIT_PURGE = "Bewaartermijn: auditlog opschonen (dagelijks)"


def test_a_beheerder_moves_a_schedule_and_switches_one_off(browser_page, live_server, tmp_path):
    schedules.schedules_install()
    UserFactory(
        username="beheer", first_name="Bea", last_name="Heer", role=User.Role.ADMIN, organisation=OrganisationFactory()
    )
    page = browser_page
    login(page, live_server, "beheer", PASSWORD)
    page.get_by_role("link", name="Planning van de achtergrondtaken").click()
    expect(page.get_by_role("heading", name="Planning van de achtergrondtaken")).to_be_visible()

    monthly = page.locator("tr", has_text=MONTHLY)
    expect(monthly).to_contain_text("De 1e van de maand om 06:00")
    monthly.get_by_label("Dag", exact=True).fill("3")
    monthly.get_by_label("Tijd").fill("05:15")
    monthly.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".msg-success")).to_contain_text(
        "Opgeslagen: Caseloadrapport per team (maandelijks) draait de 3e van de maand om 05:15 (aan)."
    )
    expect(page.locator("tr", has_text=MONTHLY)).to_contain_text("De 3e van de maand om 05:15")

    purge = page.locator("tr", has_text=AUDIT_PURGE)
    expect(purge.locator(".state")).to_have_text("Aan")
    purge.get_by_label("Aan", exact=True).uncheck()
    purge.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".msg-success")).to_contain_text("(uit)")
    expect(page.locator("tr", has_text=AUDIT_PURGE).locator(".state")).to_have_text("Uit")

    # A day no month lacks: the browser itself refuses the 31st.
    page.locator("tr", has_text=MONTHLY).get_by_label("Dag", exact=True).fill("31")
    page.locator("tr", has_text=MONTHLY).get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/instellingen/planning/$"))
    page.screenshot(path=str(tmp_path / "planning.png"), full_page=True)

    monthly_task = PeriodicTask.objects.select_related("crontab").get(name=MONTHLY)
    crontab = monthly_task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year) == ("15", "5", "3", "*")
    assert monthly_task.enabled
    assert not PeriodicTask.objects.get(name=AUDIT_PURGE).enabled
