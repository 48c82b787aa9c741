"""Factories of the MKBA models (to move into tests/factories.py when convenient)."""

import factory

from mkba.models import ParameterSet
from tests.factories import OrganisationFactory


def parameters_data(**changes: object) -> dict:
    """A small, valid parameter set (SPEC §6) with round numbers for hand computation."""
    data = {
        "hourly_rate": 60,
        "productive_hours_per_fte": 1200,
        "discount_rate": 0.25,
        "cost_basis": "hours",
        "main_outcome": "work",
        "cost_bearers": {"extra_zorg": {"gemeente": 0.5, "zorgverzekeraar": 0.5}},
        "immaterial_shares": {"kwaliteit_van_leven": 1.0},
        "outcomes": {
            "work": {
                "baseline": 0.1,
                "streams": [
                    {"line": "werk", "stakeholder": "gemeente", "amount": 10000, "first_year": 0, "years": 2},
                    {
                        "line": "kwaliteit_van_leven",
                        "stakeholder": "jongere",
                        "amount": 2000,
                        "first_year": 1,
                        "years": 1,
                    },
                ],
            },
            "school": {
                "baseline": 0.6,
                "attribution": 0.8,
                "streams": [
                    {
                        "line": "startkwalificaties",
                        "stakeholder": "jongere",
                        "amount": 5000,
                        "first_year": 0,
                        "years": 1,
                    }
                ],
            },
        },
    }
    data.update(changes)
    return data


class ParameterSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParameterSet

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Kengetallen {n}")
    version = 1
    data = factory.LazyFunction(parameters_data)
    notes = "Testset"
