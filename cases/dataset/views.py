"""The beheerder's import and export pages (issue 16, SPEC §6): upload the CSV files or a zip, a
background import with a progress bar, every `file:line: column: message` on the page, the summary;
and a zip of the organisation's dataset. Only for Capability.CONFIGURE (core.access), within the
user's own organisation."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.dataset.exporting import dataset_export_zip
from cases.dataset.jobs import DatasetUploadRefused, dataset_import_job_start, dataset_import_job_state
from cases.dataset.reading import COLUMNS, OPTIONAL_FILES
from cases.tasks import dataset_import_job_task
from core import access
from core.access import Capability
from core.models import User


def _beheerder(request: HttpRequest) -> User:
    user = access.require(request.user, Capability.CONFIGURE)
    if user.organisation_id is None:  # pragma: no cover - CONFIGURE needs an organisation
        raise Http404
    return user


@login_required
@require_http_methods(["GET", "POST"])
def dataset_import_page(request: HttpRequest) -> HttpResponse:
    user = _beheerder(request)
    error = ""
    if request.method == "POST":
        try:
            job_id = dataset_import_job_start(user=user, uploads=request.FILES.getlist("files"))
        except DatasetUploadRefused as refused:
            error = refused.message
        else:
            transaction.on_commit(lambda: dataset_import_job_task.delay(job_id))
            return redirect("dataset:import_job", job_id=job_id)
    context = {
        "error": error,
        "required": [name for name in COLUMNS if name not in OPTIONAL_FILES],
        "optional": [name for name in COLUMNS if name in OPTIONAL_FILES],
        "columns": COLUMNS,
    }
    return render(request, "cases/dataset/import.html", context, status=400 if error else 200)


@login_required
def dataset_import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """The job's page; with HTMX only its progress card, which polls until the job has finished."""
    user = _beheerder(request)
    state = dataset_import_job_state(job_id=job_id, organisation_id=user.organisation_id or 0)
    if state is None:
        raise Http404
    template = "cases/dataset/partials/job.html" if request.headers.get("HX-Request") else "cases/dataset/job.html"
    return render(request, template, {"job": state})


@login_required
def dataset_export_page(request: HttpRequest) -> HttpResponse | FileResponse:
    user = _beheerder(request)
    organisation = user.organisation
    if organisation is None:  # pragma: no cover - CONFIGURE needs an organisation
        raise Http404
    if request.GET.get("download"):
        # Spooled: small exports stay in memory, large ones go to a temporary file.
        target = tempfile.SpooledTemporaryFile(max_size=32 * 2**20)  # noqa: SIM115 - FileResponse closes it
        dataset_export_zip(target=target, organisation=organisation.name)
        target.seek(0)
        filename = f"dataset-{timezone.localdate().isoformat()}.zip"
        return FileResponse(target, as_attachment=True, filename=filename, content_type="application/zip")
    return render(request, "cases/dataset/export.html", {"organisation": organisation, "files": list(COLUMNS)})
