"""MKBA services (SPEC §6): the writes of versioned parameter sets (import, new version, an
approach's assignment) and of cost items (SPEC §4 cost lines 1b, 1c, 2, 3), validated first and
audited.

The MKBA on demand (a report or a scenario as the contract JSON of SPEC §4) reads and computes and
stores nothing: it lives in ``mkba.selectors`` (``mkba_report_generate``). The MKBA's stored-report
kinds are declared in ``mkba.reports``; the reports app stores them.
"""

import datetime
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Max

from cases.models import Approach, CostItem, CostLine, Trajectory
from core.exceptions import ApplicationError
from core.formats import date_text, number_text
from core.models import AuditLogEntry, Organisation, User
from core.services import audit_log_record
from mkba import calculations, own_scenarios, parameter_set_messages, selectors
from mkba.models import OwnScenario, ParameterSet

logger = logging.getLogger(__name__)

# Keys of the parameter-set JSON (SPEC §6) that describe the set rather than parameterise it: on
# import they go to the columns, on export they come back from the columns.
META_KEYS = ("name", "version", "notes", "description")


def parameter_set_errors(data: object) -> dict[str, list[str]]:
    """Validate a parameter-set document (``calculations.parameter_set_issues``) and return the
    errors by JSON path (``$.outcomes.work.baseline``), in Dutch (gettext per error code); empty
    when valid."""
    return parameter_set_messages.errors_nl(calculations.parameter_set_issues(data))


def parameter_set_document_split(document: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a parameter-set JSON document (SPEC §6) into its description (name, version, notes,
    description) and its parameters (what ``ParameterSet.data`` holds)."""
    meta = {key: document[key] for key in META_KEYS if key in document}
    data = {key: value for key, value in document.items() if key not in META_KEYS}
    return meta, data


def parameter_set_notes_from_document(meta: Mapping[str, Any]) -> str:
    """A document's ``description`` and ``notes`` (a text or a list of texts) as one text."""
    parts: list[str] = []
    for key in ("description", "notes"):
        value = meta.get(key)
        if isinstance(value, list):
            parts.extend(str(item) for item in value)
        elif value:
            parts.append(str(value))
    return "\n\n".join(parts)


def _validated(document: object) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate a parameter-set document; return its parameters and its description (name,
    version, notes) apart. Raises ApplicationError with the errors by JSON path."""
    errors = parameter_set_errors(document)
    if errors:
        count = sum(len(messages) for messages in errors.values())
        raise ApplicationError(
            f"De kengetallen zijn ongeldig ({count} {'fout' if count == 1 else 'fouten'}).", fields=errors
        )
    # parameter_set_validate checked that it is an object. A JSON round trip: the stored data is
    # plain JSON (no Decimal), exactly what the export gives back.
    plain = cast(dict[str, Any], json.loads(json.dumps(document, default=_json_number)))
    meta, data = parameter_set_document_split(plain)
    return data, meta


def _json_number(value: object) -> float | int:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON: {value!r}")


def _next_version(*, name: str, organisation: Organisation | None) -> int:
    lineage = selectors.parameter_set_lineage(name=name, organisation=organisation)
    # Lock the versions seen, so two concurrent edits queue (the unique constraint is the backstop).
    list(lineage.select_for_update().values_list("pk", flat=True))
    highest = lineage.aggregate(highest=Max("version"))["highest"]
    return int(highest or 0) + 1


def _parameter_set_save(parameter_set: ParameterSet) -> ParameterSet:
    parameter_set.full_clean()
    try:
        with transaction.atomic():
            parameter_set.save()
    except IntegrityError as error:
        raise ApplicationError(
            "Deze versie is zojuist door iemand anders gemaakt; laad de set opnieuw en probeer het nog eens."
        ) from error
    return parameter_set


@transaction.atomic
def parameter_set_create(
    *,
    organisation: Organisation,
    name: str = "",
    data: object,
    notes: str = "",
    is_indicative: bool = False,
    created_by: User | None = None,
) -> ParameterSet:
    """Store a parameter set (an import, SPEC §6) in an organisation, validated first; nothing is
    written when it is invalid. ``data`` is the JSON document: its name (when ``name`` is empty)
    and its description and notes (when ``notes`` is empty) describe the set, its version is
    ignored (the database numbers versions). A set with a name that already exists (the
    organisation's own or a shared one) becomes that set's next version."""
    validated, meta = _validated(data)
    name = (name or str(meta.get("name") or "")).strip()
    if not name:
        raise ApplicationError("Geef de kengetallenset een naam.", fields={"name": ["Verplicht."]})
    notes = notes or parameter_set_notes_from_document(meta)
    based_on = selectors.parameter_set_latest(name=name, organisation=organisation)
    parameter_set = _parameter_set_save(
        ParameterSet(
            organisation=organisation,
            name=name,
            version=_next_version(name=name, organisation=organisation),
            based_on=based_on,
            data=validated,
            notes=notes,
            is_indicative=is_indicative,
            created_by=created_by,
        )
    )
    _audit(parameter_set, user=created_by, action=AuditLogEntry.Action.IMPORT)
    return parameter_set


@transaction.atomic
def parameter_set_version_create(
    *,
    parameter_set: ParameterSet,
    organisation: Organisation,
    data: object,
    notes: str | None = None,
    is_indicative: bool | None = None,
    created_by: User | None = None,
) -> ParameterSet:
    """Edit a parameter set: a new version (the highest version of its name + 1), never an update
    (SPEC §2: a report stores the exact version it used).

    - A shared set (no organisation) is edited by making the organisation's own next version of
      it; the shared set stays as it is for everyone else.
    - ``notes`` and ``is_indicative`` default to the base version's.
    - The organisation's approaches that use an older version of this set move to the new version
      (an approach follows its set; reports already made keep naming the version they used).
    """
    if parameter_set.organisation_id not in (None, organisation.pk):
        raise ApplicationError("Deze kengetallenset hoort bij een andere organisatie.")
    validated, meta = _validated(data)
    if notes is None and ("notes" in meta or "description" in meta):
        notes = parameter_set_notes_from_document(meta)
    new_version = _parameter_set_save(
        ParameterSet(
            organisation=organisation,
            name=parameter_set.name,
            version=_next_version(name=parameter_set.name, organisation=organisation),
            based_on=parameter_set,
            data=validated,
            notes=parameter_set.notes if notes is None else notes,
            is_indicative=parameter_set.is_indicative if is_indicative is None else is_indicative,
            created_by=created_by,
        )
    )
    Approach.objects.filter(
        organisation=organisation,
        parameter_set__in=selectors.parameter_set_lineage(name=parameter_set.name, organisation=organisation)
        .exclude(pk=new_version.pk)
        .values("pk"),
    ).update(parameter_set=new_version)
    _audit(
        new_version, user=created_by, action=AuditLogEntry.Action.CREATE, detail=f"nieuwe versie van {parameter_set}"
    )
    return new_version


@transaction.atomic
def approach_parameter_set_assign(
    *, approach: Approach, parameter_set: ParameterSet | None, user: User | None = None
) -> Approach:
    """Let an approach use a parameter set (or, with ``None``, its organisation's default)."""
    if parameter_set is not None:
        selectors.parameter_set_check_usable(parameter_set, approach.organisation_id)
    approach.parameter_set = parameter_set
    approach.save(update_fields=["parameter_set", "updated_at"])
    audit_log_record(
        user=user,
        action=AuditLogEntry.Action.UPDATE,
        object_type="approach",
        object_id=approach.pk,
        organisation=approach.organisation,
        detail=f"MKBA-kengetallen: {parameter_set or 'standaard'}",
    )
    return approach


def _audit(parameter_set: ParameterSet, *, user: User | None, action: str, detail: str = "") -> None:
    audit_log_record(
        user=user,
        action=action,
        object_type="parameter_set",
        object_id=parameter_set.pk,
        organisation=parameter_set.organisation,
        detail=detail or str(parameter_set),
    )


# --- Cost items (SPEC §4: cost lines 1b, 1c, 2 and 3) ---------------------------------------------

# Line 1a (begeleiding) follows from the logged hours (or the fte deployed): an item entered on it
# would count those hours twice, so only the other four lines are entered here. Imported 1a items
# stay as they are and may be edited, as long as their line does not change to 1a.
ENTERED_COST_LINES = (
    CostLine.OVERIGE_INTERVENTIE,
    CostLine.LOON_VERGOEDINGEN,
    CostLine.EXTRA_ZORG,
    CostLine.EXTRA_ONDERWIJS,
)
AMOUNT_MAX = Decimal("9999999999.99")  # CostItem.amount: 12 digits, 2 of them decimals
DESCRIPTION_MAX = 300
NOT_VISIBLE = "Onbekend of niet zichtbaar voor u."


def _amount_errors(amount: object) -> list[str]:
    if not isinstance(amount, Decimal | int) or isinstance(amount, bool):
        return ["Geef een bedrag in euro, bijvoorbeeld 1234,50."]
    value = Decimal(amount)
    if not value.is_finite():
        return ["Geef een bedrag in euro, bijvoorbeeld 1234,50."]
    if value < 0:
        return ["Het bedrag mag niet negatief zijn."]
    if value > AMOUNT_MAX:
        return ["Het bedrag is te groot (hoogstens € 9.999.999.999,99)."]
    try:
        if value != value.quantize(Decimal("0.01")):
            return ["Hoogstens twee cijfers achter de komma (centen)."]
    except InvalidOperation:
        return ["Geef een bedrag in euro, bijvoorbeeld 1234,50."]
    return []


def _cost_item_errors(
    *,
    user: User,
    approach: Approach,
    trajectory: Trajectory | None,
    date: datetime.date,
    line: str,
    amount: Decimal,
    description: str,
    current_line: str | None,
) -> dict[str, list[str]]:
    """Every rule of a cost item at once, per field (nothing is written when any fails)."""
    errors: dict[str, list[str]] = {}
    if not selectors.cost_approaches_for(user).filter(pk=approach.pk).exists():
        errors["approach"] = [NOT_VISIBLE]
    if trajectory is None:
        if not selectors.user_may_enter_approach_costs(user):
            errors["trajectory"] = [
                "Kies een traject: kosten op de aanpak als geheel tellen voor elk team en voert een "
                "beleidsmedewerker in."
            ]
    elif not selectors.cost_trajectories_for(user).filter(pk=trajectory.pk).exists():
        errors["trajectory"] = [NOT_VISIBLE]
    elif trajectory.approach_id != approach.pk:
        errors["trajectory"] = [f"Dit traject hoort niet bij de aanpak “{approach.name}”."]
    elif date < trajectory.start_date or (trajectory.end_date is not None and date >= trajectory.end_date):
        # The end date is exclusive, as everywhere: closing on D means the last day was D - 1.
        last = "" if trajectory.end_date is None else f" en vóór {date_text(trajectory.end_date)}"
        errors["date"] = [
            f"De datum moet binnen het traject liggen: op of na {date_text(trajectory.start_date)}{last}."
        ]
    if line not in CostLine.values:
        errors["line"] = ["Kies een kostenpost: 1b, 1c, 2 of 3."]
    elif line not in ENTERED_COST_LINES and line != current_line:
        errors["line"] = ["Kosten begeleiding (1a) volgen uit de geschreven uren; kies kostenpost 1b, 1c, 2 of 3."]
    amount_errors = _amount_errors(amount)
    if amount_errors:
        errors["amount"] = amount_errors
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [f"Hoogstens {DESCRIPTION_MAX} tekens."]
    return errors


def _cost_item_check(**values: Any) -> None:
    errors = _cost_item_errors(**values)
    if errors:
        raise ApplicationError("De kostenpost is niet opgeslagen: verbeter de gemarkeerde velden.", fields=errors)


def _cost_item_audit(cost_item: CostItem, *, user: User, action: str, detail: str) -> None:
    """A cost on a trajectory concerns a youth: the row names the youth's pseudonymous key."""
    trajectory = cost_item.trajectory
    audit_log_record(
        user=user,
        action=action,
        object_type="cost_item",
        object_id=cost_item.pk,
        youth_key="" if trajectory is None else trajectory.youth.external_id,
        organisation=cost_item.approach.organisation,
        detail=detail,
    )


def _cost_item_text(cost_item: CostItem) -> str:
    where = "aanpak" if cost_item.trajectory is None else f"traject {cost_item.trajectory.external_id}"
    return (
        f"kostenpost {cost_item.get_line_display()}: € {number_text(cost_item.amount, 2, grouping=True)} "
        f"op {date_text(cost_item.date)} ({where})"
    )


@transaction.atomic
def cost_item_create(
    *,
    user: User,
    approach: Approach,
    trajectory: Trajectory | None = None,
    date: datetime.date,
    line: str,
    amount: Decimal,
    description: str = "",
) -> CostItem:
    """Enter a cost item (SPEC §4: an amount in cost line 1b, 1c, 2 or 3 on a trajectory, or on an
    approach as a whole), for a user with ``Capability.ENTER_COSTS`` within their ``cost_scope``.

    Rules: the approach is the user's organisation's; a trajectory is one they reach, of that
    approach, and the date lies within it (``start <= date < end``); without a trajectory any date
    (the MKBA counts it for the cohort whose ``[from, to)`` holds it); the amount in euro, not
    negative, at most two decimals. Raises ``ApplicationError`` with every error per field; audited.
    """
    description = description.strip()
    _cost_item_check(
        user=user,
        approach=approach,
        trajectory=trajectory,
        date=date,
        line=line,
        amount=amount,
        description=description,
        current_line=None,
    )
    cost_item = CostItem(
        approach=approach, trajectory=trajectory, date=date, line=line, amount=Decimal(amount), description=description
    )
    cost_item.full_clean()
    cost_item.save()
    _cost_item_audit(cost_item, user=user, action=AuditLogEntry.Action.CREATE, detail=_cost_item_text(cost_item))
    return cost_item


def _writable(user: User, cost_item: CostItem) -> CostItem:
    """The item, locked, if the user may change it; else an ApplicationError (the views ask first)."""
    locked = selectors.cost_items_writable_by(user).select_for_update(of=("self",)).filter(pk=cost_item.pk).first()
    if locked is None:
        raise ApplicationError("Deze kostenpost kunt u niet wijzigen.", fields={"cost_item": [NOT_VISIBLE]})
    return locked


@transaction.atomic
def cost_item_update(
    *,
    user: User,
    cost_item: CostItem,
    approach: Approach,
    trajectory: Trajectory | None,
    date: datetime.date,
    line: str,
    amount: Decimal,
    description: str = "",
) -> CostItem:
    """Change a cost item: the same rules as ``cost_item_create``, for an item the user may write
    (``selectors.cost_items_writable_by``). Moving it to another trajectory is audited for both youths."""
    current = _writable(user, cost_item)
    description = description.strip()
    _cost_item_check(
        user=user,
        approach=approach,
        trajectory=trajectory,
        date=date,
        line=line,
        amount=amount,
        description=description,
        current_line=current.line,
    )
    before = _cost_item_text(current)
    previous_trajectory = current.trajectory
    current.approach = approach
    current.trajectory = trajectory
    current.date = date
    current.line = line
    current.amount = Decimal(amount)
    current.description = description
    current.full_clean()
    current.save(update_fields=["approach", "trajectory", "date", "line", "amount", "description"])
    detail = f"{before} → {_cost_item_text(current)}"
    _cost_item_audit(current, user=user, action=AuditLogEntry.Action.UPDATE, detail=detail)
    if previous_trajectory is not None and previous_trajectory.pk != (trajectory.pk if trajectory else None):
        audit_log_record(
            user=user,
            action=AuditLogEntry.Action.UPDATE,
            object_type="cost_item",
            object_id=current.pk,
            youth_key=previous_trajectory.youth.external_id,
            organisation=current.approach.organisation,
            detail=f"verplaatst: {detail}",
        )
    return current


@transaction.atomic
def cost_item_delete(*, user: User, cost_item: CostItem) -> None:
    """Delete a cost item the user may write; the audit row keeps what it was (there is no
    separate delete action in the audit log: an update whose detail says "verwijderd")."""
    current = _writable(user, cost_item)
    _cost_item_audit(
        current, user=user, action=AuditLogEntry.Action.UPDATE, detail=f"verwijderd: {_cost_item_text(current)}"
    )
    current.delete()


# --- Own ex-ante scenarios (issue 17, item 6) -----------------------------------------------------

# Dutch text per error code of ``own_scenarios.line_issues`` (never parsed from English).
LINE_MESSAGES: dict[own_scenarios.LineErrorCode, str] = {
    own_scenarios.LineErrorCode.NOT_A_LIST: "Geef de regels als een lijst.",
    own_scenarios.LineErrorCode.NOT_AN_OBJECT: "Een regel heeft soort, post, belanghebbende en bedrag.",
    own_scenarios.LineErrorCode.UNKNOWN_KIND: "Kies kosten of baten.",
    own_scenarios.LineErrorCode.UNKNOWN_LINE: "Kies een kosten- of batenpost uit de lijst.",
    own_scenarios.LineErrorCode.NO_STAKEHOLDER: "Geef de belanghebbende, bijvoorbeeld gemeente.",
    own_scenarios.LineErrorCode.STAKEHOLDER_TOO_LONG: (f"Hoogstens {own_scenarios.STAKEHOLDER_MAX_LENGTH} tekens."),
    own_scenarios.LineErrorCode.NOT_A_NUMBER: "Geef een bedrag in euro, bijvoorbeeld 1234,50.",
    own_scenarios.LineErrorCode.TOO_LARGE: "Het bedrag is te groot (hoogstens € 10.000.000 per deelnemer).",
    own_scenarios.LineErrorCode.NEGATIVE_COST: "Kosten zijn niet negatief.",
    own_scenarios.LineErrorCode.RANGE_INCOMPLETE: "Geef zowel de ondergrens als de bovengrens, of geen van beide.",
    own_scenarios.LineErrorCode.RANGE_AROUND_AMOUNT: "De ondergrens ligt op of onder het bedrag, de bovengrens erop of erboven.",
    own_scenarios.LineErrorCode.DUPLICATE: "Deze post staat al voor deze belanghebbende; tel de bedragen samen.",
    own_scenarios.LineErrorCode.LINE_SUMS_TO_ZERO: (
        "De bedragen van deze post heffen elkaar op tot 0; dan is de verdeling over belanghebbenden niet te bepalen."
    ),
    own_scenarios.LineErrorCode.UNALLOCATED_COST: "Kosten worden door een belanghebbende gedragen; kies bijvoorbeeld gemeente.",
}


def own_scenario_line_errors(lines: object) -> dict[str, list[str]]:
    """The rows' problems in Dutch, by path (``lines[3].amount``; ``lines`` for the whole)."""
    errors: dict[str, list[str]] = {}
    for issue in own_scenarios.line_issues(lines):
        path = "lines" if issue.row is None else f"lines[{issue.row}].{issue.field}"
        errors.setdefault(path, []).append(LINE_MESSAGES[issue.code])
    return errors


def _own_scenario_lines_checked(lines: object) -> tuple[own_scenarios.ScenarioLine, ...]:
    errors = own_scenario_line_errors(lines)
    if errors:
        raise ApplicationError("De regels zijn niet opgeslagen: verbeter de gemarkeerde regels.", fields=errors)
    return own_scenarios.lines_from_data(cast(list[Mapping[str, Any]], lines))


def _own_scenario_approach_check(approach: Approach | None, organisation: Organisation) -> None:
    if approach is not None and approach.organisation_id != organisation.pk:
        raise ApplicationError("Deze aanpak hoort bij een andere organisatie.", fields={"approach": [NOT_VISIBLE]})


def _own_scenario_save(scenario: OwnScenario, *, user: User | None, detail: str) -> OwnScenario:
    scenario.full_clean()
    try:
        with transaction.atomic():
            scenario.save()
    except IntegrityError as error:
        raise ApplicationError(
            "Deze versie is zojuist door iemand anders gemaakt; laad het scenario opnieuw en probeer het nog eens."
        ) from error
    audit_log_record(
        user=user,
        action=AuditLogEntry.Action.CREATE,
        object_type="own_scenario",
        object_id=scenario.pk,
        organisation=scenario.organisation,
        detail=detail,
    )
    return scenario


@transaction.atomic
def own_scenario_create(
    *,
    organisation: Organisation,
    name: str,
    participants: int,
    lines: object | None = None,
    description: str = "",
    approach: Approach | None = None,
    created_by: User | None = None,
    immaterial_shares: Mapping[str, Any] | None = None,
    printed_totals: own_scenarios.PrintedTotals | None = None,
    source: str = "",
) -> OwnScenario:
    """A new own scenario (issue 17, item 6), version 1, with the given rows (``lines`` as
    ``own_scenarios`` stores them) or, without, every line once for the gemeente at 0. The name
    is unique within the organisation: a change of an existing one is its next version
    (``own_scenario_version_create``)."""
    name = name.strip()
    if not name:
        raise ApplicationError("Geef het scenario een naam.", fields={"name": ["Verplicht."]})
    if OwnScenario.objects.filter(organisation=organisation, name=name).exists():
        raise ApplicationError(
            "Er is al een scenario met deze naam; kies een andere naam of maak een nieuwe versie van dat scenario.",
            fields={"name": ["Bestaat al."]},
        )
    if participants < 1:
        raise ApplicationError("Reken met minstens één deelnemer.", fields={"participants": ["Minstens 1."]})
    _own_scenario_approach_check(approach, organisation)
    checked = own_scenarios.empty_lines() if lines is None else _own_scenario_lines_checked(lines)
    scenario = OwnScenario(
        organisation=organisation,
        name=name,
        version=1,
        description=description,
        approach=approach,
        participants=participants,
        lines=own_scenarios.lines_as_data(checked),
        immaterial_shares=dict(immaterial_shares or {}),
        printed_totals={} if printed_totals is None else printed_totals.as_data(),
        source=source,
        created_by=created_by,
    )
    return _own_scenario_save(scenario, user=created_by, detail=f"{scenario} ({source or 'leeg'})")


@transaction.atomic
def own_scenario_create_from_reference(
    *,
    organisation: Organisation,
    name: str,
    reference_number: int,
    participants: int | None = None,
    description: str = "",
    approach: Approach | None = None,
    created_by: User | None = None,
) -> OwnScenario:
    """A new own scenario started from reference approach K (SPEC §4, Scenario mode): its lines
    per participant as printed, its immaterial shares and printed totals (so, unchanged, it gives
    the reference's scenario-mode figures), its number of participants (1 where the source gives
    none) unless another is given."""
    reference = selectors.reference_approach_by_number(reference_number)
    if participants is None:
        participants = reference.participants or 1
    return own_scenario_create(
        organisation=organisation,
        name=name,
        participants=participants,
        lines=own_scenarios.lines_as_data(own_scenarios.lines_from_reference(reference)),
        description=description,
        approach=approach,
        created_by=created_by,
        immaterial_shares={line: float(share) for line, share in reference.immaterial_shares.items()},
        printed_totals=own_scenarios.printed_totals_of(reference),
        source=f"Referentieaanpak {reference.number}. {reference.name}",
    )


@transaction.atomic
def own_scenario_create_from_cohort(
    *,
    organisation: Organisation,
    name: str,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    measured_at: datetime.date,
    participants: int | None = None,
    description: str = "",
    created_by: User | None = None,
) -> OwnScenario:
    """A new own scenario started from an approach's ex-post cohort (SPEC §4 on the approach's
    parameter set): its lines per participant and per stakeholder, to the cent
    (``own_scenarios.lines_from_result``), for the cohort's number of participants unless another
    is given; the approach is the one the scenario plans for."""
    _own_scenario_approach_check(approach, organisation)
    result, parameters = selectors.mkba_cohort_result(
        approach=approach, date_from=date_from, date_to=date_to, measured_at=measured_at
    )
    if result.participants == 0:
        raise ApplicationError(
            "Het cohort heeft geen deelnemers: kies een periode waarin trajecten van deze aanpak startten.",
            fields={"date_from": ["Geen trajecten in deze periode."]},
        )
    return own_scenario_create(
        organisation=organisation,
        name=name,
        participants=result.participants if participants is None else participants,
        lines=own_scenarios.lines_as_data(own_scenarios.lines_from_result(result, parameters)),
        description=description,
        approach=approach,
        created_by=created_by,
        immaterial_shares={line: float(share) for line, share in parameters.immaterial_shares.items()},
        source=(
            f"Cohort van {approach.name}: gestart {date_text(date_from)} tot {date_text(date_to)}, "
            f"gemeten {date_text(measured_at)}"
        ),
    )


@dataclass(frozen=True)
class CohortWindow:
    """The ex-post cohort an own scenario starts from: trajectories started in ``[date_from,
    date_to)``, measured on ``measured_at``."""

    date_from: datetime.date
    date_to: datetime.date
    measured_at: datetime.date


def own_scenario_start(
    *,
    organisation: Organisation,
    name: str,
    created_by: User | None,
    approach: Approach | None = None,
    participants: int | None = None,
    description: str = "",
    reference_number: int | None = None,
    cohort: CohortWindow | None = None,
    lines: object | None = None,
) -> OwnScenario:
    """A new own scenario as the page and the API start one: from reference approach
    ``reference_number``, from ``approach``'s ``cohort``, or else from ``lines`` (none: every line
    at 0), for ``participants`` (a reference's or a cohort's own number when not given; 1 for an
    empty one)."""
    common: dict[str, Any] = {
        "organisation": organisation,
        "name": name,
        "description": description,
        "created_by": created_by,
    }
    if reference_number is not None:
        return own_scenario_create_from_reference(
            **common, reference_number=reference_number, participants=participants, approach=approach
        )
    if cohort is not None:
        if approach is None:
            raise ApplicationError(
                "Kies de aanpak van het cohort.", fields={"approach": ["Een cohort hoort bij een aanpak."]}
            )
        return own_scenario_create_from_cohort(
            **common,
            approach=approach,
            participants=participants,
            date_from=cohort.date_from,
            date_to=cohort.date_to,
            measured_at=cohort.measured_at,
        )
    return own_scenario_create(**common, participants=participants or 1, lines=lines, approach=approach)


@transaction.atomic
def own_scenario_version_create(
    *,
    scenario: OwnScenario,
    organisation: Organisation,
    lines: object,
    participants: int | None = None,
    description: str | None = None,
    approach: Approach | None,
    created_by: User | None = None,
) -> OwnScenario:
    """A change of an own scenario: its next version (the highest of its name + 1), never an
    update, so the earlier version keeps its figures. ``participants`` and ``description`` stay as
    in ``scenario`` when not given; ``approach`` is the planned approach of the new version.
    A reference's printed totals stay only while the rows are exactly the base's: a changed row
    makes the rows the scenario's own, summed as entered."""
    if scenario.organisation_id != organisation.pk:
        raise ApplicationError("Dit scenario hoort bij een andere organisatie.")
    checked = own_scenarios.lines_as_data(_own_scenario_lines_checked(lines))
    new_participants = scenario.participants if participants is None else participants
    if new_participants < 1:
        raise ApplicationError("Reken met minstens één deelnemer.", fields={"participants": ["Minstens 1."]})
    _own_scenario_approach_check(approach, organisation)
    lineage = selectors.own_scenario_lineage(scenario)
    # Lock the versions seen, so two concurrent edits queue (the unique constraint is the backstop).
    list(lineage.select_for_update().values_list("pk", flat=True))
    highest = int(lineage.aggregate(highest=Max("version"))["highest"] or 0)
    same_rows = checked == own_scenarios.lines_as_data(selectors.own_scenario_lines(scenario))
    new_version = OwnScenario(
        organisation=organisation,
        name=scenario.name,
        version=highest + 1,
        based_on=scenario,
        description=scenario.description if description is None else description,
        approach=approach,
        participants=new_participants,
        lines=checked,
        immaterial_shares=scenario.immaterial_shares,
        printed_totals=scenario.printed_totals if same_rows else {},
        source=scenario.source,
        created_by=created_by,
    )
    return _own_scenario_save(new_version, user=created_by, detail=f"nieuwe versie van {scenario}")
