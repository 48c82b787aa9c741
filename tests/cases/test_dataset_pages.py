"""The beheerder's import and export pages (issue 16): upload, background job with progress, every
`file:line: column: message` on the page, the summary; a zip of the organisation's dataset."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from cases.dataset import dataset_import
from cases.dataset.jobs import dataset_import_job_run, dataset_import_job_state
from cases.models import TimeEntry, Trajectory
from core.models import User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "example_dataset"
ORGANISATION = "Gemeente Voorbeeldstad"  # the organisation of the example dataset


@pytest.fixture(autouse=True)
def _jobs_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def beheerder():
    return UserFactory(role=User.Role.ADMIN, organisation=OrganisationFactory(name=ORGANISATION))


def _zip(directory: Path) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(directory.iterdir()):
            archive.write(path, f"dataset/{path.name}")
    buffer.seek(0)
    buffer.name = "dataset.zip"
    return buffer


def _upload(client, files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("dataset:import"), {"files": files})
    return response, callbacks


def test_only_a_beheerder_sees_the_pages(client, beheerder):
    for name in ("dataset:import", "dataset:export"):
        assert client.get(reverse(name)).status_code == 302  # to the login page
    client.force_login(UserFactory(role=User.Role.WORKER, organisation=beheerder.organisation))
    for name in ("dataset:import", "dataset:export"):
        assert client.get(reverse(name)).status_code == 403
    client.force_login(beheerder)
    for name in ("dataset:import", "dataset:export"):
        assert client.get(reverse(name)).status_code == 200


def test_a_zip_is_imported_in_the_background_with_a_summary(
    client, beheerder, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)

    response, callbacks = _upload(client, [_zip(EXAMPLE)], django_capture_on_commit_callbacks)

    assert response.status_code == 302
    job_id = response.url.rstrip("/").rsplit("/", 1)[1]
    assert len(callbacks) == 1  # the task is queued after the commit
    assert Trajectory.objects.count() == 0
    queued = client.get(response.url)
    assert 'id="import-progress"' in queued.content.decode()
    assert "hx-get" in queued.content.decode()

    assert dataset_import_job_run(job_id=job_id) == "done"
    assert not (tmp_path / "var" / "dataset_imports" / job_id / "files").exists()  # personal data gone

    page = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "time_entries.csv: 10 created, 0 updated, 0 unchanged" in page
    assert "hx-get" not in page  # finished: the card stops polling
    assert TimeEntry.objects.count() == 10
    state = dataset_import_job_state(job_id=job_id, organisation_id=beheerder.organisation_id)
    assert (state.status, state.progress) == ("done", 100)


def test_a_bad_dataset_shows_every_error_and_writes_nothing(
    client, beheerder, tmp_path, django_capture_on_commit_callbacks
):
    shutil.copytree(EXAMPLE, tmp_path / "bad")
    entries = tmp_path / "bad" / "time_entries.csv"
    entries.write_text(entries.read_text(encoding="utf-8") + "VB-W1,2025-13-01,30,pauze,\n", encoding="utf-8")
    client.force_login(beheerder)
    files = [(tmp_path / "bad" / name).open("rb") for name in sorted(p.name for p in (tmp_path / "bad").iterdir())]

    response, _callbacks = _upload(client, files, django_capture_on_commit_callbacks)
    job_id = response.url.rstrip("/").rsplit("/", 1)[1]
    assert dataset_import_job_run(job_id=job_id) == "rejected"

    page = client.get(response.url).content.decode()
    assert "time_entries.csv:12: date: &#x27;2025-13-01&#x27; is not a date as YYYY-MM-DD" in page
    assert "time_entries.csv:12: category: &#x27;pauze&#x27; is not one of" in page
    assert Trajectory.objects.count() == 0


def test_the_page_imports_into_the_beheerders_own_organisation_only(
    client, tmp_path, django_capture_on_commit_callbacks
):
    other = UserFactory(role=User.Role.ADMIN, organisation=OrganisationFactory(name="Gemeente Elders"))
    client.force_login(other)

    response, _callbacks = _upload(client, [_zip(EXAMPLE)], django_capture_on_commit_callbacks)
    job_id = response.url.rstrip("/").rsplit("/", 1)[1]

    assert dataset_import_job_run(job_id=job_id) == "rejected"
    state = dataset_import_job_state(job_id=job_id, organisation_id=other.organisation_id)
    assert state.errors[0] == (
        "workers.csv:2: organisation: 'Gemeente Voorbeeldstad' belongs to another organisation than "
        "'Gemeente Elders', the only one this import may write"
    )
    assert Trajectory.objects.count() == 0


def test_another_organisations_job_is_not_found(client, beheerder, django_capture_on_commit_callbacks):
    client.force_login(beheerder)
    response, _callbacks = _upload(client, [_zip(EXAMPLE)], django_capture_on_commit_callbacks)

    client.force_login(UserFactory(role=User.Role.ADMIN))

    assert client.get(response.url).status_code == 404
    assert client.get(reverse("dataset:import_job", args=["..etc"])).status_code == 404


def test_a_file_that_is_not_of_the_dataset_is_refused(client, beheerder, django_capture_on_commit_callbacks):
    client.force_login(beheerder)
    upload = io.BytesIO(b"a,b\n1,2\n")
    upload.name = "clients.csv"

    response, callbacks = _upload(client, [upload], django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert "clients.csv: geen bestand van de dataset" in response.content.decode()
    assert not callbacks


def test_the_progress_rises_to_the_end(tmp_path):
    OrganisationFactory(name=ORGANISATION)
    seen: list[tuple[float, str]] = []

    dataset_import(directory=EXAMPLE, progress=lambda fraction, step: seen.append((fraction, step)))

    fractions = [fraction for fraction, _step in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0 and fractions[-1] == 1
    assert "time_entries.csv" in {step for _fraction, step in seen}


def test_the_export_page_downloads_the_organisations_dataset_as_a_zip(client, beheerder):
    dataset_import(directory=EXAMPLE)
    client.force_login(beheerder)

    response = client.get(reverse("dataset:export"), {"download": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        entries = archive.read("time_entries.csv").decode("utf-8").splitlines()
    assert entries[0] == "worker_id,date,minutes,category,trajectory_id"
    assert len(entries) == 11
