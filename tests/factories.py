"""factory_boy factories, one per model."""

import datetime
from decimal import Decimal

import factory

from cases import models as cases
from core import models as core


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = core.Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = core.Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = core.User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"de Vries {n}")
    role = core.User.Role.WORKER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("correct-horse-battery-staple")


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = core.Worker

    external_id = factory.Sequence(lambda n: f"W{n:04d}")
    name = factory.Sequence(lambda n: f"Begeleider {n}")
    team = factory.SubFactory(TeamFactory)
    function = core.Worker.Function.JONGERENADVISEUR


class FtePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = core.FtePeriod

    worker = factory.SubFactory(WorkerFactory)
    start_date = datetime.date(2025, 1, 1)
    fte = Decimal("1.0")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.TargetGroup
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Kwetsbare jongeren"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Municipality
        django_get_or_create = ("name",)

    name = "Voorbeeld"


class ApproachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Approach

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Aanpak {n}")
    type = cases.Approach.Type.INTENSIVE


class YouthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Youth

    external_id = factory.Sequence(lambda n: f"J{n:05d}")
    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Noa"
    last_name = factory.Sequence(lambda n: f"Jansen {n}")
    birth_date = datetime.date(2005, 3, 14)
    education_level = cases.EducationLevel.VMBO_BASIS
    has_startkwalificatie = False
    complexity = cases.Complexity.MEERVOUDIG
    referral_route = cases.ReferralRoute.DUO_RMC


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Trajectory

    external_id = factory.Sequence(lambda n: f"T{n:05d}")
    # Youth, worker and approach share one organisation unless a test says otherwise.
    worker = factory.SubFactory(WorkerFactory)
    youth = factory.SubFactory(YouthFactory, organisation=factory.SelfAttribute("..worker.team.organisation"))
    approach = factory.SubFactory(ApproachFactory, organisation=factory.SelfAttribute("..worker.team.organisation"))
    start_date = datetime.date(2025, 1, 1)


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Period

    trajectory = factory.SubFactory(TrajectoryFactory)
    phase = cases.Phase.BEGELEIDING
    role = cases.Role.COACHING
    start_date = datetime.date(2025, 1, 1)
    end_date = None


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Handover

    trajectory = factory.SubFactory(TrajectoryFactory)
    from_worker = factory.SelfAttribute("trajectory.worker")
    to_worker = factory.SubFactory(WorkerFactory)
    date = datetime.date(2025, 6, 1)
    note = "Warme overdracht na gezamenlijk gesprek."


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.TimeEntry

    worker = factory.SubFactory(WorkerFactory)
    date = datetime.date(2025, 2, 3)
    minutes = 30
    category = cases.TimeCategory.CLIENT_DIRECT


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Outcome

    trajectory = factory.SubFactory(TrajectoryFactory)
    date = datetime.date(2025, 6, 1)
    outcome = cases.OutcomeType.WORK


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.FollowUp

    outcome = factory.SubFactory(OutcomeFactory)
    months_after = 1
    due_date = datetime.date(2025, 7, 1)


class CostItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.CostItem

    approach = factory.SubFactory(ApproachFactory)
    date = datetime.date(2025, 3, 1)
    line = cases.CostLine.OVERIGE_INTERVENTIE
    amount = Decimal("250.00")
