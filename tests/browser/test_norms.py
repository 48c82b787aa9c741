"""Norms learned from the hours, adopted in a real browser (issue 17, item 1): the beheerder
estimates the norms of January, adopts the estimate with one change (a decimal comma) from
today, and sees it in the list of adopted norms; the calibration of a later window shows it
as the norm in use."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import NormChange
from core.formats import date_text
from core.models import User
from tests.browser.conftest import login
from tests.caseload.test_calibration import kalibratie  # noqa: F401 (a fixture)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def test_the_beheerder_adopts_the_estimate_as_the_norm_from_a_day(browser_page, live_server, kalibratie):  # noqa: F811
    today = timezone.localdate()  # the day the server takes for today
    UserFactory(username="beheer", role=User.Role.ADMIN, organisation=kalibratie["organisation"])
    page = browser_page
    login(page, live_server, "beheer", PASSWORD)
    page.goto(f"{live_server.url}/planning/normen/")
    expect(page.locator("#norm-history")).to_contain_text("Nog geen norm vastgesteld")
    page.get_by_label("Van").fill("2025-01-01")
    page.get_by_label("tot (exclusief)").fill("2025-02-01")
    page.get_by_role("button", name="Schatten").click()
    expect(page.locator("#norm-estimates")).to_contain_text("Schatting uit 2 begeleider-maanden")

    page.get_by_role("link", name="Schatting vaststellen als norm…").click()
    form = page.locator("#norm-adopt-form")
    expect(form.get_by_label("Coaching")).to_have_value("40,0")  # the estimate
    expect(form.get_by_label("Regie")).to_have_value("12,0")
    expect(form.get_by_label("Uitvoering")).to_have_value("40,0")  # no estimate: the norm in use
    expect(form.get_by_label("Bron")).to_have_value(
        "Geschat uit de uren van 1 januari 2025 t/m 31 januari 2025 (2 begeleider-maanden)"
    )
    form.get_by_label("Coaching").fill("45,5")
    form.get_by_label("Geldt vanaf").fill(today.isoformat())  # today or later: the past keeps its own
    if os.environ.get("NORMS_SCREENSHOT"):
        page.screenshot(path=os.environ["NORMS_SCREENSHOT"].replace(".png", "-form.png"), full_page=True)
    page.get_by_role("button", name="Vaststellen").click()

    expect(page.locator(".messages")).to_contain_text(
        f"Norm vastgesteld voor de hele organisatie vanaf {date_text(today)}."
    )
    row = page.locator("#norm-history tr.norm-change")
    expect(row).to_contain_text(date_text(today))
    expect(row).to_contain_text("45,5")
    expect(row).to_contain_text("de hele organisatie")
    change = NormChange.objects.get()
    assert (str(change.norm_coaching_hours), change.valid_from) == ("45.5", today)

    # A window that ends after the adoption shows the adopted norm as the one in use.
    page.get_by_label("Van").fill("2025-01-01")
    page.get_by_label("tot (exclusief)").fill((today + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Schatten").click()
    coaching = page.locator("#norm-estimates tr.norm-row", has_text="Coaching")
    expect(coaching.locator("td").nth(1)).to_have_text("45,5")
    if os.environ.get("NORMS_SCREENSHOT"):
        page.screenshot(path=os.environ["NORMS_SCREENSHOT"], full_page=True)
