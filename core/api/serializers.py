"""Serializers of teams and workers (SPEC §2): read-only, no personal data beyond a colleague's name;
and the mixin that names a period's fields ``from`` and ``to``."""

from typing import Any

from rest_framework import serializers

from core.models import Team, Worker


class TeamSerializer(serializers.ModelSerializer[Team]):
    class Meta:
        model = Team
        fields = ["id", "name", "organisation"]
        read_only_fields = fields


class WorkerSerializer(serializers.ModelSerializer[Worker]):
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = Worker
        fields = ["id", "external_id", "name", "team", "team_name", "function", "is_active"]
        read_only_fields = fields


class FromToMixin:
    """``from`` and ``to`` are Python keywords: a serializer declares ``date_from`` / ``date_to``
    and this renames them, so the request and the schema say ``from`` and ``to``."""

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        renamed: dict[str, Any] = {}
        for name, field in fields.items():
            external = {"date_from": "from", "date_to": "to"}.get(name, name)
            if external != name:
                field.source = name
            renamed[external] = field
        return renamed
