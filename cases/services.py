"""Writes on case data (SPEC §2, §7). Each service validates, writes atomically and logs the change.

Periods are history: a change of phase or role closes the running period on the change date and
opens the next one. Nothing is edited silently.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import calculations
from cases.models import (
    FOLLOW_UP_OUTCOMES,
    Approach,
    Complexity,
    ComplexityChange,
    FollowUp,
    Handover,
    Outcome,
    Period,
    Phase,
    Role,
    TimeCategory,
    TimeEntry,
    Trajectory,
    WorkingElement,
    Youth,
)
from cases.selectors import complexities_on, youth_audit_trail, youths_already_known_to
from core.exceptions import ApplicationError
from core.formats import date_text
from core.models import AuditLogEntry, User, Worker
from core.services import audit_log_record, audit_log_youth, case_data_changed

# The default months of the durability checks; demo data reads them here.
FOLLOW_UP_MONTHS = calculations.FOLLOW_UP_MONTHS


def _validated(instance: Model) -> None:
    """full_clean() as an ApplicationError with field errors, so pages and the API can show them."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ApplicationError(
            _("De gegevens zijn niet geldig."),
            fields={field: [str(m) for m in messages] for field, messages in error.message_dict.items()},
        ) from error


def _save(instance: Model, **kwargs: Any) -> None:
    """Save, turning a database constraint violation into a clear domain error."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as error:
        text = str(error)
        if "overlap" in text:
            raise ApplicationError(
                _("Deze periode overlapt met een andere periode van hetzelfde traject."),
                fields={"start_date": [_("Overlapt met een bestaande periode.")]},
            ) from error
        raise ApplicationError(_("De gegevens botsen met bestaande gegevens: %(error)s") % {"error": text}) from error


def _log(user: User | None, action: str, trajectory: Trajectory, detail: str) -> None:
    audit_log_record(
        user=user,
        action=action,
        object_type="trajectory",
        object_id=trajectory.pk,
        youth_key=trajectory.youth.external_id,
        organisation=trajectory.approach.organisation,
        detail=detail,
    )


def _check_role(phase: str, role: str) -> None:
    if phase == Phase.TIME_OUT and role:
        raise ApplicationError(
            _("Een time-out heeft geen rol."), fields={"role": [_("Laat de rol leeg bij een time-out.")]}
        )
    if role and role not in Role.values:
        raise ApplicationError(
            _("Onbekende rol."), fields={"role": [_("Kies coaching, uitvoering, regie of monitoring.")]}
        )
    if phase not in Phase.values:
        raise ApplicationError(_("Onbekende fase."), fields={"phase": [_("Kies een geldige fase.")]})


class YouthAlreadyKnown(ApplicationError):
    """SPEC §7 "already known?" said stop; nothing was stored. ``known``: the matches (to show their
    key and earlier trajectories). ``same_key``: one has this very key, which no confirmation
    overrules; otherwise the same name and birth date, which the user may confirm as another person."""

    def __init__(self, *, known: list[Youth], same_key: bool) -> None:
        if same_key:
            super().__init__(
                _("Er is al een jongere met deze sleutel."), fields={"external_id": [_("Deze sleutel bestaat al.")]}
            )
        else:
            super().__init__(_("Deze jongere is mogelijk al bekend."))
        self.known = known
        self.same_key = same_key


@dataclass(frozen=True)
class Registration:
    youth: Youth
    already_known: list[Youth]  # matches on name and birth date the user confirmed as another person


def youth_registration(*, user: User, data: dict[str, Any], confirm_new: bool) -> Registration:
    """The registration page and the API: first the "already known?" check (SPEC §7), then
    ``youth_register``. Raises YouthAlreadyKnown when a youth has this key, or has this name and
    birth date and ``confirm_new`` is false. Not one transaction: the check's audit rows (reads of
    the matches) stay when the registration stops."""
    known = youths_already_known_to(
        user=user,
        external_id=data["external_id"],
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        birth_date=data.get("birth_date"),
    )
    same_key = any(youth.external_id == data["external_id"] for youth in known)
    if known and (same_key or not confirm_new):
        raise YouthAlreadyKnown(known=known, same_key=same_key)
    return Registration(youth=youth_register(user=user, data=data), already_known=known)


@transaction.atomic
def youth_register(*, user: User, data: dict[str, Any]) -> Youth:
    """Register a youth in the user's organisation (SPEC §2). Pages and the API go through
    ``youth_registration``, which asks "already known?" first."""
    if user.organisation is None:
        raise ApplicationError(_("Uw account hoort niet bij een organisatie."))
    youth = Youth(organisation=user.organisation, **data)
    _validated(youth)
    _save(youth)
    audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.CREATE, detail="registered")
    return youth


# What a worker may change of a youth's profile (SPEC §2); the key and organisation never change
# here, the complexity only with a date (``youth_complexity_change``).
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "phone",
    "email",
    "address",
    "target_group",
    "education_level",
    "has_startkwalificatie",
    "benefit",
    "life_domains",
    "municipality",
    "referral_route",
)


@transaction.atomic
def youth_profile_update(*, user: User, youth: Youth, data: dict[str, Any]) -> Youth:
    """Change a youth's profile (contact, education, startkwalificatie, benefit, life domains ...).
    Only ``PROFILE_FIELDS``; unchanged values write nothing. The audit row names the fields, not
    their values (the log is read by others than the case's workers)."""
    unknown = sorted(set(data) - set(PROFILE_FIELDS))
    if unknown:
        raise ValueError(f"not a profile field: {unknown}")
    if data.get("target_group") is not None and data["target_group"].organisation_id != youth.organisation_id:
        raise ApplicationError(
            _("Onbekende doelgroep."), fields={"target_group": [_("Kies een doelgroep van uw organisatie.")]}
        )
    changed = [field for field, value in data.items() if getattr(youth, field) != value]
    if not changed:
        return youth
    for field in changed:
        setattr(youth, field, data[field])
    _validated(youth)
    _save(youth, update_fields=[*changed, "updated_at"])
    audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.UPDATE, detail=f"profile: {', '.join(changed)}")
    return youth


@transaction.atomic
def youth_complexity_change(*, user: User, youth: Youth, complexity: str, valid_from: datetime.date) -> Youth:
    """Re-rate a youth's complexity from ``valid_from`` on (SPEC §3): the caseload engine weighs
    every day from then with the new complexity and every earlier day as before. The first change
    also records the complexity that held until then (from the start). A second change on the same
    day replaces that day's; a date in the future is refused (the figures of today must hold)."""
    if complexity not in Complexity.values:
        raise ApplicationError(
            _("Onbekende complexiteit."), fields={"complexity": [_("Kies licht, meervoudig of complex.")]}
        )
    today = timezone.localdate()
    if valid_from > today:
        raise ApplicationError(
            _("Een nieuwe complexiteit geldt vanaf vandaag of eerder."),
            fields={"valid_from": [_("Uiterlijk %(today)s.") % {"today": date_text(today)}]},
        )
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    history = list(youth.complexity_changes.all())
    if not history:
        ComplexityChange.objects.create(youth=youth, valid_from=None, complexity=youth.complexity, recorded_by=user)
    holding = max(
        (change for change in history if change.valid_from is None or change.valid_from <= valid_from),
        key=lambda change: change.valid_from or datetime.date.min,
        default=None,
    )
    current = holding.complexity if holding is not None else youth.complexity
    if current == complexity and (holding is None or holding.valid_from != valid_from):
        raise ApplicationError(
            _("De complexiteit is op %(day)s al %(complexity)s.")
            % {"day": date_text(valid_from), "complexity": str(Complexity(complexity).label).lower()},
            fields={"complexity": [_("Kies een andere complexiteit.")]},
        )
    ComplexityChange.objects.update_or_create(
        youth=youth, valid_from=valid_from, defaults={"complexity": complexity, "recorded_by": user}
    )
    latest = youth.complexity_changes.order_by("-valid_from").exclude(valid_from__isnull=True).first()
    youth.complexity = latest.complexity if latest is not None else complexity
    youth.save(update_fields=["complexity", "updated_at"])
    audit_log_youth(
        user=user, youth=youth, action=AuditLogEntry.Action.UPDATE, detail=f"complexity {complexity} from {valid_from}"
    )
    return youth


@transaction.atomic
def youth_profile_save(
    *, user: User, youth: Youth, data: dict[str, Any], complexity: str, complexity_from: datetime.date
) -> Youth:
    """The dossier's profile form in one go: the profile fields, and the complexity from
    ``complexity_from`` on when it differs from the one that holds on that day (a new complexity,
    or the current one backdated). Nothing is half saved."""
    youth = youth_profile_update(user=user, youth=youth, data=data)
    if complexity != complexities_on([youth], complexity_from)[youth.pk]:
        youth = youth_complexity_change(user=user, youth=youth, complexity=complexity, valid_from=complexity_from)
    return youth


@transaction.atomic
def trajectory_next_action_set(
    *, user: User, trajectory: Trajectory, action: str, on: datetime.date | None
) -> Trajectory:
    """The worker's next step in a trajectory (SPEC §1 "next action"): what, and on which day.
    Both empty clears it; a step without a day, or a day without a step, is refused."""
    action = action.strip()
    if bool(action) != (on is not None):
        field = "next_action_on" if action else "next_action"
        raise ApplicationError(
            _("Een volgende actie heeft een omschrijving en een datum."), fields={field: [_("Vul ook dit in.")]}
        )
    if trajectory.end_date is not None and action:
        raise ApplicationError(_("Dit traject is afgesloten."))
    trajectory.next_action, trajectory.next_action_on = action, on
    _validated(trajectory)
    _save(trajectory, update_fields=["next_action", "next_action_on", "updated_at"])
    _log(user, AuditLogEntry.Action.UPDATE, trajectory, f"next action on {on}" if on else "next action cleared")
    return trajectory


@transaction.atomic
def trajectory_start(
    *,
    user: User,
    youth: Youth,
    approach: Approach,
    worker: Worker,
    start_date: datetime.date,
    phase: str = Phase.INTAKE,
    role: str = "",
    external_id: str = "",
    funding_source: str = Trajectory.FundingSource.MUNICIPALITY,
) -> Trajectory:
    """Start a trajectory with its first period and its funding source (financieringsbron, SPEC §2);
    a youth never twice at once in one approach."""
    if approach.organisation_id != youth.organisation_id or worker.team.organisation_id != youth.organisation_id:
        raise ApplicationError(_("Aanpak, begeleider en jongere horen niet bij dezelfde organisatie."))
    _check_role(phase, role)
    overlapping = Trajectory.objects.filter(youth=youth, approach=approach).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=start_date)
    )
    if overlapping.exists():
        raise ApplicationError(
            _("Deze jongere zit al in een lopend traject van deze aanpak."),
            fields={"approach": [_("Al een lopend traject in deze aanpak.")]},
        )
    if not external_id:
        external_id = f"{youth.external_id}-{approach.pk}-{start_date:%Y%m%d}"
    trajectory = Trajectory(
        external_id=external_id,
        youth=youth,
        approach=approach,
        organisation_id=approach.organisation_id,
        worker=worker,
        start_date=start_date,
        funding_source=funding_source,
    )
    _validated(trajectory)
    _save(trajectory)
    period = Period(trajectory=trajectory, phase=phase, role=role, start_date=start_date)
    _validated(period)
    _save(period)
    if youth.first_contact_on is None:
        youth.first_contact_on = max(start_date, youth.reported_on) if youth.reported_on else start_date
        youth.save(update_fields=["first_contact_on", "updated_at"])
    _log(user, AuditLogEntry.Action.CREATE, trajectory, f"started {approach.name} as {phase}/{role or '-'}")
    return trajectory


def _running_period(trajectory: Trajectory) -> Period | None:
    return trajectory.periods.select_for_update().filter(end_date__isnull=True).order_by("-start_date").first()


@transaction.atomic
def period_change(
    *,
    user: User,
    trajectory: Trajectory,
    date: datetime.date,
    phase: str,
    role: str,
    worker: Worker | None = None,
) -> Period:
    """Change phase and/or role on `date`: the running period ends on `date` (exclusive) and the
    next period starts there. Changing the past (a date before the running period) is refused."""
    _check_role(phase, role)
    if trajectory.end_date is not None:
        raise ApplicationError(_("Dit traject is afgesloten."))
    if date < trajectory.start_date:
        raise ApplicationError(
            _("De datum ligt voor de start van het traject."),
            fields={"date": [_("Kies een datum vanaf de startdatum.")]},
        )
    running = _running_period(trajectory)
    if running is not None:
        if date < running.start_date:
            raise ApplicationError(
                _("De wijziging kan niet vóór de start van de lopende periode (%(start)s) liggen.")
                % {"start": date_text(running.start_date)},
                fields={"date": [_("Vanaf %(start)s.") % {"start": date_text(running.start_date)}]},
            )
        if running.phase == phase and running.role == role and worker is None:
            raise ApplicationError(
                _("Fase en rol zijn niet veranderd."), fields={"role": [_("Kies een andere fase of rol.")]}
            )
        if date == running.start_date:
            return _period_correct(
                user=user, trajectory=trajectory, running=running, phase=phase, role=role, worker=worker
            )
        running.end_date = date
        _save(running, update_fields=["end_date"])
    new_period = Period(trajectory=trajectory, phase=phase, role=role, start_date=date, worker=worker)
    _validated(new_period)
    _save(new_period)
    _log(user, AuditLogEntry.Action.UPDATE, trajectory, f"{date}: phase {phase}, role {role or '-'}")
    return new_period


def _period_correct(
    *, user: User, trajectory: Trajectory, running: Period, phase: str, role: str, worker: Worker | None
) -> Period:
    """A second change on the day the running period began corrects that day's period; the days
    before keep their history. When the correction gives back exactly the period that ended that
    day (a time-out and its resume on one day), the two become one again: that period runs on."""
    new_worker_id = worker.pk if worker is not None else running.worker_id
    previous = (
        trajectory.periods.select_for_update().filter(end_date=running.start_date).order_by("-start_date").first()
    )
    if previous is not None and (previous.phase, previous.role, previous.worker_id) == (phase, role, new_worker_id):
        running.delete()
        previous.end_date = None
        _save(previous, update_fields=["end_date"])
        _log(
            user,
            AuditLogEntry.Action.UPDATE,
            trajectory,
            f"{running.start_date}: change undone, {phase}/{role or '-'} runs on",
        )
        return previous
    running.phase, running.role, running.worker_id = phase, role, new_worker_id
    _validated(running)
    _save(running, update_fields=["phase", "role", "worker"])
    _log(
        user,
        AuditLogEntry.Action.UPDATE,
        trajectory,
        f"{running.start_date}: corrected to phase {phase}, role {role or '-'}",
    )
    return running


def trajectory_pause(*, user: User, trajectory: Trajectory, date: datetime.date) -> Period:
    """Time-out instead of closing (SPEC §7): a period without role, so without load."""
    return period_change(user=user, trajectory=trajectory, date=date, phase=Phase.TIME_OUT, role="")


@transaction.atomic
def trajectory_resume(*, user: User, trajectory: Trajectory, date: datetime.date, phase: str, role: str) -> Period:
    """Resume after a time-out: the running (locked) period must be the time-out."""
    running = _running_period(trajectory)
    if running is None or running.phase != Phase.TIME_OUT:
        raise ApplicationError(_("Dit traject staat niet op time-out."))
    return period_change(user=user, trajectory=trajectory, date=date, phase=phase, role=role)


@transaction.atomic
def trajectory_close(*, user: User, trajectory: Trajectory, date: datetime.date) -> Trajectory:
    """Close: the running period ends on `date` and the trajectory ends there too."""
    if trajectory.end_date is not None:
        raise ApplicationError(_("Dit traject is al afgesloten."))
    if date < trajectory.start_date:
        raise ApplicationError(
            _("De einddatum ligt voor de startdatum."), fields={"date": [_("Kies een latere datum.")]}
        )
    running = _running_period(trajectory)
    if running is not None:
        if date < running.start_date or (date == running.start_date and running.start_date == trajectory.start_date):
            raise ApplicationError(
                _("De einddatum moet na de start van de lopende periode (%(start)s) liggen.")
                % {"start": date_text(running.start_date)},
                fields={"date": [_("Na %(start)s.") % {"start": date_text(running.start_date)}]},
            )
        if date == running.start_date:  # closed on the day of a change: that day's change is void
            running.delete()
            previous = trajectory.periods.filter(end_date=date).order_by("-start_date").first()
            if previous is not None and previous.worker_id and previous.worker_id != trajectory.worker_id:
                # A handover that day is void too: the trajectory ends with the worker it had.
                trajectory.worker_id = previous.worker_id
                _save(trajectory, update_fields=["worker", "updated_at"])
        else:
            running.end_date = date
            _save(running, update_fields=["end_date"])
    trajectory.end_date = date
    _save(trajectory, update_fields=["end_date", "updated_at"])
    _log(user, AuditLogEntry.Action.UPDATE, trajectory, f"closed on {date}")
    return trajectory


@transaction.atomic
def outcome_register(
    *, user: User, trajectory: Trajectory, date: datetime.date, outcome: str, note: str = ""
) -> Outcome:
    """Register an outcome; an outcome of a follow-up type (work, work_subsidised, improved_position,
    school) plans durability checks at the organisation's ``follow_up_months``, calendar months from
    the outcome date (SPEC §4b, ``cases.calculations.follow_up_due_dates``)."""
    if date < trajectory.start_date:
        raise ApplicationError(
            _("Het resultaat ligt voor de start van het traject."), fields={"date": [_("Te vroeg.")]}
        )
    record = Outcome(trajectory=trajectory, date=date, outcome=outcome, note=note)
    _validated(record)
    _save(record)
    if outcome in FOLLOW_UP_OUTCOMES:
        months = trajectory.approach.organisation.follow_up_months
        FollowUp.objects.bulk_create(
            FollowUp(outcome=record, months_after=months_after, due_date=due_date)
            for months_after, due_date in calculations.follow_up_due_dates(date, months).items()
        )
    _log(user, AuditLogEntry.Action.UPDATE, trajectory, f"outcome {outcome} on {date}")
    return record


@transaction.atomic
def trajectory_working_elements_set(*, user: User, trajectory: Trajectory, names: list[str]) -> Trajectory:
    """The werkzame elementen used in a trajectory (SPEC §4b working elements), by name, from the
    organisation's list: the ticked set replaces the earlier one. An unknown name is refused."""
    wanted = list(dict.fromkeys(name.strip() for name in names))
    known = {
        element.name: element
        for element in WorkingElement.objects.filter(organisation_id=trajectory.approach.organisation_id)
    }
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise ApplicationError(
            _("Onbekend werkzaam element: %(names)s. De organisatie kent: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(sorted(known)) or "-"},
            fields={"working_elements": [_("Kies uit de werkzame elementen van de organisatie.")]},
        )
    trajectory.working_elements.set([known[name] for name in wanted])
    _log(user, AuditLogEntry.Action.UPDATE, trajectory, f"working elements: {', '.join(sorted(wanted)) or '-'}")
    return trajectory


@transaction.atomic
def follow_up_answer(*, user: User, follow_up: FollowUp, answer: str, answered_on: datetime.date) -> FollowUp:
    if answer not in FollowUp.Answer.values:
        raise ApplicationError(_("Onbekend antwoord."), fields={"answer": [_("Kies een antwoord.")]})
    follow_up.answer = answer
    follow_up.answered_on = answered_on
    follow_up.save(update_fields=["answer", "answered_on"])
    _log(
        user,
        AuditLogEntry.Action.UPDATE,
        follow_up.outcome.trajectory,
        f"follow-up +{follow_up.months_after}: {answer}",
    )
    return follow_up


def _handover_check(note: str, date: datetime.date, met_together_on: datetime.date | None) -> None:
    """What every warme overdracht needs (SPEC §7): a note, and a meeting no later than the handover."""
    if not note.strip():
        raise ApplicationError(
            _("Een warme overdracht heeft een notitie."), fields={"note": [_("Vul een notitie in.")]}
        )
    if met_together_on is not None and met_together_on > date:
        raise ApplicationError(
            _("Het gezamenlijke gesprek ligt na de overdracht."),
            fields={"met_together_on": [_("Uiterlijk op de overdrachtsdatum.")]},
        )


def _handover_record(user: User, trajectory: Trajectory, from_worker: Worker, detail: str, **fields: Any) -> Handover:
    """The Handover row (to a worker or an organisation, ``fields``) and its audit line."""
    handover = Handover(trajectory=trajectory, from_worker=from_worker, created_by=user, **fields)
    _validated(handover)
    _save(handover)
    _log(user, AuditLogEntry.Action.UPDATE, trajectory, detail)
    return handover


@transaction.atomic
def trajectory_handover(
    *,
    user: User,
    trajectory: Trajectory,
    to_worker: Worker,
    date: datetime.date,
    note: str,
    met_together_on: datetime.date | None = None,
) -> Handover:
    """Warme overdracht (SPEC §2, §7): recorded with a note; the youth's later periods move to the
    new worker, earlier ones keep naming the old worker, so history and caseload stay right."""
    _handover_check(note, date, met_together_on)
    if to_worker.team.organisation_id != trajectory.approach.organisation_id:
        raise ApplicationError(
            _("Overdragen kan alleen binnen de organisatie."), fields={"to_worker": [_("Onbekende collega.")]}
        )
    if to_worker.pk == trajectory.worker_id:
        raise ApplicationError(
            _("Deze collega is al de begeleider."), fields={"to_worker": [_("Kies een andere collega.")]}
        )
    from_worker = trajectory.worker
    # Earlier periods that followed the trajectory's worker now name that worker explicitly.
    trajectory.periods.filter(worker__isnull=True).update(worker=from_worker)
    running = _running_period(trajectory)
    if running is None:
        raise ApplicationError(_("Dit traject heeft geen lopende periode om over te dragen."))
    if date < running.start_date:
        raise ApplicationError(
            _("De overdracht ligt voor de start van de lopende periode (%(start)s).")
            % {"start": date_text(running.start_date)},
            fields={"date": [_("Vanaf %(start)s.") % {"start": date_text(running.start_date)}]},
        )
    if date > running.start_date:
        period_change(
            user=user, trajectory=trajectory, date=date, phase=running.phase, role=running.role, worker=to_worker
        )
    else:  # handed over on the day the running period began: that period moves as a whole
        running.worker = to_worker
        _save(running, update_fields=["worker"])
    trajectory.worker = to_worker
    _save(trajectory, update_fields=["worker", "updated_at"])
    return _handover_record(
        user,
        trajectory,
        from_worker,
        f"handover {from_worker.external_id} -> {to_worker.external_id}",
        to_worker=to_worker,
        date=date,
        met_together_on=met_together_on,
        note=note,
    )


def trajectory_hand_over(
    *,
    user: User,
    trajectory: Trajectory,
    to_worker: Worker | None,
    to_organisation: str,
    date: datetime.date,
    note: str,
    met_together_on: datetime.date | None = None,
) -> Handover:
    """Warme overdracht to exactly one recipient (SPEC §7): a colleague (``trajectory_handover``)
    or another organisation (``trajectory_handover_external``). The page and the API ask this."""
    if (to_worker is None) == (not to_organisation.strip()):
        raise ApplicationError(
            _("Kies een collega of een andere organisatie."),
            fields={"to_worker": [_("Een collega, of een andere organisatie: één van beide.")]},
        )
    if to_worker is None:
        return trajectory_handover_external(
            user=user,
            trajectory=trajectory,
            to_organisation=to_organisation,
            date=date,
            note=note,
            met_together_on=met_together_on,
        )
    return trajectory_handover(
        user=user, trajectory=trajectory, to_worker=to_worker, date=date, note=note, met_together_on=met_together_on
    )


@transaction.atomic
def trajectory_handover_external(
    *,
    user: User,
    trajectory: Trajectory,
    to_organisation: str,
    date: datetime.date,
    note: str,
    met_together_on: datetime.date | None = None,
) -> Handover:
    """Warme overdracht to another organisation (SPEC §7): recorded with the organisation's name,
    the note and the day both met the youth, and the trajectory closes here on ``date`` (the
    youth's history stays readable; the other organisation keeps its own records)."""
    name = to_organisation.strip()
    if not name:
        raise ApplicationError(
            _("Naar welke organisatie gaat de jongere?"), fields={"to_organisation": [_("Vul de organisatie in.")]}
        )
    _handover_check(note, date, met_together_on)
    from_worker = trajectory.worker
    trajectory_close(user=user, trajectory=trajectory, date=date)
    return _handover_record(
        user,
        trajectory,
        from_worker,
        f"handover {from_worker.external_id} -> organisation {name}",
        to_organisation=name,
        date=date,
        met_together_on=met_together_on,
        note=note,
    )


@dataclass(frozen=True)
class TimeEntryInput:
    date: datetime.date
    minutes: int
    category: str
    trajectory: Trajectory | None = None
    note: str = ""


@transaction.atomic
def time_entry_log(*, user: User, worker: Worker, entry: TimeEntryInput) -> TimeEntry:
    """Log time (SPEC §2): client time is about one youth, so it needs a trajectory; overhead has none."""
    if entry.category in (TimeCategory.CLIENT_DIRECT, TimeCategory.CLIENT_INDIRECT) and entry.trajectory is None:
        raise ApplicationError(
            _("Cliënttijd hoort bij een traject."), fields={"trajectory": [_("Kies de jongere / het traject.")]}
        )
    if entry.category == TimeCategory.OVERHEAD and entry.trajectory is not None:
        raise ApplicationError(
            _("Overhead hoort niet bij één jongere."), fields={"trajectory": [_("Laat leeg bij overhead.")]}
        )
    if not 0 < entry.minutes <= 24 * 60:
        raise ApplicationError(
            _("Het aantal minuten moet tussen 1 en 1440 liggen."), fields={"minutes": [_("Tussen 1 en 1440.")]}
        )
    record = TimeEntry(
        worker=worker,
        date=entry.date,
        minutes=entry.minutes,
        category=entry.category,
        trajectory=entry.trajectory,
        note=entry.note,
    )
    _validated(record)
    _save(record)
    if entry.trajectory is not None:
        _log(
            user, AuditLogEntry.Action.UPDATE, entry.trajectory, f"{entry.minutes} min {entry.category} on {entry.date}"
        )
    else:  # overhead names no youth, so no audit row: the logged hours change all the same
        case_data_changed(organisation_id=worker.team.organisation_id)
    return record


@transaction.atomic
def time_entry_update(
    *, user: User, worker: Worker, entry: TimeEntry, date: datetime.date, minutes: int, category: str, note: str
) -> TimeEntry:
    """Correct one's own time entry (after one-click logging): date, minutes, category, note. Client
    time keeps its trajectory; an entry turned into overhead lets go of it, overhead cannot become
    client time (it has no youth)."""
    if entry.worker_id != worker.pk:
        raise ApplicationError(_("U kunt alleen uw eigen uren aanpassen."))
    trajectory = entry.trajectory if category != TimeCategory.OVERHEAD else None
    checked = TimeEntryInput(date=date, minutes=minutes, category=category, trajectory=trajectory, note=note)
    if checked.category in (TimeCategory.CLIENT_DIRECT, TimeCategory.CLIENT_INDIRECT) and trajectory is None:
        raise ApplicationError(
            _("Cliënttijd hoort bij een traject."), fields={"category": [_("Overhead kan geen cliënttijd worden.")]}
        )
    if not 0 < minutes <= 24 * 60:
        raise ApplicationError(
            _("Het aantal minuten moet tussen 1 en 1440 liggen."), fields={"minutes": [_("Tussen 1 en 1440.")]}
        )
    was = entry.trajectory
    entry.date, entry.minutes, entry.category, entry.trajectory, entry.note = date, minutes, category, trajectory, note
    _validated(entry)
    _save(entry)
    if was is not None:
        _log(
            user,
            AuditLogEntry.Action.UPDATE,
            was,
            f"time entry {entry.pk} corrected: {minutes} min {category} on {date}",
        )
    else:
        case_data_changed(organisation_id=worker.team.organisation_id)
    return entry


@transaction.atomic
def youth_pick_up(*, user: User, youth: Youth, date: datetime.date) -> Youth:
    """Take a melding out of the intake queue: the date of first contact is recorded."""
    if youth.first_contact_on is not None:
        raise ApplicationError(_("Deze jongere is al opgepakt."))
    if youth.reported_on and date < youth.reported_on:
        raise ApplicationError(_("Eerste contact kan niet voor de melding liggen."), fields={"date": [_("Te vroeg.")]})
    youth.first_contact_on = date
    youth.save(update_fields=["first_contact_on", "updated_at"])
    audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.UPDATE, detail=f"picked up on {date}")
    return youth


@transaction.atomic
def youth_anonymise(*, youth: Youth, user: User | None = None) -> Youth:
    """SPEC §8 retention: strip personal data, keep what aggregates need (pseudonymous key, birth
    year for age bands, target group, education, complexity, the trajectories' dates and outcomes)."""
    youth.first_name = ""
    youth.last_name = ""
    youth.phone = ""
    youth.email = ""
    youth.address = ""
    if youth.birth_date is not None:
        youth.birth_date = youth.birth_date.replace(month=7, day=1)
    youth.anonymised_at = timezone.now()
    youth.save()
    Handover.objects.filter(trajectory__youth=youth).update(note="")
    Outcome.objects.filter(trajectory__youth=youth).update(note="")
    TimeEntry.objects.filter(trajectory__youth=youth).update(note="")
    audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.ANONYMISE, detail="retention term passed")
    return youth


def youths_anonymise_expired(*, today: datetime.date) -> int:
    """Anonymise every youth whose trajectories all ended longer ago than their organisation's
    retention term. Returns how many were anonymised; safe to run again (idempotent)."""
    count = 0
    candidates = (
        Youth.objects.filter(anonymised_at__isnull=True, trajectories__isnull=False)
        .exclude(trajectories__end_date__isnull=True)
        .select_related("organisation")
        .annotate(last_end=Max("trajectories__end_date"))
    )
    for youth in candidates.iterator():
        cutoff = calculations.add_calendar_months(today, -youth.organisation.retention_months)
        if youth.last_end < cutoff:  # type: ignore[attr-defined]
            youth_anonymise(youth=youth)
            count += 1
    return count


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def youth_data_export(*, user: User, youth: Youth) -> dict[str, Any]:
    """Inzage (SPEC §8, AVG art. 15): everything the organisation holds on one youth, as plain
    data, and who read or changed it (the audit trail); the export itself is logged first, so it
    appears in its own trail. The caller decides who may make it (``youths_for_inzage``)."""
    audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.EXPORT, detail="inzage export")
    trajectories = (
        youth.trajectories.filter(approach__organisation_id=youth.organisation_id)
        .select_related("approach", "worker")
        .prefetch_related(
            "periods__worker",
            "outcomes__follow_ups",
            "handovers__from_worker",
            "handovers__to_worker",
            "time_entries__worker",
            "working_elements",
            "cost_items",
        )
        .order_by("start_date", "pk")
    )
    return {
        "organisation": youth.organisation.name,
        "made_on": timezone.localdate().isoformat(),
        "made_by": user.get_full_name() or user.username,
        "youth": {
            "key": youth.external_id,
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "birth_date": _iso(youth.birth_date),
            "phone": youth.phone,
            "email": youth.email,
            "address": youth.address,
            "target_group": str(youth.target_group or ""),
            "education_level": youth.education_level,
            "has_startkwalificatie": youth.has_startkwalificatie,
            "benefit": youth.benefit,
            "life_domains": youth.life_domains,
            "complexity": youth.complexity,
            "municipality": str(youth.municipality or ""),
            "referral_route": youth.referral_route,
            "reported_on": _iso(youth.reported_on),
            "first_contact_on": _iso(youth.first_contact_on),
            "anonymised_at": youth.anonymised_at.isoformat() if youth.anonymised_at else None,
        },
        "trajectories": [
            {
                "key": t.external_id,
                "approach": t.approach.name,
                "worker": t.worker.name,
                "start_date": t.start_date.isoformat(),
                "end_date": _iso(t.end_date),
                "periods": [
                    {
                        "phase": p.phase,
                        "role": p.role,
                        "start_date": p.start_date.isoformat(),
                        "end_date": _iso(p.end_date),
                        "worker": p.worker.name if p.worker else None,
                    }
                    for p in sorted(t.periods.all(), key=lambda p: (p.start_date, p.pk))
                ],
                "outcomes": [
                    {
                        "outcome": o.outcome,
                        "date": o.date.isoformat(),
                        "note": o.note,
                        "follow_ups": [
                            {
                                "months_after": f.months_after,
                                "due_date": f.due_date.isoformat(),
                                "answer": f.answer,
                                "answered_on": _iso(f.answered_on),
                            }
                            for f in o.follow_ups.all()
                        ],
                    }
                    for o in t.outcomes.all()
                ],
                "handovers": [
                    {
                        "date": h.date.isoformat(),
                        "from_worker": h.from_worker.name,
                        "to_worker": h.to_worker.name if h.to_worker else h.to_organisation,
                        "met_together_on": _iso(h.met_together_on),
                        "note": h.note,
                    }
                    for h in t.handovers.all()
                ],
                "time_entries": [
                    {
                        "date": e.date.isoformat(),
                        "minutes": e.minutes,
                        "category": e.category,
                        "note": e.note,
                        "worker": e.worker.name,
                    }
                    for e in sorted(t.time_entries.all(), key=lambda e: (e.date, e.pk))
                ],
                "working_elements": sorted(element.name for element in t.working_elements.all()),
                "cost_items": [
                    {"date": c.date.isoformat(), "line": c.line, "amount": str(c.amount), "description": c.description}
                    for c in sorted(t.cost_items.all(), key=lambda c: (c.date, c.pk))
                ],
            }
            for t in trajectories
        ],
        "audit_trail": [
            {
                "at": line.at.isoformat(),
                "who": line.actor,
                "action": line.action,
                "what": line.object_type,
                "detail": line.detail,
            }
            for line in youth_audit_trail(youth=youth)
        ],
    }
