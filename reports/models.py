"""Stored reports (SPEC §5): made once per (kind, scope, period, parameter-set version) by a
background job (reports.tasks), immutable once done. Only reports.services writes reports.

What a kind of report computes and shows is declared by the app that owns it (caseload, mkba) in
core.report_kinds; ``Report.Kind`` stays the stored vocabulary (tests/reports/test_kinds.py ties
the two together).
"""

import datetime
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core import report_kinds
from core.models import Organisation, Team
from mkba.models import ParameterSet

# A report without a measurement date (caseload) or without parameters takes these in its unique
# key, so the database constraint needs no NULL semantics (NULLs are distinct in a unique index).
NO_MEASUREMENT_DATE = datetime.date(1, 1, 1)
NO_PARAMETER_SET = 0


class Report(models.Model):
    """A stored report (SPEC §5): made once per (kind, scope, period, parameter-set version) by a
    background job, immutable once done, with a fingerprint of its inputs.

    - ``scope_key`` says what it covers, deterministically: ``approach:12``, ``approach:12/team:3``
      (MKBA) or ``team:3`` (caseload).
    - The period is ``[period_start, period_end)``; MKBA reports measure outcomes up to
      ``measured_at``; caseload reports have none.
    - ``parameter_set`` is the exact version used (a version is never changed), ``parameter_version``
      its number for display (0 without parameters). The unique key takes the set itself, so two
      sets that both have a version 1 do not share a report.
    - ``status`` pending -> running -> done, or failed (with ``error``; a retry runs it again).
      Only ``reports.services`` writes reports, with conditional updates, never ``save()`` on a done one.
    """

    class Kind(models.TextChoices):
        CASELOAD_MONTHLY = "caseload_monthly", _("Caseloadrapport per maand")
        MKBA_QUARTERLY = "mkba_quarterly", _("MKBA-rapport per kwartaal")
        MKBA_YEARLY = "mkba_yearly", _("MKBA-rapport per jaar")
        MKBA_ON_DEMAND = "mkba_on_demand", _("MKBA-rapport op verzoek")
        RESULT_INDICATORS = "result_indicators", _("Resultaatindicatoren")
        VCV = "vcv", _("VCV-verantwoording")
        FIRST_CONTACT = "first_contact", _("Tijd tot eerste contact")
        WORKING_ELEMENTS = "working_elements", _("Werkzame elementen")
        MONITOR = "monitor", _("Monitor")

    class Status(models.TextChoices):
        PENDING = "pending", _("in de wachtrij")
        RUNNING = "running", _("wordt gemaakt")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reports", verbose_name=_("organisatie")
    )
    approach = models.ForeignKey(
        "cases.Approach",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("aanpak"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("team")
    )
    scope_key = models.CharField(_("reikwijdte"), max_length=100)
    period_start = models.DateField(_("periode vanaf"))
    period_end = models.DateField(_("periode tot (exclusief)"))
    measured_at = models.DateField(_("meetdatum"), null=True, blank=True)
    parameter_set = models.ForeignKey(
        ParameterSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("kengetallen"),
    )
    parameter_version = models.PositiveIntegerField(_("versie kengetallen"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    progress_text = models.CharField(_("stap"), max_length=200, blank=True)
    # The result JSON as text: PostgreSQL's jsonb would sort the keys, and the contract's order
    # (and so the page's, the CSV's and the API's) is the order the service made them in.
    result_json = models.TextField(_("resultaat (JSON)"), blank=True, editable=False)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    fingerprint = models.CharField(_("vingerafdruk van de invoer"), max_length=64, blank=True)
    error = models.TextField(_("fout"), blank=True)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_reports",
        verbose_name=_("aangevraagd door"),
    )
    made_by = models.CharField(
        _("aanleiding"), max_length=200, help_text=_("schedule:<naam>, demand:<gebruiker> of api:<gebruiker>")
    )
    task_id = models.CharField(_("taak-id"), max_length=64, blank=True)
    worker_hostname = models.CharField(_("gemaakt op"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporten")
        db_table = "mkba_report"  # the table kept its name when the model moved here from mkba (issue 13)
        ordering = ["-created_at", "-pk"]
        constraints = [
            # SPEC §5: once per (kind, scope, period, parameter version). The backstop of
            # reports.services.report_request's get-or-create against concurrent requests.
            models.UniqueConstraint(
                F("kind"),
                F("scope_key"),
                F("period_start"),
                F("period_end"),
                Coalesce(F("measured_at"), Value(NO_MEASUREMENT_DATE), output_field=models.DateField()),
                Coalesce(F("parameter_set"), Value(NO_PARAMETER_SET), output_field=models.BigIntegerField()),
                name="report_once_per_kind_scope_period_parameters",
            ),
            models.CheckConstraint(condition=Q(period_start__lt=F("period_end")), name="report_period_not_empty"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(result_json=""), name="report_done_has_a_result"),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="report_organisation_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scope_key} {self.period_start}–{self.period_end}"

    @property
    def result(self) -> dict[str, Any] | None:
        """The stored result JSON (SPEC §4 for MKBA reports, §3 for caseload reports), in its order."""
        return json.loads(self.result_json) if self.result_json else None

    @property
    def period_last_day(self) -> datetime.date:
        """The last day the report covers (``period_end`` is exclusive): what a reader says."""
        return self.period_end - datetime.timedelta(days=1)

    @property
    def kind_spec(self) -> report_kinds.ReportKind:
        """What the kind declares (core.report_kinds): how it is checked, computed and shown."""
        return report_kinds.kind_get(self.kind)
