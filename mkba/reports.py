"""The MKBA's stored-report kinds (SPEC §5): per quarter, per year and on demand.

Registered in ``MkbaConfig.ready()`` with ``core.report_kinds``; the reports pipeline asks them for
what depends on the kind (the check, the computation, the page's context, the schedule) and never
names them. The computation is the on-demand MKBA's (``selectors.mkba_report_generate``) in its two
halves, so the job can show progress in between and fingerprint the cohort's inputs; both halves
are called through the module (tests replace them there).
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from cases.models import Approach
from core.exceptions import ApplicationError
from core.models import Team
from core.report_kinds import STEP_CALCULATE, STEP_INPUTS, Computed, Progress, ReportRequest, StoredReport
from mkba import calculations, selectors
from mkba.models import ParameterSet
from mkba.presentation import result_presentation

QUARTER = "quarter"
YEAR = "year"


class MkbaReportKind:
    """An MKBA report of an approach's cohort (optionally narrowed to a team) on the approach's
    parameter set; ``cadence`` is the schedule's period (``quarter``, ``year``) or None (on demand)."""

    content_template: str = "mkba/partials/result.html"
    uses_parameter_set: bool = True
    organisation_wide_for_team_leads: bool = True  # as on the Rendement page: whole approaches
    analysts_told_when_scheduled: bool = True  # the analysts use the periodic MKBA reports (SPEC §1)
    csv_list_item_keys: tuple[str, ...] = ("worker_id", "team", "number")

    def __init__(self, value: str, cadence: str | None) -> None:
        self.value = value
        self.cadence = cadence

    def __repr__(self) -> str:
        return f"MkbaReportKind({self.value!r}, {self.cadence!r})"

    def sheets(self, result: Mapping[str, Any]) -> tuple[()]:
        return ()

    def parameter_set_default(self, *, approach: Approach) -> ParameterSet:
        return selectors.parameter_set_for_approach(approach)

    def check(
        self,
        *,
        organisation: Any,
        approach: Approach | None,
        team: Team | None,
        period_start: datetime.date,
        period_end: datetime.date,
        measured_at: datetime.date | None,
        parameter_set: ParameterSet | None,
    ) -> None:
        if approach is None or measured_at is None or parameter_set is None:
            raise ValueError("an MKBA report needs an approach, a measurement date and a parameter set")
        if approach.organisation_id != organisation.pk:
            raise ApplicationError(
                "Deze aanpak hoort bij een andere organisatie.", fields={"approach": ["Niet beschikbaar."]}
            )
        selectors.parameter_set_check_usable(parameter_set, organisation.pk)
        selectors.check_cohort(
            approach=approach, date_from=period_start, date_to=period_end, measured_at=measured_at, team=team
        )

    def compute(self, report: StoredReport, *, progress: Progress) -> Computed:
        approach, parameter_set, measured_at = report.approach, report.parameter_set, report.measured_at
        if approach is None or parameter_set is None or measured_at is None:
            raise ValueError(f"MKBA report {report.pk} lacks its approach, parameter set or measurement date")
        progress(*STEP_INPUTS)
        parameters = calculations.parameter_set_from_dict(
            parameter_set.data, name=parameter_set.name, version=parameter_set.version
        )
        start, end = report.period_start, report.period_end
        inputs = selectors.mkba_report_inputs(
            approach=approach,
            date_from=start,
            date_to=end,
            measured_at=measured_at,
            parameters=parameters,
            team=report.team,
        )
        progress(*STEP_CALCULATE)
        result = selectors.mkba_report_from_inputs(
            approach=approach,
            date_from=start,
            date_to=end,
            measured_at=measured_at,
            parameters=parameters,
            inputs=inputs,
        )
        return Computed(result=result, inputs={"approach": approach.name, "cohort": cohort_inputs_document(inputs)})

    def context(self, report: StoredReport, result: Mapping[str, Any]) -> dict[str, Any]:
        """The Rendement page's layout of the result, on the report's parameter set."""
        parameter_set = report.parameter_set
        return {
            "result": result_presentation(
                dict(result),
                parameters=parameter_set.data if parameter_set is not None else None,
                title=report.approach.name if report.approach is not None else None,
            ),
            "parameter_set": parameter_set,
        }

    def previous_period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The last whole quarter or year before ``today``: ``[start, end)``."""
        if self.cadence == QUARTER:
            end = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
            return end - relativedelta(months=3), end
        if self.cadence == YEAR:
            end = datetime.date(today.year, 1, 1)
            return end.replace(year=today.year - 1), end
        raise ValueError(f"{self.value} has no schedule")

    def scheduled_requests(
        self, *, today: datetime.date, per_team: bool = False, **options: Any
    ) -> list[ReportRequest]:
        """The quarterly or yearly MKBA reports (SPEC §5): for every approach of every organisation
        whose cohort (trajectories started in the previous quarter or year) is not empty, one report
        on the approach's parameter set, measured on the last day of the period (so the key does not
        depend on when the job runs); with ``per_team`` also one per team with trajectories in the
        cohort."""
        if self.cadence is None:
            raise ValueError(f"{self.value} is not a scheduled MKBA report")
        start, end = self.previous_period(today)
        measured_at = end - datetime.timedelta(days=1)
        cohort_teams = selectors.cohort_teams_by_approach(date_from=start, date_to=end)
        approaches = (
            Approach.objects.filter(pk__in=list(cohort_teams))
            .select_related("organisation", "parameter_set")
            .order_by("organisation_id", "pk")
        )
        teams_by_id = (
            Team.objects.in_bulk(sorted(set().union(*cohort_teams.values()))) if per_team and cohort_teams else {}
        )
        requests = []
        for approach in approaches:
            teams: list[Team | None] = [None]
            if per_team:
                teams += [teams_by_id[team_id] for team_id in sorted(cohort_teams[approach.pk])]
            requests += [
                ReportRequest(
                    organisation=approach.organisation,
                    approach=approach,
                    team=team,
                    period_start=start,
                    period_end=end,
                    measured_at=measured_at,
                )
                for team in teams
            ]
        return requests


def _decimal_text(value: Decimal | int | float) -> str:
    return format(Decimal(value).normalize(), "f")


def cohort_inputs_document(inputs: selectors.CohortInputs) -> dict[str, Any]:
    """A cohort's inputs as canonical JSON data, for the report's fingerprint."""
    return {
        "participants": inputs.participants,
        "approach_participants": inputs.approach_participants,
        "client_hours": _decimal_text(inputs.client_hours),
        "fte_years": _decimal_text(inputs.fte_years),
        "cost_items": [[line, _decimal_text(amount)] for line, amount in inputs.cost_items],
        "outcome_records": [[pk, outcome, day.isoformat()] for pk, outcome, day in inputs.outcome_records],
        # Only with ``durability: answered`` (empty otherwise, so earlier fingerprints stand).
        **(
            {
                "trajectory_starts": [[pk, day.isoformat()] for pk, day in inputs.trajectory_starts],
                "check_records": [
                    [pk, outcome, day.isoformat(), answer] for pk, outcome, day, answer in inputs.check_records
                ],
            }
            if inputs.trajectory_starts or inputs.check_records
            else {}
        ),
    }


QUARTERLY = MkbaReportKind("mkba_quarterly", QUARTER)
YEARLY = MkbaReportKind("mkba_yearly", YEAR)
ON_DEMAND = MkbaReportKind("mkba_on_demand", None)
KINDS: tuple[MkbaReportKind, ...] = (QUARTERLY, YEARLY, ON_DEMAND)  # in Report.Kind's order
