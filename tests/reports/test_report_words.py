"""A stored report's page for a policy officer (issue 15): who or what asked for it in words, no
worker hostname, the fingerprint only under "Technische gegevens"; the charts keep their size."""

import pytest

from reports import documents, services
from reports.models import Report
from tests.mkba.conftest import mkba_report_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_jobs(monkeypatch):
    monkeypatch.setattr(services, "report_enqueue", lambda pk: None)


def made(cohort, **changes) -> Report:
    report, _created = mkba_report_request(cohort, **changes)
    report = services.report_generate(report_id=report.pk)
    Report.objects.filter(pk=report.pk).update(worker_hostname="celery@vm")
    return report


@pytest.mark.parametrize(
    ("made_by", "parts"),
    [
        ("demand:analist", ("demand", "analist")),
        ("api:lead", ("api", "lead")),
        ("schedule:MKBA-rapport per aanpak (per kwartaal)", ("schedule", "MKBA-rapport per aanpak (per kwartaal)")),
        ("demo_data", ("demo", "")),
        ("iets anders", ("other", "iets anders")),
        ("demand:", ("other", "demand:")),
    ],
)
def test_made_by_in_parts(made_by, parts):
    assert documents.made_by_parts(made_by) == parts


def test_the_metadata_reads_in_words(client, cohort):
    report = made(cohort)
    client.force_login(cohort.analyst)
    page = client.get(f"/rendement/rapporten/{report.pk}/").content.decode()
    assert "Aangevraagd door analist" in page
    assert "demand:analist" not in page and "celery@vm" not in page
    assert "1 januari 2024 t/m 30 juni 2024" in page  # the period, last day included
    # The fingerprint is only in the folded technical details.
    details = page[page.index('<details class="report-technical"') : page.index("</details>")]
    assert "<summary>Technische gegevens</summary>" in details and report.fingerprint in details
    assert page.count(report.fingerprint) == 1


@pytest.mark.parametrize(
    ("made_by", "words"),
    [
        (
            "schedule:MKBA-rapport per aanpak (per kwartaal)",
            "Gemaakt volgens schema 'MKBA-rapport per aanpak (per kwartaal)'",
        ),
        ("api:analist", "Aangevraagd door analist via een koppeling (API)"),
        ("demo_data", "Voorbeeldrapport, gemaakt bij het laden van de demogegevens"),
    ],
)
def test_every_maker_in_words(client, cohort, made_by, words):
    report = made(cohort, made_by=made_by)
    client.force_login(cohort.analyst)
    page = client.get(f"/rendement/rapporten/{report.pk}/").content.decode()
    assert words in page and made_by not in page.replace(words, "")


def test_the_demo_reports_are_named_as_documents_expects():
    from demo.data import DEMO_REPORTS_MADE_BY

    assert documents.made_by_parts(DEMO_REPORTS_MADE_BY) == ("demo", "")


def test_the_mkba_charts_keep_their_own_size_on_the_stored_page(client, cohort):
    report = made(cohort)
    client.force_login(cohort.analyst)
    page = client.get(f"/rendement/rapporten/{report.pk}/").content.decode()
    # Three MKBA charts (stakeholders, uncertainty, references), each with its own width in its
    # style: the caseload sheet (also on the page for the caseload kinds) stretched every .chart.
    assert page.count('class="chart mkba-chart"') == 3
    assert page.count('style="width:') >= 3


def test_the_mkba_pdf_has_a_summary_page_and_no_page_with_one_lone_chart(cohort, tmp_path):
    from tests.services import pdf_text

    report = made(cohort, made_by="schedule:MKBA-rapport per aanpak (per kwartaal)")
    pages = [page for page in pdf_text(documents.report_pdf(report), tmp_path).split("\f") if page.strip()]
    assert len(pages) == 3, [page[:80] for page in pages]
    summary, stakeholders, comparison = pages
    # Page 1: who asked, the ratios, costs and benefits.
    assert "Gemaakt volgens schema 'MKBA-rapport per aanpak (per kwartaal)'" in summary
    assert "celery@vm" not in summary and "schedule:" not in summary
    assert "Maatschappelijke KB-verhouding" in summary and "Totaal kosten" in summary and "Totaal baten" in summary
    # Page 2: who gains, and the effects.
    assert "Kosten en baten per belanghebbende" in stakeholders and "Effecten" in stakeholders
    # Page 3: break-even and sensitivity beside the comparison, and the fingerprint as a small line.
    assert "Break-even" in comparison and "Gevoeligheid" in comparison
    assert "Vergelijking met de tien referentieaanpakken" in comparison
    assert "pagina 3 van 3" in comparison
    assert report.fingerprint in comparison.replace("\n", "").replace(" ", "")
