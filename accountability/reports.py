"""The accountability report kinds (SPEC.md 4b, 5): result indicators, VCV, time to first
contact, working elements and the monitor, stored like the others.

Registered in ``AccountabilityConfig.ready()`` with ``core.report_kinds``. A report covers a team
or an approach (or both: ``reports.services.report_scope_key`` names one of them) over
``[period_start, period_end)``; ``compute`` returns the JSON of section 4b (the command's and the
API's document) for that scope. Asked for on the reports page, or yearly per team by the
schedule "Verantwoordingsrapporten per team" (reports/schedules.py, task
``accountability.reports_yearly``).
"""

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accountability import calculations as calc
from accountability import monitor, presentation, selectors
from core.exceptions import ApplicationError
from core.formats import period_text
from core.models import Team
from core.report_kinds import STEP_CALCULATE, STEP_INPUTS, Computed, Progress, ReportRequest, StoredReport
from core.spreadsheets import Sheet

Document = Callable[[selectors.Scope, StoredReport], dict[str, Any]]


def _measured_at(report: StoredReport) -> datetime.date:
    # ``check`` asks every measured kind for a measurement date; older rows fall back to today.
    return report.measured_at or timezone.localdate()


def _result_indicators(scope: selectors.Scope, report: StoredReport) -> dict[str, Any]:
    return selectors.result_indicators_document(
        scope, date_from=report.period_start, date_to=report.period_end, measured_at=_measured_at(report)
    )


def _vcv(scope: selectors.Scope, report: StoredReport) -> dict[str, Any]:
    return selectors.vcv_document(
        scope, date_from=report.period_start, date_to=report.period_end, options=selectors.VcvOptions()
    )


def _first_contact(scope: selectors.Scope, report: StoredReport) -> dict[str, Any]:
    return selectors.first_contact_document(
        scope, date_from=report.period_start, date_to=report.period_end, measured_at=_measured_at(report)
    )


def _working_elements(scope: selectors.Scope, report: StoredReport) -> dict[str, Any]:
    return selectors.working_elements_document(
        scope, date_from=report.period_start, date_to=report.period_end, measured_at=_measured_at(report)
    )


def _monitor(scope: selectors.Scope, report: StoredReport) -> dict[str, Any]:
    return monitor.monitor_document(
        scope,
        date_from=report.period_start,
        date_to=report.period_end,
        measured_at=_measured_at(report),
        approach=report.approach,
        team=report.team,
    )


def vcv_sheet(document: Mapping[str, Any]) -> Sheet:
    """The einddeclaratie (SPEC.md 4b) of a VCV JSON document as a worksheet: the CSV's columns
    and rows, numbers as numbers with their decimals."""
    period = period_text(datetime.date.fromisoformat(document["from"]), datetime.date.fromisoformat(document["to"]))
    return Sheet(
        title="Einddeclaratie VCV",
        preamble=["Vereenvoudigde kostenverantwoording (VCV)", f"Periode: {period}"],
        headings=calc.VCV_CSV_COLUMNS,
        rows=calc.vcv_table(document),
        places=calc.VCV_COLUMN_PLACES,
    )


class AccountabilityReportKind:
    """One accountability figure as a stored report of a team's or an approach's period."""

    uses_parameter_set: bool = False
    organisation_wide_for_team_leads: bool = False  # a team lead sees the reports of the teams they lead
    analysts_told_when_scheduled: bool = True
    csv_list_item_keys: tuple[str, ...] = ("worker_id", "team", "element")

    def __init__(
        self,
        value: str,
        document: Document,
        context_name: str,
        *,
        approach_allowed: bool = True,
        measured: bool = True,
    ) -> None:
        self.value = value
        self.measured = measured  # has a measurement date (all but the VCV)
        self.content_template = f"accountability/partials/{value}.html"
        self._document = document
        self._context_name = context_name
        self._approach_allowed = approach_allowed

    def __repr__(self) -> str:
        return f"AccountabilityReportKind({self.value!r})"

    def parameter_set_default(self, *, approach: Any) -> None:
        return None

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
    ) -> None:
        if parameter_set is not None:
            raise ValueError(f"a {self.value} report uses no parameter set")
        if approach is None and team is None:
            raise ApplicationError("Kies een team of een aanpak.", fields={"team": ["Kies een team of een aanpak."]})
        if approach is not None and not self._approach_allowed:
            raise ApplicationError("Dit rapport is per team.", fields={"approach": ["Niet bij dit rapport."]})
        if approach is not None and approach.organisation_id != organisation.pk:
            raise ApplicationError(
                "Deze aanpak hoort bij een andere organisatie.", fields={"approach": ["Niet beschikbaar."]}
            )
        if period_start >= period_end:
            raise ApplicationError("De periode is leeg: 'van' moet vóór 'tot' liggen.", fields={"to": ["Na 'van'."]})
        # A stored report is reproducible: its measurement date is part of its key.
        if self.measured and measured_at is None:
            raise ApplicationError("Kies een meetdatum.", fields={"measured_at": ["Verplicht."]})
        if not self.measured and measured_at is not None:
            raise ValueError(f"a {self.value} report has no measurement date")

    def compute(self, report: StoredReport, *, progress: Progress) -> Computed:
        progress(*STEP_INPUTS)
        scope = selectors.scope_of_report(
            organisation_id=report.organisation_id, team_id=report.team_id, approach_id=report.approach_id
        )
        progress(*STEP_CALCULATE)
        result = self._document(scope, report)
        # The result is an aggregate of the inputs; it is its own canonical fingerprint input.
        return Computed(result=result, inputs={"result": result})

    def context(self, report: StoredReport, result: Mapping[str, Any]) -> dict[str, Any]:
        document = dict(result)
        organisation = getattr(report, "organisation", None)
        targets = selectors.result_targets(organisation)
        shown: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "ri": lambda doc: presentation.result_indicators_presentation(doc, targets=targets),
            "vcv": presentation.vcv_presentation,
            "fc": presentation.first_contact_presentation,
            "we": presentation.working_elements_presentation,
            "mon": lambda doc: monitor.monitor_presentation(doc, targets=targets),
        }
        return {self._context_name: shown[self._context_name](document)}

    def sheets(self, result: Mapping[str, Any]) -> list[Sheet]:
        """A VCV report's spreadsheet starts with the einddeclaratie, as the VCV page's download."""
        if self is not VCV:
            return []
        return [vcv_sheet(result)]

    def previous_period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The last whole calendar year before ``today``."""
        end = datetime.date(today.year, 1, 1)
        return end - relativedelta(years=1), end

    def scheduled_requests(self, *, today: datetime.date, **options: Any) -> list[ReportRequest]:
        """One report per team that has workers, over the previous calendar year, measured on its
        last day (so the key does not depend on when the job runs)."""
        start, end = self.previous_period(today)
        measured_at = end - datetime.timedelta(days=1) if self.measured else None
        teams = Team.objects.filter(workers__isnull=False).distinct().select_related("organisation").order_by("pk")
        return [
            ReportRequest(
                organisation=team.organisation, team=team, period_start=start, period_end=end, measured_at=measured_at
            )
            for team in teams
        ]


RESULT_INDICATORS = AccountabilityReportKind("result_indicators", _result_indicators, "ri")
VCV = AccountabilityReportKind("vcv", _vcv, "vcv", approach_allowed=False, measured=False)
FIRST_CONTACT = AccountabilityReportKind("first_contact", _first_contact, "fc")
WORKING_ELEMENTS = AccountabilityReportKind("working_elements", _working_elements, "we")
MONITOR = AccountabilityReportKind("monitor", _monitor, "mon")
KINDS: tuple[AccountabilityReportKind, ...] = (RESULT_INDICATORS, VCV, FIRST_CONTACT, WORKING_ELEMENTS, MONITOR)
