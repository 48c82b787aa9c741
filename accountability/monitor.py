"""The monitor (SPEC.md 4b, "Monitoring"): input, throughput, output and effect of an approach
(and team) over a period, as the source study recommends; a page a policy officer can take to a
council meeting, and a stored report kind.

A read (selector) and its layout (presentation) side by side, reusing the rules of
``accountability.calculations`` and the MKBA of ``mkba.selectors``; a fixed number of queries.

Choices where SPEC.md is silent:
- The monitor's trajectories are the scope's trajectories of the responsible worker's team (the
  result indicators inside use section 4b's team rule).
- Input: costs per line are the cost items dated in the period (of the scope's trajectories, and
  with no team chosen also those on the approach); fte-years are the fte of the scope's teams'
  workers summed over the days of the period / 365 (not split over approaches); meldingen are the
  youths reported in the period; trajectories started in the period.
- Throughput: the target-group mix of the trajectories started; the median days (nearest rank)
  of the periods ended in the period, per phase; handovers dated and time-outs begun in the period.
- Output and effect: outcomes dated in the period by type; the result indicators of the
  trajectories ended in the period; the 6- and 12-month checks due in the period and answered:
  ``still_there`` / answered; the MKBA of the cohort started in the period (only with an approach).
"""

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any, Final

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accountability import calculations as calc
from accountability import presentation, selectors
from cases.models import (
    Approach,
    CostItem,
    CostLine,
    FollowUp,
    Handover,
    Outcome,
    OutcomeType,
    Period,
    Phase,
    Trajectory,
    Youth,
)
from core.exceptions import ApplicationError
from core.formats import euro_text, number_text, percent_text
from core.models import FtePeriod, Team
from mkba import selectors as mkba_selectors
from mkba.calculations import rounded

CHECK_MONTHS: Final = (6, 12)


def _trajectories(scope: selectors.Scope) -> QuerySet[Trajectory]:
    trajectories = Trajectory.objects.all()
    if scope.organisation_ids is not None:
        trajectories = trajectories.filter(organisation_id__in=scope.organisation_ids)
    if scope.approach_ids is not None:
        trajectories = trajectories.filter(approach_id__in=scope.approach_ids)
    if scope.team_ids is not None:
        trajectories = trajectories.filter(worker__team_id__in=scope.team_ids)
    return trajectories


def _inputs(scope: selectors.Scope, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    ids = _trajectories(scope).values("pk")
    in_period = Q(date__gte=date_from, date__lt=date_to)
    cost_scope = Q(trajectory__in=ids)
    if scope.team_ids is None:
        approaches = Approach.objects.all()
        if scope.organisation_ids is not None:
            approaches = approaches.filter(organisation_id__in=scope.organisation_ids)
        if scope.approach_ids is not None:
            approaches = approaches.filter(pk__in=scope.approach_ids)
        cost_scope |= Q(trajectory__isnull=True, approach__in=approaches.values("pk"))
    costs = dict(
        CostItem.objects.filter(in_period & cost_scope)
        .values_list("line")
        .annotate(total=Sum("amount"))
        .order_by("line")
    )
    workers = selectors._workers(scope)
    fte: dict[int, list[calc.FtePeriod]] = defaultdict(list)
    for worker_id, start, value in FtePeriod.objects.filter(
        worker__in=workers.values("pk"), start_date__lt=date_to
    ).values_list("worker_id", "start_date", "fte"):
        fte[worker_id].append(calc.FtePeriod(start, value))
    fte_days = sum((calc.fte_days(periods, date_from, date_to) for periods in fte.values()), Decimal(0))
    youths = Youth.objects.filter(reported_on__gte=date_from, reported_on__lt=date_to)
    if scope.organisation_ids is not None:
        youths = youths.filter(organisation_id__in=scope.organisation_ids)
    if scope.approach_ids is not None or scope.team_ids is not None:
        youths = youths.filter(trajectories__in=ids).distinct()
    return {
        "costs": {line: rounded(costs.get(line, Decimal(0)), "0.01") for line in CostLine.values},
        "fte_years": rounded(fte_days / calc.DAYS_PER_YEAR, "0.001"),
        "meldingen": youths.count(),
        "trajectories_started": _trajectories(scope).filter(start_date__gte=date_from, start_date__lt=date_to).count(),
    }


def _throughput(scope: selectors.Scope, date_from: dt.date, date_to: dt.date, measured_at: dt.date) -> dict[str, Any]:
    trajectories = _trajectories(scope)
    ids = trajectories.values("pk")
    mix = Counter(
        dict(
            trajectories.filter(start_date__gte=date_from, start_date__lt=date_to)
            .values_list("youth__target_group__name")
            .annotate(count=Count("pk"))
            .order_by()
        )
    )
    days: dict[str, list[int]] = defaultdict(list)
    for phase, start, end in Period.objects.filter(
        trajectory__in=ids, end_date__gte=date_from, end_date__lt=date_to
    ).values_list("phase", "start_date", "end_date"):
        if end is not None:  # filtered on end_date, so never None
            days[phase].append((end - start).days)
    first_contact = calc.first_contact(
        selectors.reported_youths(scope, date_from=date_from, date_to=date_to),
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
    )
    return {
        "target_groups": {
            (name or calc.UNKNOWN_KEY): count for name, count in sorted(mix.items(), key=lambda item: str(item[0]))
        },
        "median_days_per_phase": {phase: calc.nearest_rank(days[phase], 50) for phase in Phase.values},
        "handovers": Handover.objects.filter(trajectory__in=ids, date__gte=date_from, date__lt=date_to).count(),
        "time_outs": Period.objects.filter(
            trajectory__in=ids, phase=Phase.TIME_OUT, start_date__gte=date_from, start_date__lt=date_to
        ).count(),
        "first_contact": calc.contact_figures_json(first_contact.total),
    }


def _output(
    scope: selectors.Scope,
    date_from: dt.date,
    date_to: dt.date,
    measured_at: dt.date,
    approach: Approach | None,
    team: Team | None,
) -> dict[str, Any]:
    ids = _trajectories(scope).values("pk")
    counts = dict(
        Outcome.objects.filter(trajectory__in=ids, date__gte=date_from, date__lt=date_to)
        .values_list("outcome")
        .annotate(count=Count("pk"))
        .order_by()
    )
    answers: dict[int, Counter[str]] = {months: Counter() for months in CHECK_MONTHS}
    for months, answer, count in (
        FollowUp.objects.filter(
            outcome__trajectory__in=ids, months_after__in=CHECK_MONTHS, due_date__gte=date_from, due_date__lt=date_to
        )
        .exclude(answer="")
        .values_list("months_after", "answer")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        answers[months][answer] += count
    still_there = {}
    for months in CHECK_MONTHS:
        answered = sum(answers[months].values())
        kept = answers[months]["still_there"]
        still_there[str(months)] = {
            "answered": answered,
            "still_there": kept,
            "share": rounded(Decimal(kept) / answered, calc.SHARE) if answered else None,
        }
    indicators = selectors.result_indicators_document(
        scope, date_from=date_from, date_to=date_to, measured_at=measured_at
    )["indicators"]
    mkba = None
    if approach is not None:
        try:
            report = mkba_selectors.mkba_report_generate(
                approach=approach, date_from=date_from, date_to=date_to, measured_at=measured_at, team=team
            )
        except ApplicationError:
            report = None
        if report is not None:
            mkba = {
                "participants": report["participants"],
                "social_ratio": report["social_ratio"],
                "effects": {outcome: effect["net"] for outcome, effect in report["effects"].items()},
            }
    return {
        "outcomes": {outcome: counts.get(outcome, 0) for outcome in OutcomeType.values if counts.get(outcome)},
        "indicators": indicators,
        "still_there": still_there,
        "mkba": mkba,
    }


def monitor_document(
    scope: selectors.Scope,
    *,
    date_from: dt.date,
    date_to: dt.date,
    measured_at: dt.date,
    approach: Approach | None = None,
    team: Team | None = None,
) -> dict[str, Any]:
    """The monitor of the scope over ``[from, to)``: ``{from, to, measured_at, approach, team,
    input, throughput, output}`` (see the module docstring)."""
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "measured_at": measured_at.isoformat(),
        "approach": approach.name if approach is not None else None,
        "team": team.name if team is not None else None,
        "input": _inputs(scope, date_from, date_to),
        "throughput": _throughput(scope, date_from, date_to, measured_at),
        "output": _output(scope, date_from, date_to, measured_at, approach, team),
    }


# --- Presentation ------------------------------------------------------------------------------


def bar_chart(items: list[tuple[str, float, str]], *, width: int = 460) -> dict[str, Any]:
    """A horizontal bar chart (server-side SVG, as the caseload report's): (label, value, text)."""
    highest = max((value for _label, value, _text in items), default=0) or 1
    bar_x, bar_width = 190, width - 190 - 70
    return {
        "width": width,
        "height": 24 * len(items) + 6,
        "label_x": bar_x - 6,
        "bar_x": bar_x,
        "bars": [
            {
                "label": label,
                "y": 24 * index + 4,
                "text_y": 24 * index + 18,
                "width": round(value / highest * bar_width),
                "value_x": bar_x + round(value / highest * bar_width) + 6,
                "text": text,
            }
            for index, (label, value, text) in enumerate(items)
        ],
    }


def monitor_presentation(document: dict[str, Any], *, targets: dict[str, Decimal]) -> dict[str, Any]:
    cost_labels, outcome_labels, phase_labels = dict(CostLine.choices), dict(OutcomeType.choices), dict(Phase.choices)
    inputs, throughput, output = document["input"], document["throughput"], document["output"]
    costs = [(str(cost_labels.get(line, line)), euro_text(amount)) for line, amount in inputs["costs"].items()]
    mix_total = sum(throughput["target_groups"].values())
    mix = [
        (presentation._key_label(name), float(count), f"{count} ({percent_text(count / mix_total, 0)})")
        for name, count in throughput["target_groups"].items()
    ]
    outcomes = [
        (str(outcome_labels.get(key, key)), float(count), str(count)) for key, count in output["outcomes"].items()
    ]
    phases = [
        (str(phase_labels.get(phase, phase)), "—" if days is None else str(days))
        for phase, days in throughput["median_days_per_phase"].items()
    ]
    mkba = output["mkba"]
    return {
        "period": presentation.period_label(document["from"], document["to"]),
        "measured_at": presentation._date(document["measured_at"]),
        "approach": document["approach"] or _("alle aanpakken"),
        "team": document["team"] or _("alle teams"),
        "costs": costs,
        "total_costs": euro_text(sum(Decimal(str(amount)) for amount in inputs["costs"].values())),
        "fte_years": number_text(inputs["fte_years"], 3),
        "meldingen": inputs["meldingen"],
        "trajectories_started": inputs["trajectories_started"],
        "mix_chart": bar_chart(mix),
        "phases": phases,
        "handovers": throughput["handovers"],
        "time_outs": throughput["time_outs"],
        "first_contact": presentation._contact_row(_("totaal"), throughput["first_contact"]),
        "outcome_chart": bar_chart(outcomes),
        "indicators": [
            presentation.indicator_row(name, output["indicators"][name], targets) for name in calc.INDICATORS
        ],
        "still_there": [
            {
                "months": months,
                "answered": figures["answered"],
                "still_there": figures["still_there"],
                "share": percent_text(figures["share"], 1),
            }
            for months, figures in output["still_there"].items()
        ],
        "mkba": None
        if mkba is None
        else {
            "participants": mkba["participants"],
            "social_ratio": number_text(mkba["social_ratio"], 2),
            "effects": [
                (str(outcome_labels.get(key, key)), percent_text(net, 1)) for key, net in mkba["effects"].items()
            ],
        },
    }
