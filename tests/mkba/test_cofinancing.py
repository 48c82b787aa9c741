"""Tests of "who can pay" (issue 17, item 7; mkba/cofinancing.py): per stakeholder the
contribution at which its own balance breaks even. Expected values by hand in the comments."""

from datetime import date
from decimal import Decimal

from mkba.calculations import (
    UNALLOCATED,
    ScenarioInput,
    mkba_output,
    mkba_report_calculate,
    mkba_scenario_calculate,
    parameter_set_from_dict,
    reference_approaches_load,
    scenario_from_reference,
)
from mkba.cofinancing import break_even_contributions

D = Decimal


def test_each_stakeholder_can_bear_its_own_benefits():
    # gemeente: benefits 30,000 -> it breaks even paying 30,000 (its ratio 30,000 / 30,000 = 1),
    # whatever it pays now; jongere 5,000; a bearer without benefits (zorgverzekeraar) 0;
    # rijk loses 1,200 (a negative effect): it breaks even only when paid 1,200.
    contributions = break_even_contributions(
        {"gemeente": D(30000), "jongere": D(5000), "rijk": D(-1200)},
        ["gemeente", "jongere", "rijk", "zorgverzekeraar"],
    )
    assert contributions == {"gemeente": D(30000), "jongere": D(5000), "rijk": D(-1200), "zorgverzekeraar": D(0)}
    assert list(contributions) == ["gemeente", "jongere", "rijk", "zorgverzekeraar"]


def cohort_report():
    data = {
        "name": "test",
        "version": 1,
        "hourly_rate": 65,
        "productive_hours_per_fte": 1200,
        "discount_rate": 0.0225,
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
        },
    }
    return mkba_report_calculate(
        approach="Jongerenadviseurs",
        cohort_from=date(2024, 1, 1),
        cohort_to=date(2024, 7, 1),
        measured_at=date(2024, 12, 31),
        participants=20,
        parameters=parameter_set_from_dict(data),
        outcome_records=[(f"T{number}", "work", date(2024, 6, 1)) for number in range(12)],
        client_hours=300,
        cost_items=[("extra_zorg", 3000)],
    )


def test_the_output_names_the_break_even_contribution_per_stakeholder():
    output = mkba_output(cohort_report())
    # work: r = 12 / 20 = 0.6, e = (0.6 - 0.30 - 0.05) * 0.8 = 0.2, X = 4
    # gemeente: 4 * (10000 + 10000 / 1.0225) = 4 * 19779.95110 = 79119.80 -> 79120
    # jongere: 4 * 5000 = 20000; zorgverzekeraar bears half of extra_zorg (1500) and gains nothing
    assert output["break_even_contribution"] == {"gemeente": 79120, "jongere": 20000, "zorgverzekeraar": 0}
    # costs: gemeente 300 * 65 + 1500 = 21000; it can pay 79120 - 21000 = 58120 more: its balance
    assert output["stakeholders"]["gemeente"] == {"costs": 21000, "benefits": 79120, "balance": 58120}


def test_scenario_mode_with_a_split_of_the_benefits():
    scenario = ScenarioInput(
        approach="eigen scenario",
        participants=2,
        costs_per_participant={"begeleiding": D(1000)},
        benefits_per_participant={"werk": D(3000), "kwaliteit_van_leven": D(1000)},
        benefit_stakeholders={"werk": {"gemeente": D("0.5"), "jongere": D("0.5")}},
    )
    # benefits 2 * 4000 = 8000: werk 6000 half to gemeente and jongere, kwaliteit_van_leven 2000 unsplit
    assert mkba_output(mkba_scenario_calculate(scenario))["break_even_contribution"] == {
        "gemeente": 3000,
        "jongere": 3000,
        UNALLOCATED: 2000,
    }


def test_scenario_mode_without_a_split_names_nobody():
    # the reference approaches give no split of the benefits: who could pay is unknown
    reference = reference_approaches_load()[0]
    output = mkba_output(mkba_scenario_calculate(scenario_from_reference(reference, participants=20)))
    assert output["break_even_contribution"] is None
