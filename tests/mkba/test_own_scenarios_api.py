"""The own-scenario endpoints (issue 17, item 6): status, permissions (anonymous, worker, team lead,
other organisation, allowed), response shape, and 400s with nothing written."""

import pytest
from rest_framework.test import APIClient

from mkba import services
from mkba.models import OwnScenario

pytestmark = pytest.mark.django_db

URL = "/api/v1/mkba/own-scenarios/"
ROWS = [
    {"kind": "cost", "line": "begeleiding", "stakeholder": "gemeente", "amount": "1000"},
    {"kind": "benefit", "line": "werk", "stakeholder": "gemeente", "amount": "3000", "low": "1500", "high": "4500"},
]


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def scenario(cohort):
    return services.own_scenario_create(
        organisation=cohort.organisation, name="Werkplaats", participants=10, lines=ROWS, created_by=cohort.analyst
    )


def test_anonymous_and_workers_get_nothing(cohort, scenario):
    assert client_for().get(URL).status_code in (401, 403)
    assert client_for().post(URL, {"name": "x"}, format="json").status_code in (401, 403)
    assert client_for().get(f"{URL}{scenario.pk}/").status_code in (401, 403)
    worker = client_for(cohort.worker_user)
    assert worker.get(URL).status_code == 403
    assert worker.get(f"{URL}{scenario.pk}/").status_code == 403
    assert OwnScenario.objects.count() == 1


def test_another_organisation_sees_no_scenario(cohort, scenario):
    client = client_for(cohort.foreign_analyst)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{scenario.pk}/").status_code == 404
    assert client.post(f"{URL}{scenario.pk}/versions/", {"lines": ROWS}, format="json").status_code == 404
    assert OwnScenario.objects.count() == 1


def test_a_team_lead_reads_but_does_not_write(cohort, scenario):
    client = client_for(cohort.lead)
    assert client.get(f"{URL}{scenario.pk}/").status_code == 200
    assert client.post(URL, {"name": "Van de teamleider"}, format="json").status_code == 403
    assert client.post(f"{URL}{scenario.pk}/versions/", {"lines": ROWS}, format="json").status_code == 403
    assert OwnScenario.objects.count() == 1


def test_retrieve_gives_the_rows_and_the_result(cohort, scenario):
    document = client_for(cohort.analyst).get(f"{URL}{scenario.pk}/").json()
    assert (document["name"], document["version"], document["participants"]) == ("Werkplaats", 1, 10)
    assert document["lines"][1] == {
        "kind": "benefit",
        "line": "werk",
        "stakeholder": "gemeente",
        "amount": "3000.00",
        "low": "1500.00",
        "high": "4500.00",
    }
    result = document["result"]
    assert (result["total_costs"], result["total_benefits"], result["social_ratio"]) == (10000, 30000, 3.0)
    assert len(result["reference_comparison"]) == 10
    # Benefits triangular on [1,500, 4,500] around 3,000 over costs of 1,000: always above 1, median 3.
    assert result["uncertainty"]["probability_above_1"] == 1.0
    assert abs(result["uncertainty"]["social_ratio_p50"] - 3.0) < 0.1
    assert result["uncertainty"]["social_ratio_p5"] < 3.0 < result["uncertainty"]["social_ratio_p95"]


def test_create_with_rows_from_a_reference_and_empty(cohort):
    client = client_for(cohort.analyst)
    response = client.post(
        URL, {"name": "Eigen", "participants": 10, "lines": ROWS, "approach": cohort.approach.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["version"], response.json()["approach"]) == (1, cohort.approach.pk)
    response = client.post(URL, {"name": "Zoals 4", "reference": 4}, format="json")
    assert response.status_code == 201 and response.json()["participants"] == 264
    created = client.get(f"{URL}{response.json()['id']}/").json()["result"]
    assert created["social_ratio"] == 3.68  # factsheet 4: 11,050 / 3,000
    response = client.post(URL, {"name": "Leeg"}, format="json")
    assert response.status_code == 201 and len(response.json()["lines"]) == 11
    assert OwnScenario.objects.filter(organisation=cohort.organisation).count() == 3


def test_create_from_a_cohort(cohort):
    response = client_for(cohort.admin).post(
        URL,
        {
            "name": "Uit het cohort",
            "approach": cohort.approach.pk,
            "cohort": {"from": "2024-01-01", "to": "2024-07-01", "measured_at": "2024-12-31"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["participants"] == 4 and response.json()["source"].startswith("Cohort van")


def test_bad_input_is_a_400_and_writes_nothing(cohort, scenario):
    client = client_for(cohort.analyst)
    bad_row = [{"kind": "cost", "line": "begeleiding", "stakeholder": "gemeente", "amount": "-1"}]
    response = client.post(URL, {"name": "Fout", "lines": bad_row}, format="json")
    assert response.status_code == 400 and "lines[0].amount" in response.json()
    response = client.post(URL, {"name": "Twee", "reference": 1, "lines": ROWS}, format="json")
    assert response.status_code == 400
    response = client.post(URL, {"name": "Elders", "approach": cohort.foreign_approach.pk}, format="json")
    assert response.status_code == 400 and "approach" in response.json()
    response = client.post(URL, {"name": "Werkplaats"}, format="json")  # the name exists
    assert response.status_code == 400
    response = client.post(f"{URL}{scenario.pk}/versions/", {"lines": bad_row}, format="json")
    assert response.status_code == 400
    assert OwnScenario.objects.count() == 1


def test_a_new_version_keeps_the_old_one(cohort, scenario):
    client = client_for(cohort.analyst)
    rows = [ROWS[0], {**ROWS[1], "amount": "2000", "low": None, "high": None}]
    response = client.post(f"{URL}{scenario.pk}/versions/", {"lines": rows, "participants": 5}, format="json")
    assert response.status_code == 201, response.json()
    new = response.json()
    assert (new["version"], new["based_on"], new["participants"]) == (2, scenario.pk, 5)
    assert client.get(f"{URL}{new['id']}/").json()["result"]["social_ratio"] == 2.0  # 2,000 / 1,000
    assert client.get(f"{URL}{scenario.pk}/").json()["result"]["social_ratio"] == 3.0
    assert client.get(URL, {"name": "Werkplaats"}).json()["count"] == 2


def test_filtering_by_another_organisations_approach_tells_nothing(cohort, scenario):
    # The review's finding: a filter on every approach of the database answered 200 for another
    # organisation's approach id and 400 for an id no approach has, so it told which ids exist.
    from tests.factories import ApproachFactory, OrganisationFactory

    elsewhere = ApproachFactory(organisation=OrganisationFactory(name="Elders"))
    analyst = client_for(cohort.analyst)
    for approach in (elsewhere.pk, 987654):
        response = analyst.get(URL, {"approach": approach})
        assert (response.status_code, response.json()["results"]) == (200, [])
