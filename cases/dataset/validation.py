# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Per-file validation of a dataset (no database): every row of one file is read into typed rows
and its errors collected."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cases.dataset.reading import (
    AMOUNT_LIMIT,
    ANSWERS,
    COMPLEXITIES,
    COST_LINES,
    EDUCATION_LEVELS,
    FTE_MAX,
    FUNDING_SOURCES,
    MINUTES_MAX,
    MONTHS_AFTER_MAX,
    OUTCOMES,
    PHASES,
    REFERRAL_ROUTES,
    ROLES,
    TIME_CATEGORIES,
    _Cells,
    _CsvFile,
    _Errors,
    _Reference,
)
from cases.models import (
    Complexity,
    Phase,
)


def _span_text(start: date, end: date | None) -> str:
    return f"{start.isoformat()}..{end.isoformat() if end else 'open'}"


def _content_key(kind: str, parts: Sequence[str], occurrence: int) -> str:
    """import_key: 64 hex characters from the row's normalised content and its occurrence number."""
    text = "\x1f".join([kind, *parts, str(occurrence)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- per-file validation (no database) -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _WorkerRow:
    line: int
    worker_id: str
    name: str
    organisation: str
    team: str
    fte: Decimal | None
    fte_from: date | None


@dataclass(frozen=True, slots=True)
class _FtePeriodRow:
    line: int
    worker_id: str
    fte: Decimal
    fte_from: date


@dataclass
class _WorkersFile:
    ids: set[str] = field(default_factory=set)
    workers: dict[str, _WorkerRow] = field(default_factory=dict)  # the first valid row of each worker
    fte_periods: list[_FtePeriodRow] = field(default_factory=list)


def workers_validate(file: _CsvFile, errors: _Errors) -> _WorkersFile:
    """workers.csv: one row per fte period; name, organisation and team agree across a worker's rows."""
    result = _WorkersFile(ids=file.malformed_ids("worker_id"))
    fte_lines: dict[tuple[str, date], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        worker_id = cells.identifier("worker_id")
        if worker_id:
            result.ids.add(worker_id)
        # An empty name is unknown (SPEC §6): the worker is known by their id until someone names them.
        name = cells.text("name") or worker_id
        organisation = cells.text("organisation", required=True)
        team = cells.text("team", required=True)
        fte = cells.decimal("fte", required=False, maximum=FTE_MAX, places=3, range_text="between 0 and 1.5")
        fte_from = cells.date("fte_from")
        if not cells.raw("fte") and cells.raw("fte_from"):
            cells.error("fte", "required when fte_from is given")
        if cells.raw("fte") and not cells.raw("fte_from"):
            cells.error("fte_from", "required when fte is given")
        if not cells.valid:
            continue
        parsed = _WorkerRow(row.line, worker_id, name, organisation, team, fte, fte_from)
        first = result.workers.setdefault(worker_id, parsed)
        for column, mine, theirs in (
            ("name", name, first.name),
            ("organisation", organisation, first.organisation),
            ("team", team, first.team),
        ):
            if mine != theirs:
                cells.error(column, f"{mine!r} differs from {theirs!r} on line {first.line} for worker {worker_id!r}")
        if fte is not None and fte_from is not None:
            first_line = fte_lines.setdefault((worker_id, fte_from), row.line)
            if first_line != row.line:
                cells.error(
                    "fte_from",
                    f"duplicate fte period of worker {worker_id!r} from {fte_from} (also on line {first_line})",
                )
            else:
                result.fte_periods.append(_FtePeriodRow(row.line, worker_id, fte, fte_from))
    return result


@dataclass(frozen=True, slots=True)
class _YouthRow:
    line: int
    youth_id: str
    birth_date: date | None
    target_group: str
    education_level: str
    has_startkwalificatie: bool | None
    complexity: str
    municipality: str
    referral_route: str
    reported_on: date | None = None
    first_contact_on: date | None = None


def _unique_id(cells: _Cells, column: str, kind: str, ids: set[str], lines: dict[str, int], line: int) -> str:
    """Read an id column, remember the id, and flag a second row with the same id."""
    value = cells.identifier(column)
    if value:
        ids.add(value)
        first_line = lines.setdefault(value, line)
        if first_line != line:
            cells.error(column, f"duplicate {kind} {value!r} (also on line {first_line})")
    return value


@dataclass
class _YouthsFile:
    ids: set[str] = field(default_factory=set)
    youths: list[_YouthRow] = field(default_factory=list)
    # The optional columns the header has: an absent one leaves the field of an earlier import as it is.
    columns: frozenset[str] = frozenset()


def youths_validate(file: _CsvFile, errors: _Errors) -> _YouthsFile:
    """youths.csv: codes of SPEC §6; an empty cell is unknown."""
    result = _YouthsFile(ids=file.malformed_ids("youth_id"), columns=file.columns)
    lines: dict[str, int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        youth_id = _unique_id(cells, "youth_id", "youth", result.ids, lines, row.line)
        parsed = _YouthRow(
            line=row.line,
            youth_id=youth_id,
            birth_date=cells.date("birth_date"),
            target_group=cells.text("target_group"),
            education_level=cells.code("education_level", EDUCATION_LEVELS),
            has_startkwalificatie=cells.boolean("has_startkwalificatie"),
            complexity=cells.code("complexity", COMPLEXITIES) or Complexity.LICHT.value,
            municipality=cells.text("municipality"),
            referral_route=cells.code("referral_route", REFERRAL_ROUTES),
            reported_on=cells.date("reported_on"),
            first_contact_on=cells.date("first_contact_on"),
        )
        reported, contacted = parsed.reported_on, parsed.first_contact_on
        if reported and contacted and contacted < reported:
            cells.error("first_contact_on", f"{contacted} is before reported_on {reported}")
        if cells.valid:
            result.youths.append(parsed)
    return result


@dataclass(frozen=True, slots=True)
class _TrajectoryRow:
    line: int
    trajectory_id: str
    youth_id: str
    worker_id: str
    approach: str
    start_date: date
    end_date: date | None
    funding_source: str = ""  # empty: the column is absent or the cell empty


@dataclass
class _TrajectoriesFile:
    ids: set[str] = field(default_factory=set)
    trajectories: list[_TrajectoryRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)
    # The optional columns the header has: an absent one leaves the field of an earlier import as it is.
    columns: frozenset[str] = frozenset()


def trajectories_validate(file: _CsvFile, errors: _Errors) -> _TrajectoriesFile:
    """trajectories.csv: ids, an approach name, and end_date on or after start_date."""
    result = _TrajectoriesFile(ids=file.malformed_ids("trajectory_id"), columns=file.columns)
    lines: dict[str, int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = _unique_id(cells, "trajectory_id", "trajectory", result.ids, lines, row.line)
        youth_id = cells.identifier("youth_id")
        worker_id = cells.identifier("worker_id")
        result.references += cells.references(youth_id=youth_id, worker_id=worker_id)
        approach = cells.text("approach", required=True)
        start_date = cells.date("start_date", required=True)
        end_date = cells.date("end_date")
        if start_date and end_date and end_date < start_date:
            cells.error("end_date", f"{end_date} is before start_date {start_date}")
        funding_source = cells.code("funding_source", FUNDING_SOURCES)
        if cells.valid and start_date is not None:
            result.trajectories.append(
                _TrajectoryRow(
                    row.line, trajectory_id, youth_id, worker_id, approach, start_date, end_date, funding_source
                )
            )
    return result


@dataclass(frozen=True, slots=True)
class _PeriodRow:
    line: int
    trajectory_id: str
    phase: str
    role: str
    start_date: date
    end_date: date | None
    worker_id: str


@dataclass
class _PeriodsFile:
    periods: list[_PeriodRow] = field(default_factory=list)
    # (trajectory_id, start_date) of every row, valid or not: the periods this file speaks for.
    keys: set[tuple[str, date]] = field(default_factory=set)
    references: list[_Reference] = field(default_factory=list)


def periods_validate(file: _CsvFile, errors: _Errors) -> _PeriodsFile:
    """periods.csv: phase and role codes (a time-out has no role), end_date after start_date."""
    result = _PeriodsFile()
    lines: dict[tuple[str, date], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = cells.identifier("trajectory_id")
        worker_id = cells.identifier("worker_id", required=False)
        result.references += cells.references(trajectory_id=trajectory_id, worker_id=worker_id)
        phase = cells.code("phase", PHASES, required=True)
        role = cells.code("role", ROLES)
        if phase == Phase.TIME_OUT and role:
            cells.error("role", f"a time-out has no role (found {role!r})")
        start_date = cells.date("start_date", required=True)
        end_date = cells.date("end_date")
        if start_date and end_date and end_date <= start_date:
            cells.error("end_date", f"{end_date} is not after start_date {start_date}")
        if trajectory_id and start_date:
            result.keys.add((trajectory_id, start_date))
            first_line = lines.setdefault((trajectory_id, start_date), row.line)
            if first_line != row.line:
                cells.error(
                    "start_date",
                    f"duplicate period of trajectory {trajectory_id!r} starting {start_date} (also on line {first_line})",
                )
        if cells.valid and start_date is not None:
            result.periods.append(_PeriodRow(row.line, trajectory_id, phase, role, start_date, end_date, worker_id))
    return result


@dataclass(frozen=True, slots=True)
class _TimeEntryRow:
    line: int
    worker_id: str
    date: date
    minutes: int
    category: str
    trajectory_id: str
    import_key: str


@dataclass
class _TimeEntriesFile:
    time_entries: list[_TimeEntryRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def time_entries_validate(file: _CsvFile, errors: _Errors) -> _TimeEntriesFile:
    """time_entries.csv: minutes 1..1440, a category code; keyed by content and occurrence."""
    result = _TimeEntriesFile()
    occurrences: dict[tuple[str, ...], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        worker_id = cells.identifier("worker_id")
        trajectory_id = cells.identifier("trajectory_id", required=False)
        result.references += cells.references(worker_id=worker_id, trajectory_id=trajectory_id)
        day = cells.date("date", required=True)
        minutes = cells.integer("minutes", required=True, minimum=1, maximum=MINUTES_MAX)
        category = cells.code("category", TIME_CATEGORIES, required=True)
        if not cells.valid or day is None or minutes is None:
            continue
        content = (worker_id, day.isoformat(), str(minutes), category, trajectory_id)
        occurrence = occurrences[content] = occurrences.get(content, 0) + 1
        result.time_entries.append(
            _TimeEntryRow(
                row.line,
                worker_id,
                day,
                minutes,
                category,
                trajectory_id,
                _content_key("time_entry", content, occurrence),
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class _OutcomeRow:
    line: int
    trajectory_id: str
    date: date
    outcome: str


@dataclass
class _OutcomesFile:
    outcomes: list[_OutcomeRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def outcomes_validate(file: _CsvFile, errors: _Errors) -> _OutcomesFile:
    """outcomes.csv: outcome codes of SPEC §2; one outcome of a kind per trajectory and day."""
    result = _OutcomesFile()
    lines: dict[tuple[str, str, date], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = cells.identifier("trajectory_id")
        result.references += cells.references(trajectory_id=trajectory_id)
        day = cells.date("date", required=True)
        outcome = cells.code("outcome", OUTCOMES, required=True)
        if trajectory_id and day and outcome:
            first_line = lines.setdefault((trajectory_id, outcome, day), row.line)
            if first_line != row.line:
                cells.error(
                    "outcome",
                    f"duplicate outcome {outcome!r} on {day} for trajectory {trajectory_id!r} (also on line {first_line})",
                )
        if cells.valid and day is not None:
            result.outcomes.append(_OutcomeRow(row.line, trajectory_id, day, outcome))
    return result


@dataclass(frozen=True, slots=True)
class _CostItemRow:
    line: int
    trajectory_id: str
    approach: str
    date: date
    cost_line: str
    amount: Decimal


@dataclass
class _CostItemsFile:
    cost_items: list[_CostItemRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def cost_items_validate(file: _CsvFile, errors: _Errors) -> _CostItemsFile:
    """cost_items.csv: a cost line of SPEC §4, an amount >= 0, on a trajectory or an approach."""
    result = _CostItemsFile()
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = cells.identifier("trajectory_id", required=False)
        result.references += cells.references(trajectory_id=trajectory_id)
        approach = cells.text("approach")
        if not cells.raw("trajectory_id") and not cells.raw("approach"):
            cells.error("approach", "required when trajectory_id is empty")
        day = cells.date("date", required=True)
        cost_line = cells.code("line", COST_LINES, required=True)
        amount = cells.decimal(
            "amount", required=True, maximum=AMOUNT_LIMIT - Decimal("0.01"), places=2, range_text="an amount >= 0"
        )
        if cells.valid and day is not None and amount is not None:
            result.cost_items.append(_CostItemRow(row.line, trajectory_id, approach, day, cost_line, amount))
    return result


@dataclass(frozen=True, slots=True)
class _FollowUpRow:
    line: int
    trajectory_id: str
    outcome: str
    outcome_date: date
    months_after: int
    answer: str


@dataclass
class _FollowUpsFile:
    follow_ups: list[_FollowUpRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def follow_ups_validate(file: _CsvFile, errors: _Errors) -> _FollowUpsFile:
    """follow_ups.csv (SPEC §6, §4b): a durability check of the outcome of that type and date on that
    trajectory, `months_after` calendar months after it; answer empty (not yet) or an answer code.
    One check per outcome and months_after (as the database keeps them)."""
    result = _FollowUpsFile()
    lines: dict[tuple[str, str, date, int], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = cells.identifier("trajectory_id")
        result.references += cells.references(trajectory_id=trajectory_id)
        outcome = cells.code("outcome", OUTCOMES, required=True)
        outcome_date = cells.date("outcome_date", required=True)
        months_after = cells.integer("months_after", required=True, minimum=1, maximum=MONTHS_AFTER_MAX)
        answer = cells.code("answer", ANSWERS)
        if trajectory_id and outcome and outcome_date and months_after:
            first_line = lines.setdefault((trajectory_id, outcome, outcome_date, months_after), row.line)
            if first_line != row.line:
                cells.error(
                    "months_after",
                    f"duplicate check after {months_after} months of outcome {outcome!r} on {outcome_date} "
                    f"for trajectory {trajectory_id!r} (also on line {first_line})",
                )
        if cells.valid and outcome_date is not None and months_after is not None:
            result.follow_ups.append(_FollowUpRow(row.line, trajectory_id, outcome, outcome_date, months_after, answer))
    return result


@dataclass(frozen=True, slots=True)
class _WorkingElementRow:
    line: int
    trajectory_id: str
    element: str


@dataclass
class _WorkingElementsFile:
    working_elements: list[_WorkingElementRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def working_elements_validate(file: _CsvFile, errors: _Errors) -> _WorkingElementsFile:
    """working_elements.csv (SPEC §6): one row per element used in a trajectory; names are created
    per organisation when new."""
    result = _WorkingElementsFile()
    lines: dict[tuple[str, str], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = cells.identifier("trajectory_id")
        result.references += cells.references(trajectory_id=trajectory_id)
        element = cells.text("element", required=True)
        if trajectory_id and element:
            first_line = lines.setdefault((trajectory_id, element), row.line)
            if first_line != row.line:
                cells.error(
                    "element",
                    f"duplicate element {element!r} for trajectory {trajectory_id!r} (also on line {first_line})",
                )
        if cells.valid:
            result.working_elements.append(_WorkingElementRow(row.line, trajectory_id, element))
    return result


@dataclass(frozen=True, slots=True)
class _ComplexityChangeRow:
    line: int
    youth_id: str
    valid_from: date | None
    complexity: str


@dataclass
class _ComplexityChangesFile:
    changes: list[_ComplexityChangeRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)

    @property
    def youth_ids(self) -> set[str]:
        return {row.youth_id for row in self.changes}


def complexity_changes_validate(file: _CsvFile, errors: _Errors) -> _ComplexityChangesFile:
    """complexity_changes.csv (optional): a youth's complexity from a day on (SPEC §3); an empty
    valid_from holds from the start. One row per youth and day."""
    result = _ComplexityChangesFile()
    lines: dict[tuple[str, date | None], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        youth_id = cells.identifier("youth_id")
        result.references += cells.references(youth_id=youth_id)
        valid_from = cells.date("valid_from")
        complexity = cells.code("complexity", COMPLEXITIES, required=True)
        if youth_id and cells.valid:
            first_line = lines.setdefault((youth_id, valid_from), row.line)
            if first_line != row.line:
                day = valid_from.isoformat() if valid_from else "the start"
                cells.error(
                    "valid_from", f"a second complexity for youth {youth_id!r} from {day} (also on line {first_line})"
                )
        if cells.valid:
            result.changes.append(_ComplexityChangeRow(row.line, youth_id, valid_from, complexity))
    return result
