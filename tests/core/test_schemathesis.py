"""The OpenAPI schema tells the truth (issue 12): schemathesis runs every operation of /api/v1/
against the app itself, as the team lead of a small organisation, and checks that no request gets a
server error and that every status code, content type and response body is the one the schema
documents, and that what the schema calls invalid is refused.

The schema comes from drf-spectacular's generator (no HTTP round trip, no login needed for it);
the requests go through the WSGI application, on the test database of the run: SQLite by default
(where a huge integer in a filter used to raise OverflowError) and PostgreSQL when DATABASE_URL
points there, as in CI. Examples are bounded and derandomized, so a run is reproducible and stays
well under three minutes on two cores. Throttling is off for the run (it is documented as 429).
"""

import base64
import datetime
from functools import cache
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from core.api.schema import AutoSchema as ErrorDocumentingAutoSchema
from core.models import User
from tests.factories import (
    ApproachFactory,
    FollowUpFactory,
    OrganisationFactory,
    OutcomeFactory,
    PeriodFactory,
    TeamFactory,
    TimeEntryFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

D = datetime.date
PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's
MAX_EXAMPLES = 12

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@cache
def _handler() -> Any:
    return get_wsgi_application()


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """The project's WSGI application, made on the first request (not while collecting tests)."""
    return _handler()(environ, start_response)


schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application


@pytest.fixture
def fuzz_world(
    db: Any, reference_data: Any, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> dict[str, str]:
    """A team lead ("lotte") of one team with two workers, their youths, trajectories, periods,
    outcomes, follow-ups and hours, a second team and a second organisation beside it; the headers
    that log every request in as the team lead (Basic authentication, as the API allows)."""
    # Throttling is documented (429) but would only make the run depend on its own speed.
    monkeypatch.setattr(APIView, "get_throttles", lambda self: [])
    # As Django's test client does: a request's end must not close the test's database connection
    # (on PostgreSQL that ends the test's transaction and every later request answers 500).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    request.addfinalizer(lambda: signals.request_started.connect(close_old_connections))
    request.addfinalizer(lambda: signals.request_finished.connect(close_old_connections))
    org = OrganisationFactory(name="Gemeente Zwolle")
    other_org = OrganisationFactory(name="Gemeente Deventer")
    team = TeamFactory(organisation=org, name="Team Noord")
    other_team = TeamFactory(organisation=org, name="Team Zuid")
    lead = UserFactory(username="lotte", role=User.Role.TEAM_LEAD, organisation=org)
    team.leads.add(lead)
    anna = WorkerFactory(team=team, name="Anna de Boer", external_id="W-ANNA")
    WorkerFactory(team=team, name="Carla Smit", external_id="W-CARLA")
    WorkerFactory(team=other_team, name="Bram Visser", external_id="W-BRAM")
    WorkerFactory(team=TeamFactory(organisation=other_org, name="Team Deventer"), name="Xander", external_id="W-XANDER")
    WorkerFactory(team=team, name="Lotte", external_id="W-LOTTE", user=lead)
    approach = ApproachFactory(organisation=org, name="Jongerenadviseurs")
    for number in range(3):
        youth = YouthFactory(organisation=org, external_id=f"J-A{number}")
        trajectory = TrajectoryFactory(
            external_id=f"T-A{number}", youth=youth, approach=approach, worker=anna, start_date=D(2025, 1, 1)
        )
        PeriodFactory(trajectory=trajectory, start_date=D(2025, 1, 1))
        outcome = OutcomeFactory(trajectory=trajectory, date=D(2025, 6, 1))
        FollowUpFactory(outcome=outcome, months_after=1, due_date=D(2025, 7, 1))
        TimeEntryFactory(worker=anna, trajectory=trajectory, date=D(2025, 3, 3))
    YouthFactory(organisation=org, external_id="J-Q1", reported_on=D(2025, 3, 1))
    YouthFactory(organisation=other_org, external_id="J-X1")
    token = base64.b64encode(f"lotte:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_the_schema_documents(case: schemathesis.Case, fuzz_world: dict[str, str]) -> None:
    assert issubclass(api_settings.DEFAULT_SCHEMA_CLASS, ErrorDocumentingAutoSchema), (
        'REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] must be "core.api.schema.AutoSchema" (documents 400/403/404/429)'
    )
    case.call_and_validate(headers=fuzz_world, checks=CHECKS)
