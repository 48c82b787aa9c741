"""The audit trail as a CSV file for the privacy officer: Dutch headers, ``;`` separated (what Dutch
spreadsheet programs open directly), timestamps as ISO 8601 in Europe/Amsterdam local time."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone

from core.models import AuditLogEntry

CSV_HEADER = ("tijdstip", "wie", "gebruiker-id", "actie", "soort object", "object-id", "jongeren", "toelichting")


def audit_csv(entries: Iterable[AuditLogEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow(
            (
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.actor_name,
                entry.user_id or "",
                entry.get_action_display(),
                entry.object_type,
                entry.object_id,
                ", ".join(entry.youth_key_list),
                entry.detail,
            )
        )
    return buffer.getvalue()
