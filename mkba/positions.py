"""The position rule of SPEC.md section 4b as one pure function (no Django, no ORM).

It lives here, below ``accountability``, because two apps use it: the MKBA's ``durability:
answered`` option (``mkba.calculations.observed_rates``) and every accountability figure
(``accountability.calculations`` imports and re-exports these names). One rule, one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

Position = Literal["positive", "unknown", "negative"]
POSITIVE: Final = "positive"
UNKNOWN: Final = "unknown"
NEGATIVE: Final = "negative"
# An event of the position rule: its day and its value's strength.
PositionEvent = tuple[dt.date, int]
# On a day with several events: positive beats unknown, unknown beats negative.
_STRENGTH: Final[Mapping[str, int]] = MappingProxyType({NEGATIVE: 0, UNKNOWN: 1, POSITIVE: 2})
_POSITIONS: Final[Mapping[int, Position]] = MappingProxyType({0: "negative", 1: "unknown", 2: "positive"})

# Outcome types whose registration plans durability checks (SPEC.md 4b).
FOLLOW_UP_TYPES: Final = frozenset({"work", "work_subsidised", "improved_position", "school"})
# Outcomes that make a trajectory's position unknown.
UNKNOWN_OUTCOMES: Final = frozenset({"out_of_sight", "moved"})
# An answered check, by its answer, on its due date.
ANSWERS: Final[Mapping[str, Position]] = MappingProxyType(
    {"still_there": "positive", "not_there": "negative", "unknown": "unknown"}
)


@dataclass(frozen=True)
class OutcomeRecord:
    """One dated outcome of a trajectory (SPEC.md 2)."""

    outcome: str
    date: dt.date


@dataclass(frozen=True)
class CheckRecord:
    """One durability check of an outcome: the checked outcome's type, the due date, the answer."""

    outcome: str
    due_date: dt.date
    answer: str | None = None  # None or "" = not answered: no information

    def __post_init__(self) -> None:
        if self.answer and self.answer not in ANSWERS:
            raise ValueError(f"unknown check answer {self.answer!r}; expected one of {tuple(ANSWERS)} or empty")


def position(
    *,
    start: dt.date,
    outcomes: Iterable[OutcomeRecord],
    checks: Iterable[CheckRecord],
    types: AbstractSet[str],
    moment: dt.date,
    measured_at: dt.date,
) -> Position:
    """SPEC.md 4b, "Position of a trajectory": the position of a trajectory for the set ``types``
    (S) on day ``moment`` (M), as known on the measurement date ``measured_at`` (m).

    "decided by the events dated from t's start up to and including min(M, m):
    - each outcome of t whose type is in S: positive, on its date;
    - each outcome of t of type out_of_sight or moved: unknown, on its date;
    - each answered check of an outcome of t whose type is in S, on the check's due date:
      still_there positive, not_there negative, unknown unknown.
    The position is the value of the latest event; on a day with several events, positive beats
    unknown and unknown beats negative. Without any event the position is negative."
    An unanswered check is no event.
    """
    return position_decide(position_events(outcomes, checks, types), start=start, last=min(moment, measured_at))


def position_events(
    outcomes: Iterable[OutcomeRecord], checks: Iterable[CheckRecord], types: AbstractSet[str]
) -> list[PositionEvent]:
    """The events of ``position`` for the set ``types``: (day, strength) pairs, in no order.
    Gathered once, they can be decided for several moments (``position_decide``)."""
    events: list[PositionEvent] = []
    for outcome in outcomes:
        if outcome.outcome in types:
            events.append((outcome.date, _STRENGTH[POSITIVE]))
        elif outcome.outcome in UNKNOWN_OUTCOMES:
            events.append((outcome.date, _STRENGTH[UNKNOWN]))
    for check in checks:
        if check.answer and check.outcome in types:
            events.append((check.due_date, _STRENGTH[ANSWERS[check.answer]]))
    return events


def position_decide(events: Iterable[PositionEvent], *, start: dt.date, last: dt.date) -> Position:
    """The value of the latest event dated in ``[start, last]``, the strongest on a tie; negative
    without one (``position``)."""
    dated = [event for event in events if start <= event[0] <= last]
    if not dated:
        return NEGATIVE
    strongest = max(dated)  # the latest day first, then the strongest value of that day
    return _POSITIONS[strongest[1]]
