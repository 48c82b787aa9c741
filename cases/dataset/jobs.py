# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""The import page's background job (issue 16): the uploaded files in a folder of their own, the
import run by a Celery task, and its state (progress, errors, summary) in a JSON file beside them.

A file, not the cache or a table: the import writes inside one long transaction, and a progress
row written through the same database connection would stay invisible until the commit; the page
and the worker share the project's var/ folder. The state file is replaced atomically.
"""

import json
import os
import re
import shutil
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from cases.dataset.importing import dataset_import
from cases.dataset.reading import COLUMNS, DatasetInvalid
from core.exceptions import ApplicationError
from core.models import Organisation, User

JOB_ID = re.compile(r"[0-9a-f]{32}")
UPLOAD_MAX_BYTES = 500 * 2**20  # all files of one upload together, unpacked


class DatasetUploadRefused(ApplicationError):
    """The upload holds no file of the dataset, or a file that cannot be one."""


def _jobs_directory() -> Path:
    return Path(settings.VAR_DIR if hasattr(settings, "VAR_DIR") else settings.BASE_DIR / "var") / "dataset_imports"


def _job_directory(job_id: str) -> Path:
    if not JOB_ID.fullmatch(job_id):
        raise ValueError(f"not a job id: {job_id!r}")
    return _jobs_directory() / job_id


@dataclass(frozen=True)
class JobState:
    job_id: str
    organisation_id: int
    status: str  # queued, running, rejected (errors, nothing written), done, failed
    progress: float  # 0..100
    step: str
    errors: list[str]
    summary: list[str]

    @property
    def finished(self) -> bool:
        return self.status in ("rejected", "done", "failed")


def _state_write(job_id: str, **values: Any) -> None:
    path = _job_directory(job_id) / "state.json"
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    current.update(values)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(current), encoding="utf-8")
    os.replace(temporary, path)


def dataset_import_job_state(*, job_id: str, organisation_id: int) -> JobState | None:
    """The state of a job of this organisation, or None (unknown, or another organisation's)."""
    try:
        path = _job_directory(job_id) / "state.json"
    except ValueError:
        return None
    if not path.exists():
        return None
    state = json.loads(path.read_text(encoding="utf-8"))
    if state.get("organisation_id") != organisation_id:
        return None
    return JobState(
        job_id=job_id,
        organisation_id=state["organisation_id"],
        status=state["status"],
        progress=float(state.get("progress", 0)),
        step=state.get("step", ""),
        errors=list(state.get("errors", [])),
        summary=list(state.get("summary", [])),
    )


def _uploads_save(uploads: Iterable[UploadedFile], target: Path) -> list[str]:
    """Save the dataset's CSV files, from the upload itself or from a zip in it (by file name,
    folders in the zip ignored). Other files are refused: a mistyped name would silently go missing."""
    saved: list[str] = []
    total = 0

    def accept(name: str, size: int) -> Path:
        nonlocal total
        base = Path(name).name
        if base not in COLUMNS:
            raise DatasetUploadRefused(f"{base}: geen bestand van de dataset (verwacht: {', '.join(COLUMNS)})")
        if base in saved:
            raise DatasetUploadRefused(f"{base}: twee keer in de upload")
        total += size
        if total > UPLOAD_MAX_BYTES:
            raise DatasetUploadRefused(f"de upload is groter dan {UPLOAD_MAX_BYTES // 2**20} MB")
        saved.append(base)
        return target / base

    for upload in uploads:
        name = upload.name or ""
        if name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(upload) as archive:
                    for member in archive.infolist():
                        if member.is_dir() or Path(member.filename).name.startswith("."):
                            continue
                        path = accept(member.filename, member.file_size)
                        written = 0
                        with archive.open(member) as source, path.open("wb") as out:
                            while block := source.read(1 << 20):
                                written += len(block)
                                if written > member.file_size:  # a size the archive lied about
                                    raise DatasetUploadRefused(f"{name}: geen geldig zip-bestand")
                                out.write(block)
            except zipfile.BadZipFile as error:
                raise DatasetUploadRefused(f"{name}: geen geldig zip-bestand") from error
            continue
        path = accept(name, upload.size or 0)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    if not saved:
        raise DatasetUploadRefused("geen bestanden ontvangen")
    return saved


def dataset_import_job_start(*, user: User, uploads: Iterable[UploadedFile]) -> str:
    """Save the upload as a queued import into the user's organisation; returns the job id. The
    caller enqueues cases.tasks.dataset_import_job_task on commit (tasks import this module)."""
    assert user.organisation_id is not None  # noqa: S101 - the view asks core.access first
    job_id = uuid.uuid4().hex
    directory = _job_directory(job_id)
    (directory / "files").mkdir(parents=True)
    try:
        _uploads_save(uploads, directory / "files")
    except DatasetUploadRefused:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    _state_write(
        job_id,
        organisation_id=user.organisation_id,
        user_id=user.pk,
        status="queued",
        progress=0,
        step="in de wachtrij",
        errors=[],
        summary=[],
    )
    return job_id


def _files_remove(directory: Path) -> None:
    """The uploaded files hold personal data (SPEC §8): gone once the job has finished; the state
    (errors, summary) stays for the page."""
    shutil.rmtree(directory / "files", ignore_errors=True)


def dataset_import_job_run(*, job_id: str) -> str:
    """The task's work: import the job's files into its organisation (SPEC §6 contract: validated
    whole, all or nothing), recording progress, then the errors or the summary. Idempotent: a
    finished job is left as it is; a re-delivered running one imports again (the import is)."""
    from cases.management.commands.import_dataset import summary_lines

    directory = _job_directory(job_id)
    state = json.loads((directory / "state.json").read_text(encoding="utf-8"))
    if state["status"] in ("rejected", "done", "failed"):
        return str(state["status"])
    organisation = Organisation.objects.get(pk=state["organisation_id"])
    user = User.objects.filter(pk=state.get("user_id")).first()
    _state_write(job_id, status="running", progress=0, step="bestanden lezen")

    def progress(fraction: float, step: str) -> None:
        _state_write(job_id, progress=round(100 * min(max(fraction, 0.0), 1.0), 1), step=step)

    try:
        result = dataset_import(
            directory=directory / "files", progress=progress, organisation=organisation.name, user=user
        )
    except DatasetInvalid as error:
        _state_write(job_id, status="rejected", progress=100, step="afgekeurd", errors=error.errors)
        _files_remove(directory)
        return "rejected"
    except Exception:
        _state_write(job_id, status="failed", progress=100, step="mislukt")
        _files_remove(directory)
        raise
    _files_remove(directory)
    _state_write(job_id, status="done", progress=100, step="klaar", summary=summary_lines(result))
    return "done"
