"""Who can pay (issue 17, item 7): per stakeholder, the contribution at which its own balance
breaks even, for a co-financing talk. Pure: Decimal in, Decimal out, no Django.

SPEC.md 4 gives a table per stakeholder (costs, benefits, balance), the costs split by the
parameter set's cost bearers. In a co-financing talk the split is what is negotiated: who pays how
much of the approach's costs. A stakeholder ``s`` that bears a contribution ``c`` of the costs has
its own balance ``B_s - c``, where ``B_s`` is the present value of its benefits (SPEC.md 4,
Benefits), and its own ratio ``B_s / c``. So the contribution at which its balance breaks even,
the most it can bear while its ratio stays at least 1, is

    break_even_contribution[s] = B_s

whatever it bears now. For the gemeente: how much it can pay while the municipal ratio stays at
least 1. The difference with its current costs (the table's balance) is the room left (positive)
or the amount others would have to take over (negative). A stakeholder whose benefits are
negative (a negative net effect) gets a negative figure: it breaks even only when it is paid that
amount. A stakeholder that bears costs but has no benefits gets 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

ZERO = Decimal(0)


def break_even_contributions(
    stakeholder_benefits: Mapping[str, Decimal], stakeholders: Iterable[str]
) -> dict[str, Decimal]:
    """``{stakeholder: B_s}`` for every stakeholder of the table, in its order (see the module
    docstring for the rule); a stakeholder without benefits gets 0."""
    return {name: stakeholder_benefits.get(name, ZERO) for name in stakeholders}
