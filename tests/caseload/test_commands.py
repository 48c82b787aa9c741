"""``manage.py caseload`` and ``manage.py plan_capacity`` (SPEC.md 6).

Data: the "Rekenstad" fixture (tests/caseload/conftest.py); figures worked out by hand there and in
test_selectors.py.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, TeamFactory


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- caseload ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_json_is_exactly_the_document(rekenstad):
    out, err = run("caseload", "--date", "2025-03-01", "--format", "json")
    document = json.loads(out)  # one JSON document and nothing else
    assert err == ""
    assert document["mode"] == "date" and document["date"] == "2025-03-01"
    # All workers of all organisations, sorted by worker_id; teams by name.
    assert [w["worker_id"] for w in document["workers"]] == ["W-1", "W-2", "W-3", "W-9"]
    assert [t["team"] for t in document["teams"]] == ["Noord", "Oost", "Zuid"]
    w1 = document["workers"][0]
    assert (w1["expected_hours"], w1["capacity_hours"], w1["utilisation"]) == (138.0, 120.0, 1.15)
    # w9 (Gemeente Elders): coaching 40 h a year, 1.0 fte = 1200 h: 0.033 -> underload.
    w9 = document["workers"][3]
    assert (w9["expected_hours"], w9["utilisation"], w9["flags"]) == (40.0, 0.033, ["underload"])


@pytest.mark.django_db
def test_period_for_one_team_by_name_or_id(rekenstad):
    by_name = json.loads(
        run("caseload", "--from", "2025-02-01", "--to", "2025-03-01", "--team", "Noord", "--format", "json")[0]
    )
    by_id = json.loads(
        run(
            "caseload",
            "--from",
            "2025-02-01",
            "--to",
            "2025-03-01",
            "--team",
            str(rekenstad.noord.pk),
            "--format",
            "json",
        )[0]
    )
    assert by_name == by_id
    assert [w["worker_id"] for w in by_name["workers"]] == ["W-1", "W-2"]
    assert by_name["teams"][0]["expected_hours"] == 12.4  # 4536 / 365
    assert by_name["teams"][0]["logged_hours"] == {"client_direct": 1.5, "client_indirect": 0.5, "overhead": 2.0}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "api_params"),
    [
        (["--date", "2025-03-01"], {"date": "2025-03-01"}),
        (["--from", "2025-01-01", "--to", "2026-01-01"], {"from": "2025-01-01", "to": "2026-01-01"}),
    ],
)
def test_command_and_api_give_the_same_json(rekenstad, params, api_params):
    # The analyst's scope is the whole organisation Rekenstad, that is team Noord and Zuid.
    client = APIClient()
    client.force_authenticate(rekenstad.analyst)
    for team in ("Noord", "Zuid"):
        command = json.loads(run("caseload", *params, "--team", team, "--format", "json")[0])
        api = client.get("/api/v1/caseload/", {**api_params, "team": team}).json()
        assert command == api
    command_all = json.loads(run("caseload", *params, "--format", "json")[0])
    api_all = client.get("/api/v1/caseload/", api_params).json()
    mine = {"W-1", "W-2", "W-3"}
    assert [w for w in command_all["workers"] if w["worker_id"] in mine] == api_all["workers"]
    assert [t for t in command_all["teams"] if t["team"] in ("Noord", "Zuid")] == api_all["teams"]


@pytest.mark.django_db
def test_table_is_readable(rekenstad):
    out, _ = run("caseload", "--from", "2025-02-01", "--to", "2025-03-01", "--team", "Noord")
    lines = out.splitlines()
    assert lines[0] == "Caseload from 2025-02-01 to 2025-03-01 (exclusive; hours in the period)"
    header = next(line for line in lines if line.startswith("worker"))
    w1 = next(line for line in lines if line.startswith("W-1"))
    assert "expected h" in header and "flags" in header
    assert "12.1" in w1 and "131.7%" in w1 and "overload, overhead, long_in_role" in w1
    team = next(line for line in lines if line.startswith("Noord"))
    assert "22.5%" in team
    # Columns line up: every data line of the workers block is as wide as the header or less.
    assert len({line.index("Noord") for line in lines if line.startswith("W-")}) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --date"),
        (["--from", "2025-01-01"], "give --date"),
        (["--to", "2025-01-01"], "give --date"),
        (["--date", "2025-01-01", "--from", "2025-01-01", "--to", "2025-02-01"], "not both"),
        (["--date", "01-03-2025"], "--date '01-03-2025' is not a date"),
        (["--date", "2025-02-30"], "is not a date"),
        (["--from", "2025-02-01", "--to", "2025-02-01"], "must be after --from"),
        (["--from", "2025-03-01", "--to", "2025-02-01"], "must be after --from"),
        (["--date", "2025-03-01", "--team", "Nergens"], "unknown team 'Nergens'"),
    ],
)
def test_clear_errors(rekenstad, args, message):
    with pytest.raises(CommandError, match=message):
        run("caseload", *args)


@pytest.mark.django_db
def test_ambiguous_team_name(rekenstad):
    TeamFactory(organisation=OrganisationFactory(name="Derde"), name="Noord")
    with pytest.raises(CommandError, match="give its id"):
        run("caseload", "--date", "2025-03-01", "--team", "Noord")


def test_bad_format_is_refused():
    with pytest.raises(CommandError):
        run("caseload", "--date", "2025-03-01", "--format", "xml")


@pytest.mark.django_db
def test_empty_database_gives_an_empty_document():
    assert json.loads(run("caseload", "--date", "2025-03-01", "--format", "json")[0]) == {
        "mode": "date",
        "date": "2025-03-01",
        "workers": [],
        "teams": [],
    }


# --- plan_capacity ----------------------------------------------------------------------------

STUDY = ["--role", "coaching=50x20", "--role", "regie=25x6", "--role", "monitoring=25x4"]


def test_plan_capacity_reproduces_the_study():
    out, _ = run("plan_capacity", *STUDY, "--format", "json")
    assert json.loads(out) == {"total_hours": 1250.0, "youths": 100, "hours_per_youth": 12.5, "fte_needed": 1.042}


def test_plan_capacity_how_many_youths_fit():
    out, _ = run("plan_capacity", *STUDY, "--fte", "3", "--format", "json")
    # 3 fte * 1200 h / 12.5 h = 288 youths a year
    assert json.loads(out) == {
        "total_hours": 1250.0,
        "youths": 100,
        "hours_per_youth": 12.5,
        "fte_needed": 1.042,
        "fte": 3.0,
        "youths_that_fit": 288,
    }


def test_plan_capacity_other_productive_hours():
    out, _ = run("plan_capacity", *STUDY, "--productive-hours", "1000", "--format", "json")
    assert json.loads(out)["fte_needed"] == 1.25  # 1250 / 1000


def test_plan_capacity_table():
    out, _ = run("plan_capacity", *STUDY, "--fte", "1")
    assert "fte needed         1.042" in out
    assert "youths that fit    96" in out  # 1200 / 12.5
    assert "coaching" in out and "1000" in out


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ([], "at least one role"),
        (["--role", "coaching"], "is not ROLE=YOUTHSxHOURS"),
        (["--role", "coaching=50"], "is not YOUTHSxHOURS"),
        (["--role", "coaching=50x"], "is not YOUTHSxHOURS"),
        (["--role", "coaching=-5x20"], "is not YOUTHSxHOURS"),
        (["--role", "jobhunting=5x20"], "unknown role 'jobhunting'"),
        (["--role", "coaching=5x20", "--role", "coaching=1x1"], "given twice"),
    ],
)
def test_plan_capacity_clear_errors(roles, message):
    with pytest.raises(CommandError, match=message):
        run("plan_capacity", *roles)


def test_plan_capacity_bad_numbers():
    with pytest.raises(CommandError, match="--productive-hours must be positive"):
        run("plan_capacity", *STUDY, "--productive-hours", "0")
    with pytest.raises(CommandError, match="--fte must be 0 or more"):
        run("plan_capacity", *STUDY, "--fte", "-1")
