"""Use cases of the caseload app: moving a youth to a colleague, and the planning calculator.

Moving a youth is a warme overdracht and goes through ``cases.services.trajectory_handover``, the
one handover service (the worker's dossier uses it too); this module only adds who may do it
from the team dashboard, and the audit row for the youths the dashboard names when it offers
them for moving. The planning calculator writes nothing: its document is assembled here
so that ``manage.py plan_capacity``, the API and the planning page give the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload import calculations as calc
from cases.models import Approach, Handover, NormChange
from cases.selectors import trajectories_visible_to
from cases.services import trajectory_handover
from core import access
from core.access import Capability
from core.exceptions import ApplicationError
from core.models import AuditLogEntry, User, Worker
from core.selectors import workers_visible_to
from core.services import audit_log_read, audit_log_record

# --- Moving a youth ---------------------------------------------------------------------------


def youth_move(
    *,
    user: User,
    trajectory_id: int,
    to_worker_id: int,
    date: dt.date,
    note: str,
) -> Handover:
    """Move a youth to a colleague from the team dashboard (SPEC.md 1, "reassignment"; 7).

    Only a user who may move youths (``Capability.MOVE_YOUTHS``: a team lead) moves them here,
    only a trajectory they may see, and only to an active worker of a team they lead; the
    handover itself (note required, later periods to the new worker, audit log) is
    ``cases.services.trajectory_handover``.
    """
    if not access.has(user, Capability.MOVE_YOUTHS):
        raise ApplicationError(_("Alleen een teamleider kan jongeren verplaatsen."))
    trajectory = trajectories_visible_to(user).filter(pk=trajectory_id).first()
    if trajectory is None:
        raise ApplicationError(_("Onbekend traject."), fields={"trajectory": [_("Kies een jongere uit de lijst.")]})
    to_worker: Worker | None = workers_visible_to(user).filter(pk=to_worker_id, is_active=True).first()
    if to_worker is None:
        raise ApplicationError(_("Onbekende collega."), fields={"to_worker": [_("Kies een collega uit de lijst.")]})
    return trajectory_handover(user=user, trajectory=trajectory, to_worker=to_worker, date=date, note=note)


def team_dashboard_read_log(*, user: User, youth_keys: Iterable[str]) -> AuditLogEntry | None:
    """The team dashboard's lists ("move a youth", "afschalen op tijd") name youths: one audit row
    per request naming them all (SPEC §8), none when the page named nobody."""
    return audit_log_read(
        user=user,
        youth_keys=sorted(set(youth_keys)),
        organisation_id=user.organisation_id,
        object_type="youth",
        detail="teamdashboard",
    )


# --- Adopting a norm (issue 17, item 1) ----------------------------------------------------------


@transaction.atomic
def norm_adopt(
    *,
    user: User,
    valid_from: dt.date,
    norm_hours: Mapping[str, Decimal],
    source: str,
    approach_id: int | None = None,
) -> NormChange:
    """Adopt norms (hours per youth per year, all four roles) for the user's organisation, or for
    one of its approaches, from ``valid_from`` on: the caseload figures from that day use them, the
    days before keep the norms that held then (``calculations.settings_on``); so ``valid_from`` is
    today or later (an adoption never rewrites a day that has passed).

    Only a beheerder (``Capability.CONFIGURE``) adopts norms. A second adoption for the same day
    and scope replaces that day's figures (a correction), as a same-day phase change does. The
    change is written to the audit log (who adopted which norms from when, from what source)."""
    if not access.has(user, Capability.CONFIGURE) or user.organisation_id is None:
        raise ApplicationError(_("Alleen een beheerder kan een norm vaststellen."))
    if valid_from < timezone.localdate():  # "the past keeps its own": no adoption reaches back
        raise ApplicationError(
            _("Een norm geldt vanaf vandaag of later."),
            fields={"valid_from": [_("De dagen tot vandaag houden de norm die toen gold: kies vandaag of later.")]},
        )
    approach = None
    if approach_id is not None:
        approach = Approach.objects.filter(pk=approach_id, organisation_id=user.organisation_id).first()
        if approach is None:
            raise ApplicationError(_("Onbekende aanpak."), fields={"approach": [_("Kies een aanpak uit de lijst.")]})
    missing = [role for role in calc.ROLES if role not in norm_hours]
    if missing or set(norm_hours) - set(calc.ROLES):
        raise ApplicationError(_("Geef een norm voor coaching, uitvoering, regie en monitoring."))
    change = NormChange.objects.filter(
        organisation_id=user.organisation_id, approach=approach, valid_from=valid_from
    ).first() or NormChange(organisation_id=user.organisation_id, approach=approach, valid_from=valid_from)
    for role in calc.ROLES:
        setattr(change, f"norm_{role}_hours", norm_hours[role])
    change.source = source.strip()
    change.recorded_by = user
    try:
        change.full_clean()
    except ValidationError as error:
        raise ApplicationError(_("De norm is niet vastgesteld."), fields=error.message_dict) from error
    created = change.pk is None
    change.save()
    hours = ", ".join(f"{role} {norm_hours[role]}" for role in calc.ROLES)
    audit_log_record(
        user=user,
        action=AuditLogEntry.Action.CREATE if created else AuditLogEntry.Action.UPDATE,
        object_type="norm",
        object_id=change.pk,
        organisation=user.organisation,
        detail=f"{approach or _('organisatie')} vanaf {valid_from.isoformat()}: {hours} ({change.source})",
    )
    return change


# --- Planning calculator -------------------------------------------------------------------------

_LINE = re.compile(r"^\s*(?P<youths>\d+(?:[.,]\d+)?)\s*[xX*]\s*(?P<hours>\d+(?:[.,]\d+)?)\s*$")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def planning_line_parse(text: str) -> calc.PlanningLine:
    """``"50x20"``: 50 youths a year of 20 hours each. Raises ValueError with the reason."""
    match = _LINE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not YOUTHSxHOURS (e.g. 50x20)")
    return calc.PlanningLine(youths=_number(match["youths"]), hours_per_youth=_number(match["hours"]))


def planning_mix_parse(values: Iterable[str]) -> dict[str, calc.PlanningLine]:
    """``["coaching=50x20", "regie=25x6"]`` into a planning mix; ValueError names the bad value."""
    mix: dict[str, calc.PlanningLine] = {}
    for value in values:
        role, separator, line = value.partition("=")
        role = role.strip()
        if not separator:
            raise ValueError(f"{value!r} is not ROLE=YOUTHSxHOURS (e.g. coaching=50x20)")
        if role not in calc.ROLES:
            raise ValueError(f"unknown role {role!r} in {value!r}; expected one of {', '.join(calc.ROLES)}")
        if role in mix:
            raise ValueError(f"role {role!r} is given twice")
        try:
            mix[role] = planning_line_parse(line)
        except ValueError as error:
            raise ValueError(f"{value!r}: {error}") from error
    if not mix:
        raise ValueError("give at least one role, e.g. coaching=50x20")
    return mix


def capacity_plan_document(
    mix: Mapping[str, calc.PlanningLine],
    *,
    settings: calc.CaseloadSettings = calc.DEFAULT_SETTINGS,
    fte: float | None = None,
) -> dict[str, object]:
    """SPEC.md 6, ``plan_capacity`` JSON: ``total_hours, youths, hours_per_youth, fte_needed``.

    With ``fte`` (the fte available) two more keys answer "how many youths fit": ``fte`` and
    ``youths_that_fit`` (youths a year with the same mix, to 0.1; null when the mix needs no hours).
    """
    document = calc.capacity_plan_json(calc.capacity_plan(mix, settings))
    if fte is not None:
        fitting = calc.youths_that_fit(fte, mix, settings)
        document["fte"] = calc.round_half_up(fte, calc.RATIO_PLACES)
        document["youths_that_fit"] = None if fitting is None else calc.youths_output(fitting)
    return document
