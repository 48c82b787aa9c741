"""The report pages (/rendement/rapporten/) and the report endpoints of the API
(/api/v1/mkba/reports/): who sees what, requesting (202, then 200 for the same key), the progress
partial, the report as a page, PDF and CSV. The jobs are not run by a worker here (see
test_report_tasks_integration.py): the tests call the job's service directly."""

import pytest
from rest_framework.test import APIClient

from core.models import User
from reports import services
from reports.models import Report
from tests.factories import TeamFactory, UserFactory
from tests.mkba.conftest import FROM, MEASURED_AT, mkba_report_request

pytestmark = pytest.mark.django_db

FORM = {"date_from": "2024-01-01", "date_to": "2024-07-01", "measured_at": "2024-12-31"}


@pytest.fixture(autouse=True)
def sent_jobs(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(services, "report_enqueue", sent.append)
    return sent


def report_for(cohort, *, done=True, **changes) -> Report:
    report, _created = mkba_report_request(cohort, **changes)
    if done:
        report = services.report_generate(report_id=report.pk)
    return report


def caseload_report_for(team, *, done=True, month=1) -> Report:
    report, _created = services.report_request(
        kind=Report.Kind.CASELOAD_MONTHLY,
        organisation=team.organisation,
        team=team,
        period_start=FROM.replace(month=month),
        period_end=FROM.replace(month=month + 1),
        made_by="schedule:test",
    )
    return services.report_generate(report_id=report.pk) if done else report


# --- Pages ----------------------------------------------------------------------------------------


def test_report_pages_need_a_login_and_are_not_for_workers(client, cohort):
    report = report_for(cohort, done=False)
    urls = ["/rendement/rapporten/", f"/rendement/rapporten/{report.pk}/", f"/rendement/rapporten/{report.pk}/pdf/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
    client.force_login(cohort.worker_user)
    for url in urls:
        assert client.get(url).status_code == 403


def test_the_list_shows_the_organisations_reports_a_team_lead_only_their_teams(client, cohort):
    approach_report = report_for(cohort, done=False)
    north = caseload_report_for(cohort.team, done=False)
    south = caseload_report_for(cohort.other_team, done=False)
    foreign_team = TeamFactory(organisation=cohort.foreign_organisation)
    foreign = caseload_report_for(foreign_team, done=False)

    client.force_login(cohort.analyst)
    page = client.get("/rendement/rapporten/").content.decode()
    for report in (approach_report, north, south):
        assert f'id="report-{report.pk}"' in page
    assert f'id="report-{foreign.pk}"' not in page
    # Who asked and the period in words: the last day, not the exclusive end; no stored code.
    row = page[page.index(f'id="report-{north.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Gemaakt volgens schema" in row and "schedule:test" not in page, row
    assert f"{north.period_start.day} " in page and " t/m " in page

    client.force_login(cohort.lead)  # leads Noord
    page = client.get("/rendement/rapporten/").content.decode()
    assert f'id="report-{approach_report.pk}"' in page and f'id="report-{north.pk}"' in page
    assert f'id="report-{south.pk}"' not in page
    assert client.get(f"/rendement/rapporten/{south.pk}/").status_code == 404

    client.force_login(cohort.foreign_analyst)
    assert client.get(f"/rendement/rapporten/{north.pk}/").status_code == 404


def test_the_list_page_makes_a_bounded_number_of_queries(client, cohort, django_assert_max_num_queries):
    for day in range(1, 21):
        report_for(cohort, done=False, measured_at=MEASURED_AT.replace(day=day))
    client.force_login(cohort.analyst)
    with django_assert_max_num_queries(12):
        response = client.get("/rendement/rapporten/")
    assert response.content.decode().count('class="status status-pending"') == 20


def test_asking_for_a_report_on_the_page_opens_its_progress(
    client, cohort, sent_jobs, django_capture_on_commit_callbacks
):
    client.force_login(cohort.analyst)
    form = {**FORM, "approach": cohort.approach.pk, "parameter_set": cohort.parameter_set.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/rendement/rapporten/", form)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rendement/rapporten/{report.pk}/"
    assert sent_jobs == [report.pk]
    assert (report.kind, report.made_by, report.requested_by) == (
        Report.Kind.MKBA_ON_DEMAND,
        "demand:analist",
        cohort.analyst,
    )

    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="/rendement/rapporten/{report.pk}/voortgang/"' in page
    assert 'hx-trigger="every 1s"' in page
    assert '<progress id="report-progress-bar" max="100" value="0"' in page

    # The same again: the same report, no second job.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/rendement/rapporten/", form)
    assert again["Location"] == response["Location"]
    assert Report.objects.count() == 1 and sent_jobs == [report.pk]


def test_a_bad_request_on_the_page_shows_the_errors_and_stores_nothing(client, cohort):
    client.force_login(cohort.analyst)
    response = client.post("/rendement/rapporten/", {**FORM, "approach": cohort.foreign_approach.pk})
    assert response.status_code == 400
    response = client.post("/rendement/rapporten/", {**FORM, "approach": cohort.approach.pk, "date_to": "2023-01-01"})
    assert response.status_code == 400
    assert "Moet na de begindatum liggen" in response.content.decode()
    assert Report.objects.count() == 0


def test_the_progress_partial_follows_the_job_and_opens_the_report_when_done(client, cohort):
    report = report_for(cohort, done=False)
    client.force_login(cohort.analyst)
    url = f"/rendement/rapporten/{report.pk}/voortgang/"

    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, progress=45, progress_text="Berekenen")
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "HX-Redirect" not in partial
    text = partial.content.decode()
    assert 'value="45"' in text and "Berekenen" in text and 'hx-trigger="every 1s"' in text

    services.report_generate(report_id=report.pk)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Redirect"] == f"/rendement/rapporten/{report.pk}/"


def test_a_failed_report_shows_its_error(client, cohort):
    report = report_for(cohort, done=False)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, error="De database was weg.", attempts=6)
    client.force_login(cohort.analyst)
    page = client.get(f"/rendement/rapporten/{report.pk}/").content.decode()
    assert "Het rapport is mislukt" in page and "De database was weg." in page and "6 pogingen" in page


def test_a_done_mkba_report_reads_as_the_rendement_page_with_downloads(client, cohort):
    report = report_for(cohort)
    client.force_login(cohort.lead)
    page = client.get(f"/rendement/rapporten/{report.pk}/").content.decode()
    assert "Maatschappelijke KB-verhouding" in page and "2,15" in page and "€ 4.715" in page
    assert page.count('class="bar-reference"') == 10 and page.count('class="bar-current"') == 1
    assert report.fingerprint in page
    assert f'href="/rendement/rapporten/{report.pk}/pdf/"' in page
    assert f'href="/rendement/rapporten/{report.pk}/csv/"' in page
    assert 'id="report-progress"' not in page

    pdf = client.get(f"/rendement/rapporten/{report.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith(f'attachment; filename="rapport-{report.pk}-')

    csv = client.get(f"/rendement/rapporten/{report.pk}/csv/")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.decode().startswith("section,key,value\nreport,approach,Jongerenadviseurs + werktraject\n")

    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = client.get(f"/rendement/rapporten/{report.pk}/xlsx/")
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Alle cijfers"]  # an MKBA report has no sheets of its own
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0].startswith("MKBA-rapport")
    assert rows[2] == ("Onderdeel", "Kenmerk", "Waarde")
    assert rows[3] == ("rapport", "approach", "Jongerenadviseurs + werktraject")
    ratio = next(row for row in rows if row[1] == "social_ratio")
    assert ratio[2] == report.result["social_ratio"]  # a number, not a text


def test_a_caseload_report_page_shows_the_team(client, cohort):
    # Team Noord over February 2024 (see test_reports.py for the whole computation): only Anna
    # Bakker; capacity 0.8 fte x 1200 h x 29 / 365 = 76.3 h; logged 1020 min direct (T1 120, T5
    # 600, T7 300) = 17.0 h, 0 indirect, 240 min overhead = 4.0 h; overhead 4 / 21 = 19%.
    # Bram Smit (0.5 fte) is in Zuid, a team of the same organisation: not on the page.
    report = caseload_report_for(cohort.team, month=2)
    client.force_login(cohort.lead)
    page = client.get(f"/rendement/rapporten/{report.pk}/").content.decode()
    assert "Team Noord: caseload over de periode" in page
    assert "Anna Bakker" in page
    assert "Bram Smit" not in page and cohort.other_worker.external_id not in page
    assert "Zuid" not in page
    assert page.count('class="worker-load"') == 1
    assert page.count('class="worker-row"') == 1
    assert f'data-worker="{cohort.worker.external_id}"' in page
    assert "verwachte uren van 76,3 beschikbaar (0,800 fte)" in page
    assert page.count("17,0 · 0,0 · 4,0") == 2  # Anna's row and the team's
    assert page.count('<td class="num">19%</td>') == 2


def test_downloads_of_a_report_that_is_not_done_are_not_found(client, cohort):
    report = report_for(cohort, done=False)
    client.force_login(cohort.analyst)
    assert client.get(f"/rendement/rapporten/{report.pk}/pdf/").status_code == 404
    assert client.get(f"/rendement/rapporten/{report.pk}/csv/").status_code == 404
    assert client.get(f"/rendement/rapporten/{report.pk}/xlsx/").status_code == 404


def test_the_admin_lists_reports_and_retries_failed_ones(client, cohort, sent_jobs):
    failed = report_for(cohort, done=False)
    Report.objects.filter(pk=failed.pk).update(status=Report.Status.FAILED, error="kapot")
    done = report_for(cohort, measured_at=MEASURED_AT.replace(day=30))
    admin = UserFactory(username="root", is_staff=True, is_superuser=True, organisation=cohort.organisation)
    client.force_login(admin)

    listing = client.get("/beheer/mkba/report/?status__exact=failed")
    assert listing.status_code == 200 and "kapot" in listing.content.decode()
    assert client.get(f"/beheer/mkba/report/{done.pk}/change/").status_code == 200
    assert client.get("/beheer/mkba/report/add/").status_code == 403

    response = client.post(
        "/beheer/mkba/report/", {"action": "retry_failed", "_selected_action": [failed.pk, done.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "1 rapport opnieuw gestart." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Report.Status.PENDING


# --- API ----------------------------------------------------------------------------------------------


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(cohort, **changes):
    data = {
        "approach": cohort.approach.pk,
        "from": "2024-01-01",
        "to": "2024-07-01",
        "measured_at": "2024-12-31",
        "parameter_set": cohort.parameter_set.pk,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_post_starts_a_job_and_the_same_again_returns_it(cohort, sent_jobs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = api(cohort.analyst).post("/api/v1/mkba/reports/", body(cohort), format="json")
    assert first.status_code == 202
    report = Report.objects.get()
    assert first.json() == {
        "id": report.pk,
        "status": "pending",
        "status_url": f"http://testserver/api/v1/mkba/reports/{report.pk}/",
        "created": True,
    }
    assert first["Location"] == first.json()["status_url"]
    assert (report.made_by, sent_jobs) == ("api:analist", [report.pk])

    with django_capture_on_commit_callbacks(execute=True):
        second = api(cohort.admin).post("/api/v1/mkba/reports/", body(cohort), format="json")
    assert second.status_code == 200
    assert second.json()["id"] == report.pk and second.json()["created"] is False
    assert Report.objects.count() == 1 and sent_jobs == [report.pk]


def test_post_names_the_approach_by_name_as_the_command_line_may(cohort, sent_jobs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(cohort.analyst).post(
            "/api/v1/mkba/reports/", body(cohort, approach=cohort.approach.name), format="json"
        )

    assert response.status_code == 202
    assert Report.objects.get().approach == cohort.approach
    unknown = api(cohort.analyst).post(
        "/api/v1/mkba/reports/", body(cohort, approach="Onbekende aanpak"), format="json"
    )
    assert (unknown.status_code, unknown.json()["approach"]) == (400, ["Onbekend of niet zichtbaar voor u."])


def test_post_permissions(cohort):
    assert api().post("/api/v1/mkba/reports/", body(cohort), format="json").status_code in (401, 403)
    assert api(cohort.worker_user).post("/api/v1/mkba/reports/", body(cohort), format="json").status_code == 403
    # Another organisation's approach and a team the lead does not lead are not theirs to ask for.
    foreign = api(cohort.foreign_analyst).post("/api/v1/mkba/reports/", body(cohort), format="json")
    assert foreign.status_code == 400 and "approach" in foreign.json()
    other_team = api(cohort.lead).post("/api/v1/mkba/reports/", body(cohort, team=cohort.other_team.pk), format="json")
    assert other_team.status_code == 400 and "team" in other_team.json()
    bad_period = api(cohort.analyst).post("/api/v1/mkba/reports/", body(cohort, to="2023-01-01"), format="json")
    assert bad_period.status_code == 400
    assert Report.objects.count() == 0
    own_team = api(cohort.lead).post("/api/v1/mkba/reports/", body(cohort, team=cohort.team.pk), format="json")
    assert own_team.status_code == 202


def test_the_status_url_gives_progress_then_the_contract_json(cohort):
    report = report_for(cohort, done=False)
    client = api(cohort.analyst)
    pending = client.get(f"/api/v1/mkba/reports/{report.pk}/").json()
    assert (pending["status"], pending["progress"], pending["result"]) == ("pending", 0, None)
    assert pending["parameter_set"] == {"id": cohort.parameter_set.pk, "name": "Testkengetallen", "version": 1}
    assert pending["period"] == {"from": "2024-01-01", "to": "2024-07-01"}
    assert pending["result_url"] == f"http://testserver/api/v1/mkba/reports/{report.pk}/result/"
    assert client.get(pending["result_url"]).status_code == 404
    assert client.get(pending["pdf_url"]).status_code == 404

    services.report_generate(report_id=report.pk)
    done = client.get(f"/api/v1/mkba/reports/{report.pk}/").json()
    assert done["status"] == "done" and done["progress"] == 100 and done["finished_at"]
    assert len(done["fingerprint"]) == 64
    result = client.get(done["result_url"])
    assert result.status_code == 200
    assert result.json() == done["result"]
    assert result.json()["total_costs"] == 4715 and result.json()["social_ratio"] == 2.15
    pdf = client.get(done["pdf_url"], HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv = client.get(done["csv_url"])
    assert csv.status_code == 200 and csv.content.startswith(b"section,key,value\n")


def test_the_list_is_scoped_and_has_no_results(cohort):
    report_for(cohort, done=False)
    caseload_report_for(cohort.other_team, done=False)
    listed = api(cohort.analyst).get("/api/v1/mkba/reports/").json()
    assert listed["count"] == 2
    assert all("result" not in item for item in listed["results"])
    assert api(cohort.lead).get("/api/v1/mkba/reports/").json()["count"] == 1  # not Zuid's caseload
    assert api(cohort.foreign_analyst).get("/api/v1/mkba/reports/").json()["count"] == 0
    assert api(cohort.worker_user).get("/api/v1/mkba/reports/").status_code == 403


def test_another_organisations_report_is_not_found(cohort):
    report = report_for(cohort)
    client = api(cohort.foreign_analyst)
    for suffix in ("", "result/", "pdf/", "csv/"):
        assert client.get(f"/api/v1/mkba/reports/{report.pk}/{suffix}").status_code == 404
    other_lead = UserFactory(organisation=cohort.organisation, role=User.Role.TEAM_LEAD)
    team_report = report_for(cohort, team=cohort.team)
    assert api(other_lead).get(f"/api/v1/mkba/reports/{team_report.pk}/").status_code == 404
    assert api(other_lead).get(f"/api/v1/mkba/reports/{report.pk}/").status_code == 200  # whole approach
