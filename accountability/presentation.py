"""The accountability JSON documents (SPEC.md 4b) laid out for the Dutch pages and the stored
reports: labels, Dutch numbers (decimal comma, Dutch dates) and small server-side SVG bar charts.
The same functions serve the pages and the report kinds' ``context``, so both show the same."""

import datetime as dt
from decimal import Decimal
from typing import Any, Final

from django.utils.translation import gettext as _

from accountability import calculations as calc
from core.formats import date_text, euro_text, number_text, percent_text, period_text

INDICATOR_LABELS: Final = {
    "work_4w": "Werk na 4 weken",
    "work_12m": "Werk na 12 maanden",
    "work_or_school_4w": "Werk of school na 4 weken",
    "work_or_school_12m": "Werk of school na 12 maanden",
}
BREAKDOWN_LABELS: Final = {
    "age_band": "Leeftijd op de einddatum",
    "target_group": "Doelgroep",
    "approach": "Aanpak",
    "team": "Team",
    "referral_route": "Aanmeldroute",
}
CHART_WIDTH: Final = 520
BAR_X: Final = 220
BAR_WIDTH: Final = 200


def _date(value: str) -> str:
    return date_text(dt.date.fromisoformat(value))


def period_label(date_from: str, date_to: str) -> str:
    """``[from, to)`` as people say it: ``1 januari 2025 t/m 31 december 2025``."""
    return period_text(dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to))


def _key_label(key: str) -> str:
    return _("onbekend") if key == calc.UNKNOWN_KEY else key


def share_text(value: float | None) -> str:
    return percent_text(value, 1)


def indicator_row(
    name: str, figures: dict[str, Any], targets: dict[str, Decimal], *, group: bool = False
) -> dict[str, Any]:
    """One indicator for a table: counts, the share with its denominator, the unknowns apart,
    "voorlopig", and the ESF target of its set. A breakdown ``group`` of fewer than 10
    trajectories shows no share (small counts identify youths); the scope's own total does, as
    the funder asks for it (and the API gives it)."""
    denominator = figures["positive"] + figures["negative"]
    small = group and figures["ended"] < calc.SMALL_GROUP
    target = targets["work" if name.startswith("work_") and not name.startswith("work_or") else "work_or_school"]
    share = figures["share"]
    return {
        "name": name,
        "label": INDICATOR_LABELS[name],
        "ended": figures["ended"],
        "positive": figures["positive"],
        "negative": figures["negative"],
        "unknown": figures["unknown"],
        "denominator": denominator,
        "share": share,
        "share_text": "< 10" if small else share_text(share),
        "small": small,
        "provisional": figures["provisional"],
        "target_text": percent_text(target, 0),
        "below_target": share is not None and not small and Decimal(str(share)) < target,
        "bar_width": 0 if small or share is None else round(share * BAR_WIDTH),
        "target_x": BAR_X + round(float(target) * BAR_WIDTH),
    }


def result_indicators_presentation(document: dict[str, Any], *, targets: dict[str, Decimal]) -> dict[str, Any]:
    indicators = [indicator_row(name, document["indicators"][name], targets) for name in calc.INDICATORS]
    breakdowns = [
        {
            "name": name,
            "label": BREAKDOWN_LABELS[name],
            "groups": [
                {
                    "key": _key_label(key),
                    "rows": [
                        indicator_row(indicator, values[indicator], targets, group=True)
                        for indicator in calc.INDICATORS
                    ],
                }
                for key, values in document["breakdowns"][name].items()
            ],
        }
        for name in calc.BREAKDOWNS
    ]
    return {
        "period": period_label(document["from"], document["to"]),
        "measured_at": _date(document["measured_at"]),
        "indicators": indicators,
        "breakdowns": breakdowns,
        "ended": document["indicators"]["work_4w"]["ended"],
        "targets": {key: percent_text(value, 0) for key, value in targets.items()},
        "chart": {
            "width": CHART_WIDTH,
            "height": 30 * len(indicators) + 10,
            "bar_x": BAR_X,
            "bars": [dict(row, y=30 * index + 5, text_y=30 * index + 20) for index, row in enumerate(indicators)],
        },
    }


VCV_FIELDS: Final = (
    "fte",
    "personnel_costs",
    "youths",
    "eligible_youths",
    "share",
    "accountable",
    "flat_rate",
    "total",
)


def _vcv_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "worker_id": row.get("worker_id"),
        "team": row.get("team"),
        "fte": number_text(row["fte"], 3),
        "personnel_costs": _euro_cents(row["personnel_costs"]),
        "youths": row["youths"],
        "eligible_youths": row["eligible_youths"],
        "share": percent_text(row["share"], 1),
        "accountable": _euro_cents(row["accountable"]),
        "flat_rate": _euro_cents(row["flat_rate"]),
        "total": _euro_cents(row["total"]),
    }


def _euro_cents(value: float | None) -> str:
    return "€ " + number_text(value, 2, grouping=True) if value is not None else euro_text(None)


def vcv_presentation(document: dict[str, Any]) -> dict[str, Any]:
    rule = document["rule"]
    return {
        "period": period_label(document["from"], document["to"]),
        "rule": {
            "max_age": rule["max_age"],
            "target_groups": ", ".join(rule["target_groups"]) or _("alle doelgroepen"),
            "flat_rate": rule["flat_rate"],
            "funding_sources": ", ".join(rule.get("funding_sources", [])),
        },
        "workers": [_vcv_row(row) for row in document["workers"]],
        "teams": [_vcv_row(row) for row in document["teams"]],
        "total": _vcv_row(document["total"]),
    }


def _contact_row(key: str, figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": _key_label(key),
        "reported": figures["reported"],
        "contacted": figures["contacted"],
        "waiting": figures["waiting"],
        "median_days": "—" if figures["median_days"] is None else figures["median_days"],
        "p90_days": "—" if figures["p90_days"] is None else figures["p90_days"],
        "within_7_days": percent_text(figures["within_7_days"], 1),
    }


def first_contact_presentation(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "period": period_label(document["from"], document["to"]),
        "measured_at": _date(document["measured_at"]),
        "total": _contact_row(_("totaal"), document),
        "breakdowns": [
            {
                "label": BREAKDOWN_LABELS[name],
                "rows": [_contact_row(key, figures) for key, figures in groups.items()],
            }
            for name, groups in document["breakdowns"].items()
        ],
    }


def _element_group(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "trajectories": group["trajectories"],
        "share": "< 10" if group["suppressed"] else share_text(group["share"]),
        "suppressed": group["suppressed"],
    }


def working_elements_presentation(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "period": period_label(document["from"], document["to"]),
        "measured_at": _date(document["measured_at"]),
        "elements": [
            {
                "element": item["element"],
                "with": _element_group(item["with"]),
                "without": _element_group(item["without"]),
            }
            for item in document["elements"]
        ],
    }
