"""The MKBA pages in a real browser: an analyst runs a result on /rendement/ and sees the ratio
beside the ten reference approaches; an invalid parameter edit shows a clear message."""

import json
import re

import pytest
from playwright.sync_api import expect

from mkba.models import DEFAULT_PARAMETER_SET_NAME, ParameterSet
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


def test_a_negative_result_says_why_and_the_kengetallen_page_reads_in_dutch(browser_page, live_server, cohort):
    """Issue 15: measured on the cohort's last start day, no youth has reached school yet: the page
    says why the balance is negative in one sentence; and the default set's explanation names no
    code words."""
    page = browser_page
    login(page, live_server, "analist", PASSWORD)
    page.goto(
        f"{live_server.url}/rendement/?modus=cohort&approach={cohort.approach.pk}&date_from=2024-01-01"
        f"&date_to=2024-07-01&measured_at=2024-06-30&parameter_set={cohort.parameter_set.pk}"
    )
    reason = page.locator("#negative-reason")
    # Nobody reached school by the last start day, against the test set's nulalternatief of 60%.
    expect(reason).to_have_text(
        "De baten (€ 2.160) zijn lager dan de kosten (€ 4.180) omdat het waargenomen aandeel lager is dan in het "
        "nulalternatief (zonder de aanpak) bij school (0,0% tegen 60,0%); daardoor is vooral de batenregel "
        "‘meer startkwalificaties’ negatief. Er is gemeten op de dag van de laatste start in het cohort: "
        "trajecten die dan nog lopen, hebben hun resultaat vaak nog niet."
    )
    expect(page.locator("#balance")).to_have_class(re.compile("negative"))

    default = ParameterSet.objects.get(organisation=None, name=DEFAULT_PARAMETER_SET_NAME)
    page.goto(f"{live_server.url}/kengetallen/{default.pk}/")
    expect(page.get_by_role("heading", name="Toelichting")).to_be_visible()
    text = page.locator("main").inner_text()
    for code in ("kwaliteit_van_leven", "criminaliteit_overlast", "first_year", "'source'"):
        assert code not in text, code
    assert "(vanaf jaar 0, 1 jaar)" in text
