import datetime
from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """`{{ totals|lookup:day }}`: a dict item by a variable key."""
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours and minutes, e.g. 90 -> "1:30"; empty for nothing."""
    if not minutes:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"


@register.filter
def add_days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=int(days))
