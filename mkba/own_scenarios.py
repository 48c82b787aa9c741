"""Own ex-ante scenarios (issue 17, item 6): pure functions, no Django, no ORM.

SPEC.md 4's scenario mode takes per-participant cost and benefit lines given directly, times N.
An own scenario is such a set of lines written by a policy officer for an approach they plan: each
row is one (kind, line, stakeholder) with an amount per participant and, optionally, a range
(``low`` .. ``high``) for the uncertainty. This module

- validates rows (``line_issues``: (row, field, code) per problem, Dutch text by code elsewhere);
- turns rows into the engine's ``calculations.ScenarioInput`` (``scenario_input``), so the result
  is ``calculations.mkba_scenario_calculate``'s, the one formula of scenario mode: cost rows become
  cost lines with their cost bearers in shares, benefit rows benefit lines with their split over
  stakeholders in shares;
- gives the simulation's inputs (``uncertainty_lines``) for ``uncertainty.scenario_lines_uncertainty``;
- starts rows from a reference approach (``lines_from_reference``) or from an ex-post cohort result
  (``lines_from_result``);
- compares a scenario's output JSON with an ex-post report's, line by line, per participant
  (``comparison``).

Rows are stored as JSON (``[{kind, line, stakeholder, amount, low, high}]``, numbers as strings, so
an amount stays the Decimal it was entered as).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from core import formats
from mkba import calculations, uncertainty
from mkba.calculations import BENEFIT_LINES, COST_LINES, GEMEENTE, UNALLOCATED, ZERO

COST = "cost"
BENEFIT = "benefit"
KINDS: tuple[str, ...] = (COST, BENEFIT)
LINES_OF_KIND: Mapping[str, tuple[str, ...]] = {COST: COST_LINES, BENEFIT: BENEFIT_LINES}
STAKEHOLDER_MAX_LENGTH = 100
# Per participant; ten million euro is far beyond any approach of the study (the highest line is
# 36,400) and keeps a mistyped amount from passing silently.
AMOUNT_MAX = Decimal("10000000")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ScenarioLine:
    """One row: ``amount`` euro per participant on ``line`` for ``stakeholder``; ``low``/``high``
    the range of the estimate (both or neither)."""

    kind: str
    line: str
    stakeholder: str
    amount: Decimal
    low: Decimal | None = None
    high: Decimal | None = None

    def as_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "line": self.line,
            "stakeholder": self.stakeholder,
            "amount": _text(self.amount),
            "low": None if self.low is None else _text(self.low),
            "high": None if self.high is None else _text(self.high),
        }


class LineErrorCode(StrEnum):
    NOT_A_LIST = "not_a_list"
    NOT_AN_OBJECT = "not_an_object"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_LINE = "unknown_line"
    NO_STAKEHOLDER = "no_stakeholder"
    STAKEHOLDER_TOO_LONG = "stakeholder_too_long"
    NOT_A_NUMBER = "not_a_number"
    TOO_LARGE = "too_large"
    NEGATIVE_COST = "negative_cost"
    RANGE_INCOMPLETE = "range_incomplete"
    RANGE_AROUND_AMOUNT = "range_around_amount"
    DUPLICATE = "duplicate"
    LINE_SUMS_TO_ZERO = "line_sums_to_zero"
    UNALLOCATED_COST = "unallocated_cost"


@dataclass(frozen=True)
class LineIssue:
    """A problem of row ``row`` (``None``: the rows as a whole) in ``field``."""

    row: int | None
    field: str
    code: LineErrorCode


def _text(value: Decimal) -> str:
    """One text per amount (``260.5`` whether entered as 260,50 or 260,5), so unchanged rows
    compare equal to the stored ones."""
    return format(value.normalize(), "f")


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def line_issues(data: object) -> list[LineIssue]:
    """Every problem of the rows (empty when they are valid): a known kind and line, a stakeholder,
    numbers, no negative costs, a range of both ends around the amount, one row per (kind, line,
    stakeholder), costs borne by a named stakeholder (not "onverdeeld"), and no line whose rows
    cancel out to 0 while some are not 0 (its split in shares would be undefined)."""
    if not isinstance(data, list):
        return [LineIssue(None, "lines", LineErrorCode.NOT_A_LIST)]
    issues: list[LineIssue] = []
    seen: set[tuple[str, str, str]] = set()
    sums: dict[tuple[str, str], list[Decimal]] = {}
    for index, row in enumerate(data):
        if not isinstance(row, Mapping):
            issues.append(LineIssue(index, "lines", LineErrorCode.NOT_AN_OBJECT))
            continue
        kind, line = row.get("kind"), row.get("line")
        stakeholder = str(row.get("stakeholder") or "").strip()
        if kind not in KINDS:
            issues.append(LineIssue(index, "kind", LineErrorCode.UNKNOWN_KIND))
        elif line not in LINES_OF_KIND[str(kind)]:
            issues.append(LineIssue(index, "line", LineErrorCode.UNKNOWN_LINE))
        if not stakeholder:
            issues.append(LineIssue(index, "stakeholder", LineErrorCode.NO_STAKEHOLDER))
        elif len(stakeholder) > STAKEHOLDER_MAX_LENGTH:
            issues.append(LineIssue(index, "stakeholder", LineErrorCode.STAKEHOLDER_TOO_LONG))
        elif kind == COST and stakeholder == UNALLOCATED:
            issues.append(LineIssue(index, "stakeholder", LineErrorCode.UNALLOCATED_COST))
        numbers: dict[str, Decimal | None] = {}
        for name in ("amount", "low", "high"):
            value = row.get(name)
            if name != "amount" and value in (None, ""):
                numbers[name] = None
                continue
            number = _number(value)
            numbers[name] = number
            if number is None:
                issues.append(LineIssue(index, name, LineErrorCode.NOT_A_NUMBER))
            elif abs(number) > AMOUNT_MAX:
                issues.append(LineIssue(index, name, LineErrorCode.TOO_LARGE))
            elif kind == COST and number < 0:
                issues.append(LineIssue(index, name, LineErrorCode.NEGATIVE_COST))
        amount, low, high = numbers["amount"], numbers["low"], numbers["high"]
        given = [row.get(name) not in (None, "") for name in ("low", "high")]
        if given[0] != given[1]:
            issues.append(LineIssue(index, "low" if not given[0] else "high", LineErrorCode.RANGE_INCOMPLETE))
        elif amount is not None and low is not None and high is not None and not low <= amount <= high:
            issues.append(LineIssue(index, "low", LineErrorCode.RANGE_AROUND_AMOUNT))
        key = (str(kind), str(line), stakeholder)
        if key in seen:
            issues.append(LineIssue(index, "stakeholder", LineErrorCode.DUPLICATE))
        seen.add(key)
        if amount is not None:
            sums.setdefault((str(kind), str(line)), []).append(amount)
    for (kind, line), amounts in sums.items():
        if sum(amounts, start=ZERO) == ZERO and any(amount != ZERO for amount in amounts):
            row = next(
                index
                for index, item in enumerate(data)
                if isinstance(item, Mapping) and item.get("kind") == kind and item.get("line") == line
            )
            issues.append(LineIssue(row, "amount", LineErrorCode.LINE_SUMS_TO_ZERO))
    return issues


def lines_from_data(data: Sequence[Mapping[str, Any]]) -> tuple[ScenarioLine, ...]:
    """Validated rows (``line_issues`` empty) as ``ScenarioLine``s, in their order."""
    lines = []
    for row in data:
        low, high = _number(row.get("low")), _number(row.get("high"))
        amount = _number(row["amount"])
        if amount is None:
            raise ValueError(f"not a number: {row['amount']!r}")
        lines.append(
            ScenarioLine(
                kind=str(row["kind"]),
                line=str(row["line"]),
                stakeholder=str(row["stakeholder"]).strip(),
                amount=amount,
                low=low,
                high=high,
            )
        )
    return tuple(lines)


def lines_as_data(lines: Sequence[ScenarioLine]) -> list[dict[str, Any]]:
    return [line.as_data() for line in lines]


def empty_lines() -> tuple[ScenarioLine, ...]:
    """A new scenario's rows: every cost and benefit line once, for the gemeente, at 0."""
    return tuple(
        ScenarioLine(kind=kind, line=line, stakeholder=GEMEENTE, amount=ZERO)
        for kind in KINDS
        for line in LINES_OF_KIND[kind]
    )


def _shares(lines: Sequence[ScenarioLine], kind: str) -> tuple[dict[str, Decimal], dict[str, dict[str, Decimal]]]:
    """Per line of ``kind`` its amount per participant (the sum of its rows) and its split over
    stakeholders in shares (a row's amount / the line's); a line at 0 goes to its first row's
    stakeholder (or the gemeente), so the table gets no empty "onverdeeld"."""
    amounts: dict[str, Decimal] = {}
    parts: dict[str, dict[str, Decimal]] = {}
    for row in lines:
        if row.kind != kind:
            continue
        amounts[row.line] = amounts.get(row.line, ZERO) + row.amount
        parts.setdefault(row.line, {})
        parts[row.line][row.stakeholder] = parts[row.line].get(row.stakeholder, ZERO) + row.amount
    shares: dict[str, dict[str, Decimal]] = {}
    for line in LINES_OF_KIND[kind]:
        total = amounts.get(line, ZERO)
        stakeholders = parts.get(line, {})
        if total == ZERO:
            shares[line] = {next(iter(stakeholders), GEMEENTE): calculations.ONE}
        else:
            shares[line] = {name: part / total for name, part in stakeholders.items()}
    return amounts, shares


@dataclass(frozen=True)
class PrintedTotals:
    """A reference approach's printed totals per participant (SPEC.md 4: reproduced "as printed");
    kept only while the rows are the reference's own (``mkba.services``)."""

    total_costs: Decimal
    total_benefits: Decimal
    balance: Decimal

    def as_data(self) -> dict[str, str]:
        return {
            "total_costs": _text(self.total_costs),
            "total_benefits": _text(self.total_benefits),
            "balance": _text(self.balance),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> PrintedTotals | None:
        if not data:
            return None
        return cls(
            total_costs=calculations.to_decimal(data["total_costs"]),
            total_benefits=calculations.to_decimal(data["total_benefits"]),
            balance=calculations.to_decimal(data["balance"]),
        )


def scenario_input(
    *,
    approach: str,
    name: str,
    version: int,
    participants: int,
    lines: Sequence[ScenarioLine],
    immaterial_shares: Mapping[str, Decimal] | None = None,
    printed: PrintedTotals | None = None,
) -> calculations.ScenarioInput:
    """The rows as the engine's scenario (SPEC.md 4, Scenario mode): per line the sum of its rows
    per participant, the cost bearers and the benefits' split in shares of the line. When every
    benefit is "onverdeeld" (a reference's rows) the split is not given at all, as in scenario
    mode with a reference: no municipal ratio. A partly "onverdeeld" benefit counts for nobody in
    the municipal ratio, as the engine does with a split that leaves a line out."""
    costs, cost_bearers = _shares(lines, COST)
    benefits, split = _shares(lines, BENEFIT)
    unallocated_only = all(row.stakeholder == UNALLOCATED for row in lines if row.kind == BENEFIT and row.amount)
    benefit_stakeholders = None if unallocated_only else split
    shares = dict(calculations.DEFAULT_IMMATERIAL_SHARES)
    shares.update(immaterial_shares or {})
    return calculations.ScenarioInput(
        approach=approach,
        participants=participants,
        costs_per_participant=costs,
        benefits_per_participant=benefits,
        immaterial_shares=shares,
        cost_bearers=cost_bearers,
        benefit_stakeholders=benefit_stakeholders,
        total_costs_per_participant=None if printed is None else printed.total_costs,
        total_benefits_per_participant=None if printed is None else printed.total_benefits,
        balance_per_participant=None if printed is None else printed.balance,
        name=name,
        version=version,
    )


def split_unknown_where_unallocated(result: calculations.MkbaResult) -> calculations.MkbaResult:
    """An own scenario whose benefits are partly "onverdeeld" has no municipal ratio: the
    gemeente's share of the unallocated part is not known, and a ratio of only the allocated part
    would understate it (a reference's rows with one line split would show 0.06). The engine
    counts such a part for nobody (``calculations.mkba_scenario_calculate``); here the figure is
    declared unknown, with scenario mode's reason, rather than computed a second way."""
    if result.stakeholder_benefits.get(UNALLOCATED, ZERO) == ZERO or result.municipal_ratio is None:
        return result
    notes = dict(result.ratio_notes)
    notes["municipal_ratio"] = calculations.REASON_SCENARIO_NO_SPLIT
    return dataclasses.replace(result, municipal_ratio=None, ratio_notes=MappingProxyType(notes))


def uncertainty_lines(
    lines: Sequence[ScenarioLine], printed: PrintedTotals | None = None
) -> uncertainty.ScenarioLinesInputs:
    """The simulation's inputs: every row's amount with its range, costs and benefits apart, and
    the factor by which printed totals scale the sum of the rows (1 without printed totals)."""

    def share(row: ScenarioLine) -> uncertainty.UncertainShare:
        low_high = None if row.low is None or row.high is None else (float(row.low), float(row.high))
        return uncertainty.UncertainShare(float(row.amount), low_high)

    costs = [row for row in lines if row.kind == COST]
    benefits = [row for row in lines if row.kind == BENEFIT]

    def scale(rows: list[ScenarioLine], total: Decimal | None) -> float:
        rows_total = sum((row.amount for row in rows), start=ZERO)
        return 1.0 if total is None or rows_total == ZERO else float(total / rows_total)

    return uncertainty.ScenarioLinesInputs(
        costs=tuple(share(row) for row in costs),
        benefits=tuple(share(row) for row in benefits),
        costs_scale=scale(costs, None if printed is None else printed.total_costs),
        benefits_scale=scale(benefits, None if printed is None else printed.total_benefits),
    )


# --- Where a scenario starts ------------------------------------------------------------------


def lines_from_reference(reference: calculations.ReferenceApproach) -> tuple[ScenarioLine, ...]:
    """A reference approach's lines per participant as printed (SPEC.md 4, Scenario mode): the
    costs for the gemeente (the engine's default bearer), the benefits "onverdeeld" (the
    factsheets do not split them over stakeholders)."""
    return tuple(
        [ScenarioLine(COST, line, GEMEENTE, reference.costs.get(line, ZERO)) for line in COST_LINES]
        + [ScenarioLine(BENEFIT, line, UNALLOCATED, reference.benefits.get(line, ZERO)) for line in BENEFIT_LINES]
    )


def printed_totals_of(reference: calculations.ReferenceApproach) -> PrintedTotals:
    return PrintedTotals(reference.total_costs, reference.total_benefits, reference.balance)


def lines_from_result(
    result: calculations.MkbaResult, parameters: calculations.ParameterSet
) -> tuple[ScenarioLine, ...]:
    """An ex-post cohort result's lines per participant, per stakeholder, to the cent: each cost
    line split over its bearers (``calculations.costs_by_stakeholder``), each benefit line over the
    stakeholders of its value streams (``calculations.benefit_matrix`` of the cohort's extra
    outcomes). Raises ``ValueError`` for a cohort without participants."""
    participants = result.participants
    if participants == 0:
        raise ValueError("a cohort without participants has no lines per participant")
    rows: list[ScenarioLine] = []
    for line in COST_LINES:
        split = calculations.costs_by_stakeholder({line: result.costs.get(line, ZERO)}, parameters.cost_bearers)
        for stakeholder, amount in split.items():
            rows.append(ScenarioLine(COST, line, stakeholder, _cents(amount / participants)))
    extra = {outcome: effect.extra for outcome, effect in result.effects.items()}
    matrix = calculations.benefit_matrix(extra, parameters.outcomes, discount_rate=parameters.discount_rate)
    for line in BENEFIT_LINES:
        split = matrix.get(line) or {GEMEENTE: ZERO}
        for stakeholder, amount in sorted(split.items()):
            rows.append(ScenarioLine(BENEFIT, line, stakeholder, _cents(amount / participants)))
    return tuple(rows)


def _cents(value: Decimal) -> Decimal:
    return formats.round_half_up(value, 2) + ZERO


# --- Ex ante beside ex post ---------------------------------------------------------------------


def _per_participant(amount: int | float | None, participants: int) -> Decimal | None:
    if amount is None or participants == 0:
        return None
    return Decimal(str(amount)) / participants


def _pair(ex_ante: Decimal | None, ex_post: Decimal | None) -> dict[str, int | None]:
    """Both amounts and the difference (ex post - ex ante), each rounded to whole euro on its own
    from its exact value (as the contract rounds)."""
    difference = None if ex_ante is None or ex_post is None else ex_post - ex_ante
    return {
        "ex_ante": calculations.euro(ex_ante),
        "ex_post": calculations.euro(ex_post),
        "difference": calculations.euro(difference),
    }


def comparison(scenario: Mapping[str, Any], report: Mapping[str, Any]) -> dict[str, Any]:
    """An own scenario's output JSON (ex ante) beside an ex-post MKBA report's (both SPEC.md 4's
    contract), line by line: per cost and benefit line, per stakeholder and for the totals the
    amount per participant of each and the difference (ex post - ex ante), in whole euro; the
    three ratios as they are, with their difference to 0.01. Per participant, because the planned
    and the real cohort differ in size; ``None`` where a side has no participants or no ratio."""
    ante_n, post_n = scenario["participants"], report["participants"]

    def per(output: Mapping[str, Any], amount: int | float | None) -> Decimal | None:
        return _per_participant(amount, output["participants"])

    def rows(key: str, names: Sequence[str]) -> list[dict[str, Any]]:
        return [
            {"key": name, **_pair(per(scenario, scenario[key].get(name, 0)), per(report, report[key].get(name, 0)))}
            for name in names
        ]

    stakeholders = list(scenario["stakeholders"])
    stakeholders += [name for name in report["stakeholders"] if name not in stakeholders]
    empty = {"costs": 0, "benefits": 0, "balance": 0}
    stakeholder_rows = []
    for name in stakeholders:
        ante_row, post_row = scenario["stakeholders"].get(name, empty), report["stakeholders"].get(name, empty)
        stakeholder_rows.append(
            {
                "key": name,
                **{
                    field: _pair(per(scenario, ante_row[field]), per(report, post_row[field]))
                    for field in ("costs", "benefits", "balance")
                },
            }
        )
    totals = [
        {"key": key, **_pair(per(scenario, scenario[key]), per(report, report[key]))}
        for key in ("total_costs", "total_benefits", "balance")
    ]
    ratios = []
    for key in ("social_ratio", "financial_ratio", "municipal_ratio"):
        ante_ratio, post_ratio = scenario.get(key), report.get(key)
        difference = (
            None
            if ante_ratio is None or post_ratio is None
            else calculations.rounded(Decimal(str(post_ratio)) - Decimal(str(ante_ratio)), "0.01")
        )
        ratios.append({"key": key, "ex_ante": ante_ratio, "ex_post": post_ratio, "difference": difference})
    return {
        "participants": {"ex_ante": ante_n, "ex_post": post_n},
        "costs": rows("costs", COST_LINES),
        "benefits": rows("benefits", BENEFIT_LINES),
        "totals": totals,
        "ratios": ratios,
        "stakeholders": stakeholder_rows,
    }
