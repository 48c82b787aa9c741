"""Data: the import_key of an imported cost item on a trajectory now includes the organisation.

Two organisations may use the same trajectory key (0011), so "T1, 2025-03-01, 250.00" of one
organisation must not be taken for the same row of another (cases.imports keys cost items by content).
The key is a hash, so the old content is found again by trying what it can have been: the approach
cell empty or naming the approach, and each occurrence number up to the number of such items.
Items made outside the import (no key) and items on no trajectory (whose key already held the
organisation) stay as they are.
"""

import hashlib
from decimal import Decimal

from django.db import migrations


def _content_key(parts, occurrence):  # type: ignore[no-untyped-def]
    # A copy of cases.imports._content_key as it was when this migration was written.
    text = "\x1f".join(["cost_item", *parts, str(occurrence)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rekey(*, with_organisation):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        CostItem = apps.get_model("cases", "CostItem")
        items = list(
            CostItem.objects.filter(trajectory__isnull=False, import_key__isnull=False).select_related(
                "approach", "trajectory__approach__organisation"
            )
        )
        same_content: dict[tuple[object, ...], int] = {}
        for item in items:
            content = (item.trajectory_id, item.date, item.line, item.amount)
            same_content[content] = same_content.get(content, 0) + 1
        changed = []
        for item in items:
            trajectory = item.trajectory
            organisation = trajectory.approach.organisation.name
            stored, wanted = ("", organisation) if with_organisation else (organisation, "")
            tail = [item.date.isoformat(), item.line, str(item.amount.quantize(Decimal("0.01")))]
            occurrences = same_content[(item.trajectory_id, item.date, item.line, item.amount)]
            cells = dict.fromkeys(["", trajectory.approach.name, item.approach.name])
            for cell in cells:
                match = next(
                    (
                        occurrence
                        for occurrence in range(1, occurrences + 1)
                        if _content_key([trajectory.external_id, cell, stored, *tail], occurrence) == item.import_key
                    ),
                    None,
                )
                if match is not None:
                    item.import_key = _content_key([trajectory.external_id, cell, wanted, *tail], match)
                    changed.append(item)
                    break
        CostItem.objects.bulk_update(changed, ["import_key"], batch_size=1000)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_trajectory_organisation_kept_by_database")]

    operations = [
        migrations.RunPython(_rekey(with_organisation=True), _rekey(with_organisation=False)),
    ]
