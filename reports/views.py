"""The pages of the stored reports (SPEC §5, Dutch, under "Rendement"): the list with a form that
asks for an MKBA report, the report as a page with a progress bar while its job runs, PDF and CSV.

Thin: a form, a selector or service call, a template. Access: ``core.access`` decides (reading
reports needs SEE_AGGREGATES, as the API's ``CanReadMkba`` and the menu ask); a report outside
the organisation (or, for a team lead, of another team) is a 404 from the selectors.
"""

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core import access
from core.access import Capability
from core.exceptions import ApplicationError
from core.forms import form_errors_from
from core.models import Organisation, User
from core.spreadsheets import XLSX_CONTENT_TYPE
from mkba import reports as mkba_reports
from mkba import selectors as mkba_selectors
from mkba.forms import MkbaReportForm
from mkba.presentation import scenario_comparison_presentation
from reports import documents, schedules, selectors, services
from reports.forms import AccountabilityReportForm
from reports.models import Report


def _reader(request: HttpRequest) -> User:
    return cast(User, access.require(request.user, Capability.SEE_AGGREGATES))


def _organisation(user: User) -> Organisation:
    if user.organisation is None:  # _reader lets only users with an organisation through
        raise PermissionDenied
    return user.organisation


REPORTS_PER_PAGE = 50


def _report(user: User, report_id: int) -> Report:
    report = selectors.reports_visible_to(user).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def _report_filename(report: Report, extension: str) -> str:
    scope = slugify(report.approach.name if report.approach else report.team.name if report.team else "")[:50]
    return f"rapport-{report.pk}-{scope}-{report.period_start:%Y%m%d}.{extension}"


def _request(
    request: HttpRequest, form: MkbaReportForm | AccountabilityReportForm, user: User, kind: str | None = None
) -> HttpResponse | None:
    """Ask for the report of a valid form (of ``kind``, or the one the form names); its page (with
    the progress bar), or None with the service's errors put on the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    kind = kind or data["kind"]
    try:
        report, created = services.report_request(
            kind=kind,
            organisation=_organisation(user),
            approach=data["approach"],
            team=data["team"],
            period_start=data["date_from"],
            period_end=data["date_to"],
            measured_at=data["measured_at"],
            parameter_set=data.get("parameter_set"),
            requested_by=user,
            made_by=f"demand:{user.username}",
        )
    except ApplicationError as error:
        form_errors_from(form, error, unplaced="return", summary=False)
        return None
    if not created:
        messages.info(request, _("Dit rapport bestond al (zelfde soort, periode, meetdatum en kengetallen)."))
    return redirect("mkba:report_detail", report_id=report.pk)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """/rendement/rapporten/: the stored reports the user may see, newest first, and two forms that
    ask for a report (an MKBA report, or an accountability report of SPEC.md 4b), made by a
    background job; the page of the report shows its progress."""
    user = _reader(request)
    form = MkbaReportForm(user=user)
    accountability_form = AccountabilityReportForm(user=user)
    if request.method == "POST":
        if "verantwoording-kind" in request.POST:
            accountability_form = AccountabilityReportForm(request.POST, user=user)
            answer = _request(request, accountability_form, user)
        else:
            form = MkbaReportForm(request.POST, user=user)
            answer = _request(request, form, user, mkba_reports.ON_DEMAND.value)
        if answer is not None:
            return answer
    page = Paginator(selectors.report_list_for(user), REPORTS_PER_PAGE).get_page(request.GET.get("pagina"))
    for report in page.object_list:  # who asked, in words (reports/partials/made_by.html)
        report.made_by_words = documents.made_by_parts(report.made_by)  # type: ignore[attr-defined]
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "accountability_form": accountability_form, "page": page, "reports": page.object_list},
        status=400 if form.errors or accountability_form.errors else 200,
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """/rendement/rapporten/<id>/: while the job runs a progress bar (polling ``report_progress``),
    when done the report with its charts and the PDF and CSV downloads, when failed its error."""
    user = _reader(request)
    report = _report(user, report_id)
    context = documents.report_context(report)
    return render(request, "reports/report_detail.html", context)


@login_required
def report_progress(request: HttpRequest, report_id: int) -> HttpResponse:
    """The progress bar (an HTMX partial, polled every second). When the report is done it answers
    with ``HX-Redirect`` to the report's page, so the report opens."""
    user = _reader(request)
    report = _report(user, report_id)
    if report.status == Report.Status.DONE:
        response = HttpResponse(status=200)
        response["HX-Redirect"] = reverse("mkba:report_detail", args=[report.pk])
        return response
    return render(request, "reports/partials/report_progress.html", {"report": report})


@login_required
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The PDF the job made (the page printed, charts included)."""
    user = _reader(request)
    report = _report(user, report_id)
    if report.status != Report.Status.DONE:
        raise Http404
    pdf = selectors.report_pdf_bytes(report) or documents.report_pdf(report)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_report_filename(report, "pdf")}"'
    return response


@login_required
def report_csv(request: HttpRequest, report_id: int) -> HttpResponse:
    """The figures of a report as CSV: one row per figure (section, key, value)."""
    user = _reader(request)
    report = _report(user, report_id)
    if report.status != Report.Status.DONE or report.result is None:
        raise Http404
    figures = documents.report_csv(report.result, list_item_keys=report.kind_spec.csv_list_item_keys)
    response = HttpResponse(figures, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_report_filename(report, "csv")}"'
    return response


@login_required
def report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report as an Excel workbook with Dutch headings, the download a policy officer opens."""
    user = _reader(request)
    report = _report(user, report_id)
    if report.status != Report.Status.DONE or report.result is None:
        raise Http404
    response = HttpResponse(documents.report_xlsx(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_report_filename(report, "xlsx")}"'
    return response


# --- the schedules page: when the background jobs run (SPEC §5), for the beheerder ---------------------


def _configurer(request: HttpRequest) -> User:
    """Who may change the schedules, which hold for every organisation of the installation: an
    operator, or the beheerder of the only organisation (core.access decides)."""
    if not access.may_change_schedules(request.user):
        raise PermissionDenied
    return cast(User, request.user)


_day_out_of_range = lazy(schedules.schedule_error_message, str)(schedules.ScheduleErrorCode.DAY_OUT_OF_RANGE)


class ScheduleForm(forms.Form):
    """One schedule's day of the month, time of day and on/off; only the parts the schedule holds
    one fixed value of (see reports.schedules.ScheduleRow). Here rather than in reports/forms.py
    because it belongs to this page alone. The ranges are the service's; the browser gets them as
    min/max, the service checks them again."""

    day_of_month = forms.IntegerField(
        label=gettext_lazy("Dag"),
        min_value=1,
        max_value=schedules.LAST_DAY_OF_MONTH,
        widget=forms.NumberInput(
            attrs={
                "title": format_lazy(
                    gettext_lazy("Dag van de maand (1 tot en met {last})"), last=schedules.LAST_DAY_OF_MONTH
                )
            }
        ),
        error_messages={
            "required": gettext_lazy("Vul een dag in."),
            "invalid": gettext_lazy("Vul een dag in als getal."),
            "min_value": _day_out_of_range,
            "max_value": _day_out_of_range,
        },
    )
    time = forms.TimeField(
        label=gettext_lazy("Tijd"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        error_messages={
            "required": gettext_lazy("Vul een tijd in."),
            "invalid": gettext_lazy("Vul een tijd in als uu:mm, bijvoorbeeld 06:30."),
        },
    )
    enabled = forms.BooleanField(label=gettext_lazy("Aan"), required=False)

    def __init__(self, *args: Any, row: schedules.ScheduleRow, **kwargs: Any) -> None:
        initial: dict[str, Any] = {"enabled": row.enabled, "day_of_month": row.day_of_month}
        if row.hour is not None and row.minute is not None:
            initial["time"] = datetime.time(row.hour, row.minute)
        kwargs.update(initial=initial, auto_id=f"id_schedule_{row.pk}_%s")
        super().__init__(*args, **kwargs)
        if row.day_of_month is None:
            del self.fields["day_of_month"]
        if not row.time_adjustable:
            del self.fields["time"]


def _schedule_page(
    request: HttpRequest, rows: list[schedules.ScheduleRow], bound: ScheduleForm | None = None, row_id: int = 0
) -> HttpResponse:
    entries = [(row, bound if bound is not None and row.pk == row_id else ScheduleForm(row=row)) for row in rows]
    return render(request, "reports/schedule_list.html", {"entries": entries}, status=400 if bound is not None else 200)


@login_required
@require_GET
def schedule_list(request: HttpRequest) -> HttpResponse:
    """/instellingen/planning/: every periodic task, when it runs in words, when it last ran, on or
    off, with a form per task and a button that puts the defaults back."""
    _configurer(request)
    return _schedule_page(request, schedules.schedules_for_page())


@login_required
@require_POST
def schedule_change(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """A schedule's new day, time and on/off: saved and back to the list, or the list with the
    errors on the task's form (400) and nothing written."""
    user = _configurer(request)
    rows = schedules.schedules_for_page()
    row = next((row for row in rows if row.pk == schedule_id), None)
    if row is None:
        raise Http404
    form = ScheduleForm(request.POST, row=row)
    if form.is_valid():
        data = form.cleaned_data
        time: datetime.time | None = data.get("time")
        try:
            changed = schedules.schedule_change(
                periodic_task_id=row.pk,
                enabled=data["enabled"],
                day_of_month=data.get("day_of_month"),
                hour=time.hour if time is not None else None,
                minute=time.minute if time is not None else None,
                user=user,
            )
        except ApplicationError as error:
            form_errors_from(form, error, field_for_path=lambda key: "time" if key in ("hour", "minute") else None)
        else:
            state = _("aan") if changed.enabled else _("uit")
            messages.success(
                request,
                _("Opgeslagen: %(name)s draait %(when)s (%(state)s).")
                % {"name": changed.name, "when": changed.when, "state": state},
            )
            return redirect("mkba:schedule_list")
    return _schedule_page(request, rows, form, row.pk)


@login_required
@require_POST
def schedule_reset(request: HttpRequest) -> HttpResponse:
    """Put the default schedules back (``schedules_install --reset``)."""
    user = _configurer(request)
    schedules.schedules_reset(user=user)
    messages.success(
        request, _("De standaardplanning is teruggezet: de vaste tijden, en elke standaardtaak staat aan.")
    )
    return redirect("mkba:schedule_list")


# --- An own scenario beside a stored report (issue 17, item 6) -------------------------------------


@login_required
@require_GET
def own_scenario_compare(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """/rendement/eigen-scenarios/<id>/vergelijken/?rapport=<id>: an own scenario (ex ante) beside
    a finished MKBA report of its approach (ex post), line by line per participant. Here and not
    in mkba, because the stored reports are this app's (mkba does not import it)."""
    user = _reader(request)
    scenario = mkba_selectors.own_scenarios_visible_to(user).filter(pk=scenario_id).first()
    if scenario is None:
        raise Http404
    # The choice lists the reports without their result documents; only the chosen one is read whole.
    found = selectors.mkba_reports_for_scenario(user, scenario.approach_id)
    reports = list(found.defer("result_json"))
    chosen_pk = reports[0].pk if reports else None
    wanted = request.GET.get("rapport", "")
    if wanted.isdigit():
        chosen_pk = next((report.pk for report in reports if report.pk == int(wanted)), None)
        if chosen_pk is None:
            raise Http404
    chosen = found.filter(pk=chosen_pk).first() if chosen_pk is not None else None
    comparison = None
    if chosen is not None and chosen.result is not None:
        comparison = scenario_comparison_presentation(mkba_selectors.own_scenario_comparison(scenario, chosen.result))
    return render(
        request,
        "mkba/own_scenario_compare.html",
        {"scenario": scenario, "reports": reports, "chosen": chosen, "comparison": comparison},
    )
