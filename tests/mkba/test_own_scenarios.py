"""Own ex-ante scenarios (issue 17, item 6): the rows, the result by scenario mode's formula, the
uncertainty of the rows' ranges, versions, the starts (empty, a reference, a cohort) and the
comparison with an ex-post report. Expected values are computed by hand in the comments."""

from decimal import Decimal

import pytest

from core.exceptions import ApplicationError
from core.models import AuditLogEntry
from mkba import own_scenarios, selectors, services, uncertainty
from mkba.models import ImmutableRecordError, OwnScenario
from mkba.own_scenarios import LineErrorCode
from tests.mkba.conftest import FROM, MEASURED_AT, TO

D = Decimal
FIGURES = (
    "participants",
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
    "break_even_contribution",
)


def row(kind, line, stakeholder, amount, low=None, high=None):
    return {"kind": kind, "line": line, "stakeholder": stakeholder, "amount": amount, "low": low, "high": high}


def _scenario(cohort, lines, *, participants=10, name="Werkplaats Zuid"):
    return services.own_scenario_create(
        organisation=cohort.organisation,
        name=name,
        participants=participants,
        lines=lines,
        created_by=cohort.analyst,
    )


# --- The result by hand ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_ten_participants_at_1000_cost_and_3000_benefit_give_ratio_3(cohort):
    # 10 x 1,000 = 10,000 costs and 10 x 3,000 = 30,000 benefits, all gemeente, nothing discounted
    # (the rows are present values per participant): 30,000 / 10,000 = 3.0 on every ratio.
    scenario = _scenario(
        cohort, [row("cost", "begeleiding", "gemeente", "1000"), row("benefit", "werk", "gemeente", "3000")]
    )
    output = selectors.own_scenario_output(scenario)
    assert (output["total_costs"], output["total_benefits"], output["balance"]) == (10000, 30000, 20000)
    assert output["per_participant"] == {"total_costs": 1000, "total_benefits": 3000, "balance": 2000}
    assert (output["social_ratio"], output["financial_ratio"], output["municipal_ratio"]) == (3.0, 3.0, 3.0)
    assert output["stakeholders"] == {"gemeente": {"costs": 10000, "benefits": 30000, "balance": 20000}}
    assert output["parameter_set"] == {"name": "Werkplaats Zuid", "version": 1}
    assert len(output["reference_comparison"]) == 10
    # No ranges: every run is the point ratio.
    assert output["uncertainty"]["social_ratio_p5"] == output["uncertainty"]["social_ratio_p95"] == 3.0
    assert output["uncertainty"]["probability_above_1"] == 1.0


@pytest.mark.django_db
def test_rows_per_stakeholder_give_the_stakeholder_table_and_the_municipal_ratio(cohort):
    # N = 10. Costs: begeleiding 1,000 gemeente, extra_zorg 500 zorgverzekeraar -> 10,000 + 5,000.
    # Benefits: werk 1,000 gemeente + 2,000 UWV, kwaliteit_van_leven 600 jongere (immaterial)
    # -> gemeente 10,000, UWV 20,000, jongere 6,000; total 36,000.
    # social 36,000 / 15,000 = 2.4; financial (36,000 - 6,000) / 15,000 = 2.0;
    # municipal 10,000 / 10,000 = 1.0.
    scenario = _scenario(
        cohort,
        [
            row("cost", "begeleiding", "gemeente", "1000"),
            row("cost", "extra_zorg", "zorgverzekeraar", "500"),
            row("benefit", "werk", "gemeente", "1000"),
            row("benefit", "werk", "UWV", "2000"),
            row("benefit", "kwaliteit_van_leven", "jongere", "600"),
        ],
    )
    output = selectors.own_scenario_output(scenario)
    assert output["costs"]["extra_zorg"] == 5000 and output["benefits"]["werk"] == 30000
    assert (output["social_ratio"], output["financial_ratio"], output["municipal_ratio"]) == (2.4, 2.0, 1.0)
    assert output["stakeholders"] == {
        "gemeente": {"costs": 10000, "benefits": 10000, "balance": 0},
        "UWV": {"costs": 0, "benefits": 20000, "balance": 20000},
        "jongere": {"costs": 0, "benefits": 6000, "balance": 6000},
        "zorgverzekeraar": {"costs": 5000, "benefits": 0, "balance": -5000},
    }


@pytest.mark.django_db
def test_unallocated_benefits_and_the_municipal_ratio(cohort):
    # Costs 1,000 gemeente; werk 1,000 gemeente, zorgkosten 500 onverdeeld: social 1,500 / 1,000 =
    # 1.5; the gemeente's share of the 500 is not known, so no municipal ratio (1.0 would
    # understate it), and no break-even contributions (they need the split).
    rows = [
        row("cost", "begeleiding", "gemeente", "1000"),
        row("benefit", "werk", "gemeente", "1000"),
        row("benefit", "zorgkosten", "onverdeeld", "500"),
    ]
    output = selectors.own_scenario_output(_scenario(cohort, rows))
    assert (output["social_ratio"], output["municipal_ratio"]) == (1.5, None)
    assert "municipal_ratio" in output["ratio_notes"] and output["break_even_contribution"] is None
    assert output["stakeholders"]["onverdeeld"]["benefits"] == 5000  # the table keeps the split it has
    # Every benefit unallocated (a reference's rows): no split, so no municipal ratio.
    rows[1] = row("benefit", "werk", "onverdeeld", "1000")
    output = selectors.own_scenario_output(_scenario(cohort, rows, name="Alles onverdeeld"))
    assert output["municipal_ratio"] is None and "municipal_ratio" in output["ratio_notes"]


@pytest.mark.django_db
@pytest.mark.parametrize("number", range(1, 11))
def test_a_scenario_from_a_reference_reproduces_its_scenario_mode_figures(cohort, number):
    scenario = services.own_scenario_create_from_reference(
        organisation=cohort.organisation,
        name=f"Als aanpak {number}",
        reference_number=number,
        created_by=cohort.analyst,
    )
    own = selectors.own_scenario_output(scenario)
    reference = selectors.mkba_scenario_generate(reference_number=number)
    assert {key: own[key] for key in FIGURES} == {key: reference[key] for key in FIGURES}
    assert len(own["notes"]) == len(reference["notes"])  # the printed totals used, as printed
    assert scenario.source.startswith(f"Referentieaanpak {number}.")


@pytest.mark.django_db
def test_reference_1_as_printed_and_after_a_change(cohort):
    # Factsheet 1: lines add up to 1,640 costs and 3,601 benefits; printed 1,640 / 3,600, ratio 2.2.
    scenario = services.own_scenario_create_from_reference(
        organisation=cohort.organisation, name="Groepstraining eigen", reference_number=1, participants=60
    )
    output = selectors.own_scenario_output(scenario)
    assert (output["total_costs"], output["total_benefits"]) == (60 * 1640, 60 * 3600)
    assert output["social_ratio"] == 2.2  # 3,600 / 1,640 = 2.195... -> 2.20
    lines = list(scenario.lines)
    index = next(i for i, item in enumerate(lines) if item["line"] == "overige_interventie")
    lines[index] = {**lines[index], "amount": "260.50"}  # 200 -> 260,50
    second = services.own_scenario_version_create(
        scenario=scenario, organisation=cohort.organisation, lines=lines, approach=None
    )
    changed = selectors.own_scenario_output(second)
    # The rows now count as entered: costs 1,640 + 60.50 = 1,700.50, benefits 3,601.
    assert second.printed_totals == {}
    assert changed["per_participant"] == {"total_costs": 1701, "total_benefits": 3601, "balance": 1901}
    assert changed["total_costs"] == 102030  # 60 x 1,700.50
    assert changed["social_ratio"] == 2.12  # 3,601 / 1,700.50 = 2.1176
    # The first version keeps its figures.
    assert selectors.own_scenario_output(scenario)["social_ratio"] == 2.2


@pytest.mark.django_db
def test_a_scenario_from_the_cohort_reproduces_the_cohort_report(cohort):
    # The fixture's cohort on the test parameters (conftest): N = 4. Costs: 5.25 h x 60 = 315
    # begeleiding, 1,000 overige, 3,000 loon, 400 extra_zorg (half gemeente, half zorgverzekeraar)
    # = 4,715 -> per participant 78.75, 250, 750, 50 + 50. Benefits: work 1/4 - 0.1 = 0.15 x 4 =
    # 0.6 extra x (10,000 + 10,000 / 1.25) = 10,800 werk (gemeente) and 0.6 x 2,000 / 1.25 = 960
    # kwaliteit (jongere); school (2/4 - 0.6) x 0.8 = -0.08 x 4 = -0.32 x 5,000 = -1,600
    # startkwalificaties (jongere). Total 10,160; ratio 10,160 / 4,715 = 2.1548 -> 2.15.
    cohort.approach.parameter_set = cohort.parameter_set
    cohort.approach.save(update_fields=["parameter_set"])
    scenario = services.own_scenario_create_from_cohort(
        organisation=cohort.organisation,
        name="Vervolg",
        approach=cohort.approach,
        date_from=FROM,
        date_to=TO,
        measured_at=MEASURED_AT,
    )
    rows = {(item["kind"], item["line"], item["stakeholder"]): D(item["amount"]) for item in scenario.lines}
    assert rows[("cost", "begeleiding", "gemeente")] == D("78.75")
    assert rows[("cost", "extra_zorg", "zorgverzekeraar")] == D("50")
    assert rows[("benefit", "werk", "gemeente")] == D("2700")
    assert rows[("benefit", "startkwalificaties", "jongere")] == D("-400")
    output = selectors.own_scenario_output(scenario)
    assert (output["participants"], output["total_costs"], output["total_benefits"]) == (4, 4715, 10160)
    assert output["social_ratio"] == 2.15
    report = selectors.mkba_report_generate(
        approach=cohort.approach, date_from=FROM, date_to=TO, measured_at=MEASURED_AT
    )
    for key in (
        "costs",
        "benefits",
        "total_costs",
        "total_benefits",
        "social_ratio",
        "financial_ratio",
        "stakeholders",
    ):
        assert output[key] == report[key], key


# --- Versions ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_version_leaves_the_old_one_and_its_figures_unchanged(cohort):
    first = _scenario(
        cohort, [row("cost", "begeleiding", "gemeente", "1000"), row("benefit", "werk", "gemeente", "3000")]
    )
    before = selectors.own_scenario_output(first)
    second = services.own_scenario_version_create(
        scenario=first,
        organisation=cohort.organisation,
        lines=[row("cost", "begeleiding", "gemeente", "1000"), row("benefit", "werk", "gemeente", "1500.5")],
        participants=20,
        approach=cohort.approach,
        created_by=cohort.analyst,
    )
    assert (second.version, second.based_on, second.participants, second.approach) == (2, first, 20, cohort.approach)
    first.refresh_from_db()
    assert first.version == 1 and first.lines[1]["amount"] == "3000" and first.participants == 10
    assert selectors.own_scenario_output(first) == before
    # 20 x 1,500.50 / (20 x 1,000) = 1.5005 -> 1.50
    assert selectors.own_scenario_output(second)["social_ratio"] == 1.5
    assert [item.version for item in selectors.own_scenario_lineage(first)] == [2, 1]
    assert list(selectors.own_scenarios_latest(cohort.analyst)) == [second]
    assert AuditLogEntry.objects.filter(object_type="own_scenario", object_id=str(second.pk)).exists()


@pytest.mark.django_db
def test_a_saved_version_is_immutable(cohort):
    scenario = _scenario(cohort, None)
    scenario.participants = 99
    with pytest.raises(ImmutableRecordError):
        scenario.save()


@pytest.mark.django_db
def test_an_empty_scenario_has_every_line_at_0_and_no_ratio(cohort):
    scenario = _scenario(cohort, None)
    assert len(scenario.lines) == 11 and {item["amount"] for item in scenario.lines} == {"0"}
    output = selectors.own_scenario_output(scenario)
    assert output["social_ratio"] is None and output["uncertainty"]["reason"] == uncertainty.REASON_NO_COSTS


@pytest.mark.django_db
def test_names_are_unique_per_organisation_and_rows_are_checked(cohort):
    _scenario(cohort, None)
    with pytest.raises(ApplicationError) as error:
        _scenario(cohort, None)
    assert "name" in error.value.fields
    services.own_scenario_create(organisation=cohort.foreign_organisation, name="Werkplaats Zuid", participants=5)
    with pytest.raises(ApplicationError) as error:
        _scenario(cohort, [row("cost", "begeleiding", "gemeente", "-5")], name="Fout")
    assert error.value.fields == {"lines[0].amount": ["Kosten zijn niet negatief."]}
    assert not OwnScenario.objects.filter(name="Fout").exists()


@pytest.mark.django_db
def test_another_organisations_approach_or_scenario_is_refused(cohort):
    scenario = _scenario(cohort, None)
    with pytest.raises(ApplicationError):
        services.own_scenario_version_create(
            scenario=scenario, organisation=cohort.organisation, lines=scenario.lines, approach=cohort.foreign_approach
        )
    with pytest.raises(ApplicationError):
        services.own_scenario_version_create(
            scenario=scenario, organisation=cohort.foreign_organisation, lines=scenario.lines, approach=None
        )
    assert OwnScenario.objects.count() == 1


# --- Rows (pure) ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("x", [(None, "lines", LineErrorCode.NOT_A_LIST)]),
        ([row("gift", "werk", "gemeente", "1")], [(0, "kind", LineErrorCode.UNKNOWN_KIND)]),
        ([row("cost", "werk", "gemeente", "1")], [(0, "line", LineErrorCode.UNKNOWN_LINE)]),
        ([row("cost", "begeleiding", " ", "1")], [(0, "stakeholder", LineErrorCode.NO_STAKEHOLDER)]),
        ([row("cost", "begeleiding", "onverdeeld", "1")], [(0, "stakeholder", LineErrorCode.UNALLOCATED_COST)]),
        ([row("cost", "begeleiding", "gemeente", "veel")], [(0, "amount", LineErrorCode.NOT_A_NUMBER)]),
        ([row("cost", "begeleiding", "gemeente", "10000001")], [(0, "amount", LineErrorCode.TOO_LARGE)]),
        ([row("cost", "begeleiding", "gemeente", "5", low="1")], [(0, "high", LineErrorCode.RANGE_INCOMPLETE)]),
        ([row("benefit", "werk", "UWV", "5", "6", "9")], [(0, "low", LineErrorCode.RANGE_AROUND_AMOUNT)]),
        (
            [row("benefit", "werk", "UWV", "5"), row("benefit", "werk", "UWV", "6")],
            [(1, "stakeholder", LineErrorCode.DUPLICATE)],
        ),
        (
            [row("benefit", "werk", "UWV", "5"), row("benefit", "werk", "gemeente", "-5")],
            [(0, "amount", LineErrorCode.LINE_SUMS_TO_ZERO)],
        ),
        ([row("benefit", "werk", "UWV", "-5", "-9", "0")], []),  # a loss for a stakeholder is allowed
    ],
)
def test_line_issues(rows, expected):
    assert [(issue.row, issue.field, issue.code) for issue in own_scenarios.line_issues(rows)] == expected


def test_every_line_error_has_a_dutch_text():
    assert set(services.LINE_MESSAGES) == set(LineErrorCode)


# --- Uncertainty of the rows' ranges ----------------------------------------------------------------


def test_a_symmetric_range_on_the_benefit_by_hand():
    # Costs 1,000 fixed; benefits triangular on [0, 6,000] with its peak at 3,000. F(x) = x^2 /
    # (6,000 x 3,000) below the peak: P(ratio > 1) = 1 - F(1,000) = 17/18 = 0.944; p5 at
    # sqrt(0.05 x 18,000,000) = 948.7 -> 0.95; p50 = 3.0; p95 = 6,000 - 948.7 -> 5.05.
    lines = own_scenarios.lines_from_data(
        [row("cost", "begeleiding", "gemeente", "1000"), row("benefit", "werk", "gemeente", "3000", "0", "6000")]
    )
    inputs = own_scenarios.uncertainty_lines(lines)
    result = uncertainty.scenario_lines_uncertainty(inputs, runs=20000, seed=7)
    assert abs(float(result.probability_above_1) - 17 / 18) < 0.01
    assert abs(float(result.social_ratio_p5) - 0.9487) < 0.05
    assert abs(float(result.social_ratio_p50) - 3.0) < 0.05
    assert abs(float(result.social_ratio_p95) - 5.0513) < 0.05
    again = uncertainty.scenario_lines_uncertainty(inputs, runs=20000, seed=7)
    assert again == result  # the same inputs and seed give the same figures


def test_printed_totals_scale_the_draws_onto_the_printed_ratio():
    # Reference 1: rows 1,640 / 3,601, printed 1,640 / 3,600: the point ratio is 3,600 / 1,640.
    lines = own_scenarios.lines_from_data(
        [row("cost", "begeleiding", "gemeente", "1640"), row("benefit", "werk", "onverdeeld", "3601")]
    )
    printed = own_scenarios.PrintedTotals(D("1640"), D("3600"), D("1960"))
    result = uncertainty.scenario_lines_uncertainty(own_scenarios.uncertainty_lines(lines, printed), runs=10, seed=1)
    assert abs(float(result.social_ratio_p50) - 3600 / 1640) < 1e-12


# --- Ex ante beside ex post -------------------------------------------------------------------------


def test_comparison_per_participant_by_hand():
    # Ex ante: 10 participants, begeleiding 10,000 and werk 30,000. Ex post: 4 participants,
    # begeleiding 6,000 and werk 8,000 -> per participant 1,000 vs 1,500 (+500), 3,000 vs 2,000
    # (-1,000); ratio 3.0 vs 1.33.
    def output(participants, costs, benefits, ratio):
        return {
            "participants": participants,
            "costs": {"begeleiding": costs},
            "benefits": {"werk": benefits},
            "total_costs": costs,
            "total_benefits": benefits,
            "balance": benefits - costs,
            "social_ratio": ratio,
            "financial_ratio": ratio,
            "municipal_ratio": None,
            "stakeholders": {"gemeente": {"costs": costs, "benefits": benefits, "balance": benefits - costs}},
        }

    result = own_scenarios.comparison(output(10, 10000, 30000, 3.0), output(4, 6000, 8000, 1.33))
    begeleiding = result["costs"][0]
    assert (begeleiding["ex_ante"], begeleiding["ex_post"], begeleiding["difference"]) == (1000, 1500, 500)
    werk = next(item for item in result["benefits"] if item["key"] == "werk")
    assert (werk["ex_ante"], werk["ex_post"], werk["difference"]) == (3000, 2000, -1000)
    assert result["ratios"][0] == {"key": "social_ratio", "ex_ante": 3.0, "ex_post": 1.33, "difference": -1.67}
    assert result["ratios"][2]["difference"] is None
    assert result["participants"] == {"ex_ante": 10, "ex_post": 4}
    assert result["stakeholders"][0]["balance"] == {"ex_ante": 2000, "ex_post": 500, "difference": -1500}
