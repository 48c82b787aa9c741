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

from django.utils.translation import gettext as _

from caseload import calculations as calc
from cases.models import Handover
from cases.selectors import trajectories_visible_to
from cases.services import trajectory_handover
from core import access
from core.access import Capability
from core.exceptions import ApplicationError
from core.models import AuditLogEntry, User, Worker
from core.selectors import workers_visible_to
from core.services import audit_log_read

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
