"""Number and date formats shown to people, one implementation each (issue 13).

Every app formats (caseload, mkba, accountability, reports), so this lives in core. Rounding is half
up, on the value's shortest decimal form (``round_half_up(0.15, 1) == Decimal("0.2")``, where
Python's ``round`` gives 0.1); the engines round with the same function, so a page never shows a
figure the engine would round otherwise. Dutch texts use Django's localisation (``1.234.567``,
``4,37``, ``1 januari 2025``) and so follow the active language.

``round_half_up`` is pure (no settings needed): the calculations modules use it.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from django.utils import formats

Number = float | int | Decimal

EMPTY: Final = "—"  # shown for a figure that does not exist (no capacity, no cost, ...)


def round_half_up(value: Number, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero, as a Decimal.

    A float is read in its shortest decimal form (``repr``), so 2.675 rounds to 2.68 although the
    binary number lies just below the half. The sign of a zero is kept (-0.01 -> -0.0); callers that
    must not show "-0" add ``Decimal(0)``.
    """
    if isinstance(value, Decimal):
        decimal = value
    elif isinstance(value, int):
        decimal = Decimal(value)
    else:  # float, numpy float or integer: its shortest decimal form
        decimal = Decimal(repr(float(value)))
    return decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number_text(value: Number | None, decimals: int, *, grouping: bool = False, empty: str = EMPTY) -> str:
    """``value`` rounded half up to ``decimals`` in the active language: ``4,37``; ``1.234`` with grouping."""
    if value is None:
        return empty
    return formats.number_format(round_half_up(value, decimals), decimals, use_l10n=True, force_grouping=grouping)


def percent_text(value: Number | None, decimals: int = 1, *, localised: bool = True, empty: str = EMPTY) -> str:
    """A ratio as a percentage: 0.0318 -> ``3,2%``.

    ``localised=False`` is the dashboard's form: the ratio times 100 in floats, rounded half up as the
    caseload engine rounds its floats, with a dot (``percent_text(1.184, 0, localised=False) == "118%"``).
    """
    if value is None:
        return empty
    if not localised:
        return f"{round_half_up(float(value) * 100, decimals):.{decimals}f}%"
    return number_text(_decimal(value) * 100, decimals) + "%"


def euro_text(value: Number | None, *, sign: bool = True, empty: str = EMPTY) -> str:
    """Whole euro, grouped: ``€ 1.234``; ``1.234`` without the sign (the command-line tables)."""
    if value is None:
        return empty
    return ("€ " if sign else "") + number_text(value, 0, grouping=True)


def date_text(day: datetime.date) -> str:
    """A day as people write it: ``1 januari 2025``."""
    return formats.date_format(day, "j F Y")


def day_text(day: datetime.date) -> str:
    """A day in the short Dutch form of the forms and tables: ``01-01-2025`` (dd-mm-jjjj)."""
    return day.strftime("%d-%m-%Y")


def period_text(start: datetime.date, end_exclusive: datetime.date) -> str:
    """A period by its first and last day: ``1 januari 2024 t/m 31 maart 2024``."""
    return f"{date_text(start)} t/m {date_text(end_exclusive - datetime.timedelta(days=1))}"


def _decimal(value: Number) -> Decimal:
    # str, not repr: numpy floats print as "np.float64(...)" in repr but as the number in str.
    return value if isinstance(value, Decimal) else Decimal(str(value))
