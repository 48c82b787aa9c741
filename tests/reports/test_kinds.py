"""The registry of report kinds (core.report_kinds) and the stored vocabulary (Report.Kind) agree:
every stored kind is declared by the app that owns it, in the same order, and shows with a template."""

import pytest
from django.template.loader import get_template

from core import report_kinds
from core.exceptions import ApplicationError
from reports.models import Report


def test_every_stored_kind_is_registered_in_the_same_order():
    assert [kind.value for kind in report_kinds.kinds()] == list(Report.Kind.values)


def test_every_kind_shows_with_a_template_that_exists():
    for kind in report_kinds.kinds():
        assert get_template(kind.content_template) is not None


def test_an_unknown_kind_is_the_users_error():
    with pytest.raises(ApplicationError) as raised:
        report_kinds.kind_get("nope")

    assert raised.value.fields == {"kind": ["Onbekend."]}
