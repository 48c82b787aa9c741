"""The Dutch text of each parameter-set problem, by its code (``calculations.ParameterErrorCode``).

The validator (``calculations.parameter_set_issues``) says where (a JSON path), what (a code) and
which values; this module words it in Dutch through gettext (message ids are the Dutch texts, as
everywhere in this project). A code without a text here fails tests/mkba/test_parameter_set_messages.py,
so a new check can never fall back to English silently.
"""

from collections.abc import Iterable, Mapping
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _lazy

from mkba.calculations import ParameterErrorCode, ParameterIssue

_Code = ParameterErrorCode

DUTCH: Final[Mapping[ParameterErrorCode, Promise]] = {
    _Code.NOT_AN_OBJECT: _lazy("een kengetallenset moet een JSON-object zijn"),
    _Code.REQUIRED: _lazy("verplicht veld ontbreekt"),
    _Code.UNKNOWN_KEY: _lazy("onbekend veld (toegestaan: %(allowed)s)"),
    _Code.NOT_A_NUMBER: _lazy("moet een getal zijn (nu %(got)s)"),
    _Code.NEGATIVE: _lazy("mag niet negatief zijn (nu %(got)s)"),
    _Code.AT_LEAST: _lazy("moet minstens %(limit)s zijn (nu %(got)s)"),
    _Code.GREATER_THAN: _lazy("moet groter zijn dan %(limit)s (nu %(got)s)"),
    _Code.AT_MOST: _lazy("mag hoogstens %(limit)s zijn (nu %(got)s)"),
    _Code.LESS_THAN: _lazy("moet kleiner zijn dan %(limit)s (nu %(got)s)"),
    _Code.NOT_WHOLE: _lazy("moet een geheel getal zijn (nu %(got)s)"),
    _Code.NOT_TEXT: _lazy("moet een niet-lege tekst zijn (nu %(got)s)"),
    _Code.NOT_NOTES: _lazy("moet een tekst of een lijst van teksten zijn"),
    _Code.NOT_VERSION: _lazy("moet een tekst of een geheel getal zijn (nu %(got)s)"),
    _Code.NOT_A_RANGE: _lazy("moet [laag, hoog] zijn: twee getallen (nu %(got)s)"),
    _Code.RANGE_INVERTED: _lazy("laag %(low)s is groter dan hoog %(high)s"),
    _Code.OUTSIDE_RANGE: _lazy("de waarde %(value)s ligt buiten de band [%(low)s, %(high)s]"),
    _Code.UNKNOWN_COST_BASIS: _lazy("onbekende kostengrondslag %(value)s (toegestaan: %(allowed)s)"),
    _Code.UNKNOWN_DURABILITY: _lazy("onbekende duurzaamheidsregel %(value)s (toegestaan: %(allowed)s)"),
    _Code.UNKNOWN_OUTCOME: _lazy("onbekende uitkomst %(value)s (toegestaan: %(allowed)s)"),
    _Code.UNKNOWN_COST_LINE: _lazy("onbekende kostenregel %(value)s (toegestaan: %(allowed)s)"),
    _Code.UNKNOWN_BENEFIT_LINE: _lazy("onbekende batenregel %(value)s (toegestaan: %(allowed)s)"),
    _Code.SHARES_SUM: _lazy("de aandelen tellen op tot %(total)s in plaats van 1"),
    _Code.STAKEHOLDER_EMPTY: _lazy("een belanghebbende moet een naam hebben"),
    _Code.NOT_STREAMS: _lazy("moet een lijst van waardestromen zijn"),
    _Code.NOT_SHARES: _lazy("moet een niet-leeg object {belanghebbende: aandeel} zijn"),
    _Code.NOT_OBJECT_OF: _lazy("moet een object %(shape)s zijn"),
}

# A share (0..1) below 0 or above 1 gets one clear text that names the field.
SHARE_OUT_OF_RANGE: Final = _lazy("%(subject)s moet tussen 0 en 1 liggen (nu %(got)s)")
SHARE_SUBJECTS: Final[Mapping[str, Promise]] = {
    "baseline": _lazy("het nulalternatief (baseline)"),
    "attribution": _lazy("de attributie"),
    "share": _lazy("een aandeel"),
}


def _share_out_of_range(issue: ParameterIssue) -> bool:
    if issue.share is None:
        return False
    return issue.code == _Code.NEGATIVE or (issue.code == _Code.AT_MOST and issue.params.get("limit") == "1")


def issue_nl(issue: ParameterIssue) -> str:
    """One problem in Dutch, without its path: "mag niet negatief zijn (nu -1)"."""
    if _share_out_of_range(issue):
        return str(SHARE_OUT_OF_RANGE) % {"subject": SHARE_SUBJECTS[issue.share or "share"], "got": issue.params["got"]}
    return str(DUTCH[issue.code]) % issue.params


def errors_nl(issues: Iterable[ParameterIssue]) -> dict[str, list[str]]:
    """The problems in Dutch by JSON path (``$.outcomes.work.baseline``), in the validator's order;
    empty when there are none. For forms and the API (``{path: [text, ...]}``)."""
    errors: dict[str, list[str]] = {}
    for issue in issues:
        errors.setdefault(issue.path, []).append(issue_nl(issue))
    return errors
