"""A stored report in a real browser, made by a real worker: an analyst asks for an MKBA report,
watches the progress bar follow the job, the report opens by itself, and the PDF downloads.

The job runs in a separately started Celery worker (tests/celery_worker.py) on the live server's
PostgreSQL test database, through Redis: the page's request goes the production way (the view's
service sends the job after its commit). So this test needs the browser and the services, and
carries both markers. ``CASELOAD_REPORT_STEP_DELAY`` slows the job's steps so the bar visibly moves.
"""

import re
import time
import uuid

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from reports.models import Report
from tests.browser.conftest import login
from tests.celery_worker import running_worker
from tests.mkba.conftest import PASSWORD, Cohort

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort(reference_data):
    return Cohort()


def progress_value(page) -> int | None:
    """The progress bar's value now, or None while there is none (or the page is navigating)."""
    try:
        value = page.evaluate("document.querySelector('#report-progress-bar')?.getAttribute('value') ?? null")
    except PlaywrightError:
        return None
    return None if value is None else int(value)


def test_analyst_starts_a_report_follows_its_progress_opens_it_and_downloads_the_pdf(
    browser_page, live_server, cohort, settings, tmp_path
):
    queue = f"test-browser-{uuid.uuid4().hex[:8]}"
    settings.CASELOAD_REPORT_QUEUE = queue  # the live server sends the job to this test's worker
    with running_worker(tmp_path, queue=queue, environment={"CASELOAD_REPORT_STEP_DELAY": "0.8"}) as worker:
        page = browser_page
        login(page, live_server, "analist", PASSWORD)
        page.get_by_role("link", name="Rendement").click()
        page.get_by_role("link", name="Opgeslagen rapporten").click()
        expect(page.get_by_role("heading", name="Rapporten", exact=True)).to_be_visible()

        page.get_by_label("Aanpak").select_option(label="Jongerenadviseurs + werktraject")
        page.get_by_label("Cohort: gestart vanaf").fill("2024-01-01")
        page.get_by_label("tot (exclusief)").fill("2024-07-01")
        page.get_by_label("Meetdatum").fill("2024-12-31")
        page.get_by_label("Kengetallen", exact=True).select_option(value=str(cohort.parameter_set.pk))
        page.get_by_role("button", name="Rapport maken").click()

        page.wait_for_url(re.compile(r"/rendement/rapporten/\d+/$"))
        report = Report.objects.get()
        expect(page.locator("#report-progress-bar")).to_be_visible()

        seen: list[int] = []
        deadline = time.monotonic() + 60
        while not page.locator("#report-downloads").is_visible():
            assert time.monotonic() < deadline, f"the report did not open\n{worker.log()}"
            value = progress_value(page)
            if value is not None and (not seen or seen[-1] != value):
                seen.append(value)
            page.wait_for_timeout(150)

        # The bar followed the job: it showed several steps between start and end, in order.
        steps = [value for value in seen if 0 < value < 100]
        assert len(steps) >= 2, seen
        assert steps == sorted(steps), seen
        assert page.url == f"{live_server.url}/rendement/rapporten/{report.pk}/"

        expect(page.locator("#ratio-social_ratio .value")).to_have_text("2,15")
        expect(page.locator("#costs")).to_contain_text("€ 4.715")
        expect(page.locator("#reference-comparison rect.bar-reference")).to_have_count(10)

        with page.expect_download() as download_info:
            page.locator("#download-pdf").click()
        download = download_info.value
        assert download.suggested_filename.startswith(f"rapport-{report.pk}-") and download.suggested_filename.endswith(
            ".pdf"
        )
        with open(download.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"

    report.refresh_from_db()
    assert (report.status, report.worker_hostname, report.made_by) == (
        Report.Status.DONE,
        worker.nodename,
        "demand:analist",
    )
