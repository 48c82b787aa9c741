# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""The write service of the import: validate and write in one transaction, with one audit row."""

from pathlib import Path

from django.db import IntegrityError, transaction

from cases.dataset.checks import (
    dataset_validate,
)
from cases.dataset.reading import (
    DatasetInvalid,
    ImportResult,
    ProgressCallback,
    _Errors,
    _Progress,
)
from cases.dataset.writing import (
    _Writer,
)
from core.bulk import sqlite_page_cache
from core.models import AuditLogEntry, Organisation, User
from core.services import audit_log_record


def dataset_import(
    *,
    directory: Path,
    progress: ProgressCallback | None = None,
    organisation: str | None = None,
    user: User | None = None,
) -> ImportResult:
    """SPEC §6 `import_dataset DIR`: validate everything, then write everything or nothing.

    Raises DatasetInvalid with every error as `file:line: column: message` when any rule is broken.
    Validation and writing share one transaction, so what was checked is what is written.
    `progress` is told the fraction done and the step (the import page's bar); `organisation`
    limits the import to that organisation (the import page writes into the beheerder's own only);
    `user` is who started it, for the audit log (None: the command line).
    """
    errors = _Errors()
    reporter = _Progress(progress)
    try:
        with sqlite_page_cache(), transaction.atomic():
            dataset = dataset_validate(directory=directory, errors=errors, progress=reporter, organisation=organisation)
            if errors:
                raise DatasetInvalid(errors.texts())
            writer = _Writer(dataset, reporter)
            result = writer.write()
            # The organisation of a one-organisation dataset, so its admins find the entry.
            of_dataset = dataset.organisations.of_dataset
            audited_organisation = (
                Organisation.objects.get(pk=writer.organisation_pks[next(iter(of_dataset))])
                if len(of_dataset) == 1
                else None
            )
            if result.changed:  # a re-import of the same files changes nothing, the audit log included
                audit_log_record(
                    user=user,
                    action=AuditLogEntry.Action.IMPORT,
                    object_type="dataset",
                    object_id=directory.name or str(directory),
                    organisation=audited_organisation,
                    detail=result.detail(),
                )
    except IntegrityError as error:
        # Validation ran in this transaction, so only a concurrent writer can get here.
        raise DatasetInvalid(
            [f"{directory}: the database refused the dataset ({error}); nothing was written"]
        ) from error
    return result
