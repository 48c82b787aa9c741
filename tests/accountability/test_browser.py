"""The accountability pages in a real browser (Chromium): an analyst goes from the menu to the
monitor, then to each figure, and downloads the einddeclaratie. Data: "Telstad" (conftest.py)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"
QUERY = "?date_from=2025-01-01&date_to=2026-01-01&measured_at=2026-06-01"


def test_an_analyst_reads_the_accountability_pages(browser_page, live_server, telstad, reference_data):
    page = browser_page
    login(page, live_server, "analist", PASSWORD)
    page.get_by_role("link", name="Verantwoording").click()
    expect(page.get_by_role("heading", name="Monitor: input, doorstroom, output en effect")).to_be_visible()

    page.goto(f"{live_server.url}/monitor/{QUERY}&approach={telstad.approach.pk}")
    expect(page.locator("#monitor-output")).to_contain_text("66,7%")
    expect(page.locator("#monitor-output svg")).to_have_count(1)

    page.goto(f"{live_server.url}/verantwoording/resultaten/{QUERY}")
    table = page.locator("#result-indicators table")
    expect(table).to_contain_text("66,7% (2 van 3)")
    expect(table).to_contain_text("voorlopig")
    expect(page.locator("#breakdown-team")).to_contain_text("< 10")

    page.goto(f"{live_server.url}/verantwoording/vcv/?date_from=2025-01-01&date_to=2026-01-01")
    expect(page.locator("#vcv")).to_contain_text("€ 58.660,27")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV (einddeclaratie)").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "totaal;;;2,552;199060,27;4;3;0,750;167860,27;0,00;167860,27" in text

    page.goto(f"{live_server.url}/verantwoording/eerste-contact/{QUERY}")
    expect(page.locator("#first-contact")).to_contain_text("DUO/RMC-melding")

    page.goto(f"{live_server.url}/verantwoording/werkzame-elementen/{QUERY}")
    expect(page.locator("#working-elements")).to_contain_text("Vaste begeleider")
