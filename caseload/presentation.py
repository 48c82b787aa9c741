"""Caseload figures in words and pictures, one implementation for the team dashboard and the
stored monthly caseload report (its page and PDF).

The rules are shared (the load level of a bar, how logged hours stack into segments); the two
layouts stay what they were, as parameters: the dashboard draws each bar relative to the worker's
own capacity (0-150 %, widths 0-100 in floats, SVG scaled by CSS), the report draws absolute
hours on the team's highest figure (whole pixels, printed). Numbers through ``core.formats``.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseload import calculations as calc
from caseload.forms import ROLE_LABELS
from cases.models import Phase
from core import disclosure
from core.formats import number_text, percent_text
from core.models import Worker

if TYPE_CHECKING:
    from caseload.selectors import MonthLoad, TeamForecast

PHASE_LABELS = dict(Phase.choices)


def percent(ratio: float | None) -> str:
    # The dashboard's whole percentage ("118%", "-" for null), as its template filter shows it.
    return percent_text(ratio, 0, localised=False, empty="-")


def flag_texts(at_day: dict[str, Any], over_period: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The flags with their reason in words: ``(flag, text)``.

    Load flags (overload, underload, long in role) at the reference day; the overhead flag over
    the period of the logged hours.
    """
    texts = []
    if "overload" in at_day["flags"]:
        texts.append(("overload", _("overbelast: %(p)s van de capaciteit") % {"p": percent(at_day["utilisation"])}))
    if "underload" in at_day["flags"]:
        texts.append(("underload", _("onderbelast: %(p)s van de capaciteit") % {"p": percent(at_day["utilisation"])}))
    if over_period is not None and "overhead" in over_period["flags"]:
        share = percent(over_period["overhead_share"])
        texts.append(("overhead", _("te veel overhead: %(p)s van de geregistreerde uren") % {"p": share}))
    if "long_in_role" in at_day["flags"]:
        count = at_day["long_in_role_youths"]
        text = ngettext(
            "%(n)d jongere te lang in coaching/uitvoering", "%(n)d jongeren te lang in coaching/uitvoering", count
        ) % {"n": count}
        texts.append(("long_in_role", text))
    return texts


# --- The rules both layouts share ------------------------------------------------------------


def load_level(figures: dict[str, Any]) -> str:
    """The colour of an expected-hours bar: "none" (no capacity), "over", "under" or "ok" (SPEC §3 flags)."""
    if figures["utilisation"] is None:
        return "none"
    if "overload" in figures["flags"]:
        return "over"
    if "underload" in figures["flags"]:
        return "under"
    return "ok"


def logged_segments(
    logged_hours: dict[str, Any], *, scale: float, width: float, start: float = 0.0, whole: bool = False
) -> list[dict[str, Any]]:
    """Logged hours stacked in the order client direct, client indirect, overhead: each segment
    ``hours / scale * width`` long (0 when the scale is 0), from ``start``; ``whole`` rounds each
    segment to whole pixels (the printed report)."""
    segments, x = [], start
    for category in calc.CATEGORIES:
        length: float = float(logged_hours.get(category) or 0) / scale * width if scale else 0.0
        if whole:
            length = round(length)
        segments.append({"category": category, "x": x, "width": length})
        x += length
    return segments


# --- The team dashboard (relative to each worker's own capacity) -------------------------------


BAR_TOP_UTILISATION = 1.5  # the bar runs from 0 to 150% of capacity; the mark shows 100%


def load_bar(figures: dict[str, Any]) -> dict[str, Any]:
    """Widths (0-100 of the bar) of capacity and expected hours, the bar ending at 150% of capacity.

    Each worker's own capacity is the mark at two thirds of the bar, so utilisation reads the same
    for a part-timer and a full-timer; the numbers beside the bar give the hours.
    """
    used = figures["utilisation"]
    capacity_width = 100 / BAR_TOP_UTILISATION
    return {
        "capacity": capacity_width if used is not None else 0.0,
        "expected": min(used, BAR_TOP_UTILISATION) * capacity_width if used is not None else 0.0,
        "level": load_level(figures),
    }


def logged_bar(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Segments of the logged-hours bar: direct, indirect, overhead as shares (0-100) of all logged hours."""
    logged = figures["logged_hours"] or {}
    total = sum(value or 0.0 for value in logged.values())
    return logged_segments(logged, scale=total, width=100)


@dataclass(frozen=True)
class ChartBar:
    x: float
    width: float
    y: float
    height: float
    capacity_y: float
    label: str
    month: dt.date
    expected: float
    capacity: float
    projected: bool


CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_BOTTOM, CHART_TOP = 760, 240, 56, 28, 12


def month_chart(months: "list[MonthLoad]") -> dict[str, Any]:
    """Geometry of the inline SVG: a bar per month for expected hours, a line for capacity."""
    top = max([*(m.expected_hours for m in months), *(m.capacity_hours for m in months), 1.0]) * 1.1
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    step = (CHART_WIDTH - CHART_LEFT - 8) / max(len(months), 1)

    def y(value: float) -> float:
        return CHART_TOP + plot_height * (1 - value / top)

    bars = [
        ChartBar(
            x=CHART_LEFT + index * step + step * 0.15,
            width=step * 0.7,
            y=y(m.expected_hours),
            height=CHART_TOP + plot_height - y(m.expected_hours),
            capacity_y=y(m.capacity_hours),
            label=m.month.strftime("%m-%y"),
            month=m.month,
            expected=m.expected_hours,
            capacity=m.capacity_hours,
            projected=m.projected,
        )
        for index, m in enumerate(months)
    ]
    capacity_points = " ".join(
        f"{CHART_LEFT + index * step:.1f},{y(m.capacity_hours):.1f} {CHART_LEFT + (index + 1) * step:.1f},{y(m.capacity_hours):.1f}"
        for index, m in enumerate(months)
    )
    ticks = [{"value": top * fraction / 1.1, "y": y(top * fraction / 1.1)} for fraction in (0, 0.55, 1.1)]
    first_projected = next((bar.x - step * 0.15 for bar in bars if bar.projected), None)
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "axis_y": CHART_TOP + plot_height,
        "label_y": CHART_HEIGHT - 8,
        "bars": bars,
        "capacity_points": capacity_points,
        "ticks": ticks,
        "projected_from": first_projected,
    }


# --- The stored monthly report (absolute hours, whole pixels) ----------------------------------


def _report_row(figures: dict[str, Any], name: str) -> dict[str, Any]:
    logged = figures.get("logged_hours") or {}
    return {
        "name": name,
        "figures": figures,
        "fte": number_text(figures["fte"], 3),
        "capacity": number_text(figures["capacity_hours"], 1),
        "expected": number_text(figures["expected_hours"], 1),
        "utilisation": percent_text(figures["utilisation"], 0),
        "youths": [figures["youths_by_role"].get(role, 0) for role in calc.ROLES],
        "logged": [number_text(logged.get(category), 1) for category in calc.CATEGORIES],
        "overhead_share": percent_text(figures["overhead_share"], 0),
        "flags": flag_texts(figures, figures),  # the report has one period for both
    }


def report_presentation(output: dict[str, Any]) -> dict[str, Any]:
    """The section-3 JSON of a team's month as tables and two SVG charts (coordinates as ints,
    as in the MKBA charts): expected hours against capacity, and the logged hours per category."""
    workers = output.get("workers", [])
    names = dict(
        Worker.objects.filter(external_id__in=[w["worker_id"] for w in workers]).values_list("external_id", "name")
    )
    rows = [_report_row(figures, names.get(figures["worker_id"], figures["worker_id"])) for figures in workers]
    teams = [_report_row(figures, figures["team"]) for figures in output.get("teams", [])]
    return {
        "output": output,
        "rows": rows,
        "teams": teams,
        "load_chart": _report_load_chart(rows),
        "logged_chart": _report_logged_chart(rows),
    }


_LABEL_WIDTH, _BAR_AREA, _ROW_HEIGHT, _TOP = 220, 460, 30, 8


def _highest(values: list[float]) -> float:
    return max([*values, 1.0])


def _report_load_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per worker two bars: capacity (grey) and expected hours (coloured by the load level)."""
    highest = _highest(
        [float(row["figures"][key] or 0) for row in rows for key in ("capacity_hours", "expected_hours")]
    )
    bars = []
    for index, row in enumerate(rows):
        figures = row["figures"]
        y = _TOP + index * _ROW_HEIGHT
        level = load_level(figures)
        bars.append(
            {
                "label": row["name"],
                "text_y": y + 14,
                "y": y,
                "capacity_width": round(float(figures["capacity_hours"] or 0) / highest * _BAR_AREA),
                "expected_width": max(round(float(figures["expected_hours"] or 0) / highest * _BAR_AREA), 1),
                "expected_y": y + 5,
                # The printed report has always drawn a worker without capacity in the "ok" colour.
                "level": "ok" if level == "none" else level,
                "value_text": f"{row['expected']} / {row['capacity']}",
            }
        )
    return {
        "width": _LABEL_WIDTH + _BAR_AREA + 130,
        "height": _TOP * 2 + _ROW_HEIGHT * max(len(rows), 1),
        "label_x": _LABEL_WIDTH - 8,
        "bar_x": _LABEL_WIDTH,
        "value_x": _LABEL_WIDTH + _BAR_AREA + 6,
        "bars": bars,
    }


def _report_logged_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per worker one stacked bar of the logged hours: client direct, client indirect, overhead."""
    totals = [sum(float(value or 0) for value in (row["figures"].get("logged_hours") or {}).values()) for row in rows]
    highest = _highest(totals)
    bars = []
    for index, (row, total) in enumerate(zip(rows, totals, strict=True)):
        y = _TOP + index * _ROW_HEIGHT
        segments = logged_segments(
            row["figures"].get("logged_hours") or {}, scale=highest, width=_BAR_AREA, start=_LABEL_WIDTH, whole=True
        )
        end = segments[-1]["x"] + segments[-1]["width"]
        bars.append(
            {
                "label": row["name"],
                "y": y,
                "text_y": y + 14,
                "segments": segments,
                "value_text": number_text(total, 1),
                "value_x": end + 6,
            }
        )
    return {
        "width": _LABEL_WIDTH + _BAR_AREA + 80,
        "height": _TOP * 2 + _ROW_HEIGHT * max(len(rows), 1),
        "label_x": _LABEL_WIDTH - 8,
        "bars": bars,
        "is_empty": not any(totals),
    }


# --- The forecast page (issue 17) -------------------------------------------------------------


def forecast_page(result: "TeamForecast") -> dict[str, Any]:
    """The page's rows and chart geometry from the forecast's document (dates as dates)."""
    document = result.document
    team_row = document["teams"][0] if document["teams"] else None
    weeks = []
    for week in team_row["weeks"] if team_row else []:
        weeks.append(
            week
            | {
                "first": dt.date.fromisoformat(week["from"]),
                "last": dt.date.fromisoformat(week["to"]) - dt.timedelta(days=1),
            }
        )
    top = max([1.0, *(w["high"] or 0 for w in weeks), *(w["capacity_hours"] or 0 for w in weeks)]) * 1.1
    width, height, left, bottom = 720, 220, 48, 24
    step = (width - left - 8) / max(len(weeks), 1)

    def y(value: float | None) -> float:
        return 8 + (height - bottom - 8) * (1 - float(value or 0) / top)

    bars = [
        week
        | {
            "x": left + index * step + step * 0.2,
            "width": step * 0.6,
            "y": y(week["expected_hours"]),
            "height": y(0) - y(week["expected_hours"]),
            "y_low": y(week["low"]),
            "y_high": y(week["high"]),
            "mid": left + index * step + step * 0.5,
            "label_every": index % max(1, len(weeks) // 9) == 0,
        }
        for index, week in enumerate(weeks)
    ]
    capacity_points = " ".join(
        f"{left + index * step:.1f},{y(week['capacity_hours']):.1f} {left + (index + 1) * step:.1f},{y(week['capacity_hours']):.1f}"
        for index, week in enumerate(weeks)
    )
    workers = []
    for row in document["workers"]:
        utilisation = [week["utilisation"] for week in row["weeks"] if week["utilisation"] is not None]
        workers.append(
            {
                "key": row["worker_id"],
                "name": result.worker_names.get(row["worker_id"], row["worker_id"]),
                "first": row["weeks"][0],
                "last": row["weeks"][-1],
                "peak": max(utilisation) if utilisation else None,
            }
        )
    workers.sort(key=lambda row: str(row["name"]).lower())
    stays = [
        stay
        | {
            "phase_label": PHASE_LABELS.get(stay["phase"], stay["phase"]),
            "role_label": ROLE_LABELS.get(stay["role"] or "", "—"),
            "small": disclosure.is_small_group(stay["finished"] + stay["running"]),
        }
        for stay in document["stays"]
        if stay["finished"] or stay["running"]
    ]
    months = [
        {"month": dt.date.fromisoformat(f"{item['month']}-01"), "expected": item["expected"]}
        for item in (team_row["meldingen"] if team_row else [])
    ]
    factors = [
        {"month": dt.date(2000, index + 1, 1), "factor": factor}
        for index, factor in enumerate(document["seasonal_factors"])
    ]
    return {
        "team_row": team_row,
        "weeks": weeks,
        "chart": {
            "width": width,
            "height": height,
            "left": left,
            "axis_y": y(0),
            "label_y": height - 6,
            "bars": bars,
            "capacity_points": capacity_points,
            "ticks": [{"value": top * f / 1.1, "y": y(top * f / 1.1)} for f in (0, 0.55, 1.1)],
        },
        "worker_rows": workers,
        "stays": stays,
        "small_group": disclosure.SMALL_GROUP,
        "months": months,
        "factors": factors,
        "last_week": weeks[-1] if weeks else None,
        "peak_week": max(weeks, key=lambda w: w["utilisation"] or 0) if weeks else None,
        "day": dt.date.fromisoformat(str(document["date"])),
        "api_url": f"{reverse('api-caseload-forecast')}?team={result.team.pk}&date={document['date']}&weeks={document['weeks']}",
    }
