"""The MKBA pages (Dutch): "Rendement" (an MKBA result as a reader of the source study knows it),
"Kosten" (cost items of lines 1b, 1c, 2 and 3: list with totals, add, edit, delete) and
"Kengetallen" (parameter sets: list, view, edit as a new version, import, export) and "Eigen
scenario's" (issue 17, item 6: list and new, one version with its result beside the references,
edit as a new version). The stored reports ("Rapporten"), and the comparison of an own scenario
with one of them, are the reports app's pages.

Thin: a form, a selector or service call, a template. What is shown is the contract JSON of the
on-demand MKBA (``selectors.mkba_report_generate``), laid out by ``mkba.presentation`` (labels, Dutch number formats, the two inline SVG charts).
"""

import json
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import CostItem, CostLine, OutcomeType
from core import access, formats
from core.access import Capability
from core.exceptions import ApplicationError
from core.forms import form_errors_from
from core.models import Organisation, User
from mkba import calculations, own_scenarios, selectors, services
from mkba.forms import (
    START_COHORT,
    START_REFERENCE,
    ApproachAssignForm,
    CostFilterForm,
    CostItemForm,
    MkbaReportForm,
    OwnScenarioCreateForm,
    OwnScenarioForm,
    OwnScenarioLineForm,
    OwnScenarioLineFormSet,
    ParameterSetEditForm,
    ParameterSetImportForm,
    ScenarioForm,
)
from mkba.models import BenefitLine, OwnScenario, ParameterSet
from mkba.presentation import euro, number_text, percent, ratio_text, result_presentation, stakeholder_name

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


# --- Kosten (SPEC §4: cost lines 1b, 1c, 2 and 3) --------------------------------------------------

COST_ITEMS_PER_PAGE = 100


def _cost_enterer(request: HttpRequest) -> User:
    """The cost pages ask ``Capability.ENTER_COSTS`` (analysts, team leads); which items is the
    selectors' (``cost_items_visible_to`` / ``cost_items_writable_by``): outside them a 404."""
    return cast(User, access.require(request.user, Capability.ENTER_COSTS))


def _cost_list_url(approach_id: int | None) -> str:
    url = reverse("mkba:cost_list")
    return f"{url}?{urlencode({'approach': approach_id})}" if approach_id else url


def _writable_cost_item(user: User, cost_item_id: int) -> CostItem:
    cost_item = selectors.cost_items_writable_by(user).filter(pk=cost_item_id).first()
    if cost_item is None:
        if selectors.cost_items_visible_to(user).filter(pk=cost_item_id).exists():
            raise PermissionDenied  # an approach-level item a team lead reads but does not change
        raise Http404
    return cost_item


@login_required
def cost_list(request: HttpRequest) -> HttpResponse:
    """/rendement/kosten/: the cost items of one approach (optionally a line and dates [van, tot)),
    with totals per cost line."""
    user = _cost_enterer(request)
    approaches = selectors.cost_approaches_for(user)
    data = request.GET.copy()
    if not data.get("approach"):
        first = approaches.first()
        if first is not None:
            data["approach"] = str(first.pk)
    form = CostFilterForm(data, user=user)
    items = CostItem.objects.none()
    approach = None
    if form.is_valid():
        approach = form.cleaned_data["approach"]
        items = selectors.cost_items_filter(
            selectors.cost_items_visible_to(user),
            approach=approach,
            line=form.cleaned_data["line"] or None,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    totals = selectors.cost_line_totals(items)
    page = Paginator(items.order_by("-date", "-pk"), COST_ITEMS_PER_PAGE).get_page(request.GET.get("pagina"))
    line_labels = dict(CostLine.choices)
    return render(
        request,
        "mkba/costs.html",
        {
            "form": form,
            "approach": approach,
            "page": page,
            "totals": [{"label": line_labels[total.line], "total": total} for total in totals],
            "grand_total": {
                "approach_level": sum((total.approach_level for total in totals), Decimal(0)),
                "on_trajectories": sum((total.on_trajectories for total in totals), Decimal(0)),
                "total": sum((total.total for total in totals), Decimal(0)),
                "count": sum(total.count for total in totals),
            },
            "may_enter_approach_costs": selectors.user_may_enter_approach_costs(user),
            "own_trajectories_only": access.cost_scope(user) == access.CostScope.CASE_TRAJECTORIES,
            "has_approaches": approaches.exists(),
        },
    )


def _cost_item_form_save(
    request: HttpRequest, user: User, form: CostItemForm, cost_item: CostItem | None
) -> CostItem | None:
    """The service call behind the add and edit forms; its errors go on the form."""
    data = form.cleaned_data
    values = {
        "user": user,
        "approach": data["approach"],
        "trajectory": data["trajectory"],
        "date": data["date"],
        "line": data["line"],
        "amount": data["amount"],
        "description": data["description"],
    }
    try:
        if cost_item is None:
            return services.cost_item_create(**values)
        return services.cost_item_update(cost_item=cost_item, **values)
    except ApplicationError as error:
        form_errors_from(form, error)
        return None


def _approach_of(user: User, value: Any) -> Any:
    if not str(value or "").isdigit():
        return None
    return selectors.cost_approaches_for(user).filter(pk=int(value)).first()


@login_required
def cost_create(request: HttpRequest) -> HttpResponse:
    """/rendement/kosten/nieuw/: a cost item on an approach or on one of its trajectories."""
    user = _cost_enterer(request)
    source = request.POST if request.method == "POST" else request.GET
    approach = _approach_of(user, source.get("approach"))
    trajectory_id = str(request.GET.get("trajectory", ""))
    if approach is None and request.method != "POST" and trajectory_id.isdigit():
        # A link from a trajectory (?trajectory=ID): its approach, if the user may put costs on it.
        trajectory = selectors.cost_trajectories_for(user).filter(pk=int(trajectory_id)).first()
        approach = trajectory.approach if trajectory is not None else None
    approach = approach or selectors.cost_approaches_for(user).first()
    if request.method == "POST":
        form = CostItemForm(request.POST, user=user, approach=approach)
        if form.is_valid():
            cost_item = _cost_item_form_save(request, user, form, None)
            if cost_item is not None:
                messages.success(
                    request,
                    _("De kostenpost van %(amount)s is opgeslagen.") % {"amount": _amount_text(cost_item.amount)},
                )
                return redirect(_cost_list_url(cost_item.approach_id))
    else:
        initial: dict[str, Any] = {"approach": approach, "date": timezone.localdate()}
        if trajectory_id.isdigit():
            initial["trajectory"] = int(trajectory_id)
        form = CostItemForm(initial=initial, user=user, approach=approach)
    return render(
        request,
        "mkba/costs_form.html",
        {"form": form, "cost_item": None, "approach": approach},
        status=400 if form.errors else 200,
    )


@login_required
def cost_edit(request: HttpRequest, cost_item_id: int) -> HttpResponse:
    user = _cost_enterer(request)
    cost_item = _writable_cost_item(user, cost_item_id)
    if request.method == "POST":
        approach = _approach_of(user, request.POST.get("approach")) or cost_item.approach
        form = CostItemForm(request.POST, user=user, approach=approach, current_line=cost_item.line)
        if form.is_valid():
            saved = _cost_item_form_save(request, user, form, cost_item)
            if saved is not None:
                messages.success(request, _("De kostenpost is gewijzigd."))
                return redirect(_cost_list_url(saved.approach_id))
    else:
        form = CostItemForm(
            initial={
                "approach": cost_item.approach,
                "trajectory": cost_item.trajectory,
                "line": cost_item.line,
                "date": cost_item.date,
                "amount": cost_item.amount,
                "description": cost_item.description,
            },
            user=user,
            approach=cost_item.approach,
            current_line=cost_item.line,
        )
    return render(
        request,
        "mkba/costs_form.html",
        {"form": form, "cost_item": cost_item, "approach": cost_item.approach},
        status=400 if form.errors else 200,
    )


@login_required
def cost_delete(request: HttpRequest, cost_item_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    user = _cost_enterer(request)
    cost_item = _writable_cost_item(user, cost_item_id)
    if request.method == "POST":
        approach_id = cost_item.approach_id
        try:
            services.cost_item_delete(user=user, cost_item=cost_item)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("De kostenpost is verwijderd."))
        return redirect(_cost_list_url(approach_id))
    return render(request, "mkba/costs_delete.html", {"cost_item": cost_item})


def _amount_text(amount: Decimal) -> str:
    """``€ 1.234,50``: cents, as entered."""
    return "€ " + formats.number_text(amount, 2, grouping=True)


# --- Eigen scenario's (issue 17, item 6) -----------------------------------------------------------


def _own_scenario(user: User, scenario_id: int) -> OwnScenario:
    scenario = selectors.own_scenarios_visible_to(user).filter(pk=scenario_id).first()
    if scenario is None:
        raise Http404
    return scenario


def _own_scenario_editor(request: HttpRequest) -> User:
    _reader(request)
    return cast(User, access.require(request.user, Capability.EDIT_PARAMETER_SETS))


def _own_scenario_create(user: User, form: OwnScenarioCreateForm) -> OwnScenario:
    data = form.cleaned_data
    cohort = (
        services.CohortWindow(data["date_from"], data["date_to"], data["measured_at"])
        if data["start"] == START_COHORT
        else None
    )
    return services.own_scenario_start(
        organisation=_organisation(user),
        name=data["name"],
        created_by=user,
        approach=data["approach"],
        participants=data["participants"],
        reference_number=data["reference"] if data["start"] == START_REFERENCE else None,
        cohort=cohort,
    )


@login_required
def own_scenario_list(request: HttpRequest) -> HttpResponse:
    """The newest version of each own scenario with its social ratio, and (for those who may
    write them) the form that starts a new one."""
    user = _reader(request)
    may_edit = selectors.user_may_edit_own_scenarios(user)
    form = OwnScenarioCreateForm(user=user) if may_edit else None
    if request.method == "POST":
        user = _own_scenario_editor(request)
        form = OwnScenarioCreateForm(request.POST, user=user)
        if form.is_valid():
            try:
                scenario = _own_scenario_create(user, form)
            except ApplicationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Scenario “%(name)s” is gemaakt.") % {"name": scenario.name})
                return redirect("mkba:own_scenario_detail", scenario_id=scenario.pk)
    rows = []
    for scenario in selectors.own_scenarios_latest(user):
        result = selectors.own_scenario_result(scenario)
        rows.append(
            {"scenario": scenario, "social_ratio": ratio_text(calculations.rounded(result.social_ratio, "0.01"))}
        )
    return render(
        request,
        "mkba/own_scenario_list.html",
        {"rows": rows, "form": form, "may_edit": may_edit},
        status=400 if form is not None and form.errors else 200,
    )


def _row_amount(value: str) -> str:
    """An entered amount per participant as written: whole euro, or with its cents (``€ 260,50``)."""
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    return "€ " + formats.number_text(amount, places, grouping=True)


def _line_label(line: str) -> str:
    return str(dict(CostLine.choices).get(line) or dict(BenefitLine.choices).get(line) or line)


@login_required
def own_scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """One version: its rows, its result (SPEC §4 scenario mode) with the uncertainty of the rows'
    ranges, beside the ten reference approaches; the other versions."""
    user = _reader(request)
    scenario = _own_scenario(user, scenario_id)
    output = selectors.own_scenario_output(scenario)
    title = _("%(name)s (versie %(version)s)") % {"name": scenario.name, "version": scenario.version}
    result = result_presentation(output, parameters={"immaterial_shares": scenario.immaterial_shares}, title=title)
    line_rows = [
        {
            "kind": _("kosten") if row["kind"] == own_scenarios.COST else _("baten"),
            "line": _line_label(row["line"]),
            "stakeholder": stakeholder_name(row["stakeholder"]),
            "amount": _row_amount(row["amount"]),
            "range": "" if row.get("low") is None else f"{_row_amount(row['low'])} – {_row_amount(row['high'])}",
        }
        for row in scenario.lines
        if Decimal(row["amount"]) != 0 or row.get("low") is not None
    ]
    return render(
        request,
        "mkba/own_scenario_detail.html",
        {
            "scenario": scenario,
            "result": result,
            "line_rows": line_rows,
            "versions": selectors.own_scenario_lineage(scenario).select_related("created_by"),
            "may_edit": selectors.user_may_edit_own_scenarios(user),
            "own_scenario": True,
            "has_ranges": any(row.get("low") is not None for row in scenario.lines),
        },
    )


@login_required
def own_scenario_edit(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Edit = a new version (never an update): the planned participants, approach and description,
    and the rows as a formset (amounts with a decimal comma)."""
    user = _own_scenario_editor(request)
    scenario = _own_scenario(user, scenario_id)
    page_errors: list[str] = []
    if request.method == "POST":
        form = OwnScenarioForm(request.POST, user=user)
        formset = OwnScenarioLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            kept = [
                line_form
                for line_form in formset.forms
                if line_form.cleaned_data and line_form not in formset.deleted_forms
            ]
            try:
                new_version = services.own_scenario_version_create(
                    scenario=scenario,
                    organisation=_organisation(user),
                    lines=[cast(OwnScenarioLineForm, line_form).row() for line_form in kept],
                    participants=form.cleaned_data["participants"],
                    description=form.cleaned_data["description"],
                    approach=form.cleaned_data["approach"],
                    created_by=user,
                )
            except ApplicationError as error:
                page_errors = _own_scenario_errors_placed(error, kept)
            else:
                messages.success(
                    request,
                    _("Versie %(version)s van “%(name)s” is opgeslagen.")
                    % {"version": new_version.version, "name": new_version.name},
                )
                return redirect("mkba:own_scenario_detail", scenario_id=new_version.pk)
    else:
        form = OwnScenarioForm(
            user=user,
            initial={
                "participants": scenario.participants,
                "approach": scenario.approach,
                "description": scenario.description,
            },
        )
        formset = OwnScenarioLineFormSet(
            prefix="lines", initial=[OwnScenarioLineForm.initial_for(row) for row in scenario.lines]
        )
    has_errors = bool(page_errors or form.errors or any(formset.errors) or formset.non_form_errors())
    return render(
        request,
        "mkba/own_scenario_edit.html",
        {
            "scenario": scenario,
            "form": form,
            "formset": formset,
            "page_errors": page_errors,
            "printed_totals": bool(scenario.printed_totals),
        },
        status=400 if has_errors else 200,
    )


def _own_scenario_errors_placed(error: ApplicationError, kept: list[Any]) -> list[str]:
    """A service's errors by row path (``lines[3].amount``) on the form of that row; its message
    and what no row takes for the top of the page."""
    top = [error.message]
    for path, field_messages in (error.fields or {}).items():
        index, _dot, field = path.removeprefix("lines[").partition("].")
        if path.startswith("lines[") and index.isdigit() and int(index) < len(kept):
            row_form = kept[int(index)]
            target = "line" if field == "kind" else field
            for message in field_messages:
                row_form.add_error(target if target in row_form.fields else None, message)
        else:
            top.extend(field_messages)
    return top
