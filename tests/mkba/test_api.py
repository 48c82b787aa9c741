"""MKBA endpoints (SPEC §6): status, permissions (anonymous, worker, other team, other
organisation, allowed), response shape, and 400s with nothing written."""

import json

import pytest
from rest_framework.test import APIClient

from cases.models import Approach
from core.models import AuditLogEntry
from mkba.models import DEFAULT_PARAMETER_SET_NAME, ParameterSet
from tests.mkba.factories import parameters_data

pytestmark = pytest.mark.django_db

CONTRACT_KEYS = [
    "approach",
    "cohort",
    "participants",
    "parameter_set",
    "costs",
    "benefits",
    "total_costs",
    "total_benefits",
    "balance",
    "per_participant",
    "social_ratio",
    "financial_ratio",
    "municipal_ratio",
    "stakeholders",
    "effects",
    "break_even_effect",
    "sensitivity",
]


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def preview(cohort, **changes):
    body = {
        "approach": cohort.approach.pk,
        "from": "2024-01-01",
        "to": "2024-07-01",
        "measured_at": "2024-12-31",
        "parameter_set": cohort.parameter_set.pk,
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


# --- Preview (synchronous report) ---------------------------------------------------------------


def test_preview_returns_the_contract_json(cohort):
    response = client_for(cohort.analyst).post("/api/v1/mkba/preview/", preview(cohort), format="json")
    assert response.status_code == 200
    output = response.json()
    assert list(output)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert output["parameter_set"] == {"name": "Testkengetallen", "version": 1}
    assert output["total_costs"] == 4715  # see test_report_end_to_end.py
    assert output["social_ratio"] == 2.15
    assert len(output["reference_comparison"]) == 10


def test_preview_permissions(cohort):
    assert client_for().post("/api/v1/mkba/preview/", preview(cohort), format="json").status_code == 403
    assert (
        client_for(cohort.worker_user).post("/api/v1/mkba/preview/", preview(cohort), format="json").status_code == 403
    )
    for user in (cohort.analyst, cohort.admin, cohort.lead):
        assert client_for(user).post("/api/v1/mkba/preview/", preview(cohort), format="json").status_code == 200


def test_preview_names_the_approach_by_name_as_the_command_line_does(cohort):
    from tests.factories import ApproachFactory

    url = "/api/v1/mkba/preview/"
    name = f"  {cohort.approach.name.upper()} "  # case and surrounding spaces do not matter
    response = client_for(cohort.analyst).post(url, preview(cohort, approach=name), format="json")
    assert response.status_code == 200
    assert response.json()["approach"] == cohort.approach.name
    # Another organisation's approach of the same name is not visible, so the name stays unique...
    ApproachFactory(organisation=cohort.foreign_organisation, name=cohort.approach.name)
    assert client_for(cohort.analyst).post(url, preview(cohort, approach=name), format="json").status_code == 200
    # ...but one in the user's own organisation that differs only in case makes it ambiguous.
    twin = ApproachFactory(organisation=cohort.approach.organisation, name=cohort.approach.name.upper())
    response = client_for(cohort.analyst).post(url, preview(cohort, approach=name), format="json")
    assert response.status_code == 400
    assert response.json()["approach"] == [
        f"Deze naam is niet eenduidig; geef het id ({cohort.approach.pk}, {twin.pk})."
    ]


def test_preview_of_another_organisations_approach_is_refused(cohort):
    response = client_for(cohort.foreign_analyst).post("/api/v1/mkba/preview/", preview(cohort), format="json")
    assert response.status_code == 400
    assert "approach" in response.json()
    assert "total_costs" not in response.json()


def test_preview_with_another_organisations_set_is_refused(cohort):
    body = preview(cohort, parameter_set=cohort.foreign_set.pk)
    response = client_for(cohort.analyst).post("/api/v1/mkba/preview/", body, format="json")
    assert response.status_code == 400
    assert "parameter_set" in response.json()


def test_team_lead_may_narrow_to_their_own_team_only(cohort):
    lead = client_for(cohort.lead)
    own = lead.post("/api/v1/mkba/preview/", preview(cohort, team=cohort.team.pk), format="json")
    assert own.status_code == 200
    assert own.json()["participants"] == 2
    other = lead.post("/api/v1/mkba/preview/", preview(cohort, team=cohort.other_team.pk), format="json")
    assert other.status_code == 400
    assert "team" in other.json()
    # an analyst may narrow to any team of the organisation
    analyst = client_for(cohort.analyst).post(
        "/api/v1/mkba/preview/", preview(cohort, team=cohort.other_team.pk), format="json"
    )
    assert analyst.status_code == 200
    assert analyst.json()["participants"] == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"to": "2023-01-01"}, "to"), ({"from": "gisteren"}, "from"), ({"measured_at": "2023-06-01"}, "measured_at")],
)
def test_preview_bad_dates(cohort, changes, field):
    response = client_for(cohort.analyst).post("/api/v1/mkba/preview/", preview(cohort, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()


# --- Scenario and reference approaches -------------------------------------------------------------


def test_scenario_asks_what_the_rendement_page_asks(cohort):
    # A worker sees no MKBA figures on the page (core.access SEE_AGGREGATES): nor through the API.
    response = client_for(cohort.worker_user).post("/api/v1/mkba/scenario/", {"reference": 4}, format="json")
    assert response.status_code == 403


def test_scenario_is_the_same_json_as_the_command(cohort):
    response = client_for(cohort.analyst).post(
        "/api/v1/mkba/scenario/", {"reference": 4, "participants": 264}, format="json"
    )
    assert response.status_code == 200
    output = response.json()
    assert list(output)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert (output["total_costs"], output["total_benefits"], output["balance"]) == (792000, 2917200, 2125200)
    assert output["social_ratio"] == 3.68


def test_scenario_refuses_a_reference_outside_1_to_10(cohort):
    client = client_for(cohort.analyst)
    for reference in (0, 11):
        response = client.post("/api/v1/mkba/scenario/", {"reference": reference}, format="json")
        assert response.status_code == 400
        assert "reference" in response.json()
    assert client_for().post("/api/v1/mkba/scenario/", {"reference": 1}, format="json").status_code == 403


def test_reference_approaches_are_readable(cohort):
    response = client_for(cohort.worker_user).get("/api/v1/reference-approaches/")
    assert response.status_code == 200
    assert [item["number"] for item in response.json()] == list(range(1, 11))
    fourth = client_for(cohort.analyst).get("/api/v1/reference-approaches/4/").json()
    assert fourth["name"] == "Jongerenadviseurs + werktraject (W&I)"
    assert fourth["total_costs"] == "3000.00"
    assert client_for().get("/api/v1/reference-approaches/").status_code == 403


# --- Parameter sets --------------------------------------------------------------------------------


def test_parameter_set_list_is_own_plus_shared(cohort):
    response = client_for(cohort.analyst).get("/api/v1/parameter-sets/")
    assert response.status_code == 200
    names = {item["name"] for item in response.json()["results"]}
    assert names == {"Testkengetallen", DEFAULT_PARAMETER_SET_NAME}
    foreign = client_for(cohort.foreign_analyst).get("/api/v1/parameter-sets/").json()["results"]
    assert {item["name"] for item in foreign} == {"Elders-set", DEFAULT_PARAMETER_SET_NAME}


def test_parameter_set_permissions(cohort):
    url = f"/api/v1/parameter-sets/{cohort.parameter_set.pk}/"
    assert client_for().get(url).status_code == 403
    assert client_for(cohort.worker_user).get(url).status_code == 403
    assert client_for(cohort.foreign_analyst).get(url).status_code == 404
    assert client_for(cohort.lead).get(url).status_code == 200
    response = client_for(cohort.analyst).get(url)
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["data"]["hourly_rate"] == 60


def test_import_through_the_api(cohort):
    response = client_for(cohort.analyst).post(
        "/api/v1/parameter-sets/",
        {"name": "Via de API", "notes": "Eigen", "data": parameters_data()},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["version"], body["organisation"], body["is_shared"]) == (
        "Via de API",
        1,
        cohort.organisation.pk,
        False,
    )
    assert AuditLogEntry.objects.filter(object_type="parameter_set", object_id=str(body["id"])).exists()


@pytest.mark.parametrize("role_user", ["lead", "worker_user"])
def test_only_admins_and_analysts_write_parameter_sets(cohort, role_user):
    user = getattr(cohort, role_user)
    before = ParameterSet.objects.count()
    client = client_for(user)
    created = client.post("/api/v1/parameter-sets/", {"name": "X", "data": parameters_data()}, format="json")
    versioned = client.post(
        f"/api/v1/parameter-sets/{cohort.parameter_set.pk}/versions/", {"data": parameters_data()}, format="json"
    )
    assert created.status_code == 403
    assert versioned.status_code == 403
    assert ParameterSet.objects.count() == before


def test_a_new_version_through_the_api(cohort):
    client = client_for(cohort.admin)
    response = client.post(
        f"/api/v1/parameter-sets/{cohort.parameter_set.pk}/versions/",
        {"data": parameters_data(hourly_rate=75)},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["version"], response.json()["based_on"]) == (2, cohort.parameter_set.pk)
    cohort.parameter_set.refresh_from_db()
    assert cohort.parameter_set.data["hourly_rate"] == 60


def test_another_organisations_set_cannot_get_a_version(cohort):
    before = ParameterSet.objects.count()
    response = client_for(cohort.foreign_analyst).post(
        f"/api/v1/parameter-sets/{cohort.parameter_set.pk}/versions/", {"data": parameters_data()}, format="json"
    )
    assert response.status_code == 404
    assert ParameterSet.objects.count() == before


def test_invalid_sets_are_a_400_by_json_path_and_nothing_is_written(cohort):
    data = parameters_data(cost_bearers={"begeleiding": {"gemeente": 0.7, "rijk": 0.2}})
    data["outcomes"]["work"]["baseline"] = 1.4
    data["outcomes"]["work"]["streams"][0]["amount"] = -10
    before = ParameterSet.objects.count()
    client = client_for(cohort.analyst)
    for url, body in (
        ("/api/v1/parameter-sets/", {"name": "Fout", "data": data}),
        (f"/api/v1/parameter-sets/{cohort.parameter_set.pk}/versions/", {"data": data}),
    ):
        response = client.post(url, body, format="json")
        assert response.status_code == 400
        errors = response.json()
        assert errors["detail"].startswith("De kengetallen zijn ongeldig (3 fouten)")
        assert errors["$.cost_bearers.begeleiding"] == ["de aandelen tellen op tot 0.9 in plaats van 1"]
        assert errors["$.outcomes.work.baseline"] == [
            "het nulalternatief (baseline) moet tussen 0 en 1 liggen (nu 1.4)"
        ]
        assert errors["$.outcomes.work.streams[0].amount"] == ["mag niet negatief zijn (nu -10)"]
    assert ParameterSet.objects.count() == before


def test_export_is_the_section_6_json(cohort):
    response = client_for(cohort.lead).get(f"/api/v1/parameter-sets/{cohort.parameter_set.pk}/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = response.json()
    assert document == {"name": "Testkengetallen", "version": 1, "notes": "Testset", **parameters_data()}
    again = client_for(cohort.analyst).post(
        "/api/v1/parameter-sets/", {"name": "Testkengetallen", "data": document}, format="json"
    )
    assert again.status_code == 201
    assert again.json()["version"] == 2
    assert again.json()["data"] == parameters_data()


def test_assign_a_set_to_an_approach(cohort):
    url = f"/api/v1/parameter-sets/{cohort.parameter_set.pk}/assign/"
    response = client_for(cohort.analyst).post(url, {"approach": cohort.approach.pk}, format="json")
    assert response.status_code == 200
    assert Approach.objects.get(pk=cohort.approach.pk).parameter_set == cohort.parameter_set
    foreign = client_for(cohort.analyst).post(url, {"approach": cohort.foreign_approach.pk}, format="json")
    assert foreign.status_code == 400
    assert Approach.objects.get(pk=cohort.foreign_approach.pk).parameter_set is None
    assert client_for(cohort.lead).post(url, {"approach": cohort.approach.pk}, format="json").status_code == 403


def test_schema_lists_the_mkba_endpoints(cohort):
    response = client_for(cohort.analyst).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in (
        "/api/v1/mkba/preview/",
        "/api/v1/mkba/scenario/",
        "/api/v1/parameter-sets/{id}/export/",
        "/api/v1/parameter-sets/{id}/versions/",
        "/api/v1/reference-approaches/{number}/",
    ):
        assert path in paths
