"""A stored report (SPEC §5) as a document: the context of its web page, its PDF and its CSV.

Presentation only. The page and the PDF render the same partials (``mkba/partials/report_content.html``:
the MKBA result of the Rendement page, or the caseload tables), with the charts as inline SVG drawn
on the server, so they appear in both; the PDF is WeasyPrint's rendering of that HTML with the
app's own style sheet. The CSV has one row per figure of the result JSON.

The MKBA layout and the Dutch number formats live in ``mkba.presentation``, shared with the
Rendement page.
"""

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from caseload.presentation import flag_texts
from core.models import Worker
from mkba.models import Report
from mkba.presentation import number_text, percent, result_presentation

CSV_HEADER = ("section", "key", "value")
# Items of a list in the result JSON are named by the first of these keys they have.
_LIST_ITEM_KEYS = ("worker_id", "team", "number")

# WeasyPrint draws an inline SVG as a document of its own: the page's style sheets do not reach it
# (``fill`` and ``stroke`` are unknown properties to its HTML CSS). So the PDF gives every chart
# the charts' colours inside the SVG; the templates, and so the page, stay as they are.
SVG_STYLE = (
    "<style>"
    "text{font-size:12px;fill:#1d2430;font-family:sans-serif}text.current{font-weight:700;fill:#1f5fa8}"
    ".bar-costs{fill:#c0504d}.bar-benefits{fill:#2e7d32}.bar-reference{fill:#9aa7b6}.bar-current{fill:#1f5fa8}"
    ".axis{stroke:#1d2430;stroke-width:1}.one{stroke:#b35c00;stroke-dasharray:4 3}"
    ".capacity-bar{fill:#dfe6ee}.expected-bar.ok{fill:#2e7d32}.expected-bar.over{fill:#b3261e}"
    ".expected-bar.under{fill:#8aa9c9}"
    ".seg-client_direct{fill:#1f5fa8}.seg-client_indirect{fill:#6fa0d8}.seg-overhead{fill:#b35c00}"
    "</style>"
)
_SVG_START = re.compile(r"(<svg\b[^>]*>)")


# --- The page and the PDF -------------------------------------------------------------------------


def report_context(report: Report, result: dict[str, Any] | None = None) -> dict[str, Any]:
    """What ``mkba/partials/report_content.html`` needs: the report and its laid-out result.
    ``result`` defaults to the stored one (the job passes it before it is stored)."""
    from mkba import services

    output = result if result is not None else report.result
    context: dict[str, Any] = {"report": report, "report_title": services.report_title(report)}
    if output is None:
        return context
    if report.is_mkba:
        parameter_set = report.parameter_set
        context["result"] = result_presentation(
            output,
            parameters=parameter_set.data if parameter_set is not None else None,
            title=report.approach.name if report.approach is not None else None,
        )
        context["parameter_set"] = parameter_set
    else:
        context["caseload"] = caseload_presentation(output)
    return context


def report_pdf(report: Report, result: dict[str, Any] | None = None) -> bytes:
    """The report as a PDF that looks like its page: the same partials and SVG charts, printed."""
    from weasyprint import HTML  # slow to import; only the job and a download need it

    stylesheet = finders.find("css/app.css")
    app_css = Path(stylesheet).read_text(encoding="utf-8") if isinstance(stylesheet, str) else ""
    with translation.override(settings.LANGUAGE_CODE):
        page = render_to_string("mkba/report_pdf.html", {**report_context(report, result), "app_css": app_css})
    html = _SVG_START.sub(lambda match: match.group(1) + SVG_STYLE, str(page))
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


# --- Caseload report layout ----------------------------------------------------------------------


def _row(figures: dict[str, Any], name: str) -> dict[str, Any]:
    logged = figures.get("logged_hours") or {}
    return {
        "name": name,
        "figures": figures,
        "fte": number_text(figures["fte"], 3),
        "capacity": number_text(figures["capacity_hours"], 1),
        "expected": number_text(figures["expected_hours"], 1),
        "utilisation": percent(figures["utilisation"], 0),
        "youths": [
            figures["youths_by_role"].get(role, 0) for role in ("coaching", "uitvoering", "regie", "monitoring")
        ],
        "logged": [number_text(logged.get(category), 1) for category in _CATEGORIES],
        "overhead_share": percent(figures["overhead_share"], 0),
        "flags": flag_texts(figures, figures),  # the report has one period for both
    }


_CATEGORIES = ("client_direct", "client_indirect", "overhead")


def caseload_presentation(output: dict[str, Any]) -> dict[str, Any]:
    """The section-3 JSON of a team's month as tables and two SVG charts (coordinates as ints,
    as in the MKBA charts): expected hours against capacity, and the logged hours per category."""
    workers = output.get("workers", [])
    names = dict(
        Worker.objects.filter(external_id__in=[w["worker_id"] for w in workers]).values_list("external_id", "name")
    )
    rows = [_row(figures, names.get(figures["worker_id"], figures["worker_id"])) for figures in workers]
    teams = [_row(figures, figures["team"]) for figures in output.get("teams", [])]
    return {
        "output": output,
        "rows": rows,
        "teams": teams,
        "load_chart": _load_chart(rows),
        "logged_chart": _logged_chart(rows),
    }


_LABEL_WIDTH, _BAR_AREA, _ROW_HEIGHT, _TOP = 220, 460, 30, 8


def _scale(values: list[float]) -> float:
    return max([*values, 1.0])


def _load_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per worker two bars: capacity (grey) and expected hours (coloured by the load flag)."""
    highest = _scale([float(row["figures"][key] or 0) for row in rows for key in ("capacity_hours", "expected_hours")])
    bars = []
    for index, row in enumerate(rows):
        figures = row["figures"]
        y = _TOP + index * _ROW_HEIGHT
        level = "over" if "overload" in figures["flags"] else "under" if "underload" in figures["flags"] else "ok"
        bars.append(
            {
                "label": row["name"],
                "text_y": y + 14,
                "y": y,
                "capacity_width": round(float(figures["capacity_hours"] or 0) / highest * _BAR_AREA),
                "expected_width": max(round(float(figures["expected_hours"] or 0) / highest * _BAR_AREA), 1),
                "expected_y": y + 5,
                "level": level,
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


def _logged_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per worker one stacked bar of the logged hours: client direct, client indirect, overhead."""
    totals = [sum(float(value or 0) for value in (row["figures"].get("logged_hours") or {}).values()) for row in rows]
    highest = _scale(totals)
    bars = []
    for index, (row, total) in enumerate(zip(rows, totals, strict=True)):
        y = _TOP + index * _ROW_HEIGHT
        x = _LABEL_WIDTH
        segments = []
        for category in _CATEGORIES:
            width = round(float((row["figures"].get("logged_hours") or {}).get(category) or 0) / highest * _BAR_AREA)
            segments.append({"category": category, "x": x, "width": width})
            x += width
        bars.append(
            {
                "label": row["name"],
                "y": y,
                "text_y": y + 14,
                "segments": segments,
                "value_text": number_text(total, 1),
                "value_x": x + 6,
            }
        )
    return {
        "width": _LABEL_WIDTH + _BAR_AREA + 80,
        "height": _TOP * 2 + _ROW_HEIGHT * max(len(rows), 1),
        "label_x": _LABEL_WIDTH - 8,
        "bars": bars,
        "is_empty": not any(totals),
    }


# --- CSV ---------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A JSON value as a CSV cell: empty for null (unknown, as in the dataset files), ``true`` /
    ``false``, numbers as JSON writes them, a list of texts (flags) separated by spaces. A text
    that a spreadsheet would run as a formula (a name starting with ``=``, ``+``, ``-`` or ``@``)
    gets a leading apostrophe; numbers are not texts, so ``-200`` stays a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return " ".join(_cell(item) for item in value)
    text = str(value)
    return f"'{text}" if text[:1] in _FORMULA_STARTS else text


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _flattened(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted key, value) pairs of a JSON value; lists of objects are keyed by their id field."""
    if isinstance(value, dict):
        pairs: list[tuple[str, Any]] = []
        for key, item in value.items():
            pairs += _flattened(item, f"{prefix}.{key}" if prefix else str(key))
        return pairs
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        pairs = []
        for index, item in enumerate(value, start=1):
            name_key = next((key for key in _LIST_ITEM_KEYS if key in item), None)
            name = str(item[name_key]) if name_key else str(index)
            rest = {key: field for key, field in item.items() if key != name_key}
            pairs += _flattened(rest, f"{prefix}.{name}" if prefix else name)
        return pairs
    if isinstance(value, list) and not prefix:
        return [(str(index), item) for index, item in enumerate(value, start=1)]
    return [(prefix, value)]


def report_csv(result: dict[str, Any]) -> str:
    """One row per figure of a report's result JSON: ``section,key,value`` with a header, comma
    separated (as the dataset files of SPEC §6). The section is the top-level key of the JSON
    (``costs``, ``effects``, ``workers`` ...) and ``report`` for top-level figures; the key is the
    path below it (``gemeente.costs``, ``W0001.logged_hours.overhead``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for section, value in result.items():
        if isinstance(value, dict | list):
            for key, item in _flattened(value):
                writer.writerow((section, _cell(key), _cell(item)))
        else:
            writer.writerow(("report", section, _cell(value)))
    return buffer.getvalue()
