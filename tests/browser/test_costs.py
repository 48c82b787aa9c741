"""Costs in a real browser (issue 15): an analyst enters a cost with a decimal comma on the Kosten
page and sees it in the MKBA of the approach."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cases.models import CostItem
from tests.browser.conftest import login
from tests.mkba.conftest import PASSWORD, Cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort(reference_data):
    return Cohort()


def _mkba(page, live_server, cohort):
    page.goto(f"{live_server.url}/rendement/")
    page.get_by_label("Aanpak").select_option(label="Jongerenadviseurs + werktraject")
    page.get_by_label("Cohort: gestart vanaf").fill("2024-01-01")
    page.get_by_label("tot (exclusief)").fill("2024-07-01")
    page.get_by_label("Meetdatum").fill("2024-12-31")
    page.get_by_label("Kengetallen", exact=True).select_option(value=str(cohort.parameter_set.pk))
    page.get_by_role("button", name="Bereken").click()


def test_analyst_enters_a_cost_with_a_decimal_comma_and_sees_it_in_the_mkba(browser_page, live_server, cohort):
    page = browser_page
    login(page, live_server, "analist", PASSWORD)
    _mkba(page, live_server, cohort)
    costs = page.locator("#costs")
    expect(costs).to_contain_text("2. Extra inzet van zorg of ondersteuning")
    expect(costs).to_contain_text("€ 400")

    page.get_by_role("link", name="Kosten", exact=True).click()
    expect(page.get_by_role("heading", name="Kosten van een aanpak")).to_be_visible()
    page.locator("#cost-filter").get_by_label("Aanpak").select_option(label="Jongerenadviseurs + werktraject")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("link", name="Kosten toevoegen").click()

    form = page.locator("#cost-form")
    if os.environ.get("COSTS_SCREENSHOT"):
        page.screenshot(path=os.environ["COSTS_SCREENSHOT"].replace(".png", "-form.png"), full_page=True)
    form.get_by_label("Traject").select_option(label="geen: de aanpak als geheel")
    form.get_by_label("Kostenpost").select_option(label="2. Extra inzet van zorg of ondersteuning")
    form.get_by_label("Datum").fill("2024-03-01")
    form.get_by_label("Bedrag (euro)").fill("1.000,50")
    form.get_by_label("Omschrijving").fill("Inkoop jeugdhulp")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.locator(".messages")).to_contain_text("De kostenpost van € 1.000,50 is opgeslagen.")
    row = page.locator("#cost-items tr", has_text="Inkoop jeugdhulp")
    expect(row).to_contain_text("1 maart 2024")
    expect(row).to_contain_text("€ 1.000,50")
    expect(page.locator("#cost-totals")).to_contain_text("€ 1.600,50")  # line 2: 400 + 200 + 1.000,50
    assert CostItem.objects.get(description="Inkoop jeugdhulp").amount == Decimal("1000.50")
    if os.environ.get("COSTS_SCREENSHOT"):
        page.screenshot(path=os.environ["COSTS_SCREENSHOT"], full_page=True)

    _mkba(page, live_server, cohort)
    expect(page.locator("#costs")).to_contain_text("€ 1.401")  # 400 + 1.000,50, in whole euro


def test_team_lead_enters_a_cost_on_their_teams_trajectory_and_deletes_it_after_confirming(
    browser_page, live_server, cohort
):
    page = browser_page
    login(page, live_server, "lead", PASSWORD)
    page.goto(f"{live_server.url}/rendement/kosten/nieuw/?approach={cohort.approach.pk}")

    form = page.locator("#cost-form")
    trajectory = f"traject {cohort.t2.external_id} · jongere {cohort.t2.youth.external_id} · vanaf 1 maart 2024"
    form.get_by_label("Traject").select_option(label=trajectory)
    form.get_by_label("Kostenpost").select_option(label="3. Kosten extra jaren onderwijs")
    form.get_by_label("Datum").fill("2024-09-02")
    form.get_by_label("Bedrag (euro)").fill("2.500")
    page.get_by_role("button", name="Opslaan").click()

    row = page.locator("#cost-items tr", has_text="2 september 2024")
    expect(row).to_contain_text("€ 2.500,00")
    expect(page.locator("#cost-items")).not_to_contain_text(cohort.t3.external_id)  # team Zuid
    approach_level = page.locator("#cost-items tr", has_text="1c. Kosten loon en vergoedingen")
    expect(approach_level).to_contain_text("de aanpak als geheel")
    expect(approach_level.get_by_role("link", name="wijzigen")).to_have_count(0)
    if os.environ.get("COSTS_SCREENSHOT"):
        page.screenshot(path=os.environ["COSTS_SCREENSHOT"].replace(".png", "-lead.png"), full_page=True)

    row.get_by_role("link", name="verwijderen").click()
    expect(page.get_by_role("heading", name="Kostenpost verwijderen?")).to_be_visible()
    expect(page.locator("#cost-item")).to_contain_text("€ 2.500,00")
    if os.environ.get("COSTS_SCREENSHOT"):
        page.screenshot(path=os.environ["COSTS_SCREENSHOT"].replace(".png", "-delete.png"), full_page=True)
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.locator(".messages")).to_contain_text("De kostenpost is verwijderd.")
    assert not CostItem.objects.filter(date="2024-09-02").exists()
