"""Filters of the team dashboard and planning page."""

from django import template

from caseload.calculations import round_half_up

register = template.Library()


@register.filter
def percent(ratio: float | None) -> str:
    """A ratio as a whole percentage: 1.184 -> "118%"; "-" for null (no capacity, nothing logged)."""
    if ratio is None:
        return "-"
    return f"{round_half_up(float(ratio) * 100, 0):.0f}%"


@register.filter
def svg_number(value: float | None) -> str:
    """A coordinate for SVG: a dot as decimal separator whatever the language, one decimal."""
    return f"{float(value or 0):.1f}"
