# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Writing a validated dataset: names first, then every kind of record in bulk, adding and
updating by key (never deleting); an unchanged row writes nothing."""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import NOT_PROVIDED, Model, QuerySet
from django.utils import timezone

from cases.calculations import add_calendar_months
from cases.dataset.checks import (
    _among,
    _Dataset,
    _StoredPeriod,
    _StoredTrajectory,
    _StoredYouth,
)
from cases.dataset.reading import (
    CHECK_SHARE,
    CREATE_BATCH_SIZE,
    NAME_KINDS,
    READ_SHARE,
    RECORD_KINDS,
    UPDATE_BATCH_SIZE,
    ImportResult,
    RecordCounts,
    _Progress,
)
from cases.dataset.time_entries import time_entries_write
from cases.models import (
    Approach,
    ComplexityChange,
    CostItem,
    FollowUp,
    Municipality,
    Outcome,
    Period,
    TargetGroup,
    TimeEntry,
    Trajectory,
    WorkingElement,
    Youth,
)
from core.bulk import concrete_fields, rows_insert
from core.models import FtePeriod, Organisation, Team, Worker

# --- writing -------------------------------------------------------------------------------------

_M = TypeVar("_M", bound=Model)
_K = TypeVar("_K", bound=Hashable)


def _names_ensure(
    existing: Iterable[_M], wanted: Iterable[_K], *, key: Callable[[_M], _K], build: Callable[[_K], _M]
) -> tuple[dict[_K, int], int]:
    """Primary keys of named records (organisation, team, ...), creating the missing ones in one go."""
    pks: dict[_K, int] = {key(record): record.pk for record in existing}
    missing = [k for k in dict.fromkeys(wanted) if k not in pks]
    if not missing:
        return pks, 0
    records = [build(k) for k in missing]
    type(records[0])._default_manager.bulk_create(records, batch_size=CREATE_BATCH_SIZE)
    pks.update((k, record.pk) for k, record in zip(missing, records, strict=True))
    return pks, len(records)


def _changes_apply(record: object, values: Mapping[str, object]) -> bool:
    """Set the values that differ on the record; True when any did."""
    changed = False
    for attribute, value in values.items():
        if getattr(record, attribute) != value:
            setattr(record, attribute, value)
            changed = True
    return changed


class _Writer:
    """Writes a validated dataset with bulk operations, counting created/updated/unchanged."""

    def __init__(self, dataset: _Dataset, progress: _Progress | None = None) -> None:
        self.dataset = dataset
        self.progress = progress or _Progress(None)
        self.existing = dataset.existing
        self.now = timezone.now()
        self.records: dict[str, RecordCounts] = {}
        self.names_created: dict[str, int] = dict.fromkeys(NAME_KINDS, 0)

    def _count(self, kind: str, created: int, updated: int, unchanged: int) -> None:
        self.records[kind] = RecordCounts(created=created, updated=updated, unchanged=unchanged)

    def write(self) -> ImportResult:
        dataset = self.dataset
        # Each step weighs as many rows as it writes (the names as one), for the progress bar.
        steps = [
            (self._names, "namen", 1),
            (self._workers, "workers.csv", len(dataset.workers.workers)),
            (self._fte_periods, "workers.csv", len(dataset.workers.fte_periods)),
            (self._youths, "youths.csv", len(dataset.youths.youths)),
            (self._trajectories, "trajectories.csv", len(dataset.trajectories.trajectories)),
            (self._periods, "periods.csv", len(dataset.periods.periods)),
            (self._time_entries, "time_entries.csv", dataset.time_entries.count),
            (self._outcomes, "outcomes.csv", len(dataset.outcomes.outcomes)),
            (self._cost_items, "cost_items.csv", len(dataset.cost_items)),
            (self._follow_ups, "follow_ups.csv", len(dataset.follow_ups)),
            (self._trajectory_working_elements, "working_elements.csv", len(dataset.working_elements.working_elements)),
            (self._complexity_changes, "complexity_changes.csv", len(dataset.complexity_changes.changes)),
        ]
        total = sum(weight for _step, _name, weight in steps) or 1
        done = 0
        start = READ_SHARE + CHECK_SHARE
        for step, name, weight in steps:
            self.progress(start + (1 - start) * done / total, name)
            step()
            done += weight
        self.progress(1.0, "vastleggen")
        return ImportResult(
            records={kind: self.records[kind] for kind in RECORD_KINDS},
            names_created=self.names_created,
            cost_items_present=self.dataset.cost_items_present,
            optional_present=self.dataset.optional_present,
        )

    def _names(self) -> None:
        dataset = self.dataset
        organisations = dataset.organisations
        organisation_names = {row.organisation for row in dataset.workers.workers.values()}
        organisation_names |= set(organisations.of_youth.values()) | set(organisations.of_trajectory.values())
        organisation_names |= {item.organisation for item in dataset.cost_items}
        # Working elements name a trajectory of the dataset or an earlier import: its organisation is known.
        self.organisation_pks, self.names_created["organisations"] = _names_ensure(
            Organisation.objects.filter(name__in=sorted(organisation_names)),
            sorted(organisation_names),
            key=lambda o: o.name,
            build=lambda name: Organisation(name=name),
        )
        organisation_pks = sorted(self.organisation_pks.values())
        self.team_pks, self.names_created["teams"] = _names_ensure(
            Team.objects.filter(organisation_id__in=organisation_pks),
            [(self.organisation_pks[row.organisation], row.team) for row in dataset.workers.workers.values()],
            key=lambda t: (t.organisation_id, t.name),
            build=lambda k: Team(organisation_id=k[0], name=k[1]),
        )
        self.target_group_pks, self.names_created["target_groups"] = _names_ensure(
            TargetGroup.objects.filter(organisation_id__in=organisation_pks),
            [
                (self.organisation_pks[organisations.of_youth[row.youth_id]], row.target_group)
                for row in dataset.youths.youths
                if row.target_group
            ],
            key=lambda g: (g.organisation_id, g.name),
            build=lambda k: TargetGroup(organisation_id=k[0], name=k[1]),
        )
        municipality_names = sorted({row.municipality for row in dataset.youths.youths if row.municipality})
        self.municipality_pks, self.names_created["municipalities"] = _names_ensure(
            Municipality.objects.filter(name__in=municipality_names),
            municipality_names,
            key=lambda m: m.name,
            build=lambda name: Municipality(name=name),
        )
        approaches = [
            (self.organisation_pks[organisations.of_trajectory[row.trajectory_id]], row.approach)
            for row in dataset.trajectories.trajectories
        ]
        approaches += [(self.organisation_pks[item.organisation], item.approach) for item in dataset.cost_items]
        self.approach_pks, self.names_created["approaches"] = _names_ensure(
            Approach.objects.filter(organisation_id__in=organisation_pks),
            approaches,
            key=lambda a: (a.organisation_id, a.name),
            build=lambda k: Approach(organisation_id=k[0], name=k[1]),
        )
        self.working_element_pks, self.names_created["working_elements"] = _names_ensure(
            WorkingElement.objects.filter(organisation_id__in=organisation_pks),
            [
                (self.organisation_pks[organisations.of_trajectory[row.trajectory_id]], row.element)
                for row in dataset.working_elements.working_elements
                if row.trajectory_id in organisations.of_trajectory
            ],
            key=lambda e: (e.organisation_id, e.name),
            build=lambda k: WorkingElement(organisation_id=k[0], name=k[1]),
        )

    def _workers(self) -> None:
        created: list[Worker] = []
        updated: list[Worker] = []
        for worker_id, row in self.dataset.workers.workers.items():
            team_pk = self.team_pks[(self.organisation_pks[row.organisation], row.team)]
            worker = self.existing.workers.get(worker_id)
            if worker is None:
                created.append(Worker(external_id=worker_id, name=row.name, team_id=team_pk))
            elif _changes_apply(worker, {"name": row.name, "team_id": team_pk}):
                worker.updated_at = self.now
                updated.append(worker)
        Worker.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        Worker.objects.bulk_update(updated, ["name", "team", "updated_at"], batch_size=UPDATE_BATCH_SIZE)
        self.worker_pks = {worker_id: worker.pk for worker_id, worker in self.existing.workers.items()}
        self.worker_pks.update((worker.external_id, worker.pk) for worker in created)
        total = len(self.dataset.workers.workers)
        self._count("workers", len(created), len(updated), total - len(created) - len(updated))

    def _fte_periods(self) -> None:
        worker_pks = sorted({self.worker_pks[row.worker_id] for row in self.dataset.workers.fte_periods})
        current: dict[tuple[int, date], FtePeriod] = {}
        for fte_rows in _among(FtePeriod.objects.all(), "worker_id", worker_pks):
            current.update(((p.worker_id, p.start_date), p) for p in fte_rows)
        created: list[FtePeriod] = []
        updated: list[FtePeriod] = []
        for row in self.dataset.workers.fte_periods:
            worker_pk = self.worker_pks[row.worker_id]
            period = current.get((worker_pk, row.fte_from))
            if period is None:
                created.append(FtePeriod(worker_id=worker_pk, start_date=row.fte_from, fte=row.fte))
            elif _changes_apply(period, {"fte": row.fte}):
                updated.append(period)
        FtePeriod.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        FtePeriod.objects.bulk_update(updated, ["fte"], batch_size=UPDATE_BATCH_SIZE)
        total = len(self.dataset.workers.fte_periods)
        self._count("fte_periods", len(created), len(updated), total - len(created) - len(updated))

    def _youths(self) -> None:
        organisations = self.dataset.organisations
        dated = [column for column in ("reported_on", "first_contact_on") if column in self.dataset.youths.columns]
        created: list[tuple[object, ...]] = []  # (youth_id, organisation pk, *values)
        updated: list[_StoredYouth] = []
        rerated: dict[int, str] = {}  # youth pk -> the complexity the file gives, where it changed
        for row in self.dataset.youths.youths:
            organisation_pk = self.organisation_pks[organisations.of_youth[row.youth_id]]
            values: dict[str, object] = {
                "birth_date": row.birth_date,
                "target_group_id": self.target_group_pks[(organisation_pk, row.target_group)]
                if row.target_group
                else None,
                "education_level": row.education_level,
                "has_startkwalificatie": row.has_startkwalificatie,
                "complexity": row.complexity,
                "municipality_id": self.municipality_pks[row.municipality] if row.municipality else None,
                "referral_route": row.referral_route,
            }
            # Optional columns: an absent one leaves an earlier import's date as it is.
            values.update((column, getattr(row, column)) for column in dated)
            youth = self.existing.youths.get(row.youth_id)
            if youth is None:
                created.append((row.youth_id, organisation_pk, *values.values()))
                continue
            complexity_before = youth.complexity
            if _changes_apply(youth, values):
                youth.updated_at = self.now
                updated.append(youth)
                if youth.complexity != complexity_before:
                    rerated[youth.pk] = youth.complexity
        fields = [
            "birth_date",
            "target_group",
            "education_level",
            "has_startkwalificatie",
            "complexity",
            "municipality",
            "referral_route",
            *dated,
            "updated_at",
        ]
        Youth.objects.bulk_update([youth.instance() for youth in updated], fields, batch_size=UPDATE_BATCH_SIZE)
        # New youths by COPY (bulk_create compiled every value through the ORM: ~0.7 s for 20,000),
        # then their primary keys by (organisation, key) in one query.
        _rows_create(Youth, ["external_id", "organisation", *fields[:-1]], created, now=self.now)
        self.youth_pks = {youth_id: youth.pk for youth_id, youth in self.existing.youths.items()}
        self.youth_pks.update(_created_pks(Youth, created))
        self._complexity_history_extend(rerated)
        total = len(self.dataset.youths.youths)
        self._count("youths", len(created), len(updated), total - len(created) - len(updated))

    def _complexity_history_extend(self, rerated: Mapping[int, str]) -> None:
        """SPEC §3: a youth whose complexity has a history (re-rated in the app) and whom the file
        gives another complexity is re-rated from the day of the import, as the profile page does:
        the history weighs the days in the caseload engine, so the file's complexity would otherwise
        count for none of them. A youth without a history weighs with its one complexity, as before."""
        named = {self.youth_pks[youth_id] for youth_id in self.dataset.complexity_changes.youth_ids}
        rerated = {pk: complexity for pk, complexity in rerated.items() if pk not in named}  # the file's history wins
        if not rerated:
            return
        with_history = set(
            ComplexityChange.objects.filter(youth_id__in=list(rerated)).values_list("youth_id", flat=True).distinct()
        )
        today = timezone.localdate(self.now)
        on_day = {
            change.youth_id: change
            for change in ComplexityChange.objects.filter(youth_id__in=with_history, valid_from=today)
        }
        corrected = [
            change for youth_pk, change in on_day.items() if _changes_apply(change, {"complexity": rerated[youth_pk]})
        ]
        ComplexityChange.objects.bulk_update(corrected, ["complexity"], batch_size=UPDATE_BATCH_SIZE)
        ComplexityChange.objects.bulk_create(
            [
                ComplexityChange(youth_id=youth_pk, valid_from=today, complexity=rerated[youth_pk])
                for youth_pk in sorted(with_history - on_day.keys())
            ],
            batch_size=CREATE_BATCH_SIZE,
        )

    def _complexity_changes(self) -> None:
        """complexity_changes.csv: the history of each youth it names is the file's (SPEC §3): rows of
        the file are created or their complexity updated, that youth's other rows removed (counted
        as updated); youths it does not name keep theirs."""
        rows = self.dataset.complexity_changes.changes
        if not rows:
            self._count("complexity_changes", 0, 0, 0)
            return
        wanted = {(self.youth_pks[row.youth_id], row.valid_from): row.complexity for row in rows}
        youth_pks = sorted({youth_pk for youth_pk, _day in wanted})
        current = {
            (change.youth_id, change.valid_from): change
            for chunk in _among(ComplexityChange.objects.all(), "youth_id", youth_pks)
            for change in chunk
        }
        created = [
            ComplexityChange(youth_id=youth_pk, valid_from=day, complexity=complexity)
            for (youth_pk, day), complexity in wanted.items()
            if (youth_pk, day) not in current
        ]
        changed = [
            change
            for key, change in current.items()
            if key in wanted and _changes_apply(change, {"complexity": wanted[key]})
        ]
        removed = [change.pk for key, change in current.items() if key not in wanted]
        ComplexityChange.objects.filter(pk__in=removed).delete()
        ComplexityChange.objects.bulk_update(changed, ["complexity"], batch_size=UPDATE_BATCH_SIZE)
        ComplexityChange.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        updated = len(changed) + len(removed)
        self._count("complexity_changes", len(created), updated, len(rows) - len(created) - len(changed))

    def _trajectories(self) -> None:
        organisations = self.dataset.organisations
        # Optional column: absent, an earlier import's (or the app's) source stays; an empty cell is
        # the model default, as an empty complexity is.
        funded = "funding_source" in self.dataset.trajectories.columns
        created: list[tuple[object, ...]] = []  # (trajectory_id, organisation pk, *values)
        updated: list[_StoredTrajectory] = []
        moved: list[tuple[_StoredTrajectory, date]] = []  # with the start date the database holds now
        for row in self.dataset.trajectories.trajectories:
            organisation_pk = self.organisation_pks[organisations.of_trajectory[row.trajectory_id]]
            values: dict[str, object] = {
                "youth_id": self.youth_pks[row.youth_id],
                "approach_id": self.approach_pks[(organisation_pk, row.approach)],
                "worker_id": self.worker_pks[row.worker_id],
                "start_date": row.start_date,
                "end_date": row.end_date,
            }
            if funded:
                values["funding_source"] = row.funding_source or Trajectory.FundingSource.MUNICIPALITY
            trajectory = self.existing.trajectories.get(row.trajectory_id)
            if trajectory is None:
                created.append((row.trajectory_id, organisation_pk, *values.values()))
                continue
            span_before = (trajectory.youth_id, trajectory.approach_id, trajectory.start_date, trajectory.end_date)
            if _changes_apply(trajectory, values):
                trajectory.updated_at = self.now
                updated.append(trajectory)
                if span_before != (
                    trajectory.youth_id,
                    trajectory.approach_id,
                    trajectory.start_date,
                    trajectory.end_date,
                ):
                    moved.append((trajectory, span_before[2]))
        # The overlap constraint is checked row by row, while a bulk update is half done: first make
        # every trajectory that moves an empty span (start == end overlaps nothing), then set the final
        # values, which validation showed to be free of overlaps, then add the new trajectories.
        if moved:
            final_ends = [trajectory.end_date for trajectory, _stored_start in moved]
            for trajectory, stored_start in moved:
                trajectory.end_date = stored_start  # only end_date is written: [stored start, stored start)
            Trajectory.objects.bulk_update(
                [t.instance() for t, _s in moved], ["end_date"], batch_size=UPDATE_BATCH_SIZE
            )
            for (trajectory, _stored_start), end_date in zip(moved, final_ends, strict=True):
                trajectory.end_date = end_date
        Trajectory.objects.bulk_update(
            [trajectory.instance() for trajectory in updated],
            [
                "youth",
                "approach",
                "worker",
                "start_date",
                "end_date",
                *(["funding_source"] if funded else []),
                "updated_at",
            ],
            batch_size=UPDATE_BATCH_SIZE,
        )
        # New trajectories by COPY, as youths; the database sets their organisation (the approach's).
        names = ["youth", "approach", "worker", "start_date", "end_date", *(["funding_source"] if funded else [])]
        _rows_create(
            Trajectory,
            ["external_id", *names, "next_action"],
            [(key, *values, "") for key, _organisation_pk, *values in created],
            now=self.now,
        )
        self.trajectory_pks = {trajectory_id: t.pk for trajectory_id, t in self.existing.trajectories.items()}
        self.trajectory_pks.update(_created_pks(Trajectory, created))
        total = len(self.dataset.trajectories.trajectories)
        self._count("trajectories", len(created), len(updated), total - len(created) - len(updated))

    def _periods(self) -> None:
        current: dict[tuple[str, date], _StoredPeriod] = {}
        for trajectory_id, periods in self.existing.periods.items():
            current.update(((trajectory_id, period.start_date), period) for period in periods)
        created: list[tuple[object, ...]] = []
        shrinking: list[_StoredPeriod] = []
        growing: list[_StoredPeriod] = []
        for row in self.dataset.periods.periods:
            worker_pk = self.worker_pks[row.worker_id] if row.worker_id else None
            period = current.get((row.trajectory_id, row.start_date))
            if period is None:
                trajectory_pk = self.trajectory_pks[row.trajectory_id]
                created.append((trajectory_pk, row.phase, row.role, row.start_date, row.end_date, worker_pk))
                continue
            end_before = period.end_date
            values = {"phase": row.phase, "role": row.role, "end_date": row.end_date, "worker_id": worker_pk}
            if _changes_apply(period, values):
                grows = (period.end_date is None and end_before is not None) or (
                    period.end_date is not None and end_before is not None and period.end_date > end_before
                )
                (growing if grows else shrinking).append(period)
        # Overlaps are checked row by row: shorten first, then lengthen, then add (see _trajectories).
        fields = ["phase", "role", "end_date", "worker"]
        for periods in (shrinking, growing):
            Period.objects.bulk_update([p.instance() for p in periods], fields, batch_size=UPDATE_BATCH_SIZE)
        rows_insert(Period, ["trajectory", "phase", "role", "start_date", "end_date", "worker"], created)
        updated = len(shrinking) + len(growing)
        total = len(self.dataset.periods.periods)
        self._count("periods", len(created), updated, total - len(created) - updated)

    def _time_entries(self) -> None:
        """Set-based from the staging table that validation filled (cases.dataset.time_entries)."""
        written = time_entries_write(
            worker_pks=self.worker_pks,
            trajectory_pks=self.trajectory_pks,
            count=self.dataset.time_entries.count,
            now=self.now,
        )
        self._count("time_entries", written.created, written.updated, written.unchanged)

    def _outcomes(self) -> None:
        rows = self.dataset.outcomes.outcomes
        trajectory_pks = sorted({self.trajectory_pks[row.trajectory_id] for row in rows})
        current: set[tuple[int, str, date]] = set()
        for outcome_rows in _among(Outcome.objects.all(), "trajectory_id", trajectory_pks):
            current.update(outcome_rows.values_list("trajectory_id", "outcome", "date"))
        created = [
            (self.trajectory_pks[row.trajectory_id], row.outcome, row.date, "", self.now)
            for row in rows
            if (self.trajectory_pks[row.trajectory_id], row.outcome, row.date) not in current
        ]
        rows_insert(Outcome, ["trajectory", "outcome", "date", "note", "created_at"], created)
        self._count("outcomes", len(created), 0, len(rows) - len(created))

    def _cost_items(self) -> None:
        items = self.dataset.cost_items
        fields = ["approach", "trajectory", "date", "line", "amount"]
        current = _keyed_values(CostItem, [item.import_key for item in items], fields)
        created: list[tuple[object, ...]] = []
        updated: list[CostItem] = []
        for item in items:
            approach_pk = self.approach_pks[(self.organisation_pks[item.organisation], item.approach)]
            trajectory_pk = self.trajectory_pks[item.row.trajectory_id] if item.row.trajectory_id else None
            values = (approach_pk, trajectory_pk, item.row.date, item.row.cost_line, item.row.amount)
            stored = current.get(item.import_key)
            if stored is None:
                created.append((*values, "", item.import_key))
            elif stored[1] != values:
                updated.append(CostItem(pk=stored[0], **dict(zip(_attnames(CostItem, fields), values, strict=True))))
        rows_insert(CostItem, [*fields, "description", "import_key"], created)
        CostItem.objects.bulk_update(updated, fields, batch_size=UPDATE_BATCH_SIZE)
        self._count("cost_items", len(created), len(updated), len(items) - len(created) - len(updated))

    def _follow_ups(self) -> None:
        """follow_ups.csv: checks keyed by (outcome, months_after), due months_after calendar months
        after the outcome date (SPEC §4b). An empty answer does not clear an answer given since the
        earlier import: the import adds and updates, it never deletes information."""
        rows = self.dataset.follow_ups
        trajectory_pks = sorted({self.trajectory_pks[row.trajectory_id] for row in rows})
        outcome_pks: dict[tuple[int, str, date], int] = {}
        for outcome_rows in _among(Outcome.objects.all(), "trajectory_id", trajectory_pks):
            outcome_pks.update(
                ((trajectory_pk, outcome, day), pk)
                for pk, trajectory_pk, outcome, day in outcome_rows.values_list(
                    "pk", "trajectory_id", "outcome", "date"
                )
            )
        current: dict[tuple[int, int], FollowUp] = {}
        for follow_up_rows in _among(FollowUp.objects.all(), "outcome_id", sorted(set(outcome_pks.values()))):
            current.update(((f.outcome_id, f.months_after), f) for f in follow_up_rows)
        created: list[FollowUp] = []
        updated: list[FollowUp] = []
        for row in rows:
            outcome_pk = outcome_pks[(self.trajectory_pks[row.trajectory_id], row.outcome, row.outcome_date)]
            due_date = add_calendar_months(row.outcome_date, row.months_after)
            check = current.get((outcome_pk, row.months_after))
            if check is None:
                created.append(
                    FollowUp(outcome_id=outcome_pk, months_after=row.months_after, due_date=due_date, answer=row.answer)
                )
                continue
            values: dict[str, object] = {"due_date": due_date}
            if row.answer:
                values["answer"] = row.answer
            if _changes_apply(check, values):
                updated.append(check)
        FollowUp.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        FollowUp.objects.bulk_update(updated, ["due_date", "answer"], batch_size=UPDATE_BATCH_SIZE)
        self._count("follow_ups", len(created), len(updated), len(rows) - len(created) - len(updated))

    def _trajectory_working_elements(self) -> None:
        """working_elements.csv: the elements used in a trajectory, added when missing (never removed)."""
        rows = self.dataset.working_elements.working_elements
        of_trajectory = self.dataset.organisations.of_trajectory
        through = Trajectory.working_elements.through
        wanted = {
            (
                self.trajectory_pks[row.trajectory_id],
                self.working_element_pks[(self.organisation_pks[of_trajectory[row.trajectory_id]], row.element)],
            )
            for row in rows
        }
        current: set[tuple[int, int]] = set()
        for element_rows in _among(
            through.objects.all(), "trajectory_id", sorted({trajectory_pk for trajectory_pk, _element_pk in wanted})
        ):
            current.update(element_rows.values_list("trajectory_id", "workingelement_id"))
        created = [
            through(trajectory_id=trajectory_pk, workingelement_id=element_pk)
            for trajectory_pk, element_pk in sorted(wanted - current)
        ]
        through.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        self._count("trajectory_working_elements", len(created), 0, len(rows) - len(created))


def _rows_create(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[object]], *, now: datetime) -> None:
    """rows_insert of new records, every field not in `names` at its model default (created_at and
    updated_at: `now`), as the database values bulk_create would write."""
    if not rows:
        return
    rest = [
        model_field
        for model_field in model._meta.concrete_fields
        if not model_field.primary_key and model_field.name not in names
    ]
    defaults: list[object] = []
    for model_field in rest:
        if model_field.db_default is not NOT_PROVIDED:
            raise ValueError(f"{model.__name__}.{model_field.name} has a database default: name it")
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            defaults.append(now)
        else:
            defaults.append(model_field.get_db_prep_save(model_field.get_default(), connection))
    rows_insert(model, [*names, *(model_field.name for model_field in rest)], [(*row, *defaults) for row in rows])


def _created_pks(model: type[Youth] | type[Trajectory], created: Sequence[Sequence[object]]) -> dict[str, int]:
    """Key -> primary key of records just created from rows (key, organisation pk, ...): keys are
    unique per organisation, so one query by organisation and key."""
    if not created:
        return {}
    organisation_pks = sorted({cast(int, row[1]) for row in created})
    stored: dict[tuple[int, str], int] = {}
    records: QuerySet[Any, Any] = model._default_manager.all()  # both models have these columns
    for keyed_rows in _among(
        records.filter(organisation_id__in=organisation_pks),
        "external_id",
        sorted({cast(str, row[0]) for row in created}),
    ):
        for organisation_pk, key, pk in keyed_rows.values_list("organisation_id", "external_id", "pk"):
            stored[(organisation_pk, key)] = pk
    return {cast(str, row[0]): stored[(cast(int, row[1]), cast(str, row[0]))] for row in created}


def _attnames(model: type[Model], names: Sequence[str]) -> list[str]:
    return [model_field.attname for model_field in concrete_fields(model, names)]


def _keyed_values(
    model: type[TimeEntry] | type[CostItem], keys: Sequence[str], names: Sequence[str]
) -> dict[str, tuple[int, tuple[object, ...]]]:
    """import_key -> (pk, values of `names`) of the stored rows with those keys, as plain tuples."""
    attnames = _attnames(model, names)
    stored: dict[str, tuple[int, tuple[object, ...]]] = {}
    for keyed_rows in _among(model._default_manager.all(), "import_key", keys):
        for pk, import_key, *values in keyed_rows.values_list("pk", "import_key", *attnames):
            stored[import_key] = (pk, tuple(values))
    return stored
