"""The one domain error type that services raise and views, commands and the API translate."""

from typing import Any


class ApplicationError(Exception):
    """A domain rule was broken: the message is for the user, `fields` maps field -> messages."""

    def __init__(
        self, message: str, *, fields: dict[str, list[str]] | None = None, extra: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}
