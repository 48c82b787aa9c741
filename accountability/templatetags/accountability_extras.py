"""``{% team_first_contact %}``: the team's time to first contact (SPEC.md 4b) over the last 90
days, for the intake queue (templates/cases/intake_queue.html, one line). Shown only to those who
see aggregates (a team lead: their teams); a worker sees nothing. Two queries."""

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from accountability import calculations as calc
from accountability import selectors
from core.formats import percent_text

register = template.Library()

WINDOW_DAYS = 90


@register.inclusion_tag("accountability/partials/team_first_contact.html", takes_context=True)
def team_first_contact(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not selectors.user_may_read(user):
        return {"figures": None}
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=WINDOW_DAYS), today + dt.timedelta(days=1)
    youths = selectors.reported_youths(selectors.scope_for(user), date_from=start, date_to=end)
    figures = calc.contact_figures(youths, today)
    return {
        "figures": figures,
        "within_7_days": percent_text(figures.within_7_days, 0),
        "days": WINDOW_DAYS,
    }
