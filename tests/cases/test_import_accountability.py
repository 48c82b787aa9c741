"""import_dataset's accountability data (SPEC §6 with §4b): the optional columns youths.csv
`reported_on, first_contact_on` and trajectories.csv `funding_source`, and the optional files
follow_ups.csv and working_elements.csv. Validated as `file:line: column: message`, nothing
half-written, idempotent; imported outcomes plan no checks of their own."""

import datetime

import pytest

from cases.dataset import DatasetInvalid, RecordCounts, dataset_import
from cases.models import FollowUp, Outcome, Trajectory, WorkingElement, Youth
from tests.cases.test_import_dataset import GOOD, counts, write

pytestmark = pytest.mark.django_db
D = datetime.date

YOUTHS_HEADER = (
    "youth_id,birth_date,target_group,education_level,has_startkwalificatie,complexity,municipality,"
    "referral_route,reported_on,first_contact_on"
)
TRAJECTORIES_HEADER = "trajectory_id,youth_id,worker_id,approach,start_date,end_date,funding_source"
HEADERS = {"youths.csv": YOUTHS_HEADER, "trajectories.csv": TRAJECTORIES_HEADER}

ACCOUNTABLE = {
    **GOOD,
    "youths.csv": [
        "J1,2006-05-01,Uitvallers,vmbo-basis,false,meervoudig,Oostdorp,DUO/RMC-melding,2025-01-06,2025-01-10",
        "J2,,,,,,,,,",
    ],
    "trajectories.csv": [
        "T1,J1,W1,Casusregisseur,2025-01-15,,esf",
        "T2,J2,W2,Werktraject,2025-02-01,2025-08-01,",
    ],
    "outcomes.csv": ["T2,2025-07-15,work", "T1,2025-01-31,improved_position"],
    "follow_ups.csv": [
        "T2,work,2025-07-15,1,still_there",
        "T2,work,2025-07-15,6,",
        "T1,improved_position,2025-01-31,1,not_there",
    ],
    "working_elements.csv": ["T1,Vaste begeleider", "T1,Maatwerk", "T2,Vaste begeleider"],
}


def accountable(directory, headers=None, **changes):
    files = dict(ACCOUNTABLE)
    files.update({f"{name}.csv": rows for name, rows in changes.items()})
    return write(directory, files, {**HEADERS, **(headers or {})})


def errors_of(directory):
    with pytest.raises(DatasetInvalid) as caught:
        dataset_import(directory=directory)
    return caught.value.errors


def checks():
    return sorted(
        FollowUp.objects.values_list(
            "outcome__trajectory__external_id",
            "outcome__outcome",
            "outcome__date",
            "months_after",
            "due_date",
            "answer",
        )
    )


def elements():
    return sorted(
        Trajectory.objects.values_list("external_id", "working_elements__name").exclude(working_elements=None)
    )


def test_the_accountability_columns_and_files_are_imported_exactly(tmp_path):
    result = dataset_import(directory=accountable(tmp_path))

    youth = Youth.objects.get(external_id="J1")
    assert (youth.reported_on, youth.first_contact_on) == (D(2025, 1, 6), D(2025, 1, 10))
    assert Youth.objects.get(external_id="J2").reported_on is None
    assert dict(Trajectory.objects.values_list("external_id", "funding_source")) == {"T1": "esf", "T2": "gemeente"}
    # Due dates: months_after calendar months after the outcome date; 31 Jan + 1 month = 28 Feb 2025.
    # The imported outcomes plan no checks of their own: only the three rows of follow_ups.csv exist.
    assert checks() == [
        ("T1", "improved_position", D(2025, 1, 31), 1, D(2025, 2, 28), "not_there"),
        ("T2", "work", D(2025, 7, 15), 1, D(2025, 8, 15), "still_there"),
        ("T2", "work", D(2025, 7, 15), 6, D(2026, 1, 15), ""),
    ]
    assert elements() == [("T1", "Maatwerk"), ("T1", "Vaste begeleider"), ("T2", "Vaste begeleider")]
    organisation = Trajectory.objects.get(external_id="T1").organisation
    assert sorted(WorkingElement.objects.values_list("organisation", "name")) == [
        (organisation.pk, "Maatwerk"),
        (organisation.pk, "Vaste begeleider"),
    ]
    assert result.records["follow_ups"] == RecordCounts(created=3)
    assert result.records["trajectory_working_elements"] == RecordCounts(created=3)
    assert result.names_created["working_elements"] == 2
    assert result.optional_present == {"cost_items.csv", "follow_ups.csv", "working_elements.csv"}


def test_imported_outcomes_plan_no_checks(tmp_path):
    dataset_import(directory=accountable(tmp_path, follow_ups=None))

    assert Outcome.objects.filter(outcome__in=["work", "improved_position"]).count() == 2
    assert FollowUp.objects.count() == 0


def test_reimporting_changes_nothing(tmp_path):
    directory = accountable(tmp_path)
    dataset_import(directory=directory)
    before = (
        checks(),
        elements(),
        list(Youth.objects.values_list("external_id", "reported_on", "first_contact_on", "updated_at")),
    )
    stamps = list(Trajectory.objects.values_list("external_id", "funding_source", "updated_at"))

    again = dataset_import(directory=directory)

    assert again.changed is False
    assert again.records["follow_ups"] == RecordCounts(unchanged=3)
    assert again.records["trajectory_working_elements"] == RecordCounts(unchanged=3)
    assert set(again.names_created.values()) == {0}
    assert (
        checks(),
        elements(),
        list(Youth.objects.values_list("external_id", "reported_on", "first_contact_on", "updated_at")),
    ) == before
    assert list(Trajectory.objects.values_list("external_id", "funding_source", "updated_at")) == stamps


def test_a_check_of_an_unknown_outcome_is_an_error_of_its_line_and_nothing_is_written(tmp_path):
    before = counts()

    errors = errors_of(
        accountable(
            tmp_path,
            follow_ups=["T2,work,2025-07-15,1,still_there", "T2,school,2025-07-15,1,", "T1,work,2025-07-16,12,unknown"],
        )
    )

    assert errors == [
        "follow_ups.csv:3: outcome: trajectory 'T2' has no outcome 'school' on 2025-07-15 in outcomes.csv and none was imported earlier",
        "follow_ups.csv:4: outcome: trajectory 'T1' has no outcome 'work' on 2025-07-16 in outcomes.csv and none was imported earlier",
    ]
    assert counts() == before
    assert FollowUp.objects.count() == 0
    assert WorkingElement.objects.count() == 0


def test_a_check_may_refer_to_an_outcome_imported_earlier(tmp_path):
    dataset_import(directory=accountable(tmp_path / "first", follow_ups=None))

    result = dataset_import(
        directory=accountable(tmp_path / "second", outcomes=[], follow_ups=["T2,work,2025-07-15,12,unknown"])
    )

    assert result.records["follow_ups"] == RecordCounts(created=1)
    assert checks() == [("T2", "work", D(2025, 7, 15), 12, D(2026, 7, 15), "unknown")]


def test_every_field_error_of_the_new_columns_and_files(tmp_path):
    errors = errors_of(
        accountable(
            tmp_path,
            youths=[
                "J1,2006-05-01,Uitvallers,vmbo-basis,false,meervoudig,Oostdorp,DUO/RMC-melding,2025-01-10,2025-01-06",
                "J2,,,,,,,,6 januari,",
            ],
            trajectories=["T1,J1,W1,Casusregisseur,2025-01-15,,EU", "T2,J2,W2,Werktraject,2025-02-01,2025-08-01,"],
            follow_ups=[
                "T2,work,2025-07-15,0,still_there",
                "T2,work,2025-07-15,1,yes",
                "T2,job,2025-07-15,1,",
                "T9,work,2025-07-15,1,",
                "T2,work,2025-07-15,6,",
                "T2,work,2025-07-15,6,unknown",
            ],
            working_elements=["T1,Maatwerk", "T1,Maatwerk", "T9,Maatwerk", "T2,"],
        )
    )

    assert errors == [
        "youths.csv:2: first_contact_on: 2025-01-06 is before reported_on 2025-01-10",
        "youths.csv:3: reported_on: '6 januari' is not a date as YYYY-MM-DD",
        "trajectories.csv:2: funding_source: 'EU' is not one of gemeente, esf, rmc, school, overig",
        "follow_ups.csv:2: months_after: '0' is not between 1 and 600",
        "follow_ups.csv:3: answer: 'yes' is not one of still_there, not_there, unknown",
        "follow_ups.csv:4: outcome: 'job' is not one of work, work_subsidised, school, startkwalificatie, certificate, "
        "daytime_activity, volunteering, care, benefit_start, benefit_end, prevented_escalation, stabilised, "
        "out_of_sight, moved, improved_position",
        "follow_ups.csv:5: trajectory_id: 'T9' is not in trajectories.csv and was not imported earlier",
        "follow_ups.csv:7: months_after: duplicate check after 6 months of outcome 'work' on 2025-07-15 "
        "for trajectory 'T2' (also on line 6)",
        "working_elements.csv:3: element: duplicate element 'Maatwerk' for trajectory 'T1' (also on line 2)",
        "working_elements.csv:4: trajectory_id: 'T9' is not in trajectories.csv and was not imported earlier",
        "working_elements.csv:5: element: required, but empty",
    ]
    assert Youth.objects.count() == 0


def test_an_absent_optional_column_keeps_what_was_imported_and_an_empty_answer_keeps_an_answer(tmp_path):
    dataset_import(directory=accountable(tmp_path / "first"))
    FollowUp.objects.filter(months_after=6).update(answer="still_there", answered_on=D(2026, 1, 20))

    # The original files: no optional columns, no follow-ups or working elements.
    result = dataset_import(directory=write(tmp_path / "second", dict(GOOD)))

    assert Trajectory.objects.get(external_id="T1").funding_source == "esf"
    youth = Youth.objects.get(external_id="J1")
    assert (youth.reported_on, youth.first_contact_on) == (D(2025, 1, 6), D(2025, 1, 10))
    assert result.records["youths"] == RecordCounts(unchanged=2)

    again = dataset_import(directory=accountable(tmp_path / "first"))
    assert again.records["follow_ups"] == RecordCounts(unchanged=3)
    assert FollowUp.objects.get(months_after=6).answer == "still_there"


def test_a_first_contact_before_the_melding_imported_earlier_is_an_error(tmp_path):
    dataset_import(directory=accountable(tmp_path / "first"))
    only_contact = "youth_id,birth_date,target_group,education_level,has_startkwalificatie,complexity,municipality,referral_route,first_contact_on"

    errors = errors_of(
        write(
            tmp_path / "second",
            {
                **GOOD,
                "youths.csv": [
                    "J1,2006-05-01,Uitvallers,vmbo-basis,false,meervoudig,Oostdorp,DUO/RMC-melding,2025-01-02",
                    "J2,,,,,,,,",
                ],
            },
            {"youths.csv": only_contact},
        )
    )

    assert errors == ["youths.csv:2: first_contact_on: 2025-01-02 is before reported_on 2025-01-06 (imported earlier)"]


def test_a_changed_answer_and_funding_source_update(tmp_path):
    dataset_import(directory=accountable(tmp_path / "first"))

    result = dataset_import(
        directory=accountable(
            tmp_path / "second",
            trajectories=["T1,J1,W1,Casusregisseur,2025-01-15,,rmc", "T2,J2,W2,Werktraject,2025-02-01,2025-08-01,"],
            follow_ups=["T2,work,2025-07-15,6,not_there"],
        )
    )

    assert result.records["trajectories"] == RecordCounts(updated=1, unchanged=1)
    assert result.records["follow_ups"] == RecordCounts(updated=1)
    assert Trajectory.objects.get(external_id="T1").funding_source == "rmc"
    assert FollowUp.objects.get(months_after=6).answer == "not_there"
    assert FollowUp.objects.count() == 3


@pytest.mark.parametrize("size", [2, 20])
def test_the_import_of_checks_and_elements_makes_a_bounded_number_of_queries(
    tmp_path, size, django_assert_max_num_queries
):
    trajectories = [f"T{n},J2,W2,Werktraject{n},2025-02-01,2025-08-01," for n in range(3, 3 + size)]
    outcomes = [f"T{n},2025-07-15,work" for n in range(3, 3 + size)]
    follow_ups = [f"T{n},work,2025-07-15,{months},still_there" for n in range(3, 3 + size) for months in (1, 6)]
    elements_rows = [f"T{n},Element {n % 3}" for n in range(3, 3 + size)]
    directory = accountable(
        tmp_path,
        trajectories=[*ACCOUNTABLE["trajectories.csv"], *trajectories],
        outcomes=[*ACCOUNTABLE["outcomes.csv"], *outcomes],
        follow_ups=[*ACCOUNTABLE["follow_ups.csv"], *follow_ups],
        working_elements=[*ACCOUNTABLE["working_elements.csv"], *elements_rows],
    )

    with django_assert_max_num_queries(60):
        result = dataset_import(directory=directory)

    assert result.records["follow_ups"] == RecordCounts(created=3 + 2 * size)
    assert result.records["trajectory_working_elements"] == RecordCounts(created=3 + size)
