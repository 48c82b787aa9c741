# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""The words of the MKBA pages: a parameter set's explanations (its notes and the ``source`` of each
outcome and stream) are free text, written beside the JSON by whoever made the set, and they name
the JSON's codes (``kwaliteit_van_leven``, ``first_year 0, years 1``, ``'source'``). A policy officer
reads them with the page's Dutch words instead: the benefit and cost lines by their labels
(mkba.models.BenefitLine, cases.models.CostLine), the outcomes by their labels, the fields of the
set by what they mean. The stored text stays as written (it is versioned data)."""

import re

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import CostLine, OutcomeType
from mkba.models import BenefitLine
from mkba.presentation import line_phrase, stakeholder_name

register = template.Library()

_STREAM_YEARS = re.compile(r"\bfirst_year\s*:?\s*(\d+)\s*,\s*years\s*:?\s*(\d+)")
_QUOTED_SOURCE = re.compile(r"(\bde\s+)?['‘’\"]source['‘’\"]")
_BASELINE = re.compile(r"\b([Bb])aseline\b")


def _field_words() -> dict[str, str]:
    """The set's JSON fields (SPEC §6) as the edit page names them."""
    return {
        "hourly_rate": _("uurtarief"),
        "productive_hours_per_fte": _("productieve uren per fte"),
        "discount_rate_range": _("band van de discontovoet"),
        "discount_rate": _("discontovoet"),
        "cost_basis": _("kostengrondslag"),
        "main_outcome": _("hoofduitkomst"),
        "cost_bearers": _("kostendragers"),
        "immaterial_shares": _("immateriële aandelen"),
        "baseline_range": _("band van het nulalternatief"),
        "attribution_range": _("band van de attributie"),
    }


def _code_words() -> dict[str, str]:
    """The codes a text may name: every line, outcome and field, longest first (so
    ``discount_rate_range`` goes before ``discount_rate``)."""
    words = {
        **{line.value: line_phrase(line.label) for line in BenefitLine},
        **{line.value: line_phrase(line.label) for line in CostLine},
        **{outcome.value: str(outcome.label).lower() for outcome in OutcomeType},
        **_field_words(),
        "hours": _("uren"),
        "answered": _("beantwoorde checks"),
    }
    return dict(sorted(words.items(), key=lambda item: -len(item[0])))


def _is_code_alone(code: str) -> bool:
    """A code that is no Dutch word (``kwaliteit_van_leven``) is replaced wherever it stands; one
    that is (``werk``, ``zorgkosten``) only where the text quotes it (``'werk'``)."""
    return "_" in code


def _years_text(match: re.Match[str]) -> str:
    first, years = int(match.group(1)), int(match.group(2))
    return _("vanaf jaar %(first)s, %(years)s") % {
        "first": first,
        "years": ngettext("%(count)s jaar", "%(count)s jaar", years) % {"count": years},
    }


@register.filter
def readable(text: str | None) -> str:
    """A parameter set's explanation in the page's words: ``(first_year 0, years 1)`` -> ``(vanaf
    jaar 0, 1 jaar)``, ``zie de 'source'`` -> ``zie de bron``, ``kwaliteit_van_leven`` -> ``toename
    kwaliteit van leven``, ``baseline`` -> ``nulalternatief``. Plain text in, plain text out (the
    template escapes it)."""
    if not text:
        return ""
    result = _STREAM_YEARS.sub(_years_text, str(text))
    result = _QUOTED_SOURCE.sub(lambda match: _("de bron") if match.group(1) else _("bron"), result)
    for code, words in _code_words().items():
        result = re.sub(rf"['‘]{re.escape(code)}['’]", words, result)
        if _is_code_alone(code):
            result = re.sub(rf"(?<![\w-]){re.escape(code)}(?![\w-])", words, result)
    return _BASELINE.sub(lambda match: _("Nulalternatief") if match.group(1) == "B" else _("nulalternatief"), result)


@register.filter
def stakeholder(name: str | None) -> str:
    """A stakeholder of a parameter set as the result page names it (``gemeente`` -> ``Gemeente``)."""
    return stakeholder_name(name or "")


@register.filter
def stream_years(stream: dict[str, object]) -> str:
    """The years a value stream runs: ``jaar 0`` or ``jaar 0 t/m 4`` (year 0 is not discounted)."""
    try:
        first = int(str(stream.get("first_year", 0)))
        years = int(str(stream.get("years", 1)))
    except ValueError:
        return ""
    if years <= 1:
        return _("jaar %(first)s") % {"first": first}
    return _("jaar %(first)s t/m %(last)s") % {"first": first, "last": first + years - 1}
