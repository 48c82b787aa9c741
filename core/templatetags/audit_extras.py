"""Template filters of the audit page."""

from django import template

from core.audit_forms import object_type_label

register = template.Library()


@register.filter
def audit_object_label(code: str) -> str:
    """``{{ entry.object_type|audit_object_label }}``: "jongere" for "youth"."""
    return object_type_label(code)
