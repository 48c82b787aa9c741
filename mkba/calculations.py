"""The MKBA engine: SPEC.md section 4 as pure functions (no Django, no ORM).

Numbers
-------
Money, rates and shares are ``Decimal`` throughout, from input to the exact result
(``MkbaResult``); floats and strings given by callers or read from JSON are converted at the edge
with ``to_decimal`` (``Decimal(str(x))``, so 0.0225 stays 0.0225 and not its binary neighbour).
Nothing is rounded before summing. Only ``mkba_output`` rounds, ROUND_HALF_UP:

- euro amounts (costs, benefits, balances, stakeholder table, per participant): whole euro (int);
- ratios (social, financial, municipal, sensitivity band): 0.01 (float);
- effects: observed, baseline and net rates 0.001, extra outcomes 0.01 (a count of youths
  that is an estimate, so two decimals);
- break_even_effect (a net-effect rate): 0.001.

Every figure is rounded on its own from its exact value, so a rounded total may differ by a euro
from the sum of its rounded lines.

Inputs the caller (a selector) provides for a cohort report
----------------------------------------------------------
``mkba_report_calculate`` takes the cohort's dates, ``participants`` (N), the parameter set as a
``ParameterSet`` (``parameter_set_from_dict``), the client hours (direct + indirect, in hours) on
the cohort's trajectories up to the measurement date, or the fte-years for cost basis ``fte``, the
selected cost items as ``(line, amount)`` pairs, and the cohort's outcomes as
``(trajectory_id, outcome, date)`` rows (an iterable such as ``values_list(...)`` or a DataFrame
with those columns). The engine filters the outcomes on the measurement date itself.

Choices where SPEC.md is silent
-------------------------------
- Cost items on line ``begeleiding`` are added to the hours- or fte-based amount, not dropped.
- ``effects`` lists every outcome type of the parameter set; one that the cohort never recorded
  has observed 0, so a negative net effect of ``-(baseline + conjunctuur) * attribution``.
- Stakeholder table: gemeente always first (also at 0), then alphabetical.
- The sensitivity band (``sensitivity_band``) uses optional ranges in the parameter set:
  ``discount_rate_range`` and per outcome ``baseline_range`` and ``attribution_range``.
- Scenario mode: see ``ScenarioInput`` for printed totals and the stakeholder split.
- Null figures carry a reason in the extra output key ``ratio_notes``.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal, Protocol, cast

from core import formats
from mkba import cofinancing, uncertainty
from mkba.positions import FOLLOW_UP_TYPES, POSITIVE, CheckRecord, position
from mkba.positions import OutcomeRecord as PositionOutcome

# --- Vocabulary (SPEC.md sections 2 and 4) ----------------------------------------------------

COST_LINES: tuple[str, ...] = (
    "begeleiding",
    "overige_interventie",
    "loon_vergoedingen",
    "extra_zorg",
    "extra_onderwijs",
)
BENEFIT_LINES: tuple[str, ...] = (
    "taakverlichting",
    "werk",
    "startkwalificaties",
    "zorgkosten",
    "kwaliteit_van_leven",
    "criminaliteit_overlast",
)
OUTCOMES: tuple[str, ...] = (
    "work",
    "work_subsidised",
    "school",
    "startkwalificatie",
    "certificate",
    "daytime_activity",
    "volunteering",
    "care",
    "benefit_start",
    "benefit_end",
    "prevented_escalation",
    "stabilised",
    "out_of_sight",
    "moved",
    "improved_position",
)
COST_BASES: tuple[str, ...] = ("hours", "fte")
# SPEC.md 4b, "Durability in the MKBA": ``answered`` counts a follow-up outcome towards r_o only
# while the trajectory's position for {o} on the measurement date is positive.
DURABILITIES: tuple[str, ...] = ("none", "answered")
DEFAULT_DURABILITY: Literal["none", "answered"] = "none"
GEMEENTE = "gemeente"
# Stakeholder for scenario benefits whose split over stakeholders is not given.
UNALLOCATED = "onverdeeld"

DEFAULT_HOURLY_RATE = Decimal("65")
DEFAULT_PRODUCTIVE_HOURS_PER_FTE = Decimal("1200")
DEFAULT_DISCOUNT_RATE = Decimal("0.0225")
DEFAULT_COST_BASIS: Literal["hours", "fte"] = "hours"
DEFAULT_MAIN_OUTCOME = "work"
DEFAULT_IMMATERIAL_SHARES: Mapping[str, Decimal] = MappingProxyType(
    {line: Decimal(1) if line == "kwaliteit_van_leven" else Decimal(0) for line in BENEFIT_LINES}
)

DATA_DIRECTORY = Path(__file__).resolve().parent / "data"
REFERENCE_APPROACHES_PATH = DATA_DIRECTORY / "reference_approaches.json"
DEFAULT_PARAMETERS_PATH = DATA_DIRECTORY / "default_parameters.json"

# Shares of one line must add up to 1; this absorbs 1/3-style splits written with 4+ decimals.
SHARE_SUM_TOLERANCE = Decimal("0.0001")

ZERO = Decimal(0)
ONE = Decimal(1)

Number = Decimal | int | float | str

# Reasons for null fields, keyed by output field in ``ratio_notes``. Fixed English strings, so
# the web page can map them to Dutch text.
REASON_NO_COSTS = "total_costs is 0, so the ratio has no denominator"
REASON_NO_GEMEENTE_COSTS = "the gemeente bears no costs, so the municipal ratio has no denominator"
REASON_NO_PARTICIPANTS = "the cohort has no participants (N = 0)"
REASON_NO_MAIN_VALUE = "the main outcome has no value streams (PV_main = 0)"
REASON_SCENARIO_NO_SPLIT = "scenario mode: the split of the benefits over stakeholders is not given"
REASON_SCENARIO_NO_EFFECTS = "scenario mode: there are no outcome effects to vary"


def to_decimal(value: Number) -> Decimal:
    """Convert a number from a caller or JSON to ``Decimal`` (floats through ``str``)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


# --- Parameter set as typed, frozen dataclasses ----------------------------------------------


@dataclass(frozen=True)
class ValueStream:
    """One value stream of an outcome (SPEC.md 4, Benefits): euro per year on a benefit line
    for a stakeholder, from ``first_year`` during ``years`` years."""

    line: str
    stakeholder: str
    amount: Decimal
    first_year: int
    years: int
    source: str = ""


@dataclass(frozen=True)
class OutcomeParameters:
    """Parameters of one outcome type (SPEC.md 4, Effects), with optional ranges for the
    sensitivity band (``(low, high)``, both within 0..1 and around the point value)."""

    outcome: str
    baseline: Decimal
    conjunctuur: Decimal = ZERO
    attribution: Decimal = ONE
    streams: tuple[ValueStream, ...] = ()
    baseline_range: tuple[Decimal, Decimal] | None = None
    attribution_range: tuple[Decimal, Decimal] | None = None
    source: str = ""


@dataclass(frozen=True)
class ParameterSet:
    """A versioned MKBA parameter set (SPEC.md 4 and the parameter-set JSON of section 6).

    ``cost_bearers`` holds every cost line and ``immaterial_shares`` every benefit line (the
    loader fills the defaults); ``outcomes`` is ordered as the outcomes of SPEC.md section 2.
    """

    name: str
    version: str | int
    hourly_rate: Decimal
    productive_hours_per_fte: Decimal
    discount_rate: Decimal
    cost_basis: Literal["hours", "fte"]
    main_outcome: str
    cost_bearers: Mapping[str, Mapping[str, Decimal]]
    immaterial_shares: Mapping[str, Decimal]
    outcomes: Mapping[str, OutcomeParameters]
    discount_rate_range: tuple[Decimal, Decimal] | None = None
    durability: Literal["none", "answered"] = DEFAULT_DURABILITY


class ParameterSetError(ValueError):
    """A parameter set dict failed ``parameter_set_validate``; ``errors`` lists every problem."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("invalid parameter set:\n" + "\n".join(self.errors))


# --- Validation of the parameter-set JSON (SPEC.md section 6) --------------------------------

_TOP_LEVEL_KEYS = frozenset(
    {
        "hourly_rate",
        "productive_hours_per_fte",
        "contract_hours_per_fte",  # an organisation default of SPEC.md 2; not used by the MKBA
        "discount_rate",
        "discount_rate_range",
        "cost_basis",
        "durability",
        "main_outcome",
        "cost_bearers",
        "immaterial_shares",
        "outcomes",
        "name",
        "version",
        "notes",
        "source",
        "description",
    }
)
_OUTCOME_KEYS = frozenset(
    {"baseline", "conjunctuur", "attribution", "streams", "baseline_range", "attribution_range", "source", "notes"}
)
_STREAM_KEYS = frozenset({"line", "stakeholder", "amount", "first_year", "years", "source", "notes"})
_REQUIRED_TOP_LEVEL = ("hourly_rate", "productive_hours_per_fte", "outcomes")
_REQUIRED_OUTCOME = ("baseline", "streams")
_REQUIRED_STREAM = ("line", "stakeholder", "amount", "first_year", "years")


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    try:
        return to_decimal(value).is_finite()
    except InvalidOperation:
        return False


def _is_whole_number(value: object) -> bool:
    return _is_number(value) and to_decimal(cast(Number, value)) == to_decimal(cast(Number, value)).to_integral_value()


class ParameterErrorCode(StrEnum):
    """What is wrong with a field of a parameter set; the English text of each is in ``ENGLISH``,
    the Dutch one in ``mkba.parameter_set_messages`` (by code, never by parsing the English)."""

    NOT_AN_OBJECT = "not_an_object"
    REQUIRED = "required"
    UNKNOWN_KEY = "unknown_key"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    AT_LEAST = "at_least"
    GREATER_THAN = "greater_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    NOT_WHOLE = "not_whole"
    NOT_TEXT = "not_text"
    NOT_NOTES = "not_notes"
    NOT_VERSION = "not_version"
    NOT_A_RANGE = "not_a_range"
    RANGE_INVERTED = "range_inverted"
    OUTSIDE_RANGE = "outside_range"
    UNKNOWN_COST_BASIS = "unknown_cost_basis"
    UNKNOWN_DURABILITY = "unknown_durability"
    UNKNOWN_OUTCOME = "unknown_outcome"
    UNKNOWN_COST_LINE = "unknown_cost_line"
    UNKNOWN_BENEFIT_LINE = "unknown_benefit_line"
    SHARES_SUM = "shares_sum"
    STAKEHOLDER_EMPTY = "stakeholder_empty"
    NOT_STREAMS = "not_streams"
    NOT_SHARES = "not_shares"
    NOT_OBJECT_OF = "not_object_of"


_Code = ParameterErrorCode

# The English text of each code (``parameter_set_validate``, ``ParameterSetError``, the engine's CLI).
ENGLISH: Final[Mapping[ParameterErrorCode, str]] = MappingProxyType(
    {
        _Code.NOT_AN_OBJECT: "a parameter set must be a JSON object",
        _Code.REQUIRED: "required key is missing",
        _Code.UNKNOWN_KEY: "unknown key (allowed: %(allowed)s)",
        _Code.NOT_A_NUMBER: "must be a number (got %(got)s)",
        _Code.NEGATIVE: "must not be negative (got %(got)s)",
        _Code.AT_LEAST: "must be at least %(limit)s (got %(got)s)",
        _Code.GREATER_THAN: "must be greater than %(limit)s (got %(got)s)",
        _Code.AT_MOST: "must be at most %(limit)s (got %(got)s)",
        _Code.LESS_THAN: "must be less than %(limit)s (got %(got)s)",
        _Code.NOT_WHOLE: "must be a whole number (got %(got)s)",
        _Code.NOT_TEXT: "must be a non-empty string (got %(got)s)",
        _Code.NOT_NOTES: "must be a string or a list of strings",
        _Code.NOT_VERSION: "must be a string or a whole number (got %(got)s)",
        _Code.NOT_A_RANGE: "must be a list [low, high] of two numbers (got %(got)s)",
        _Code.RANGE_INVERTED: "low %(low)s is greater than high %(high)s",
        _Code.OUTSIDE_RANGE: "the value %(value)s lies outside the range [%(low)s, %(high)s]",
        _Code.UNKNOWN_COST_BASIS: "unknown cost basis %(value)s (allowed: %(allowed)s)",
        _Code.UNKNOWN_DURABILITY: "unknown durability %(value)s (allowed: %(allowed)s)",
        _Code.UNKNOWN_OUTCOME: "unknown outcome %(value)s (allowed: %(allowed)s)",
        _Code.UNKNOWN_COST_LINE: "unknown cost line %(value)s (allowed: %(allowed)s)",
        _Code.UNKNOWN_BENEFIT_LINE: "unknown benefit line %(value)s (allowed: %(allowed)s)",
        _Code.SHARES_SUM: "shares add up to %(total)s, not 1",
        _Code.STAKEHOLDER_EMPTY: "a stakeholder name must not be empty",
        _Code.NOT_STREAMS: "must be a list of streams",
        _Code.NOT_SHARES: "must be a non-empty object {stakeholder: share}",
        _Code.NOT_OBJECT_OF: "must be an object %(shape)s",
    }
)

# A field that is a share in 0..1: "baseline", "attribution" or "share" (cost bearers, immaterial).
ShareField = Literal["baseline", "attribution", "share"]


@dataclass(frozen=True)
class ParameterIssue:
    """One problem of a parameter set: where (a JSON path such as ``$.outcomes.work.baseline``),
    what (a code) and the values the text names, formatted as the English text shows them."""

    path: str
    code: ParameterErrorCode
    params: Mapping[str, str] = field(default_factory=dict)
    share: ShareField | None = None  # set when the field is a share, so a text can name it

    @property
    def english(self) -> str:
        return f"{self.path}: {ENGLISH[self.code] % self.params}"


class _Errors:
    """Collects validation issues (path, code, parameters) in the order they are found."""

    def __init__(self) -> None:
        self.issues: list[ParameterIssue] = []

    def add(self, path: str, code: ParameterErrorCode, *, share: ShareField | None = None, **params: object) -> None:
        self.issues.append(ParameterIssue(path, code, {key: str(value) for key, value in params.items()}, share))

    def unknown_keys(self, path: str, data: Mapping[str, Any], allowed: frozenset[str]) -> None:
        for key in data:
            if key not in allowed:
                self.add(f"{path}.{key}", _Code.UNKNOWN_KEY, allowed=", ".join(sorted(allowed)))

    def missing_keys(self, path: str, data: Mapping[str, Any], required: Iterable[str]) -> None:
        for key in required:
            if key not in data:
                self.add(f"{path}.{key}", _Code.REQUIRED)

    def number(
        self,
        path: str,
        value: object,
        *,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        minimum_exclusive: bool = False,
        maximum_exclusive: bool = False,
        share: ShareField | None = None,
    ) -> Decimal | None:
        """Check a number and its bounds; return it as Decimal when it is valid, else ``None``
        (so a dependent check, such as a range around it, does not report it twice). ``share``
        names a 0..1 share field, so a bound it breaks can be told as "must lie between 0 and 1"."""
        if not _is_number(value):
            self.add(path, _Code.NOT_A_NUMBER, got=repr(value))
            return None
        number = to_decimal(cast(Number, value))
        valid = True
        if minimum is not None and (number < minimum or (minimum_exclusive and number == minimum)):
            valid = False
            if minimum == ZERO and not minimum_exclusive:
                self.add(path, _Code.NEGATIVE, share=share, got=number)
            else:
                code = _Code.GREATER_THAN if minimum_exclusive else _Code.AT_LEAST
                self.add(path, code, share=share, limit=minimum, got=number)
        if maximum is not None and (number > maximum or (maximum_exclusive and number == maximum)):
            valid = False
            code = _Code.LESS_THAN if maximum_exclusive else _Code.AT_MOST
            self.add(path, code, share=share, limit=maximum, got=number)
        return number if valid else None

    def whole_number(self, path: str, value: object, *, minimum: int) -> None:
        if not _is_whole_number(value):
            self.add(path, _Code.NOT_WHOLE, got=repr(value))
        elif to_decimal(cast(Number, value)) < minimum:
            self.add(path, _Code.AT_LEAST, limit=minimum, got=value)

    def text(self, path: str, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            self.add(path, _Code.NOT_TEXT, got=repr(value))

    def notes(self, path: str, value: object) -> None:
        is_text = isinstance(value, str)
        is_text_list = isinstance(value, list) and all(isinstance(item, str) for item in value)
        if not (is_text or is_text_list):
            self.add(path, _Code.NOT_NOTES)

    def share_range(self, path: str, value: object, point: Decimal | None, *, maximum_exclusive: bool = False) -> None:
        """A ``[low, high]`` pair within 0..1 (or 0..1 exclusive) that contains the point value."""
        if not isinstance(value, list) or len(value) != 2:
            self.add(path, _Code.NOT_A_RANGE, got=repr(value))
            return
        low = self.number(f"{path}[0]", value[0], minimum=ZERO, maximum=ONE, maximum_exclusive=maximum_exclusive)
        high = self.number(f"{path}[1]", value[1], minimum=ZERO, maximum=ONE, maximum_exclusive=maximum_exclusive)
        if low is None or high is None:
            return
        if low > high:
            self.add(path, _Code.RANGE_INVERTED, low=low, high=high)
        elif point is not None and not low <= point <= high:
            self.add(path, _Code.OUTSIDE_RANGE, value=point, low=low, high=high)


def parameter_set_validate(data: object) -> list[str]:
    """``parameter_set_issues`` in English, every problem as ``"$.path: message"`` (empty: valid)."""
    return [issue.english for issue in parameter_set_issues(data)]


def parameter_set_issues(data: object) -> list[ParameterIssue]:
    """Validate a parameter-set dict (SPEC.md section 6, fields of section 4).

    Returns every problem as (path, code, parameters) (empty list: valid). Checked: required keys
    (``hourly_rate``, ``productive_hours_per_fte``, ``outcomes``; per outcome ``baseline`` and
    ``streams``; per stream all five fields), unknown keys (typos), types, negative amounts and
    rates, ``productive_hours_per_fte > 0``, ``0 <= discount_rate < 1``, ``cost_basis`` in
    hours/fte, line, outcome and ``main_outcome`` names (a ``main_outcome`` the set does not value
    leaves break-even null with a reason), cost-bearer shares in 0..1 adding up to 1 per line,
    immaterial shares, baseline and attribution in 0..1, conjunctuur in -1..1,
    ``first_year >= 0`` and ``years >= 1`` as whole numbers, and the optional ranges
    (``discount_rate_range``; per outcome ``baseline_range``, ``attribution_range``).

    Optional keys take the defaults of SPEC.md 4: discount_rate 0.0225, cost_basis "hours",
    main_outcome "work", cost bearers gemeente 1.0 per line not listed, immaterial shares
    kwaliteit_van_leven 1.0 and 0 for the other lines not listed, conjunctuur 0, attribution 1.
    Stream amounts may not be negative: an effect that costs money is expressed by a negative net
    effect, not by a negative amount.
    """
    errors = _Errors()
    if not isinstance(data, Mapping):
        errors.add("$", _Code.NOT_AN_OBJECT)
        return errors.issues
    errors.unknown_keys("$", data, _TOP_LEVEL_KEYS)
    errors.missing_keys("$", data, _REQUIRED_TOP_LEVEL)

    if "name" in data:
        errors.text("$.name", data["name"])
    if "version" in data and (
        isinstance(data["version"], bool) or not isinstance(data["version"], str | int) or data["version"] == ""
    ):
        errors.add("$.version", _Code.NOT_VERSION, got=repr(data["version"]))
    for key in ("notes", "description"):
        if key in data:
            errors.notes(f"$.{key}", data[key])
    if "source" in data:
        errors.notes("$.source", data["source"])

    if "hourly_rate" in data:
        errors.number("$.hourly_rate", data["hourly_rate"], minimum=ZERO)
    if "productive_hours_per_fte" in data:
        errors.number(
            "$.productive_hours_per_fte", data["productive_hours_per_fte"], minimum=ZERO, minimum_exclusive=True
        )
    discount_rate: Decimal | None = DEFAULT_DISCOUNT_RATE
    if "discount_rate" in data:
        discount_rate = errors.number(
            "$.discount_rate", data["discount_rate"], minimum=ZERO, maximum=ONE, maximum_exclusive=True
        )
    if "discount_rate_range" in data:
        errors.share_range("$.discount_rate_range", data["discount_rate_range"], discount_rate, maximum_exclusive=True)

    if "cost_basis" in data and data["cost_basis"] not in COST_BASES:
        errors.add(
            "$.cost_basis", _Code.UNKNOWN_COST_BASIS, value=repr(data["cost_basis"]), allowed=", ".join(COST_BASES)
        )

    if "durability" in data and data["durability"] not in DURABILITIES:
        errors.add(
            "$.durability", _Code.UNKNOWN_DURABILITY, value=repr(data["durability"]), allowed=", ".join(DURABILITIES)
        )

    outcomes = data.get("outcomes")
    main_outcome = data.get("main_outcome", DEFAULT_MAIN_OUTCOME)
    # A main outcome without an entry in $.outcomes is allowed: its present value is 0, so
    # break_even_effect is null with a reason (SPEC.md 4), and the rest of the report stands.
    if not isinstance(main_outcome, str) or main_outcome not in OUTCOMES:
        errors.add("$.main_outcome", _Code.UNKNOWN_OUTCOME, value=repr(main_outcome), allowed=", ".join(OUTCOMES))

    _validate_cost_bearers(errors, data)
    _validate_immaterial_shares(errors, data)

    if "outcomes" in data:
        if not isinstance(outcomes, Mapping):
            errors.add("$.outcomes", _Code.NOT_OBJECT_OF, shape="{outcome: {...}}")
        else:
            for outcome, outcome_data in outcomes.items():
                _validate_outcome(errors, f"$.outcomes.{outcome}", outcome, outcome_data)
    return errors.issues


def _validate_cost_bearers(errors: _Errors, data: Mapping[str, Any]) -> None:
    if "cost_bearers" not in data:
        return
    bearers = data["cost_bearers"]
    if not isinstance(bearers, Mapping):
        errors.add("$.cost_bearers", _Code.NOT_OBJECT_OF, shape="{line: {stakeholder: share}}")
        return
    for line, shares in bearers.items():
        path = f"$.cost_bearers.{line}"
        if line not in COST_LINES:
            errors.add(path, _Code.UNKNOWN_COST_LINE, value=repr(line), allowed=", ".join(COST_LINES))
        if not isinstance(shares, Mapping) or not shares:
            errors.add(path, _Code.NOT_SHARES)
            continue
        total = ZERO
        all_numbers = True
        for stakeholder, share in shares.items():
            if not str(stakeholder).strip():
                errors.add(path, _Code.STAKEHOLDER_EMPTY)
            number = errors.number(f"{path}.{stakeholder}", share, minimum=ZERO, maximum=ONE, share="share")
            if number is None:
                all_numbers = False
            else:
                total += number
        if all_numbers and abs(total - ONE) > SHARE_SUM_TOLERANCE:
            errors.add(path, _Code.SHARES_SUM, total=total)


def _validate_immaterial_shares(errors: _Errors, data: Mapping[str, Any]) -> None:
    if "immaterial_shares" not in data:
        return
    shares = data["immaterial_shares"]
    if not isinstance(shares, Mapping):
        errors.add("$.immaterial_shares", _Code.NOT_OBJECT_OF, shape="{line: share}")
        return
    for line, share in shares.items():
        path = f"$.immaterial_shares.{line}"
        if line not in BENEFIT_LINES:
            errors.add(path, _Code.UNKNOWN_BENEFIT_LINE, value=repr(line), allowed=", ".join(BENEFIT_LINES))
        errors.number(path, share, minimum=ZERO, maximum=ONE, share="share")


def _validate_outcome(errors: _Errors, path: str, outcome: str, data: object) -> None:
    if outcome not in OUTCOMES:
        errors.add(path, _Code.UNKNOWN_OUTCOME, value=repr(outcome), allowed=", ".join(OUTCOMES))
    if not isinstance(data, Mapping):
        errors.add(path, _Code.NOT_OBJECT_OF, shape="{baseline, conjunctuur, attribution, streams}")
        return
    errors.unknown_keys(path, data, _OUTCOME_KEYS)
    errors.missing_keys(path, data, _REQUIRED_OUTCOME)
    baseline = (
        errors.number(f"{path}.baseline", data["baseline"], minimum=ZERO, maximum=ONE, share="baseline")
        if "baseline" in data
        else None
    )
    if "conjunctuur" in data:
        errors.number(f"{path}.conjunctuur", data["conjunctuur"], minimum=-ONE, maximum=ONE)
    attribution: Decimal | None = ONE
    if "attribution" in data:
        attribution = errors.number(
            f"{path}.attribution", data["attribution"], minimum=ZERO, maximum=ONE, share="attribution"
        )
    if "baseline_range" in data:
        errors.share_range(f"{path}.baseline_range", data["baseline_range"], baseline)
    if "attribution_range" in data:
        errors.share_range(f"{path}.attribution_range", data["attribution_range"], attribution)
    for key in ("source", "notes"):
        if key in data:
            errors.notes(f"{path}.{key}", data[key])
    if "streams" not in data:
        return
    streams = data["streams"]
    if not isinstance(streams, list):
        errors.add(f"{path}.streams", _Code.NOT_STREAMS)
        return
    for index, stream in enumerate(streams):
        _validate_stream(errors, f"{path}.streams[{index}]", stream)


def _validate_stream(errors: _Errors, path: str, stream: object) -> None:
    if not isinstance(stream, Mapping):
        errors.add(path, _Code.NOT_OBJECT_OF, shape="{line, stakeholder, amount, first_year, years}")
        return
    errors.unknown_keys(path, stream, _STREAM_KEYS)
    errors.missing_keys(path, stream, _REQUIRED_STREAM)
    if "line" in stream and stream["line"] not in BENEFIT_LINES:
        errors.add(
            f"{path}.line", _Code.UNKNOWN_BENEFIT_LINE, value=repr(stream["line"]), allowed=", ".join(BENEFIT_LINES)
        )
    if "stakeholder" in stream:
        errors.text(f"{path}.stakeholder", stream["stakeholder"])
    if "amount" in stream:
        errors.number(f"{path}.amount", stream["amount"], minimum=ZERO)
    if "first_year" in stream:
        errors.whole_number(f"{path}.first_year", stream["first_year"], minimum=0)
    if "years" in stream:
        errors.whole_number(f"{path}.years", stream["years"], minimum=1)
    for key in ("source", "notes"):
        if key in stream:
            errors.notes(f"{path}.{key}", stream[key])


def _note_text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value) if value is not None else ""


def _pair(value: Sequence[Number] | None) -> tuple[Decimal, Decimal] | None:
    if value is None:
        return None
    return (to_decimal(value[0]), to_decimal(value[1]))


def parameter_set_from_dict(
    data: Mapping[str, Any], *, name: str | None = None, version: str | int | None = None
) -> ParameterSet:
    """Turn a parameter-set dict (SPEC.md section 6) into a typed, frozen ``ParameterSet``.

    Validates first (``parameter_set_validate``) and raises ``ParameterSetError`` with all errors.
    Fills the SPEC.md 4 defaults; ``name``/``version`` arguments override those in the dict (the
    database record is the authority on them).
    """
    errors = parameter_set_validate(data)
    if errors:
        raise ParameterSetError(errors)

    cost_bearers_data: Mapping[str, Mapping[str, Number]] = data.get("cost_bearers", {})
    cost_bearers = MappingProxyType(
        {
            line: MappingProxyType(
                {stakeholder: to_decimal(share) for stakeholder, share in cost_bearers_data[line].items()}
                if line in cost_bearers_data
                else {GEMEENTE: ONE}
            )
            for line in COST_LINES
        }
    )
    immaterial_data: Mapping[str, Number] = data.get("immaterial_shares", {})
    immaterial_shares = MappingProxyType(
        {
            line: to_decimal(immaterial_data[line]) if line in immaterial_data else DEFAULT_IMMATERIAL_SHARES[line]
            for line in BENEFIT_LINES
        }
    )
    outcomes_data: Mapping[str, Mapping[str, Any]] = data["outcomes"]
    outcomes = MappingProxyType(
        {
            outcome: OutcomeParameters(
                outcome=outcome,
                baseline=to_decimal(outcomes_data[outcome]["baseline"]),
                conjunctuur=to_decimal(outcomes_data[outcome].get("conjunctuur", 0)),
                attribution=to_decimal(outcomes_data[outcome].get("attribution", 1)),
                streams=tuple(
                    ValueStream(
                        line=stream["line"],
                        stakeholder=stream["stakeholder"],
                        amount=to_decimal(stream["amount"]),
                        first_year=int(stream["first_year"]),
                        years=int(stream["years"]),
                        source=_note_text(stream.get("source")),
                    )
                    for stream in outcomes_data[outcome]["streams"]
                ),
                baseline_range=_pair(outcomes_data[outcome].get("baseline_range")),
                attribution_range=_pair(outcomes_data[outcome].get("attribution_range")),
                source=_note_text(outcomes_data[outcome].get("source")),
            )
            for outcome in OUTCOMES
            if outcome in outcomes_data
        }
    )
    return ParameterSet(
        name=name if name is not None else str(data.get("name", "")),
        version=version if version is not None else data.get("version", ""),
        hourly_rate=to_decimal(data["hourly_rate"]),
        productive_hours_per_fte=to_decimal(data["productive_hours_per_fte"]),
        discount_rate=to_decimal(data.get("discount_rate", DEFAULT_DISCOUNT_RATE)),
        cost_basis=cast(Literal["hours", "fte"], data.get("cost_basis", DEFAULT_COST_BASIS)),
        main_outcome=str(data.get("main_outcome", DEFAULT_MAIN_OUTCOME)),
        cost_bearers=cost_bearers,
        immaterial_shares=immaterial_shares,
        outcomes=outcomes,
        discount_rate_range=_pair(data.get("discount_rate_range")),
        durability=cast(Literal["none", "answered"], data.get("durability", DEFAULT_DURABILITY)),
    )


def parameter_set_load(path: Path = DEFAULT_PARAMETERS_PATH) -> ParameterSet:
    """Read a parameter-set JSON file (default: the indicative ``data/default_parameters.json``)."""
    with path.open(encoding="utf-8") as file:
        return parameter_set_from_dict(json.load(file))


# --- Costs (SPEC.md 4, cost lines) -----------------------------------------------------------


def begeleiding_cost(
    *,
    cost_basis: str,
    hourly_rate: Number,
    productive_hours_per_fte: Number,
    client_hours: Number = 0,
    fte_years: Number = 0,
) -> Decimal:
    """Cost line ``begeleiding`` (SPEC.md 4, cost lines, 1a).

    Basis ``hours``: client hours (direct + indirect, on the cohort's trajectories up to the
    measurement date) x ``hourly_rate``. Basis ``fte``: fte-years deployed on the approach for
    this cohort x ``productive_hours_per_fte`` x ``hourly_rate``. The input of the other basis is
    ignored.
    """
    if cost_basis == "hours":
        return to_decimal(client_hours) * to_decimal(hourly_rate)
    if cost_basis == "fte":
        return to_decimal(fte_years) * to_decimal(productive_hours_per_fte) * to_decimal(hourly_rate)
    raise ValueError(f"unknown cost basis {cost_basis!r} (allowed: {', '.join(COST_BASES)})")


def cost_lines(cost_items: Iterable[tuple[str, Number]], *, begeleiding: Number = 0) -> dict[str, Decimal]:
    """Costs per line (SPEC.md 4, cost lines): the sum of the cost items per line, every line
    present in SPEC order; ``begeleiding`` (from ``begeleiding_cost``) is added to its line.

    The caller selects the items (trajectory items dated on or before the measurement date, plus
    approach-level items dated in ``[from, to)``). Items on line ``begeleiding`` are added to the
    hours- or fte-based amount (bought-in guidance that is not in the time registration), rather
    than silently dropped. Negative items (credit notes) are summed like any other.
    """
    costs = dict.fromkeys(COST_LINES, ZERO)
    costs["begeleiding"] = to_decimal(begeleiding)
    for line, amount in cost_items:
        if line not in costs:
            raise ValueError(f"unknown cost line {line!r} (allowed: {', '.join(COST_LINES)})")
        costs[line] += to_decimal(amount)
    return costs


def costs_by_stakeholder(
    costs: Mapping[str, Decimal], cost_bearers: Mapping[str, Mapping[str, Decimal]]
) -> dict[str, Decimal]:
    """Split each cost line over its cost bearers by parameter shares and sum per stakeholder
    (SPEC.md 4: "each cost line is borne by stakeholders in parameter shares", default gemeente
    100% for a line without shares)."""
    result: dict[str, Decimal] = {}
    for line, amount in costs.items():
        for stakeholder, share in cost_bearers.get(line, {GEMEENTE: ONE}).items():
            result[stakeholder] = result.get(stakeholder, ZERO) + amount * share
    return result


# --- Effects (SPEC.md 4, Effects) -------------------------------------------------------------


class OutcomeFrame(Protocol):
    """A pandas DataFrame (or alike) with columns ``trajectory_id``, ``outcome``, ``date``."""

    @property
    def columns(self) -> Any: ...

    def __getitem__(self, key: Any) -> Any: ...


OutcomeRecord = tuple[Hashable, str, date]
OutcomeRecords = Iterable[OutcomeRecord] | OutcomeFrame
# A durability check of the cohort: (trajectory_id, checked outcome's type, due date, answer or "").
CheckRow = tuple[Hashable, str, date, str | None]


def _outcome_rows(records: OutcomeRecords) -> Iterable[tuple[Any, ...]]:
    if hasattr(records, "itertuples") and hasattr(records, "columns"):
        frame = cast(Any, records)
        return cast(
            Iterable[tuple[Any, ...]],
            frame[["trajectory_id", "outcome", "date"]].itertuples(index=False, name=None),
        )
    return cast(Iterable[tuple[Any, ...]], records)


def _as_date(value: object) -> date:
    # datetime (and pandas Timestamp) subclass date but do not compare with it: take the day.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError(f"an outcome date must be a date (got {value!r})")


def observed_rates(
    records: OutcomeRecords,
    *,
    participants: int,
    measured_at: date,
    outcomes: Iterable[str],
    durability: Literal["none", "answered"] = DEFAULT_DURABILITY,
    trajectory_starts: Mapping[Hashable, date] | None = None,
    check_records: Iterable[CheckRow] = (),
) -> dict[str, Decimal | None]:
    """Observed rate ``r_o`` (SPEC.md 4, Effects): the share of the cohort's trajectories with at
    least one outcome ``o`` dated on or before ``measured_at``.

    ``records`` are the cohort's ``(trajectory_id, outcome, date)`` rows (only the cohort's
    trajectories, all outcome types: ``out_of_sight`` and ``moved`` matter to durability). A
    trajectory counts once per outcome however often it is recorded; outcomes after
    ``measured_at`` and outcome types not asked for are ignored. ``None`` when N = 0.

    With ``durability="answered"`` (SPEC.md 4b, "Durability in the MKBA") a follow-up type ``o``
    (work, work_subsidised, improved_position, school) counts for a trajectory only when its
    position for ``{o}`` on the measurement date is positive (``mkba.positions.position`` with
    M = m): ``trajectory_starts`` gives each trajectory's start (events before it do not count;
    a missing start counts all), ``check_records`` the cohort's checks as ``(trajectory_id,
    outcome, due_date, answer)`` rows (the checked outcome's type; unanswered rows are no event).
    """
    wanted = tuple(outcomes)
    trajectories: dict[str, set[Hashable]] = {outcome: set() for outcome in wanted}
    rows = [(trajectory_id, outcome, _as_date(day)) for trajectory_id, outcome, day in _outcome_rows(records)]
    for trajectory_id, outcome, outcome_date in rows:
        if outcome in trajectories and outcome_date <= measured_at:
            trajectories[outcome].add(trajectory_id)
    if durability == "answered":
        _keep_durable(trajectories, rows, check_records, trajectory_starts or {}, measured_at)
    if participants == 0:
        return dict.fromkeys(wanted)
    rates: dict[str, Decimal | None] = {}
    for outcome in wanted:
        count = len(trajectories[outcome])
        if count > participants:
            raise ValueError(
                f"{count} trajectories have outcome {outcome!r} but the cohort has only {participants}:"
                " pass only the cohort's outcomes"
            )
        rates[outcome] = Decimal(count) / Decimal(participants)
    return rates


def _keep_durable(
    trajectories: dict[str, set[Hashable]],
    rows: Sequence[tuple[Hashable, str, date]],
    check_records: Iterable[CheckRow],
    trajectory_starts: Mapping[Hashable, date],
    measured_at: date,
) -> None:
    """``observed_rates`` with ``durability="answered"``: drop, from each follow-up type's
    trajectories, those whose position for ``{o}`` on the measurement date is not positive."""
    outcomes_of: dict[Hashable, list[PositionOutcome]] = {}
    for trajectory_id, outcome, outcome_date in rows:
        outcomes_of.setdefault(trajectory_id, []).append(PositionOutcome(outcome, outcome_date))
    checks_of: dict[Hashable, list[CheckRecord]] = {}
    for trajectory_id, outcome, due_date, answer in check_records:
        checks_of.setdefault(trajectory_id, []).append(CheckRecord(outcome, _as_date(due_date), answer or None))
    for outcome, counted in trajectories.items():
        if outcome not in FOLLOW_UP_TYPES:
            continue
        counted.intersection_update(
            {
                trajectory_id
                for trajectory_id in counted
                if position(
                    start=trajectory_starts.get(trajectory_id, date.min),
                    outcomes=outcomes_of.get(trajectory_id, ()),
                    checks=checks_of.get(trajectory_id, ()),
                    types={outcome},
                    moment=measured_at,
                    measured_at=measured_at,
                )
                == POSITIVE
            }
        )


def net_effect(
    observed: Decimal, *, baseline: Decimal, conjunctuur: Decimal = ZERO, attribution: Decimal = ONE
) -> Decimal:
    """Net effect ``e_o = (r_o - b_o - c_o) * alpha_o`` (SPEC.md 4, Effects); may be negative."""
    return (observed - baseline - conjunctuur) * attribution


def extra_outcomes(net: Decimal, participants: int) -> Decimal:
    """Extra outcomes ``X_o = e_o * N`` (SPEC.md 4, Effects)."""
    return net * participants


# --- Benefits (SPEC.md 4, Benefits) -----------------------------------------------------------


def present_value(
    amount: Number, *, first_year: int, years: int, discount_rate: Number = DEFAULT_DISCOUNT_RATE
) -> Decimal:
    """Present value of a stream (SPEC.md 4, Benefits):
    ``PV = sum over t = first .. first + years - 1 of amount / (1 + r) ** t``; year 0 is not
    discounted."""
    amount_decimal = to_decimal(amount)
    factor = ONE + to_decimal(discount_rate)
    return sum(
        (amount_decimal / factor**year for year in range(first_year, first_year + years)),
        start=ZERO,
    )


def benefit_matrix(
    extra: Mapping[str, Decimal], outcomes: Mapping[str, OutcomeParameters], *, discount_rate: Decimal
) -> dict[str, dict[str, Decimal]]:
    """``benefit[line][stakeholder] = sum over o of X_o * PV(streams of o for that line and
    stakeholder)`` (SPEC.md 4, Benefits). Every benefit line is present, in SPEC order."""
    matrix: dict[str, dict[str, Decimal]] = {line: {} for line in BENEFIT_LINES}
    for outcome, parameters in outcomes.items():
        extra_count = extra.get(outcome, ZERO)
        for stream in parameters.streams:
            value = extra_count * present_value(
                stream.amount, first_year=stream.first_year, years=stream.years, discount_rate=discount_rate
            )
            row = matrix[stream.line]
            row[stream.stakeholder] = row.get(stream.stakeholder, ZERO) + value
    return matrix


def immaterial_benefits(benefits: Mapping[str, Decimal], immaterial_shares: Mapping[str, Decimal]) -> Decimal:
    """Immaterial benefits (SPEC.md 4, Benefits/Results): ``sum over lines of benefit[line] *
    immaterial_share[line]`` (a line without a share uses the default: kwaliteit_van_leven 1.0,
    others 0)."""
    return sum(
        (
            amount * immaterial_shares.get(line, DEFAULT_IMMATERIAL_SHARES.get(line, ZERO))
            for line, amount in benefits.items()
        ),
        start=ZERO,
    )


def main_outcome_present_value(outcome: OutcomeParameters | None, *, discount_rate: Decimal) -> Decimal:
    """``PV_main`` (SPEC.md 4, break-even): the sum of the present values of all the main
    outcome's streams (all lines and stakeholders); 0 when the outcome is not in the set."""
    if outcome is None:
        return ZERO
    return sum(
        (
            present_value(stream.amount, first_year=stream.first_year, years=stream.years, discount_rate=discount_rate)
            for stream in outcome.streams
        ),
        start=ZERO,
    )


# --- Results (SPEC.md 4, Results) -------------------------------------------------------------


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A ratio of SPEC.md 4 (Results); ``None`` when the denominator is 0."""
    if denominator == ZERO:
        return None
    return numerator / denominator


def social_ratio(total_benefits: Decimal, total_costs: Decimal) -> Decimal | None:
    """``social_ratio = total_benefits / total_costs`` (SPEC.md 4, Results)."""
    return ratio(total_benefits, total_costs)


def financial_ratio(total_benefits: Decimal, immaterial: Decimal, total_costs: Decimal) -> Decimal | None:
    """``financial_ratio = (total_benefits - immaterial) / total_costs`` (SPEC.md 4, Results)."""
    return ratio(total_benefits - immaterial, total_costs)


def municipal_ratio(gemeente_benefits: Decimal, gemeente_costs: Decimal) -> Decimal | None:
    """``municipal_ratio = benefits to gemeente / costs borne by gemeente`` (SPEC.md 4, Results)."""
    return ratio(gemeente_benefits, gemeente_costs)


def per_participant(amount: Decimal, participants: int) -> Decimal | None:
    """A total per participant (SPEC.md 4, Results: "each also per participant"); ``None`` when
    N = 0."""
    if participants == 0:
        return None
    return amount / participants


def break_even_effect(
    *, total_costs: Decimal, total_benefits: Decimal, extra_main: Decimal, pv_main: Decimal, participants: int
) -> Decimal | None:
    """``break_even_effect = (total_costs - (total_benefits - X_main * PV_main)) / (N * PV_main)``
    (SPEC.md 4, main outcome): the net effect of the main outcome at which social_ratio = 1, all
    else unchanged. ``None`` when N or PV_main is 0."""
    if participants == 0 or pv_main == ZERO:
        return None
    return (total_costs - (total_benefits - extra_main * pv_main)) / (participants * pv_main)


def _range_ends(point: Decimal, value_range: tuple[Decimal, Decimal] | None) -> tuple[Decimal, ...]:
    return value_range if value_range is not None else (point,)


def net_effect_bounds(observed: Decimal, outcome: OutcomeParameters) -> tuple[Decimal, Decimal]:
    """The lowest and highest net effect of an outcome over its baseline and attribution ranges
    (SPEC.md 4, sensitivity band). ``e`` is bilinear in baseline and attribution, so the extremes
    lie on the corners of the range box. In the usual case (``r - b - c > 0``) the low end is the
    higher baseline with the lower attribution; with a negative effect the higher attribution
    makes it more negative, and that is the pessimistic corner then."""
    corners = [
        net_effect(observed, baseline=baseline, conjunctuur=outcome.conjunctuur, attribution=attribution)
        for baseline in _range_ends(outcome.baseline, outcome.baseline_range)
        for attribution in _range_ends(outcome.attribution, outcome.attribution_range)
    ]
    return min(corners), max(corners)


def sensitivity_band(
    parameters: ParameterSet,
    observed: Mapping[str, Decimal | None],
    *,
    participants: int,
    total_costs: Decimal,
    point_ratio: Decimal | None,
) -> tuple[Decimal | None, Decimal | None]:
    """Sensitivity band ``{low, high}`` of the social ratio (SPEC.md 4, Results: "a sensitivity
    band (low/high) from the parameter set's ranges").

    Ranges are optional: per outcome ``baseline_range`` and ``attribution_range``, and
    ``discount_rate_range`` for the set. Costs do not depend on them, so the band comes from the
    benefits: ``low`` takes every outcome's lowest net effect (``net_effect_bounds``: higher
    baseline, lower attribution) and the discount rate end (of the two) that gives the lower
    ratio, which is the higher rate while the benefits are positive; ``high`` the mirror image.
    The band always contains the point ratio. Without ranges ``low = high = social_ratio``;
    both ``None`` when total_costs is 0.
    """
    if point_ratio is None or total_costs == ZERO:
        return None, None
    low_extra: dict[str, Decimal] = {}
    high_extra: dict[str, Decimal] = {}
    for outcome, outcome_parameters in parameters.outcomes.items():
        rate = observed.get(outcome)
        if rate is None:
            low_extra[outcome] = high_extra[outcome] = ZERO
            continue
        low_net, high_net = net_effect_bounds(rate, outcome_parameters)
        low_extra[outcome] = extra_outcomes(low_net, participants)
        high_extra[outcome] = extra_outcomes(high_net, participants)
    rates = _range_ends(parameters.discount_rate, parameters.discount_rate_range)

    def ratio_at(extra: Mapping[str, Decimal], discount_rate: Decimal) -> Decimal:
        matrix = benefit_matrix(extra, parameters.outcomes, discount_rate=discount_rate)
        total = sum((sum(row.values(), start=ZERO) for row in matrix.values()), start=ZERO)
        return total / total_costs

    low = min([ratio_at(low_extra, rate) for rate in rates] + [point_ratio])
    high = max([ratio_at(high_extra, rate) for rate in rates] + [point_ratio])
    return low, high


@dataclass(frozen=True)
class OutcomeEffect:
    """Effect of one outcome type (SPEC.md 4, Effects); ``observed``/``net`` ``None`` when N = 0."""

    outcome: str
    observed: Decimal | None
    baseline: Decimal
    conjunctuur: Decimal
    attribution: Decimal
    net: Decimal | None
    extra: Decimal


@dataclass(frozen=True)
class MkbaResult:
    """The exact (unrounded) result of an MKBA (SPEC.md 4, Results); ``mkba_output`` rounds it
    into the JSON contract. ``ratio_notes`` holds the reason for every ``None`` figure, keyed by
    its output field."""

    approach: str
    cohort_from: date | None
    cohort_to: date | None
    measured_at: date | None
    participants: int
    parameter_set_name: str
    parameter_set_version: str | int
    costs: Mapping[str, Decimal]
    benefits: Mapping[str, Decimal]
    total_costs: Decimal
    total_benefits: Decimal
    balance: Decimal
    immaterial_benefits: Decimal
    per_participant_total_costs: Decimal | None
    per_participant_total_benefits: Decimal | None
    per_participant_balance: Decimal | None
    social_ratio: Decimal | None
    financial_ratio: Decimal | None
    municipal_ratio: Decimal | None
    stakeholder_costs: Mapping[str, Decimal]
    stakeholder_benefits: Mapping[str, Decimal]
    effects: Mapping[str, OutcomeEffect]
    break_even_effect: Decimal | None
    sensitivity_low: Decimal | None
    sensitivity_high: Decimal | None
    ratio_notes: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    # The parameter set a cohort report was made with (None in scenario mode), for the
    # simulation of ``mkba_output`` (mkba.uncertainty); not a figure, so not compared.
    parameters: ParameterSet | None = field(default=None, compare=False, repr=False)

    def stakeholders(self) -> list[str]:
        """Stakeholder names for the table: gemeente first (always), then alphabetical."""
        names = set(self.stakeholder_costs) | set(self.stakeholder_benefits)
        names.discard(GEMEENTE)
        return [GEMEENTE, *sorted(names)]


def _totals_and_ratios(
    *,
    costs: Mapping[str, Decimal],
    benefits: Mapping[str, Decimal],
    total_costs: Decimal,
    total_benefits: Decimal,
    immaterial: Decimal,
    stakeholder_costs: Mapping[str, Decimal],
    stakeholder_benefits: Mapping[str, Decimal],
    participants: int,
    benefits_split_known: bool,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Totals, balance, per participant and the three ratios (SPEC.md 4, Results), with the
    reasons for the ``None`` ones."""
    notes: dict[str, str] = {}
    balance = total_benefits - total_costs
    values: dict[str, Any] = {
        "costs": MappingProxyType(dict(costs)),
        "benefits": MappingProxyType(dict(benefits)),
        "total_costs": total_costs,
        "total_benefits": total_benefits,
        "balance": balance,
        "immaterial_benefits": immaterial,
        "per_participant_total_costs": per_participant(total_costs, participants),
        "per_participant_total_benefits": per_participant(total_benefits, participants),
        "per_participant_balance": per_participant(balance, participants),
        "social_ratio": social_ratio(total_benefits, total_costs),
        "financial_ratio": financial_ratio(total_benefits, immaterial, total_costs),
        "stakeholder_costs": MappingProxyType(dict(stakeholder_costs)),
        "stakeholder_benefits": MappingProxyType(dict(stakeholder_benefits)),
    }
    if participants == 0:
        notes["per_participant"] = REASON_NO_PARTICIPANTS
    if total_costs == ZERO:
        notes["social_ratio"] = notes["financial_ratio"] = REASON_NO_COSTS
    if benefits_split_known:
        gemeente_costs = stakeholder_costs.get(GEMEENTE, ZERO)
        values["municipal_ratio"] = municipal_ratio(stakeholder_benefits.get(GEMEENTE, ZERO), gemeente_costs)
        if gemeente_costs == ZERO:
            notes["municipal_ratio"] = REASON_NO_GEMEENTE_COSTS
    else:
        values["municipal_ratio"] = None
        notes["municipal_ratio"] = REASON_SCENARIO_NO_SPLIT
    return values, notes


def mkba_report_calculate(
    *,
    approach: str,
    cohort_from: date,
    cohort_to: date,
    measured_at: date,
    participants: int,
    parameters: ParameterSet,
    outcome_records: OutcomeRecords = (),
    client_hours: Number = 0,
    fte_years: Number = 0,
    cost_items: Iterable[tuple[str, Number]] = (),
    trajectory_starts: Mapping[Hashable, date] | None = None,
    check_records: Iterable[CheckRow] = (),
) -> MkbaResult:
    """An MKBA for a cohort (SPEC.md section 4, all rules): costs per line and per bearer,
    effects, benefits per line and stakeholder, totals, ratios, break-even and sensitivity band.

    The caller selects the cohort (trajectories of the approach started in ``[from, to)``,
    ``participants`` = N) and passes its outcome rows, its client hours (or fte-years for cost
    basis ``fte``) and its cost items; see the module docstring. With the parameter set's
    ``durability: answered`` (SPEC.md 4b) also the trajectories' starts and the cohort's checks
    (``observed_rates``); with ``none`` they are not read.
    """
    if participants < 0:
        raise ValueError("participants must not be negative")
    begeleiding = begeleiding_cost(
        cost_basis=parameters.cost_basis,
        hourly_rate=parameters.hourly_rate,
        productive_hours_per_fte=parameters.productive_hours_per_fte,
        client_hours=client_hours,
        fte_years=fte_years,
    )
    costs = cost_lines(cost_items, begeleiding=begeleiding)
    stakeholder_costs = costs_by_stakeholder(costs, parameters.cost_bearers)

    observed = observed_rates(
        outcome_records,
        participants=participants,
        measured_at=measured_at,
        outcomes=parameters.outcomes,
        durability=parameters.durability,
        trajectory_starts=trajectory_starts,
        check_records=check_records,
    )
    effects: dict[str, OutcomeEffect] = {}
    extra: dict[str, Decimal] = {}
    for outcome, outcome_parameters in parameters.outcomes.items():
        rate = observed[outcome]
        net = (
            None
            if rate is None
            else net_effect(
                rate,
                baseline=outcome_parameters.baseline,
                conjunctuur=outcome_parameters.conjunctuur,
                attribution=outcome_parameters.attribution,
            )
        )
        extra[outcome] = ZERO if net is None else extra_outcomes(net, participants)
        effects[outcome] = OutcomeEffect(
            outcome=outcome,
            observed=rate,
            baseline=outcome_parameters.baseline,
            conjunctuur=outcome_parameters.conjunctuur,
            attribution=outcome_parameters.attribution,
            net=net,
            extra=extra[outcome],
        )

    matrix = benefit_matrix(extra, parameters.outcomes, discount_rate=parameters.discount_rate)
    benefits = {line: sum(matrix[line].values(), start=ZERO) for line in BENEFIT_LINES}
    stakeholder_benefits: dict[str, Decimal] = {}
    for row in matrix.values():
        for stakeholder, amount in row.items():
            stakeholder_benefits[stakeholder] = stakeholder_benefits.get(stakeholder, ZERO) + amount
    total_costs = sum(costs.values(), start=ZERO)
    total_benefits = sum(benefits.values(), start=ZERO)
    values, notes = _totals_and_ratios(
        costs=costs,
        benefits=benefits,
        total_costs=total_costs,
        total_benefits=total_benefits,
        immaterial=immaterial_benefits(benefits, parameters.immaterial_shares),
        stakeholder_costs=stakeholder_costs,
        stakeholder_benefits=stakeholder_benefits,
        participants=participants,
        benefits_split_known=True,
    )

    main = parameters.outcomes.get(parameters.main_outcome)
    pv_main = main_outcome_present_value(main, discount_rate=parameters.discount_rate)
    break_even = break_even_effect(
        total_costs=total_costs,
        total_benefits=total_benefits,
        extra_main=extra.get(parameters.main_outcome, ZERO),
        pv_main=pv_main,
        participants=participants,
    )
    if participants == 0:
        notes["break_even_effect"] = REASON_NO_PARTICIPANTS
    elif pv_main == ZERO:
        notes["break_even_effect"] = REASON_NO_MAIN_VALUE
    low, high = sensitivity_band(
        parameters, observed, participants=participants, total_costs=total_costs, point_ratio=values["social_ratio"]
    )
    if low is None:
        notes["sensitivity"] = REASON_NO_COSTS
    return MkbaResult(
        approach=approach,
        cohort_from=cohort_from,
        cohort_to=cohort_to,
        measured_at=measured_at,
        participants=participants,
        parameter_set_name=parameters.name,
        parameter_set_version=parameters.version,
        effects=MappingProxyType(effects),
        break_even_effect=break_even,
        sensitivity_low=low,
        sensitivity_high=high,
        ratio_notes=MappingProxyType(notes),
        parameters=parameters,
        **values,
    )


# --- Scenario mode (SPEC.md 4, Scenario mode) ------------------------------------------------


@dataclass(frozen=True)
class ScenarioInput:
    """Scenario mode (SPEC.md 4): per-participant cost and benefit lines given directly.

    ``total_costs_per_participant`` / ``total_benefits_per_participant`` are optional printed
    totals: where a source's lines do not add up to its printed total (rounding in the source),
    the printed total is used as the scenario's total, and the difference is spread pro rata over
    the lines for the stakeholder table and the immaterial part; the line table keeps the lines as
    given. ``benefit_stakeholders`` ``{line: {stakeholder: share}}`` is optional: without it the
    benefits go to stakeholder "onverdeeld" and municipal_ratio is ``None`` with a reason.
    """

    approach: str
    participants: int
    costs_per_participant: Mapping[str, Decimal]
    benefits_per_participant: Mapping[str, Decimal]
    immaterial_shares: Mapping[str, Decimal] = field(default_factory=lambda: DEFAULT_IMMATERIAL_SHARES)
    cost_bearers: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    benefit_stakeholders: Mapping[str, Mapping[str, Decimal]] | None = None
    total_costs_per_participant: Decimal | None = None
    total_benefits_per_participant: Decimal | None = None
    # A printed balance that differs from printed benefits minus printed costs (approaches 8 and 9:
    # rounding in the source) is reproduced as printed, with a note (SPEC.md 4: "as printed").
    balance_per_participant: Decimal | None = None
    name: str = "scenario"
    version: str | int = ""


def _lines_times_participants(
    lines: Mapping[str, Decimal], known: Sequence[str], participants: int
) -> dict[str, Decimal]:
    unknown = set(lines) - set(known)
    if unknown:
        raise ValueError(f"unknown line(s) {', '.join(sorted(unknown))} (allowed: {', '.join(known)})")
    return {line: to_decimal(lines.get(line, ZERO)) * participants for line in known}


def _scale_to_total(amount: Decimal, lines_total: Decimal, total: Decimal, what: str) -> Decimal:
    if lines_total == total:
        return amount
    if lines_total == ZERO:
        raise ValueError(f"{what}: the lines add up to 0, so a printed total of {total} cannot be spread over them")
    return amount * total / lines_total


def mkba_scenario_calculate(scenario: ScenarioInput) -> MkbaResult:
    """Scenario mode (SPEC.md 4): per-participant lines x N, with immaterial shares, into the
    same ``MkbaResult`` as a cohort report. There are no effects: ``effects`` is empty,
    ``break_even_effect`` is ``None`` with a reason, and the sensitivity band is the social ratio
    itself (``low = high``)."""
    participants = scenario.participants
    if participants < 0:
        raise ValueError("participants must not be negative")
    costs = _lines_times_participants(scenario.costs_per_participant, COST_LINES, participants)
    benefits = _lines_times_participants(scenario.benefits_per_participant, BENEFIT_LINES, participants)
    costs_sum = sum(costs.values(), start=ZERO)
    benefits_sum = sum(benefits.values(), start=ZERO)
    total_costs = (
        costs_sum
        if scenario.total_costs_per_participant is None
        else to_decimal(scenario.total_costs_per_participant) * participants
    )
    total_benefits = (
        benefits_sum
        if scenario.total_benefits_per_participant is None
        else to_decimal(scenario.total_benefits_per_participant) * participants
    )
    notes: list[str] = []
    if total_costs != costs_sum:
        notes.append(
            f"costs: the printed total ({total_costs}) is used; the lines add up to {costs_sum}, the difference is"
            " treated as rounding in the source and spread pro rata over the lines in the stakeholder table"
        )
    if total_benefits != benefits_sum:
        notes.append(
            f"benefits: the printed total ({total_benefits}) is used; the lines add up to {benefits_sum}, the"
            " difference is treated as rounding in the source and spread pro rata over the lines in the"
            " stakeholder table and the immaterial part"
        )

    stakeholder_costs = {
        stakeholder: _scale_to_total(amount, costs_sum, total_costs, "costs")
        for stakeholder, amount in costs_by_stakeholder(costs, scenario.cost_bearers).items()
    }
    stakeholder_benefits: dict[str, Decimal] = {}
    for line, amount in benefits.items():
        split = (
            {UNALLOCATED: ONE}
            if scenario.benefit_stakeholders is None
            else scenario.benefit_stakeholders.get(line, {UNALLOCATED: ONE})
        )
        for stakeholder, share in split.items():
            stakeholder_benefits[stakeholder] = stakeholder_benefits.get(stakeholder, ZERO) + amount * share
    stakeholder_benefits = {
        stakeholder: _scale_to_total(amount, benefits_sum, total_benefits, "benefits")
        for stakeholder, amount in stakeholder_benefits.items()
    }
    immaterial = _scale_to_total(
        immaterial_benefits(benefits, scenario.immaterial_shares), benefits_sum, total_benefits, "benefits"
    )
    values, ratio_notes = _totals_and_ratios(
        costs=costs,
        benefits=benefits,
        total_costs=total_costs,
        total_benefits=total_benefits,
        immaterial=immaterial,
        stakeholder_costs=stakeholder_costs,
        stakeholder_benefits=stakeholder_benefits,
        participants=participants,
        benefits_split_known=scenario.benefit_stakeholders is not None,
    )
    if scenario.balance_per_participant is not None:
        printed_balance = to_decimal(scenario.balance_per_participant) * participants
        if printed_balance != values["balance"]:
            notes.append(
                f"balance: the printed balance ({printed_balance}) is used; benefits minus costs is"
                f" {values['balance']}, the difference is rounding in the source"
            )
            values["balance"] = printed_balance
            values["per_participant_balance"] = per_participant(printed_balance, participants)
    ratio_notes["break_even_effect"] = REASON_SCENARIO_NO_EFFECTS
    point = values["social_ratio"]
    if point is None:
        ratio_notes["sensitivity"] = REASON_NO_COSTS
    return MkbaResult(
        approach=scenario.approach,
        cohort_from=None,
        cohort_to=None,
        measured_at=None,
        participants=participants,
        parameter_set_name=scenario.name,
        parameter_set_version=scenario.version,
        effects=MappingProxyType({}),
        break_even_effect=None,
        sensitivity_low=point,
        sensitivity_high=point,
        ratio_notes=MappingProxyType(ratio_notes),
        notes=tuple(notes),
        **values,
    )


# --- Reference approaches (SPEC.md 4: "beside the ten reference approaches") ----------------


@dataclass(frozen=True)
class ReferenceApproach:
    """One of the ten reference approaches of the source study, as printed per participant."""

    number: int
    name: str
    approach_type: str
    target_group: str
    model: str
    participants: int | None
    costs: Mapping[str, Decimal]
    benefits: Mapping[str, Decimal]
    total_costs: Decimal
    total_benefits: Decimal
    balance: Decimal
    social_ratio: Decimal
    financial_ratio: Decimal
    municipal_ratio: Decimal
    immaterial_shares: Mapping[str, Decimal]


def reference_approaches_from_dict(data: Mapping[str, Any]) -> tuple[ReferenceApproach, ...]:
    """The reference approaches of ``data/reference_approaches.json`` as dataclasses, by number."""
    approaches = [
        ReferenceApproach(
            number=int(item["number"]),
            name=str(item["name"]),
            approach_type=str(item["type"]),
            target_group=str(item["target_group"]),
            model=str(item["model"]),
            participants=None if item.get("participants") is None else int(item["participants"]),
            costs=MappingProxyType({line: to_decimal(item["costs"].get(line, 0)) for line in COST_LINES}),
            benefits=MappingProxyType({line: to_decimal(item["benefits"].get(line, 0)) for line in BENEFIT_LINES}),
            total_costs=to_decimal(item["total_costs"]),
            total_benefits=to_decimal(item["total_benefits"]),
            balance=to_decimal(item["balance"]),
            social_ratio=to_decimal(item["social_ratio"]),
            financial_ratio=to_decimal(item["financial_ratio"]),
            municipal_ratio=to_decimal(item["municipal_ratio"]),
            immaterial_shares=MappingProxyType(
                {
                    line: to_decimal(item.get("immaterial_shares", {}).get(line, DEFAULT_IMMATERIAL_SHARES[line]))
                    for line in BENEFIT_LINES
                }
            ),
        )
        for item in data["approaches"]
    ]
    return tuple(sorted(approaches, key=lambda approach: approach.number))


def reference_approaches_load(path: Path = REFERENCE_APPROACHES_PATH) -> tuple[ReferenceApproach, ...]:
    """Read the project's own copy of the reference approaches (never ``shared/``)."""
    with path.open(encoding="utf-8") as file:
        return reference_approaches_from_dict(json.load(file))


def scenario_from_reference(reference: ReferenceApproach, *, participants: int | None = None) -> ScenarioInput:
    """A scenario loaded with a reference approach (SPEC.md 4, Scenario mode): its lines, its
    printed totals (see ``ScenarioInput``) and its immaterial shares. ``participants`` defaults to
    the approach's own number of participants, or 1 where the source gives none."""
    if participants is None:
        participants = reference.participants if reference.participants is not None else 1
    return ScenarioInput(
        approach=reference.name,
        participants=participants,
        costs_per_participant=reference.costs,
        benefits_per_participant=reference.benefits,
        immaterial_shares=reference.immaterial_shares,
        total_costs_per_participant=reference.total_costs,
        total_benefits_per_participant=reference.total_benefits,
        balance_per_participant=reference.balance,
        name=f"referentieaanpak {reference.number}",
        version="factsheet",
    )


# --- Output JSON (SPEC.md 4, the contract) ----------------------------------------------------


def _quantize(value: Decimal, exponent: str) -> Decimal:
    places = -int(Decimal(exponent).as_tuple().exponent)
    return formats.round_half_up(value, places) + ZERO  # -0 -> 0


def euro(value: Decimal | None) -> int | None:
    """Round a euro amount to whole euro for output (ROUND_HALF_UP)."""
    return None if value is None else int(_quantize(value, "1"))


def rounded(value: Decimal | None, exponent: str) -> float | None:
    """Round a ratio or rate for output (ROUND_HALF_UP), e.g. exponent ``"0.01"``."""
    if value is None:
        return None
    return float(_quantize(value, exponent))


def mkba_output(
    result: MkbaResult,
    *,
    references: Sequence[ReferenceApproach] = (),
    runs: int | None = None,
    seed: int | None = None,
    simulated: uncertainty.Uncertainty | None = None,
) -> dict[str, Any]:
    """The MKBA output JSON of SPEC.md section 4 (the contract), rounded only here.

    Contract keys, in contract order, then the extras: ``ratio_notes`` (reason per ``None``
    figure, keyed by field name), ``notes`` (e.g. printed totals used in scenario mode),
    ``uncertainty`` and ``break_even_contribution`` (issue 17, items 5 and 7; see
    ``uncertainty_output``) and, when ``references`` are given, ``reference_comparison`` (the
    printed ratios of the reference approaches, to show this report's ratio beside them). Euro
    amounts are ints, ratios and rates floats, dates ISO strings; every value is
    JSON-serialisable as is. ``runs`` and ``seed`` of the simulation default to those of
    ``uncertainty.monte_carlo_current()``; ``simulated`` is a simulation made by the caller (an
    own scenario's, ``uncertainty.scenario_lines_uncertainty``) instead of the result's own.
    """
    stakeholders = {
        name: {
            "costs": euro(result.stakeholder_costs.get(name, ZERO)),
            "benefits": euro(result.stakeholder_benefits.get(name, ZERO)),
            "balance": euro(result.stakeholder_benefits.get(name, ZERO) - result.stakeholder_costs.get(name, ZERO)),
        }
        for name in result.stakeholders()
    }
    output: dict[str, Any] = {
        "approach": result.approach,
        "cohort": {
            "from": None if result.cohort_from is None else result.cohort_from.isoformat(),
            "to": None if result.cohort_to is None else result.cohort_to.isoformat(),
            "measured_at": None if result.measured_at is None else result.measured_at.isoformat(),
        },
        "participants": result.participants,
        "parameter_set": {"name": result.parameter_set_name, "version": result.parameter_set_version},
        "costs": {line: euro(result.costs.get(line, ZERO)) for line in COST_LINES},
        "benefits": {line: euro(result.benefits.get(line, ZERO)) for line in BENEFIT_LINES},
        "total_costs": euro(result.total_costs),
        "total_benefits": euro(result.total_benefits),
        "balance": euro(result.balance),
        "per_participant": {
            "total_costs": euro(result.per_participant_total_costs),
            "total_benefits": euro(result.per_participant_total_benefits),
            "balance": euro(result.per_participant_balance),
        },
        "social_ratio": rounded(result.social_ratio, "0.01"),
        "financial_ratio": rounded(result.financial_ratio, "0.01"),
        "municipal_ratio": rounded(result.municipal_ratio, "0.01"),
        "stakeholders": stakeholders,
        "effects": {
            outcome: {
                "observed": rounded(effect.observed, "0.001"),
                "baseline": rounded(effect.baseline, "0.001"),
                "net": rounded(effect.net, "0.001"),
                "extra": rounded(effect.extra, "0.01"),
            }
            for outcome, effect in result.effects.items()
        },
        "break_even_effect": rounded(result.break_even_effect, "0.001"),
        "sensitivity": {
            "low": rounded(result.sensitivity_low, "0.01"),
            "high": rounded(result.sensitivity_high, "0.01"),
        },
        "ratio_notes": dict(result.ratio_notes),
        "notes": list(result.notes),
        **uncertainty_output(result, runs=runs, seed=seed, simulated=simulated),
    }
    if references:
        output["reference_comparison"] = [
            {
                "number": reference.number,
                "name": reference.name,
                "social_ratio": float(reference.social_ratio),
                "financial_ratio": float(reference.financial_ratio),
                "municipal_ratio": float(reference.municipal_ratio),
            }
            for reference in references
        ]
    return output


def uncertainty_output(
    result: MkbaResult,
    *,
    runs: int | None = None,
    seed: int | None = None,
    simulated: uncertainty.Uncertainty | None = None,
) -> dict[str, Any]:
    """The two extras of issue 17 beside the contract's fields, rounded like them:

    - ``uncertainty`` ``{runs, seed, probability_above_1, social_ratio_p5, social_ratio_p50,
      social_ratio_p95, reason}``: the seeded Monte Carlo of ``mkba.uncertainty`` over the
      parameter set's ranges and the binomial sampling of the observed rates; ratios to 0.01, the
      probability to 0.001; figures ``None`` with a ``reason`` when total costs are 0 or in
      scenario mode (``reason`` is ``None`` otherwise);
    - ``break_even_contribution`` ``{stakeholder: euro}`` (``mkba.cofinancing``): the most each
      stakeholder of the table can contribute while its own benefits cover it; ``None`` in
      scenario mode without a split of the benefits over stakeholders.
    """
    current_runs, current_seed = uncertainty.monte_carlo_current()
    runs = current_runs if runs is None else runs
    seed = current_seed if seed is None else seed
    uncertainty.check_runs_and_seed(runs, seed)
    if simulated is None and result.parameters is None:
        simulated = uncertainty.scenario_uncertainty(runs=runs, seed=seed)
    elif simulated is None:
        simulated = uncertainty.social_ratio_uncertainty(
            uncertainty.uncertainty_inputs(result, result.parameters), runs=runs, seed=seed
        )
    split_known = result.ratio_notes.get("municipal_ratio") != REASON_SCENARIO_NO_SPLIT
    contributions = cofinancing.break_even_contributions(result.stakeholder_benefits, result.stakeholders())
    return {
        "uncertainty": {
            "runs": simulated.runs,
            "seed": simulated.seed,
            "probability_above_1": rounded(simulated.probability_above_1, "0.001"),
            "social_ratio_p5": rounded(simulated.social_ratio_p5, "0.01"),
            "social_ratio_p50": rounded(simulated.social_ratio_p50, "0.01"),
            "social_ratio_p95": rounded(simulated.social_ratio_p95, "0.01"),
            "reason": simulated.reason,
        },
        "break_even_contribution": (
            {name: euro(amount) for name, amount in contributions.items()} if split_known else None
        ),
    }
