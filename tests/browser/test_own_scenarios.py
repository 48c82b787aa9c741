"""Own ex-ante scenarios (issue 17, item 6) in a real browser: an analyst starts one from a
reference approach, changes a line with a decimal comma, saves, and sees version 2 with its result
beside the ten reference approaches; and the scenario beside a stored report. Screenshots go to
OWN_SCENARIO_SCREENSHOT when set."""

import os
import re

import pytest
from playwright.sync_api import expect

from mkba import services
from mkba.models import OwnScenario
from reports import services as report_services
from tests.browser.conftest import login
from tests.mkba.conftest import PASSWORD, Cohort, mkba_report_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort(reference_data):
    return Cohort()


def test_start_from_a_reference_change_a_line_and_see_the_new_version(browser_page, live_server, cohort):
    page = browser_page
    login(page, live_server, "analist", PASSWORD)
    page.get_by_role("link", name="Rendement").click()
    page.get_by_role("link", name="Eigen scenario's").click()
    expect(page.get_by_role("heading", name="Eigen scenario's (vooraf)")).to_be_visible()

    form = page.locator("#own-scenario-create")
    form.get_by_label("Naam", exact=True).fill("Groepstraining Noord")
    form.get_by_label("Aanpak", exact=True).select_option(label="Jongerenadviseurs + werktraject")
    form.get_by_label("de regels van een referentieaanpak").check()
    form.get_by_label("Referentieaanpak", exact=True).select_option(label="1. Groepstraining (RMC)")
    form.get_by_label("Deelnemers", exact=True).fill("40")
    form.get_by_role("button", name="Maak scenario").click()

    expect(page.get_by_role("heading", name=re.compile("Groepstraining Noord — versie 1"))).to_be_visible()
    # Factsheet 1 as printed: 3,600 / 1,640 = 2.195 -> 2,20.
    expect(page.locator("#ratio-social_ratio .value")).to_have_text("2,20")

    page.get_by_role("link", name="Bewerken (nieuwe versie)").click()
    row = page.locator("#own-scenario-lines tbody tr").filter(
        has=page.locator("select option:checked", has_text="1b. Overige kosten interventie")
    )
    row.locator("input[name$='-amount']").fill("260,50")
    # A benefit of line 2 split over two stakeholders: UWV takes 155 of werk's 255.
    werk = page.locator("#own-scenario-lines tbody tr").filter(
        has=page.locator("select option:checked", has_text="2. Meer aan het werk")
    )
    werk.locator("input[name$='-stakeholder']").fill("gemeente")
    werk.locator("input[name$='-amount']").fill("100")
    extra = page.locator("#own-scenario-lines tbody tr").nth(11)
    extra.locator("select").select_option(label="2. Meer aan het werk")
    extra.locator("input[name$='-stakeholder']").fill("UWV")
    extra.locator("input[name$='-amount']").fill("155")
    extra.locator("input[name$='-low']").fill("77,50")
    extra.locator("input[name$='-high']").fill("232,50")
    if os.environ.get("OWN_SCENARIO_SCREENSHOT"):
        page.screenshot(path=os.environ["OWN_SCENARIO_SCREENSHOT"].replace(".png", "-edit.png"), full_page=True)
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()

    expect(page.get_by_role("heading", name=re.compile("Groepstraining Noord — versie 2"))).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Versie 2 van “Groepstraining Noord” is opgeslagen.")
    # Costs 1,640 + 60.50 = 1,700.50; benefits the rows as entered, 3,601: 3,601 / 1,700.50 = 2.1176.
    expect(page.locator("#ratio-social_ratio .value")).to_have_text("2,12")
    expect(page.locator("#scenario-lines")).to_contain_text("€ 260,50")
    expect(page.locator("#scenario-lines")).to_contain_text("€ 77,50 – € 232,50")
    expect(page.locator("#scenario-versions")).to_contain_text("versie 1")
    comparison = page.locator("#reference-comparison")
    expect(comparison.locator("rect.bar-reference")).to_have_count(10)
    expect(comparison.locator("g.current")).to_contain_text("Groepstraining Noord (versie 2)")
    expect(comparison.locator("g.current")).to_contain_text("2,12")
    expect(page.locator("#uncertainty")).to_contain_text("In 90 van de 100 doorrekeningen")
    if os.environ.get("OWN_SCENARIO_SCREENSHOT"):
        page.screenshot(path=os.environ["OWN_SCENARIO_SCREENSHOT"], full_page=True)

    # Version 1 is still there with its own figures.
    page.locator("#scenario-versions").get_by_role("link", name="versie 1").click()
    expect(page.locator("#ratio-social_ratio .value")).to_have_text("2,20")
    assert OwnScenario.objects.filter(name="Groepstraining Noord").count() == 2


def test_the_scenario_beside_a_stored_report(browser_page, live_server, cohort, monkeypatch):
    monkeypatch.setattr(report_services, "report_enqueue", lambda report_id: None)
    report, _ = mkba_report_request(cohort)
    report_services.report_generate(report_id=report.pk)
    scenario = services.own_scenario_create(
        organisation=cohort.organisation,
        name="Plan jongerenadviseurs",
        participants=10,
        approach=cohort.approach,
        lines=[
            {"kind": "cost", "line": "begeleiding", "stakeholder": "gemeente", "amount": "1000"},
            {"kind": "benefit", "line": "werk", "stakeholder": "gemeente", "amount": "3000"},
        ],
    )
    page = browser_page
    login(page, live_server, "analist", PASSWORD)
    page.goto(f"{live_server.url}/rendement/eigen-scenarios/{scenario.pk}/")
    expect(page.locator("#no-ranges")).to_contain_text("Geen enkele regel heeft een onder- en bovengrens")
    page.get_by_role("link", name="Vergelijk met een rapport achteraf").click()
    expect(page.get_by_role("heading", name=re.compile("Vooraf en achteraf"))).to_be_visible()
    lines = page.locator("#comparison-lines")
    # Begeleiding: 1,000 before; after 5.25 h x 60 = 315 over 4 participants = 78.75 -> € 79.
    expect(lines.locator("tr", has_text="1a. Kosten begeleiding")).to_contain_text("€ 1.000")
    expect(lines.locator("tr", has_text="1a. Kosten begeleiding")).to_contain_text("€ 79")
    expect(page.locator("#comparison")).to_contain_text("Vooraf gepland: 10 deelnemers; achteraf in het cohort: 4.")
    expect(page.locator("#id_rapport")).to_contain_text("1 januari 2024 t/m 30 juni 2024")
    if os.environ.get("OWN_SCENARIO_SCREENSHOT"):
        page.screenshot(path=os.environ["OWN_SCENARIO_SCREENSHOT"].replace(".png", "-compare.png"), full_page=True)
