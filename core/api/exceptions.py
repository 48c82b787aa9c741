"""API errors: an ApplicationError becomes a 400 with field errors, never a 500; every error body
has a `detail` text (as core.api.schema documents), beside per-field lists where there are fields."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError


def _with_detail(data: Any) -> Any:
    """A validation error's body with a `detail` text: field errors stay beside it, a bare list of
    messages (a serializer-wide error) becomes `non_field_errors`."""
    if isinstance(data, list):
        data = {"non_field_errors": data}
    if not isinstance(data, dict):
        return data
    detail = data.get("detail")
    if isinstance(detail, list):
        # A Django ValidationError without fields: its messages are the detail.
        return {**data, "detail": " ".join(str(message) for message in detail)}
    if detail is None:
        return {"detail": _("Ongeldige invoer; zie de meldingen per veld."), **data}
    return data


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            detail=exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    if isinstance(exc, ApplicationError):
        data: dict[str, Any] = {"detail": exc.message, **exc.fields}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = _with_detail(response.data)
    return response
