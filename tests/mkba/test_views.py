"""The Dutch MKBA pages: /rendement/ (cohort and scenario) and /kengetallen/ (list, view, edit as
a new version with clear messages, import, export, assign)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Approach
from mkba.models import DEFAULT_PARAMETER_SET_NAME, ParameterSet
from tests.mkba.factories import parameters_data

pytestmark = pytest.mark.django_db

REPORT_QUERY = {
    "modus": "cohort",
    "date_from": "2024-01-01",
    "date_to": "2024-07-01",
    "measured_at": "2024-12-31",
}


@pytest.fixture
def analyst_client(client, cohort):
    client.force_login(cohort.analyst)
    return client


def test_pages_need_a_login(client, cohort):
    for url in ("/rendement/", "/kengetallen/", f"/kengetallen/{cohort.parameter_set.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/inloggen/" in response["Location"]


def test_workers_do_not_see_mkba_pages(client, cohort):
    client.force_login(cohort.worker_user)
    assert client.get("/rendement/").status_code == 403
    assert client.get("/kengetallen/").status_code == 403


def test_report_page_shows_the_result_as_in_the_study(analyst_client, cohort):
    query = {**REPORT_QUERY, "approach": cohort.approach.pk, "parameter_set": cohort.parameter_set.pk}
    response = analyst_client.get("/rendement/", query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1a. Kosten begeleiding" in page
    assert "1c. Kosten loon en vergoedingen" in page
    assert "2. Meer aan het werk" in page
    assert "€ 4.715" in page  # total costs (see test_report_end_to_end.py)
    assert "€ 1.179" in page  # per participant
    assert "€ 5.445" in page  # saldo
    assert "Maatschappelijke KB-verhouding" in page and "2,15" in page
    assert "Financiële KB-verhouding" in page and "1,95" in page
    assert "Gemeentelijke KB-verhouding" in page and "2,39" in page
    assert "Bij een netto-effect van 8,1% op werk is de MKBA-verhouding 1." in page
    assert "-8,0%" in page  # the negative net effect on school
    assert "Vergelijking met de tien referentieaanpakken" in page
    assert "Jongerenadviseurs + werktraject (W&amp;I)" in page
    assert page.count('class="bar-reference"') == 10 and page.count('class="bar-current"') == 1
    assert "<svg" in page and "bar-costs" in page
    assert "Testkengetallen — versie 1" in page
    # Issue 17: the spread of the ratio in one sentence and a chart, and who can pay.
    result = response.context["result"]
    figures = result["output"]["uncertainty"]
    assert "Onzekerheid" in page and "In 90 van de 100 doorrekeningen" in page
    assert result["uncertainty"]["p5"] in page and result["uncertainty"]["p95"] in page
    assert page.count('class="bar-uncertainty"') == 1 and figures["runs"] == 2000
    assert "Wie kan betalen?" in page and "Kan dragen tot" in page
    assert len(result["payer_rows"]) == len(result["output"]["break_even_contribution"])


def test_report_page_gives_the_reason_for_a_missing_ratio(analyst_client, cohort):
    query = {
        **REPORT_QUERY,
        "approach": cohort.approach.pk,
        "date_from": "2030-01-01",
        "date_to": "2030-02-01",
        "measured_at": "2030-03-01",
    }
    page = analyst_client.get("/rendement/", query).content.decode()
    assert "Niet te berekenen: de totale kosten zijn 0, dus er is geen noemer" in page
    assert "het cohort heeft geen deelnemers (N = 0)" in page


def test_report_page_with_the_default_set_is_marked_indicative(analyst_client, cohort):
    page = analyst_client.get("/rendement/", {**REPORT_QUERY, "approach": cohort.approach.pk}).content.decode()
    assert DEFAULT_PARAMETER_SET_NAME in page
    assert "Deze kengetallen zijn indicatief" in page


def test_report_page_form_errors(analyst_client, cohort):
    query = {**REPORT_QUERY, "approach": cohort.approach.pk, "date_to": "2023-01-01"}
    response = analyst_client.get("/rendement/", query)
    assert response.status_code == 200
    assert "Moet na de begindatum liggen" in response.content.decode()
    assert 'id="mkba-result"' not in response.content.decode()
    foreign = analyst_client.get("/rendement/", {**REPORT_QUERY, "approach": cohort.foreign_approach.pk})
    assert 'id="mkba-result"' not in foreign.content.decode()


def test_report_page_in_scenario_mode(analyst_client):
    page = analyst_client.get(
        "/rendement/", {"modus": "scenario", "reference": 4, "participants": 264}
    ).content.decode()
    assert "€ 792.000" in page and "€ 3.000" in page
    assert "3,68" in page
    assert "scenariomodus: de verdeling van de baten over belanghebbenden is niet bekend" in page


def test_parameter_set_list_and_detail(analyst_client, cohort):
    page = analyst_client.get("/kengetallen/").content.decode()
    assert "Testkengetallen" in page and DEFAULT_PARAMETER_SET_NAME in page
    assert "Elders-set" not in page
    default = ParameterSet.objects.get(organisation=None, name=DEFAULT_PARAMETER_SET_NAME)
    detail = analyst_client.get(f"/kengetallen/{default.pk}/").content.decode()
    assert "indicatief" in detail
    assert "Werkwijze" in detail  # the notes on how the values were derived
    assert "€ 22.823" in detail  # 4770 a year over years 0-4 at 2.25%: 4770 x 4.78474
    assert analyst_client.get(f"/kengetallen/{cohort.foreign_set.pk}/").status_code == 404


def edit_form(parameter_set, **changes):
    data = dict(parameter_set.data)
    form = {
        "hourly_rate": data["hourly_rate"],
        "productive_hours_per_fte": data["productive_hours_per_fte"],
        "discount_rate": data["discount_rate"],
        "cost_basis": data["cost_basis"],
        "main_outcome": data["main_outcome"],
        "notes": "Nieuwe versie",
        "document": json.dumps(data),
    }
    form.update(changes)
    return form


def test_editing_makes_a_new_version(analyst_client, cohort):
    assert analyst_client.get(f"/kengetallen/{cohort.parameter_set.pk}/bewerken/").status_code == 200
    response = analyst_client.post(
        f"/kengetallen/{cohort.parameter_set.pk}/bewerken/", edit_form(cohort.parameter_set, hourly_rate="70")
    )
    new = ParameterSet.objects.get(organisation=cohort.organisation, name="Testkengetallen", version=2)
    assert response.status_code == 302 and response["Location"] == f"/kengetallen/{new.pk}/"
    assert new.data["hourly_rate"] == 70
    assert new.notes == "Nieuwe versie"
    cohort.parameter_set.refresh_from_db()
    assert cohort.parameter_set.data["hourly_rate"] == 60


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: data["cost_bearers"].update({"extra_zorg": {"gemeente": 0.5, "zorgverzekeraar": 0.3}}),
            "<code>$.cost_bearers.extra_zorg</code>: de aandelen tellen op tot 0.8 in plaats van 1",
        ),
        (
            lambda data: data["outcomes"]["work"].update({"baseline": 1.2}),
            "<code>$.outcomes.work.baseline</code>: het nulalternatief (baseline) moet tussen 0 en 1 liggen (nu 1.2)",
        ),
        (
            lambda data: data["outcomes"]["school"]["streams"][0].update({"amount": -500}),
            "<code>$.outcomes.school.streams[0].amount</code>: mag niet negatief zijn (nu -500)",
        ),
    ],
)
def test_invalid_edits_show_a_clear_message_and_write_nothing(analyst_client, cohort, change, message):
    data = parameters_data()
    change(data)
    before = ParameterSet.objects.count()
    response = analyst_client.post(
        f"/kengetallen/{cohort.parameter_set.pk}/bewerken/", edit_form(cohort.parameter_set, document=json.dumps(data))
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ParameterSet.objects.count() == before


def test_a_negative_key_field_shows_at_the_field(analyst_client, cohort):
    response = analyst_client.post(
        f"/kengetallen/{cohort.parameter_set.pk}/bewerken/", edit_form(cohort.parameter_set, hourly_rate="-65")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["hourly_rate"] == ["mag niet negatief zijn (nu -65)"]


def test_broken_json_is_reported_with_line_and_column(analyst_client, cohort):
    response = analyst_client.post(
        f"/kengetallen/{cohort.parameter_set.pk}/bewerken/", edit_form(cohort.parameter_set, document='{"a": 1,\n}')
    )
    assert response.status_code == 400
    assert "Geen geldige JSON: regel 2, kolom 1" in response.content.decode()


def test_team_leads_read_but_do_not_edit(client, cohort):
    client.force_login(cohort.lead)
    assert client.get(f"/kengetallen/{cohort.parameter_set.pk}/").status_code == 200
    assert client.get(f"/kengetallen/{cohort.parameter_set.pk}/bewerken/").status_code == 403
    before = ParameterSet.objects.count()
    response = client.post(f"/kengetallen/{cohort.parameter_set.pk}/bewerken/", edit_form(cohort.parameter_set))
    assert response.status_code == 403
    assert ParameterSet.objects.count() == before


def test_export_and_import(analyst_client, cohort):
    response = analyst_client.get(f"/kengetallen/{cohort.parameter_set.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kengetallen-testkengetallen-v1.json"'
    document = json.loads(response.content)
    assert document["name"] == "Testkengetallen" and document["hourly_rate"] == 60
    upload = SimpleUploadedFile("k.json", response.content, content_type="application/json")
    imported = analyst_client.post("/kengetallen/importeren/", {"file": upload, "name": "Geïmporteerd"})
    new = ParameterSet.objects.get(name="Geïmporteerd")
    assert imported.status_code == 302 and imported["Location"] == f"/kengetallen/{new.pk}/"
    assert (new.version, new.organisation, new.data) == (1, cohort.organisation, cohort.parameter_set.data)


def test_import_of_an_invalid_file_writes_nothing(analyst_client):
    data = parameters_data()
    data["outcomes"]["work"]["baseline"] = 2
    upload = SimpleUploadedFile("k.json", json.dumps(data).encode(), content_type="application/json")
    before = ParameterSet.objects.count()
    response = analyst_client.post("/kengetallen/importeren/", {"file": upload, "name": "Fout"})
    assert response.status_code == 400
    assert "het nulalternatief (baseline) moet tussen 0 en 1 liggen (nu 2)" in response.content.decode()
    assert ParameterSet.objects.count() == before
    nameless = SimpleUploadedFile("k.json", json.dumps(parameters_data()).encode())
    response = analyst_client.post("/kengetallen/importeren/", {"file": nameless})
    assert "Het bestand noemt geen naam" in response.content.decode()
    assert ParameterSet.objects.count() == before


def test_assign_from_the_detail_page(analyst_client, cohort):
    response = analyst_client.post(
        f"/kengetallen/{cohort.parameter_set.pk}/koppelen/", {"approach": cohort.approach.pk}
    )
    assert response.status_code == 302
    assert Approach.objects.get(pk=cohort.approach.pk).parameter_set == cohort.parameter_set
    page = analyst_client.get(f"/kengetallen/{cohort.parameter_set.pk}/").content.decode()
    assert "Jongerenadviseurs + werktraject" in page


def test_report_page_query_count_is_bounded(analyst_client, cohort, django_assert_max_num_queries):
    query = {**REPORT_QUERY, "approach": cohort.approach.pk, "parameter_set": cohort.parameter_set.pk}
    with django_assert_max_num_queries(20):
        assert analyst_client.get("/rendement/", query).status_code == 200


def test_dutch_number_formats_round_half_up():
    from django.utils import translation

    from mkba.presentation import euro, percent, ratio_text

    with translation.override("nl"):
        assert percent(0.29) == "29,0%"  # 0.29 * 100 is 28.999999999999996 in binary
        assert percent(0.0225, 2) == "2,25%"
        assert percent(-0.08) == "-8,0%"
        assert euro(1178.75) == "€ 1.179"
        assert euro(2.5) == "€ 3"  # half up, not to even
        assert euro(-1600) == "€ -1.600"
        assert ratio_text(2.15) == "2,15"
        assert ratio_text(1.5649, 1) == "1,6"


def test_list_counts_only_the_own_approaches_using_a_shared_set(analyst_client, cohort):
    from mkba import selectors, services

    shared = selectors.parameter_set_default(cohort.organisation)
    services.approach_parameter_set_assign(approach=cohort.foreign_approach, parameter_set=shared)
    response = analyst_client.get("/kengetallen/")
    counts = {item.pk: item.approach_count for item in response.context["parameter_sets"]}
    assert counts[shared.pk] == 0
