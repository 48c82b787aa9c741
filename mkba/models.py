"""MKBA parameter sets (kengetallen) and the ten reference approaches of the source study (SPEC §2, §4, §6).

A parameter set is versioned data: a row is never changed after it is saved. Editing makes a new
row with the next version (``mkba.services.parameter_set_version_create``), so a report can name
exactly the version it used. Sets without an organisation are shared by every organisation (the
shipped, indicative default set); an organisation edits a shared set by making its own next
version of it.

``Report`` (SPEC §5) is a stored, immutable report made by a background job (mkba.tasks), once per
(kind, scope, period, parameter-set version); it points at ``ParameterSet`` with ``on_delete=PROTECT``.
"""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, Team
from mkba import calculations

# The name of the shipped default set (mkba/data/default_parameters.json, loaded by the data
# migration 0003). An organisation's own next version of it keeps the name, and is then that
# organisation's default (see mkba.selectors.parameter_set_for_approach).
DEFAULT_PARAMETER_SET_NAME = "Indicatieve standaardkengetallen (afgeleid uit de tien referentieaanpakken)"


class BenefitLine(models.TextChoices):
    """The benefit lines of SPEC §4 with the source study's Dutch labels (cost lines: cases.models.CostLine)."""

    TAAKVERLICHTING = "taakverlichting", _("1. Taakverlichting reguliere ondersteuning/begeleiding")
    WERK = "werk", _("2. Meer aan het werk")
    STARTKWALIFICATIES = "startkwalificaties", _("3. Meer startkwalificaties")
    ZORGKOSTEN = "zorgkosten", _("4. Minder maatschappelijke (zorg)kosten")
    KWALITEIT_VAN_LEVEN = "kwaliteit_van_leven", _("5. Toename kwaliteit van leven")
    CRIMINALITEIT_OVERLAST = "criminaliteit_overlast", _("6. Voorkomen criminaliteit & overlast")


# The outcome in the break-even sentence: "bij een netto-effect van 3,2% op werk ...".
OUTCOME_PHRASES = {
    "work": _("werk"),
    "work_subsidised": _("gesubsidieerd werk"),
    "school": _("school"),
    "startkwalificatie": _("startkwalificaties"),
    "certificate": _("praktijkverklaringen"),
    "daytime_activity": _("dagbesteding"),
    "volunteering": _("vrijwilligerswerk"),
    "care": _("zorgtrajecten"),
    "benefit_start": _("start van een uitkering"),
    "benefit_end": _("einde van een uitkering"),
    "prevented_escalation": _("voorkomen escalatie"),
    "stabilised": _("stabilisatie"),
    "out_of_sight": _("uit beeld"),
    "moved": _("verhuizing"),
}

# The engine's reasons for a null figure (calculations.REASON_*, in ``ratio_notes``), in Dutch.
NULL_REASONS = {
    calculations.REASON_NO_COSTS: _("de totale kosten zijn 0, dus er is geen noemer"),
    calculations.REASON_NO_GEMEENTE_COSTS: _("de gemeente draagt geen kosten, dus er is geen noemer"),
    calculations.REASON_NO_PARTICIPANTS: _("het cohort heeft geen deelnemers (N = 0)"),
    calculations.REASON_NO_MAIN_VALUE: _("de hoofduitkomst heeft geen waardestromen"),
    calculations.REASON_SCENARIO_NO_SPLIT: _(
        "scenariomodus: de verdeling van de baten over belanghebbenden is niet bekend"
    ),
    calculations.REASON_SCENARIO_NO_EFFECTS: _("scenariomodus: er zijn geen effecten om te variëren"),
}


class ImmutableRecordError(Exception):
    """Raised when code tries to change a saved parameter set instead of making a new version."""


class ParameterSet(models.Model):
    """One version of a set of MKBA parameters (kengetallen, SPEC §4).

    ``data`` holds the parameter-set JSON of SPEC §6 (``hourly_rate`` ... ``outcomes``, with the
    optional ranges and source notes the engine accepts), without ``name``, ``version`` and
    ``notes``: those are columns, and the columns are the authority (the export puts them back).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parameter_sets",
        verbose_name=_("organisatie"),
        help_text=_("Leeg: een gedeelde set voor alle organisaties, zoals de meegeleverde standaardset."),
    )
    name = models.CharField(_("naam"), max_length=200)
    version = models.PositiveIntegerField(_("versie"))
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_versions",
        verbose_name=_("gebaseerd op"),
    )
    data = models.JSONField(_("kengetallen (JSON)"))
    notes = models.TextField(_("toelichting"), blank=True)
    is_indicative = models.BooleanField(
        _("indicatief"), default=False, help_text=_("Afgeleide of aangenomen waarden, geen gemeten kengetallen.")
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )

    class Meta:
        verbose_name = _("kengetallenset")
        verbose_name_plural = _("kengetallensets")
        ordering = ["name", "-version"]
        constraints = [
            # (organisation, name, version) unique; NULL organisations are not distinct from each
            # other in SQL unique indexes, hence a second, partial constraint for shared sets.
            models.UniqueConstraint(
                fields=["organisation", "name", "version"],
                condition=Q(organisation__isnull=False),
                name="parameter_set_unique_version_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["name", "version"],
                condition=Q(organisation__isnull=True),
                name="parameter_set_unique_version_shared",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="parameter_set_version_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Versioned data: a saved version is never changed (a report names it). This guards the
        # invariant; making a new version is mkba.services.parameter_set_version_create.
        if not self._state.adding:
            raise ImmutableRecordError(
                f"parameter set {self.pk} is immutable: make a new version with parameter_set_version_create"
            )
        super().save(*args, **kwargs)

    @property
    def is_shared(self) -> bool:
        return self.organisation_id is None


class ReferenceApproach(models.Model):
    """One of the ten reference approaches of the meta-analysis, per participant as printed in its
    factsheet (loaded by the data migration 0002 from mkba/data/reference_approaches.json)."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    type = models.CharField(_("soort aanpak"), max_length=100)
    target_group = models.CharField(_("doelgroep"), max_length=200)
    model = models.CharField(_("model"), max_length=20, help_text=_("VSV of Werk"))
    participants = models.PositiveIntegerField(_("deelnemers"), null=True, blank=True)
    participants_note = models.CharField(_("toelichting deelnemers"), max_length=300, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    # {line: euro per participant}, keys as the cost and benefit lines of SPEC §4.
    costs = models.JSONField(_("kosten per deelnemer"))
    benefits = models.JSONField(_("baten per deelnemer"))
    total_costs = models.DecimalField(_("totale kosten per deelnemer (gedrukt)"), max_digits=10, decimal_places=2)
    total_benefits = models.DecimalField(_("totale baten per deelnemer (gedrukt)"), max_digits=10, decimal_places=2)
    balance = models.DecimalField(_("saldo per deelnemer (gedrukt)"), max_digits=10, decimal_places=2)
    social_ratio = models.DecimalField(_("maatschappelijke KB-verhouding"), max_digits=5, decimal_places=2)
    financial_ratio = models.DecimalField(_("financiële KB-verhouding"), max_digits=5, decimal_places=2)
    municipal_ratio = models.DecimalField(_("gemeentelijke KB-verhouding"), max_digits=5, decimal_places=2)
    # {line: share}; lines not listed take the default (kwaliteit_van_leven 1.0, others 0).
    # Approach 10 also counts part of criminaliteit_overlast as immaterial.
    immaterial_shares = models.JSONField(_("immaterieel aandeel per batenregel"), default=dict, blank=True)
    printed_rounding = models.JSONField(_("afronding in de bron"), default=dict, blank=True)
    facts = models.JSONField(_("kengetallen uit de factsheet"), default=dict, blank=True)
    notes = models.JSONField(_("opmerkingen"), default=list, blank=True)

    class Meta:
        verbose_name = _("referentieaanpak")
        verbose_name_plural = _("referentieaanpakken")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=10), name="reference_approach_number_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(total_costs__gte=Decimal("0")), name="reference_approach_costs_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


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
      Only ``mkba.services`` writes reports, with conditional updates, never ``save()`` on a done one.
    """

    class Kind(models.TextChoices):
        CASELOAD_MONTHLY = "caseload_monthly", _("Caseloadrapport per maand")
        MKBA_QUARTERLY = "mkba_quarterly", _("MKBA-rapport per kwartaal")
        MKBA_YEARLY = "mkba_yearly", _("MKBA-rapport per jaar")
        MKBA_ON_DEMAND = "mkba_on_demand", _("MKBA-rapport op verzoek")

    class Status(models.TextChoices):
        PENDING = "pending", _("in de wachtrij")
        RUNNING = "running", _("wordt gemaakt")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    MKBA_KINDS = frozenset({Kind.MKBA_QUARTERLY, Kind.MKBA_YEARLY, Kind.MKBA_ON_DEMAND})

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
        ordering = ["-created_at", "-pk"]
        constraints = [
            # SPEC §5: once per (kind, scope, period, parameter version). The backstop of
            # mkba.services.report_request's get-or-create against concurrent requests.
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
    def is_mkba(self) -> bool:
        return self.kind in self.MKBA_KINDS
