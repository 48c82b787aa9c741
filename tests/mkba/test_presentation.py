"""The MKBA result in words (issue 15): a negative balance or ratio says why in one plain Dutch
sentence computed from the result JSON; parameter-set explanations without code words."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from mkba.presentation import negative_result_reason, result_presentation
from mkba.templatetags.mkba_words import readable, stakeholder, stream_years


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def result(**changes):
    """A hand-made contract JSON (SPEC §4) of a cohort of 20: costs 40,000, and work reached by 10%
    against a nulalternatief of 29% (net -19%, 3.8 outcomes fewer), so the benefit lines werk and
    kwaliteit van leven are negative. The sentence reads only signs, rates and totals."""
    output = {
        "approach": "Casusregisseur (RMC)",
        "cohort": {"from": "2025-01-01", "to": "2026-01-01", "measured_at": "2026-11-30"},
        "participants": 20,
        "parameter_set": {"name": "Testkengetallen", "version": 1},
        "costs": {"begeleiding": 40000, "overige_interventie": 0, "loon_vergoedingen": 0, "extra_zorg": 0,
                  "extra_onderwijs": 0},
        "benefits": {"taakverlichting": 0, "werk": -144000, "startkwalificaties": 0, "zorgkosten": 0,
                     "kwaliteit_van_leven": -56000, "criminaliteit_overlast": 0},
        "total_costs": 40000,
        "total_benefits": -200000,
        "balance": -240000,
        "per_participant": {"total_costs": 2000, "total_benefits": -10000, "balance": -12000},
        "social_ratio": -5.0,
        "financial_ratio": -3.6,
        "municipal_ratio": -2.1,
        "stakeholders": {"gemeente": {"costs": 40000, "benefits": -86000, "balance": -126000},
                         "jongere": {"costs": 0, "benefits": -114000, "balance": -114000}},
        "effects": {"work": {"observed": 0.10, "baseline": 0.29, "net": -0.19, "extra": -3.8}},
        "break_even_effect": 0.038,
        "sensitivity": {"low": -6.0, "high": -4.0},
        "reference_comparison": [],
        "ratio_notes": {},
    }  # fmt: skip
    output.update(changes)
    return output


def test_a_negative_result_names_the_outcome_below_the_nulalternatief_and_the_negative_lines():
    assert negative_result_reason(result()) == (
        "De baten zijn negatief omdat het waargenomen aandeel lager is dan in het nulalternatief (zonder de "
        "aanpak) bij werk (10,0% tegen 29,0%); daardoor zijn vooral de batenregels ‘meer aan het werk’ en "
        "‘toename kwaliteit van leven’ negatief."
    )


def test_an_early_measurement_is_named_as_the_likely_cause():
    early = result(cohort={"from": "2026-07-01", "to": "2026-10-01", "measured_at": "2026-09-30"})
    assert negative_result_reason(early).endswith(
        "Er is gemeten op de dag van de laatste start in het cohort: trajecten die dan nog lopen, hebben hun "
        "resultaat vaak nog niet."
    )
    later = result(cohort={"from": "2026-01-01", "to": "2026-04-01", "measured_at": "2026-06-30"})
    assert "Er is gemeten 91 dagen na de laatste start in het cohort" in negative_result_reason(later)


def test_benefits_below_costs_without_a_negative_effect_name_the_break_even():
    output = result(
        benefits={"taakverlichting": 0, "werk": 24000, "startkwalificaties": 0, "zorgkosten": 0,
                  "kwaliteit_van_leven": 6000, "criminaliteit_overlast": 0},
        total_benefits=30000,
        balance=-10000,
        social_ratio=0.75,
        effects={"work": {"observed": 0.32, "baseline": 0.29, "net": 0.03, "extra": 0.6}},
        break_even_effect=0.038,
    )  # fmt: skip
    assert negative_result_reason(output) == (
        "De baten (€ 30.000) zijn lager dan de kosten (€ 40.000): het netto-effect op werk is 3,0%, en pas bij "
        "3,8% wegen de baten op tegen de kosten."
    )


def test_a_positive_result_has_no_reason_and_the_page_shows_none():
    positive = result(
        benefits={"taakverlichting": 0, "werk": 70000, "startkwalificaties": 0, "zorgkosten": 0,
                  "kwaliteit_van_leven": 20000, "criminaliteit_overlast": 0},
        total_benefits=90000, balance=50000, social_ratio=2.25,
        effects={"work": {"observed": 0.40, "baseline": 0.29, "net": 0.11, "extra": 2.2}},
    )  # fmt: skip
    assert negative_result_reason(positive) is None
    page = render_to_string("mkba/partials/result.html", {"result": result_presentation(positive)})
    assert 'id="negative-reason"' not in page


def test_the_result_page_shows_the_reason_dutch_dates_and_capitalised_stakeholders():
    page = render_to_string("mkba/partials/result.html", {"result": result_presentation(result())})
    assert 'id="negative-reason"' in page and "bij werk (10,0% tegen 29,0%)" in page
    assert "gestart van 1 januari 2025 t/m 31 december 2025, gemeten op 30 november 2026" in page
    assert "<td>Gemeente</td>" in page and "<td>Jongere</td>" in page
    assert "2025-01-01" not in page


def test_parameter_set_explanations_read_without_code_words():
    assert readable("eenmalig bedrag in jaar 0 (first_year 0, years 1), zodat") == (
        "eenmalig bedrag in jaar 0 (vanaf jaar 0, 1 jaar), zodat"
    )
    assert readable("zie de 'source' per uitkomst; zie 'source'.") == "zie de bron per uitkomst; zie bron."
    assert readable("Immaterieel: alleen kwaliteit_van_leven (1,0) en criminaliteit_overlast") == (
        "Immaterieel: alleen toename kwaliteit van leven (1,0) en voorkomen criminaliteit & overlast"
    )
    assert readable("kostengrondslag 'hours'; Baseline-band; een eigen baseline") == (
        "kostengrondslag uren; Nulalternatief-band; een eigen nulalternatief"
    )
    # Dutch words that are also codes stay where they are not quoted.
    assert readable("De verdeling werk 60/40") == "De verdeling werk 60/40"
    assert stakeholder("gemeente") == "Gemeente"
    assert stream_years({"first_year": 0, "years": 5}) == "jaar 0 t/m 4"
    assert stream_years({"first_year": 1, "years": 1}) == "jaar 1"


@pytest.mark.django_db
def test_the_default_sets_page_shows_no_code_words(client, cohort):
    from mkba.models import DEFAULT_PARAMETER_SET_NAME, ParameterSet

    client.force_login(cohort.analyst)
    default = ParameterSet.objects.get(organisation=None, name=DEFAULT_PARAMETER_SET_NAME)
    page = client.get(f"/kengetallen/{default.pk}/").content.decode()
    for code in ("kwaliteit_van_leven", "criminaliteit_overlast", "first_year", "years 1", "&#x27;source&#x27;"):
        assert code not in page, code
    assert "(vanaf jaar 0, 1 jaar)" in page and "zie de bron per uitkomst" in page
    assert "toename kwaliteit van leven" in page
    assert "<td>Gemeente</td>" in page and "jaar 0 t/m 4" in page
