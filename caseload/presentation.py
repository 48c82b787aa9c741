"""Caseload figures in words, shared by the team dashboard and the monthly caseload report."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import percent_text


def percent(ratio: float | None) -> str:
    # The dashboard's whole percentage ("118%", "-" for null), as its template filter shows it.
    return percent_text(ratio, 0, localised=False, empty="-")


def flag_texts(at_day: dict[str, Any], over_period: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The flags with their reason in words: ``(flag, text)``.

    Load flags (overload, underload, long in role) at the reference day; the overhead flag over
    the period of the logged hours.
    """
    texts = []
    if "overload" in at_day["flags"]:
        texts.append(("overload", _("overbelast: %(p)s van de capaciteit") % {"p": percent(at_day["utilisation"])}))
    if "underload" in at_day["flags"]:
        texts.append(("underload", _("onderbelast: %(p)s van de capaciteit") % {"p": percent(at_day["utilisation"])}))
    if over_period is not None and "overhead" in over_period["flags"]:
        share = percent(over_period["overhead_share"])
        texts.append(("overhead", _("te veel overhead: %(p)s van de geregistreerde uren") % {"p": share}))
    if "long_in_role" in at_day["flags"]:
        count = at_day["long_in_role_youths"]
        text = ngettext(
            "%(n)d jongere te lang in coaching/uitvoering", "%(n)d jongeren te lang in coaching/uitvoering", count
        ) % {"n": count}
        texts.append(("long_in_role", text))
    return texts
