"""Ids in the API, bounded to what the database can hold.

Ids are 64-bit integers (BigAutoField). A larger number in a filter, a path or a body used to reach
the database and raise OverflowError on SQLite (a 500); here it is refused or matches nothing before
any query, the same on every database, and the schema documents the bounds."""

from typing import Any

import django_filters
from django import forms
from django.http import Http404
from drf_spectacular.utils import extend_schema_field

ID_MIN = 1
ID_MAX = 2**63 - 1  # BigAutoField, the largest integer SQLite and PostgreSQL's bigint hold


def is_id(value: Any) -> bool:
    """Could this be the id of a row (a whole number within the id range)?"""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return False
    return ID_MIN <= number <= ID_MAX


ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": ID_MIN, "maximum": ID_MAX}


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """Filter on the id of a related object: a whole number from 1 to 2^63 - 1, else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class IdLookupMixin:
    """For viewsets: an id in the path that no id can be (beyond the range, negative, not a number) is
    a 404 in JSON, as an unknown id, before any query; the route takes any segment, so that 404 is
    never Django's HTML page."""

    lookup_value_regex = r"[^/]+"
    kwargs: dict[str, Any]

    def get_object(self) -> Any:
        lookup = str(getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", "pk"))
        if not is_id(self.kwargs.get(lookup)):
            raise Http404
        return super().get_object()  # type: ignore[misc]
