"""The MKBA pages in a real browser: an analyst runs a result on /rendement/ and sees the ratio
beside the ten reference approaches; an invalid parameter edit shows a clear message."""

import json
import re

import pytest
from playwright.sync_api import expect

from mkba.models import ParameterSet
from tests.browser.conftest import login
from tests.mkba.conftest import PASSWORD, Cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort(reference_data):
    return Cohort()


def test_analyst_runs_an_mkba_result_and_sees_the_reference_comparison(browser_page, live_server, cohort):
    page = browser_page
    login(page, live_server, "analist", PASSWORD)
    page.get_by_role("link", name="Rendement").click()
    expect(page.get_by_role("heading", name="Maatschappelijk rendement (MKBA)")).to_be_visible()

    page.get_by_label("Aanpak").select_option(label="Jongerenadviseurs + werktraject")
    page.get_by_label("Cohort: gestart vanaf").fill("2024-01-01")
    page.get_by_label("tot (exclusief)").fill("2024-07-01")
    page.get_by_label("Meetdatum").fill("2024-12-31")
    page.get_by_label("Kengetallen", exact=True).select_option(value=str(cohort.parameter_set.pk))
    page.get_by_role("button", name="Bereken").click()

    social = page.locator("#ratio-social_ratio")
    expect(social).to_contain_text("Maatschappelijke KB-verhouding")
    expect(social.locator(".value")).to_have_text("2,15")
    expect(page.locator("#costs")).to_contain_text("1a. Kosten begeleiding")
    expect(page.locator("#costs")).to_contain_text("€ 4.715")
    expect(page.locator("#break-even")).to_contain_text("Bij een netto-effect van 8,1% op werk is de MKBA-verhouding 1")
    comparison = page.locator("#reference-comparison")
    expect(comparison).to_contain_text("Vergelijking met de tien referentieaanpakken")
    expect(comparison.locator("rect.bar-reference")).to_have_count(10)
    expect(comparison.locator("g.current")).to_contain_text("Jongerenadviseurs + werktraject")
    expect(comparison.locator("g.current")).to_contain_text("2,15")
    expect(comparison).to_contain_text("5. School op maat (ROC)")
    expect(page.locator("#stakeholders svg rect.bar-costs")).to_have_count(3)


def test_an_invalid_parameter_edit_shows_the_message(browser_page, live_server, cohort):
    page = browser_page
    login(page, live_server, "analist", PASSWORD)
    page.goto(f"{live_server.url}/kengetallen/{cohort.parameter_set.pk}/")
    page.get_by_role("link", name="Bewerken (nieuwe versie)").click()

    data = json.loads(page.get_by_label("Kengetallen (JSON, SPEC §6)").input_value())
    data["outcomes"]["work"]["baseline"] = 1.5
    data["cost_bearers"]["extra_zorg"] = {"gemeente": 0.5, "zorgverzekeraar": 0.4}
    page.get_by_label("Kengetallen (JSON, SPEC §6)").fill(json.dumps(data, indent=2))
    page.get_by_label("Uurtarief (euro)").fill("-65")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()

    errors = page.locator("#path-errors")
    expect(errors).to_contain_text(
        "$.outcomes.work.baseline: het nulalternatief (baseline) moet tussen 0 en 1 liggen (nu 1.5)"
    )
    expect(errors).to_contain_text("$.cost_bearers.extra_zorg: de aandelen tellen op tot 0.9 in plaats van 1")
    expect(page.locator("#field-hourly_rate")).to_contain_text("mag niet negatief zijn (nu -65)")
    assert ParameterSet.objects.filter(name="Testkengetallen").count() == 1

    # corrected, it saves as version 2
    data["outcomes"]["work"]["baseline"] = 0.15
    data["cost_bearers"]["extra_zorg"] = {"gemeente": 0.5, "zorgverzekeraar": 0.5}
    page.get_by_label("Kengetallen (JSON, SPEC §6)").fill(json.dumps(data, indent=2))
    page.get_by_label("Uurtarief (euro)").fill("65")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_role("heading", name=re.compile("Testkengetallen — versie 2"))).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Versie 2 van “Testkengetallen” is opgeslagen.")
