"""The accountability pages (Dutch): result indicators, VCV (with the einddeclaratie CSV), time to
first contact, working elements and the monitor.

Thin: a form, a selector (which holds the scoping), a presentation, a template. Access asks
``core.access`` (``SEE_AGGREGATES``; a 403 otherwise); the figures are aggregates without youths,
so no page here leaves an audit row. The query count does not grow with the data
(tests/accountability/test_views.py).
"""

import csv
import datetime as dt
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from accountability import calculations as calc
from accountability import monitor as monitor_module
from accountability import presentation, selectors
from accountability.forms import PeriodForm, VcvForm
from accountability.reports import vcv_sheet
from core import access
from core.access import Capability
from core.models import User
from core.spreadsheets import XLSX_CONTENT_TYPE, workbook_bytes


def _reader(request: HttpRequest) -> User:
    return cast(User, access.require(request.user, Capability.SEE_AGGREGATES))


def _bound(form_class: type[PeriodForm], request: HttpRequest, user: User) -> PeriodForm:
    """The form on the query, or on its initial values when the page is opened without one."""
    if "date_from" in request.GET:
        return form_class(request.GET, user=user)
    initial = QueryDict(mutable=True)
    probe = form_class(user=user)
    for name in ("date_from", "date_to"):
        value = probe.fields[name].initial
        initial[name] = (value() if callable(value) else value).isoformat()
    return form_class(initial, user=user)


def _query(form: PeriodForm) -> str:
    """The form's query string, for links to the other pages and the CSV with the same choices."""
    return cast(QueryDict, form.data).urlencode()


def _scope(user: User, data: dict[str, Any]) -> selectors.Scope:
    team, approach = data.get("team"), data.get("approach")
    return selectors.scope_for(
        user, team=str(team.pk) if team else None, approach=str(approach.pk) if approach else None
    )


def _measured_at(data: dict[str, Any]) -> dt.date:
    return data.get("measured_at") or timezone.localdate()


@login_required
def result_indicators(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = _bound(PeriodForm, request, user)
    context: dict[str, Any] = {"form": form, "title": "Resultaatindicatoren"}
    if form.is_valid():
        data = form.cleaned_data
        document = selectors.result_indicators_document(
            _scope(user, data), date_from=data["date_from"], date_to=data["date_to"], measured_at=_measured_at(data)
        )
        context["ri"] = presentation.result_indicators_presentation(
            document, targets=selectors.result_targets(user.organisation)
        )
    return render(request, "accountability/result_indicators.html", context)


def _vcv_result(request: HttpRequest, user: User) -> tuple[VcvForm, calc.VcvResult | None]:
    form = cast(VcvForm, _bound(VcvForm, request, user))
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    options = selectors.VcvOptions(
        max_age=data.get("max_age"),
        target_groups=tuple(sorted(group.name for group in data.get("target_groups") or [])),
        flat_rate=bool(data.get("flat_rate")),
    )
    result = selectors.vcv_result(
        _scope(user, data), date_from=data["date_from"], date_to=data["date_to"], options=options
    )
    return form, result


@login_required
def vcv(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form, result = _vcv_result(request, user)
    context: dict[str, Any] = {"form": form}
    if result is not None:
        context["vcv"] = presentation.vcv_presentation(calc.vcv_json(result))
        context["csv_query"] = _query(form)
    return render(request, "accountability/vcv.html", context)


@login_required
def vcv_csv(request: HttpRequest) -> HttpResponse:
    """The einddeclaratie (SPEC.md 4b): one row per worker, then teams and the total; Dutch
    headers, ``;`` and decimal comma; UTF-8 with a BOM so that Excel reads it as such."""
    user = _reader(request)
    form, result = _vcv_result(request, user)
    if result is None:
        return render(request, "accountability/vcv.html", {"form": form}, status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="vcv-{result.date_from.isoformat()}-{result.date_to.isoformat()}.csv"'
    )
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=calc.VCV_CSV_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(calc.vcv_csv_rows(calc.vcv_json(result)))
    return response


@login_required
def vcv_xlsx(request: HttpRequest) -> HttpResponse:
    """The einddeclaratie as a spreadsheet: the CSV's rows and Dutch headings, numbers as numbers
    with their decimals (Excel shows the reader's decimal comma)."""
    user = _reader(request)
    form, result = _vcv_result(request, user)
    if result is None:
        return render(request, "accountability/vcv.html", {"form": form}, status=400)
    sheet = vcv_sheet(calc.vcv_json(result))
    response = HttpResponse(workbook_bytes([sheet]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="vcv-{result.date_from.isoformat()}-{result.date_to.isoformat()}.xlsx"'
    )
    return response


@login_required
def first_contact(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = _bound(PeriodForm, request, user)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        document = selectors.first_contact_document(
            _scope(user, data), date_from=data["date_from"], date_to=data["date_to"], measured_at=_measured_at(data)
        )
        context["fc"] = presentation.first_contact_presentation(document)
    return render(request, "accountability/first_contact.html", context)


@login_required
def working_elements(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = _bound(PeriodForm, request, user)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        document = selectors.working_elements_document(
            _scope(user, data), date_from=data["date_from"], date_to=data["date_to"], measured_at=_measured_at(data)
        )
        context["we"] = presentation.working_elements_presentation(document)
    return render(request, "accountability/working_elements.html", context)


@login_required
def monitor(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = _bound(PeriodForm, request, user)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        document = monitor_module.monitor_document(
            _scope(user, data),
            date_from=data["date_from"],
            date_to=data["date_to"],
            measured_at=_measured_at(data),
            approach=data.get("approach"),
            team=data.get("team"),
        )
        context["mon"] = monitor_module.monitor_presentation(
            document, targets=selectors.result_targets(user.organisation)
        )
        context["query"] = _query(form)
    return render(request, "accountability/monitor.html", context)
