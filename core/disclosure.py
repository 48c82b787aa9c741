"""Statistical disclosure control shared by every app (SPEC §8: analysts and team leads see
aggregates, not persons). Pure: no Django.

A figure about a group of fewer than ``SMALL_GROUP`` youths is not shown as a number (a share, a
median, a length of stay): in a small group it is nearly one youth's own. The accountability
reports, the monitor and the load forecast's stays ask it here."""

from typing import Final

SMALL_GROUP: Final = 10


def is_small_group(size: int) -> bool:
    """Whether a group of ``size`` youths is too small to show a figure about it."""
    return size < SMALL_GROUP
