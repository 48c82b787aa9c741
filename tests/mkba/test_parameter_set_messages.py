"""Parameter-set problems carry codes; every code has its English and its Dutch text (issue 13)."""

from mkba import calculations
from mkba.calculations import ENGLISH, ParameterErrorCode, ParameterIssue, parameter_set_issues
from mkba.parameter_set_messages import DUTCH, errors_nl, issue_nl


def test_every_code_has_an_english_and_a_dutch_text():
    assert set(ENGLISH) == set(ParameterErrorCode)
    assert set(DUTCH) == set(ParameterErrorCode)


def test_issues_carry_path_code_and_values():
    issues = parameter_set_issues({"hourly_rate": -5, "outcomes": {"work": {"baseline": 2, "streams": []}}})
    assert [(issue.path, issue.code, dict(issue.params), issue.share) for issue in issues] == [
        ("$.productive_hours_per_fte", ParameterErrorCode.REQUIRED, {}, None),
        ("$.hourly_rate", ParameterErrorCode.NEGATIVE, {"got": "-5"}, None),
        ("$.outcomes.work.baseline", ParameterErrorCode.AT_MOST, {"limit": "1", "got": "2"}, "baseline"),
    ]


def test_the_english_text_is_the_validator_output():
    data = {"hourly_rate": "x", "outcomes": []}
    assert calculations.parameter_set_validate(data) == [issue.english for issue in parameter_set_issues(data)]


def test_a_share_out_of_range_names_the_field_in_dutch():
    assert issue_nl(
        ParameterIssue("$.outcomes.work.attribution", ParameterErrorCode.NEGATIVE, {"got": "-1"}, "attribution")
    ) == ("de attributie moet tussen 0 en 1 liggen (nu -1)")
    assert issue_nl(ParameterIssue("$.x", ParameterErrorCode.AT_MOST, {"limit": "1", "got": "2"}, "share")) == (
        "een aandeel moet tussen 0 en 1 liggen (nu 2)"
    )
    assert issue_nl(ParameterIssue("$.x", ParameterErrorCode.AT_MOST, {"limit": "1", "got": "2"})) == (
        "mag hoogstens 1 zijn (nu 2)"
    )


def test_dutch_errors_by_path_in_the_validators_order():
    data = {"hourly_rate": -5, "outcomes": {"work": {"baseline": 2, "streams": []}}}
    assert errors_nl(parameter_set_issues(data)) == {
        "$.productive_hours_per_fte": ["verplicht veld ontbreekt"],
        "$.hourly_rate": ["mag niet negatief zijn (nu -5)"],
        "$.outcomes.work.baseline": ["het nulalternatief (baseline) moet tussen 0 en 1 liggen (nu 2)"],
    }
