"""Serializers of teams and workers (SPEC §2): read-only, no personal data beyond a colleague's name."""

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
