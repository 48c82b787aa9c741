"""Pure date rules of the case data (no Django, no ORM).

The durability checks' due dates (SPEC.md 4b) live here, in the lowest app that needs them:
``cases.services.outcome_register`` plans checks with them and ``cases.dataset`` derives an
imported check's due date with them; ``accountability`` (above) may import them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Final

# SPEC.md 4b: checks after 1, 6 and 12 months unless the organisation sets others.
FOLLOW_UP_MONTHS: Final = (1, 6, 12)


def add_calendar_months(day: dt.date, months: int) -> dt.date:
    """SPEC.md 4b: "calendar months from the outcome date; a day that the month lacks becomes its
    last day". 31 January + 1 month is 28 February (29 in a leap year); 29 February + 12 months
    is 28 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def follow_up_due_dates(outcome_date: dt.date, months: Sequence[int] = FOLLOW_UP_MONTHS) -> dict[int, dt.date]:
    """SPEC.md 4b: checks "after 1, 6 and 12 months (calendar months from the outcome date ...;
    the months are configurable per organisation)". Returns ``{months_after: due_date}`` in the
    order given; months must be distinct positive numbers."""
    if len(set(months)) != len(months) or any(month < 1 for month in months):
        raise ValueError(f"follow-up months must be distinct and at least 1, got {tuple(months)}")
    return {month: add_calendar_months(outcome_date, month) for month in months}
