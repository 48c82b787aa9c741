"""export_dataset (SPEC §6): the files import_dataset reads; importing them into an empty database
gives the same figures (caseload, SPEC §3; MKBA, SPEC §4 and §4b)."""

import csv
import datetime
import io
import json
import shutil
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cases.dataset import COLUMNS, DatasetInvalid, RecordCounts, dataset_import
from cases.dataset.exporting import dataset_export, dataset_export_zip
from cases.models import (
    Approach,
    ComplexityChange,
    CostItem,
    FollowUp,
    Handover,
    Municipality,
    Outcome,
    Period,
    TargetGroup,
    TimeEntry,
    Trajectory,
    WorkingElement,
    Youth,
)
from core.models import FtePeriod, Team, Worker

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "example_dataset"
FOLLOW_UPS = [
    "trajectory_id,outcome,outcome_date,months_after,answer",
    "VB-T1,school,2025-05-20,1,still_there",
    "VB-T1,school,2025-05-20,6,",
    "VB-T4,school,2025-12-15,1,not_there",
]
WORKING_ELEMENTS = ["trajectory_id,element", "VB-T1,Vaste begeleider", "VB-T1,Maatwerk", "VB-T2,Maatwerk"]
YOUTH_DATES = {"VB-J1": ("2024-12-20", "2025-01-06"), "VB-J2": ("2025-01-20", "")}


def _source(directory: Path) -> Path:
    """The example dataset with the optional files and columns: follow-ups, working elements,
    melding and first-contact dates, funding sources."""
    shutil.copytree(EXAMPLE, directory)
    (directory / "follow_ups.csv").write_text("\n".join(FOLLOW_UPS) + "\n", encoding="utf-8")
    (directory / "working_elements.csv").write_text("\n".join(WORKING_ELEMENTS) + "\n", encoding="utf-8")
    with (directory / "youths.csv").open(encoding="utf-8") as handle:
        youths = list(csv.reader(handle))
    youths[0] += ["reported_on", "first_contact_on"]
    for row in youths[1:]:
        row += list(YOUTH_DATES.get(row[0], ("", "")))
    with (directory / "trajectories.csv").open(encoding="utf-8") as handle:
        trajectories = list(csv.reader(handle))
    trajectories[0].append("funding_source")
    for number, row in enumerate(trajectories[1:]):
        row.append("" if number % 2 else "gemeente")
    for name, rows in (("youths.csv", youths), ("trajectories.csv", trajectories)):
        with (directory / name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    return directory


def _json(command: str, *arguments: str) -> Any:
    out = StringIO()
    call_command(command, *arguments, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _without_ids(document: Any) -> Any:
    """Database ids differ between two databases; every figure and name must not."""
    if isinstance(document, dict):
        return {key: _without_ids(value) for key, value in document.items() if key != "id" and not key.endswith("_id")}
    if isinstance(document, list):
        return [_without_ids(value) for value in document]
    return document


def _figures() -> dict[str, Any]:
    figures: dict[str, Any] = {
        "caseload on 2025-06-02": _json("caseload", "--date", "2025-06-02"),
        "caseload in 2025": _json("caseload", "--from", "2025-01-01", "--to", "2026-01-01"),
    }
    for name in sorted(Approach.objects.values_list("name", flat=True)):
        figures[f"mkba {name}"] = _json(
            "mkba_report",
            "--approach",
            name,
            "--from",
            "2025-01-01",
            "--to",
            "2026-01-01",
            "--measured-at",
            "2026-06-01",
        )
    return _without_ids(figures)


def _case_data_delete() -> None:
    """Empty the database of everything a dataset holds (organisations stay: their names are reused,
    and the audit log keeps its rows)."""
    for model in (TimeEntry, CostItem, FollowUp, Outcome, Period, Handover):
        model.objects.all().delete()
    Trajectory.working_elements.through.objects.all().delete()
    Trajectory.objects.all().delete()
    ComplexityChange.objects.all().delete()
    Youth.objects.all().delete()
    FtePeriod.objects.all().delete()
    Worker.objects.all().delete()
    Team.objects.all().delete()
    Approach.working_elements.through.objects.all().delete()
    Approach.objects.all().delete()
    for model in (TargetGroup, WorkingElement, Municipality):
        model.objects.all().delete()


def test_import_export_import_into_an_empty_database_gives_the_same_figures(tmp_path):
    dataset_import(directory=_source(tmp_path / "source"))
    before = _figures()
    counts = {model: model.objects.count() for model in (TimeEntry, Period, Outcome, FollowUp, CostItem)}

    call_command("export_dataset", str(tmp_path / "export"), stdout=StringIO())
    _case_data_delete()
    assert Trajectory.objects.count() == 0
    result = dataset_import(directory=tmp_path / "export")

    assert result.records["time_entries"] == RecordCounts(created=counts[TimeEntry])
    assert {model: model.objects.count() for model in counts} == counts
    assert _figures() == before
    assert set(Trajectory.objects.get(external_id="VB-T1").working_elements.values_list("name", flat=True)) == {
        "Vaste begeleider",
        "Maatwerk",
    }
    youth = Youth.objects.get(external_id="VB-J1")
    assert (youth.reported_on.isoformat(), youth.first_contact_on.isoformat()) == YOUTH_DATES["VB-J1"]


def test_a_complexity_history_goes_round_with_its_figures(tmp_path):
    # SPEC §3 and §6's round trip: a youth re-rated in the app weighs with its history; the export
    # carries it (complexity_changes.csv), so the figures after import are the same. Without the
    # file, 2025's caseload would weigh VB-J1's every day with its last complexity.
    from cases.services import youth_complexity_change
    from tests.factories import UserFactory

    dataset_import(directory=_source(tmp_path / "source"))
    youth = Youth.objects.get(external_id="VB-J1")
    lead = UserFactory(organisation=youth.organisation, role="team_lead")
    youth_complexity_change(
        user=lead,
        youth=youth,
        complexity="complex" if youth.complexity != "complex" else "licht",
        valid_from=datetime.date(2025, 5, 1),
    )
    before = _figures()
    history = list(
        ComplexityChange.objects.order_by("youth__external_id", "pk").values_list(
            "youth__external_id", "valid_from", "complexity"
        )
    )
    assert len(history) == 2

    counts = dataset_export(directory=tmp_path / "export")
    assert counts["complexity_changes.csv"] == 2
    _case_data_delete()
    result = dataset_import(directory=tmp_path / "export")

    assert result.records["complexity_changes"] == RecordCounts(created=2)
    assert (
        list(
            ComplexityChange.objects.order_by("youth__external_id", "pk").values_list(
                "youth__external_id", "valid_from", "complexity"
            )
        )
        == history
    )
    assert _figures() == before
    assert not dataset_import(directory=tmp_path / "export").changed


def test_a_complexity_history_file_is_checked_row_by_row(tmp_path):
    dataset_import(directory=_source(tmp_path / "source"))
    directory = tmp_path / "history"
    shutil.copytree(tmp_path / "source", directory)
    (directory / "complexity_changes.csv").write_text(
        "youth_id,valid_from,complexity\n"
        "VB-J1,,licht\n"
        "VB-J1,2025-05-01,complex\n"
        "VB-J1,2025-05-01,licht\n"
        "VB-NOBODY,2025-05-01,licht\n"
        "VB-J1,2025-13-01,zwaar\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetInvalid) as caught:
        dataset_import(directory=directory)
    assert caught.value.errors == [
        "complexity_changes.csv:4: valid_from: a second complexity for youth 'VB-J1' from 2025-05-01 (also on line 3)",
        "complexity_changes.csv:5: youth_id: 'VB-NOBODY' is not in youths.csv and was not imported earlier",
        "complexity_changes.csv:6: valid_from: '2025-13-01' is not a date as YYYY-MM-DD",
        "complexity_changes.csv:6: complexity: 'zwaar' is not one of licht, meervoudig, complex",
    ]
    assert not ComplexityChange.objects.exists()


def test_the_export_has_every_file_with_its_header_and_re_imports_without_changes(tmp_path):
    dataset_import(directory=_source(tmp_path / "source"))

    counts = dataset_export(directory=tmp_path / "export")

    assert sorted(path.name for path in (tmp_path / "export").iterdir()) == sorted(COLUMNS)
    header = (tmp_path / "export" / "time_entries.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "worker_id,date,minutes,category,trajectory_id"
    assert counts["follow_ups.csv"] == 3
    assert counts["working_elements.csv"] == 3
    # The export of an imported dataset is that dataset: importing it changes nothing.
    result = dataset_import(directory=tmp_path / "export")
    assert not result.changed


def test_the_worker_rows_are_one_per_fte_period_and_empty_values_stay_empty(tmp_path):
    dataset_import(directory=_source(tmp_path / "source"))

    dataset_export(directory=tmp_path / "export")

    workers = (tmp_path / "export" / "workers.csv").read_text(encoding="utf-8").splitlines()
    source = (EXAMPLE / "workers.csv").read_text(encoding="utf-8").splitlines()
    assert len(workers) == len(source)
    youths = list(csv.DictReader(io.StringIO((tmp_path / "export" / "youths.csv").read_text(encoding="utf-8"))))
    # A youth known by its id only: every other cell empty, complexity the model default.
    only_id = [row for row in youths if not row["birth_date"]]
    assert only_id
    assert all(row["has_startkwalificatie"] == "" for row in only_id)


def test_an_unknown_organisation_is_refused(tmp_path):
    dataset_import(directory=_source(tmp_path / "source"))

    with pytest.raises(CommandError, match="no organisation named 'Elders'"):
        call_command("export_dataset", str(tmp_path / "export"), "--organisation", "Elders", stdout=StringIO())


def test_the_zip_holds_the_same_files(tmp_path):
    dataset_import(directory=_source(tmp_path / "source"))
    dataset_export(directory=tmp_path / "export")
    target = io.BytesIO()

    dataset_export_zip(target=target)

    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as archive:
        assert sorted(archive.namelist()) == sorted(COLUMNS)
        for name in COLUMNS:
            assert archive.read(name).decode("utf-8") == (tmp_path / "export" / name).read_text(encoding="utf-8")
