"""The accountability commands (SPEC.md 4b, 6): ``--format json`` prints exactly the document and
nothing else; ``vcv --format csv`` the einddeclaratie. Data: "Telstad" (conftest.py)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.accountability import conftest as data

pytestmark = pytest.mark.django_db
PERIOD = ["--from", "2025-01-01", "--to", "2026-01-01"]
MEASURED = [*PERIOD, "--measured-at", "2026-06-01"]


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_result_indicators_json(telstad):
    assert json.loads(run("result_indicators", *MEASURED, "--format", "json")) == data.RESULT_INDICATORS
    by_approach = run("result_indicators", *MEASURED, "--approach", "Jongerenadviseurs", "--format", "json")
    assert json.loads(by_approach) == data.RESULT_INDICATORS


def test_an_unknown_team_and_a_name_two_organisations_use(telstad):
    with pytest.raises(CommandError, match="unknown team"):
        run("result_indicators", *MEASURED, "--team", "Oost")
    # "Noord" is also a team of "Elders": the command asks for the id then.
    with pytest.raises(CommandError, match="several organisations"):
        run("result_indicators", *MEASURED, "--team", "Noord")


def test_result_indicators_of_a_team_by_id(telstad):
    output = run("result_indicators", *MEASURED, "--team", str(telstad.noord.pk), "--format", "json")
    assert json.loads(output) == data.RESULT_INDICATORS_NOORD


def test_result_indicators_table(telstad):
    output = run("result_indicators", *MEASURED)
    assert "work_or_school_12m" in output
    assert "0.667" in output


def test_vcv_json(telstad):
    assert json.loads(run("vcv", *PERIOD, "--format", "json")) == data.VCV


def test_vcv_rule_from_the_command_line(telstad):
    document = json.loads(
        run("vcv", *PERIOD, "--max-age", "23", "--target-group", "Schoolverlaters", "--flat-rate", "--format", "json")
    )
    assert document["rule"] == {"max_age": 23, "target_groups": ["Schoolverlaters"], "flat_rate": True}
    # Only Y2 (22, Schoolverlaters): W-B 1 of 2 = 29,330.14 (58,660.2739 / 2 = 29,330.137) + 40%.
    assert document["workers"][1] == {"worker_id": "W-B", "team": "Noord"} | data.vcv_figures(
        0.752, 58660.27, 2, 1, 0.5, 29330.14, 11732.05, 41062.19
    )


def test_vcv_csv(telstad):
    lines = run("vcv", *PERIOD, "--format", "csv").splitlines()
    assert lines[0] == (
        "Regel;Medewerker;Team;Fte;Personeelskosten;Jongeren;Subsidiabele jongeren;Aandeel subsidiabel;"
        "Toe te rekenen kosten;Opslag 40%;Totaal"
    )
    assert lines[2] == "medewerker;W-B;Noord;0,752;58660,27;2;2;1,000;58660,27;0,00;58660,27"
    assert lines[4] == "medewerker;W-D;Zuid;0,000;0,00;0;0;;0,00;0,00;0,00"
    assert lines[-1] == "totaal;;;2,552;199060,27;4;3;0,750;167860,27;0,00;167860,27"
    assert len(lines) == 1 + 4 + 2 + 1


def test_first_contact_json(telstad):
    assert json.loads(run("first_contact", *MEASURED, "--format", "json")) == data.FIRST_CONTACT


def test_working_elements_json(telstad):
    assert json.loads(run("working_elements", *MEASURED, "--format", "json")) == data.WORKING_ELEMENTS


def test_an_empty_period_is_refused(telstad):
    with pytest.raises(CommandError, match="must be after"):
        run("vcv", "--from", "2025-01-01", "--to", "2025-01-01")
