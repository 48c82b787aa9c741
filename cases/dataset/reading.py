# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Reading a dataset's CSV files: file names and columns, the vocabularies, the limits, the
errors collected as `file:line: column: message`, and the typed cells of one row."""

import csv
import functools
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from cases.models import (
    Complexity,
    CostLine,
    EducationLevel,
    FollowUp,
    OutcomeType,
    Phase,
    ReferralRoute,
    Role,
    TimeCategory,
    Trajectory,
)
from core.exceptions import ApplicationError

WORKERS_CSV = "workers.csv"
YOUTHS_CSV = "youths.csv"
TRAJECTORIES_CSV = "trajectories.csv"
PERIODS_CSV = "periods.csv"
TIME_ENTRIES_CSV = "time_entries.csv"
OUTCOMES_CSV = "outcomes.csv"
COST_ITEMS_CSV = "cost_items.csv"
FOLLOW_UPS_CSV = "follow_ups.csv"
WORKING_ELEMENTS_CSV = "working_elements.csv"
COMPLEXITY_CHANGES_CSV = "complexity_changes.csv"

# The contract of SPEC §6, in the order errors are reported.
COLUMNS: dict[str, tuple[str, ...]] = {
    WORKERS_CSV: ("worker_id", "name", "organisation", "team", "fte", "fte_from"),
    YOUTHS_CSV: (
        "youth_id",
        "birth_date",
        "target_group",
        "education_level",
        "has_startkwalificatie",
        "complexity",
        "municipality",
        "referral_route",
    ),
    TRAJECTORIES_CSV: ("trajectory_id", "youth_id", "worker_id", "approach", "start_date", "end_date"),
    PERIODS_CSV: ("trajectory_id", "phase", "role", "start_date", "end_date", "worker_id"),
    TIME_ENTRIES_CSV: ("worker_id", "date", "minutes", "category", "trajectory_id"),
    OUTCOMES_CSV: ("trajectory_id", "date", "outcome"),
    COST_ITEMS_CSV: ("trajectory_id", "approach", "date", "line", "amount"),
    FOLLOW_UPS_CSV: ("trajectory_id", "outcome", "outcome_date", "months_after", "answer"),
    WORKING_ELEMENTS_CSV: ("trajectory_id", "element"),
    # Not in SPEC §6: the complexity history of SPEC §3 (re-ratings in the app), so that
    # export_dataset's round trip loses nothing the figures use. Empty valid_from: from the start.
    COMPLEXITY_CHANGES_CSV: ("youth_id", "valid_from", "complexity"),
}
OPTIONAL_FILES = frozenset({COST_ITEMS_CSV, FOLLOW_UPS_CSV, WORKING_ELEMENTS_CSV, COMPLEXITY_CHANGES_CSV})
# Optional columns (SPEC §6): each may be absent or empty. An absent column leaves the field of a
# record imported earlier as it is; an empty cell is unknown (see the writer for each field).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    YOUTHS_CSV: ("reported_on", "first_contact_on"),
    TRAJECTORIES_CSV: ("funding_source",),
}
_FILE_RANK = {name: rank for rank, name in enumerate(COLUMNS)}

# Kinds of record, as counted in ImportResult.records.
RECORD_KINDS = (
    "workers",
    "fte_periods",
    "youths",
    "trajectories",
    "periods",
    "time_entries",
    "outcomes",
    "cost_items",
    "follow_ups",
    "trajectory_working_elements",
    "complexity_changes",
)
NAME_KINDS = ("organisations", "teams", "approaches", "target_groups", "municipalities", "working_elements")

# The codes of SPEC §6, computed once (the enums compute `.values` anew on every access).
PHASES = tuple(Phase.values)
ROLES = tuple(Role.values)
TIME_CATEGORIES = tuple(TimeCategory.values)
OUTCOMES = tuple(OutcomeType.values)
COMPLEXITIES = tuple(Complexity.values)
EDUCATION_LEVELS = tuple(EducationLevel.values)
REFERRAL_ROUTES = tuple(ReferralRoute.values)
COST_LINES = tuple(CostLine.values)
FUNDING_SOURCES = tuple(Trajectory.FundingSource.values)
ANSWERS = tuple(FollowUp.Answer.values)
# months_after of a durability check: at least 1, at most 50 years.
MONTHS_AFTER_MAX = 600

NO_COLUMN = "-"  # the column of an error that concerns a whole row or file
ID_MAX_LENGTH = 100
NAME_MAX_LENGTH = 200
FTE_MAX = Decimal("1.5")
MINUTES_MAX = 24 * 60
AMOUNT_LIMIT = Decimal(10) ** 10  # CostItem.amount: 12 digits, 2 of them decimals

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"-?[0-9]+")

# bulk_create lets the backend lower this to its variable limit (SQLite); bulk_update builds one
# CASE per field and row, which gets slow in long statements, so its batches stay smaller.
CREATE_BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 500
IN_CHUNK_MAX = 10000


class DatasetInvalid(ApplicationError):
    """The dataset breaks the contract of SPEC §6. `errors` lists every problem; nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(
            f"Dataset rejected with {len(errors)} error(s); nothing was written.", extra={"errors": errors}
        )
        self.errors = errors


@dataclass(frozen=True)
class RecordCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    """What one import did: per kind of record (RECORD_KINDS) and the names (NAME_KINDS) it created."""

    records: dict[str, RecordCounts]
    names_created: dict[str, int]
    cost_items_present: bool
    # The optional files (OPTIONAL_FILES) the dataset has.
    optional_present: frozenset[str] = frozenset()

    @property
    def changed(self) -> bool:
        """Whether the import created or updated anything."""
        return any(c.created or c.updated for c in self.records.values()) or any(self.names_created.values())

    def detail(self) -> str:
        """One line for the audit log: created/updated/unchanged per kind, then new names."""
        parts = [f"{kind} {c.created}/{c.updated}/{c.unchanged}" for kind, c in self.records.items()]
        names = [f"{kind} {count}" for kind, count in self.names_created.items()]
        return "created/updated/unchanged: " + ", ".join(parts) + "; new names: " + ", ".join(names)


# --- progress --------------------------------------------------------------------------------

ProgressCallback = Callable[[float, str], None]  # (fraction 0..1 of the whole import, step)
# Shares of the whole import: reading and validating the files, the checks across files, writing.
READ_SHARE = 0.45
CHECK_SHARE = 0.05


class _Progress:
    """Reports how far an import is, for the import page's progress bar; silent without a callback."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback

    def __call__(self, fraction: float, step: str) -> None:
        if self._callback is not None:
            self._callback(fraction, step)

    @property
    def active(self) -> bool:
        return self._callback is not None


# --- errors and raw files ---------------------------------------------------------------------


class _Errors:
    """Collects errors as `file:line: column: message`; reported sorted by file, line and arrival."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, int, str]] = []

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self._items.append((_FILE_RANK[file], line, len(self._items), f"{file}:{line}: {column}: {message}"))

    def add_file(self, file: str, message: str) -> None:
        """An error of a whole file (e.g. missing), placed on line 1 where its header should be,
        so every error keeps the `file:line: column: message` shape."""
        self._items.append((_FILE_RANK[file], 0, len(self._items), f"{file}:1: {NO_COLUMN}: {message}"))

    def extend(self, other: "_Errors") -> None:
        """Add the errors of `other` (collected on their own, e.g. while streaming a file), in order."""
        for rank, line, _arrival, text in sorted(other._items):
            self._items.append((rank, line, len(self._items), text))

    def __bool__(self) -> bool:
        return bool(self._items)

    def texts(self) -> list[str]:
        return [item[3] for item in sorted(self._items)]


@dataclass(frozen=True, slots=True)
class _Row:
    """One row: its stripped cells in file order and the file's column positions (one dict per
    file, not one per row: the rows of a file are in memory while it is validated)."""

    line: int
    values: tuple[str, ...]
    positions: Mapping[str, int]

    def get(self, column: str) -> str:
        """The cell of `column`, or "" (no such column, or a short row)."""
        position = self.positions.get(column)
        return self.values[position] if position is not None and position < len(self.values) else ""


@dataclass(frozen=True)
class _CsvFile:
    name: str
    present: bool
    # Present with every column of the contract: its rows are read and the ids in it are known.
    usable: bool
    rows: list[_Row]
    # Rows with too few or too many cells (reported): not checked further, but their ids count as known.
    malformed_rows: list[_Row] = field(default_factory=list)
    # The columns of the header (so an absent optional column can be told from an empty cell).
    columns: frozenset[str] = frozenset()

    def malformed_ids(self, column: str) -> set[str]:
        return {row.get(column) for row in self.malformed_rows if row.get(column)}


def _csv_file_read(directory: Path, name: str, errors: _Errors) -> _CsvFile:
    """Read one file of the dataset: UTF-8 (a BOM is fine), a header row, comma separated."""
    path = directory / name
    if not path.is_file():
        if name not in OPTIONAL_FILES:
            errors.add_file(name, f"required file is missing (no {name} in {directory})")
        return _CsvFile(name=name, present=False, usable=False, rows=[])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        errors.add(name, line, NO_COLUMN, f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8")
        return _CsvFile(name=name, present=True, usable=False, rows=[])
    if "\x00" in text:  # no database stores it in a text; a spreadsheet saved as binary, most likely
        line = text.count("\n", 0, text.index("\x00")) + 1
        errors.add(name, line, NO_COLUMN, "contains a NUL character (byte 0x00); save the file as UTF-8 text")
        return _CsvFile(name=name, present=True, usable=False, rows=[])

    expected = COLUMNS[name]
    shared: dict[str, str] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[_Row] = []
    malformed_rows: list[_Row] = []
    usable = True
    end_of_previous = 0
    try:
        for cells in reader:
            line = end_of_previous + 1  # a quoted cell may span lines: a row starts after the previous one
            end_of_previous = reader.line_num
            if header is None:
                header = [cell.strip() for cell in cells]
                positions = _positions(header)
                usable = _header_check(name, header, errors)
                if not usable:
                    break  # rows cannot be read against this header; the header errors say why
                continue
            if not any(cell.strip() for cell in cells):
                continue  # blank lines carry nothing
            if len(cells) != len(header):
                errors.add(name, line, NO_COLUMN, f"{len(cells)} cells, but the header has {len(header)} columns")
                malformed_rows.append(_Row(line, _stripped(cells[: len(header)], shared), positions))
                continue
            rows.append(_Row(line, _stripped(cells, shared), positions))
    except csv.Error as error:
        errors.add(name, end_of_previous + 1, NO_COLUMN, f"not readable as CSV: {error}")
        return _CsvFile(name=name, present=True, usable=False, rows=[])
    if header is None:
        errors.add(name, 1, NO_COLUMN, f"empty file; expected the header {','.join(expected)}")
        return _CsvFile(name=name, present=True, usable=False, rows=[])
    if not usable:
        return _CsvFile(name=name, present=True, usable=False, rows=[])
    return _CsvFile(
        name=name, present=True, usable=True, rows=rows, malformed_rows=malformed_rows, columns=frozenset(header)
    )


def _stripped(cells: list[str], shared: dict[str, str]) -> tuple[str, ...]:
    """The stripped cells, equal texts as one object (ids, codes and days repeat down a file: a
    region's periods.csv holds a third of the strings it would otherwise)."""
    return tuple([shared.setdefault(cell, cell) for cell in map(str.strip, cells)])


def _positions(header: list[str]) -> dict[str, int]:
    """Column -> position (a repeated name: its last position, as a dict of the row would hold)."""
    return {column: position for position, column in enumerate(header)}


def _header_check(name: str, header: list[str], errors: _Errors) -> bool:
    """Missing and unknown columns are errors of line 1; the file stays usable when none is missing.
    Optional columns (OPTIONAL_COLUMNS) are known but may be missing."""
    expected = COLUMNS[name]
    known = (*expected, *OPTIONAL_COLUMNS.get(name, ()))
    usable = True
    seen: set[str] = set()
    for position, column in enumerate(header, start=1):
        if not column:
            errors.add(name, 1, NO_COLUMN, f"column {position} has no name")
        elif column in seen:
            errors.add(name, 1, column, "duplicate column")
            usable = False
        elif column not in known:
            errors.add(name, 1, column, f"unknown column (expected {', '.join(known)})")
        seen.add(column)
    for column in expected:
        if column not in seen:
            errors.add(name, 1, column, "missing column")
            usable = False
    return usable


class _Cells:
    """Typed access to the cells of one row; every problem is an error of this file, line and column."""

    def __init__(self, file: str, row: _Row, errors: _Errors) -> None:
        self.file = file
        self.line = row.line
        self._row = row
        self._errors = errors
        self.valid = True

    def error(self, column: str, message: str) -> None:
        self.valid = False
        self._errors.add(self.file, self.line, column, message)

    def raw(self, column: str) -> str:
        return self._row.get(column)

    def references(self, **ids: str) -> list["_Reference"]:
        """The non-empty ids of this row that must name a dataset row or an earlier import."""
        return [_Reference(self.file, self.line, column, value) for column, value in ids.items() if value]

    def _required(self, column: str, required: bool) -> None:
        if required:
            self.error(column, "required, but empty")

    def text(self, column: str, *, required: bool = False, max_length: int = NAME_MAX_LENGTH) -> str:
        value = self.raw(column)
        if not value:
            self._required(column, required)
        elif len(value) > max_length:
            self.error(column, f"longer than {max_length} characters")
        return value

    def identifier(self, column: str, *, required: bool = True) -> str:
        return self.text(column, required=required, max_length=ID_MAX_LENGTH)

    def code(self, column: str, choices: Sequence[str], *, required: bool = False) -> str:
        value = self.raw(column)
        if not value:
            self._required(column, required)
            return ""
        if value not in choices:
            self.error(column, f"{value!r} is not one of {', '.join(choices)}")
            return ""
        return value

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.raw(column)
        if not value:
            self._required(column, required)
            return None
        day = _iso_date(value)
        if day is None:
            self.error(column, f"{value!r} is not a date as YYYY-MM-DD")
        return day

    def decimal(self, column: str, *, required: bool, maximum: Decimal, places: int, range_text: str) -> Decimal | None:
        value = self.raw(column)
        if not value:
            self._required(column, required)
            return None
        if not _DECIMAL.fullmatch(value):
            self.error(column, f"{value!r} is not a number (use a dot for decimals, no thousands separator)")
            return None
        number = Decimal(value)
        if not Decimal(0) <= number <= maximum:
            self.error(column, f"{value!r} is not {range_text}")
            return None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            self.error(column, f"{value!r} has more than {places} decimals")
            return None
        return number

    def integer(self, column: str, *, required: bool, minimum: int, maximum: int) -> int | None:
        value = self.raw(column)
        if not value:
            self._required(column, required)
            return None
        if not _INTEGER.fullmatch(value):
            self.error(column, f"{value!r} is not a whole number")
            return None
        number = int(value)
        if not minimum <= number <= maximum:
            self.error(column, f"{value!r} is not between {minimum} and {maximum}")
            return None
        return number

    def boolean(self, column: str) -> bool | None:
        value = self.raw(column)
        if not value:
            return None
        if value not in ("true", "false"):
            self.error(column, f"{value!r} is not one of true, false")
            return None
        return value == "true"


@functools.lru_cache(maxsize=8192)
def _iso_date(value: str) -> date | None:
    """The date of YYYY-MM-DD, or None. Cached: a dataset names the same days on many rows, which
    then share one date object."""
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return None


@dataclass(frozen=True, slots=True)
class _Reference:
    """An id in a cell that must name a row of the dataset or a record imported earlier."""

    file: str
    line: int
    column: str
    value: str
