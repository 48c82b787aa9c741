"""Read endpoints for teams and workers (SPEC §6). The querysets come from core.selectors, the one
place of access scoping: analysts and admins see their organisation's teams and workers, a team lead
the teams they lead, a worker their own team; nobody another organisation's."""

from typing import cast

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, viewsets

from core import selectors
from core.api.ids import IdFilter, IdLookupMixin
from core.api.serializers import TeamSerializer, WorkerSerializer
from core.models import Team, User, Worker


class WorkerFilter(django_filters.FilterSet):
    team = IdFilter(field_name="team_id")
    function = django_filters.ChoiceFilter(choices=Worker.Function.choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Worker
        fields = ["team", "function", "is_active"]


class TeamViewSet(IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Team]):
    serializer_class = TeamSerializer
    ordering_fields = ["name"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Team]:
        return selectors.teams_visible_to(cast(User, self.request.user))


class WorkerViewSet(IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Worker]):
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter
    ordering_fields = ["name", "external_id"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Worker]:
        return selectors.workers_visible_to(cast(User, self.request.user))
