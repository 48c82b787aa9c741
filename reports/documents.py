"""A stored report (SPEC §5) as a document: its title, the context of its web page, its PDF and its CSV.

Presentation only. The page and the PDF render the same partials (``reports/partials/report_content.html``,
which includes the kind's ``content_template``: the MKBA result of the Rendement page, or the
caseload tables), with the charts as inline SVG drawn on the server, so they appear in both; the
PDF is WeasyPrint's rendering of that HTML with the app's own style sheet. The CSV has one row per
figure of the result JSON. What a kind shows is its ``context`` (core.report_kinds).
"""

import csv
import datetime
import io
import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, translation

from reports.models import Report

CSV_HEADER = ("section", "key", "value")
# Items of a list in the result JSON are named by the first of these keys they have.
_LIST_ITEM_KEYS = ("worker_id", "team", "number")

# WeasyPrint draws an inline SVG as a document of its own: the page's style sheets do not reach it
# (``fill`` and ``stroke`` are unknown properties to its HTML CSS). So the PDF gives every chart
# the charts' colours inside the SVG; the templates, and so the page, stay as they are.
SVG_STYLE = (
    "<style>"
    "text{font-size:12px;fill:#1d2430;font-family:sans-serif}text.current{font-weight:700;fill:#1f5fa8}"
    ".bar-costs{fill:#c0504d}.bar-benefits{fill:#2e7d32}.bar-reference{fill:#9aa7b6}.bar-current{fill:#1f5fa8}.bar-uncertainty{fill:#6fa0d8}"
    ".axis{stroke:#1d2430;stroke-width:1}.one{stroke:#b35c00;stroke-dasharray:4 3}"
    ".capacity-bar{fill:#dfe6ee}.expected-bar.ok{fill:#2e7d32}.expected-bar.over{fill:#b3261e}"
    ".expected-bar.under{fill:#8aa9c9}"
    ".seg-client_direct{fill:#1f5fa8}.seg-client_indirect{fill:#6fa0d8}.seg-overhead{fill:#b35c00}"
    ".share-bar{fill:#2e7d32}.track{fill:#eef2f6}.target-line{stroke:#b3261e;stroke-width:2;stroke-dasharray:4 2}"
    "</style>"
)
_SVG_START = re.compile(r"(<svg\b[^>]*>)")


# --- The title, the page and the PDF ---------------------------------------------------------------


def report_title(report: Report) -> str:
    """``MKBA-rapport per kwartaal — Aanpak (team Noord), 1 januari 2024 t/m 31 maart 2024``."""
    scope = report.approach.name if report.approach is not None else ""
    if report.team is not None:
        scope = f"{scope} (team {report.team.name})" if scope else f"team {report.team.name}"
    last_day = report.period_end - datetime.timedelta(days=1)
    period = f"{formats.date_format(report.period_start, 'j F Y')} t/m {formats.date_format(last_day, 'j F Y')}"
    return f"{report.get_kind_display()} — {scope}, {period}"


# ``Report.made_by`` is ``demand:<username>``, ``api:<username>`` or ``schedule:<schedule name>``
# (reports.views, reports.api, reports.tasks); the demo's reports carry demo.data.DEMO_REPORTS_MADE_BY,
# which this app may not import (demo sits above it), so its value is named here.
MADE_BY_DEMO = "demo_data"


def made_by_parts(made_by: str) -> tuple[str, str]:
    """Who or what asked for a report, for a policy officer: (``demand``, ``api``, ``schedule``,
    ``demo`` or ``other``; the user or schedule name). The page says it in words
    (``reports/partials/report_meta.html``), never as the stored code."""
    source, separator, name = made_by.partition(":")
    if made_by == MADE_BY_DEMO:
        return "demo", ""
    if separator and source in ("demand", "api", "schedule") and name:
        return source, name
    return "other", made_by


def report_context(report: Report, result: dict[str, Any] | None = None) -> dict[str, Any]:
    """What ``reports/partials/report_content.html`` needs: the report, the kind's template and
    its laid-out result. ``result`` defaults to the stored one (the job passes it before it is stored)."""
    output = result if result is not None else report.result
    made_by_source, made_by_name = made_by_parts(report.made_by)
    context: dict[str, Any] = {
        "report": report,
        "report_title": report_title(report),
        "period_last_day": report.period_end - datetime.timedelta(days=1),
        "made_by_source": made_by_source,
        "made_by_name": made_by_name,
    }
    if output is None:
        return context
    spec = report.kind_spec
    context |= spec.context(report, output)
    context["content_template"] = spec.content_template
    return context


def report_pdf(report: Report, result: dict[str, Any] | None = None) -> bytes:
    """The report as a PDF that looks like its page: the same partials and SVG charts, printed."""
    from weasyprint import HTML  # slow to import; only the job and a download need it

    stylesheet = finders.find("css/app.css")
    app_css = Path(stylesheet).read_text(encoding="utf-8") if isinstance(stylesheet, str) else ""
    with translation.override(settings.LANGUAGE_CODE):
        page = render_to_string("reports/report_pdf.html", {**report_context(report, result), "app_css": app_css})
    html = _SVG_START.sub(lambda match: match.group(1) + SVG_STYLE, str(page))
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


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


def _flattened(
    value: Any, prefix: str = "", list_item_keys: tuple[str, ...] = _LIST_ITEM_KEYS
) -> list[tuple[str, Any]]:
    """(dotted key, value) pairs of a JSON value; lists of objects are keyed by their id field."""
    if isinstance(value, dict):
        pairs: list[tuple[str, Any]] = []
        for key, item in value.items():
            pairs += _flattened(item, f"{prefix}.{key}" if prefix else str(key), list_item_keys)
        return pairs
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        pairs = []
        for index, item in enumerate(value, start=1):
            name_key = next((key for key in list_item_keys if key in item), None)
            name = str(item[name_key]) if name_key else str(index)
            rest = {key: field for key, field in item.items() if key != name_key}
            pairs += _flattened(rest, f"{prefix}.{name}" if prefix else name, list_item_keys)
        return pairs
    if isinstance(value, list) and not prefix:
        return [(str(index), item) for index, item in enumerate(value, start=1)]
    return [(prefix, value)]


def report_csv(result: dict[str, Any], *, list_item_keys: tuple[str, ...] = _LIST_ITEM_KEYS) -> str:
    """One row per figure of a report's result JSON: ``section,key,value`` with a header, comma
    separated (as the dataset files of SPEC §6). The section is the top-level key of the JSON
    (``costs``, ``effects``, ``workers`` ...) and ``report`` for top-level figures; the key is the
    path below it (``gemeente.costs``, ``W0001.logged_hours.overhead``); an item of a list is named
    by the first of ``list_item_keys`` it has (the kind's ``csv_list_item_keys``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for section, value in result.items():
        if isinstance(value, dict | list):
            for key, item in _flattened(value, "", list_item_keys):
                writer.writerow((section, _cell(key), _cell(item)))
        else:
            writer.writerow(("report", section, _cell(value)))
    return buffer.getvalue()


# --- Spreadsheet -------------------------------------------------------------------------------------

XLSX_HEADINGS = ("Onderdeel", "Kenmerk", "Waarde")


def _spreadsheet_value(value: Any) -> Any:
    """A JSON value as a cell: numbers stay numbers, ``ja``/``nee`` for booleans, a list of texts
    joined, null empty."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return value


def report_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook: the kind's own sheets (the VCV einddeclaratie), then every
    figure of the result (the CSV's rows, numbers as numbers) under Dutch headings and the report's
    title and period above them."""
    from core.spreadsheets import Sheet, workbook_bytes

    result = report.result or {}
    rows: list[tuple[Any, ...]] = []
    for section, value in result.items():
        if isinstance(value, dict | list):
            for key, item in _flattened(value, "", report.kind_spec.csv_list_item_keys):
                rows.append((section, key, _spreadsheet_value(item)))
        else:
            rows.append(("rapport", section, _spreadsheet_value(value)))
    with translation.override(settings.LANGUAGE_CODE):
        title = report_title(report)
    figures = Sheet(title="Alle cijfers", preamble=[title], headings=XLSX_HEADINGS, rows=rows)
    return workbook_bytes([*report.kind_spec.sheets(result), figures])
