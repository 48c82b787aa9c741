"""The team pages: the team dashboard (with moving a youth to a colleague) and planning.

Thin: a form, the selectors (which hold the scoping), a service call, a template. The figures are
the caseload JSON of ``caseload.selectors.caseload_for_scope``'s path, so the dashboard shows what
``GET /api/v1/caseload/`` and ``manage.py caseload`` give for the same team and dates:

- the load (expected hours against capacity, utilisation, youths by role, overload/underload and
  long-in-role flags) at the reference day (``?datum=``, default today), as ``?date=``;
- the logged hours and the overhead flag over the chosen period ending with that day
  (``?periode=``: last 4 weeks, this month, quarter or year), as ``?from=&to=``.

Access asks ``core.access``: the dashboard and planning need ``SEE_AGGREGATES`` (as the nav item),
moving a youth ``MOVE_YOUTHS`` (a 403 otherwise); a team outside the user's scope is a 404. The
"move a youth" lists name youths, so each request that shows them leaves one audit row.

A fixed number of queries, whatever the team's size (tests/caseload/test_views.py asserts it).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseload import advice, presentation, selectors, services
from caseload import calculations as calc
from caseload.forms import (
    PERIODS,
    ROLE_LABELS,
    DashboardForm,
    ForecastForm,
    MoveYouthForm,
    NormAdoptForm,
    NormForm,
    PlanningForm,
    period_bounds,
)
from cases import selectors as cases_selectors
from cases.forms import TimeEntryForm
from cases.models import FollowUp, Phase, Role, TimeCategory
from cases.selectors import approaches_visible_to
from core import access, formats
from core import selectors as core_selectors
from core.access import Capability, CaseScope
from core.exceptions import ApplicationError
from core.forms import form_errors_from
from core.models import Team, User, Worker
from core.views import audit_list

PHASE_LABELS = dict(Phase.choices)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require(request: HttpRequest, capability: Capability) -> User:
    """The user, if core.access gives them ``capability``; else a 403 (templates/403.html)."""
    return cast(User, access.require(request.user, capability))


# --- Team dashboard ---------------------------------------------------------------------------


def _dashboard_params(request: HttpRequest, data: QueryDict, teams: list[Team]) -> tuple[Team, dt.date, str, Any]:
    """The team, reference day and period from the filters; 404 for a team outside the scope."""
    if selectors.team_chosen(teams, data.get("team")) is None:
        raise Http404(_("Onbekend team, of geen toegang tot dit team."))
    form = DashboardForm(data, teams=teams)
    form.is_valid()
    if form.errors:
        messages.error(request, _("Ongeldige filter: de standaardwaarde is gebruikt."))
    cleaned = getattr(form, "cleaned_data", {})
    team_id = cleaned.get("team")
    team = next((t for t in teams if t.pk == team_id), teams[0])
    day = cleaned.get("datum") or timezone.localdate()
    period = cleaned.get("periode") or "4w"
    form = DashboardForm(initial={"team": team.pk, "datum": day, "periode": period}, teams=teams)
    return team, day, period, form


def _dashboard_rows(figures_of_team: selectors.TeamFigures) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """A row per worker (figures at the day, hours logged over the period, bars, flags in words) and
    the team's row, from the team's figures."""
    at_day, over_period, people = figures_of_team.at_day, figures_of_team.over_period, figures_of_team.people
    period_rows = {row["worker_id"]: row for row in cast(list[dict[str, Any]], over_period["workers"])}
    workers = cast(list[dict[str, Any]], at_day["workers"])
    rows: list[dict[str, Any]] = []
    for figures in workers:
        pk, name = people[figures["worker_id"]]
        logged = period_rows[figures["worker_id"]]
        rows.append(
            {
                "pk": pk,
                "name": name,
                "figures": figures,
                "logged": logged,
                "bar": presentation.load_bar(figures),
                "logged_bar": presentation.logged_bar(logged),
                "flags": presentation.flag_texts(figures, logged),
                "has_room": figures["utilisation"] is not None and figures["utilisation"] < 1,
                "overloaded": "overload" in figures["flags"],
            }
        )
    rows.sort(key=lambda row: (str(row["name"]).lower(), row["pk"]))
    team_row = None
    if at_day["teams"] and over_period["teams"]:
        team_figures = cast(list[dict[str, Any]], at_day["teams"])[0]
        team_logged = cast(list[dict[str, Any]], over_period["teams"])[0]
        team_row = {
            "figures": team_figures,
            "logged": team_logged,
            "bar": presentation.load_bar(team_figures),
            "logged_bar": presentation.logged_bar(team_logged),
            "flags": presentation.flag_texts(team_figures, team_logged),
        }
    return rows, team_row


def _dashboard_context(
    request: HttpRequest,
    data: QueryDict,
    teams: list[Team],
    move_form: MoveYouthForm | None = None,
    move_worker: int | None = None,
) -> dict[str, Any]:
    """The dashboard's figures and lists. The youths an overloaded worker could hand over are loaded
    when the team lead opens that worker's row (``team_move_options``), except for ``move_worker``,
    whose move was just refused: their list comes with the page, open, beside the errors."""
    user = _user(request)
    team, day, period, filter_form = _dashboard_params(request, data, teams)
    date_from, date_to = period_bounds(period, day)
    # The chart comes after the page (``team_chart``, HTMX): its forecast reads the organisation's
    # history, which at a region's scale costs more than the rest of the page.
    figures_of_team = selectors.team_figures(team=team, day=day, date_from=date_from, date_to=date_to)
    rows, team_row = _dashboard_rows(figures_of_team)
    can_move = access.has(user, Capability.MOVE_YOUTHS)
    movable: list[selectors.MovableYouth] = []
    for row in rows:
        if not row["overloaded"]:
            continue
        row["colleagues"] = _colleagues_with_room(rows, row)
        row["movable"] = None  # loaded when opened
        if can_move and row["pk"] == move_worker:
            row["movable"] = selectors.movable_youths(user=user, worker_ids=[row["pk"]], day=day)
            movable += row["movable"]
    step_down = []
    if access.has(user, Capability.SEE_CASE_CONTENTS):  # the list names youths: a team lead's
        settings = selectors.organisation_settings([team.organisation_id])[team.organisation_id].caseload
        step_down = selectors.step_down_for_team(team_id=team.pk, day=day, settings=settings)
    # The lists name these youths: one audit row for the page (SPEC §8).
    services.team_dashboard_read_log(
        user=user,
        youth_keys=[
            *(youth.trajectory.youth.external_id for youth in movable),
            *(item.trajectory.youth.external_id for item in step_down),
        ],
    )

    return {
        "team": team,
        "teams": teams,
        "step_down": step_down,
        "may_move": can_move,
        "step_down_weeks": advice.WINDOW_DAYS // 7,
        "day": day,
        "period": period,
        "period_label": PERIODS[period],
        "date_from": date_from,
        "date_last": date_to - dt.timedelta(days=1),
        "filter_form": filter_form,
        "rows": rows,
        "team_row": team_row,
        "roles": [(role, ROLE_LABELS[role]) for role in calc.ROLES],
        "can_move": can_move,
        # the names link to the worker's caseload, a page of case contents
        "can_drill_down": access.has(user, Capability.SEE_CASE_CONTENTS),
        "move_form": move_form,
        "today": timezone.localdate(),
        "api_date_url": f"{reverse('api-caseload')}?date={day.isoformat()}&team={team.pk}",
        "api_period_url": (
            f"{reverse('api-caseload')}?from={date_from.isoformat()}&to={date_to.isoformat()}&team={team.pk}"
        ),
    }


def _colleagues_with_room(rows: list[dict[str, Any]], row: dict[str, Any]) -> list[dict[str, Any]]:
    return [other for other in rows if other["has_room"] and other["pk"] != row["pk"]]


@login_required
def team_move_options(request: HttpRequest) -> HttpResponse:
    """ "Verplaats een jongere" of one overloaded worker (HTMX, when the team lead opens the row):
    the youths with a running period and the colleagues with room. It names youths: one audit row."""
    user = _require(request, Capability.MOVE_YOUTHS)
    teams = list(selectors.teams_for_dashboard(user))
    if not teams:
        raise Http404
    team, day, period, _form = _dashboard_params(request, request.GET, teams)
    date_from, date_to = period_bounds(period, day)
    rows, _team_row = _dashboard_rows(selectors.team_figures(team=team, day=day, date_from=date_from, date_to=date_to))
    row = next((row for row in rows if row["pk"] == _worker_pk(request.GET) and row["overloaded"]), None)
    if row is None:
        raise Http404(_("Deze begeleider is niet overbelast, of hoort niet bij dit team."))
    row["colleagues"] = _colleagues_with_room(rows, row)
    row["movable"] = selectors.movable_youths(user=user, worker_ids=[row["pk"]], day=day)
    services.team_dashboard_read_log(
        user=user, youth_keys=[youth.trajectory.youth.external_id for youth in row["movable"]]
    )
    context = {"row": row, "team": team, "day": day, "period": period, "today": timezone.localdate()}
    return render(request, "caseload/partials/move_options.html", context)


def _worker_pk(data: QueryDict) -> int | None:
    value = data.get("begeleider", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
def team_dashboard(request: HttpRequest) -> HttpResponse:
    """Teamdashboard: per worker the load against capacity, logged hours, youths by role, flags."""
    user = _require(request, Capability.SEE_AGGREGATES)
    teams = list(selectors.teams_for_dashboard(user))
    if not teams:
        return render(request, "caseload/no_team.html")
    return render(request, "caseload/team_dashboard.html", _dashboard_context(request, request.GET, teams))


@login_required
def team_chart(request: HttpRequest) -> HttpResponse:
    """The dashboard's chart (HTMX after the page): expected hours and capacity per month, twelve
    months back and three ahead, the months ahead from the load forecast with intake. Aggregates
    only: no audit row."""
    user = _require(request, Capability.SEE_AGGREGATES)
    teams = list(selectors.teams_for_dashboard(user))
    if not teams:
        raise Http404
    team, day, _period, _form = _dashboard_params(request, request.GET, teams)
    chart = presentation.month_chart(selectors.team_chart_months(team=team, day=day))
    return render(request, "caseload/partials/team_chart.html", {"chart": chart})


@login_required
def team_rebalance(request: HttpRequest) -> HttpResponse:
    """Herverdeling op advies (issue 17, HTMX from the team dashboard, computed on demand): a few
    moves that bring the team's workers closest to the band, each accepted with one click through
    the same warme overdracht as "verplaats een jongere"."""
    user = _require(request, Capability.MOVE_YOUTHS)
    teams = list(selectors.teams_for_dashboard(user))
    if not teams:
        raise Http404
    team, day, period, _form = _dashboard_params(request, request.GET, teams)
    result = selectors.rebalance_advice_for_team(user=user, team=team, day=day)
    services.team_dashboard_read_log(
        user=user, youth_keys=[result.trajectories[move.trajectory_id].youth.external_id for move in result.moves]
    )
    moves = [
        {
            "move": move,
            "trajectory": result.trajectories[move.trajectory_id],
            "from": result.workers[move.from_worker],
            "to": result.workers[move.to_worker],
            "role": ROLE_LABELS.get(move.role, move.role),
        }
        for move in result.moves
    ]
    context = {
        "moves": moves,
        "team": team,
        "day": day,
        "period": period,
        "before": result.outside_before,
        "after": result.outside_after,
    }
    return render(request, "caseload/partials/rebalance.html", context)


def _dashboard_url(team: int | None, day: dt.date | None, period: str | None) -> str:
    query = QueryDict(mutable=True)
    if team:
        query["team"] = str(team)
    if day:
        query["datum"] = day.isoformat()
    if period:
        query["periode"] = period
    return f"{reverse('caseload:team_dashboard')}?{query.urlencode()}"


@login_required
@require_POST
def youth_move(request: HttpRequest) -> HttpResponse:
    """Move a youth of an overloaded worker to a colleague: a warme overdracht (note required)."""
    user = _require(request, Capability.MOVE_YOUTHS)
    form = MoveYouthForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            handover = services.youth_move(
                user=user,
                trajectory_id=data["trajectory"],
                to_worker_id=data["to_worker"],
                date=data["date"],
                note=data["note"],
            )
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(youth)s is overgedragen aan %(worker)s (warme overdracht vastgelegd).")
                % {"youth": handover.trajectory.youth.display_name, "worker": handover.to_worker},
            )
            return redirect(_dashboard_url(data.get("team"), data.get("datum"), data.get("periode")))
    teams = list(selectors.teams_for_dashboard(user))
    if not teams:
        raise Http404
    messages.error(request, _("Niet verplaatst: controleer de invoer."))
    query = QueryDict(mutable=True)
    for name in ("team", "datum", "periode"):
        if request.POST.get(name):
            query[name] = request.POST[name]
    context = _dashboard_context(request, query, teams, move_form=form, move_worker=_worker_pk(request.POST))
    return render(request, "caseload/team_dashboard.html", context, status=400)


# --- Norms learned from the hours (issue 17) ---------------------------------------------------


@login_required
def norms(request: HttpRequest) -> HttpResponse:
    """Normen uit de uren: per rol de norm die geldt naast de schatting uit wat de begeleiders
    registreerden, met een interval en het aantal begeleider-maanden erachter."""
    user = _require(request, Capability.SEE_AGGREGATES)
    teams = list(selectors.teams_for_dashboard(user))
    form = NormForm(request.GET or None, teams=teams)
    document = None
    if form.is_bound and form.is_valid():
        team = form.cleaned_data["team"]
        try:
            scope = selectors.caseload_scope_for(user, team=str(team) if team else None)
        except selectors.TeamNotVisible:
            raise Http404 from None
        document = selectors.norms_calibration_for_scope(
            scope=scope,
            date_from=form.cleaned_data["van"],
            date_to=form.cleaned_data["tot"],
            organisation_id=user.organisation_id,
        )
    rows = []
    adopt_query = ""
    if document is not None:
        norms = cast(dict[str, dict[str, Any]], document["norms"])
        for role, figures in norms.items():
            rows.append({"role": ROLE_LABELS.get(role, role), **figures})
        if access.has(user, Capability.CONFIGURE):
            adopt_query = _adoption_query(form, document, norms)
    return render(
        request,
        "caseload/norms.html",
        {
            "form": form,
            "document": document,
            "rows": rows,
            "adopt_query": adopt_query,
            "adopted": selectors.norm_changes_for(user)[:20],
        },
    )


def _adoption_query(form: NormForm, document: dict[str, Any], norms: dict[str, dict[str, Any]]) -> str:
    """The adoption form's starting values: each estimate (the current norm where there is none)
    and a source that says where they come from."""
    query = QueryDict(mutable=True)
    for role, figures in norms.items():
        value = figures["estimate"] if figures["estimate"] is not None else figures["current"]
        if value is not None:
            query[role] = formats.number_text(value, 1)
    team = form.cleaned_data["team"]
    team_name = next((name for pk, name in form.fields["team"].choices if pk == team), None) if team else None  # type: ignore[attr-defined]
    query["bron"] = _("Geschat uit de uren van %(period)s (%(months)s begeleider-maanden%(team)s)") % {
        "period": formats.period_text(form.cleaned_data["van"], form.cleaned_data["tot"]),
        "months": document["worker_months"],
        "team": f", {_('team')} {team_name}" if team_name else "",
    }
    return query.urlencode()


@login_required
def norm_adopt(request: HttpRequest) -> HttpResponse:
    """Een norm vaststellen vanaf een dag (beheerder): de cijfers vanaf die dag rekenen ermee, het
    verleden houdt zijn eigen norm."""
    user = _require(request, Capability.CONFIGURE)
    approaches = list(approaches_visible_to(user).order_by("name"))
    if request.method == "POST":
        form = NormAdoptForm(request.POST, approaches=approaches)
        if form.is_valid():
            try:
                change = services.norm_adopt(
                    user=user,
                    valid_from=form.cleaned_data["geldt_vanaf"],
                    norm_hours=form.norm_hours(),
                    source=form.cleaned_data["bron"],
                    approach_id=form.cleaned_data["aanpak"],
                )
            except ApplicationError as error:
                form_errors_from(form, error, field_for_path={"valid_from": "geldt_vanaf"}.get)
            else:
                messages.success(
                    request,
                    _("Norm vastgesteld voor %(scope)s vanaf %(day)s.")
                    % {
                        "scope": change.approach.name if change.approach else _("de hele organisatie"),
                        "day": formats.date_text(change.valid_from),
                    },
                )
                return redirect("caseload:norms")
    else:
        form = NormAdoptForm(initial=request.GET.dict(), approaches=approaches)
    current = selectors.settings_for_user(user).caseload
    return render(
        request,
        "caseload/norm_adopt.html",
        {"form": form, "current": {ROLE_LABELS[role]: current.norm_hours[role] for role in calc.ROLES}},
    )


# --- Planning -------------------------------------------------------------------------------


@login_required
def planning(request: HttpRequest) -> HttpResponse:
    """Planningscalculator (SPEC.md 3): fte needed for an intake and mix, and how many youths fit.

    Without input the form shows the study's example and its answer; a GET form, so an answer can
    be bookmarked and nothing is written.
    """
    user = _require(request, Capability.SEE_AGGREGATES)
    approaches = list(approaches_visible_to(user).order_by("name"))
    form = PlanningForm(request.GET or None, approaches=approaches)
    settings = selectors.settings_for_user(user)
    result: dict[str, Any] | None = None
    if not form.is_bound or form.is_valid():
        values = form.cleaned_data if form.is_bound else {}
        try:
            result = _planning_result(form, values, settings)
        except ValueError as error:
            form.add_error(None, str(error))
    return render(
        request,
        "caseload/planning.html",
        {"form": form, "result": result, "settings": settings, "roles": form.role_rows()},
    )


def _planning_result(
    form: PlanningForm, values: dict[str, Any], settings: selectors.OrganisationSettings
) -> dict[str, Any]:
    """The calculator's figures for the page, from the same services as ``plan_capacity``."""

    def number(name: str) -> float:
        value = values.get(name)
        return float(form.fields[name].initial if value is None else value)

    caseload_settings = settings.caseload
    if values.get("mode") == PlanningForm.COMPOSITION:
        mix = calc.mix_from_composition(
            {role: number(f"now_{role}") for role in calc.ROLES},
            number("throughput_months"),
            caseload_settings,
            approach_id=values.get("approach"),
        )
    else:
        mix = {
            role: calc.PlanningLine(youths=number(f"youths_{role}"), hours_per_youth=number(f"hours_{role}"))
            for role in calc.ROLES
        }
    fte = number("fte")
    document = services.capacity_plan_document(mix, settings=caseload_settings, fte=fte)
    per_fte = calc.youths_that_fit(1.0, mix, caseload_settings)
    costs = calc.capacity_plan_costs(
        calc.capacity_plan(mix, caseload_settings),
        hourly_rate=settings.hourly_rate,
        contract_hours_per_fte=settings.contract_hours_per_fte,
        fte_available=fte,
    )
    return {
        "document": document,
        "lines": [
            {
                "label": ROLE_LABELS[role],
                "youths": line.youths,
                "hours_per_youth": line.hours_per_youth,
                "hours": line.youths * line.hours_per_youth,
            }
            for role, line in mix.items()
        ],
        "youths_per_fte": None if per_fte is None else calc.round_half_up(per_fte, 1),
        "cost": calc.round_half_up(costs.cost, 0),
        "contract_hours": calc.round_half_up(costs.contract_hours, 0),
        "fte": fte,
        "fte_gap": calc.round_half_up(costs.fte_gap, calc.RATIO_PLACES),
    }


# --- "Mijn caseload": a worker's own trajectories (and a team lead's look at a worker's) -------------
# The caseload engine applied to one worker (``selectors.worker_caseload_rows``). URL names
# cases:my_caseload and cases:week_hours stay: config/urls.py mounts ``urls.case_pages`` in the cases
# namespace. Access: SEE_CASE_CONTENTS; only a team lead drills down into a worker of a team they lead.


SORTS: dict[str, Callable[[selectors.CaseloadRow], Any]] = {
    "naam": lambda row: row.trajectory.youth.display_name.lower(),
    "volgende_actie": lambda row: (
        row.trajectory.next_action_on or dt.date.max,
        row.trajectory.youth.display_name.lower(),
    ),
    "dagen_in_rol": lambda row: -(row.days_in_role or 0),
    "laatste_contact": lambda row: row.last_contact or dt.date.min,
    "fase": lambda row: row.period.phase if row.period else "",
}


# One click on "+30 min" logs this much direct client time for today; it can be corrected after.
QUICK_MINUTES = 30


def _is_htmx(request: HttpRequest) -> bool:
    """django-htmx sets request.htmx; truthy when the request came from HTMX."""
    return bool(getattr(request, "htmx", False))


def _caseload_worker(request: HttpRequest) -> Worker | None:
    """The worker whose caseload is shown: one's own, or for a team lead a worker of their team.
    None: the user has no worker record of their own (a team lead who only leads)."""
    user = _require(request, Capability.SEE_CASE_CONTENTS)
    worker_id = request.GET.get("begeleider")
    if worker_id:
        # Only a team lead drills down, into the teams they lead.
        if access.case_scope(user) != CaseScope.LED_TEAMS:
            raise Http404
        worker = core_selectors.workers_visible_to(user).filter(pk=worker_id).first()
        if worker is None:
            raise Http404
        return worker
    return core_selectors.user_worker(user)


def _no_caseload(request: HttpRequest) -> HttpResponse:
    """A login without a worker record of its own has no caseload: off to what the role does see."""
    messages.info(request, _("Aan uw account is geen begeleider gekoppeld, dus u heeft geen eigen caseload."))
    if access.has(_user(request), Capability.SEE_AGGREGATES):
        return redirect("caseload:team_dashboard")
    return redirect("cases:youth_list")


def _week_start(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def _caseload_url(request: HttpRequest, *, table: bool) -> str:
    """This page's address with its filters, the whole page or (``table``) the HTMX table part."""
    query = request.GET.copy()
    query.pop("deel", None)
    if table:
        query["deel"] = "tabel"
    encoded = query.urlencode()
    return f"{reverse('cases:my_caseload')}?{encoded}" if encoded else reverse("cases:my_caseload")


@login_required
def my_caseload(request: HttpRequest) -> HttpResponse:
    worker = _caseload_worker(request)
    if worker is None:
        return _no_caseload(request)
    today = timezone.localdate()
    organisation_id = worker.team.organisation_id
    settings = selectors.organisation_settings([organisation_id])[organisation_id].caseload
    rows = selectors.worker_caseload_rows(worker=worker, on=today, settings=settings)
    query = request.GET.get("q", "").strip().lower()
    phase = request.GET.get("fase", "")
    role = request.GET.get("rol", "")
    if query:
        rows = [
            r
            for r in rows
            if query in r.trajectory.youth.display_name.lower() or query in r.trajectory.youth.external_id.lower()
        ]
    if phase:
        rows = [r for r in rows if r.period and r.period.phase == phase]
    if role:
        rows = [r for r in rows if r.period and r.period.role == role]
    if request.GET.get("signaal") == "1":
        rows = [r for r in rows if r.long_in_role or r.open_follow_ups]
    sort = request.GET.get("sorteer", "naam")
    rows.sort(key=SORTS.get(sort, SORTS["naam"]))
    # Today's and overdue next actions on top (oldest first), whatever the sort (SPEC §1).
    rows.sort(key=lambda row: (row.next_action_due and row.trajectory.next_action_on) or dt.date.max)
    context = {
        "worker": worker,
        "rows": rows,
        "today": today,
        "phases": Phase.choices,
        "roles": Role.choices,
        "filters": {"q": request.GET.get("q", ""), "fase": phase, "rol": role, "sorteer": sort},
        "week": cases_selectors.week_hours(worker=worker, week_start=_week_start(request.GET.get("week"))),
        "own": worker.user_id == _user(request).pk,
        # Answering a check (cases:follow_up_answer) comes back here, filters kept; HTMX to the table.
        "may_answer_checks": access.has(_user(request), Capability.WRITE_CASE_DATA),
        "answers": FollowUp.Answer.choices,
        "answer_next": _caseload_url(request, table=False),
        "answer_next_table": _caseload_url(request, table=True),
        "overhead_form": TimeEntryForm(initial={"category": TimeCategory.OVERHEAD, "minutes": 60}),
        "quick_minutes": QUICK_MINUTES,
    }
    partial = _is_htmx(request) and request.GET.get("deel") == "tabel"
    own = context["own"]
    page = "Mijn caseload" if own else f"Caseload van {worker.name}"
    audit_list(request, [row.trajectory.youth for row in rows], f"{page} (tabel)" if partial else page)
    template = "cases/partials/caseload_table.html" if partial else "cases/my_caseload.html"
    return render(request, template, context)


@login_required
def week_hours(request: HttpRequest) -> HttpResponse:
    worker = _caseload_worker(request)
    if worker is None:
        raise Http404
    week = cases_selectors.week_hours(worker=worker, week_start=_week_start(request.GET.get("week")))
    return render(request, "cases/partials/week_hours.html", {"week": week, "worker": worker})


def _room(utilisation: float | None, settings: calc.CaseloadSettings) -> str:
    """A colleague's room in words, not their exact figure (SPEC §8 gives a worker no colleague's
    figures): below the underload threshold "ruimte", above the overload threshold "overvol"."""
    if utilisation is None:
        return _("geen uren beschikbaar")
    if utilisation < settings.underload_threshold:
        return _("ruimte")
    if utilisation > settings.overload_threshold:
        return _("overvol")
    return _("vol")


@login_required
def handover_options(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    """The colleagues a trajectory can go to, with their room today (HTMX: the dossier's warme
    overdracht loads this list when it is opened): own team first, never the current worker."""
    user = access.require(_user(request), Capability.WRITE_CASE_DATA)
    trajectory = cases_selectors.trajectories_visible_to(user).filter(pk=trajectory_id).select_related("worker").first()
    if trajectory is None:
        raise Http404
    candidates = list(
        cases_selectors.handover_candidates_ordered(cases_selectors.handover_candidates_for(user), trajectory)
    )
    organisation_id = trajectory.worker.team.organisation_id
    settings = selectors.organisation_settings([organisation_id])[organisation_id].caseload
    team_ids = tuple(sorted({worker.team_id for worker in candidates}))
    today = timezone.localdate()
    figures = (
        selectors.caseload_for_scope(scope=selectors.CaseloadScope(team_ids=team_ids), day=today) if team_ids else {}
    )
    utilisation = {
        row["worker_id"]: row["utilisation"] for row in cast(list[dict[str, Any]], figures.get("workers", []))
    }
    options = [
        {
            "worker": worker,
            "own_team": worker.team_id == trajectory.worker.team_id,
            "room": _room(utilisation.get(worker.external_id), settings),
        }
        for worker in candidates
    ]
    return render(request, "caseload/partials/handover_options.html", {"options": options})


# --- A load forecast that knows intake (issue 17) ----------------------------------------------


@login_required
def load_forecast(request: HttpRequest) -> HttpResponse:
    """Prognose: per week the team's and each worker's expected hours against capacity, from the
    organisation's own stays and meldingen, with what-ifs. Aggregates only: no youth is named, so
    no audit row (as the dashboard without its move lists)."""
    user = _require(request, Capability.SEE_AGGREGATES)
    teams = list(selectors.teams_for_dashboard(user))
    if not teams:
        return render(request, "caseload/no_team.html")
    team = selectors.team_chosen(teams, request.GET.get("team"))
    if team is None:
        raise Http404(_("Onbekend team, of geen toegang tot dit team."))
    workers = selectors.team_workers(team)
    data = request.GET.copy()
    data.setdefault("weken", "13")
    form = ForecastForm(data, teams=teams, workers=workers)
    result = None
    if form.is_valid():
        values = form.cleaned_data
        day = values.get("datum") or timezone.localdate()
        what_if = selectors.forecast_what_if(
            team=team,
            extra_month=values.get("extra_maand"),
            extra_meldingen=values.get("extra_aantal") or 0,
            worker_key=values.get("begeleider") or "",
            worker_fte=None if values.get("begeleider_fte") is None else float(values["begeleider_fte"]),
            worker_from=values.get("begeleider_vanaf") or day,
            norm_hours=form.norms(),
        )
        result = selectors.team_forecast(team=team, day=day, weeks=values["weken"], what_if=what_if)
    context: dict[str, Any] = {"form": form, "team": team, "teams": teams, "result": result}
    if result is not None:
        context.update(presentation.forecast_page(result))
    return render(request, "caseload/forecast.html", context)
