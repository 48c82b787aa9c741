"""Youths, approaches, trajectories with their periods, time entries, outcomes and cost items (SPEC §2).

Overlap rules that a CHECK cannot express (no overlapping periods on one trajectory, a youth never
twice at once in one approach) are enforced in the database by the migration
`0003_overlap_constraints`: an exclusion constraint on PostgreSQL, triggers on SQLite.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import FundingSource, Organisation, TimeStampedModel, Worker


class Phase(models.TextChoices):
    AANMELDING = "aanmelding", _("Aanmelding")
    INTAKE = "intake", _("Intake")
    BEGELEIDING = "begeleiding", _("Begeleiding")
    TRAJECT_ELDERS = "traject elders", _("Traject elders")
    NAZORG = "nazorg", _("Nazorg")
    TIME_OUT = "time-out", _("Time-out")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


class Role(models.TextChoices):
    COACHING = "coaching", _("Coaching")
    UITVOERING = "uitvoering", _("Uitvoering")
    REGIE = "regie", _("Regie")
    MONITORING = "monitoring", _("Monitoring")


class Complexity(models.TextChoices):
    LICHT = "licht", _("Licht")
    MEERVOUDIG = "meervoudig", _("Meervoudig")
    COMPLEX = "complex", _("Complex")


class EducationLevel(models.TextChoices):
    VSO = "vso", "vso"
    PRO = "pro", "pro"
    VMBO_BASIS = "vmbo-basis", "vmbo-basis"
    VMBO_KADER = "vmbo-kader", "vmbo-kader"
    ENTREE = "entree", "entree"
    MBO_2 = "mbo-2", "mbo-2"
    MBO_3 = "mbo-3", "mbo-3"
    MBO_4 = "mbo-4", "mbo-4"
    HAVO = "havo", "havo"
    VWO = "vwo", "vwo"
    HBO = "hbo", "hbo"
    WO = "wo", "wo"
    NONE = "none", _("geen")


class Benefit(models.TextChoices):
    NONE = "none", _("Geen")
    BIJSTAND = "bijstand", _("Bijstand")
    WW = "ww", _("WW")
    WAJONG = "wajong", _("Wajong")
    OTHER = "other", _("Anders")


class ReferralRoute(models.TextChoices):
    DUO_RMC = "DUO/RMC-melding", _("DUO/RMC-melding")
    SCHOOL = "school", _("School")
    SELF = "self", _("Zelf")
    PARTNER = "partner", _("Partner")
    OUTREACH = "outreach", _("Outreach")
    BENEFIT_APPLICATION = "uitkeringsaanvraag", _("Uitkeringsaanvraag")


# Referral routes that put a youth in the intake queue as a melding (SPEC §7).
MELDING_ROUTES = frozenset({ReferralRoute.DUO_RMC.value, ReferralRoute.SCHOOL.value})


class LifeDomain(models.TextChoices):
    SCHULDEN = "schulden", _("Schulden")
    VERSLAVING = "verslaving", _("Verslaving")
    HUISVESTING = "huisvesting", _("Huisvesting")
    PSYCHISCH = "psychisch", _("Psychisch")
    JUSTITIE = "justitie", _("Justitie")
    GEZIN = "gezin", _("Gezin")
    GEZONDHEID = "gezondheid", _("Gezondheid")
    TAAL = "taal", _("Taal")


class TimeCategory(models.TextChoices):
    CLIENT_DIRECT = "client_direct", _("Cliënt direct")
    CLIENT_INDIRECT = "client_indirect", _("Cliënt indirect")
    OVERHEAD = "overhead", _("Overhead")


class OutcomeType(models.TextChoices):
    WORK = "work", _("Werk (regulier)")
    WORK_SUBSIDISED = "work_subsidised", _("Gesubsidieerd werk")
    SCHOOL = "school", _("School / opleiding")
    STARTKWALIFICATIE = "startkwalificatie", _("Startkwalificatie behaald")
    CERTIFICATE = "certificate", _("Praktijkverklaring")
    DAYTIME_ACTIVITY = "daytime_activity", _("Dagbesteding")
    VOLUNTEERING = "volunteering", _("Vrijwilligerswerk")
    CARE = "care", _("Naar zorgtraject")
    BENEFIT_START = "benefit_start", _("Start uitkering")
    BENEFIT_END = "benefit_end", _("Einde uitkering")
    PREVENTED_ESCALATION = "prevented_escalation", _("Escalatie voorkomen")
    STABILISED = "stabilised", _("Gestabiliseerd")
    OUT_OF_SIGHT = "out_of_sight", _("Uit beeld")
    MOVED = "moved", _("Verhuisd")
    IMPROVED_POSITION = "improved_position", _("Verbeterde arbeidsmarktpositie")


# What "verbeterde arbeidsmarktpositie" means (SPEC §2), shown beside the choice on forms.
IMPROVED_POSITION_EXPLANATION = _(
    "Verbeterde arbeidsmarktpositie: een vast in plaats van een tijdelijk contract, meer contracturen, "
    "een hoger loon, of werk zonder voorziening beschut werk."
)

# Outcomes after which durability follow-ups are planned (SPEC §4b).
FOLLOW_UP_OUTCOMES = frozenset(
    {
        OutcomeType.WORK.value,
        OutcomeType.WORK_SUBSIDISED.value,
        OutcomeType.IMPROVED_POSITION.value,
        OutcomeType.SCHOOL.value,
    }
)


class CostLine(models.TextChoices):
    BEGELEIDING = "begeleiding", _("1a. Kosten begeleiding")
    OVERIGE_INTERVENTIE = "overige_interventie", _("1b. Overige kosten interventie")
    LOON_VERGOEDINGEN = "loon_vergoedingen", _("1c. Kosten loon en vergoedingen")
    EXTRA_ZORG = "extra_zorg", _("2. Extra inzet van zorg of ondersteuning")
    EXTRA_ONDERWIJS = "extra_onderwijs", _("3. Kosten extra jaren onderwijs")


class TargetGroup(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="target_groups", verbose_name=_("organisatie")
    )
    name = models.CharField(_("naam"), max_length=200)
    vcv_eligible = models.BooleanField(
        _("telt mee voor de VCV"),
        default=False,
        help_text=_("Is geen enkele doelgroep aangevinkt, dan telt elke doelgroep mee."),
    )

    class Meta:
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="target_group_unique_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("gemeente (woonplaats)")
        verbose_name_plural = _("gemeenten (woonplaats)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkingElement(models.Model):
    """A werkzaam element an approach can use (vaste begeleider, maatwerk, ...), configurable (SPEC §7)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="working_elements", verbose_name=_("organisatie")
    )
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("werkzaam element")
        verbose_name_plural = _("werkzame elementen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="working_element_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Approach(TimeStampedModel):
    """An aanpak the organisation offers; may override the organisation's norms (SPEC §2, §3)."""

    class Type(models.TextChoices):
        INTENSIVE = "intensieve_begeleiding", _("Intensieve begeleiding")
        LEARN_WORK = "leer_werk_traject", _("Leer/werk-traject")
        INTEGRAL = "integrale_aanpak", _("Integrale aanpak")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="approaches", verbose_name=_("organisatie")
    )
    name = models.CharField(_("naam"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices, default=Type.INTENSIVE)
    reference_number = models.PositiveSmallIntegerField(
        _("referentie-aanpak (1-10)"),
        null=True,
        blank=True,
        help_text=_("De aanpak uit de meta-analyse waarop deze is gebaseerd."),
    )
    expected_duration_days = models.PositiveIntegerField(_("verwachte duur (dagen)"), default=182)
    norm_coaching_hours = models.DecimalField(_("norm coaching"), max_digits=6, decimal_places=1, null=True, blank=True)
    norm_uitvoering_hours = models.DecimalField(
        _("norm uitvoering"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    norm_regie_hours = models.DecimalField(_("norm regie"), max_digits=6, decimal_places=1, null=True, blank=True)
    norm_monitoring_hours = models.DecimalField(
        _("norm monitoring"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    working_elements = models.ManyToManyField(
        WorkingElement, blank=True, related_name="approaches", verbose_name=_("werkzame elementen")
    )
    parameter_set = models.ForeignKey(
        "mkba.ParameterSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approaches",
        verbose_name=_("MKBA-kengetallen"),
        help_text=_("Leeg: de standaardkengetallen van de organisatie."),
    )

    class Meta:
        verbose_name = _("aanpak")
        verbose_name_plural = _("aanpakken")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="approach_unique_name_per_organisation"),
            models.CheckConstraint(
                condition=Q(reference_number__isnull=True) | Q(reference_number__gte=1, reference_number__lte=10),
                name="approach_reference_number_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(expected_duration_days__gt=0), name="approach_expected_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NormChange(models.Model):
    """A norm adopted from a day on (issue 17, item 1), for the organisation or one approach.

    The caseload engine weighs a period's day ``d`` with the latest change on or before ``d`` (an
    approach's own change before the organisation's), and with the fixed norms of ``Organisation``
    and ``Approach`` before the first change: adopting a norm never rewrites the past. ``source``
    says where the figures come from (e.g. the calibration of which window)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="norm_changes", verbose_name=_("organisatie")
    )
    approach = models.ForeignKey(
        Approach,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="norm_changes",
        verbose_name=_("aanpak"),
        help_text=_("Leeg: de norm van de hele organisatie."),
    )
    valid_from = models.DateField(_("geldt vanaf"))
    norm_coaching_hours = models.DecimalField(_("norm coaching"), max_digits=6, decimal_places=1)
    norm_uitvoering_hours = models.DecimalField(_("norm uitvoering"), max_digits=6, decimal_places=1)
    norm_regie_hours = models.DecimalField(_("norm regie"), max_digits=6, decimal_places=1)
    norm_monitoring_hours = models.DecimalField(_("norm monitoring"), max_digits=6, decimal_places=1)
    source = models.CharField(_("bron"), max_length=300)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("vastgelegd door")
    )

    class Meta:
        verbose_name = _("vastgestelde norm")
        verbose_name_plural = _("vastgestelde normen")
        ordering = ["organisation", "valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"],
                condition=Q(approach__isnull=True),
                name="norm_change_one_per_organisation_day",
            ),
            models.UniqueConstraint(fields=["approach", "valid_from"], name="norm_change_one_per_approach_day"),
            models.CheckConstraint(
                condition=Q(norm_coaching_hours__gte=0)
                & Q(norm_uitvoering_hours__gte=0)
                & Q(norm_regie_hours__gte=0)
                & Q(norm_monitoring_hours__gte=0),
                name="norm_change_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.approach or self.organisation} {self.valid_from}"


class Youth(TimeStampedModel):
    """A jongere: a pseudonymous key plus personal data, only visible on a need-to-know basis (SPEC §8)."""

    # A key names a youth within its organisation only (SPEC §8: no one learns whether another
    # organisation uses a key): see youth_unique_key_per_organisation.
    external_id = models.CharField(_("sleutel"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="youths",
        verbose_name=_("organisatie"),
        db_index=False,  # youth_unique_key_per_organisation (organisation, external_id) serves it
    )
    first_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100, blank=True)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    phone = models.CharField(_("telefoon"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    target_group = models.ForeignKey(
        TargetGroup, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("doelgroep")
    )
    education_level = models.CharField(
        _("hoogst genoten opleiding"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    has_startkwalificatie = models.BooleanField(_("startkwalificatie"), null=True, blank=True)
    benefit = models.CharField(_("uitkering"), max_length=20, choices=Benefit.choices, default=Benefit.NONE)
    life_domains = models.JSONField(_("leefgebieden met problemen"), default=list, blank=True)
    complexity = models.CharField(
        _("complexiteit"), max_length=20, choices=Complexity.choices, default=Complexity.LICHT
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("woonplaats")
    )
    referral_route = models.CharField(_("aanmeldroute"), max_length=30, choices=ReferralRoute.choices, blank=True)
    reported_on = models.DateField(_("datum melding"), null=True, blank=True)
    first_contact_on = models.DateField(_("datum eerste contact"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("jongere")
        verbose_name_plural = _("jongeren")
        ordering = ["external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                name="youth_unique_key_per_organisation",
                violation_error_message=_("Deze sleutel bestaat al."),
            ),
            models.CheckConstraint(
                condition=Q(first_contact_on__isnull=True)
                | Q(reported_on__isnull=True)
                | Q(first_contact_on__gte=F("reported_on")),
                name="youth_first_contact_not_before_report",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def display_name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.external_id


class ComplexityChange(models.Model):
    """A youth's complexity from a day on (SPEC §3): re-rating a youth never rewrites the past.

    The caseload engine weighs a period's day ``d`` with the complexity of the latest change on or
    before ``d``; a youth without changes weighs with ``Youth.complexity`` on every day. The first
    change also records the complexity that held before it (``valid_from`` empty: from the start),
    and ``Youth.complexity`` always holds the latest one (what pages and the import show)."""

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="complexity_changes", verbose_name=_("jongere")
    )
    valid_from = models.DateField(_("geldt vanaf"), null=True, blank=True, help_text=_("Leeg: vanaf het begin."))
    complexity = models.CharField(_("complexiteit"), max_length=20, choices=Complexity.choices)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("vastgelegd door")
    )

    class Meta:
        verbose_name = _("wijziging van de complexiteit")
        verbose_name_plural = _("wijzigingen van de complexiteit")
        # "From the start" first, on PostgreSQL too (where NULL sorts last by default).
        ordering = ["youth", F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(fields=["youth", "valid_from"], name="complexity_change_one_per_day"),
            models.UniqueConstraint(
                fields=["youth"], condition=Q(valid_from__isnull=True), name="complexity_change_one_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} {self.complexity} {self.valid_from or '-'}"


class Trajectory(TimeStampedModel):
    """One youth in one approach with one responsible worker (SPEC §2)."""

    # The choices live in core: the organisation's VCV rule names a funding source too.
    FundingSource = FundingSource

    external_id = models.CharField(_("extern id"), max_length=100)
    # The composite indexes in Meta (youth, approach) and (approach, start_date) serve these keys.
    youth = models.ForeignKey(
        Youth, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("jongere"), db_index=False
    )
    approach = models.ForeignKey(
        Approach, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("aanpak"), db_index=False
    )
    # The approach's organisation, copied so that a key can be unique per organisation (a constraint
    # cannot follow a foreign key). The database keeps the copy (migration 0012): every insert and
    # every change of the approach sets it, whoever writes, so callers need not and cannot get it wrong.
    # Never null in the database; None on a new instance until it is read back (refresh_from_db).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("organisatie"),
        db_index=False,  # trajectory_unique_key_per_organisation (organisation, external_id) serves it
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("verantwoordelijk begeleider")
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    funding_source = models.CharField(
        _("financieringsbron"), max_length=20, choices=FundingSource.choices, default=FundingSource.MUNICIPALITY
    )
    working_elements = models.ManyToManyField(
        WorkingElement, blank=True, related_name="trajectories", verbose_name=_("gebruikte werkzame elementen")
    )
    # The worker's next step (SPEC §1 "next action"): what and when, shown in Mijn caseload.
    # A default in the database too (PostgreSQL): raw writers (COPY, the benchmarks' SQL) need not name it.
    next_action = models.CharField(_("volgende actie"), max_length=200, blank=True, default="", db_default="")
    next_action_on = models.DateField(_("volgende actie op"), null=True, blank=True)

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-start_date", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                name="trajectory_unique_key_per_organisation",
                violation_error_message=_("Deze sleutel bestaat al."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="trajectory_end_not_before_start",
            ),
        ]
        indexes = [
            models.Index(fields=["approach", "start_date"], name="trajectory_approach_start"),
            # Serves the "never twice at once in one approach" trigger on SQLite (see 0003).
            models.Index(fields=["youth", "approach"], name="trajectory_youth_approach"),
        ]

    def __str__(self) -> str:
        return self.external_id


class Period(models.Model):
    """A span [start_date, end_date) of one phase and worker role in a trajectory (SPEC §2, §3)."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("traject"),
        db_index=False,  # period_unique_start_per_trajectory (trajectory, start_date) serves it
    )
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, blank=True)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True, help_text=_("Exclusief; leeg = loopt nog."))
    # Empty: the trajectory's worker. A handover names the new worker on the later periods.
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, null=True, blank=True, related_name="periods", verbose_name=_("begeleider")
    )

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periodes")
        ordering = ["trajectory", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "start_date"], name="period_unique_start_per_trajectory"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")), name="period_end_after_start"
            ),
            models.CheckConstraint(condition=~Q(phase=Phase.TIME_OUT) | Q(role=""), name="period_time_out_has_no_role"),
        ]
        indexes = [
            models.Index(fields=["start_date", "end_date"], name="period_dates"),
            # The caseload's long-in-role history (caseload.selectors): the coaching/uitvoering
            # periods that carry load, by end date, to find the earlier periods of a running role
            # run without reading the whole table.
            models.Index(
                fields=["end_date"],
                name="period_long_role_run_end",
                condition=Q(role__in=[Role.COACHING, Role.UITVOERING])
                & ~Q(phase__in=[Phase.AANMELDING, Phase.AFGESLOTEN, Phase.TIME_OUT]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} {self.phase} {self.role or '-'} {self.start_date}"


class Handover(models.Model):
    """Warme overdracht: recorded, never a silent edit (SPEC §2, §7)."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("traject")
    )
    from_worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="handovers_given", verbose_name=_("van")
    )
    to_worker = models.ForeignKey(
        Worker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_received",
        verbose_name=_("naar"),
    )
    to_organisation = models.CharField(_("naar organisatie"), max_length=200, blank=True)
    date = models.DateField(_("datum overdracht"))
    met_together_on = models.DateField(_("samen met de jongere gesproken op"), null=True, blank=True)
    note = models.TextField(_("overdrachtsnotitie"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("vastgelegd door")
    )

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_worker__isnull=False) | ~Q(to_organisation=""), name="handover_has_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} {self.date}"


class TimeEntry(models.Model):
    """Tijdregistratie: minutes of a worker on a day, for one youth or overhead (SPEC §2)."""

    # time_entry_worker_date and time_entry_trajectory_date (Meta) serve both keys.
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="time_entries", verbose_name=_("begeleider"), db_index=False
    )
    date = models.DateField(_("datum"))
    minutes = models.PositiveIntegerField(_("minuten"))
    category = models.CharField(_("categorie"), max_length=20, choices=TimeCategory.choices)
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("traject"),
        db_index=False,
    )
    note = models.CharField(_("notitie"), max_length=500, blank=True)
    # Set by import_dataset: the row's content plus its occurrence number, so a re-import changes nothing.
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tijdregistratie")
        verbose_name_plural = _("tijdregistraties")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60), name="time_entry_minutes_1_to_1440"
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "date"], name="time_entry_worker_date"),
            models.Index(fields=["trajectory", "date"], name="time_entry_trajectory_date"),
            # Covers the caseload's logged minutes of a period for many workers (SUM(minutes) per
            # worker and category over a date range) as an index-only range scan, without reading
            # the wide rows (note, import_key); see caseload.selectors._logged_frame.
            models.Index(fields=["date", "worker", "category", "minutes"], name="time_entry_date_covering"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.date} {self.minutes} min {self.category}"


class Outcome(models.Model):
    """A dated resultaat / uitstroom of a trajectory (SPEC §2)."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("traject")
    )
    date = models.DateField(_("datum"))
    outcome = models.CharField(
        _("resultaat"),
        max_length=30,
        choices=OutcomeType.choices,
        help_text=IMPROVED_POSITION_EXPLANATION,
    )
    note = models.CharField(_("notitie"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resultaat")
        verbose_name_plural = _("resultaten")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "outcome", "date"], name="outcome_unique_per_trajectory_day")
        ]
        indexes = [models.Index(fields=["outcome", "date"], name="outcome_type_date")]

    def __str__(self) -> str:
        return f"{self.trajectory} {self.outcome} {self.date}"


class FollowUp(models.Model):
    """A durability check after work or school: still there after 1, 6, 12 months? (SPEC §4b)."""

    class Answer(models.TextChoices):
        STILL_THERE = "still_there", _("Nog aan het werk / op school")
        NOT_THERE = "not_there", _("Niet meer")
        UNKNOWN = "unknown", _("Onbekend")

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("resultaat")
    )
    months_after = models.PositiveSmallIntegerField(_("maanden na resultaat"))
    due_date = models.DateField(_("te doen op"))
    answer = models.CharField(_("antwoord"), max_length=20, choices=Answer.choices, blank=True)
    answered_on = models.DateField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("duurzaamheidscheck")
        verbose_name_plural = _("duurzaamheidschecks")
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "months_after"], name="follow_up_unique_per_outcome_month")
        ]

    def __str__(self) -> str:
        return f"{self.outcome} +{self.months_after} mnd"


class CostItem(models.Model):
    """An amount in one cost line, on a trajectory or on the approach as a whole (SPEC §2, §4)."""

    approach = models.ForeignKey(
        Approach, on_delete=models.PROTECT, related_name="cost_items", verbose_name=_("aanpak")
    )
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_items",
        verbose_name=_("traject"),
    )
    date = models.DateField(_("datum"))
    line = models.CharField(_("kostenpost"), max_length=30, choices=CostLine.choices)
    amount = models.DecimalField(_("bedrag (euro)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("kostenpost")
        verbose_name_plural = _("kostenposten")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=Decimal("0")), name="cost_item_amount_not_negative")
        ]
        indexes = [models.Index(fields=["approach", "date"], name="cost_item_approach_date")]

    def __str__(self) -> str:
        return f"{self.line} {self.amount} {self.date}"
