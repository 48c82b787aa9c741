"""Tenancy and people: organisations, teams, workers with fte periods, user accounts, audit log."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        abstract = True


class FundingSource(models.TextChoices):
    """Financieringsbron of a trajectory (SPEC §2). Lives in core because the organisation's VCV
    rule names one (``Organisation.vcv_funding_source``); cases' ``Trajectory.FundingSource`` is
    this class."""

    MUNICIPALITY = "gemeente", _("Gemeente")
    ESF = "esf", _("ESF")
    RMC = "rmc", _("RMC-middelen")
    SCHOOL = "school", _("School")
    OTHER = "overig", _("Overig")


def default_follow_up_months() -> list[int]:
    """SPEC §4b: durability checks after 1, 6 and 12 months unless the organisation sets others."""
    return [1, 6, 12]


class Organisation(TimeStampedModel):
    """The tenant boundary (gemeente, RMC-regio, school, sociale firma) and its defaults (SPEC §2, §3)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "gemeente", _("Gemeente")
        RMC_REGION = "rmc", _("RMC-regio")
        SCHOOL = "school", _("School")
        SOCIAL_FIRM = "sociale_firma", _("Sociale firma")
        OTHER = "overig", _("Overig")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    productive_hours_per_fte = models.DecimalField(
        _("productieve uren per fte per jaar"), max_digits=6, decimal_places=1, default=Decimal("1200")
    )
    contract_hours_per_fte = models.DecimalField(
        _("contracturen per fte per jaar"), max_digits=6, decimal_places=1, default=Decimal("1872")
    )
    hourly_rate = models.DecimalField(_("uurtarief (euro)"), max_digits=8, decimal_places=2, default=Decimal("65"))
    # Norm intensity h(role), hours per youth per year (SPEC §3).
    norm_coaching_hours = models.DecimalField(
        _("norm coaching (uur/jongere/jaar)"), max_digits=6, decimal_places=1, default=Decimal("40")
    )
    norm_uitvoering_hours = models.DecimalField(
        _("norm uitvoering (uur/jongere/jaar)"), max_digits=6, decimal_places=1, default=Decimal("40")
    )
    norm_regie_hours = models.DecimalField(
        _("norm regie (uur/jongere/jaar)"), max_digits=6, decimal_places=1, default=Decimal("12")
    )
    norm_monitoring_hours = models.DecimalField(
        _("norm monitoring (uur/jongere/jaar)"), max_digits=6, decimal_places=1, default=Decimal("8")
    )
    # Complexity factor f(complexity).
    factor_licht = models.DecimalField(_("factor licht"), max_digits=4, decimal_places=2, default=Decimal("1.0"))
    factor_meervoudig = models.DecimalField(
        _("factor meervoudig"), max_digits=4, decimal_places=2, default=Decimal("1.0")
    )
    factor_complex = models.DecimalField(_("factor complex"), max_digits=4, decimal_places=2, default=Decimal("1.0"))
    # Flag thresholds.
    overload_threshold = models.DecimalField(
        _("drempel overbelast"), max_digits=4, decimal_places=2, default=Decimal("1.10")
    )
    underload_threshold = models.DecimalField(
        _("drempel onderbelast"), max_digits=4, decimal_places=2, default=Decimal("0.80")
    )
    overhead_threshold = models.DecimalField(
        _("drempel overhead-aandeel"), max_digits=4, decimal_places=2, default=Decimal("0.30")
    )
    long_in_role_factor = models.DecimalField(
        _("factor lang in rol (x verwachte duur)"), max_digits=4, decimal_places=2, default=Decimal("1.5")
    )
    workers_see_team_youths = models.BooleanField(_("begeleiders zien jongeren van het hele team"), default=False)
    workers_enter_costs = models.BooleanField(
        _("begeleiders voeren MKBA-kosten in op hun trajecten"),
        default=False,
        help_text=_(
            "Kostenposten 1b, 1c, 2 en 3 op de trajecten die de begeleider mag zien; kosten op een aanpak als "
            "geheel blijven bij beleidsmedewerkers."
        ),
    )
    retention_months = models.PositiveIntegerField(_("bewaartermijn afgesloten trajecten (maanden)"), default=24)
    # Seven years: Dutch municipalities keep logging of access to personal data (BIO 12.4.1, the
    # AVG's accountability) for as long as someone may still ask who read their record; seven years
    # matches the fiscal/archive term most municipal selection lists use and is far longer than the
    # case retention above, so the trail outlives the records it is about (inzage after anonymising).
    audit_retention_months = models.PositiveIntegerField(
        _("bewaartermijn auditlog (maanden)"),
        default=84,
        validators=[MinValueValidator(12)],
        help_text=_(
            "Hoe lang de auditregels (wie zag of wijzigde wat) bewaard blijven; daarna verwijdert een dagelijkse taak ze."
        ),
    )
    # Accountability settings (SPEC §4b).
    follow_up_months = models.JSONField(
        _("duurzaamheidschecks na (maanden)"),
        default=default_follow_up_months,
        help_text=_(
            "Na hoeveel kalendermaanden een resultaat werk, gesubsidieerd werk, verbeterde "
            "arbeidsmarktpositie of school wordt nagevraagd, bijvoorbeeld [1, 6, 12]."
        ),
    )
    annual_cost_per_fte = models.DecimalField(
        _("jaarkosten per fte (euro)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Voor de VCV. Leeg: productieve uren per fte x uurtarief."),
    )
    result_target_work = models.DecimalField(
        _("streefwaarde resultaatindicator werk"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.20"),
        help_text=_("ESF: 20% voor gemeentelijke projecten."),
    )
    result_target_work_or_school = models.DecimalField(
        _("streefwaarde resultaatindicator werk of school"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.25"),
        help_text=_("ESF: 25% voor gemeentelijke projecten."),
    )
    vcv_max_age = models.PositiveSmallIntegerField(
        _("VCV: maximale leeftijd"),
        default=28,
        help_text=_("Een traject telt mee als de jongere bij de start (of het begin van de periode) jonger is."),
    )
    vcv_funding_source = models.CharField(
        _("VCV: financieringsbron"),
        max_length=20,
        choices=FundingSource.choices,
        blank=True,
        help_text=_("Leeg: trajecten van elke financieringsbron tellen mee."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(productive_hours_per_fte__gt=0), name="organisation_productive_hours_positive"
            ),
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="organisation_hourly_rate_not_negative"),
            # The trail of who read a record must outlive the record (inzage after anonymising).
            models.CheckConstraint(
                condition=Q(audit_retention_months__gt=F("retention_months")),
                name="organisation_audit_retention_longer_than_case_retention",
                violation_error_message=_(
                    "De bewaartermijn van het auditlog moet langer zijn dan die van afgesloten trajecten."
                ),
            ),
            models.CheckConstraint(
                condition=Q(annual_cost_per_fte__isnull=True) | Q(annual_cost_per_fte__gte=0),
                name="organisation_annual_cost_per_fte_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        months = self.follow_up_months
        if not (
            isinstance(months, list)
            and all(isinstance(month, int) and not isinstance(month, bool) and month >= 1 for month in months)
            and len(set(months)) == len(months)
        ):
            raise ValidationError(
                {"follow_up_months": _("Geef een lijst van verschillende hele aantallen maanden, elk minstens 1.")}
            )


class Team(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisatie")
    )
    name = models.CharField(_("naam"), max_length=200)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_teams", verbose_name=_("teamleiders")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in, with one role of SPEC §1 and the organisation that bounds what they see."""

    class Role(models.TextChoices):
        WORKER = "worker", _("Begeleider")
        TEAM_LEAD = "team_lead", _("Teamleider")
        ANALYST = "analyst", _("Beleidsmedewerker / analist")
        ADMIN = "admin", _("Beheerder")
        PRIVACY_OFFICER = "privacy_officer", _("Privacyfunctionaris")

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.WORKER)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisatie"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("gebruiker")  # type: ignore[assignment]
        verbose_name_plural = _("gebruikers")  # type: ignore[assignment]


class Worker(TimeStampedModel):
    """A begeleider in a team; fte varies over time through FtePeriod rows (SPEC §2)."""

    class Function(models.TextChoices):
        JONGERENADVISEUR = "jongerenadviseur", _("Jongerenadviseur")
        TRAJECTBEGELEIDER = "trajectbegeleider", _("Trajectbegeleider")
        CASUSREGISSEUR = "casusregisseur", _("Casusregisseur")
        CONSULENT = "consulent", _("Consulent")
        KLANTMANAGER = "klantmanager", _("Klantmanager")
        JOBCOACH = "jobcoach", _("Jobcoach")
        IPS_BEGELEIDER = "ips_begeleider", _("IPS-begeleider")
        BEGELEIDER = "begeleider", _("Begeleider")

    external_id = models.CharField(_("extern id"), max_length=100, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="workers", verbose_name=_("team"))
    function = models.CharField(_("functie"), max_length=30, choices=Function.choices, default=Function.BEGELEIDER)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worker",
        verbose_name=_("gebruiker"),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("begeleider")
        verbose_name_plural = _("begeleiders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FtePeriod(models.Model):
    """From `start_date` on, the worker works `fte`, until the next FtePeriod (SPEC §3: fte(d))."""

    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="fte_periods", verbose_name=_("begeleider")
    )
    start_date = models.DateField(_("vanaf"))
    fte = models.DecimalField(
        _("fte"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1.5"))],
    )

    class Meta:
        verbose_name = _("fte-periode")
        verbose_name_plural = _("fte-periodes")
        ordering = ["worker", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "start_date"], name="fte_period_unique_start_per_worker"),
            models.CheckConstraint(
                condition=Q(fte__gte=0) & Q(fte__lte=Decimal("1.5")), name="fte_period_fte_between_0_and_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.fte} fte vanaf {self.start_date}"


class AuditLogAppendOnlyError(Exception):
    """An audit row was about to be changed or deleted by the application: the log is append-only."""


class AuditLogQuerySet(models.QuerySet["AuditLogEntry"]):
    """Rows are added, never changed; only the retention job removes expired ones (SPEC §8)."""

    def update(self, **kwargs: object) -> int:
        raise AuditLogAppendOnlyError("audit log rows cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogAppendOnlyError("audit log rows cannot be deleted")

    def delete_expired(self, *, organisation_id: int | None, before: datetime.datetime) -> int:
        """For the retention service only: remove this organisation's rows written before ``before``.
        The database triggers refuse any row that is not past the organisation's retention term."""
        expired = self.filter(organisation_id=organisation_id, at__lt=before)
        return expired._raw_delete(expired.db)


class AuditLogEntry(models.Model):
    """Who read or changed which youth's record, and when (SPEC §8). Written by services and selectors.

    Append-only: ``save()`` of an existing row, ``delete()`` and queryset ``update()``/``delete()``
    raise, and database triggers (migration 0006) refuse UPDATE always and DELETE of a row that is
    not past its organisation's ``audit_retention_months``. The actor is kept as text
    (``actor_name``) and as an id without a foreign-key constraint, so deleting a user changes no row."""

    class Action(models.TextChoices):
        VIEW = "view", _("ingezien")
        CREATE = "create", _("aangemaakt")
        UPDATE = "update", _("gewijzigd")
        EXPORT = "export", _("geëxporteerd")
        ANONYMISE = "anonymise", _("geanonimiseerd")
        IMPORT = "import", _("geïmporteerd")

    # The separator of ``youth_keys``: a key never holds a line break (it is one CSV cell, SPEC §6).
    KEY_SEPARATOR = "\n"

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    # No constraint and no on-delete effect: the id of a deleted user stays as it was written.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    actor_name = models.CharField(_("wie"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("organisatie")
    )
    action = models.CharField(_("actie"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("soort object"), max_length=50)
    object_id = models.CharField(_("object-id"), max_length=100)
    youth_key = models.CharField(_("jongere (sleutel)"), max_length=100, blank=True, db_index=True)
    # Every youth a read showed, as "\nKEY1\nKEY2\n" (sorted): a key is found exactly, case-sensitive,
    # by looking for "\nKEY\n" (see core.selectors.audit_entries_naming_youth).
    youth_keys = models.TextField(_("jongeren (sleutels)"), blank=True)
    detail = models.CharField(_("toelichting"), max_length=500, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at"]
        indexes = [models.Index(fields=["organisation", "-at"], name="auditlog_organisation_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogAppendOnlyError("audit log rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogAppendOnlyError("audit log rows cannot be deleted")

    @staticmethod
    def youth_keys_text(keys: Iterable[str]) -> str:
        """The stored form of a set of keys: sorted, without blanks or duplicates."""
        unique = sorted({key for key in keys if key})
        if not unique:
            return ""
        separator = AuditLogEntry.KEY_SEPARATOR
        return separator + separator.join(unique) + separator

    @property
    def youth_key_list(self) -> list[str]:
        """Every youth this row names: ``youth_key`` and the keys of a multi-youth read."""
        keys = [key for key in self.youth_keys.split(self.KEY_SEPARATOR) if key]
        if self.youth_key and self.youth_key not in keys:
            keys.insert(0, self.youth_key)
        return keys


class WorkerHeartbeat(models.Model):
    """Written by the background worker on request, so the app can show that a worker is alive."""

    token = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hartslag van de achtergrondverwerker")
        verbose_name_plural = _("hartslagen van de achtergrondverwerker")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.hostname} {self.received_at:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """A message in the application for one user, e.g. "your report is ready" (SPEC §5)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("bericht"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.text
