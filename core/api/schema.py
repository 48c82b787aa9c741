"""The OpenAPI schema documents every answer the API gives (issue 12, "the schema tells the truth").

Every operation can answer 400 (bad input or filter), 403 (not logged in, or the role lacks the
capability), 404 (outside the user's scope, or a page past the end) and 429 (throttled); every such
body has a `detail` text (core.api.exceptions), beside per-field lists where there are fields.
Views document their own successes and any error with a richer body (the 409 of "already known?").

Used as REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "core.api.schema.AutoSchema"."""

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    """An error: `detail` in words, and for bad input a list of messages per field."""

    detail = serializers.CharField(help_text="Wat er mis is, in woorden.")


ERROR_RESPONSES = {
    "400": "Ongeldige invoer of filter: `detail` en per veld een lijst meldingen; er is niets opgeslagen.",
    "403": "Niet ingelogd, of uw rol mag dit niet.",
    "404": "Bestaat niet, valt buiten wat u mag zien, of de pagina ligt voorbij het einde.",
    "429": "Te veel verzoeken; probeer het later opnieuw.",
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            documented = responses.get(code)
            if documented is None or "content" not in documented:
                text = documented.get("description") if documented else None
                error = OpenApiResponse(ErrorSerializer, description=text or description)
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses
