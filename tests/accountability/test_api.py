"""The accountability endpoints (SPEC.md 4b): status, permissions and the exact documents of the
"Telstad" dataset (tests/accountability/conftest.py, figures worked out by hand there)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.accountability import conftest as data

pytestmark = pytest.mark.django_db

RESULTS = reverse("api-indicators-results")
VCV = reverse("api-vcv")
FIRST_CONTACT = reverse("api-indicators-first-contact")
WORKING_ELEMENTS = reverse("api-indicators-working-elements")
PERIOD = {"from": "2025-01-01", "to": "2026-01-01"}
MEASURED = {**PERIOD, "measured_at": "2026-06-01"}
ENDPOINTS = [(RESULTS, MEASURED), (VCV, PERIOD), (FIRST_CONTACT, MEASURED), (WORKING_ELEMENTS, MEASURED)]


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize(("url", "query"), ENDPOINTS)
def test_anonymous_and_workers_are_refused(api, telstad, url, query):
    assert api.get(url, query).status_code == 403
    api.force_authenticate(telstad.worker_user)
    response = api.get(url, query)
    assert response.status_code == 403
    assert "from" not in response.json()


@pytest.mark.parametrize(("url", "query"), ENDPOINTS)
def test_another_organisations_team_is_not_found(api, telstad, url, query):
    api.force_authenticate(telstad.other_analyst)
    assert api.get(url, {**query, "team": str(telstad.noord.pk)}).status_code == 404


def test_another_organisation_sees_none_of_it(api, telstad):
    api.force_authenticate(telstad.other_analyst)
    document = api.get(RESULTS, MEASURED).json()
    assert document["indicators"]["work_4w"]["ended"] == 0
    assert document["breakdowns"]["team"] == {}
    assert api.get(VCV, PERIOD).json()["workers"] == []
    assert api.get(FIRST_CONTACT, MEASURED).json()["reported"] == 0


def test_a_team_lead_may_not_open_another_team(api, telstad):
    api.force_authenticate(telstad.lead_noord)
    assert api.get(RESULTS, {**MEASURED, "team": "Zuid"}).status_code == 404
    assert api.get(VCV, {**PERIOD, "team": str(telstad.zuid.pk)}).status_code == 404


def test_result_indicators_of_the_organisation(api, telstad):
    api.force_authenticate(telstad.analyst)
    response = api.get(RESULTS, MEASURED)
    assert response.status_code == 200
    assert response.json() == data.RESULT_INDICATORS
    assert list(response.json()) == ["from", "to", "measured_at", "indicators", "breakdowns"]


def test_result_indicators_of_a_team_lead_are_their_teams(api, telstad):
    api.force_authenticate(telstad.lead_noord)
    assert api.get(RESULTS, MEASURED).json() == data.RESULT_INDICATORS_NOORD
    api.force_authenticate(telstad.analyst)
    assert api.get(RESULTS, {**MEASURED, "team": "Noord"}).json() == data.RESULT_INDICATORS_NOORD


def test_result_indicators_by_approach(api, telstad):
    api.force_authenticate(telstad.analyst)
    assert api.get(RESULTS, {**MEASURED, "approach": "Jongerenadviseurs"}).json() == data.RESULT_INDICATORS
    assert api.get(RESULTS, {**MEASURED, "approach": "Nope"}).status_code == 404


def test_vcv(api, telstad):
    api.force_authenticate(telstad.analyst)
    assert api.get(VCV, PERIOD).json() == data.VCV
    api.force_authenticate(telstad.lead_noord)
    assert api.get(VCV, PERIOD).json() == data.VCV_NOORD


def test_vcv_rule_named_by_the_run(api, telstad):
    """--max-age 23 and the 40% flat rate: Y1 (24 at T1's start) is no longer eligible, so W-A
    has 1 of 2 (39,000.00 + 15,600.00) and the total 3 youths of 4 minus Y1: 2 of 4."""
    api.force_authenticate(telstad.analyst)
    document = api.get(VCV, {**PERIOD, "max_age": "23", "flat_rate": "true"}).json()
    assert document["rule"] == {"max_age": 23, "target_groups": [], "flat_rate": True}
    assert document["workers"][0] == {"worker_id": "W-A", "team": "Noord"} | data.vcv_figures(
        1.0, 78000.0, 2, 1, 0.5, 39000.0, 15600.0, 54600.0
    )
    assert (document["total"]["youths"], document["total"]["eligible_youths"]) == (4, 2)


def test_vcv_rule_of_the_organisation(api, telstad):
    """The organisation ticks "Kwetsbare jongeren": only Y1 is eligible (W-A 1 of 2)."""
    telstad.organisation.target_groups.filter(name="Kwetsbare jongeren").update(vcv_eligible=True)
    api.force_authenticate(telstad.analyst)
    document = api.get(VCV, PERIOD).json()
    assert document["rule"]["target_groups"] == ["Kwetsbare jongeren"]
    assert document["workers"][0]["eligible_youths"] == 1
    assert document["total"]["eligible_youths"] == 1


def test_first_contact(api, telstad):
    api.force_authenticate(telstad.analyst)
    assert api.get(FIRST_CONTACT, MEASURED).json() == data.FIRST_CONTACT
    api.force_authenticate(telstad.lead_noord)
    assert api.get(FIRST_CONTACT, MEASURED).json() == data.FIRST_CONTACT_NOORD


def test_working_elements(api, telstad):
    api.force_authenticate(telstad.analyst)
    assert api.get(WORKING_ELEMENTS, MEASURED).json() == data.WORKING_ELEMENTS


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"from": "2025-01-01"},
        {"from": "2025-13-01", "to": "2026-01-01"},
        {"from": "2026-01-01", "to": "2025-01-01"},
    ],
)
def test_bad_periods_are_400(api, telstad, query):
    api.force_authenticate(telstad.analyst)
    assert api.get(RESULTS, query).status_code == 400


def test_a_number_no_id_can_be_names_nothing(api, telstad):
    api.force_authenticate(telstad.analyst)
    huge = str(2**70)
    assert api.get(RESULTS, {**MEASURED, "team": huge}).status_code == 404
    assert api.get(RESULTS, {**MEASURED, "approach": huge}).status_code == 404
