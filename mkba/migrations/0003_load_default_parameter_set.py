"""Data: the shipped, indicative default parameter set (shared by all organisations), from
mkba/data/default_parameters.json, as version 1.

The file's name and version become columns, its description and notes the set's notes (they say
how every value was derived from the reference approaches); the rest is the set's data.
"""

import json
from pathlib import Path

from django.db import migrations

DEFAULT_PARAMETERS_PATH = Path(__file__).resolve().parent.parent / "data" / "default_parameters.json"
META_KEYS = ("name", "version", "description", "notes")


def default_parameter_set_load(apps, schema_editor):
    ParameterSet = apps.get_model("mkba", "ParameterSet")
    with DEFAULT_PARAMETERS_PATH.open(encoding="utf-8") as file:
        data = json.load(file)
    notes = data.get("notes", [])
    notes_text = "\n\n".join([data.get("description", ""), *(notes if isinstance(notes, list) else [notes])])
    ParameterSet.objects.get_or_create(
        organisation=None,
        name=data["name"],
        version=int(data.get("version", 1)),
        defaults={
            "data": {key: value for key, value in data.items() if key not in META_KEYS},
            "notes": notes_text.strip(),
            "is_indicative": True,
        },
    )


def default_parameter_set_remove(apps, schema_editor):
    ParameterSet = apps.get_model("mkba", "ParameterSet")
    with DEFAULT_PARAMETERS_PATH.open(encoding="utf-8") as file:
        data = json.load(file)
    # Versions made from it (based_on) and approaches using it are PROTECTed: unapplying then fails
    # loudly rather than losing an organisation's own sets.
    ParameterSet.objects.filter(organisation=None, name=data["name"], version=int(data.get("version", 1))).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mkba", "0002_load_reference_approaches"),
    ]

    operations = [
        migrations.RunPython(default_parameter_set_load, default_parameter_set_remove),
    ]
