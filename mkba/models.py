"""MKBA parameter sets (kengetallen) and the ten reference approaches of the source study (SPEC §2, §4, §6).

A parameter set is versioned data: a row is never changed after it is saved. Editing makes a new
row with the next version (``mkba.services.parameter_set_version_create``), so a report can name
exactly the version it used. Sets without an organisation are shared by every organisation (the
shipped, indicative default set); an organisation edits a shared set by making its own next
version of it. The stored reports (``reports.models.Report``, SPEC §5) point at a version with
``on_delete=PROTECT``.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Organisation
from mkba import calculations, uncertainty

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
    uncertainty.REASON_NO_COSTS: _("de totale kosten zijn 0, dus er is geen verhouding om door te rekenen"),
    uncertainty.REASON_SCENARIO: _(
        "scenariomodus: de kosten en baten staan per deelnemer vast, er zijn geen bandbreedtes om te variëren"
    ),
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


class OwnScenario(models.Model):
    """One version of an organisation's own ex-ante scenario (issue 17, item 6): per-participant
    cost and benefit rows per stakeholder for an approach being planned, times the planned number
    of participants (SPEC §4, scenario mode).

    Versioned like a parameter set: a row is never changed after it is saved; a change makes the
    next version of the same name (``mkba.services.own_scenario_version_create``), so an ex-ante
    case once shown can be read again as it was. ``lines`` holds the rows
    (``mkba.own_scenarios``: ``[{kind, line, stakeholder, amount, low, high}]``, numbers as text).
    ``printed_totals`` are a reference approach's printed totals per participant, kept while the
    rows are that reference's own, so its figures are reproduced as printed.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="own_scenarios", verbose_name=_("organisatie")
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
    description = models.TextField(_("omschrijving"), blank=True)
    approach = models.ForeignKey(
        "cases.Approach",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_scenarios",
        verbose_name=_("aanpak"),
        help_text=_("De aanpak waarvoor dit scenario een plan is (leeg: nog geen aanpak)."),
    )
    participants = models.PositiveIntegerField(_("deelnemers"))
    lines = models.JSONField(_("kosten- en batenregels per deelnemer"))
    immaterial_shares = models.JSONField(_("immaterieel aandeel per batenregel"), default=dict, blank=True)
    printed_totals = models.JSONField(_("gedrukte totalen per deelnemer"), default=dict, blank=True)
    source = models.CharField(_("gestart vanuit"), max_length=300, blank=True)
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
        verbose_name = _("eigen scenario")
        verbose_name_plural = _("eigen scenario's")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="own_scenario_unique_version_per_organisation"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="own_scenario_version_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Versioned data, as ParameterSet.save: a saved version is never changed.
        if not self._state.adding:
            raise ImmutableRecordError(
                f"own scenario {self.pk} is immutable: make a new version with own_scenario_version_create"
            )
        super().save(*args, **kwargs)
