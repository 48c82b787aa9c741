"""The own-scenario pages (issue 17, item 6): list and new, one version with its result, edit as a
new version with decimal commas, and the comparison with a stored report (the reports app's page)
and its API twin."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mkba import services
from mkba.models import OwnScenario
from reports import services as report_services
from tests.mkba.conftest import mkba_report_request

pytestmark = pytest.mark.django_db

ROWS = [
    {"kind": "cost", "line": "begeleiding", "stakeholder": "gemeente", "amount": "1000"},
    {"kind": "benefit", "line": "werk", "stakeholder": "gemeente", "amount": "3000"},
]


def _formset_data(rows, **extra):
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": str(len(rows)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "participants": "10",
        "approach": "",
        "description": "",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    data.update(extra)
    return data


def test_the_list_offers_the_form_to_analysts_only(client, cohort):
    services.own_scenario_create(organisation=cohort.organisation, name="Werkplaats", participants=10, lines=ROWS)
    client.force_login(cohort.analyst)
    html = client.get("/rendement/eigen-scenarios/").content.decode()
    assert "Werkplaats" in html and "3,00" in html and 'id="own-scenario-create"' in html
    client.force_login(cohort.lead)
    html = client.get("/rendement/eigen-scenarios/").content.decode()
    assert "Werkplaats" in html and 'id="own-scenario-create"' not in html
    assert client.post("/rendement/eigen-scenarios/", {"name": "x", "start": "empty"}).status_code == 403
    assert OwnScenario.objects.count() == 1


def test_create_from_a_reference_and_see_it_beside_the_references(client, cohort):
    client.force_login(cohort.analyst)
    response = client.post(
        "/rendement/eigen-scenarios/", {"name": "Zoals de groepstraining", "start": "reference", "reference": "1"}
    )
    scenario = OwnScenario.objects.get(name="Zoals de groepstraining")
    assert response.status_code == 302 and response["Location"] == f"/rendement/eigen-scenarios/{scenario.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "versie 1" in html and 'id="reference-comparison"' in html
    assert "Zoals de groepstraining (versie 1)" in html  # the bar beside the ten references
    assert "2,20" in html  # 3,600 / 1,640 as printed
    assert "Scenario vooraf met 60 deelnemers" in html


def test_the_create_form_asks_what_a_start_needs(client, cohort):
    client.force_login(cohort.analyst)
    response = client.post("/rendement/eigen-scenarios/", {"name": "Cohort", "start": "cohort"})
    assert response.status_code == 400
    assert "Kies de aanpak van het cohort." in response.content.decode()
    assert not OwnScenario.objects.exists()


def test_edit_with_decimal_commas_makes_a_new_version(client, cohort):
    scenario = services.own_scenario_create(
        organisation=cohort.organisation, name="Werkplaats", participants=10, lines=ROWS
    )
    client.force_login(cohort.analyst)
    assert client.get(f"/rendement/eigen-scenarios/{scenario.pk}/bewerken/").status_code == 200
    rows = [
        {"line": "begeleiding", "stakeholder": "gemeente", "amount": "1.000,00", "low": "", "high": ""},
        {"line": "werk", "stakeholder": "gemeente", "amount": "1500,50", "low": "1000", "high": "2.000,25"},
    ]
    response = client.post(f"/rendement/eigen-scenarios/{scenario.pk}/bewerken/", _formset_data(rows))
    new = OwnScenario.objects.get(name="Werkplaats", version=2)
    assert response.status_code == 302 and response["Location"] == f"/rendement/eigen-scenarios/{new.pk}/"
    assert new.lines[1] == {
        "kind": "benefit",
        "line": "werk",
        "stakeholder": "gemeente",
        "amount": "1500.5",
        "low": "1000",
        "high": "2000.25",
    }
    html = client.get(response["Location"]).content.decode()
    assert "1,50" in html  # 1,500.50 / 1,000 -> 1,50
    assert "€ 1.500" in html or "€ 1.501" in html  # the row per participant, Dutch thousands
    assert OwnScenario.objects.get(pk=scenario.pk).lines == scenario.lines


def test_a_rule_across_rows_lands_on_its_row(client, cohort):
    scenario = services.own_scenario_create(organisation=cohort.organisation, name="W", participants=10, lines=ROWS)
    client.force_login(cohort.analyst)
    rows = [
        {"line": "werk", "stakeholder": "UWV", "amount": "5"},
        {"line": "werk", "stakeholder": "UWV", "amount": "6"},
    ]
    response = client.post(f"/rendement/eigen-scenarios/{scenario.pk}/bewerken/", _formset_data(rows))
    assert response.status_code == 400
    html = response.content.decode()
    row = re.search(r'id="line-1">(.*?)</tr>', html, flags=re.S).group(1)
    assert "Deze post staat al voor deze belanghebbende" in row
    assert OwnScenario.objects.count() == 1


def test_compare_with_a_stored_report_line_by_line(client, cohort, monkeypatch):
    monkeypatch.setattr(report_services, "report_enqueue", lambda report_id: None)
    report, _ = mkba_report_request(cohort)
    report = report_services.report_generate(report_id=report.pk)
    # The cohort report (test_own_scenarios): 4 participants, begeleiding 315 -> 78.75 per participant.
    scenario = services.own_scenario_create(
        organisation=cohort.organisation, name="Plan", participants=10, lines=ROWS, approach=cohort.approach
    )
    client.force_login(cohort.analyst)
    response = client.get(f"/rendement/eigen-scenarios/{scenario.pk}/vergelijken/")
    assert response.status_code == 200
    html = response.content.decode()
    lines = re.search(r'id="comparison-lines">(.*?)</table>', html, flags=re.S).group(1)
    # begeleiding: 1,000 before, 315 / 4 = 78.75 -> 79 after, difference 78.75 - 1,000 = -921.25 -> -921
    assert re.search(r"1a\. Kosten begeleiding</td><td class=\"num\">€ 1\.000</td><td class=\"num\">€ 79</td>", lines)
    assert "-921" in lines or "−921" in lines
    assert client.get(f"/rendement/eigen-scenarios/{scenario.pk}/vergelijken/?rapport=999999").status_code == 404
    # The API twin
    client.force_login(cohort.analyst)
    document = client.get(f"/api/v1/mkba/own-scenarios/{scenario.pk}/compare/").json()
    assert document["report"]["id"] == report.pk
    assert document["costs"][0] == {"key": "begeleiding", "ex_ante": 1000, "ex_post": 79, "difference": -921}
    assert document["participants"] == {"ex_ante": 10, "ex_post": 4}


def test_compare_refuses_other_organisations_and_workers(client, cohort):
    scenario = services.own_scenario_create(
        organisation=cohort.organisation, name="Plan", participants=10, lines=ROWS, approach=cohort.approach
    )
    client.force_login(cohort.foreign_analyst)
    assert client.get(f"/rendement/eigen-scenarios/{scenario.pk}/vergelijken/").status_code == 404
    assert client.get(f"/api/v1/mkba/own-scenarios/{scenario.pk}/compare/").status_code == 404
    client.force_login(cohort.worker_user)
    assert client.get(f"/rendement/eigen-scenarios/{scenario.pk}/vergelijken/").status_code == 403
    assert client.get(f"/api/v1/mkba/own-scenarios/{scenario.pk}/compare/").status_code == 403
    client.logout()
    assert client.get(f"/api/v1/mkba/own-scenarios/{scenario.pk}/compare/").status_code in (401, 403)
    client.force_login(cohort.analyst)
    response = client.get(f"/api/v1/mkba/own-scenarios/{scenario.pk}/compare/")
    assert response.status_code == 400 and "report" in response.json()  # no finished report yet
    html = client.get(f"/rendement/eigen-scenarios/{scenario.pk}/vergelijken/").content.decode()
    assert "Er is nog geen afgerond MKBA-rapport" in html


def test_the_list_makes_the_same_number_of_queries_for_2_and_for_8_scenarios(
    client, cohort, django_assert_max_num_queries
):
    client.force_login(cohort.analyst)

    def make(count):
        for index in range(OwnScenario.objects.count(), count):
            services.own_scenario_create(
                organisation=cohort.organisation,
                name=f"Plan {index}",
                participants=10,
                lines=ROWS,
                approach=cohort.approach,
                created_by=cohort.analyst,
            )

    make(2)
    with CaptureQueriesContext(connection) as two:
        assert client.get("/rendement/eigen-scenarios/").status_code == 200
    make(8)
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert client.get("/rendement/eigen-scenarios/").status_code == 200


def test_saving_unchanged_reference_rows_keeps_the_printed_totals(client, cohort):
    scenario = services.own_scenario_create_from_reference(
        organisation=cohort.organisation, name="Als 8", reference_number=8, participants=5
    )
    client.force_login(cohort.analyst)
    html = client.get(f"/rendement/eigen-scenarios/{scenario.pk}/bewerken/").content.decode()
    rows = []
    for index in range(11):
        line = re.search(rf'name="lines-{index}-line".*?<option value="(\w+)"[^>]*selected', html, flags=re.S)
        amount = re.search(rf'name="lines-{index}-amount" value="([^"]*)"', html)
        stakeholder = re.search(rf'name="lines-{index}-stakeholder" value="([^"]*)"', html)
        rows.append({"line": line.group(1), "stakeholder": stakeholder.group(1), "amount": amount.group(1)})
    data = _formset_data(rows, participants="7")
    assert client.post(f"/rendement/eigen-scenarios/{scenario.pk}/bewerken/", data).status_code == 302
    second = OwnScenario.objects.get(name="Als 8", version=2)
    assert second.participants == 7 and second.printed_totals == scenario.printed_totals != {}


def test_create_from_a_cohort_on_the_page(client, cohort):
    cohort.approach.parameter_set = cohort.parameter_set
    cohort.approach.save(update_fields=["parameter_set"])
    client.force_login(cohort.admin)
    response = client.post(
        "/rendement/eigen-scenarios/",
        {
            "name": "Zoals het cohort",
            "start": "cohort",
            "approach": cohort.approach.pk,
            "date_from": "2024-01-01",
            "date_to": "2024-07-01",
            "measured_at": "2024-12-31",
        },
    )
    scenario = OwnScenario.objects.get(name="Zoals het cohort")
    assert response.status_code == 302 and scenario.participants == 4
    html = client.get(response["Location"]).content.decode()
    # The cohort's ratio (test_own_scenarios): 10,160 / 4,715 -> 2,15; 5.25 h x 60 / 4 = € 78,75.
    assert "2,15" in html and "€ 78,75" in html and "gestart vanuit: Cohort van Jongerenadviseurs" in html
