"""Tests of the MKBA engine (SPEC.md section 4), without Django or a database.

Every expected value is worked out by hand in the test (the arithmetic is in the comment or in
the expression) or taken from the source study's printed factsheets; none is copied from the
engine's output.
"""

import json
from dataclasses import FrozenInstanceError
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from mkba.calculations import (
    BENEFIT_LINES,
    COST_LINES,
    DEFAULT_PARAMETERS_PATH,
    REASON_NO_COSTS,
    REASON_NO_GEMEENTE_COSTS,
    REASON_NO_MAIN_VALUE,
    REASON_NO_PARTICIPANTS,
    REASON_SCENARIO_NO_SPLIT,
    REFERENCE_APPROACHES_PATH,
    UNALLOCATED,
    ParameterSetError,
    ScenarioInput,
    begeleiding_cost,
    break_even_effect,
    cost_lines,
    costs_by_stakeholder,
    extra_outcomes,
    immaterial_benefits,
    mkba_output,
    mkba_report_calculate,
    mkba_scenario_calculate,
    net_effect,
    observed_rates,
    parameter_set_from_dict,
    parameter_set_load,
    parameter_set_validate,
    present_value,
    reference_approaches_load,
    scenario_from_reference,
)

D = Decimal
TINY = D("1e-12")
MEASURED_AT = date(2024, 12, 31)

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


def close(actual, expected, tolerance=TINY):
    return abs(D(actual) - D(expected)) <= tolerance


# --- Present value -----------------------------------------------------------------------------


def test_present_value_year_zero_is_not_discounted():
    # t = 0 only: 1000 / 1.0225**0 = 1000
    assert present_value(1000, first_year=0, years=1, discount_rate=D("0.0225")) == D(1000)


def test_present_value_first_year_one_is_discounted_once():
    # t = 1 only: 1000 / 1.0225 = 977.9951100...
    value = present_value(1000, first_year=1, years=1, discount_rate=D("0.0225"))
    assert close(value, D(1000) / D("1.0225"))
    assert value.quantize(D("0.01")) == D("978.00")


def test_present_value_three_years_from_year_zero():
    # 1000 + 1000/1.0225 + 1000/1.0225**2 = 1000 + 977.99511 + 956.47444 = 2934.46955
    value = present_value(1000, first_year=0, years=3)  # default rate 0.0225
    assert close(value, D(1000) + D(1000) / D("1.0225") + D(1000) / D("1.0225") ** 2)
    assert value.quantize(D("0.01")) == D("2934.47")


def test_present_value_two_years_from_year_one():
    # 1000/1.0225 + 1000/1.0225**2 = 977.99511 + 956.47444 = 1934.46955
    value = present_value(1000, first_year=1, years=2, discount_rate=D("0.0225"))
    assert value.quantize(D("0.01")) == D("1934.47")


def test_present_value_five_years_annuity_factor():
    # years 0..4 at 2.25%: 1 + 0.97800 + 0.95647 + 0.93543 + 0.91485 = 4.78474 (the default set's factor)
    # 4770 * 4.784740 = 22823.21
    assert present_value(4770, first_year=0, years=5).quantize(D("0.01")) == D("22823.21")


def test_present_value_at_zero_discount_rate_is_amount_times_years():
    # 250 * 4 = 1000
    assert present_value(250, first_year=2, years=4, discount_rate=0) == D(1000)


# --- Costs -------------------------------------------------------------------------------------


def test_begeleiding_cost_on_hours_basis():
    # 120.5 client hours * 65 = 7832.50
    assert begeleiding_cost(
        cost_basis="hours", hourly_rate=65, productive_hours_per_fte=1200, client_hours="120.5"
    ) == D("7832.5")


def test_begeleiding_cost_on_fte_basis():
    # 0.5 fte-year * 1200 productive hours * 65 = 39000
    assert begeleiding_cost(cost_basis="fte", hourly_rate=65, productive_hours_per_fte=1200, fte_years="0.5") == D(
        39000
    )


def test_begeleiding_cost_unknown_basis():
    with pytest.raises(ValueError, match="unknown cost basis"):
        begeleiding_cost(cost_basis="days", hourly_rate=65, productive_hours_per_fte=1200)


def test_cost_lines_sum_items_per_line_with_every_line_in_order():
    items = [("overige_interventie", 100), ("overige_interventie", "50.5"), ("extra_zorg", 200), ("begeleiding", 10)]
    costs = cost_lines(items, begeleiding=1000)
    assert list(costs) == list(COST_LINES)
    # begeleiding 1000 + 10; overige 100 + 50.5
    assert costs == {
        "begeleiding": D(1010),
        "overige_interventie": D("150.5"),
        "loon_vergoedingen": D(0),
        "extra_zorg": D(200),
        "extra_onderwijs": D(0),
    }


def test_cost_lines_reject_unknown_line():
    with pytest.raises(ValueError, match="unknown cost line 'koffie'"):
        cost_lines([("koffie", 5)])


def test_costs_split_over_bearers_by_shares_default_gemeente():
    costs = {"begeleiding": D(1000), "extra_zorg": D(500)}
    bearers = {"begeleiding": {"gemeente": D("0.6"), "rijk": D("0.4")}}
    # gemeente 1000 * 0.6 + 500 (default 100%) = 1100; rijk 1000 * 0.4 = 400
    assert costs_by_stakeholder(costs, bearers) == {"gemeente": D(1100), "rijk": D(400)}


# --- Effects -----------------------------------------------------------------------------------

OUTCOME_ROWS = [
    ("T1", "work", date(2024, 3, 1)),
    ("T1", "work", date(2024, 5, 1)),  # the same outcome twice on one trajectory: counted once
    ("T2", "work", date(2024, 7, 1)),  # after the measurement date: not counted
    ("T3", "school", date(2024, 1, 1)),
    ("T4", "work", date(2024, 6, 30)),  # on the measurement date: counted
    ("T5", "care", date(2024, 2, 1)),  # not asked for: ignored
]


def test_observed_rate_counts_each_trajectory_once_up_to_the_measurement_date():
    rates = observed_rates(OUTCOME_ROWS, participants=10, measured_at=date(2024, 6, 30), outcomes=["work", "school"])
    # work: T1 (twice, once) and T4 = 2 of 10 = 0.2; T2 is after 30 June; school: T3 = 1 of 10 = 0.1
    assert rates == {"work": D("0.2"), "school": D("0.1")}


def test_observed_rate_from_a_dataframe_with_timestamps():
    frame = pd.DataFrame(OUTCOME_ROWS, columns=["trajectory_id", "outcome", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    rates = observed_rates(frame, participants=10, measured_at=date(2024, 6, 30), outcomes=["work"])
    assert rates == {"work": D("0.2")}


def test_observed_rate_accepts_datetimes():
    rows = [("T1", "work", datetime(2024, 6, 30, 23, 59))]  # the day counts, not the time
    assert observed_rates(rows, participants=4, measured_at=date(2024, 6, 30), outcomes=["work"]) == {"work": D("0.25")}


def test_observed_rate_is_none_without_participants():
    assert observed_rates([], participants=0, measured_at=MEASURED_AT, outcomes=["work"]) == {"work": None}


def test_observed_rate_refuses_more_trajectories_than_participants():
    rows = [("T1", "work", date(2024, 1, 1)), ("T2", "work", date(2024, 1, 1))]
    with pytest.raises(ValueError, match="cohort's outcomes"):
        observed_rates(rows, participants=1, measured_at=MEASURED_AT, outcomes=["work"])


def test_net_effect_and_extra_outcomes():
    # (0.40 - 0.30 - 0.02) * 0.5 = 0.04; X = 0.04 * 50 = 2
    net = net_effect(D("0.40"), baseline=D("0.30"), conjunctuur=D("0.02"), attribution=D("0.5"))
    assert net == D("0.04")
    assert extra_outcomes(net, 50) == D(2)


def test_net_effect_may_be_negative():
    # (0.20 - 0.30 - 0) * 1 = -0.10; X = -0.10 * 50 = -5
    net = net_effect(D("0.20"), baseline=D("0.30"))
    assert net == D("-0.10")
    assert extra_outcomes(net, 50) == D(-5)


def test_immaterial_benefits_use_shares_and_defaults():
    benefits = {"kwaliteit_van_leven": D(1000), "criminaliteit_overlast": D(2000), "werk": D(500)}
    shares = {"criminaliteit_overlast": D("0.5")}
    # kwaliteit_van_leven default 1.0: 1000; criminaliteit 2000 * 0.5 = 1000; werk default 0 -> 2000
    assert immaterial_benefits(benefits, shares) == D(2000)


def test_break_even_effect_formula():
    # (1000 - (1500 - 10 * 100)) / (20 * 100) = (1000 - 500) / 2000 = 0.25
    assert break_even_effect(
        total_costs=D(1000), total_benefits=D(1500), extra_main=D(10), pv_main=D(100), participants=20
    ) == D("0.25")
    assert (
        break_even_effect(total_costs=D(1), total_benefits=D(1), extra_main=D(0), pv_main=D(0), participants=5) is None
    )
    assert (
        break_even_effect(total_costs=D(1), total_benefits=D(1), extra_main=D(0), pv_main=D(9), participants=0) is None
    )


# --- A whole cohort report ---------------------------------------------------------------------


def cohort_parameters(**changes):
    data = {
        "name": "test",
        "version": 3,
        "hourly_rate": 65,
        "productive_hours_per_fte": 1200,
        "discount_rate": 0.0225,
        "cost_basis": "hours",
        "main_outcome": "work",
        "cost_bearers": {"extra_zorg": {"gemeente": 0.5, "zorgverzekeraar": 0.5}},
        "outcomes": {
            "work": {
                "baseline": 0.30,
                "conjunctuur": 0.05,
                "attribution": 0.8,
                "streams": [
                    {"line": "werk", "stakeholder": "gemeente", "amount": 10000, "first_year": 0, "years": 2},
                    {
                        "line": "kwaliteit_van_leven",
                        "stakeholder": "jongere",
                        "amount": 5000,
                        "first_year": 0,
                        "years": 1,
                    },
                ],
            },
            "school": {
                "baseline": 0.10,
                "streams": [
                    {
                        "line": "startkwalificaties",
                        "stakeholder": "jongere",
                        "amount": 4000,
                        "first_year": 1,
                        "years": 1,
                    }
                ],
            },
        },
    }
    data.update(changes)
    return data


def cohort_rows():
    rows = [(f"T{number}", "work", date(2024, 6, 1)) for number in range(1, 13)]  # 12 of 20 in work
    rows += [("T1", "work", date(2024, 9, 1))]  # a second work outcome on T1: still one trajectory
    rows += [("T13", "work", date(2025, 1, 15))]  # after the measurement date
    rows += [(f"T{number}", "school", date(2024, 3, 1)) for number in range(13, 17)]  # 4 of 20 at school
    return rows


def cohort_report(parameters=None, rows=None, participants=20, **kwargs):
    return mkba_report_calculate(
        approach="Jongerenadviseurs",
        cohort_from=date(2024, 1, 1),
        cohort_to=date(2024, 7, 1),
        measured_at=MEASURED_AT,
        participants=participants,
        parameters=parameter_set_from_dict(parameters or cohort_parameters()),
        outcome_records=cohort_rows() if rows is None else rows,
        client_hours=kwargs.pop("client_hours", 300),
        cost_items=kwargs.pop("cost_items", [("overige_interventie", 2000), ("extra_zorg", 3000)]),
        **kwargs,
    )


# By hand, for cohort_report():
# work:   r = 12/20 = 0.6; e = (0.6 - 0.30 - 0.05) * 0.8 = 0.2; X = 0.2 * 20 = 4
# school: r = 4/20 = 0.2;  e = (0.2 - 0.10) * 1 = 0.1;          X = 2
# PV werk stream = 10000 + 10000/1.0225 = 19779.95110; QoL stream = 5000; school = 4000/1.0225 = 3911.98044
# benefits: werk 4 * 19779.95110 = 79119.80440 (gemeente); kwaliteit_van_leven 4 * 5000 = 20000 (jongere);
#           startkwalificaties 2 * 3911.98044 = 7823.96088 (jongere); total 106943.76528
# costs: begeleiding 300 h * 65 = 19500; overige_interventie 2000; extra_zorg 3000; total 24500
#        gemeente 19500 + 2000 + 3000 * 0.5 = 23000; zorgverzekeraar 3000 * 0.5 = 1500
# balance 106943.76528 - 24500 = 82443.76528; per participant 1225 / 5347.19 / 4122.19
# social 106943.76528 / 24500 = 4.36505; financial (106943.76528 - 20000) / 24500 = 3.54873
# municipal 79119.80440 / 23000 = 3.43999
# PV_main = 19779.95110 + 5000 = 24779.95110
# break-even = (24500 - (106943.76528 - 4 * 24779.95110)) / (20 * 24779.95110) = 16676.03912 / 495599.02200 = 0.033648
EXPECTED_TOTAL_BENEFITS = 4 * (D(10000) + D(10000) / D("1.0225")) + 4 * D(5000) + 2 * D(4000) / D("1.0225")


def test_cohort_report_exact_values():
    result = cohort_report()
    assert result.costs == {
        "begeleiding": D(19500),
        "overige_interventie": D(2000),
        "loon_vergoedingen": D(0),
        "extra_zorg": D(3000),
        "extra_onderwijs": D(0),
    }
    assert result.total_costs == D(24500)
    assert close(result.total_benefits, EXPECTED_TOTAL_BENEFITS)
    assert close(result.benefits["werk"], 4 * (D(10000) + D(10000) / D("1.0225")))
    assert result.benefits["kwaliteit_van_leven"] == D(20000)
    assert close(result.benefits["startkwalificaties"], 2 * D(4000) / D("1.0225"))
    assert result.benefits["taakverlichting"] == D(0)
    assert close(result.balance, EXPECTED_TOTAL_BENEFITS - 24500)
    assert result.stakeholder_costs == {"gemeente": D(23000), "zorgverzekeraar": D(1500)}
    assert close(result.social_ratio, EXPECTED_TOTAL_BENEFITS / 24500)
    assert close(result.financial_ratio, (EXPECTED_TOTAL_BENEFITS - 20000) / 24500)
    assert close(result.municipal_ratio, 4 * (D(10000) + D(10000) / D("1.0225")) / 23000)
    assert result.effects["work"].observed == D("0.6")
    assert result.effects["work"].net == D("0.2")
    assert result.effects["work"].extra == D(4)
    assert result.effects["school"].extra == D(2)
    pv_main = D(10000) + D(10000) / D("1.0225") + D(5000)
    assert close(result.break_even_effect, (D(24500) - (EXPECTED_TOTAL_BENEFITS - 4 * pv_main)) / (20 * pv_main))
    assert result.ratio_notes == {}


def test_cohort_report_output_is_the_contract_rounded():
    output = mkba_output(cohort_report())
    assert list(output)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert output["approach"] == "Jongerenadviseurs"
    assert output["cohort"] == {"from": "2024-01-01", "to": "2024-07-01", "measured_at": "2024-12-31"}
    assert output["participants"] == 20
    assert output["parameter_set"] == {"name": "test", "version": 3}
    assert list(output["costs"]) == list(COST_LINES)
    assert list(output["benefits"]) == list(BENEFIT_LINES)
    assert output["costs"] == {
        "begeleiding": 19500,
        "overige_interventie": 2000,
        "loon_vergoedingen": 0,
        "extra_zorg": 3000,
        "extra_onderwijs": 0,
    }
    # werk 79119.80 -> 79120; startkwalificaties 7823.96 -> 7824
    assert output["benefits"] == {
        "taakverlichting": 0,
        "werk": 79120,
        "startkwalificaties": 7824,
        "zorgkosten": 0,
        "kwaliteit_van_leven": 20000,
        "criminaliteit_overlast": 0,
    }
    assert output["total_costs"] == 24500
    assert output["total_benefits"] == 106944  # 106943.77
    assert output["balance"] == 82444  # 82443.77
    assert output["per_participant"] == {"total_costs": 1225, "total_benefits": 5347, "balance": 4122}
    assert output["social_ratio"] == 4.37  # 4.36505
    assert output["financial_ratio"] == 3.55  # 3.54873
    assert output["municipal_ratio"] == 3.44  # 3.43999
    assert output["stakeholders"] == {
        "gemeente": {"costs": 23000, "benefits": 79120, "balance": 56120},  # 79119.80 - 23000 = 56119.80
        "jongere": {"costs": 0, "benefits": 27824, "balance": 27824},  # 20000 + 7823.96
        "zorgverzekeraar": {"costs": 1500, "benefits": 0, "balance": -1500},
    }
    assert output["effects"] == {
        "work": {"observed": 0.6, "baseline": 0.3, "net": 0.2, "extra": 4.0},
        "school": {"observed": 0.2, "baseline": 0.1, "net": 0.1, "extra": 2.0},
    }
    assert output["break_even_effect"] == 0.034  # 0.033648
    assert output["sensitivity"] == {"low": 4.37, "high": 4.37}  # no ranges: the social ratio itself
    assert output["ratio_notes"] == {}
    json.dumps(output)  # serialisable as is


def test_break_even_effect_plugged_back_gives_social_ratio_one():
    break_even = cohort_report().break_even_effect
    # net effect of work = (0.6 - b - 0.05) * 0.8 = break_even  <=>  b = 0.55 - break_even / 0.8
    parameters = cohort_parameters()
    parameters["outcomes"]["work"]["baseline"] = D("0.55") - break_even / D("0.8")
    result = cohort_report(parameters)
    assert close(result.effects["work"].net, break_even)
    assert close(result.social_ratio, D(1), D("1e-20"))
    assert close(result.total_benefits, result.total_costs, D("1e-15"))


def test_sensitivity_band_from_ranges():
    parameters = cohort_parameters(discount_rate_range=[0.0, 0.05])
    parameters["outcomes"]["work"]["baseline_range"] = [0.25, 0.35]
    parameters["outcomes"]["work"]["attribution_range"] = [0.6, 1.0]
    result = cohort_report(parameters)
    # work net effect over the corners: (0.6 - b - 0.05) * a
    #   b 0.25: 0.30 * 0.6 = 0.18, 0.30 * 1.0 = 0.30; b 0.35: 0.20 * 0.6 = 0.12, 0.20 * 1.0 = 0.20
    #   low 0.12 -> X = 2.4; high 0.30 -> X = 6; school has no ranges: X = 2
    # low, r = 0.05: 2.4 * (10000 + 10000/1.05 + 5000) + 2 * 4000/1.05 = 58857.14 + 7619.05 = 66476.19
    #   66476.19 / 24500 = 2.7133 (r = 0: 2.4 * 25000 + 8000 = 68000 -> 2.7755, higher)
    # high, r = 0: 6 * 25000 + 2 * 4000 = 158000 / 24500 = 6.4490
    low_benefits = D("2.4") * (D(10000) + D(10000) / D("1.05") + 5000) + 2 * D(4000) / D("1.05")
    assert close(result.sensitivity_low, low_benefits / 24500)
    assert close(result.sensitivity_high, D(158000) / 24500)
    assert mkba_output(result)["sensitivity"] == {"low": 2.71, "high": 6.45}
    assert result.sensitivity_low < result.social_ratio < result.sensitivity_high


def test_cohort_with_a_negative_net_effect():
    parameters = cohort_parameters()
    parameters["outcomes"] = {
        "work": {
            "baseline": 0.3,
            "streams": [{"line": "werk", "stakeholder": "gemeente", "amount": 10000, "first_year": 0, "years": 1}],
        }
    }
    rows = [("T1", "work", date(2024, 5, 1))]
    result = cohort_report(parameters, rows=rows, participants=10, client_hours=100, cost_items=[])
    # r = 1/10 = 0.1; e = 0.1 - 0.3 = -0.2; X = -2; werk = -2 * 10000 = -20000
    # costs 100 h * 65 = 6500; balance -26500; social -20000/6500 = -3.0769
    # break-even: (6500 - (-20000 - (-2 * 10000))) / (10 * 10000) = 6500 / 100000 = 0.065
    output = mkba_output(result)
    assert output["effects"]["work"] == {"observed": 0.1, "baseline": 0.3, "net": -0.2, "extra": -2.0}
    assert output["benefits"]["werk"] == -20000
    assert output["total_costs"] == 6500
    assert output["balance"] == -26500
    assert output["social_ratio"] == -3.08
    assert output["financial_ratio"] == -3.08
    assert output["break_even_effect"] == 0.065
    assert output["stakeholders"]["gemeente"] == {"costs": 6500, "benefits": -20000, "balance": -26500}


def test_sensitivity_band_with_a_negative_effect_takes_the_pessimistic_corner():
    parameters = cohort_parameters()
    parameters["outcomes"] = {
        "work": {
            "baseline": 0.3,
            "baseline_range": [0.2, 0.4],
            "attribution": 1.0,
            "attribution_range": [0.5, 1.0],
            "streams": [{"line": "werk", "stakeholder": "gemeente", "amount": 10000, "first_year": 0, "years": 1}],
        }
    }
    rows = [("T1", "work", date(2024, 5, 1))]
    result = cohort_report(parameters, rows=rows, participants=10, client_hours=100, cost_items=[])
    # r = 0.1; corners (0.1 - b) * a: b 0.2: -0.05, -0.10; b 0.4: -0.15, -0.30
    # low: -0.30 (higher baseline AND higher attribution) -> X = -3 -> -30000 / 6500 = -4.615
    # high: -0.05 -> X = -0.5 -> -5000 / 6500 = -0.769; the point -20000 / 6500 = -3.077 lies between
    assert mkba_output(result)["sensitivity"] == {"low": -4.62, "high": -0.77}


def test_outcomes_after_the_measurement_date_and_duplicates_are_not_counted():
    rows = [
        ("T1", "work", date(2024, 12, 31)),
        ("T1", "work", date(2024, 12, 1)),
        ("T2", "work", date(2025, 1, 1)),
        ("T3", "work", date(2026, 3, 1)),
    ]
    result = cohort_report(rows=rows, participants=4)
    # only T1 counts, once: 1 of 4 = 0.25
    assert result.effects["work"].observed == D("0.25")


def test_zero_participants_gives_no_ratios_with_reasons():
    result = cohort_report(rows=[], participants=0, client_hours=0, cost_items=[])
    output = mkba_output(result)
    assert output["participants"] == 0
    assert output["total_costs"] == 0
    assert output["total_benefits"] == 0
    assert output["per_participant"] == {"total_costs": None, "total_benefits": None, "balance": None}
    assert output["social_ratio"] is None
    assert output["financial_ratio"] is None
    assert output["municipal_ratio"] is None
    assert output["break_even_effect"] is None
    assert output["sensitivity"] == {"low": None, "high": None}
    assert output["effects"]["work"] == {"observed": None, "baseline": 0.3, "net": None, "extra": 0.0}
    assert output["ratio_notes"] == {
        "per_participant": REASON_NO_PARTICIPANTS,
        "social_ratio": REASON_NO_COSTS,
        "financial_ratio": REASON_NO_COSTS,
        "municipal_ratio": REASON_NO_GEMEENTE_COSTS,
        "break_even_effect": REASON_NO_PARTICIPANTS,
        "sensitivity": REASON_NO_COSTS,
    }


def test_zero_participants_with_approach_level_costs():
    result = cohort_report(rows=[], participants=0, client_hours=0, cost_items=[("overige_interventie", 1000)])
    # benefits 0 / costs 1000 = 0: a ratio, not a missing one
    assert result.social_ratio == D(0)
    assert result.per_participant_total_costs is None


def test_zero_gemeente_costs_gives_no_municipal_ratio():
    bearers = {line: {"rijk": 1.0} for line in COST_LINES}
    result = cohort_report(cohort_parameters(cost_bearers=bearers))
    output = mkba_output(result)
    assert output["municipal_ratio"] is None
    assert output["ratio_notes"] == {"municipal_ratio": REASON_NO_GEMEENTE_COSTS}
    assert output["social_ratio"] == 4.37  # unchanged, see test_cohort_report_output_is_the_contract_rounded
    assert output["stakeholders"]["gemeente"]["costs"] == 0
    assert output["stakeholders"]["rijk"]["costs"] == 24500


def test_main_outcome_without_streams_gives_no_break_even():
    parameters = cohort_parameters()
    parameters["outcomes"]["work"]["streams"] = []
    result = cohort_report(parameters)
    assert result.break_even_effect is None
    assert result.ratio_notes["break_even_effect"] == REASON_NO_MAIN_VALUE


def test_fte_cost_basis():
    result = cohort_report(cohort_parameters(cost_basis="fte"), fte_years="0.25", client_hours=999)
    # 0.25 fte-year * 1200 h * 65 = 19500; the client hours are ignored on this basis
    assert result.costs["begeleiding"] == D(19500)


# --- Parameter sets ----------------------------------------------------------------------------


def test_parameter_set_from_dict_fills_defaults_and_is_frozen():
    parameters = parameter_set_from_dict(
        {
            "hourly_rate": 65,
            "productive_hours_per_fte": 1200,
            "outcomes": {"work": {"baseline": 0.3, "streams": []}},
        }
    )
    assert parameters.discount_rate == D("0.0225")
    assert parameters.cost_basis == "hours"
    assert parameters.main_outcome == "work"
    assert {line: dict(shares) for line, shares in parameters.cost_bearers.items()} == {
        line: {"gemeente": D(1)} for line in COST_LINES
    }
    assert dict(parameters.immaterial_shares) == {
        "taakverlichting": D(0),
        "werk": D(0),
        "startkwalificaties": D(0),
        "zorgkosten": D(0),
        "kwaliteit_van_leven": D(1),
        "criminaliteit_overlast": D(0),
    }
    assert parameters.outcomes["work"].conjunctuur == D(0)
    assert parameters.outcomes["work"].attribution == D(1)
    with pytest.raises(FrozenInstanceError):
        parameters.hourly_rate = D(70)  # type: ignore[misc]


def test_parameter_set_from_dict_raises_with_all_errors():
    with pytest.raises(ParameterSetError) as raised:
        parameter_set_from_dict({"outcomes": {}})
    assert "$.hourly_rate: required key is missing" in raised.value.errors
    assert "$.productive_hours_per_fte: required key is missing" in raised.value.errors


def test_valid_parameter_set_has_no_errors():
    assert parameter_set_validate(cohort_parameters()) == []


def invalid_parameters():
    data = cohort_parameters(
        hourly_rate=-65,
        cost_basis="days",
        discount_rate_range=[0.05, 0.01],
        cost_bearers={
            "begeleiding": {"gemeente": 0.5, "rijk": 0.4},
            "koffie": {"gemeente": 1.0},
        },
        immaterial_shares={"kwaliteit_van_leven": 1.5, "geluk": 0.5},
    )
    del data["productive_hours_per_fte"]
    data["outcomes"]["work"] = {
        "baseline": 1.2,
        "attribution": -0.1,
        "attribution_range": [0.2, 0.9],
        "streams": [
            {"line": "salaris", "stakeholder": "gemeente", "amount": -100, "first_year": -1, "years": 0},
            {"line": "werk", "amount": 100, "first_year": 1.5, "years": 2, "bedrag": 5},
        ],
    }
    data["outcomes"]["school"]["baseline_range"] = [0.2, 0.3]  # baseline 0.10 lies outside
    data["outcomes"]["promotion"] = {"baseline": 0.1, "streams": []}
    data["outcomes"]["care"] = {"streams": []}
    return data


@pytest.mark.parametrize(
    "expected",
    [
        "$.hourly_rate: must not be negative (got -65)",
        "$.productive_hours_per_fte: required key is missing",
        "$.cost_basis: unknown cost basis 'days' (allowed: hours, fte)",
        "$.discount_rate_range: low 0.05 is greater than high 0.01",
        "$.cost_bearers.begeleiding: shares add up to 0.9, not 1",
        "$.cost_bearers.koffie: unknown cost line 'koffie' (allowed: begeleiding, overige_interventie, loon_vergoedingen, extra_zorg, extra_onderwijs)",
        "$.immaterial_shares.kwaliteit_van_leven: must be at most 1 (got 1.5)",
        "$.immaterial_shares.geluk: unknown benefit line 'geluk' (allowed: taakverlichting, werk, startkwalificaties, zorgkosten, kwaliteit_van_leven, criminaliteit_overlast)",
        "$.outcomes.work.baseline: must be at most 1 (got 1.2)",
        "$.outcomes.work.attribution: must not be negative (got -0.1)",
        "$.outcomes.work.streams[0].line: unknown benefit line 'salaris' (allowed: taakverlichting, werk, startkwalificaties, zorgkosten, kwaliteit_van_leven, criminaliteit_overlast)",
        "$.outcomes.work.streams[0].amount: must not be negative (got -100)",
        "$.outcomes.work.streams[0].first_year: must be at least 0 (got -1)",
        "$.outcomes.work.streams[0].years: must be at least 1 (got 0)",
        "$.outcomes.work.streams[1].stakeholder: required key is missing",
        "$.outcomes.work.streams[1].first_year: must be a whole number (got 1.5)",
        "$.outcomes.work.streams[1].bedrag: unknown key (allowed: amount, first_year, line, notes, source, stakeholder, years)",
        "$.outcomes.school.baseline_range: the value 0.1 lies outside the range [0.2, 0.3]",
        "$.outcomes.promotion: unknown outcome 'promotion' (allowed: work, work_subsidised, school, startkwalificatie, certificate, daytime_activity, volunteering, care, benefit_start, benefit_end, prevented_escalation, stabilised, out_of_sight, moved, improved_position)",
        "$.outcomes.care.baseline: required key is missing",
    ],
)
def test_validation_errors_name_their_json_path(expected):
    assert expected in parameter_set_validate(invalid_parameters())


def test_validation_reports_every_error_once():
    # exactly the 20 listed above: the attribution range [0.2, 0.9] is not also reported for not
    # containing -0.1, because -0.1 is already reported as negative
    errors = parameter_set_validate(invalid_parameters())
    assert len(errors) == 20, errors


def test_validation_of_main_outcome_and_shape():
    assert parameter_set_validate([1, 2]) == ["$: a parameter set must be a JSON object"]
    # A main outcome the set does not value is allowed: break-even is then null with a reason.
    assert parameter_set_validate(cohort_parameters(main_outcome="startkwalificatie")) == []
    errors = parameter_set_validate(cohort_parameters(main_outcome="promotie"))
    assert errors[0].startswith("$.main_outcome: unknown outcome 'promotie'")
    errors = parameter_set_validate(cohort_parameters(discount_rate=1, hourly_rate=True))
    assert "$.discount_rate: must be less than 1 (got 1)" in errors
    assert "$.hourly_rate: must be a number (got True)" in errors


def test_validation_accepts_shares_that_add_up_within_tolerance():
    bearers = {"begeleiding": {"gemeente": 0.3333, "rijk": 0.3333, "uwv": 0.3334}}
    assert parameter_set_validate(cohort_parameters(cost_bearers=bearers)) == []


# --- The indicative default parameter set ------------------------------------------------------


def test_default_parameters_file_is_valid_and_indicative():
    with DEFAULT_PARAMETERS_PATH.open(encoding="utf-8") as file:
        data = json.load(file)
    assert parameter_set_validate(data) == []
    assert "INDICATIEF" in data["description"]
    parameters = parameter_set_load()
    assert parameters.hourly_rate == D(65)
    assert parameters.productive_hours_per_fte == D(1200)
    assert parameters.discount_rate == D("0.0225")
    assert parameters.cost_basis == "hours"
    assert parameters.main_outcome == "work"
    assert all(dict(shares) == {"gemeente": D(1)} for shares in parameters.cost_bearers.values())
    for outcome in parameters.outcomes.values():
        assert outcome.source
        assert all(stream.source for stream in outcome.streams)


def test_default_parameters_reproduce_approach_3_work_line():
    # Approach 3: baseline 0.29, net effect 0.05, werk 1,900 per participant.
    # A cohort of 100 with 34 in work: e = 0.34 - 0.29 = 0.05, X = 5.
    # werk streams 4770 + 3170 = 7940 a year, years 0..4: 7940 * 4.784740 = 37990.84 per extra outcome
    # werk per participant = 5 * 37990.84 / 100 = 1899.54 (printed 1,900)
    # The other outcomes of the set sit exactly at their baseline (14 startkwalificaties, 10
    # stabilised, prevented_escalation baseline 0), so they add nothing; an outcome that is never
    # recorded would have observed 0 and a negative net effect of -baseline.
    rows = [(f"T{number}", "work", date(2024, 6, 1)) for number in range(34)]
    rows += [(f"T{number}", "startkwalificatie", date(2024, 6, 1)) for number in range(14)]
    rows += [(f"T{number}", "stabilised", date(2024, 6, 1)) for number in range(10)]
    result = mkba_report_calculate(
        approach="aanpak 3",
        cohort_from=date(2024, 1, 1),
        cohort_to=date(2025, 1, 1),
        measured_at=MEASURED_AT,
        participants=100,
        parameters=parameter_set_load(),
        outcome_records=rows,
    )
    assert result.effects["startkwalificatie"].net == result.effects["stabilised"].net == 0
    assert (result.benefits["werk"] / 100).quantize(D("0.01")) == D("1899.54")


def test_default_parameters_reproduce_approach_5_startkwalificaties_line():
    # Approach 5: 50 pupils, 7 with a startkwalificatie without the approach (baseline 0.14), 37 with it
    # e = 0.74 - 0.14 = 0.60, X = 30; 5170 a year over years 1..10: 5170 * 8.866216 = 45838.34
    # per participant 30 * 45838.34 / 50 = 27503.00 (printed 27,480: the stream was rounded to 5,170)
    rows = [(f"T{number}", "startkwalificatie", date(2024, 6, 1)) for number in range(37)]
    result = mkba_report_calculate(
        approach="aanpak 5",
        cohort_from=date(2024, 1, 1),
        cohort_to=date(2025, 1, 1),
        measured_at=MEASURED_AT,
        participants=50,
        parameters=parameter_set_load(),
        outcome_records=rows,
    )
    assert (result.benefits["startkwalificaties"] / 50).quantize(D("1")) == D("27503")


# --- Scenario mode and the ten reference approaches --------------------------------------------

# As printed in the factsheets (per participant): total_costs, total_benefits, balance,
# social_ratio, financial_ratio, and how the source rounded the social ratio.
PRINTED = {
    1: (1640, 3600, 1960, "2.2", "1.9", ROUND_HALF_UP),
    2: (1050, 2370, 1320, "2.3", "2.1", ROUND_HALF_UP),
    3: (1220, 2710, 1490, "2.2", "2.1", ROUND_HALF_UP),
    4: (3000, 11050, 8050, "3.7", "2.8", ROUND_HALF_UP),
    5: (6160, 40560, 34400, "6.6", "6.5", ROUND_HALF_UP),
    6: (6400, 15900, 9500, "2.5", "1.8", ROUND_HALF_UP),
    7: (36800, 60180, 23380, "1.6", "1.4", ROUND_HALF_UP),
    8: (10100, 27700, 17500, "2.7", "2.5", ROUND_HALF_UP),
    9: (13630, 20550, 6930, "1.5", "1.1", ROUND_HALF_UP),
    10: (13100, 20500, 7400, "1.5", "1.0", ROUND_DOWN),  # 20500 / 13100 = 1.5649, printed 1.5
}
# Printed balances that differ from printed total_benefits - total_costs (the source's own slips):
# approach 8: 27,700 - 10,100 = 17,600 against 17,500; approach 9: 20,550 - 13,630 = 6,920 against 6,930.
# SPEC §4 asks for the balance as printed, so scenario mode reproduces the printed one, with a note.


def one_decimal(value, rounding=ROUND_HALF_UP):
    return value.quantize(D("0.1"), rounding=rounding)


def test_reference_file_holds_the_printed_figures():
    references = reference_approaches_load()
    assert [reference.number for reference in references] == list(range(1, 11))
    for reference in references:
        costs, benefits, balance, social, financial, _ = PRINTED[reference.number]
        assert (reference.total_costs, reference.total_benefits, reference.balance) == (costs, benefits, balance)
        assert (reference.social_ratio, reference.financial_ratio) == (D(social), D(financial))
    # approach 4's lines as printed
    assert dict(references[3].costs) == {
        "begeleiding": 800,
        "overige_interventie": 2200,
        "loon_vergoedingen": 0,
        "extra_zorg": 0,
        "extra_onderwijs": 0,
    }
    with REFERENCE_APPROACHES_PATH.open(encoding="utf-8") as file:
        data = json.load(file)
    assert data["caseload_example"]["mix"]["coaching"] == {"youths": 50, "hours_per_youth": 20}
    assert data["approaches"][9]["printed_rounding"] == {"social_ratio": "down"}


@pytest.mark.parametrize("number", range(1, 11))
@pytest.mark.parametrize("participants", [1, 264])
def test_scenario_reproduces_reference_approach(number, participants):
    reference = reference_approaches_load()[number - 1]
    costs, benefits, balance, social, financial, social_rounding = PRINTED[number]
    result = mkba_scenario_calculate(scenario_from_reference(reference, participants=participants))
    assert result.total_costs == costs * participants
    assert result.total_benefits == benefits * participants
    assert result.balance == balance * participants
    assert any(note.startswith("balance: the printed balance") for note in result.notes) is (
        balance != benefits - costs
    )
    assert one_decimal(result.social_ratio, social_rounding) == D(social)
    assert one_decimal(result.financial_ratio) == D(financial)
    # the stakeholder table adds up to the printed totals, also where the lines do not
    assert close(sum(result.stakeholder_costs.values()), costs * participants, D("1e-18"))
    assert close(sum(result.stakeholder_benefits.values()), benefits * participants, D("1e-18"))
    assert result.sensitivity_low == result.sensitivity_high == result.social_ratio
    assert result.municipal_ratio is None
    assert result.ratio_notes["municipal_ratio"] == REASON_SCENARIO_NO_SPLIT


def test_approach_10_financial_ratio_needs_the_derived_immaterial_crime_share():
    reference = reference_approaches_load()[9]
    # printed financial ratio 1.0: immaterial = 20,500 - 1.0 * 13,100 = 7,400, of which 700 is
    # kwaliteit van leven, so 6,700 of the 14,700 crime benefits: share 6,700 / 14,700 = 0.45578
    assert abs(reference.immaterial_shares["criminaliteit_overlast"] - D(6700) / D(14700)) < D("0.0001")
    result = mkba_scenario_calculate(scenario_from_reference(reference, participants=20))
    # (20500 - 700 - 0.4558 * 14700) / 13100 = (19800 - 6700.26) / 13100 = 0.99998
    assert close(result.financial_ratio, (D(19800) - D("0.4558") * 14700) / 13100)
    assert one_decimal(result.financial_ratio) == D("1.0")
    # with only kwaliteit van leven immaterial it would be (20500 - 700) / 13100 = 1.51, not as printed
    plain = ScenarioInput(
        approach=reference.name,
        participants=20,
        costs_per_participant=reference.costs,
        benefits_per_participant=reference.benefits,
    )
    assert one_decimal(mkba_scenario_calculate(plain).financial_ratio) == D("1.5")
    # social ratio 20500 / 13100 = 1.5649: 1.56 in our output, printed 1.5 (rounded down in the source)
    assert mkba_output(result)["social_ratio"] == 1.56


def test_approach_7_uses_the_printed_cost_total():
    reference = reference_approaches_load()[6]
    result = mkba_scenario_calculate(scenario_from_reference(reference, participants=20))
    # lines 6400 + 3000 + 27000 = 36,400; printed total 36,800 * 20 = 736,000
    assert sum(result.costs.values()) == 36400 * 20
    assert result.total_costs == 36800 * 20
    assert result.stakeholder_costs == {"gemeente": D(736000)}
    assert len(result.notes) == 1
    assert result.notes[0].startswith("costs: the printed total (736000) is used")


def test_scenario_output_for_reference_approach_4_with_264_participants():
    reference = reference_approaches_load()[3]
    output = mkba_output(mkba_scenario_calculate(scenario_from_reference(reference, participants=264)))
    assert list(output)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert output["approach"] == "Jongerenadviseurs + werktraject (W&I)"
    assert output["cohort"] == {"from": None, "to": None, "measured_at": None}
    assert output["participants"] == 264
    assert output["costs"] == {
        "begeleiding": 211200,  # 800 * 264
        "overige_interventie": 580800,  # 2200 * 264
        "loon_vergoedingen": 0,
        "extra_zorg": 0,
        "extra_onderwijs": 0,
    }
    assert output["benefits"] == {
        "taakverlichting": 0,
        "werk": 1531200,  # 5800 * 264
        "startkwalificaties": 221760,  # 840 * 264
        "zorgkosten": 459360,  # 1740 * 264
        "kwaliteit_van_leven": 704880,  # 2670 * 264
        "criminaliteit_overlast": 0,
    }
    assert output["total_costs"] == 792000  # 3000 * 264
    assert output["total_benefits"] == 2917200  # 11050 * 264
    assert output["balance"] == 2125200  # 8050 * 264
    assert output["per_participant"] == {"total_costs": 3000, "total_benefits": 11050, "balance": 8050}
    assert output["social_ratio"] == 3.68  # 11050 / 3000 = 3.6833
    assert output["financial_ratio"] == 2.79  # (11050 - 2670) / 3000 = 2.7933
    assert output["municipal_ratio"] is None
    assert output["stakeholders"] == {
        "gemeente": {"costs": 792000, "benefits": 0, "balance": -792000},
        UNALLOCATED: {"costs": 0, "benefits": 2917200, "balance": 2917200},
    }
    assert output["effects"] == {}
    assert output["break_even_effect"] is None
    assert output["sensitivity"] == {"low": 3.68, "high": 3.68}


def test_scenario_with_a_benefit_split_has_a_municipal_ratio():
    scenario = ScenarioInput(
        approach="eigen scenario",
        participants=2,
        costs_per_participant={"begeleiding": D(1000)},
        benefits_per_participant={"werk": D(3000), "kwaliteit_van_leven": D(1000)},
        benefit_stakeholders={"werk": {"gemeente": D("0.5"), "jongere": D("0.5")}},
    )
    output = mkba_output(mkba_scenario_calculate(scenario))
    # costs 2 * 1000 = 2000 (gemeente); benefits 2 * 4000 = 8000: gemeente 3000, jongere 3000, onverdeeld 2000
    assert output["social_ratio"] == 4.0  # 8000 / 2000
    assert output["financial_ratio"] == 3.0  # (8000 - 2000) / 2000
    assert output["municipal_ratio"] == 1.5  # 3000 / 2000
    assert output["stakeholders"] == {
        "gemeente": {"costs": 2000, "benefits": 3000, "balance": 1000},
        "jongere": {"costs": 0, "benefits": 3000, "balance": 3000},
        UNALLOCATED: {"costs": 0, "benefits": 2000, "balance": 2000},
    }


def test_scenario_without_participants():
    reference = reference_approaches_load()[0]
    output = mkba_output(mkba_scenario_calculate(scenario_from_reference(reference, participants=0)))
    assert output["total_costs"] == 0
    assert output["social_ratio"] is None
    assert output["per_participant"]["total_costs"] is None
    assert output["ratio_notes"]["social_ratio"] == REASON_NO_COSTS


def test_scenario_participants_default_to_the_reference():
    references = reference_approaches_load()
    assert scenario_from_reference(references[3]).participants == 264
    assert scenario_from_reference(references[5]).participants == 1  # the source gives no number


def test_reference_comparison_beside_the_report():
    references = reference_approaches_load()
    output = mkba_output(cohort_report(), references=references)
    comparison = output["reference_comparison"]
    assert [row["number"] for row in comparison] == list(range(1, 11))
    assert comparison[3] == {
        "number": 4,
        "name": "Jongerenadviseurs + werktraject (W&I)",
        "social_ratio": 3.7,
        "financial_ratio": 2.8,
        "municipal_ratio": 1.0,
    }
