"""The registry of report kinds: what the reports pipeline asks, what the apps that own a kind declare.

A kind (the caseload month, the MKBA quarter/year/on demand) is declared in the app that owns its
calculation (caseload/reports.py, mkba/reports.py) and registered in that app's `AppConfig.ready()`,
the way `admin.site.register` works. The pipeline (reports/) only asks this registry; it never
names a kind. Lives in core, the lowest app both the kinds and the pipeline reach: pure Python.

Ask the registry inside functions, never at import time: kinds register in `ready()`.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from core.exceptions import ApplicationError
from core.spreadsheets import Sheet

# Progress of a report job: (percent, step text). The kinds report these two steps of their
# computation; the pipeline keeps the others (started, document, store) in reports/services.py.
Progress = Callable[[int, str], None]
STEP_INPUTS: Final = (15, "Gegevens ophalen")
STEP_CALCULATE: Final = (45, "Berekenen")


class StoredReport(Protocol):
    """What a kind reads of a stored report (reports.models.Report), without importing it."""

    pk: int
    kind: str
    organisation_id: int
    approach_id: int | None
    team_id: int | None
    approach: Any
    team: Any
    parameter_set: Any
    scope_key: str
    period_start: datetime.date
    period_end: datetime.date
    measured_at: datetime.date | None


@dataclass(frozen=True)
class ReportRequest:
    """One report a schedule asks for: the keyword arguments of reports.services.report_request."""

    organisation: Any
    period_start: datetime.date
    period_end: datetime.date
    approach: Any = None
    team: Any = None
    measured_at: datetime.date | None = None


@dataclass(frozen=True)
class Computed:
    """What a kind computed: the stored result and the inputs it read (hashed into the fingerprint)."""

    result: dict[str, Any]  # the stored JSON, in its key order
    inputs: dict[str, Any]  # what was read, as canonical JSON data


class ReportKind(Protocol):
    """A kind of stored report; the pipeline calls these and nothing else that depends on the kind."""

    value: str  # Report.kind, e.g. "mkba_quarterly"
    content_template: str  # the template that shows the result on the page and in the PDF
    uses_parameter_set: bool  # report_request fills the approach's set; the scope key names the version
    organisation_wide_for_team_leads: bool  # a team lead sees this kind's reports without a team
    analysts_told_when_scheduled: bool  # analysts are notified of this kind's scheduled reports
    csv_list_item_keys: tuple[str, ...]  # keys that name an item of a list in the CSV

    def parameter_set_default(self, *, approach: Any) -> Any: ...

    def check(
        self,
        *,
        organisation: Any,
        approach: Any,
        team: Any,
        period_start: datetime.date,
        period_end: datetime.date,
        measured_at: datetime.date | None,
        parameter_set: Any,
    ) -> None: ...

    def compute(self, report: StoredReport, *, progress: Progress) -> Computed: ...

    def context(self, report: StoredReport, result: Mapping[str, Any]) -> dict[str, Any]: ...

    def sheets(self, result: Mapping[str, Any]) -> Sequence[Sheet]:
        """The kind's own worksheets in the report's spreadsheet, before the sheet of every figure
        (e.g. the VCV einddeclaratie); none for most kinds."""
        ...

    def previous_period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]: ...

    def scheduled_requests(self, *, today: datetime.date, **options: Any) -> Iterable[ReportRequest]: ...


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> None:
    """Add a kind (from an AppConfig.ready()); a value registered twice is a programming error."""
    if kind.value in _KINDS:
        raise ValueError(f"Report kind {kind.value!r} is already registered.")
    _KINDS[kind.value] = kind


def kind_get(value: str) -> ReportKind:
    """The kind with this value; an unknown value is the user's error."""
    try:
        return _KINDS[value]
    except KeyError:
        raise ApplicationError(f"Onbekende soort rapport: {value}.", fields={"kind": ["Onbekend."]}) from None


def kinds() -> tuple[ReportKind, ...]:
    """Every registered kind, in registration order (= INSTALLED_APPS order)."""
    return tuple(_KINDS.values())


def values_where(**flags: bool) -> list[str]:
    """The values of the kinds whose flags have the given values, e.g. organisation_wide_for_team_leads=True."""
    return [
        kind.value for kind in _KINDS.values() if all(getattr(kind, name) == wanted for name, wanted in flags.items())
    ]
