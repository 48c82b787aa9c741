"""Query filters of the case API. Foreign keys filter by plain id (IdFilter: a
bounded integer), not by a model
choice: an id outside the user's scope then just matches nothing instead of revealing whether it
exists. The querysets being filtered come from cases.selectors, so filters never widen a scope."""

import datetime

import django_filters
from django.db.models import Q, QuerySet

from cases.models import (
    Approach,
    Complexity,
    EducationLevel,
    Outcome,
    OutcomeType,
    Period,
    Phase,
    ReferralRoute,
    Role,
    TimeCategory,
    TimeEntry,
    Trajectory,
    Youth,
)
from cases.selectors import periods_of_worker_q
from core.api.ids import IdFilter


class YouthFilter(django_filters.FilterSet):
    complexity = django_filters.ChoiceFilter(choices=Complexity.choices)
    target_group = IdFilter(field_name="target_group_id")
    referral_route = django_filters.ChoiceFilter(choices=ReferralRoute.choices)
    education_level = django_filters.ChoiceFilter(choices=EducationLevel.choices)
    municipality = IdFilter(field_name="municipality_id")
    has_startkwalificatie = django_filters.BooleanFilter()

    class Meta:
        model = Youth
        fields = [
            "complexity",
            "target_group",
            "referral_route",
            "education_level",
            "municipality",
            "has_startkwalificatie",
        ]


class TrajectoryFilter(django_filters.FilterSet):
    youth = IdFilter(field_name="youth_id")
    approach = IdFilter(field_name="approach_id")
    worker = IdFilter(field_name="worker_id", help_text="De verantwoordelijk begeleider.")
    active_on = django_filters.DateFilter(
        method="filter_active_on", help_text="Lopend op deze datum: start <= datum < einddatum (leeg = open)."
    )
    is_open = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", help_text="Zonder einddatum.")

    class Meta:
        model = Trajectory
        fields = ["youth", "approach", "worker", "active_on", "is_open"]

    def filter_active_on(self, queryset: QuerySet[Trajectory], name: str, value: datetime.date) -> QuerySet[Trajectory]:
        # The end date is exclusive, as for periods: closing on D means the last day was D - 1.
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gt=value), start_date__lte=value)


class PeriodFilter(django_filters.FilterSet):
    trajectory = IdFilter(field_name="trajectory_id")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    phase = django_filters.ChoiceFilter(choices=Phase.choices)
    worker = IdFilter(
        method="filter_worker", help_text="De begeleider van de periode (leeg in de periode: die van het traject)."
    )

    class Meta:
        model = Period
        fields = ["trajectory", "role", "phase", "worker"]

    def filter_worker(self, queryset: QuerySet[Period], name: str, value: int) -> QuerySet[Period]:
        return queryset.filter(periods_of_worker_q(value))


class TimeEntryFilter(django_filters.FilterSet):
    worker = IdFilter(field_name="worker_id")
    trajectory = IdFilter(field_name="trajectory_id")
    category = django_filters.ChoiceFilter(choices=TimeCategory.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="Vanaf (inclusief).")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Tot en met.")

    class Meta:
        model = TimeEntry
        fields = ["worker", "trajectory", "category", "date_from", "date_to"]


class OutcomeFilter(django_filters.FilterSet):
    trajectory = IdFilter(field_name="trajectory_id")
    outcome = django_filters.ChoiceFilter(choices=OutcomeType.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="Vanaf (inclusief).")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Tot en met.")

    class Meta:
        model = Outcome
        fields = ["trajectory", "outcome", "date_from", "date_to"]


class ApproachFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Approach.Type.choices)
    reference_number = IdFilter(help_text="Nummer van de referentieaanpak (1-10).")

    class Meta:
        model = Approach
        fields = ["type", "reference_number"]
