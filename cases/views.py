"""The worker's pages: Mijn caseload, the dossier, the intake queue, registering a youth.

Thin: parse a form, call a service or selector, render. Every page asks ``core.access`` first
(a role without the capability gets 403), and takes its records from ``cases.selectors`` (a record
outside the user's scope is 404). List pages that show names leave one audit row per request.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.forms import (
    DateForm,
    FollowUpAnswerForm,
    HandoverForm,
    InzageLookupForm,
    InzageRequestForm,
    NextActionForm,
    OutcomeForm,
    PeriodChangeForm,
    ResumeForm,
    TimeEntryForm,
    TrajectoryStartForm,
    WorkingElementsForm,
    YouthProfileForm,
    YouthRegisterForm,
)
from cases.models import Phase, Role, TimeCategory, TimeEntry, Trajectory, Youth
from core import access
from core.access import Capability
from core.exceptions import ApplicationError
from core.forms import form_errors_from
from core.models import AuditLogEntry, User
from core.services import audit_log_youth
from core.views import audit_list


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_htmx(request: HttpRequest) -> bool:
    """django-htmx sets request.htmx; truthy when the request came from HTMX."""
    return bool(getattr(request, "htmx", False))


def _require(request: HttpRequest, capability: Capability) -> User:
    """The user, if their role has the capability; otherwise PermissionDenied (the Dutch 403 page)."""
    return access.require(_user(request), capability)


def _safe_next(request: HttpRequest, default: str, field: str = "next") -> str:
    """A ``next`` (or another ``field``) that stays on this site (Django's safe-URL helper);
    otherwise ``default``."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def time_entry_create(request: HttpRequest) -> HttpResponse:
    """One-click time logging from the caseload list (HTMX) or the dossier; own hours only."""
    user = _require(request, Capability.LOG_OWN_TIME)
    worker = selectors.user_worker(user)
    if worker is None:
        raise Http404
    trajectory: Trajectory | None = None
    trajectory_id = request.GET.get("traject") or request.POST.get("traject")
    if trajectory_id:
        trajectory = selectors.trajectories_visible_to(user).filter(pk=trajectory_id).first()
        if trajectory is None:
            raise Http404
    form = TimeEntryForm(
        request.POST or None, initial={"category": TimeCategory.CLIENT_DIRECT if trajectory else TimeCategory.OVERHEAD}
    )
    saved = None
    if request.method == "POST" and form.is_valid():
        category = form.cleaned_data["category"]
        try:
            saved = services.time_entry_log(
                user=user,
                worker=worker,
                entry=services.TimeEntryInput(
                    date=form.cleaned_data["date"],
                    minutes=form.cleaned_data["minutes"],
                    category=category,
                    trajectory=trajectory if category != TimeCategory.OVERHEAD else None,
                    note=form.cleaned_data["note"],
                ),
            )
        except ApplicationError as error:
            form_errors_from(form, error)
    if not _is_htmx(request):
        if saved:
            messages.success(request, _("%(minutes)s minuten geregistreerd.") % {"minutes": saved.minutes})
        elif request.method == "POST":
            for field_errors in form.errors.values():
                for message in field_errors:
                    messages.error(request, str(message))
        return redirect(_safe_next(request, reverse("cases:my_caseload")))
    response = render(
        request, "cases/partials/time_entry_form.html", {"form": form, "trajectory": trajectory, "saved": saved}
    )
    if saved:
        response["HX-Trigger"] = "hours-changed"
    return response


@login_required
def time_entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Correct an entry just logged with one click (HTMX partial; without HTMX back to the caseload)."""
    user = _require(request, Capability.LOG_OWN_TIME)
    worker = selectors.user_worker(user)
    entry = (
        TimeEntry.objects.filter(pk=entry_id, worker=worker).select_related("trajectory").first() if worker else None
    )
    if entry is None or worker is None:
        raise Http404
    form = TimeEntryForm(
        request.POST or None,
        initial={"date": entry.date, "minutes": entry.minutes, "category": entry.category, "note": entry.note},
    )
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.time_entry_update(user=user, worker=worker, entry=entry, **form.cleaned_data)
        except ApplicationError as error:
            form_errors_from(form, error)
    if not _is_htmx(request) and request.method == "POST" and saved:
        messages.success(request, _("Uren aangepast."))
        return redirect(_safe_next(request, reverse("cases:my_caseload")))
    context = {"form": form, "trajectory": entry.trajectory, "saved": saved, "entry": entry, "corrected": True}
    response = render(request, "cases/partials/time_entry_form.html", context, status=400 if form.errors else 200)
    if saved:
        response["HX-Trigger"] = "hours-changed"
    return response


# Rows per page of the youth list and the intake queue.
LIST_PAGE_SIZE = 50


@login_required
def youth_list(request: HttpRequest) -> HttpResponse:
    user = _require(request, Capability.SEE_CASE_CONTENTS)
    youths = selectors.youths_visible_to(user)
    query = request.GET.get("q", "").strip()
    if query:
        youths = youths.filter(
            Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(external_id__icontains=query)
        )
    page = Paginator(youths.order_by("last_name", "first_name", "external_id"), LIST_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    shown = list(page.object_list)
    audit_list(request, shown, "Jongeren")
    context = {
        "youths": shown,
        "page": page,
        "q": query,
        "may_register": access.has(user, Capability.REGISTER_YOUTH),
    }
    return render(request, "cases/youth_list.html", context)


def _dossier_context(request: HttpRequest, youth_id: int, **forms: Any) -> dict[str, Any]:
    user = _require(request, Capability.SEE_CASE_CONTENTS)
    try:
        youth = selectors.youth_dossier_get(user=user, youth_id=youth_id)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    today = timezone.localdate()
    workers = selectors.handover_candidates_for(user)
    trajectories = list(youth.trajectories.all())
    active = forms.get("active_trajectory")

    element_names = selectors.working_element_names_for(user)
    timelines = []
    for trajectory in trajectories:
        periods = list(trajectory.periods.all())
        running = selectors.current_period(trajectory, today) if trajectory.end_date is None else None
        ticked = [element.name for element in trajectory.working_elements.all()]
        elements_form = (
            forms["working_elements_form"]
            if forms.get("active_trajectory") == trajectory.pk and "working_elements_form" in forms
            else WorkingElementsForm(names=element_names, initial={"working_elements": ticked})
        )
        elements_form.auto_id = f"id_elements_{trajectory.pk}_%s"
        before = _period_before(periods, running) if running and running.phase == Phase.TIME_OUT else None
        fresh = {
            "period_form": PeriodChangeForm.opened_on(
                running.phase if running else None, running.role if running else None
            ),
            "resume_form": ResumeForm.opened_on(
                before.phase if before else Phase.BEGELEIDING, before.role if before else Role.COACHING
            ),
            "next_action_form": NextActionForm(
                initial={"next_action": trajectory.next_action, "next_action_on": trajectory.next_action_on}
            ),
            "handover_form": HandoverForm(workers=selectors.handover_candidates_ordered(workers, trajectory)),
        }
        timelines.append(
            {
                "trajectory": trajectory,
                "periods": periods,
                "running": running,
                "timeline": _timeline(trajectory, periods, today),
                "working_elements": ticked,
                "working_elements_form": elements_form,
                **fresh,
                # The form the user just sent, with its errors, beside this trajectory.
                **{name: forms[name] for name in fresh if active == trajectory.pk and name in forms},
            }
        )
    return {
        "youth": youth,
        "timelines": timelines,
        "today": today,
        "may_write": access.has(user, Capability.WRITE_CASE_DATA),
        "may_log_time": access.has(user, Capability.LOG_OWN_TIME),
        "may_enter_costs": access.has(user, Capability.ENTER_COSTS),
        "may_export": selectors.youths_for_inzage(user).filter(pk=youth.pk).exists(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "date_form": forms.get("date_form") or DateForm(),
        "close_form": forms.get("close_form") or DateForm(),
        "profile_form": forms.get("profile_form") or _profile_form(user, youth),
        "time_form": TimeEntryForm(),
        "follow_up_form": FollowUpAnswerForm(),
        "start_form": forms.get("start_form")
        or TrajectoryStartForm(
            approaches=selectors.approaches_visible_to(user),
            workers=selectors.trajectory_worker_choices_for(user),
            initial={"worker": selectors.user_worker(user)},
        ),
        "active_form": forms.get("active_form", ""),
        "active_trajectory": forms.get("active_trajectory"),
    }


def _period_before(periods: list[Any], running: Any) -> Any:
    """The period that ended the day ``running`` began (the one before a time-out), if any."""
    return next((period for period in periods if period.end_date == running.start_date), None)


def _profile_form(user: User, youth: Youth, data: Any = None) -> YouthProfileForm:
    initial = {field: getattr(youth, field) for field in services.PROFILE_FIELDS if field != "birth_date"}
    initial["complexity"] = youth.complexity
    return YouthProfileForm(data, initial=initial, target_groups=selectors.target_groups_for(user))


def _timeline(trajectory: Trajectory, periods: list[Any], today: datetime.date) -> list[dict[str, Any]]:
    """Bars for the period timeline, as percentages of the trajectory's span so far."""
    if not periods:
        return []
    start = periods[0].start_date
    end = max(today, max((p.end_date or today) for p in periods))
    span = max((end - start).days, 1)
    return [
        {
            "period": p,
            "left": round(100 * (p.start_date - start).days / span, 2),
            "width": max(round(100 * ((p.end_date or today) - p.start_date).days / span, 2), 0.8),
        }
        for p in periods
    ]


# The audit trail on the inzage cover page, in words a privacy officer reads: what was touched,
# and the fixed details the case pages and services write.
TRAIL_OBJECTS = {
    "youth": _lazy("gegevens van de jongere"),
    "trajectory": _lazy("traject"),
    "period": _lazy("periode"),
    "outcome": _lazy("resultaat"),
    "follow_up": _lazy("duurzaamheidscheck"),
    "handover": _lazy("warme overdracht"),
    "time_entry": _lazy("tijdregistratie"),
    "report": _lazy("rapport"),
}
TRAIL_DETAILS = {
    "dossier": _lazy("dossier geopend"),
    "registered": _lazy("jongere geregistreerd"),
    "already-known check": _lazy("gevonden bij de controle 'Al bekend?' bij registreren"),
    "inzage export": _lazy("inzage: alle gegevens gedownload"),
    "inzage cover page": _lazy("inzage: voorblad bekeken"),
    "inzage lookup by key": _lazy("inzage: opgezocht op sleutel"),
    "retention term passed": _lazy("bewaartermijn verstreken"),
}


def _trail_rows(trail: list[selectors.AuditTrailLine]) -> list[dict[str, Any]]:
    rows = []
    for line in trail:
        what = str(TRAIL_OBJECTS.get(line.object_type, line.object_type))
        known = TRAIL_DETAILS.get(line.detail)
        description = str(known) if known else (f"{what}: {line.detail}" if line.detail else what)
        rows.append({"at": line.at, "actor": line.actor, "action_label": line.action_label, "description": description})
    return rows


def _inzage_youth(request: HttpRequest, youth_id: int) -> Youth:
    """A youth the user may make an inzage export of: 403 for a role that may not export at all,
    404 for a youth outside their reach (another team, another organisation)."""
    user = _require(request, Capability.EXPORT_INZAGE)
    youth = selectors.youths_for_inzage(user).filter(pk=youth_id).first()
    if youth is None:
        raise Http404
    return youth


def _requested_on(request: HttpRequest) -> datetime.date:
    form = InzageRequestForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["verzoekdatum"]:
        return form.cleaned_data["verzoekdatum"]  # type: ignore[no-any-return]
    return timezone.localdate()


@login_required
def youth_inzage(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Inzage (AVG art. 15): the Dutch cover page of one youth's export, printable, with the download."""
    youth = _inzage_youth(request, youth_id)
    user = _user(request)
    audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.VIEW, detail="inzage cover page")
    requested_on = _requested_on(request)
    context = {
        "youth": youth,
        "requested_on": requested_on,
        "request_form": InzageRequestForm(initial={"verzoekdatum": requested_on}),
        "today": timezone.localdate(),
        "made_by": user,
        "summary": selectors.youth_inzage_summary(youth=youth),
        "trail": _trail_rows(selectors.youth_audit_trail(youth=youth)),
    }
    return render(request, "cases/inzage.html", context)


@login_required
def youth_export(request: HttpRequest, youth_id: int) -> JsonResponse:
    """Inzage: one youth's data as a JSON download, with who read or changed it; itself audited."""
    youth = _inzage_youth(request, youth_id)
    data = services.youth_data_export(user=_user(request), youth=youth)
    data["requested_on"] = _requested_on(request).isoformat()
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="inzage-{youth.external_id}.json"'
    return response


@login_required
def inzage_lookup(request: HttpRequest) -> HttpResponse:
    """The privacy officer's way in: a youth's key -> that youth's inzage cover page."""
    user = _require(request, Capability.EXPORT_INZAGE)
    form = InzageLookupForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["key"]
        youth = selectors.youths_for_inzage(user).filter(external_id=key).first()
        if youth is not None:
            audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.VIEW, detail="inzage lookup by key")
            return redirect("cases:youth_inzage", youth_id=youth.pk)
        not_found = True
    status = 404 if not_found else (400 if request.method == "POST" else 200)
    return render(request, "cases/inzage_lookup.html", {"form": form, "not_found": not_found}, status=status)


@login_required
def youth_dossier(request: HttpRequest, youth_id: int) -> HttpResponse:
    return render(request, "cases/dossier.html", _dossier_context(request, youth_id))


def _trajectory_for(request: HttpRequest, trajectory_id: int) -> Trajectory:
    user = _require(request, Capability.WRITE_CASE_DATA)
    trajectory = selectors.trajectories_visible_to(user).filter(pk=trajectory_id).first()
    if trajectory is None:
        raise Http404
    return trajectory


def _dossier_action(
    request: HttpRequest,
    trajectory_id: int,
    form: Any,
    form_name: str,
    action: Callable[[Trajectory, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Run one dossier action: valid input -> service -> back to the dossier; otherwise the dossier
    again with the form's errors shown next to the action (status 400), nothing written."""
    trajectory = _trajectory_for(request, trajectory_id)
    if form.is_valid():
        try:
            action(trajectory, form.cleaned_data)
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, success)
            # After a warme overdracht the youth may have left this user's scope.
            if selectors.youths_visible_to(_user(request)).filter(pk=trajectory.youth_id).exists():
                return redirect("cases:youth_dossier", youth_id=trajectory.youth_id)
            return redirect("cases:my_caseload")
    messages.error(request, _("Niet opgeslagen: controleer de invoer."))
    context = _dossier_context(
        request, trajectory.youth_id, **{form_name: form, "active_form": form_name, "active_trajectory": trajectory.pk}
    )
    return render(request, "cases/dossier.html", context, status=400)


@login_required
@require_POST
def period_change(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    user = _user(request)
    return _dossier_action(
        request,
        trajectory_id,
        PeriodChangeForm(request.POST),
        "period_form",
        lambda t, d: services.period_change(user=user, trajectory=t, date=d["date"], phase=d["phase"], role=d["role"]),
        _("Fase en rol gewijzigd."),
    )


@login_required
@require_POST
def outcome_create(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    user = _user(request)
    return _dossier_action(
        request,
        trajectory_id,
        OutcomeForm(request.POST),
        "outcome_form",
        lambda t, d: services.outcome_register(
            user=user, trajectory=t, date=d["date"], outcome=d["outcome"], note=d["note"]
        ),
        _("Resultaat vastgelegd."),
    )


@login_required
@require_POST
def handover(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    user = _user(request)
    return _dossier_action(
        request,
        trajectory_id,
        HandoverForm(request.POST, workers=selectors.handover_candidates_for(user)),
        "handover_form",
        lambda t, d: services.trajectory_hand_over(user=user, trajectory=t, **d),
        _("Jongere overgedragen (warme overdracht vastgelegd)."),
    )


@login_required
@require_POST
def next_action(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    user = _user(request)
    return _dossier_action(
        request,
        trajectory_id,
        NextActionForm(request.POST),
        "next_action_form",
        lambda t, d: services.trajectory_next_action_set(
            user=user, trajectory=t, action=d["next_action"], on=d["next_action_on"]
        ),
        _("Volgende actie opgeslagen."),
    )


@login_required
@require_POST
def youth_profile(request: HttpRequest, youth_id: int) -> HttpResponse:
    """The profile form of the dossier: the fields as they are, and a new complexity from a day on
    (only when it differs from today's). One transaction: nothing is half saved."""
    user = _require(request, Capability.WRITE_CASE_DATA)
    youth = selectors.youths_visible_to(user).filter(pk=youth_id).first()
    if youth is None:
        raise Http404
    form = _profile_form(user, youth, request.POST)
    if form.is_valid():
        try:
            services.youth_profile_save(
                user=user,
                youth=youth,
                data=form.profile_data(),
                complexity=form.cleaned_data["complexity"],
                complexity_from=form.cleaned_data["complexity_from"] or timezone.localdate(),
            )
        except ApplicationError as error:
            form_errors_from(form, error, summary=False, field_for_path={"valid_from": "complexity_from"}.get)
        else:
            messages.success(request, _("Profiel opgeslagen."))
            return redirect("cases:youth_dossier", youth_id=youth.pk)
    messages.error(request, _("Niet opgeslagen: controleer de invoer."))
    context = _dossier_context(request, youth.pk, profile_form=form, active_form="profile_form")
    return render(request, "cases/dossier.html", context, status=400)


@login_required
@require_POST
def pause(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    user = _user(request)
    return _dossier_action(
        request,
        trajectory_id,
        DateForm(request.POST),
        "date_form",
        lambda t, d: services.trajectory_pause(user=user, trajectory=t, date=d["date"]),
        _("Traject op time-out gezet."),
    )


@login_required
@require_POST
def resume(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    user = _user(request)
    return _dossier_action(
        request,
        trajectory_id,
        ResumeForm(request.POST),
        "resume_form",
        lambda t, d: services.trajectory_resume(
            user=user, trajectory=t, date=d["date"], phase=d["phase"], role=d["role"]
        ),
        _("Traject hervat."),
    )


@login_required
@require_POST
def close(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    user = _user(request)
    return _dossier_action(
        request,
        trajectory_id,
        DateForm(request.POST),
        "close_form",
        lambda t, d: services.trajectory_close(user=user, trajectory=t, date=d["date"]),
        _("Traject afgesloten."),
    )


@login_required
@require_POST
def working_elements(request: HttpRequest, trajectory_id: int) -> HttpResponse:
    user = _user(request)
    form = WorkingElementsForm(request.POST, names=selectors.working_element_names_for(user))
    return _dossier_action(
        request,
        trajectory_id,
        form,
        "working_elements_form",
        lambda t, d: services.trajectory_working_elements_set(user=user, trajectory=t, names=d["working_elements"]),
        _("Werkzame elementen opgeslagen."),
    )


@login_required
@require_POST
def follow_up_answer(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    user = _require(request, Capability.WRITE_CASE_DATA)
    follow_up = selectors.follow_ups_visible_to(user).filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    form = FollowUpAnswerForm(request.POST)
    if form.is_valid():
        services.follow_up_answer(
            user=user, follow_up=follow_up, answer=form.cleaned_data["answer"], answered_on=timezone.localdate()
        )
        messages.success(request, _("Duurzaamheidscheck beantwoord."))
    else:
        messages.error(request, _("Kies een antwoord: nog aan het werk of op school, niet meer, of onbekend."))
    # From Mijn caseload the answer goes back there (its table only, for HTMX); else to the dossier.
    dossier = reverse("cases:youth_dossier", kwargs={"youth_id": follow_up.outcome.trajectory.youth_id})
    if _is_htmx(request) and request.POST.get("next_htmx"):
        return redirect(_safe_next(request, dossier, "next_htmx"))
    return redirect(_safe_next(request, dossier))


@login_required
@require_POST
def trajectory_start(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _require(request, Capability.WRITE_CASE_DATA)
    youth = selectors.youths_visible_to(user).filter(pk=youth_id).first()
    if youth is None:
        raise Http404
    form = TrajectoryStartForm(
        request.POST,
        approaches=selectors.approaches_visible_to(user),
        workers=selectors.trajectory_worker_choices_for(user),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.trajectory_start(
                user=user,
                youth=youth,
                approach=data["approach"],
                worker=data["worker"],
                start_date=data["start_date"],
                phase=data["phase"],
                role=data["role"],
                funding_source=data["funding_source"],
            )
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Traject gestart."))
            return redirect("cases:youth_dossier", youth_id=youth.pk)
    messages.error(request, _("Niet opgeslagen: controleer de invoer."))
    context = _dossier_context(request, youth.pk, start_form=form, active_form="start_form")
    return render(request, "cases/dossier.html", context, status=400)


@login_required
def intake_queue(request: HttpRequest) -> HttpResponse:
    user = _require(request, Capability.SEE_CASE_CONTENTS)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.intake_queue(user=user, on=timezone.localdate(), query=query), LIST_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    entries = list(page.object_list)
    audit_list(request, [youth for youth, _days in entries], "Intake")
    return render(request, "cases/intake_queue.html", {"entries": entries, "page": page, "q": query})


@login_required
@require_POST
def youth_pick_up(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _require(request, Capability.WRITE_CASE_DATA)
    youth = selectors.youths_visible_to(user).filter(pk=youth_id).first()
    if youth is None:
        raise Http404
    try:
        services.youth_pick_up(user=user, youth=youth, date=timezone.localdate())
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Opgepakt: start nu een traject voor %(name)s.") % {"name": youth.display_name})
    return redirect("cases:youth_dossier", youth_id=youth.pk)


@login_required
def youth_register(request: HttpRequest) -> HttpResponse:
    user = _require(request, Capability.REGISTER_YOUTH)
    target_groups = selectors.target_groups_for(user)
    form = YouthRegisterForm(request.POST or None, target_groups=target_groups)
    known = None
    if request.method == "POST" and form.is_valid() and user.organisation_id is not None:
        try:
            registration = services.youth_registration(
                user=user, data=form.youth_data(), confirm_new=form.cleaned_data["confirm_new"]
            )
        except services.YouthAlreadyKnown as already_known:
            if already_known.same_key:
                form_errors_from(form, already_known, summary=False)
            return render(
                request,
                "cases/youth_register.html",
                {"form": form, "known": already_known.known},
                status=400 if already_known.same_key else 200,
            )
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Jongere geregistreerd."))
            return redirect("cases:youth_dossier", youth_id=registration.youth.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/youth_register.html", {"form": form, "known": known}, status=status)
