"""Data: the ten reference approaches of the source study, from mkba/data/reference_approaches.json.

The project's own copy of the factsheets (never ../shared); loaded once. A later correction of the
file needs its own data migration.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

REFERENCE_APPROACHES_PATH = Path(__file__).resolve().parent.parent / "data" / "reference_approaches.json"


def reference_approaches_load(apps, schema_editor):
    ReferenceApproach = apps.get_model("mkba", "ReferenceApproach")
    with REFERENCE_APPROACHES_PATH.open(encoding="utf-8") as file:
        data = json.load(file)
    for item in data["approaches"]:
        ReferenceApproach.objects.update_or_create(
            number=item["number"],
            defaults={
                "name": item["name"],
                "type": item["type"],
                "target_group": item["target_group"],
                "model": item["model"],
                "participants": item.get("participants"),
                "participants_note": item.get("participants_note") or "",
                "description": item.get("description") or "",
                "costs": item["costs"],
                "benefits": item["benefits"],
                "total_costs": Decimal(str(item["total_costs"])),
                "total_benefits": Decimal(str(item["total_benefits"])),
                "balance": Decimal(str(item["balance"])),
                "social_ratio": Decimal(str(item["social_ratio"])),
                "financial_ratio": Decimal(str(item["financial_ratio"])),
                "municipal_ratio": Decimal(str(item["municipal_ratio"])),
                "immaterial_shares": item.get("immaterial_shares") or {},
                "printed_rounding": item.get("printed_rounding") or {},
                "facts": item.get("facts") or {},
                "notes": item.get("notes") or [],
            },
        )


def reference_approaches_remove(apps, schema_editor):
    apps.get_model("mkba", "ReferenceApproach").objects.filter(number__gte=1, number__lte=10).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mkba", "0001_parameter_sets_and_reference_approaches"),
    ]

    operations = [
        migrations.RunPython(reference_approaches_load, reference_approaches_remove),
    ]
