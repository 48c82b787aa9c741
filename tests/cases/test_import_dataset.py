"""import_dataset (SPEC §6): a good dataset is written exactly; a bad one is rejected whole with every
error as `file:line: column: message`, and nothing is written."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from cases.dataset import COLUMNS, DatasetInvalid, RecordCounts, dataset_import
from cases.dataset.writing import _Writer
from cases.models import (
    Approach,
    CostItem,
    Municipality,
    Outcome,
    Period,
    TargetGroup,
    TimeEntry,
    Trajectory,
    Youth,
)
from core.exceptions import ApplicationError
from core.models import AuditLogEntry, FtePeriod, Organisation, Team, Worker
from tests.factories import OrganisationFactory, PeriodFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

D = datetime.date

# A small dataset in one organisation. Line numbers in the files: header = 1, first row = 2.
GOOD = {
    "workers.csv": [
        "W1,Anna de Vries,Gemeente Oost,Jongerenpunt,0.8,2025-01-01",
        "W1,Anna de Vries,Gemeente Oost,Jongerenpunt,1.0,2025-07-01",
        "W2,Bram Smit,Gemeente Oost,Team Werk,1,2025-01-01",
    ],
    "youths.csv": [
        "J1,2006-05-01,Uitvallers,vmbo-basis,false,meervoudig,Oostdorp,DUO/RMC-melding",
        "J2,,,,,,,",
    ],
    "trajectories.csv": [
        "T1,J1,W1,Casusregisseur,2025-01-15,",
        "T2,J2,W2,Werktraject,2025-02-01,2025-08-01",
    ],
    "periods.csv": [
        "T1,intake,regie,2025-01-15,2025-02-01,",
        "T1,begeleiding,coaching,2025-02-01,,",
        "T2,begeleiding,uitvoering,2025-02-01,2025-06-01,",
        "T2,nazorg,monitoring,2025-06-01,2025-08-01,W1",
    ],
    "time_entries.csv": [
        "W1,2025-02-03,60,client_direct,T1",
        "W1,2025-02-03,60,client_direct,T1",
        "W1,2025-02-03,30,overhead,",
        "W2,2025-02-04,45,client_indirect,T2",
    ],
    "outcomes.csv": ["T2,2025-07-15,work"],
    "cost_items.csv": [
        "T2,,2025-03-01,overige_interventie,250.00",
        ",Werktraject,2025-01-31,loon_vergoedingen,1200.5",
    ],
}

MODELS = [
    Organisation,
    Team,
    Worker,
    FtePeriod,
    Youth,
    TargetGroup,
    Municipality,
    Approach,
    Trajectory,
    Period,
    TimeEntry,
    Outcome,
    CostItem,
    AuditLogEntry,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def write(directory: Path, files: dict[str, list[str] | None], headers: dict[str, str] | None = None) -> Path:
    """Write each file as header + rows; a file given as None is left out."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        if rows is None:
            continue
        header = (headers or {}).get(name, ",".join(COLUMNS[name]))
        (directory / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return directory


def dataset(directory: Path, **changes: list[str] | None) -> Path:
    """GOOD with some files replaced (keyword = file name without .csv)."""
    files = dict(GOOD)
    files.update({f"{name}.csv": rows for name, rows in changes.items()})
    return write(directory, files)


def errors_of(directory: Path) -> list[str]:
    with pytest.raises(DatasetInvalid) as caught:
        dataset_import(directory=directory)
    return caught.value.errors


def test_good_dataset_is_imported_with_exact_counts_and_values(tmp_path):
    result = dataset_import(directory=dataset(tmp_path))

    assert result.records == {
        "workers": RecordCounts(created=2),
        "fte_periods": RecordCounts(created=3),
        "youths": RecordCounts(created=2),
        "trajectories": RecordCounts(created=2),
        "periods": RecordCounts(created=4),
        "time_entries": RecordCounts(created=4),
        "outcomes": RecordCounts(created=1),
        "cost_items": RecordCounts(created=2),
        "follow_ups": RecordCounts(),
        "trajectory_working_elements": RecordCounts(),
        "complexity_changes": RecordCounts(),
    }
    assert result.names_created == {
        "organisations": 1,
        "teams": 2,
        "approaches": 2,
        "target_groups": 1,
        "municipalities": 1,
        "working_elements": 0,
    }
    assert counts() == {
        "Organisation": 1,
        "Team": 2,
        "Worker": 2,
        "FtePeriod": 3,
        "Youth": 2,
        "TargetGroup": 1,
        "Municipality": 1,
        "Approach": 2,
        "Trajectory": 2,
        "Period": 4,
        "TimeEntry": 4,
        "Outcome": 1,
        "CostItem": 2,
        "AuditLogEntry": 1,
    }
    oost = Organisation.objects.get()
    assert oost.name == "Gemeente Oost"
    anna = Worker.objects.get(external_id="W1")
    assert (anna.name, anna.team.name, anna.team.organisation) == ("Anna de Vries", "Jongerenpunt", oost)
    assert list(anna.fte_periods.values_list("start_date", "fte")) == [
        (D(2025, 1, 1), Decimal("0.800")),
        (D(2025, 7, 1), Decimal("1.000")),
    ]

    j1 = Youth.objects.get(external_id="J1")
    assert j1.organisation == oost
    assert j1.birth_date == D(2006, 5, 1)
    assert (j1.target_group.name, j1.target_group.organisation) == ("Uitvallers", oost)
    assert j1.education_level == "vmbo-basis"
    assert j1.has_startkwalificatie is False
    assert j1.complexity == "meervoudig"
    assert j1.municipality.name == "Oostdorp"
    assert j1.referral_route == "DUO/RMC-melding"
    j2 = Youth.objects.get(external_id="J2")
    assert (j2.organisation, j2.birth_date, j2.target_group, j2.education_level) == (oost, None, None, "")
    assert (j2.has_startkwalificatie, j2.complexity, j2.municipality, j2.referral_route) == (None, "licht", None, "")

    t1 = Trajectory.objects.get(external_id="T1")
    assert (t1.youth, t1.worker, t1.approach.name, t1.approach.organisation) == (j1, anna, "Casusregisseur", oost)
    assert (t1.start_date, t1.end_date) == (D(2025, 1, 15), None)
    assert list(t1.periods.values_list("phase", "role", "start_date", "end_date", "worker")) == [
        ("intake", "regie", D(2025, 1, 15), D(2025, 2, 1), None),
        ("begeleiding", "coaching", D(2025, 2, 1), None, None),
    ]
    t2 = Trajectory.objects.get(external_id="T2")
    assert (t2.start_date, t2.end_date, t2.worker.external_id) == (D(2025, 2, 1), D(2025, 8, 1), "W2")
    # Empty worker_id: the trajectory's worker (NULL); a named one is stored (a handover).
    assert list(t2.periods.values_list("role", "worker__external_id")) == [("uitvoering", None), ("monitoring", "W1")]

    entries = list(TimeEntry.objects.order_by("id").values_list("worker__external_id", "date", "minutes", "category"))
    assert entries == [
        ("W1", D(2025, 2, 3), 60, "client_direct"),
        ("W1", D(2025, 2, 3), 60, "client_direct"),
        ("W1", D(2025, 2, 3), 30, "overhead"),
        ("W2", D(2025, 2, 4), 45, "client_indirect"),
    ]
    assert list(TimeEntry.objects.order_by("id").values_list("trajectory__external_id", flat=True)) == [
        "T1",
        "T1",
        None,
        "T2",
    ]
    keys = set(TimeEntry.objects.values_list("import_key", flat=True))
    assert len(keys) == 4
    assert all(len(key) == 64 for key in keys)

    outcome = Outcome.objects.get()
    assert (outcome.trajectory, outcome.outcome, outcome.date) == (t2, "work", D(2025, 7, 15))

    on_trajectory = CostItem.objects.get(trajectory=t2)
    assert (on_trajectory.approach, on_trajectory.line, on_trajectory.amount) == (
        t2.approach,
        "overige_interventie",
        Decimal("250.00"),
    )
    on_approach = CostItem.objects.get(trajectory=None)
    assert (on_approach.approach, on_approach.date, on_approach.line, on_approach.amount) == (
        t2.approach,
        D(2025, 1, 31),
        "loon_vergoedingen",
        Decimal("1200.50"),
    )

    audit = AuditLogEntry.objects.get()
    assert (audit.action, audit.user, audit.organisation, audit.object_type) == ("import", None, oost, "dataset")
    assert "time_entries 4/0/0" in audit.detail


def test_reimporting_the_same_files_changes_nothing(tmp_path):
    directory = dataset(tmp_path)
    dataset_import(directory=directory)
    before = counts()
    youth_updated_at = Youth.objects.get(external_id="J1").updated_at
    trajectory_updated_at = Trajectory.objects.get(external_id="T1").updated_at

    result = dataset_import(directory=directory)

    assert counts() == before  # not even an audit entry: nothing happened
    assert result.records == {
        "workers": RecordCounts(unchanged=2),
        "fte_periods": RecordCounts(unchanged=3),
        "youths": RecordCounts(unchanged=2),
        "trajectories": RecordCounts(unchanged=2),
        "periods": RecordCounts(unchanged=4),
        "time_entries": RecordCounts(unchanged=4),
        "outcomes": RecordCounts(unchanged=1),
        "cost_items": RecordCounts(unchanged=2),
        "follow_ups": RecordCounts(),
        "trajectory_working_elements": RecordCounts(),
        "complexity_changes": RecordCounts(),
    }
    assert set(result.names_created.values()) == {0}
    assert Youth.objects.get(external_id="J1").updated_at == youth_updated_at
    assert Trajectory.objects.get(external_id="T1").updated_at == trajectory_updated_at


def test_a_changed_row_updates_its_record_and_only_that(tmp_path):
    dataset_import(directory=dataset(tmp_path / "first"))
    j1_before = Youth.objects.get(external_id="J1").updated_at
    j2_before = Youth.objects.get(external_id="J2").updated_at
    changed = dataset(
        tmp_path / "second",
        workers=[
            "W1,Anna de Vries-Bakker,Gemeente Oost,Team Werk,0.8,2025-01-01",
            "W1,Anna de Vries-Bakker,Gemeente Oost,Team Werk,0.9,2025-07-01",
            "W2,Bram Smit,Gemeente Oost,Team Werk,1,2025-01-01",
        ],
        youths=[
            "J1,2006-05-01,Uitvallers,vmbo-basis,true,complex,Oostdorp,DUO/RMC-melding",
            "J2,,,,,,,",
        ],
        periods=[
            "T1,intake,regie,2025-01-15,2025-02-01,",
            "T1,begeleiding,coaching,2025-02-01,2025-05-01,",
            "T2,begeleiding,uitvoering,2025-02-01,2025-06-01,",
            "T2,nazorg,monitoring,2025-06-01,2025-08-01,W1",
        ],
    )

    result = dataset_import(directory=changed)

    assert result.records["workers"] == RecordCounts(updated=1, unchanged=1)
    assert result.records["fte_periods"] == RecordCounts(updated=1, unchanged=2)
    assert result.records["youths"] == RecordCounts(updated=1, unchanged=1)
    assert result.records["periods"] == RecordCounts(updated=1, unchanged=3)
    assert result.records["trajectories"] == RecordCounts(unchanged=2)
    anna = Worker.objects.get(external_id="W1")
    assert (anna.name, anna.team.name) == ("Anna de Vries-Bakker", "Team Werk")
    assert anna.fte_periods.get(start_date=D(2025, 7, 1)).fte == Decimal("0.900")
    j1 = Youth.objects.get(external_id="J1")
    assert (j1.complexity, j1.has_startkwalificatie) == ("complex", True)
    assert j1.updated_at > j1_before
    assert Youth.objects.get(external_id="J2").updated_at == j2_before
    assert Period.objects.get(trajectory__external_id="T1", start_date=D(2025, 2, 1)).end_date == D(2025, 5, 1)
    assert Period.objects.count() == 4


def test_moved_periods_and_trajectories_update_without_passing_through_an_overlap(tmp_path):
    """The database checks overlaps row by row: a period that shrinks to make room for a new one, and
    two trajectories of one youth in one approach that swap places, must not clash half-way."""
    base = {
        "trajectories": ["T1,J1,W1,Casusregisseur,2025-01-01,2025-03-01", "T2,J1,W1,Casusregisseur,2025-03-01,"],
        "periods": ["T1,begeleiding,coaching,2025-01-01,,"],
        "time_entries": [],
        "outcomes": [],
        "cost_items": [],
    }
    dataset_import(directory=dataset(tmp_path / "first", **base))
    swapped = {
        **base,
        "trajectories": ["T1,J1,W1,Casusregisseur,2025-04-01,", "T2,J1,W1,Casusregisseur,2025-01-01,2025-04-01"],
        "periods": ["T1,begeleiding,coaching,2025-01-01,2025-02-01,", "T1,nazorg,monitoring,2025-02-01,,"],
    }

    result = dataset_import(directory=dataset(tmp_path / "second", **swapped))

    assert result.records["trajectories"] == RecordCounts(updated=2)
    assert result.records["periods"] == RecordCounts(created=1, updated=1)
    assert list(Trajectory.objects.order_by("external_id").values_list("start_date", "end_date")) == [
        (D(2025, 4, 1), None),
        (D(2025, 1, 1), D(2025, 4, 1)),
    ]
    assert list(Period.objects.order_by("start_date").values_list("role", "start_date", "end_date")) == [
        ("coaching", D(2025, 1, 1), D(2025, 2, 1)),
        ("monitoring", D(2025, 2, 1), None),
    ]


# One change to GOOD and the one error it must give: (file, data row to replace or None to add, row, error).
ERROR_CASES = [
    # codes
    (
        "periods.csv",
        2,
        "T1,begeleiding,coach,2025-02-01,,",
        "periods.csv:3: role: 'coach' is not one of coaching, uitvoering, regie, monitoring",
    ),
    (
        "periods.csv",
        1,
        "T1,intake-gesprek,regie,2025-01-15,2025-02-01,",
        "periods.csv:2: phase: 'intake-gesprek' is not one of aanmelding, intake, begeleiding, traject elders, "
        "nazorg, time-out, afgesloten",
    ),
    (
        "periods.csv",
        1,
        "T1,time-out,regie,2025-01-15,2025-02-01,",
        "periods.csv:2: role: a time-out has no role (found 'regie')",
    ),
    (
        "time_entries.csv",
        3,
        "W1,2025-02-03,30,pauze,",
        "time_entries.csv:4: category: 'pauze' is not one of client_direct, client_indirect, overhead",
    ),
    (
        "outcomes.csv",
        1,
        "T2,2025-07-15,job",
        "outcomes.csv:2: outcome: 'job' is not one of work, work_subsidised, school, startkwalificatie, certificate, "
        "daytime_activity, volunteering, care, benefit_start, benefit_end, prevented_escalation, stabilised, "
        "out_of_sight, moved, improved_position",
    ),
    (
        "youths.csv",
        1,
        "J1,2006-05-01,Uitvallers,vmbo-basis,false,zwaar,Oostdorp,DUO/RMC-melding",
        "youths.csv:2: complexity: 'zwaar' is not one of licht, meervoudig, complex",
    ),
    (
        "youths.csv",
        1,
        "J1,2006-05-01,Uitvallers,mbo-5,false,meervoudig,Oostdorp,DUO/RMC-melding",
        "youths.csv:2: education_level: 'mbo-5' is not one of vso, pro, vmbo-basis, vmbo-kader, entree, mbo-2, "
        "mbo-3, mbo-4, havo, vwo, hbo, wo, none",
    ),
    (
        "youths.csv",
        1,
        "J1,2006-05-01,Uitvallers,vmbo-basis,false,meervoudig,Oostdorp,huisarts",
        "youths.csv:2: referral_route: 'huisarts' is not one of DUO/RMC-melding, school, self, partner, outreach, "
        "uitkeringsaanvraag",
    ),
    (
        "youths.csv",
        1,
        "J1,2006-05-01,Uitvallers,vmbo-basis,ja,meervoudig,Oostdorp,DUO/RMC-melding",
        "youths.csv:2: has_startkwalificatie: 'ja' is not one of true, false",
    ),
    (
        "cost_items.csv",
        1,
        "T2,,2025-03-01,personeel,250.00",
        "cost_items.csv:2: line: 'personeel' is not one of begeleiding, overige_interventie, loon_vergoedingen, "
        "extra_zorg, extra_onderwijs",
    ),
    # dates
    (
        "time_entries.csv",
        3,
        "W1,3-2-2025,30,overhead,",
        "time_entries.csv:4: date: '3-2-2025' is not a date as YYYY-MM-DD",
    ),
    (
        "time_entries.csv",
        3,
        "W1,2025-02-30,30,overhead,",
        "time_entries.csv:4: date: '2025-02-30' is not a date as YYYY-MM-DD",
    ),
    (
        "youths.csv",
        1,
        "J1,01-05-2006,Uitvallers,vmbo-basis,false,meervoudig,Oostdorp,DUO/RMC-melding",
        "youths.csv:2: birth_date: '01-05-2006' is not a date as YYYY-MM-DD",
    ),
    # numbers
    (
        "workers.csv",
        1,
        "W1,Anna de Vries,Gemeente Oost,Jongerenpunt,1.6,2025-01-01",
        "workers.csv:2: fte: '1.6' is not between 0 and 1.5",
    ),
    (
        "workers.csv",
        1,
        'W1,Anna de Vries,Gemeente Oost,Jongerenpunt,"0,8",2025-01-01',
        "workers.csv:2: fte: '0,8' is not a number (use a dot for decimals, no thousands separator)",
    ),
    (
        "workers.csv",
        1,
        "W1,Anna de Vries,Gemeente Oost,Jongerenpunt,0.8,",
        "workers.csv:2: fte_from: required when fte is given",
    ),
    (
        "time_entries.csv",
        3,
        "W1,2025-02-03,0,overhead,",
        "time_entries.csv:4: minutes: '0' is not between 1 and 1440",
    ),
    (
        "time_entries.csv",
        3,
        "W1,2025-02-03,1441,overhead,",
        "time_entries.csv:4: minutes: '1441' is not between 1 and 1440",
    ),
    (
        "time_entries.csv",
        3,
        "W1,2025-02-03,1.5,overhead,",
        "time_entries.csv:4: minutes: '1.5' is not a whole number",
    ),
    (
        "cost_items.csv",
        1,
        "T2,,2025-03-01,overige_interventie,-5",
        "cost_items.csv:2: amount: '-5' is not an amount >= 0",
    ),
    (
        "cost_items.csv",
        1,
        "T2,,2025-03-01,overige_interventie,12.345",
        "cost_items.csv:2: amount: '12.345' has more than 2 decimals",
    ),
    # references
    (
        "trajectories.csv",
        1,
        "T1,J9,W1,Casusregisseur,2025-01-15,",
        "trajectories.csv:2: youth_id: 'J9' is not in youths.csv and was not imported earlier",
    ),
    (
        "trajectories.csv",
        1,
        "T1,J1,W9,Casusregisseur,2025-01-15,",
        "trajectories.csv:2: worker_id: 'W9' is not in workers.csv and was not imported earlier",
    ),
    (
        "periods.csv",
        1,
        "T1,intake,regie,2025-01-15,2025-02-01,W9",
        "periods.csv:2: worker_id: 'W9' is not in workers.csv and was not imported earlier",
    ),
    (
        "time_entries.csv",
        1,
        "W1,2025-02-03,60,client_direct,T7",
        "time_entries.csv:2: trajectory_id: 'T7' is not in trajectories.csv and was not imported earlier",
    ),
    (
        "outcomes.csv",
        1,
        "T7,2025-07-15,work",
        "outcomes.csv:2: trajectory_id: 'T7' is not in trajectories.csv and was not imported earlier",
    ),
    # date order
    (
        "trajectories.csv",
        2,
        "T2,J2,W2,Werktraject,2025-02-01,2025-01-31",
        "trajectories.csv:3: end_date: 2025-01-31 is before start_date 2025-02-01",
    ),
    (
        "periods.csv",
        1,
        "T1,intake,regie,2025-01-15,2025-01-15,",
        "periods.csv:2: end_date: 2025-01-15 is not after start_date 2025-01-15",
    ),
    # duplicates
    (
        "youths.csv",
        None,
        "J1,,,,,,,",
        "youths.csv:4: youth_id: duplicate youth 'J1' (also on line 2)",
    ),
    (
        "trajectories.csv",
        None,
        "T1,J2,W2,Casusregisseur,2025-09-01,",
        "trajectories.csv:4: trajectory_id: duplicate trajectory 'T1' (also on line 2)",
    ),
    (
        "workers.csv",
        None,
        "W2,Bram Smit,Gemeente Oost,Team Werk,0.5,2025-01-01",
        "workers.csv:5: fte_from: duplicate fte period of worker 'W2' from 2025-01-01 (also on line 4)",
    ),
    (
        "periods.csv",
        None,
        "T1,intake,regie,2025-01-15,2025-01-20,",
        "periods.csv:6: start_date: duplicate period of trajectory 'T1' starting 2025-01-15 (also on line 2)",
    ),
    (
        "outcomes.csv",
        None,
        "T2,2025-07-15,work",
        "outcomes.csv:3: outcome: duplicate outcome 'work' on 2025-07-15 for trajectory 'T2' (also on line 2)",
    ),
    (
        "workers.csv",
        2,
        "W1,Anna de Vries,Gemeente Oost,Team Werk,1.0,2025-07-01",
        "workers.csv:3: team: 'Team Werk' differs from 'Jongerenpunt' on line 2 for worker 'W1'",
    ),
    # overlaps within the file
    (
        "periods.csv",
        None,
        "T1,nazorg,monitoring,2025-03-01,,",
        "periods.csv:6: start_date: period 2025-03-01..open overlaps period 2025-02-01..open on line 3 "
        "(trajectory 'T1')",
    ),
    (
        "trajectories.csv",
        None,
        "T3,J1,W2,Casusregisseur,2025-06-01,2025-07-01",
        "trajectories.csv:4: start_date: trajectory 'T3' 2025-06-01..2025-07-01 overlaps trajectory 'T1' "
        "2025-01-15..open on line 2: youth 'J1' would be twice in approach 'Casusregisseur' at once",
    ),
    # other rules
    (
        "trajectories.csv",
        1,
        "T1,J1,W1,,2025-01-15,",
        "trajectories.csv:2: approach: required, but empty",
    ),
    (
        "cost_items.csv",
        1,
        ",,2025-03-01,overige_interventie,250.00",
        "cost_items.csv:2: approach: required when trajectory_id is empty",
    ),
    (
        "cost_items.csv",
        1,
        "T2,Casusregisseur,2025-03-01,overige_interventie,250.00",
        "cost_items.csv:2: approach: 'Casusregisseur' is not the approach of trajectory 'T2' ('Werktraject')",
    ),
    (
        "youths.csv",
        1,
        "J1,2006-05-01,Uitvallers,vmbo-basis,false,meervoudig,Oostdorp",
        "youths.csv:2: -: 7 cells, but the header has 8 columns",
    ),
]


@pytest.mark.parametrize(("file", "row", "content", "expected"), ERROR_CASES, ids=[case[3] for case in ERROR_CASES])
def test_every_kind_of_error_is_reported_exactly(tmp_path, file, row, content, expected):
    rows = list(GOOD[file])
    if row is None:
        rows.append(content)
    else:
        rows[row - 1] = content

    assert errors_of(dataset(tmp_path, **{file.removesuffix(".csv"): rows})) == [expected]


def test_header_errors_are_errors_of_line_one(tmp_path):
    files = dict(GOOD)
    files["youths.csv"] = [row + ",x" for row in GOOD["youths.csv"]]
    headers = {
        "workers.csv": "worker_id,name,organisation,team,fte",
        "youths.csv": ",".join(COLUMNS["youths.csv"]) + ",notitie",
    }

    assert errors_of(write(tmp_path, files, headers)) == [
        "workers.csv:1: fte_from: missing column",
        "youths.csv:1: notitie: unknown column (expected youth_id, birth_date, target_group, education_level, "
        "has_startkwalificatie, complexity, municipality, referral_route, reported_on, first_contact_on)",
    ]


def test_all_errors_of_all_files_are_collected_in_file_and_line_order(tmp_path):
    directory = dataset(
        tmp_path,
        periods=["T1,intake,coach,2025-01-15,2025-01-10,"],
        time_entries=["W1,2025-02-03,0,lunch,T1"],
        youths=["J1,2006-05-01,Uitvallers,vmbo-basis,nee,meervoudig,Oostdorp,DUO/RMC-melding", "J2,,,,,,,"],
    )

    assert errors_of(directory) == [
        "youths.csv:2: has_startkwalificatie: 'nee' is not one of true, false",
        "periods.csv:2: role: 'coach' is not one of coaching, uitvoering, regie, monitoring",
        "periods.csv:2: end_date: 2025-01-10 is not after start_date 2025-01-15",
        "time_entries.csv:2: minutes: '0' is not between 1 and 1440",
        "time_entries.csv:2: category: 'lunch' is not one of client_direct, client_indirect, overhead",
    ]


def test_a_bad_file_rejects_the_whole_dataset_and_writes_nothing(tmp_path):
    directory = dataset(tmp_path, outcomes=["T2,2025-07-15,work", "T2,2025-07-16,baan"])

    with pytest.raises(DatasetInvalid) as caught:
        dataset_import(directory=directory)

    assert caught.value.errors == [
        "outcomes.csv:3: outcome: 'baan' is not one of work, work_subsidised, school, startkwalificatie, "
        "certificate, daytime_activity, volunteering, care, benefit_start, benefit_end, prevented_escalation, "
        "stabilised, out_of_sight, moved, improved_position"
    ]
    assert isinstance(caught.value, ApplicationError)
    assert set(counts().values()) == {0}


def _refuse_outcomes(self: _Writer) -> None:
    raise IntegrityError("outcome refused")


def test_a_write_that_fails_halfway_rolls_back_everything(tmp_path, monkeypatch):
    # Workers, youths, trajectories, periods and time entries are written before the outcomes.
    monkeypatch.setattr(_Writer, "_outcomes", _refuse_outcomes)
    directory = dataset(tmp_path)

    assert errors_of(directory) == [
        f"{directory}: the database refused the dataset (outcome refused); nothing was written"
    ]
    assert set(counts().values()) == {0}


def test_the_command_reports_a_failed_write_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(_Writer, "_outcomes", _refuse_outcomes)
    directory = dataset(tmp_path)
    out, err = StringIO(), StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import_dataset", str(directory), stdout=out, stderr=err)

    assert exit_.value.code == 1
    assert err.getvalue().splitlines() == [
        f"{directory}: the database refused the dataset (outcome refused); nothing was written"
    ]
    assert out.getvalue() == "dataset rejected: 1 error(s), nothing was written\n"
    assert set(counts().values()) == {0}


def test_a_missing_required_file_is_named(tmp_path):
    directory = dataset(tmp_path, periods=None, cost_items=None)

    assert errors_of(directory) == [f"periods.csv:1: -: required file is missing (no periods.csv in {directory})"]
    assert set(counts().values()) == {0}


def test_cost_items_csv_is_optional(tmp_path):
    result = dataset_import(directory=dataset(tmp_path, cost_items=None))

    assert result.cost_items_present is False
    assert result.records["cost_items"] == RecordCounts()
    assert Trajectory.objects.count() == 2


def test_utf8_with_bom_crlf_and_quoted_multiline_cells_count_physical_lines(tmp_path):
    directory = dataset(tmp_path)
    youths = (
        ",".join(COLUMNS["youths.csv"]) + "\r\n"
        '"J1",2006-05-01,"Uitvallers\r\nen switchers",vmbo-basis,false,meervoudig,Oostdorp,DUO/RMC-melding\r\n'
        "J2,,,,,,,zelf\r\n"
    )
    (directory / "youths.csv").write_bytes(b"\xef\xbb\xbf" + youths.encode("utf-8"))

    # J2 starts on physical line 4: the quoted cell of J1 spans lines 2 and 3.
    assert errors_of(directory) == [
        "youths.csv:4: referral_route: 'zelf' is not one of DUO/RMC-melding, school, self, partner, outreach, "
        "uitkeringsaanvraag"
    ]

    (directory / "youths.csv").write_bytes(b"\xef\xbb\xbf" + youths.replace("zelf", "self").encode("utf-8"))
    dataset_import(directory=directory)
    assert Youth.objects.get(external_id="J1").target_group.name == "Uitvallers\r\nen switchers"


def test_a_file_that_is_not_utf8_is_an_error_of_its_line(tmp_path):
    directory = dataset(tmp_path)
    (directory / "youths.csv").write_bytes(
        (",".join(COLUMNS["youths.csv"]) + "\nJ1,,,,,,,\nJ2,,,,,,Sm").encode() + b"\xe9de,\n"
    )

    assert errors_of(directory) == [
        "youths.csv:3: -: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
    ]


@pytest.mark.parametrize("name", ["youths.csv", "time_entries.csv"])
def test_a_nul_byte_is_an_error_of_its_line_and_writes_nothing(tmp_path, name):
    # PostgreSQL stores no NUL in a text: it was a psycopg error instead of the file's line (and
    # the streamed time entries would have sent it into the COPY).
    directory = dataset(tmp_path)
    lines = (directory / name).read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b",", b"\x00,", 1)
    (directory / name).write_bytes(b"\n".join(lines))

    assert errors_of(directory) == [f"{name}:3: -: contains a NUL character (byte 0x00); save the file as UTF-8 text"]
    assert not Youth.objects.exists()


def test_ids_may_refer_to_records_imported_earlier(tmp_path):
    dataset_import(directory=dataset(tmp_path / "first"))
    later = write(
        tmp_path / "later",
        {
            "workers.csv": [],
            "youths.csv": [],
            "trajectories.csv": ["T3,J1,W2,Werktraject,2025-09-01,"],
            "periods.csv": ["T3,begeleiding,coaching,2025-09-01,,"],
            "time_entries.csv": ["W1,2025-09-02,30,client_direct,T1", "W2,2025-09-02,30,client_direct,T3"],
            "outcomes.csv": ["T1,2025-09-30,school"],
            "cost_items.csv": [",Casusregisseur,2025-09-01,extra_zorg,99.99"],
        },
    )

    result = dataset_import(directory=later)

    assert result.records["trajectories"] == RecordCounts(created=1)
    t3 = Trajectory.objects.get(external_id="T3")
    assert (t3.youth.external_id, t3.worker.external_id, t3.approach.name) == ("J1", "W2", "Werktraject")
    assert TimeEntry.objects.count() == 6
    assert Outcome.objects.filter(trajectory__external_id="T1", outcome="school").exists()
    assert CostItem.objects.get(amount=Decimal("99.99")).approach.name == "Casusregisseur"


def test_ids_may_refer_to_records_made_in_the_application(tmp_path):
    organisation = OrganisationFactory()
    trajectory = TrajectoryFactory(
        external_id="T-APP",
        youth__organisation=organisation,
        approach__organisation=organisation,
        worker__external_id="W-APP",
        worker__team__organisation=organisation,
        start_date=D(2025, 1, 1),
    )
    directory = write(
        tmp_path,
        {
            "workers.csv": [],
            "youths.csv": [],
            "trajectories.csv": [],
            "periods.csv": ["T-APP,begeleiding,regie,2025-01-01,,"],
            "time_entries.csv": ["W-APP,2025-01-02,30,client_direct,T-APP"],
            "outcomes.csv": [],
        },
    )

    dataset_import(directory=directory)

    assert trajectory.periods.get().role == "regie"
    assert TimeEntry.objects.get().trajectory == trajectory


def test_two_identical_time_entry_rows_stay_two_and_a_third_adds_one(tmp_path):
    dataset_import(directory=dataset(tmp_path / "first"))
    assert TimeEntry.objects.filter(category="client_direct", worker__external_id="W1").count() == 2

    three = dataset(tmp_path / "second", time_entries=[*GOOD["time_entries.csv"], "W1,2025-02-03,60,client_direct,T1"])
    result = dataset_import(directory=three)

    assert result.records["time_entries"] == RecordCounts(created=1, unchanged=4)
    assert TimeEntry.objects.filter(category="client_direct", worker__external_id="W1").count() == 3


def test_periods_may_not_overlap_periods_in_the_database_that_the_file_does_not_cover(tmp_path):
    dataset_import(directory=dataset(tmp_path / "first"))
    # T1 has intake [01-15, 02-01) and an open coaching period from 02-01 in the database.
    overlapping = dataset(tmp_path / "second", periods=["T1,nazorg,monitoring,2025-06-01,,"])

    assert errors_of(overlapping) == [
        "periods.csv:2: start_date: period 2025-06-01..open overlaps period 2025-02-01..open imported earlier "
        "(trajectory 'T1')"
    ]

    # Restating the open period with an end makes room: the file covers it, so it is compared as in the file.
    closing = dataset(
        tmp_path / "third",
        periods=["T1,begeleiding,coaching,2025-02-01,2025-06-01,", "T1,nazorg,monitoring,2025-06-01,,"],
    )
    result = dataset_import(directory=closing)
    assert result.records["periods"] == RecordCounts(created=1, updated=1)
    assert Period.objects.filter(trajectory__external_id="T1").count() == 3


def test_periods_made_in_the_application_count_as_imported_earlier(tmp_path):
    period = PeriodFactory(
        trajectory__external_id="T-APP",
        trajectory__worker__external_id="W-APP",
        start_date=D(2025, 1, 1),
        end_date=D(2025, 3, 1),
    )
    directory = write(
        tmp_path,
        {
            "workers.csv": [],
            "youths.csv": [],
            "trajectories.csv": [],
            "periods.csv": ["T-APP,nazorg,monitoring,2025-02-01,,"],
            "time_entries.csv": [],
            "outcomes.csv": [],
        },
    )

    assert errors_of(directory) == [
        "periods.csv:2: start_date: period 2025-02-01..open overlaps period 2025-01-01..2025-03-01 imported "
        "earlier (trajectory 'T-APP')"
    ]
    assert Period.objects.get() == period


def test_a_youth_is_never_twice_at_once_in_one_approach_with_the_database(tmp_path):
    dataset_import(directory=dataset(tmp_path / "first"))
    again = dataset(tmp_path / "second", trajectories=["T9,J1,W2,Casusregisseur,2025-03-01,2025-04-01"])

    assert errors_of(again) == [
        "trajectories.csv:2: start_date: trajectory 'T9' 2025-03-01..2025-04-01 overlaps trajectory 'T1' "
        "2025-01-15..open imported earlier: youth 'J1' would be twice in approach 'Casusregisseur' at once"
    ]


def test_an_earlier_trajectory_that_ends_the_day_the_next_starts_is_fine(tmp_path):
    directory = dataset(
        tmp_path,
        trajectories=[
            "T1,J1,W1,Casusregisseur,2025-01-15,2025-02-01",
            "T2,J2,W2,Werktraject,2025-02-01,2025-08-01",
            "T3,J1,W1,Casusregisseur,2025-02-01,",
        ],
    )

    assert dataset_import(directory=directory).records["trajectories"] == RecordCounts(created=3)


# Two organisations: W3 works for Gemeente West.
WEST = [*GOOD["workers.csv"], "W3,Chris Visser,Gemeente West,Team West,1,2025-01-01"]


def test_a_youth_with_trajectories_in_two_organisations_is_an_error_of_its_line(tmp_path):
    directory = dataset(
        tmp_path, workers=WEST, trajectories=[*GOOD["trajectories.csv"], "T3,J1,W3,Casusregisseur,2025-03-01,"]
    )

    assert errors_of(directory) == [
        "youths.csv:2: youth_id: youth 'J1' has trajectories in several organisations (Gemeente Oost, Gemeente West); "
        "a youth belongs to one organisation"
    ]


def test_a_youth_without_trajectories_needs_a_single_organisation_dataset(tmp_path):
    directory = dataset(tmp_path, workers=WEST, youths=[*GOOD["youths.csv"], "J3,,,,,,,"])

    assert errors_of(directory) == [
        "youths.csv:4: youth_id: youth 'J3' has no trajectory in this dataset, which has several organisations "
        "(Gemeente Oost, Gemeente West): its organisation is unknown"
    ]

    dataset_import(directory=dataset(tmp_path / "single", youths=[*GOOD["youths.csv"], "J3,,,,,,,"]))
    assert Youth.objects.get(external_id="J3").organisation.name == "Gemeente Oost"


def test_an_imported_youth_keeps_its_organisation(tmp_path):
    dataset_import(directory=dataset(tmp_path / "first"))
    directory = dataset(
        tmp_path / "second", workers=WEST, trajectories=[*GOOD["trajectories.csv"], "T3,J1,W3,Anders,2025-03-01,"]
    )

    assert errors_of(directory) == [
        "trajectories.csv:4: worker_id: worker 'W3' belongs to 'Gemeente West', but youth 'J1' belongs to "
        "'Gemeente Oost'"
    ]


def test_workers_of_periods_and_time_entries_stay_within_the_trajectorys_organisation(tmp_path):
    directory = dataset(
        tmp_path,
        workers=WEST,
        periods=[*GOOD["periods.csv"][:3], "T2,nazorg,monitoring,2025-06-01,2025-08-01,W3"],
        time_entries=[*GOOD["time_entries.csv"], "W3,2025-02-05,30,client_indirect,T1"],
    )

    assert errors_of(directory) == [
        "periods.csv:5: worker_id: worker 'W3' belongs to 'Gemeente West', trajectory 'T2' to 'Gemeente Oost'",
        "time_entries.csv:6: trajectory_id: trajectory 'T1' belongs to 'Gemeente Oost', worker 'W3' to 'Gemeente West'",
    ]


def test_an_imported_worker_is_not_moved_to_another_organisation(tmp_path):
    dataset_import(directory=dataset(tmp_path / "first"))
    moved = [GOOD["workers.csv"][0], GOOD["workers.csv"][1], "W2,Bram Smit,Gemeente West,Team Werk,1,2025-01-01"]

    assert errors_of(dataset(tmp_path / "second", workers=moved)) == [
        "workers.csv:4: organisation: worker 'W2' belongs to 'Gemeente Oost'; an import does not move a worker to "
        "another organisation"
    ]


def test_approach_names_are_per_organisation_and_an_approach_only_cost_item_must_be_unambiguous(tmp_path):
    two_organisations = {
        "workers": WEST,
        "youths": [*GOOD["youths.csv"], "J3,,,,,,,"],
        "trajectories": [*GOOD["trajectories.csv"], "T3,J3,W3,Werktraject,2025-03-01,"],
    }
    # Both organisations run a "Werktraject": an approach-only cost item cannot say whose it is.
    assert errors_of(dataset(tmp_path / "ambiguous", **two_organisations)) == [
        "cost_items.csv:3: approach: approach 'Werktraject' exists in several organisations "
        "(Gemeente Oost, Gemeente West); give a trajectory_id"
    ]

    unambiguous = [GOOD["cost_items.csv"][0], ",Casusregisseur,2025-01-31,loon_vergoedingen,10"]
    dataset_import(directory=dataset(tmp_path / "ok", **two_organisations, cost_items=unambiguous))

    assert sorted(Approach.objects.values_list("organisation__name", "name")) == [
        ("Gemeente Oost", "Casusregisseur"),
        ("Gemeente Oost", "Werktraject"),
        ("Gemeente West", "Werktraject"),
    ]
    assert CostItem.objects.get(trajectory=None).approach.organisation.name == "Gemeente Oost"


def test_the_command_prints_a_summary_per_file(tmp_path):
    directory = dataset(tmp_path)
    out = StringIO()

    call_command("import_dataset", str(directory), stdout=out)

    assert out.getvalue().splitlines() == [
        "workers.csv: workers 2 created, 0 updated, 0 unchanged; fte periods 3 created, 0 updated, 0 unchanged",
        "youths.csv: 2 created, 0 updated, 0 unchanged",
        "trajectories.csv: 2 created, 0 updated, 0 unchanged",
        "periods.csv: 4 created, 0 updated, 0 unchanged",
        "time_entries.csv: 4 created, 0 updated, 0 unchanged",
        "outcomes.csv: 1 created, 0 updated, 0 unchanged",
        "cost_items.csv: 2 created, 0 updated, 0 unchanged",
        "follow_ups.csv: not present",
        "working_elements.csv: not present",
        "new names: 1 organisations, 2 teams, 2 approaches, 1 target groups, 1 municipalities, 0 working elements",
    ]


def test_the_command_prints_every_error_to_stderr_and_fails(tmp_path):
    directory = dataset(tmp_path, periods=["T1,begeleiding,coach,2025-02-01,,"], outcomes=None)
    out, err = StringIO(), StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import_dataset", str(directory), stdout=out, stderr=err)

    assert exit_.value.code == 1
    # Standard error holds nothing but the error lines.
    assert err.getvalue().splitlines() == [
        "periods.csv:2: role: 'coach' is not one of coaching, uitvoering, regie, monitoring",
        f"outcomes.csv:1: -: required file is missing (no outcomes.csv in {directory})",
    ]
    assert out.getvalue() == "dataset rejected: 2 error(s), nothing was written\n"
    assert set(counts().values()) == {0}


def test_the_command_refuses_a_directory_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        call_command("import_dataset", str(tmp_path / "nowhere"))


def scaled(directory: Path, rows: int) -> Path:
    """A dataset with `rows` youths, trajectories, periods, time entries, outcomes and cost items."""
    return write(
        directory,
        {
            "workers.csv": [f"W{i},Begeleider {i},Regio,Team {i % 3},1,2025-01-01" for i in range(5)],
            "youths.csv": [
                f"J{i},2006-01-01,Doelgroep {i % 4},mbo-2,false,licht,Plaats {i % 7},school" for i in range(rows)
            ],
            "trajectories.csv": [f"T{i},J{i},W{i % 5},Aanpak {i % 3},2025-01-01," for i in range(rows)],
            "periods.csv": [f"T{i},begeleiding,coaching,2025-01-01,," for i in range(rows)],
            "time_entries.csv": [f"W{i % 5},2025-02-03,30,client_direct,T{i}" for i in range(rows)],
            "outcomes.csv": [f"T{i},2025-06-01,school" for i in range(rows)],
            "cost_items.csv": [f"T{i},,2025-03-01,extra_zorg,10.00" for i in range(rows)],
        },
    )


@pytest.mark.parametrize("rows", [10, 500])
def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(tmp_path, rows, django_assert_max_num_queries):
    directory = scaled(tmp_path, rows)

    # time_entries.csv goes through temporary tables (stage, maps, keyed): a dozen fixed statements.
    with django_assert_max_num_queries(60):
        result = dataset_import(directory=directory)
    assert result.records["time_entries"] == RecordCounts(created=rows)

    with django_assert_max_num_queries(40):
        result = dataset_import(directory=directory)
    assert result.records["time_entries"] == RecordCounts(unchanged=rows)


EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "example_dataset"


def test_the_example_dataset_imports_and_reimports_through_the_command():
    out = StringIO()
    call_command("import_dataset", str(EXAMPLE), stdout=out)

    assert out.getvalue().splitlines()[:7] == [
        "workers.csv: workers 3 created, 0 updated, 0 unchanged; fte periods 4 created, 0 updated, 0 unchanged",
        "youths.csv: 5 created, 0 updated, 0 unchanged",
        "trajectories.csv: 5 created, 0 updated, 0 unchanged",
        "periods.csv: 17 created, 0 updated, 0 unchanged",
        "time_entries.csv: 10 created, 0 updated, 0 unchanged",
        "outcomes.csv: 4 created, 0 updated, 0 unchanged",
        "cost_items.csv: 3 created, 0 updated, 0 unchanged",
    ]
    handed_over = Period.objects.get(trajectory__external_id="VB-T2", start_date=D(2025, 10, 1))
    assert handed_over.worker.external_id == "VB-W1"
    assert Youth.objects.get(external_id="VB-J1").trajectories.count() == 2

    before = counts()
    out = StringIO()
    call_command("import_dataset", str(EXAMPLE), stdout=out)
    assert counts() == before  # not even an audit entry: nothing happened
    assert "youths.csv: 0 created, 0 updated, 5 unchanged" in out.getvalue()


def test_an_empty_worker_name_is_unknown_and_the_worker_goes_by_their_id(tmp_path):
    directory = dataset(
        tmp_path,
        workers=[
            "W1,,Gemeente Oost,Jongerenpunt,0.8,2025-01-01",
            "W1,,Gemeente Oost,Jongerenpunt,1.0,2025-07-01",
            "W2,Bram Smit,Gemeente Oost,Team Werk,1,2025-01-01",
        ],
    )

    dataset_import(directory=directory)

    assert Worker.objects.get(external_id="W1").name == "W1"


def test_time_entry_keys_are_the_content_hash_with_the_occurrence_number(tmp_path):
    """The keys of the set-based writer are those of earlier imports (content + occurrence, SHA-256),
    so a dataset imported before the staging pipeline re-imports without changes."""
    from cases.dataset.validation import _content_key

    dataset_import(directory=dataset(tmp_path))

    content = ("W1", "2025-02-03", "60", "client_direct", "T1")
    expected = {
        _content_key("time_entry", content, 1),
        _content_key("time_entry", content, 2),
        _content_key("time_entry", ("W1", "2025-02-03", "30", "overhead", ""), 1),
        _content_key("time_entry", ("W2", "2025-02-04", "45", "client_indirect", "T2"), 1),
    }
    assert set(TimeEntry.objects.values_list("import_key", flat=True)) == expected


def test_a_time_entry_changed_since_the_import_is_set_back_by_a_re_import(tmp_path):
    directory = dataset(tmp_path)
    dataset_import(directory=directory)
    entry = TimeEntry.objects.get(category="overhead")
    TimeEntry.objects.filter(pk=entry.pk).update(minutes=90, date=D(2025, 2, 9))

    result = dataset_import(directory=directory)

    assert result.records["time_entries"] == RecordCounts(updated=1, unchanged=3)
    entry.refresh_from_db()
    assert (entry.minutes, entry.date, entry.trajectory) == (30, D(2025, 2, 3), None)
    assert TimeEntry.objects.count() == 4


def test_ids_with_backslashes_and_tabs_reach_the_database_as_written(tmp_path):
    # The staging table is loaded in COPY's text format, where these characters are escapes.
    odd = 'W\\1\t"x"'
    cell = '"W\\1\t""x"""'
    directory = dataset(
        tmp_path,
        workers=[*GOOD["workers.csv"], f"{cell},Odd Name,Gemeente Oost,Jongerenpunt,1,2025-01-01"],
        time_entries=[*GOOD["time_entries.csv"], f"{cell},2025-02-05,15,overhead,"],
    )

    dataset_import(directory=directory)
    again = dataset_import(directory=directory)

    assert TimeEntry.objects.get(worker__external_id=odd).minutes == 15
    assert again.records["time_entries"] == RecordCounts(unchanged=5)


def test_a_time_entries_file_that_stops_being_csv_halfway_is_rejected_on_that_line(tmp_path, monkeypatch):
    # Rows before the bad one are already staged (one at a time here; on PostgreSQL through a COPY
    # that is still open): the file is still rejected with that one error and nothing is written.
    monkeypatch.setattr("cases.dataset.time_entries.STAGE_BATCH_ROWS", 1)
    rows = [*GOOD["time_entries.csv"], 'W1,"' + "x" * 140_000 + '",15,overhead,', "W1,2025-02-05,15,overhead,"]
    directory = dataset(tmp_path, time_entries=rows)

    assert errors_of(directory) == [
        f"time_entries.csv:{len(GOOD['time_entries.csv']) + 2}: -: not readable as CSV: "
        "field larger than field limit (131072)"
    ]
    assert TimeEntry.objects.count() == 0


def test_a_youth_re_rated_in_the_app_is_re_rated_by_a_later_import_from_its_day(tmp_path):
    # SPEC §3: the complexity history weighs the days. J1 (meervoudig) was re-rated complex in the
    # app from 1 March 2025; a later file says licht: from the day of that import J1 is licht (before,
    # the profile said licht while every day still weighed as complex). J2 has no history: as ever.
    import time_machine

    from cases.models import ComplexityChange
    from cases.selectors import complexities_on
    from cases.services import youth_complexity_change
    from tests.factories import UserFactory

    dataset_import(directory=dataset(tmp_path / "first"))
    j1 = Youth.objects.get(external_id="J1")
    lead = UserFactory(organisation=j1.organisation, role="team_lead")
    youth_complexity_change(user=lead, youth=j1, complexity="complex", valid_from=datetime.date(2025, 3, 1))
    rerated = [row.replace(",meervoudig,", ",licht,") for row in GOOD["youths.csv"]]
    rerated[1] = "J2,,,,,licht,,"
    with time_machine.travel(datetime.datetime(2025, 9, 1, 12, tzinfo=datetime.UTC)):
        dataset_import(directory=dataset(tmp_path / "later", youths=rerated))
        dataset_import(directory=dataset(tmp_path / "again", youths=rerated))  # unchanged: no second change

    history = list(ComplexityChange.objects.filter(youth=j1).values_list("valid_from", "complexity"))
    assert history == [
        (None, "meervoudig"),
        (datetime.date(2025, 3, 1), "complex"),
        (datetime.date(2025, 9, 1), "licht"),
    ]
    j1.refresh_from_db()
    days = {day: complexities_on([j1], day)[j1.pk] for day in (datetime.date(2025, 8, 31), datetime.date(2025, 9, 1))}
    assert days == {datetime.date(2025, 8, 31): "complex", datetime.date(2025, 9, 1): "licht"}
    assert not ComplexityChange.objects.filter(youth__external_id="J2").exists()
