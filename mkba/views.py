"""The MKBA pages (Dutch): "Rendement" (an MKBA result as a reader of the source study knows it)
and "Kengetallen" (parameter sets: list, view, edit as a new version, import, export). The stored
reports ("Rapporten") are the reports app's pages.

Thin: a form, a selector or service call, a template. What is shown is the contract JSON of the
on-demand MKBA (``selectors.mkba_report_generate``), laid out by ``mkba.presentation`` (labels, Dutch number formats, the two inline SVG charts).
"""

import json
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import CostLine, OutcomeType
from core import access
from core.access import Capability
from core.exceptions import ApplicationError
from core.forms import form_errors_from
from core.models import Organisation, User
from mkba import calculations, selectors, services
from mkba.forms import (
    ApproachAssignForm,
    MkbaReportForm,
    ParameterSetEditForm,
    ParameterSetImportForm,
    ScenarioForm,
)
from mkba.models import BenefitLine, ParameterSet
from mkba.presentation import euro, number_text, percent, ratio_text, result_presentation

# --- Access ----------------------------------------------------------------------------------------


# core.access decides, with the capability the API asks (mkba.api.permissions) and the menu shows:
# reading MKBA figures, reports and parameter sets needs SEE_AGGREGATES, changing parameter sets
# EDIT_PARAMETER_SETS; without it a 403. A record outside the organisation (or, for a team lead, a
# report of another team) is a 404 from the selectors.


def _reader(request: HttpRequest) -> User:
    return cast(User, access.require(request.user, Capability.SEE_AGGREGATES))


def _editor(request: HttpRequest) -> User:
    _reader(request)
    return cast(User, access.require(request.user, Capability.EDIT_PARAMETER_SETS))


def _organisation(user: User) -> Organisation:
    if user.organisation is None:  # _reader lets only users with an organisation through
        raise PermissionDenied
    return user.organisation


def _parameter_set(user: User, parameter_set_id: int) -> ParameterSet:
    parameter_set = selectors.parameter_sets_visible_to(user).filter(pk=parameter_set_id).first()
    if parameter_set is None:
        raise Http404
    return parameter_set


# --- Rendement -------------------------------------------------------------------------------------


@login_required
def mkba_report(request: HttpRequest) -> HttpResponse:
    """/rendement/: a cohort report (approach, period, measurement date, parameter set) or a
    scenario with a reference approach; computed on request, nothing stored (GET, so linkable)."""
    user = _reader(request)
    mode = "scenario" if request.GET.get("modus") == "scenario" else "cohort"
    report_form = MkbaReportForm(request.GET if mode == "cohort" and "approach" in request.GET else None, user=user)
    scenario_form = ScenarioForm(request.GET if mode == "scenario" and "reference" in request.GET else None)
    result = None
    parameter_set = None
    if mode == "cohort" and report_form.is_bound and report_form.is_valid():
        data = report_form.cleaned_data
        parameter_set = data["parameter_set"] or selectors.parameter_set_for_approach(data["approach"])
        try:
            output = selectors.mkba_report_generate(
                approach=data["approach"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                measured_at=data["measured_at"],
                parameter_set=parameter_set,
                team=data["team"],
            )
        except ApplicationError as error:
            form_errors_from(report_form, error, unplaced="return", summary=False)
        else:
            result = result_presentation(output, parameters=parameter_set.data, title=data["approach"].name)
    elif mode == "scenario" and scenario_form.is_bound and scenario_form.is_valid():
        output = selectors.mkba_scenario_generate(
            reference_number=scenario_form.cleaned_data["reference"],
            participants=scenario_form.cleaned_data["participants"],
        )
        result = result_presentation(output, title=_("Dit scenario"))
    return render(
        request,
        "mkba/report.html",
        {
            "mode": mode,
            "report_form": report_form,
            "scenario_form": scenario_form,
            "result": result,
            "parameter_set": parameter_set,
        },
    )


# --- Kengetallen -----------------------------------------------------------------------------------


@login_required
def parameter_set_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    parameter_sets = (
        selectors.parameter_sets_visible_to(user)
        .annotate(
            # only the user's own approaches: a shared set is used by other organisations too
            approach_count=Count(
                "approaches", filter=Q(approaches__organisation_id=user.organisation_id), distinct=True
            )
        )
        .order_by("name", "-version", "pk")
    )
    return render(
        request,
        "mkba/parameter_set_list.html",
        {"parameter_sets": parameter_sets, "may_edit": access.has(user, Capability.EDIT_PARAMETER_SETS)},
    )


def _range_text(value: Any, *, decimals: int = 1, as_percent: bool = True) -> str:
    if not isinstance(value, list) or len(value) != 2:
        return ""
    low, high = value
    if as_percent:
        return f"{percent(low, decimals)}–{percent(high, decimals)}"
    return f"{ratio_text(low)}–{ratio_text(high)}"


def _parameter_rows(data: dict[str, Any]) -> dict[str, Any]:
    """The set's content for reading: outcomes with their streams and each stream's present value."""
    discount_rate = Decimal(str(data.get("discount_rate", calculations.DEFAULT_DISCOUNT_RATE)))
    benefit_labels = dict(BenefitLine.choices)
    cost_labels = dict(CostLine.choices)
    outcome_labels = dict(OutcomeType.choices)
    outcomes = []
    for outcome, values in data.get("outcomes", {}).items():
        streams = [
            {
                **stream,
                "line_label": benefit_labels.get(stream.get("line"), stream.get("line")),
                "amount_text": euro(stream.get("amount", 0)),
                "present_value": euro(
                    calculations.present_value(
                        stream.get("amount", 0),
                        first_year=int(stream.get("first_year", 0)),
                        years=int(stream.get("years", 1)),
                        discount_rate=discount_rate,
                    )
                ),
            }
            for stream in values.get("streams", [])
        ]
        outcomes.append(
            {
                "key": outcome,
                "label": outcome_labels.get(outcome, outcome),
                "baseline": percent(values.get("baseline")),
                "baseline_range": _range_text(values.get("baseline_range")),
                "conjunctuur": percent(values.get("conjunctuur", 0)),
                "attribution": ratio_text(values.get("attribution", 1)),
                "attribution_range": _range_text(values.get("attribution_range"), as_percent=False),
                "source": values.get("source", ""),
                "streams": streams,
            }
        )
    return {
        "hourly_rate": euro(data.get("hourly_rate")),
        "productive_hours_per_fte": number_text(data.get("productive_hours_per_fte", 0), 0),
        "discount_rate": percent(data.get("discount_rate", calculations.DEFAULT_DISCOUNT_RATE), 2),
        "discount_rate_range": _range_text(data.get("discount_rate_range"), decimals=2),
        "cost_basis": data.get("cost_basis", calculations.DEFAULT_COST_BASIS),
        "durability": data.get("durability", calculations.DEFAULT_DURABILITY),
        "main_outcome": outcome_labels.get(
            data.get("main_outcome", calculations.DEFAULT_MAIN_OUTCOME), data.get("main_outcome")
        ),
        "cost_bearers": [
            (cost_labels.get(line, line), ", ".join(f"{name} {percent(share)}" for name, share in shares.items()))
            for line, shares in data.get("cost_bearers", {}).items()
        ],
        "immaterial_shares": [
            (benefit_labels.get(line, line), percent(share))
            for line, share in data.get("immaterial_shares", {}).items()
            if share
        ],
        "outcomes": outcomes,
    }


def _organisation_rate_differs(user: User, parameter_set: ParameterSet) -> str | None:
    """The organisation's hourly rate (SPEC §2) when the set prices hours differently, else None."""
    organisation = user.organisation
    rate = parameter_set.data.get("hourly_rate")
    if organisation is None or rate is None or Decimal(str(rate)) == organisation.hourly_rate:
        return None
    return euro(organisation.hourly_rate)


@login_required
def parameter_set_detail(request: HttpRequest, parameter_set_id: int) -> HttpResponse:
    user = _reader(request)
    parameter_set = _parameter_set(user, parameter_set_id)
    versions = selectors.parameter_set_lineage(name=parameter_set.name, organisation=user.organisation).order_by(
        "-version"
    )
    approaches = selectors.approaches_for_mkba(user).filter(parameter_set=parameter_set)
    return render(
        request,
        "mkba/parameter_set_detail.html",
        {
            "parameter_set": parameter_set,
            "content": _parameter_rows(parameter_set.data),
            "versions": versions,
            "approaches": approaches,
            "may_edit": access.has(user, Capability.EDIT_PARAMETER_SETS),
            "assign_form": ApproachAssignForm(user=user),
            "organisation_rate": _organisation_rate_differs(user, parameter_set),
        },
    )


@login_required
def parameter_set_edit(request: HttpRequest, parameter_set_id: int) -> HttpResponse:
    """Edit = a new version (never an update); the key fields and the JSON in one form."""
    user = _editor(request)
    parameter_set = _parameter_set(user, parameter_set_id)
    path_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = ParameterSetEditForm(request.POST)
        if form.is_valid():
            try:
                new_version = services.parameter_set_version_create(
                    parameter_set=parameter_set,
                    organisation=_organisation(user),
                    data=form.parameters(),
                    notes=form.cleaned_data["notes"],
                    is_indicative=form.cleaned_data["is_indicative"],
                    created_by=user,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
                path_errors = form_errors_from(
                    form, error, field_for_path=form.field_for_path, unplaced="return", summary=False
                )
            else:
                messages.success(
                    request,
                    _("Versie %(version)s van “%(name)s” is opgeslagen.")
                    % {"version": new_version.version, "name": new_version.name},
                )
                return redirect("mkba:parameter_set_detail", parameter_set_id=new_version.pk)
    else:
        form = ParameterSetEditForm(initial=ParameterSetEditForm.initial_for(parameter_set))
    return render(
        request,
        "mkba/parameter_set_edit.html",
        {"parameter_set": parameter_set, "form": form, "path_errors": path_errors, "organisation": user.organisation},
        status=400 if path_errors or form.errors else 200,
    )


@login_required
def parameter_set_import(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    path_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = ParameterSetImportForm(request.POST, request.FILES)
        if form.is_valid():
            document = form.cleaned_data["file"]
            try:
                parameter_set = services.parameter_set_create(
                    organisation=_organisation(user),
                    name=form.cleaned_data["name"],
                    data=document,
                    is_indicative=form.cleaned_data["is_indicative"],
                    created_by=user,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
                path_errors = form_errors_from(form, error, unplaced="return", summary=False)
            else:
                messages.success(
                    request,
                    _("“%(name)s” is geïmporteerd als versie %(version)s.")
                    % {"name": parameter_set.name, "version": parameter_set.version},
                )
                return redirect("mkba:parameter_set_detail", parameter_set_id=parameter_set.pk)
    else:
        form = ParameterSetImportForm()
    return render(
        request,
        "mkba/parameter_set_import.html",
        {"form": form, "path_errors": path_errors},
        status=400 if path_errors or form.errors else 200,
    )


@login_required
def parameter_set_export(request: HttpRequest, parameter_set_id: int) -> HttpResponse:
    user = _reader(request)
    parameter_set = _parameter_set(user, parameter_set_id)
    response = HttpResponse(
        json.dumps(selectors.parameter_set_export(parameter_set), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"kengetallen-{slugify(parameter_set.name)[:60]}-v{parameter_set.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def parameter_set_assign(request: HttpRequest, parameter_set_id: int) -> HttpResponse:
    user = _editor(request)
    parameter_set = _parameter_set(user, parameter_set_id)
    form = ApproachAssignForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.approach_parameter_set_assign(
                approach=form.cleaned_data["approach"], parameter_set=parameter_set, user=user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("“%(approach)s” rekent nu met %(set)s.")
                % {"approach": form.cleaned_data["approach"], "set": parameter_set},
            )
    else:
        messages.error(request, _("Kies een aanpak van uw organisatie."))
    return redirect("mkba:parameter_set_detail", parameter_set_id=parameter_set.pk)
