import datetime
from decimal import Decimal
from typing import Any

from django import template

from core import formats

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


@register.filter
def percent(ratio: float | None) -> str:
    """A ratio as a whole percentage: 1.184 -> "118%"; "-" for null (no capacity, nothing logged)."""
    return formats.percent_text(ratio, 0, localised=False, empty="-")


@register.filter
def euro(value: float | int | Decimal | None) -> str:
    """Whole euro in the active language: "€ 1.234"; "—" for nothing."""
    return formats.euro_text(value)


@register.filter
def number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """``{{ value|number:1 }}``: rounded half up, in the active language ("4,4"); "—" for nothing."""
    return formats.number_text(value, int(decimals))
