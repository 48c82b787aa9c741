"""Issue 12 (5): a youth's or trajectory's key is unique within its organisation only, so a key that
another organisation uses is no oracle, in the model, the services and the import (SPEC §6, §8)."""

import datetime
import hashlib
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Sum

from cases import services
from cases.dataset import COLUMNS, DatasetInvalid, RecordCounts, dataset_import
from cases.models import CostItem, Outcome, Period, TimeEntry, Trajectory, Youth
from core.exceptions import ApplicationError
from tests.factories import (
    ApproachFactory,
    OrganisationFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


# --- the model ------------------------------------------------------------------------------------


def test_the_same_youth_key_may_be_used_by_two_organisations():
    oost, west = OrganisationFactory(name="Gemeente Oost"), OrganisationFactory(name="Gemeente West")
    YouthFactory(external_id="J1", organisation=oost)
    YouthFactory(external_id="J1", organisation=west)

    assert sorted(Youth.objects.filter(external_id="J1").values_list("organisation__name", flat=True)) == [
        "Gemeente Oost",
        "Gemeente West",
    ]


def test_a_youth_key_twice_in_one_organisation_is_refused():
    youth = YouthFactory(external_id="J1")

    assert refused(lambda: YouthFactory(external_id="J1", organisation=youth.organisation))
    assert Youth.objects.count() == 1


def test_the_same_trajectory_key_may_be_used_by_two_organisations_but_not_twice_in_one():
    oost = TrajectoryFactory(external_id="T1")
    west = TrajectoryFactory(external_id="T1")

    assert oost.approach.organisation != west.approach.organisation
    assert Trajectory.objects.filter(external_id="T1").count() == 2
    assert refused(
        lambda: TrajectoryFactory(
            external_id="T1",
            worker=oost.worker,
            youth=oost.youth,
            approach=ApproachFactory(organisation=oost.approach.organisation),
        )
    )
    assert Trajectory.objects.count() == 2


def test_the_database_keeps_a_trajectorys_organisation_equal_to_its_approachs():
    trajectory = TrajectoryFactory(external_id="T1")
    oost = trajectory.approach.organisation
    west = OrganisationFactory(name="Gemeente West")

    assert Trajectory.objects.get(pk=trajectory.pk).organisation == oost
    # A wrong value written on purpose is corrected: the copy follows the approach, not the caller.
    Trajectory.objects.filter(pk=trajectory.pk).update(organisation=west)
    assert Trajectory.objects.get(pk=trajectory.pk).organisation == oost
    # An approach that moves takes its trajectories along.
    type(trajectory.approach).objects.filter(pk=trajectory.approach.pk).update(organisation=west)
    assert Trajectory.objects.get(pk=trajectory.pk).organisation == west


# --- the services ---------------------------------------------------------------------------------


def test_registering_a_key_that_another_organisation_uses_succeeds_and_in_ones_own_is_refused():
    other = YouthFactory(external_id="J-ELDERS")
    user = UserFactory()

    youth = services.youth_register(user=user, data={"external_id": "J-ELDERS"})

    assert (youth.organisation, other.organisation != user.organisation) == (user.organisation, True)
    with pytest.raises(ApplicationError):
        services.youth_register(user=user, data={"external_id": "J-ELDERS"})
    assert Youth.objects.filter(external_id="J-ELDERS").count() == 2


def test_starting_a_trajectory_with_a_key_that_another_organisation_uses_succeeds():
    TrajectoryFactory(external_id="T-ELDERS")
    worker = WorkerFactory()
    organisation = worker.team.organisation
    user = UserFactory(organisation=organisation)
    youth = YouthFactory(organisation=organisation)
    approach = ApproachFactory(organisation=organisation)

    trajectory = services.trajectory_start(
        user=user, youth=youth, approach=approach, worker=worker, start_date=D(2025, 3, 1), external_id="T-ELDERS"
    )

    assert Trajectory.objects.get(pk=trajectory.pk).organisation == organisation
    second = ApproachFactory(organisation=organisation)
    with pytest.raises(ApplicationError):
        services.trajectory_start(
            user=user, youth=youth, approach=second, worker=worker, start_date=D(2025, 3, 1), external_id="T-ELDERS"
        )
    assert Trajectory.objects.filter(external_id="T-ELDERS").count() == 2


# --- the import -----------------------------------------------------------------------------------


def files_of(organisation: str, prefix: str) -> dict[str, list[str]]:
    """One organisation's dataset: the same youth and trajectory keys in every organisation; worker
    keys stay unique over all organisations (prefix)."""
    return {
        "workers.csv": [
            f"{prefix}1,Anna,{organisation},Jongerenpunt,1.0,2025-01-01",
            f"{prefix}2,Bram,{organisation},Team Werk,0.5,2025-01-01",
        ],
        "youths.csv": ["J1,2006-05-01,,vmbo-basis,false,meervoudig,,", "J2,,,,,,,"],
        "trajectories.csv": [
            f"T1,J1,{prefix}1,Casusregisseur,2025-01-15,",
            f"T2,J2,{prefix}2,Werktraject,2025-02-01,2025-08-01",
        ],
        "periods.csv": [
            "T1,begeleiding,coaching,2025-01-15,,",
            "T2,begeleiding,uitvoering,2025-02-01,2025-08-01,",
        ],
        "time_entries.csv": [f"{prefix}1,2025-02-03,60,client_direct,T1", f"{prefix}2,2025-02-04,45,client_direct,T2"],
        "outcomes.csv": ["T2,2025-07-15,work"],
        "cost_items.csv": ["T2,,2025-03-01,overige_interventie,250.00"],
    }


def write(directory: Path, files: dict[str, list[str]]) -> Path:
    directory.mkdir(parents=True)
    for name, rows in files.items():
        (directory / name).write_text("\n".join([",".join(COLUMNS[name]), *rows]) + "\n", encoding="utf-8")
    return directory


def per_organisation() -> dict[str, tuple[object, ...]]:
    """What each organisation holds: keys and the sums the figures are made of."""
    holdings = {}
    for name in ("Gemeente Oost", "Gemeente West"):
        youths = Youth.objects.filter(organisation__name=name)
        trajectories = Trajectory.objects.filter(approach__organisation__name=name)
        holdings[name] = (
            sorted(youths.values_list("external_id", "complexity")),
            sorted(trajectories.values_list("external_id", "youth__external_id", "worker__external_id")),
            Period.objects.filter(trajectory__in=trajectories).count(),
            TimeEntry.objects.filter(trajectory__in=trajectories).aggregate(minutes=Sum("minutes"))["minutes"],
            Outcome.objects.filter(trajectory__in=trajectories).count(),
            CostItem.objects.filter(approach__organisation__name=name).aggregate(amount=Sum("amount"))["amount"],
        )
    return holdings


def test_two_organisations_import_the_same_keys_apart_and_again_without_change(tmp_path):
    oost = write(tmp_path / "oost", files_of("Gemeente Oost", "O"))
    west_files = files_of("Gemeente West", "W")
    west_files["youths.csv"][0] = "J1,2007-01-01,,mbo-2,false,complex,,"  # West's J1 is another youth
    west = write(tmp_path / "west", west_files)

    dataset_import(directory=oost)
    result = dataset_import(directory=west)

    assert result.records["youths"] == RecordCounts(created=2)
    assert result.records["trajectories"] == RecordCounts(created=2)
    assert result.records["cost_items"] == RecordCounts(created=1)
    expected = {
        "Gemeente Oost": (
            [("J1", "meervoudig"), ("J2", "licht")],
            [("T1", "J1", "O1"), ("T2", "J2", "O2")],
            2,
            105,
            1,
            Decimal("250.00"),
        ),
        "Gemeente West": (
            [("J1", "complex"), ("J2", "licht")],
            [("T1", "J1", "W1"), ("T2", "J2", "W2")],
            2,
            105,
            1,
            Decimal("250.00"),
        ),
    }
    assert per_organisation() == expected
    # Every trajectory and time entry stays within its own organisation.
    for trajectory in Trajectory.objects.select_related("youth", "approach", "worker__team"):
        organisation = trajectory.approach.organisation_id
        assert (trajectory.youth.organisation_id, trajectory.worker.team.organisation_id) == (organisation,) * 2
    for entry in TimeEntry.objects.select_related("worker__team", "trajectory__approach"):
        assert entry.worker.team.organisation_id == entry.trajectory.approach.organisation_id

    unchanged = {
        "workers": 2,
        "fte_periods": 2,
        "youths": 2,
        "trajectories": 2,
        "periods": 2,
        "time_entries": 2,
        "outcomes": 1,
        "cost_items": 1,
        "follow_ups": 0,
        "trajectory_working_elements": 0,
        "complexity_changes": 0,
    }
    for directory in (oost, west):
        again = dataset_import(directory=directory)
        assert (again.changed, again.records) == (
            False,
            {kind: RecordCounts(unchanged=count) for kind, count in unchanged.items()},
        )
    assert per_organisation() == expected


def test_a_key_twice_in_one_organisations_dataset_is_still_an_error_of_its_line(tmp_path):
    files = files_of("Gemeente Oost", "O")
    files["youths.csv"].append("J1,,,,,,,")

    with pytest.raises(DatasetInvalid) as caught:
        dataset_import(directory=write(tmp_path / "twice", files))

    assert caught.value.errors == ["youths.csv:4: youth_id: duplicate youth 'J1' (also on line 2)"]
    assert Youth.objects.count() == 0


def test_a_dataset_of_two_organisations_cannot_name_a_key_both_use(tmp_path):
    dataset_import(directory=write(tmp_path / "oost", files_of("Gemeente Oost", "O")))
    dataset_import(directory=write(tmp_path / "west", files_of("Gemeente West", "W")))
    before = per_organisation()
    both = {name: [] for name in COLUMNS if name != "cost_items.csv"}
    both["workers.csv"] = ["O3,Chris,Gemeente Oost,Jongerenpunt,1.0,2025-01-01"]
    both["time_entries.csv"] = ["W1,2025-03-03,30,client_direct,T1"]
    both["outcomes.csv"] = ["T2,2025-09-01,school"]

    with pytest.raises(DatasetInvalid) as caught:
        dataset_import(directory=write(tmp_path / "both", both))

    assert caught.value.errors == [
        "time_entries.csv:2: trajectory_id: trajectory 'T1' exists in several organisations of this dataset "
        "(Gemeente Oost, Gemeente West); import the records of each organisation on their own",
        "outcomes.csv:2: trajectory_id: trajectory 'T2' exists in several organisations of this dataset "
        "(Gemeente Oost, Gemeente West); import the records of each organisation on their own",
    ]
    assert per_organisation() == before


def test_an_import_of_one_organisation_names_its_own_record_when_the_key_is_used_elsewhere(tmp_path):
    dataset_import(directory=write(tmp_path / "oost", files_of("Gemeente Oost", "O")))
    dataset_import(directory=write(tmp_path / "west", files_of("Gemeente West", "W")))
    later = {name: [] for name in COLUMNS if name != "cost_items.csv"}
    later["time_entries.csv"] = ["W1,2025-03-03,30,client_direct,T1"]
    later["outcomes.csv"] = ["T1,2025-09-01,school"]

    dataset_import(directory=write(tmp_path / "later", later))

    west_t1 = Trajectory.objects.get(external_id="T1", approach__organisation__name="Gemeente West")
    assert list(west_t1.time_entries.values_list("minutes", flat=True).order_by("minutes")) == [30, 60]
    assert list(west_t1.outcomes.values_list("outcome", flat=True)) == ["school"]
    oost_t1 = Trajectory.objects.get(external_id="T1", approach__organisation__name="Gemeente Oost")
    assert (oost_t1.time_entries.count(), oost_t1.outcomes.count()) == (1, 0)


def test_a_cost_item_imported_before_the_upgrade_keeps_its_key_and_is_not_imported_twice(tmp_path):
    directory = write(tmp_path / "oost", files_of("Gemeente Oost", "O"))
    dataset_import(directory=directory)
    item = CostItem.objects.get()
    # The key the import gave before keys were per organisation: content without the organisation.
    legacy = "\x1f".join(["cost_item", "T2", "", "", "2025-03-01", "overige_interventie", "250.00", "1"])
    CostItem.objects.filter(pk=item.pk).update(import_key=hashlib.sha256(legacy.encode()).hexdigest())

    rekey = importlib.import_module("cases.migrations.0013_cost_item_import_key_with_organisation")
    rekey._rekey(with_organisation=True)(apps, None)
    result = dataset_import(directory=directory)

    assert result.records["cost_items"] == RecordCounts(unchanged=1)
    assert CostItem.objects.get().import_key == item.import_key
