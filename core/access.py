"""Who may do what: the one place that decides access (SPEC.md section 8).

Roles are sets of named capabilities. Every page, API action, navigation item, export and admin
page asks ``has`` (or ``require``) here; the selectors apply the scope below to their querysets,
so which *records* a user reaches is decided by ``case_scope`` and nowhere else.

Need-to-know, by role:
- begeleider (worker): case contents of their own trajectories (and of their team's where the
  organisation allows it), writes them, registers youths, logs their own hours; enters MKBA cost
  items on those trajectories only where the organisation allows it (``workers_enter_costs``);
- teamleider (team lead): the same for the teams they lead, team aggregates, moving youths
  between colleagues, the inzage export (AVG art. 15) of a youth of a team they lead, and MKBA
  cost items on the trajectories of the teams they lead (approach-level items they read but do
  not change: those count for every team of the approach);
- beleidsmedewerker / analist (analyst): aggregates and pseudonymous keys only, MKBA parameter sets,
  and the MKBA cost items (lines 1b, 1c, 2, 3) of every approach and trajectory of the
  organisation, the trajectories named by their pseudonymous keys;
- beheerder (admin): configuration of their own organisation (teams, workers, norms, approaches,
  parameter sets, schedules, users) and aggregates; never case contents;
- privacyfunctionaris (privacy officer): the audit trail and the inzage export of any youth of
  their organisation, and nothing else.
Nobody reaches another organisation's data. A user without an organisation, or inactive, has no
capability at all; a superuser made by an operator with ``createsuperuser`` is an operator of the
installation (the admin's configuration), not a reader of case contents.
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import PermissionDenied

from core.models import Organisation, User


class Capability(enum.StrEnum):
    SEE_CASE_CONTENTS = "see_case_contents"  # names, dossiers, caseload lists, time-entry notes
    WRITE_CASE_DATA = "write_case_data"  # periods, outcomes, handovers, time entries, follow-up answers
    REGISTER_YOUTH = "register_youth"  # register a youth; ask "already known?" (SPEC §7)
    LOG_OWN_TIME = "log_own_time"  # one's own hours (needs a linked worker record)
    EXPORT_INZAGE = "export_inzage"  # one youth's complete data on request (AVG art. 15)
    SEE_AGGREGATES = "see_aggregates"  # team dashboard, planning, MKBA, stored reports
    MOVE_YOUTHS = "move_youths"  # reassign a youth to a colleague from the team dashboard
    EDIT_PARAMETER_SETS = "edit_parameter_sets"  # MKBA kengetallen: new versions, import
    CONFIGURE = "configure"  # the admin: organisation, teams, workers, norms, approaches, users
    READ_AUDIT_LOG = "read_audit_log"  # the audit page and its CSV download
    ENTER_COSTS = "enter_costs"  # MKBA cost items (SPEC §4 lines 1b, 1c, 2, 3): page and API, scope: cost_scope


class CostScope(enum.Enum):
    """Which cost items a user with ``Capability.ENTER_COSTS`` reads and writes."""

    NONE = "none"
    # Items on the trajectories of the teams they lead (read and write) and the approach-level items
    # of the organisation's approaches (read only: they count for every team of the approach).
    LED_TEAMS = "led_teams"
    # Every item of the organisation's approaches and trajectories (the trajectory by its keys).
    ORGANISATION = "organisation"
    # Items on the trajectories of their case scope (read and write), nothing approach-level: a
    # worker where the organisation allows it (``Organisation.workers_enter_costs``).
    CASE_TRAJECTORIES = "case_trajectories"


class CaseScope(enum.Enum):
    """Which trajectories (and so youths) a user's case capabilities reach."""

    NONE = "none"
    OWN = "own"  # trajectories the worker is responsible for, or has a running period of
    OWN_AND_TEAM = "own_and_team"  # the same for every worker of their team (organisation setting)
    LED_TEAMS = "led_teams"  # trajectories of the teams the user leads
    ORGANISATION = "organisation"  # every youth of the organisation (privacy officer, inzage only)


_CASE_WORK = frozenset(
    {Capability.SEE_CASE_CONTENTS, Capability.WRITE_CASE_DATA, Capability.REGISTER_YOUTH, Capability.LOG_OWN_TIME}
)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    User.Role.WORKER: _CASE_WORK,
    User.Role.TEAM_LEAD: _CASE_WORK
    | {Capability.EXPORT_INZAGE, Capability.SEE_AGGREGATES, Capability.MOVE_YOUTHS, Capability.ENTER_COSTS},
    User.Role.ANALYST: frozenset({Capability.SEE_AGGREGATES, Capability.EDIT_PARAMETER_SETS, Capability.ENTER_COSTS}),
    User.Role.ADMIN: frozenset({Capability.SEE_AGGREGATES, Capability.EDIT_PARAMETER_SETS, Capability.CONFIGURE}),
    User.Role.PRIVACY_OFFICER: frozenset({Capability.EXPORT_INZAGE, Capability.READ_AUDIT_LOG}),
}


def _member(user: Any) -> User | None:
    """The user as an active member of an organisation, or None (anonymous, inactive, no organisation)."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not isinstance(user, User)
        or not user.is_active
        or user.organisation_id is None
    ):
        return None
    return user


# Capabilities an organisation setting adds to a role (issue 15: "for whoever the organisation allows").
ORGANISATION_CAPABILITIES: dict[str, tuple[tuple[str, Capability], ...]] = {
    User.Role.WORKER: (("workers_enter_costs", Capability.ENTER_COSTS),),
}


def capabilities(user: Any) -> frozenset[Capability]:
    member = _member(user)
    if member is None:
        return frozenset()
    granted = ROLE_CAPABILITIES.get(member.role, frozenset())
    for setting, capability in ORGANISATION_CAPABILITIES.get(member.role, ()):
        if getattr(member.organisation, setting, False):
            granted |= {capability}
    return granted


def has(user: Any, capability: Capability) -> bool:
    """May this user use this capability at all (within their scope)?"""
    return capability in capabilities(user)


def require(user: Any, capability: Capability) -> User:
    """``has`` for views: the user, or PermissionDenied (a Dutch 403 page, a 403 in the API)."""
    if not has(user, capability):
        raise PermissionDenied
    return user  # type: ignore[no-any-return]


def case_scope(user: Any) -> CaseScope:
    """Which trajectories the user's case capabilities reach (the selectors turn this into a query)."""
    member = _member(user)
    if member is None or not (capabilities(member) & {Capability.SEE_CASE_CONTENTS, Capability.EXPORT_INZAGE}):
        return CaseScope.NONE
    if member.role == User.Role.PRIVACY_OFFICER:
        return CaseScope.ORGANISATION
    if member.role == User.Role.TEAM_LEAD:
        return CaseScope.LED_TEAMS
    if member.organisation is not None and member.organisation.workers_see_team_youths:
        return CaseScope.OWN_AND_TEAM
    return CaseScope.OWN


def cost_scope(user: Any) -> CostScope:
    """Which cost items the user's ``ENTER_COSTS`` reaches (mkba.selectors turns this into queries).

    A team lead only their led teams' trajectories: costs on a trajectory concern that youth, and an
    approach-level item changes every team's figures of the approach, so that is the analyst's."""
    member = _member(user)
    if member is None or Capability.ENTER_COSTS not in capabilities(member):
        return CostScope.NONE
    if member.role == User.Role.TEAM_LEAD:
        return CostScope.LED_TEAMS
    if member.role == User.Role.WORKER:
        return CostScope.CASE_TRAJECTORIES
    return CostScope.ORGANISATION


def is_operator(user: Any) -> bool:
    """A superuser made with ``createsuperuser``: operates the installation (every organisation's
    configuration, the schedules, the login lock-outs), reads no case contents."""
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def may_configure(user: Any) -> bool:
    """May this user open the admin at all: a beheerder (their own organisation) or an operator."""
    return has(user, Capability.CONFIGURE) or is_operator(user)


def may_change_schedules(user: Any) -> bool:
    """The background jobs' schedules (reports, retention) hold for every organisation of the
    installation: an operator changes them, or a beheerder when theirs is the only organisation."""
    if is_operator(user):
        return True
    return has(user, Capability.CONFIGURE) and Organisation.objects.count() == 1


def may_configure_organisation(user: Any, organisation_id: int | None) -> bool:
    """The admin configures their own organisation only; an operator's superuser every one."""
    if is_operator(user):
        return True
    member = _member(user)
    return member is not None and has(member, Capability.CONFIGURE) and member.organisation_id == organisation_id


def navigation(user: Any) -> dict[str, bool]:
    """What the menu offers this user: each item asks the capability its page asks."""
    caps = capabilities(user)
    return {
        "caseload": Capability.SEE_CASE_CONTENTS in caps,
        "youths": Capability.SEE_CASE_CONTENTS in caps,
        "intake": Capability.SEE_CASE_CONTENTS in caps,
        "team": Capability.SEE_AGGREGATES in caps,
        "planning": Capability.SEE_AGGREGATES in caps,
        "mkba": Capability.SEE_AGGREGATES in caps,
        "accountability": Capability.SEE_AGGREGATES in caps,
        "parameter_sets": Capability.SEE_AGGREGATES in caps,
        "costs": Capability.ENTER_COSTS in caps,
        "audit": Capability.READ_AUDIT_LOG in caps,
        "inzage": Capability.EXPORT_INZAGE in caps,
        "admin": Capability.CONFIGURE in caps or bool(getattr(user, "is_superuser", False)),
    }
