"""Audit of API reads (SPEC §8): every list or detail read that shows youths leaves one audit row per
request naming the youths in the response, written by ``core.services.audit_log_read``.

Done once here, for every read viewset of case data, so no endpoint can forget it: a viewset names
its object type and the path from its model to the youth's key, and the youth keys of the page are
collected in one query (none for youths themselves), whatever the page size."""

import builtins
from collections.abc import Sequence
from typing import Any, TypeVar, cast

from django.db.models import Model
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.ids import IdLookupMixin
from core.models import User
from core.services import audit_log_read

ModelT = TypeVar("ModelT", bound=Model)


class AuditedReadViewSet(
    IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ModelT]
):
    """List and retrieve, each audited with one row naming the youths shown.

    ``audit_youth_key``: the ORM path from the model to the youth's key ("external_id" for a youth,
    "trajectory__youth__external_id" for a period); empty for configuration that shows no youth.
    ``audit_resource`` names the endpoint in the row ("api trajectories list")."""

    audit_object_type = ""
    audit_resource = ""
    audit_youth_key = ""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        objects: Sequence[ModelT] = [*(page if page is not None else queryset)]
        data = self.get_serializer(objects, many=True).data
        self.audit_read(objects, kind="list")
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        data = self.get_serializer(instance).data
        self.audit_read([instance], kind="detail")
        return Response(data)

    def audit_youth_keys(self, objects: Sequence[ModelT]) -> "builtins.list[str]":
        """The keys of the youths the objects show: one query for the whole page."""
        if not self.audit_youth_key or not objects:
            return []
        if "__" not in self.audit_youth_key:
            return [str(getattr(obj, self.audit_youth_key)) for obj in objects]
        model = type(objects[0])
        keys = model._default_manager.filter(pk__in=[obj.pk for obj in objects]).values_list(
            self.audit_youth_key, flat=True
        )
        return [key for key in keys if key]

    def audit_read(self, objects: Sequence[ModelT], *, kind: str) -> None:
        if not self.audit_youth_key:
            return
        user = cast(User, self.request.user)
        audit_log_read(
            user=user,
            youth_keys=self.audit_youth_keys(objects),
            organisation_id=user.organisation_id,
            object_type=self.audit_object_type,
            detail=f"api {self.audit_resource} {kind}",
        )
