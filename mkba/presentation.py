"""The MKBA result in words and pictures: Dutch number formats (1.234.567 and 4,37), the break-even
sentence, the two inline SVG charts and the layout of the contract JSON (SPEC §4), shared by the
Rendement page (``mkba.views``) and the stored MKBA reports as page and PDF (``mkba.reports``); and
the result as text for the commands (``mkba_table``)."""

import datetime
import json
import re
from decimal import Decimal
from typing import Any

from django.utils import formats as django_formats
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import CostLine, OutcomeType
from core import formats
from mkba import calculations
from mkba.models import NULL_REASONS, OUTCOME_PHRASES, BenefitLine

# --- Number formats (Dutch: 1.234.567 and 4,37): core.formats, under the names the pages use --------


def euro(value: float | int | Decimal | None) -> str:
    return formats.euro_text(value)


def ratio_text(value: float | int | Decimal | None, decimals: int = 2) -> str:
    return formats.number_text(value, decimals)


def percent(value: float | int | Decimal | None, decimals: int = 1) -> str:
    return formats.percent_text(value, decimals)


def number_text(value: float | int | Decimal | None, decimals: int) -> str:
    return formats.number_text(value, decimals)


def break_even_sentence(value: float | None, main_outcome: str) -> str | None:
    """ "bij een netto-effect van 3,2% op werk is de MKBA-verhouding 1"."""
    if value is None:
        return None
    return _("bij een netto-effect van %(effect)s op %(outcome)s is de MKBA-verhouding 1") % {
        "effect": percent(value),
        "outcome": OUTCOME_PHRASES.get(main_outcome, main_outcome),
    }


def stakeholder_name(name: str) -> str:
    """A stakeholder as the page names it: the parameter set's name with a capital (``gemeente``
    -> ``Gemeente``); the names are the set's own Dutch words, the JSON keeps them as they are."""
    return str(capfirst(name))


def date_text(value: str | None) -> str:
    """An ISO date of the result JSON as a Dutch date (``2026-07-01`` -> ``1 juli 2026``)."""
    if not value:
        return ""
    return django_formats.date_format(datetime.date.fromisoformat(value), "j F Y")


_LINE_NUMBER = re.compile(r"^\d+[a-z]?\.\s*")


def line_phrase(label: object) -> str:
    """A numbered line label of the factsheets inside a sentence: ``2. Meer aan het werk`` ->
    ``meer aan het werk``."""
    text = _LINE_NUMBER.sub("", str(label))
    return text[:1].lower() + text[1:]


def _joined(items: list[str]) -> str:
    """``a``, ``a en b``, ``a, b en c``."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s en %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


# A measurement within half a year of the cohort's last start finds many of its trajectories (six
# to fifteen months long) still running, their outcomes not yet recorded.
EARLY_MEASUREMENT_DAYS = 183


def negative_result_reason(output: dict[str, Any], main_outcome: str = calculations.DEFAULT_MAIN_OUTCOME) -> str | None:
    """Why the social balance or ratio is negative, in one plain Dutch sentence computed from the
    result JSON (SPEC §4): which outcomes were reached less often than in the nulalternatief and
    which benefit lines that turned negative, or how far the main outcome's net effect stays below
    the break-even effect. None when the balance is not negative (or there is nothing to compare).
    A second short sentence follows when the measurement came early after the cohort's starts, the
    usual reason why observed rates lag behind."""
    balance, ratio = output.get("balance"), output.get("social_ratio")
    if not ((balance is not None and balance < 0) or (ratio is not None and ratio < 0)):
        return None
    below = [
        (name, effect)
        for name, effect in output.get("effects", {}).items()
        if effect.get("net") is not None and effect["net"] < 0
    ]
    rates = [
        _("%(outcome)s (%(observed)s tegen %(baseline)s)")
        % {
            "outcome": OUTCOME_PHRASES.get(name, name),
            "observed": percent(effect["observed"]),
            "baseline": percent(effect["baseline"]),
        }
        for name, effect in below
    ]
    benefit_labels = dict(BenefitLine.choices)
    most_negative = sorted((amount, line) for line, amount in output.get("benefits", {}).items() if amount < 0)
    negative_lines = [f"‘{line_phrase(benefit_labels.get(line, line))}’" for _amount, line in most_negative[:2]]
    if output["total_benefits"] < 0:
        lead = _("De baten zijn negatief")
    else:
        lead = _("De baten (%(benefits)s) zijn lager dan de kosten (%(costs)s)") % {
            "benefits": euro(output["total_benefits"]),
            "costs": euro(output["total_costs"]),
        }
    main_effect = output.get("effects", {}).get(main_outcome)
    break_even = output.get("break_even_effect")
    if below:
        sentence = _(
            "%(lead)s omdat het waargenomen aandeel lager is dan in het nulalternatief (zonder de aanpak) bij %(rates)s"
        ) % {"lead": lead, "rates": _joined(rates)}
        if negative_lines:
            sentence += ngettext(
                "; daardoor is vooral de batenregel %(lines)s negatief",
                "; daardoor zijn vooral de batenregels %(lines)s negatief",
                len(negative_lines),
            ) % {"lines": _joined(negative_lines)}
    elif main_effect is not None and main_effect.get("net") is not None and break_even is not None:
        sentence = _(
            "%(lead)s: het netto-effect op %(outcome)s is %(net)s, en pas bij %(break_even)s wegen de baten op tegen de kosten"
        ) % {
            "lead": lead,
            "outcome": OUTCOME_PHRASES.get(main_outcome, main_outcome),
            "net": percent(main_effect["net"]),
            "break_even": percent(break_even),
        }
    else:
        sentence = _(
            "%(lead)s: de baten per deelnemer (%(benefits)s) dekken de kosten per deelnemer (%(costs)s) niet"
        ) % {
            "lead": lead,
            "benefits": euro(output["per_participant"]["total_benefits"]),
            "costs": euro(output["per_participant"]["total_costs"]),
        }
    sentence += "."
    cohort = output.get("cohort") or {}
    if below and cohort.get("to") and cohort.get("measured_at"):
        last_start = datetime.date.fromisoformat(cohort["to"]) - datetime.timedelta(days=1)
        days = (datetime.date.fromisoformat(cohort["measured_at"]) - last_start).days
        if days < EARLY_MEASUREMENT_DAYS:
            when = (
                _("op de dag van de laatste start in het cohort")
                if days <= 0
                else _("%(days)s dagen na de laatste start in het cohort") % {"days": days}
            )
            sentence += " " + _(
                "Er is gemeten %(when)s: trajecten die dan nog lopen, hebben hun resultaat vaak nog niet."
            ) % {"when": when}
    return sentence


def _null_reason(output: dict[str, Any], key: str) -> str:
    reason = output.get("ratio_notes", {}).get(key)
    return str(NULL_REASONS.get(reason, reason)) if reason else ""


# --- Charts (server-rendered inline SVG; coordinates as ints so no locale touches them) ----------------


def stakeholder_chart(stakeholders: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Grouped bars per stakeholder: costs and benefits, with a zero line (benefits may be negative)."""
    group_width, bar_width, top, plot_height, left = 150, 48, 24, 180, 16
    values = [row[key] for row in stakeholders.values() for key in ("costs", "benefits")] or [0]
    highest, lowest = max(0, *values), min(0, *values)
    span = (highest - lowest) or 1

    def y(value: float) -> int:
        return round(top + (highest - value) / span * plot_height)

    zero = y(0)
    bars, labels = [], []
    for index, (name, row) in enumerate(stakeholders.items()):
        x = left + index * group_width
        for offset, key, css, label in (
            (10, "costs", "bar-costs", _("kosten")),
            (62, "benefits", "bar-benefits", _("baten")),
        ):
            value = row[key]
            top_y = min(y(value), zero)
            height = abs(y(value) - zero)
            bars.append(
                {
                    "x": x + offset,
                    "y": top_y,
                    "width": bar_width,
                    "height": max(height, 1),
                    "css": css,
                    "title": f"{stakeholder_name(name)}: {label} {euro(value)}",
                    "text": euro(value),
                    "text_x": x + offset + bar_width // 2,
                    "text_y": top_y - 5 if value >= 0 else top_y + height + 13,
                }
            )
        labels.append({"x": x + 60, "text": stakeholder_name(name)})
    return {
        "is_empty": not any(values),
        "width": left * 2 + group_width * max(len(stakeholders), 1),
        "height": top + plot_height + 44,
        "zero_y": zero,
        "label_y": top + plot_height + 34,
        "bars": bars,
        "labels": labels,
    }


def reference_chart(output: dict[str, Any], *, title: str) -> dict[str, Any]:
    """A bar per reference approach with its printed social ratio, and this result highlighted,
    sorted from high to low; a dashed line marks ratio 1 (costs = benefits)."""
    rows: list[dict[str, Any]] = [
        {"label": f"{item['number']}. {item['name']}", "value": item["social_ratio"], "current": False}
        for item in output.get("reference_comparison", [])
    ]
    if output.get("social_ratio") is not None:
        rows.append({"label": title, "value": output["social_ratio"], "current": True})
    rows.sort(key=lambda row: -row["value"])
    label_width, bar_area, row_height, top = 330, 380, 24, 8
    values = [row["value"] for row in rows] or [1]
    highest, lowest = max(1, *values), min(0, *values)
    span = highest - lowest

    def x(value: float) -> int:
        return round(label_width + (value - lowest) / span * bar_area)

    zero = x(0)
    for index, row in enumerate(rows):
        end = x(row["value"])
        row.update(
            {
                "y": top + index * row_height,
                "text_y": top + index * row_height + 15,
                "bar_x": min(zero, end),
                "bar_width": max(abs(end - zero), 1),
                "value_text": ratio_text(row["value"], 2 if row["current"] else 1),
                "value_x": max(zero, end) + 6,
            }
        )
    return {
        "width": label_width + bar_area + 60,
        "height": top * 2 + row_height * len(rows),
        "rows": rows,
        "one_x": x(1),
        "zero_x": zero,
        "label_x": label_width - 8,
    }


# --- The result as a reader of the source study knows it ---------------------------------------


def result_presentation(
    output: dict[str, Any], *, parameters: dict[str, Any] | None = None, title: str | None = None
) -> dict[str, Any]:
    """Lay out the contract JSON (SPEC §4): lines per participant and in total, the three ratios
    with the reason when null, stakeholders, effects, break-even, sensitivity and the reference
    comparison. ``parameters`` (the set's data) marks immaterial benefit lines."""
    participants = output["participants"]

    def per_participant(total: int) -> str:
        return "—" if participants == 0 else euro(Decimal(total) / participants)

    immaterial = dict(calculations.DEFAULT_IMMATERIAL_SHARES)
    if parameters:
        immaterial.update(
            {line: Decimal(str(share)) for line, share in parameters.get("immaterial_shares", {}).items()}
        )
    main_outcome = str((parameters or {}).get("main_outcome", calculations.DEFAULT_MAIN_OUTCOME))
    per = output["per_participant"]
    outcome_labels = dict(OutcomeType.choices)
    main_effect = output["effects"].get(main_outcome)
    cohort = output["cohort"]
    return {
        "output": output,
        "is_scenario": cohort["from"] is None,
        "cohort": {
            "from": date_text(cohort["from"]),
            "last": date_text(
                (datetime.date.fromisoformat(cohort["to"]) - datetime.timedelta(days=1)).isoformat()
                if cohort["to"]
                else None
            ),
            "measured_at": date_text(cohort["measured_at"]),
        },
        "negative_reason": negative_result_reason(output, main_outcome),
        "cost_rows": [
            {
                "label": label,
                "per_participant": per_participant(output["costs"][line]),
                "total": euro(output["costs"][line]),
            }
            for line, label in CostLine.choices
        ],
        "benefit_rows": [
            {
                "label": label,
                "per_participant": per_participant(output["benefits"][line]),
                "total": euro(output["benefits"][line]),
                "immaterial": immaterial.get(line, Decimal(0)) > 0,
            }
            for line, label in BenefitLine.choices
        ],
        "totals": {
            "costs": (euro(per["total_costs"]), euro(output["total_costs"])),
            "benefits": (euro(per["total_benefits"]), euro(output["total_benefits"])),
            "balance": (euro(per["balance"]), euro(output["balance"])),
            "balance_negative": output["balance"] < 0,
        },
        "ratios": [
            {
                "key": key,
                "label": label,
                "explanation": explanation,
                "value": ratio_text(output[key]),
                "reason": _null_reason(output, key),
            }
            for key, label, explanation in (
                ("social_ratio", _("Maatschappelijke KB-verhouding"), _("alle baten / alle kosten")),
                (
                    "financial_ratio",
                    _("Financiële KB-verhouding"),
                    _("baten zonder het immateriële deel / alle kosten"),
                ),
                (
                    "municipal_ratio",
                    _("Gemeentelijke KB-verhouding"),
                    _("baten voor de gemeente / kosten van de gemeente"),
                ),
            )
        ],
        "stakeholder_rows": [
            {
                "name": stakeholder_name(name),
                "costs": euro(row["costs"]),
                "benefits": euro(row["benefits"]),
                "balance": euro(row["balance"]),
            }
            for name, row in output["stakeholders"].items()
        ],
        "stakeholder_chart": stakeholder_chart(output["stakeholders"]),
        "effect_rows": [
            {
                "label": outcome_labels.get(outcome, outcome),
                "is_main": outcome == main_outcome,
                "observed": percent(effect["observed"]),
                "baseline": percent(effect["baseline"]),
                "net": percent(effect["net"]),
                "net_negative": effect["net"] is not None and effect["net"] < 0,
                "extra": number_text(effect["extra"], 2),
            }
            for outcome, effect in output["effects"].items()
        ],
        "break_even": break_even_sentence(output["break_even_effect"], main_outcome),
        "break_even_reason": _null_reason(output, "break_even_effect"),
        "main_net": percent(main_effect["net"]) if main_effect else None,
        "main_outcome": OUTCOME_PHRASES.get(main_outcome, main_outcome),
        "sensitivity": {
            "low": ratio_text(output["sensitivity"]["low"]),
            "high": ratio_text(output["sensitivity"]["high"]),
            "is_point": output["sensitivity"]["low"] == output["sensitivity"]["high"],
            "reason": _null_reason(output, "sensitivity"),
        },
        "reference_chart": reference_chart(output, title=title or _("Dit resultaat")),
        "per_participant_reason": _null_reason(output, "per_participant"),
        "uncertainty": uncertainty_presentation(output),
        "payer_rows": payer_rows(output),
    }


_UNCERTAINTY_WIDTH, _UNCERTAINTY_LEFT, _UNCERTAINTY_RIGHT = 480, 20, 460


def uncertainty_presentation(output: dict[str, Any]) -> dict[str, Any] | None:
    """The Monte Carlo of the social ratio (``uncertainty``, issue 17) for the page and the PDF: the
    p5–p95 bar with a tick at p50, the point estimate as a dot, the sensitivity band as a thin line,
    a dashed line at ratio 1, and one plain sentence. None when the result has no such object."""
    figures = output.get("uncertainty")
    if not figures:
        return None
    if figures.get("social_ratio_p50") is None:
        reason = figures.get("reason")
        return {
            "reason": str(NULL_REASONS.get(reason, reason)) if reason else _("geen verhouding om door te rekenen"),
            "chart": None,
        }
    band = output.get("sensitivity") or {}
    values = [
        value
        for value in (
            figures["social_ratio_p5"],
            figures["social_ratio_p95"],
            output.get("social_ratio"),
            band.get("low"),
            band.get("high"),
            0.0,
            1.0,
        )
        if value is not None
    ]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    low, high = low - span * 0.05, high + span * 0.05

    def x(value: float) -> float:
        return round(_UNCERTAINTY_LEFT + (value - low) / (high - low) * (_UNCERTAINTY_RIGHT - _UNCERTAINTY_LEFT), 1)

    chart = {
        "width": _UNCERTAINTY_WIDTH,
        "height": 84,
        "one_x": x(1.0),
        "bar_x": x(figures["social_ratio_p5"]),
        "bar_width": max(1.0, x(figures["social_ratio_p95"]) - x(figures["social_ratio_p5"])),
        "p50_x": x(figures["social_ratio_p50"]),
        "point_x": x(output["social_ratio"]) if output.get("social_ratio") is not None else None,
        "band": (x(band["low"]), x(band["high"]))
        if band.get("low") is not None and band.get("high") is not None
        else None,
        "ticks": _ticks_apart([1.0, *(round(low + (high - low) * share, 1) for share in (0.05, 0.5, 0.95))], x),
    }
    probability = figures["probability_above_1"]
    return {
        "reason": None,
        "chart": chart,
        "p5": ratio_text(figures["social_ratio_p5"]),
        "p50": ratio_text(figures["social_ratio_p50"]),
        "p95": ratio_text(figures["social_ratio_p95"]),
        "probability": percent(probability, 0) if probability is not None else "—",
        "runs": figures["runs"],
        "seed": figures["seed"],
    }


def _ticks_apart(values: list[float], x: Any, *, gap: float = 36.0) -> list[dict[str, Any]]:
    """Tick labels at least ``gap`` pixels apart, the first value (1.0, the line that matters)
    always kept: two labels closer than that print over each other ("1,01,1")."""
    kept: list[float] = []
    for value in values:
        if all(abs(x(value) - x(other)) >= gap for other in kept):
            kept.append(value)
    return [{"x": x(value), "text": ratio_text(value, 1)} for value in sorted(kept)]


def payer_rows(output: dict[str, Any]) -> list[dict[str, Any]]:
    """Who can pay (``break_even_contribution``, issue 17): per stakeholder the most it can
    contribute while its own balance stays at least 0, beside what it bears now."""
    contributions = output.get("break_even_contribution") or {}
    stakeholders = output.get("stakeholders") or {}
    return [
        {
            "name": stakeholder_name(name),
            "contribution": euro(amount),
            "costs": euro(stakeholders.get(name, {}).get("costs", 0)),
            "negative": amount is not None and amount < 0,
        }
        for name, amount in contributions.items()
    ]


# --- As text (the commands mkba_report and mkba_scenario) ------------------------------------------
#
# The command line's tables are Dutch (1.234,5) whatever language the command runs in; euro without
# the sign, grouped.


def _text_number(value: float | int | Decimal, decimals: int) -> str:
    with translation.override("nl"):
        return formats.number_text(value, decimals, grouping=True)


def _text_euro(value: float | int | Decimal | None) -> str:
    with translation.override("nl"):
        return formats.euro_text(value, sign=False)


def _text_ratio(value: float | None) -> str:
    return "—" if value is None else _text_number(value, 2)


def _text_percent(value: float | None) -> str:
    if value is None:
        return "—"
    with translation.override("nl"):
        return formats.percent_text(value, 1)


def _per_participant(total: int | None, participants: int) -> float | None:
    return None if total is None or participants == 0 else total / participants


def _text_reason(output: dict[str, Any], key: str) -> str:
    reason = output.get("ratio_notes", {}).get(key)
    return f"  ({NULL_REASONS.get(reason, reason)})" if reason else ""


def break_even_text(output: dict[str, Any], main_outcome: str = calculations.DEFAULT_MAIN_OUTCOME) -> str | None:
    """ "bij een netto-effect van 3,2% op werk is de MKBA-verhouding 1" (None without a break-even)."""
    value = output.get("break_even_effect")
    if value is None:
        return None
    phrase = OUTCOME_PHRASES.get(main_outcome, main_outcome)
    return f"bij een netto-effect van {_text_percent(value)} op {phrase} is de MKBA-verhouding 1"


def mkba_table(output: dict[str, Any], *, main_outcome: str = calculations.DEFAULT_MAIN_OUTCOME) -> str:
    """The contract JSON as a readable factsheet (Dutch labels as in the source study)."""
    n = output["participants"]
    cohort = output["cohort"]
    width = 58
    lines = [f"MKBA  {output['approach']}"]
    if cohort["from"]:
        lines.append(
            f"Cohort: trajecten gestart van {cohort['from']} tot {cohort['to']} (exclusief), gemeten op {cohort['measured_at']}"
        )
    else:
        lines.append("Scenariomodus: kosten en baten per deelnemer zoals in de factsheet")
    parameter_set = output["parameter_set"]
    lines.append(f"Deelnemers (N): {n}    Kengetallen: {parameter_set['name']} (versie {parameter_set['version']})")
    lines.append("")
    header = f"{'':<{width}}{'per deelnemer':>15}{'totaal':>15}"
    lines.append(f"{'KOSTEN':<{width}}{header[width:]}")
    for line, label in CostLine.choices:
        amount = output["costs"][line]
        lines.append(f"{label:<{width}}{_text_euro(_per_participant(amount, n)):>15}{_text_euro(amount):>15}")
    per = output["per_participant"]
    lines.append(
        f"{'Totaal kosten':<{width}}{_text_euro(per['total_costs']):>15}{_text_euro(output['total_costs']):>15}"
    )
    lines.append("")
    lines.append("BATEN")
    for line, label in BenefitLine.choices:
        amount = output["benefits"][line]
        lines.append(f"{label:<{width}}{_text_euro(_per_participant(amount, n)):>15}{_text_euro(amount):>15}")
    lines.append(
        f"{'Totaal baten':<{width}}{_text_euro(per['total_benefits']):>15}{_text_euro(output['total_benefits']):>15}"
    )
    lines.append(
        f"{'Saldo (baten - kosten)':<{width}}{_text_euro(per['balance']):>15}{_text_euro(output['balance']):>15}"
    )
    lines.append("")
    lines.append(
        f"Maatschappelijke KB-verhouding: {_text_ratio(output['social_ratio'])}{_text_reason(output, 'social_ratio')}"
    )
    lines.append(
        f"Financiële KB-verhouding:       {_text_ratio(output['financial_ratio'])}{_text_reason(output, 'financial_ratio')}"
    )
    lines.append(
        f"Gemeentelijke KB-verhouding:    {_text_ratio(output['municipal_ratio'])}{_text_reason(output, 'municipal_ratio')}"
    )
    lines.append("")
    lines.append(f"{'BELANGHEBBENDEN':<30}{'kosten':>15}{'baten':>15}{'saldo':>15}")
    for name, row in output["stakeholders"].items():
        lines.append(
            f"{name:<30}{_text_euro(row['costs']):>15}{_text_euro(row['benefits']):>15}{_text_euro(row['balance']):>15}"
        )
    if output["effects"]:
        lines.append("")
        lines.append(f"{'EFFECTEN':<30}{'waargenomen':>14}{'nulalternatief':>16}{'netto':>10}{'extra':>10}")
        labels = dict(OutcomeType.choices)
        for outcome, effect in output["effects"].items():
            extra = "—" if effect["extra"] is None else _text_number(effect["extra"], 2)
            lines.append(
                f"{labels.get(outcome, outcome)!s:<30}{_text_percent(effect['observed']):>14}"
                f"{_text_percent(effect['baseline']):>16}{_text_percent(effect['net']):>10}{extra:>10}"
            )
    lines.append("")
    sentence = break_even_text(output, main_outcome)
    lines.append(f"Break-even: {sentence}" if sentence else f"Break-even: —{_text_reason(output, 'break_even_effect')}")
    band = output["sensitivity"]
    lines.append(
        f"Gevoeligheid (maatschappelijke KB-verhouding): {_text_ratio(band['low'])} – {_text_ratio(band['high'])}"
    )
    spread = output.get("uncertainty")
    if spread and spread.get("social_ratio_p50") is not None:
        lines.append(
            f"Onzekerheid ({spread['runs']} doorrekeningen, seed {spread['seed']}): p5 "
            f"{_text_ratio(spread['social_ratio_p5'])}, p50 {_text_ratio(spread['social_ratio_p50'])}, p95 "
            f"{_text_ratio(spread['social_ratio_p95'])}; kans op verhouding > 1: "
            f"{_text_percent(spread['probability_above_1'])}"
        )
    for name, amount in (output.get("break_even_contribution") or {}).items():
        lines.append(f"Kan bijdragen tot (break-even eigen saldo), {stakeholder_name(name)}: {_text_euro(amount)}")
    if output.get("reference_comparison"):
        lines.append("")
        lines.append("VERGELIJKING MET DE TIEN REFERENTIEAANPAKKEN (maatschappelijke KB-verhouding)")
        for reference in output["reference_comparison"]:
            lines.append(
                f"  {reference['number']:>2}. {reference['name']:<50}{_text_number(reference['social_ratio'], 1):>8}"
            )
        lines.append(f"  ▶  {'dit resultaat':<50}{_text_ratio(output['social_ratio']):>8}")
    for note in output.get("notes", []):
        lines.append(f"Noot: {note}")
    return "\n".join(lines)


def command_output(output: dict[str, Any], output_format: str, *, main_outcome: str) -> str:
    """What ``mkba_report`` and ``mkba_scenario`` print: the contract JSON or the factsheet table."""
    if output_format == "json":
        # One JSON document on stdout and nothing else there (SPEC §6).
        return json.dumps(output, ensure_ascii=False, indent=2)
    return mkba_table(output, main_outcome=main_outcome)


# --- An own scenario beside an ex-post report (issue 17, item 6) ----------------------------------


def scenario_comparison_presentation(comparison: dict[str, Any]) -> dict[str, Any]:
    """``own_scenarios.comparison`` in Dutch words and numbers: per line, stakeholder and total
    the euro per participant before and after and the difference (signed, red when after is
    worse: higher costs, lower benefits or balance), and the ratios."""

    def signed(value: int | None) -> str:
        # "€ +250" beside the app's "€ -921"
        return (
            "—" if value is None else "€ " + ("+" if value > 0 else "") + formats.number_text(value, 0, grouping=True)
        )

    def row(label: str, figures: dict[str, Any], *, costs: bool = False) -> dict[str, Any]:
        difference = figures["difference"]
        worse = difference is not None and (difference > 0 if costs else difference < 0)
        return {
            "label": label,
            "ex_ante": euro(figures["ex_ante"]),
            "ex_post": euro(figures["ex_post"]),
            "difference": signed(difference),
            "worse": worse,
        }

    cost_labels, benefit_labels = dict(CostLine.choices), dict(BenefitLine.choices)
    total_labels = {
        "total_costs": _("Totaal kosten"),
        "total_benefits": _("Totaal baten"),
        "balance": _("Saldo (baten − kosten)"),
    }
    ratio_labels = {
        "social_ratio": _("Maatschappelijke KB-verhouding"),
        "financial_ratio": _("Financiële KB-verhouding"),
        "municipal_ratio": _("Gemeentelijke KB-verhouding"),
    }
    return {
        "participants": comparison["participants"],
        "cost_rows": [row(str(cost_labels[item["key"]]), item, costs=True) for item in comparison["costs"]],
        "benefit_rows": [row(str(benefit_labels[item["key"]]), item) for item in comparison["benefits"]],
        "total_rows": [
            row(str(total_labels[item["key"]]), item, costs=item["key"] == "total_costs")
            for item in comparison["totals"]
        ],
        "stakeholder_rows": [
            {
                "name": stakeholder_name(item["key"]),
                "costs": row("", item["costs"], costs=True),
                "benefits": row("", item["benefits"]),
                "balance": row("", item["balance"]),
            }
            for item in comparison["stakeholders"]
        ],
        "ratio_rows": [
            {
                "label": ratio_labels[item["key"]],
                "ex_ante": ratio_text(item["ex_ante"]),
                "ex_post": ratio_text(item["ex_post"]),
                "difference": "—"
                if item["difference"] is None
                else ("+" if item["difference"] > 0 else "") + ratio_text(item["difference"]),
                "worse": item["difference"] is not None and item["difference"] < 0,
            }
            for item in comparison["ratios"]
        ],
    }
