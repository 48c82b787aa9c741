"""A stored report in a real browser, made by a real worker: an analyst asks for an MKBA report,
watches the progress bar follow the job, the report opens by itself, and the PDF downloads.

The job runs in a separately started Celery worker (tests/celery_worker.py) on the live server's
PostgreSQL test database, through Redis: the page's request goes the production way (the view's
service sends the job after its commit). So this test needs the browser and the services, and
carries both markers. ``CASELOAD_REPORT_STEP_DELAY`` slows the job's steps so the bar visibly moves.

The stored report as a policy officer reads it (issue 15) needs only the browser: the report is made
in the test's process, and its page must look like the Rendement page (chart labels of the same,
sane size) with its metadata in words.
"""

import re
import time
import uuid

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from reports import services
from reports.models import Report
from tests.browser.conftest import login
from tests.celery_worker import running_worker
from tests.mkba.conftest import PASSWORD, Cohort, mkba_report_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


@pytest.mark.integration
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

        form = page.locator("#report-request-form")  # the MKBA form; the accountability one follows it
        form.get_by_label("Aanpak").select_option(label="Jongerenadviseurs + werktraject")
        form.get_by_label("Cohort: gestart vanaf").fill("2024-01-01")
        form.get_by_label("tot (exclusief)").fill("2024-07-01")
        form.get_by_label("Meetdatum").fill("2024-12-31")
        form.get_by_label("Kengetallen", exact=True).select_option(value=str(cohort.parameter_set.pk))
        form.get_by_role("button", name="Rapport maken").click()

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


# The labels of the two MKBA charts: what a reader sees of each stakeholder and reference approach.
CHART_LABELS = "#stakeholders svg text, #reference-comparison svg text"


def label_heights(page) -> list[float]:
    return page.evaluate(
        f"Array.from(document.querySelectorAll('{CHART_LABELS}')).map(t => t.getBoundingClientRect().height)"
    )


def chart_widths(page) -> list[tuple[str | None, float]]:
    """Each MKBA chart's width attribute beside the width it is drawn at."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('#stakeholders svg, #reference-comparison svg'))"
        ".map(s => [s.getAttribute('width'), s.getBoundingClientRect().width])"
    )


def test_a_stored_report_looks_like_the_rendement_page_and_says_who_asked_in_words(
    browser_page, live_server, cohort, monkeypatch, tmp_path
):
    monkeypatch.setattr(services, "report_enqueue", lambda pk: None)  # made here, not by a worker
    report, _created = mkba_report_request(cohort, made_by="schedule:MKBA-rapport per aanpak (per kwartaal)")
    report = services.report_generate(report_id=report.pk)
    Report.objects.filter(pk=report.pk).update(worker_hostname="celery@vm")
    page = browser_page
    login(page, live_server, "analist", PASSWORD)

    page.goto(f"{live_server.url}/rendement/rapporten/{report.pk}/")
    expect(page.locator("#stakeholders svg rect.bar-costs")).to_have_count(3)
    stored = label_heights(page)
    page.screenshot(path=str(tmp_path / "stored-report.png"), full_page=True)
    assert len(stored) > 20
    # Before issue 15 the caseload style sheet stretched the chart to the card's width: 33 px labels.
    assert max(stored) < 20, stored
    assert all(round(drawn) == int(width) for width, drawn in chart_widths(page)), chart_widths(page)

    meta = page.locator("#report-meta")
    expect(page.locator("#report-made-by")).to_have_text(
        "Gemaakt volgens schema 'MKBA-rapport per aanpak (per kwartaal)'"
    )
    expect(meta).not_to_contain_text("schedule:")
    expect(meta).not_to_contain_text("celery@vm")
    expect(meta).to_contain_text("1 januari 2024 t/m 30 juni 2024")
    fingerprint = page.locator("#report-technical code.fingerprint")
    expect(fingerprint).to_be_hidden()
    page.get_by_text("Technische gegevens").click()
    expect(fingerprint).to_have_text(report.fingerprint)

    # The same cohort on the live Rendement page: the same chart, labels of the same size.
    page.goto(
        f"{live_server.url}/rendement/?modus=cohort&approach={cohort.approach.pk}&date_from=2024-01-01"
        f"&date_to=2024-07-01&measured_at=2024-12-31&parameter_set={cohort.parameter_set.pk}"
    )
    expect(page.locator("#ratio-social_ratio .value")).to_have_text("2,15")
    live = label_heights(page)
    assert [round(height) for height in live] == [round(height) for height in stored]


def test_a_report_asked_for_on_the_page_says_who_asked(browser_page, live_server, cohort, monkeypatch):
    monkeypatch.setattr(services, "report_enqueue", lambda pk: None)
    report, _created = mkba_report_request(cohort)  # made_by "demand:analist"
    services.report_generate(report_id=report.pk)
    page = browser_page
    login(page, live_server, "analist", PASSWORD)
    page.goto(f"{live_server.url}/rendement/rapporten/{report.pk}/")
    expect(page.locator("#report-made-by")).to_have_text("Aangevraagd door analist")
    expect(page.locator("#report-meta")).not_to_contain_text("demand:")
