"""Filters of the team dashboard's SVG charts (the number formats are core's ``caseload_extras``)."""

from django import template

register = template.Library()


@register.filter
def svg_number(value: float | None) -> str:
    """A coordinate for SVG: a dot as decimal separator whatever the language, one decimal."""
    return f"{float(value or 0):.1f}"
