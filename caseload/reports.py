"""The caseload's stored-report kind (SPEC §5): a team's month.

Registered in ``CaseloadConfig.ready()`` with ``core.report_kinds``; the reports pipeline asks it
for what depends on the kind and never names it. The computation is the team dashboard's period
run (``selectors.caseload_for_scope``) in its two halves, so the inputs can be fingerprinted.
"""

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from dateutil.relativedelta import relativedelta

from caseload import calculations, presentation, selectors
from core.exceptions import ApplicationError
from core.models import Team
from core.report_kinds import STEP_CALCULATE, STEP_INPUTS, Computed, Progress, ReportRequest, StoredReport


class CaseloadMonthly:
    """A team's caseload over a calendar month (SPEC §3, period mode)."""

    value: str = "caseload_monthly"
    content_template: str = "caseload/partials/report_result.html"
    uses_parameter_set: bool = False
    organisation_wide_for_team_leads: bool = False  # a team lead sees the reports of the teams they lead
    analysts_told_when_scheduled: bool = False
    csv_list_item_keys: tuple[str, ...] = ("worker_id", "team", "number")

    def __repr__(self) -> str:
        return "CaseloadMonthly()"

    def sheets(self, result: Mapping[str, Any]) -> tuple[()]:
        return ()

    def parameter_set_default(self, *, approach: Any) -> None:
        return None

    def check(
        self,
        *,
        organisation: Any,
        approach: Any,
        team: Team | None,
        period_start: datetime.date,
        period_end: datetime.date,
        measured_at: datetime.date | None,
        parameter_set: Any,
    ) -> None:
        if team is None or approach is not None or parameter_set is not None or measured_at is not None:
            raise ValueError("a caseload report covers one team, without approach, parameters or measurement date")
        if period_start >= period_end:
            raise ApplicationError("De periode is leeg: 'van' moet vóór 'tot' liggen.", fields={"to": ["Na 'van'."]})

    def compute(self, report: StoredReport, *, progress: Progress) -> Computed:
        """A team's caseload over the report's period (SPEC §3, period mode): the same run as
        ``selectors.caseload_for_scope(scope=..., date_from=..., date_to=...)``, in its two halves so
        the inputs can be fingerprinted (tests/reports/test_reports.py holds them equal)."""
        if report.team_id is None:
            raise ValueError(f"caseload report {report.pk} has no team")
        progress(*STEP_INPUTS)
        scope = selectors.CaseloadScope(team_ids=(report.team_id,))
        start, end = report.period_start, report.period_end
        inputs = selectors.caseload_inputs(scope, window_from=start, window_to=end, logged_from=start, logged_to=end)
        progress(*STEP_CALCULATE)
        result = calculations.caseload_json(selectors.caseload_result_for_period(inputs, start, end))
        return Computed(result=result, inputs=caseload_inputs_document(inputs))

    def context(self, report: StoredReport, result: Mapping[str, Any]) -> dict[str, Any]:
        return {"caseload": presentation.report_presentation(dict(result))}

    def previous_period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The last whole calendar month before ``today``: ``[start, end)``."""
        end = today.replace(day=1)
        return end - relativedelta(months=1), end

    def scheduled_requests(self, *, today: datetime.date, **options: Any) -> list[ReportRequest]:
        """The monthly caseload reports (SPEC §5): one per team that has workers, over the previous
        calendar month."""
        start, end = self.previous_period(today)
        teams = Team.objects.filter(workers__isnull=False).distinct().select_related("organisation").order_by("pk")
        return [
            ReportRequest(organisation=team.organisation, team=team, period_start=start, period_end=end)
            for team in teams
        ]


def caseload_inputs_document(inputs: selectors.CaseloadInputs) -> dict[str, Any]:
    """What a caseload report was computed from, as canonical JSON data (for its fingerprint)."""

    def frame_text(frame: Any) -> str:
        return "" if frame is None else str(frame.to_csv(index=False, date_format="%Y-%m-%d"))

    return {
        "workers": frame_text(inputs.workers),
        "organisations": [
            {
                "settings": _canonical(organisation.settings),
                "workers": frame_text(organisation.workers),
                "periods": frame_text(organisation.periods),
                "fte_periods": frame_text(organisation.fte_periods),
                "logged_minutes": frame_text(organisation.logged_minutes),
            }
            for organisation in inputs.organisations
        ],
    }


def _canonical(value: Any) -> Any:
    """A settings object as plain JSON data (dataclasses and mappings as objects, sorted when dumped)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _canonical(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [_canonical(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, frozenset | set) else items
    return value


MONTHLY = CaseloadMonthly()
