from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class StandardPagination(PageNumberPagination):
    """Pages of 50, `page_size` up to 500. A `page_size` that is not a whole number of 1 or more is a
    400 (as the schema documents it), not silently the default; a larger one is capped at 500; a
    page past the end, or not a page number, is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        value = request.query_params.get(self.page_size_query_param)
        if value is not None:
            if not value.isascii() or not value.isdigit() or int(value) < 1:
                message = _("Een geheel getal van 1 of meer.")
                raise ValidationError({self.page_size_query_param: [message]})
            return min(int(value), self.max_page_size)
        return self.page_size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = _("Aantal per pagina (standaard 50, hoogstens 500).")
        return parameters
