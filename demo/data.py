# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Demo data: the fictional "Gemeente Voorbeeld" (SPEC §6 `demo_data`), so that a new user sees a living
system: three teams, a dozen workers, about 300 youths in the ten reference approaches, two years of
phase/role histories, time entries, outcomes with follow-ups, cost items, an intake queue and logins.

Everything is fictional (names from short lists, phone numbers 06-0000xxxx, e-mail at example.org) and
deterministic: one `random.Random(SEED)`, dates relative to an anchor, by default the first day of the
current month, so the data looks live and is the same for every run in that month. The load is
re-runnable: when Gemeente Voorbeeld exists, nothing is written.

The generator aims the caseload of each worker at a utilisation (SPEC §3: expected hours from the
role of each youth, h(role) * f(complexity), against fte * productive hours): one worker is
overloaded, one has room, the others are in between. Gemeente Voorbeeld runs intensive local
variants of the approaches, so each approach overrides the norm hours (the reference approaches
differ a lot in hours per participant: 6 for the casusregisseur to 118 for werk & veiligheid).
"""

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.utils import timezone

from cases.models import (
    FOLLOW_UP_OUTCOMES,
    Approach,
    Benefit,
    CostItem,
    CostLine,
    FollowUp,
    Handover,
    LifeDomain,
    Municipality,
    Outcome,
    OutcomeType,
    Period,
    Phase,
    ReferralRoute,
    Role,
    TargetGroup,
    TimeCategory,
    TimeEntry,
    Trajectory,
    WorkingElement,
    Youth,
)
from cases.services import FOLLOW_UP_MONTHS
from core.bulk import rows_insert
from core.models import FtePeriod, Organisation, Team, User, Worker
from core.services import case_data_changed
from mkba.calculations import present_value
from mkba.models import DEFAULT_PARAMETER_SET_NAME, ParameterSet, ReferenceApproach
from mkba.services import own_scenario_create_from_reference, parameter_set_create
from reports.documents import MADE_BY_DEMO

CLIENT_CATEGORIES = (TimeCategory.CLIENT_DIRECT.value, TimeCategory.CLIENT_INDIRECT.value)
SEED = 20260101
ORGANISATION_NAME = "Gemeente Voorbeeld"
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the published password of the fictional demo logins
HISTORY_DAYS = 640  # trajectories over the last two years or so
RAMP_DAYS = 240  # the first months the Jongerenpunten grew to their present size

TEAM_NAMES = ("Jongerenpunt Noord", "Jongerenpunt Zuid", "Team Werk & Veiligheid")
MUNICIPALITY_NAMES = ("Voorbeeld", "Voorbeeld-Oost", "Klein Voorbeeld", "Nieuw-Voorbeeld")
WORKING_ELEMENTS = (
    "vaste begeleider",
    "maatwerk",
    "integrale aanpak",
    "begeleiding binnen bedrijf",
    "nazorg",
    "groepsaanbod",
    "outreachend werken",
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    description: str


DEMO_LOGINS = (
    DemoLogin("begeleider", User.Role.WORKER, "begeleider, Jongerenpunt Noord"),
    DemoLogin("begeleider2", User.Role.WORKER, "begeleider, Jongerenpunt Zuid"),
    DemoLogin("begeleider3", User.Role.WORKER, "begeleider, Team Werk & Veiligheid"),
    DemoLogin("teamleider", User.Role.TEAM_LEAD, "teamleider, Jongerenpunt Noord"),
    DemoLogin("analist", User.Role.ANALYST, "beleidsmedewerker / analist"),
    DemoLogin("beheerder", User.Role.ADMIN, "beheerder (configuratie, geen dossiers)"),
    DemoLogin("privacy", User.Role.PRIVACY_OFFICER, "privacyfunctionaris (auditlog, inzageverzoeken)"),
)


@dataclass(frozen=True)
class DemoResult:
    created: bool
    anchor: date
    counts: dict[str, int]


# --- the fictional organisation ------------------------------------------------------------------


@dataclass(frozen=True)
class _ApproachSpec:
    """One of the ten reference approaches (factsheets of the meta-analysis), as Voorbeeld runs it."""

    number: int
    name: str
    type: str
    target_group: str
    team: int
    expected_days: int
    norms: Mapping[str, int]  # hours per youth per year while in that role
    main_role: str
    ages: tuple[int, int]  # age at the start of the trajectory
    costs: Mapping[str, int]  # euro per participant, cost lines other than begeleiding (that is logged time)
    outcomes: Mapping[str, float]  # chance of each main outcome when the trajectory runs its course
    referral: Mapping[str, float]
    elements: tuple[str, ...]
    weight: float = 1.0  # share of the team's new trajectories


def _norms(coaching: int, uitvoering: int, regie: int, monitoring: int) -> Mapping[str, int]:
    return {"coaching": coaching, "uitvoering": uitvoering, "regie": regie, "monitoring": monitoring}


INTENSIVE, LEARN_WORK, INTEGRAL = (Approach.Type.INTENSIVE, Approach.Type.LEARN_WORK, Approach.Type.INTEGRAL)
DUO, SCHOOL, SELF, PARTNER, OUTREACH, BENEFIT_APPLICATION = (r.value for r in ReferralRoute)

APPROACHES = (
    _ApproachSpec(
        1,
        "Groepstraining (RMC)",
        INTENSIVE,
        "Uitvallers / switchers",
        0,
        56,
        _norms(90, 90, 20, 10),
        Role.COACHING,
        (18, 22),
        {"overige_interventie": 200, "extra_onderwijs": 140},
        {"school": 0.45, "work": 0.15, "stabilised": 0.15},
        {DUO: 0.7, SCHOOL: 0.3},
        ("groepsaanbod", "maatwerk"),
        weight=0.4,  # a short group training: a small part of the team's caseload at any time
    ),
    _ApproachSpec(
        2,
        "Casusregisseur (RMC)",
        INTENSIVE,
        "Uitvallers",
        0,
        182,
        _norms(60, 60, 30, 10),
        Role.COACHING,
        (18, 22),
        {"overige_interventie": 65, "extra_zorg": 420, "extra_onderwijs": 175},
        {"school": 0.4, "work": 0.2, "care": 0.05, "stabilised": 0.1},
        {DUO: 0.6, SCHOOL: 0.3, PARTNER: 0.1},
        ("vaste begeleider", "integrale aanpak"),
    ),
    _ApproachSpec(
        3,
        "Consulent kwetsbare jongeren (W&I)",
        INTENSIVE,
        "Kwetsbaar en uit beeld",
        0,
        273,
        _norms(80, 80, 24, 12),
        Role.COACHING,
        (18, 26),
        {"extra_zorg": 400},
        {"work": 0.25, "school": 0.15, "stabilised": 0.2, "care": 0.08, "daytime_activity": 0.07},
        {OUTREACH: 0.4, BENEFIT_APPLICATION: 0.3, PARTNER: 0.2, SELF: 0.1},
        ("vaste begeleider", "outreachend werken", "maatwerk"),
    ),
    _ApproachSpec(
        4,
        "Jongerenadviseurs + werktraject (W&I)",
        INTENSIVE,
        "Kwetsbaar zonder startkwalificatie",
        1,
        273,
        _norms(80, 80, 24, 12),
        Role.COACHING,
        (18, 26),
        {"overige_interventie": 2200},
        {"work": 0.4, "work_subsidised": 0.1, "school": 0.1, "stabilised": 0.1},
        {BENEFIT_APPLICATION: 0.5, SELF: 0.2, PARTNER: 0.2, DUO: 0.1},
        ("vaste begeleider", "begeleiding binnen bedrijf", "nazorg"),
    ),
    _ApproachSpec(
        5,
        "School op maat (ROC)",
        LEARN_WORK,
        "Dreigende uitvallers",
        1,
        273,
        _norms(80, 80, 24, 12),
        Role.UITVOERING,
        (16, 19),
        {"extra_zorg": 620, "extra_onderwijs": 2500},
        {"school": 0.55, "startkwalificatie": 0.25, "work": 0.05},
        {SCHOOL: 0.9, PARTNER: 0.1},
        ("maatwerk", "vaste begeleider"),
    ),
    _ApproachSpec(
        6,
        "Sociale firma (leerwerkplek)",
        LEARN_WORK,
        "Uitvallers",
        1,
        273,
        _norms(70, 90, 20, 10),
        Role.UITVOERING,
        (17, 26),
        {"overige_interventie": 4900},
        {"work": 0.3, "work_subsidised": 0.15, "certificate": 0.3, "school": 0.1},
        {PARTNER: 0.4, BENEFIT_APPLICATION: 0.3, DUO: 0.2, SELF: 0.1},
        ("begeleiding binnen bedrijf", "maatwerk", "nazorg"),
    ),
    _ApproachSpec(
        7,
        "Tijdelijk dienstverband (gemeente)",
        LEARN_WORK,
        "Kwetsbaar en uit beeld",
        2,
        365,
        _norms(100, 120, 30, 12),
        Role.UITVOERING,
        (18, 26),
        {"overige_interventie": 3000, "loon_vergoedingen": 27000},
        {"work": 0.45, "work_subsidised": 0.15, "certificate": 0.15},
        {BENEFIT_APPLICATION: 0.6, OUTREACH: 0.2, PARTNER: 0.2},
        ("begeleiding binnen bedrijf", "vaste begeleider", "nazorg"),
    ),
    _ApproachSpec(
        8,
        "Integrale aanpak jonge statushouders",
        INTEGRAL,
        "Statushouders",
        2,
        365,
        _norms(120, 120, 30, 15),
        Role.COACHING,
        (18, 26),
        {"extra_zorg": 2280, "extra_onderwijs": 700},
        {"work": 0.3, "school": 0.3, "volunteering": 0.1, "stabilised": 0.1},
        {PARTNER: 0.7, BENEFIT_APPLICATION: 0.3},
        ("integrale aanpak", "vaste begeleider", "maatwerk"),
    ),
    _ApproachSpec(
        9,
        "Individuele plaatsing en steun (IPS)",
        INTEGRAL,
        "Ernstig psychisch",
        2,
        273,
        _norms(120, 120, 30, 15),
        Role.UITVOERING,
        (18, 26),
        {"overige_interventie": 1760, "loon_vergoedingen": 5630},
        {"work": 0.4, "work_subsidised": 0.1, "daytime_activity": 0.1, "stabilised": 0.15, "care": 0.05},
        {PARTNER: 0.8, SELF: 0.2},
        ("begeleiding binnen bedrijf", "integrale aanpak", "nazorg"),
    ),
    _ApproachSpec(
        10,
        "Integrale aanpak werk & veiligheid",
        INTEGRAL,
        "Veelplegers",
        2,
        365,
        _norms(140, 140, 36, 15),
        Role.COACHING,
        (18, 26),
        {"overige_interventie": 450, "extra_zorg": 5000},
        {"work": 0.3, "prevented_escalation": 0.3, "stabilised": 0.2, "care": 0.05},
        {PARTNER: 0.6, OUTREACH: 0.4},
        ("integrale aanpak", "outreachend werken", "vaste begeleider"),
    ),
)

# Approach-level cost items (no trajectory): per quarter, euro.
APPROACH_QUARTERLY_COSTS = {
    1: ("overige_interventie", 3000, "Trainers en locatie groepstrainingen"),
    2: ("overige_interventie", 1200, "Overlegtafel maatwerkoplossingen"),
    6: ("overige_interventie", 6500, "Werkplekkosten sociale firma"),
    10: ("extra_zorg", 2500, "Inzet zorgpartners veiligheidshuis"),
}


@dataclass(frozen=True)
class _WorkerSpec:
    external_id: str
    name: str
    team: int
    function: str
    fte: tuple[tuple[int, str], ...]  # (months before the anchor, fte) per fte period
    utilisation: float  # the caseload the generator aims at on the anchor day
    overhead: float  # share of logged time spent on overhead


F = Worker.Function
WORKERS = (
    _WorkerSpec("DEMO-W01", "Sanne de Boer", 0, F.JONGERENADVISEUR, ((24, "1.0"),), 0.90, 0.20),
    # Overloaded: more youths than her hours allow, even after going from 0.8 to 1.0 fte.
    _WorkerSpec("DEMO-W02", "Yasmina El Idrissi", 0, F.JONGERENADVISEUR, ((24, "0.8"), (6, "1.0")), 1.30, 0.18),
    # The part-timer.
    _WorkerSpec("DEMO-W03", "Lotte Vermeulen", 0, F.CASUSREGISSEUR, ((24, "0.5"),), 0.90, 0.22),
    # Has room.
    _WorkerSpec("DEMO-W04", "Daan Hoekstra", 0, F.TRAJECTBEGELEIDER, ((24, "1.0"), (4, "0.8")), 0.55, 0.20),
    _WorkerSpec("DEMO-W05", "Fatma Yildiz", 1, F.KLANTMANAGER, ((24, "0.9"),), 0.92, 0.20),
    # Spends too much of his time on meetings, projects and administration.
    _WorkerSpec("DEMO-W06", "Kevin Martens", 1, F.TRAJECTBEGELEIDER, ((24, "1.0"),), 0.88, 0.45),
    _WorkerSpec("DEMO-W07", "Iris Koster", 1, F.JOBCOACH, ((14, "0.8"),), 0.85, 0.18),
    _WorkerSpec("DEMO-W08", "Ruben van Leeuwen", 1, F.JONGERENADVISEUR, ((24, "1.0"), (9, "0.9")), 0.93, 0.20),
    _WorkerSpec("DEMO-W09", "Mila Brouwer", 2, F.CASUSREGISSEUR, ((24, "1.0"),), 0.88, 0.22),
    _WorkerSpec("DEMO-W10", "Sem Dijkstra", 2, F.IPS_BEGELEIDER, ((24, "0.8"), (12, "1.0")), 0.95, 0.20),
    _WorkerSpec("DEMO-W11", "Noor Hendriks", 2, F.JOBCOACH, ((24, "0.9"),), 0.92, 0.18),
    _WorkerSpec("DEMO-W12", "Jesse Kramer", 2, F.CONSULENT, ((20, "1.0"),), 0.86, 0.20),
)
# Logins linked to a worker (one per team) and the team the team lead leads.
WORKER_LOGINS = {"begeleider": "DEMO-W01", "begeleider2": "DEMO-W05", "begeleider3": "DEMO-W09"}
TEAM_LEAD_TEAM = 0
PRODUCTIVE_HOURS_PER_FTE = 1200  # the organisation's default (SPEC §2)

FIRST_NAMES = (
    "Noah", "Emma", "Mohammed", "Julia", "Sem", "Mila", "Daan", "Sophie", "Liam", "Tess", "Finn", "Zoë",
    "Lucas", "Sara", "Milan", "Nora", "Levi", "Yara", "Bram", "Fenna", "Amir", "Lina", "Jayden", "Ilse",
    "Kevin", "Priscilla", "Thijs", "Aya", "Ryan", "Naomi", "Omar", "Eva", "Stijn", "Chantal", "Dylan",
    "Fatima", "Jesse", "Romy", "Youssef", "Demi",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
    "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "Koster",
    "El Amrani", "Yilmaz", "Pinas", "Nguyen", "Kaya", "Ramdin", "Haddou", "Wijnaldum", "Sahin", "Biharie",
)  # fmt: skip
STREETS = ("Dorpsstraat", "Molenweg", "Kerklaan", "Stationsplein", "Voorbeeldstraat", "Beukenlaan", "Havenkade")
OVERHEAD_NOTES = ("teamoverleg", "intervisie", "administratie", "scholing", "projectoverleg", "netwerkoverleg")


# --- planning (no database) ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stage:
    phase: str
    role: str
    days: int


@dataclass
class _PlannedYouth:
    external_id: str
    first_name: str
    last_name: str
    birth_date: date
    target_group: str
    education_level: str
    has_startkwalificatie: bool
    benefit: str
    life_domains: list[str]
    complexity: str
    municipality: str
    referral_route: str
    reported_on: date
    first_contact_on: date | None
    address: str
    phone: str
    email: str
    last_end: date | None = None  # end of the youth's latest planned trajectory


@dataclass(frozen=True)
class _PlannedPeriod:
    phase: str
    role: str
    start: date
    end: date | None
    worker: int | None  # index in WORKERS; None: the trajectory's worker


@dataclass
class _PlannedTrajectory:
    external_id: str
    youth: _PlannedYouth
    spec: _ApproachSpec
    worker: int
    start: date
    end: date | None
    periods: list[_PlannedPeriod]
    handover: tuple[int, int, date] | None = None  # from worker, to worker, date
    outcomes: dict[tuple[str, date], None] = field(default_factory=dict)
    elements: tuple[str, ...] = ()
    funding_source: str = Trajectory.FundingSource.MUNICIPALITY


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _fte_on(spec: _WorkerSpec, anchor: date, day: date) -> Decimal:
    fte = Decimal(0)
    for months, value in spec.fte:
        if _months_before(anchor, months) <= day:
            fte = Decimal(value)
    return fte


def _months_before(anchor: date, months: int) -> date:
    total = anchor.year * 12 + anchor.month - 1 - months
    return date(total // 12, total % 12 + 1, 1)


class _Planner:
    """Plans the whole organisation in memory first, so the writer can use bulk inserts.

    Trajectories arrive per worker at a steady rate over the last year, ramping up in the year before
    (the Jongerenpunten started two years ago). The rate follows from Little's law: the load a worker
    should carry divided by the hours a trajectory of their approaches asks over its lifetime. On the
    anchor day the caseload is then trimmed or topped up to the worker's target utilisation.
    """

    def __init__(self, anchor: date) -> None:
        self.anchor = anchor
        self.rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
        self.earliest = anchor - timedelta(days=HISTORY_DAYS)
        self.queue: list[_PlannedYouth] = []
        self.trajectories: list[_PlannedTrajectory] = []
        self.closed_youths: list[_PlannedYouth] = []
        # Per approach, the credit of each outcome in the even spread (``_evenly``).
        self.outcome_credit: dict[tuple[int, str], dict[str, float]] = {}

    @property
    def youths(self) -> list[_PlannedYouth]:
        """The queue, then every youth in the order of their first trajectory."""
        seen: dict[int, _PlannedYouth] = {}
        for trajectory in self.trajectories:
            seen.setdefault(id(trajectory.youth), trajectory.youth)
        return [*self.queue, *seen.values()]

    # youths

    def youth(self, spec: _ApproachSpec | None, start: date, *, route: str | None = None) -> _PlannedYouth:
        rng = self.rng
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        youngest, oldest = spec.ages if spec else (17, 22)
        years_to_anchor = (self.anchor - start).days / 365.25
        # Aged 16 or more at the start and under 27 on the anchor day (birth up to 300 days earlier).
        oldest = max(youngest, min(oldest, int(26 - years_to_anchor)))
        age = rng.randint(youngest, oldest)
        birth_date = start - timedelta(days=int(age * 365.25) + rng.randrange(300))
        complexity = _weighted(rng, {"licht": 0.4, "meervoudig": 0.4, "complex": 0.2})
        domain_count = {"licht": rng.randint(0, 1), "meervoudig": rng.randint(2, 3), "complex": rng.randint(3, 5)}
        education = _weighted(
            rng,
            {"vso": 0.08, "pro": 0.08, "vmbo-basis": 0.2, "vmbo-kader": 0.15, "entree": 0.12, "mbo-2": 0.15}
            | {"mbo-3": 0.06, "havo": 0.04, "none": 0.12},
        )
        with_diploma = education in ("mbo-2", "mbo-3", "havo") and rng.random() < 0.4
        route = route or (_weighted(rng, spec.referral) if spec else DUO)
        benefit = Benefit.NONE
        if spec and spec.number in (3, 4, 7, 9, 10) and rng.random() < 0.6:
            benefit = Benefit.WAJONG if spec.number == 9 else Benefit.BIJSTAND
        reported_on = start - timedelta(days=rng.randint(0, 14))
        municipality = rng.choices(MUNICIPALITY_NAMES, weights=(0.6, 0.15, 0.15, 0.1))[0]
        return _PlannedYouth(
            external_id="",  # numbered when the plan is final
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            target_group=spec.target_group if spec else "Uitvallers",
            education_level=education,
            has_startkwalificatie=with_diploma,
            benefit=benefit,
            life_domains=sorted(rng.sample([d.value for d in LifeDomain], domain_count[complexity])),
            complexity=complexity,
            municipality=municipality,
            referral_route=route,
            reported_on=reported_on,
            first_contact_on=min(reported_on + timedelta(days=rng.randint(1, 10)), start),
            address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}, {municipality}",
            phone="",
            email="",
        )

    def intake_queue(self, count: int) -> None:
        """Fresh meldingen (SPEC §7): reported, no first contact, no trajectory yet."""
        for _ in range(count):
            reported_on = self.anchor - timedelta(days=self.rng.randint(1, 42))
            route = DUO if self.rng.random() < 0.7 else SCHOOL
            youth = self.youth(None, reported_on, route=route)
            youth.reported_on = reported_on
            youth.first_contact_on = None
            youth.has_startkwalificatie = False
            youth.education_level = self.rng.choice(["vmbo-basis", "vmbo-kader", "entree", "none"])
            youth.target_group = "Uitvallers" if route == DUO else "Dreigende uitvallers"
            self.queue.append(youth)

    # trajectories

    def stages(self, spec: _ApproachSpec, *, runs_course: bool, rng: random.Random | None = None) -> list[_Stage]:
        """aanmelding -> intake -> begeleiding (coaching/uitvoering, maybe a time-out) -> regie -> nazorg."""
        rng = rng or self.rng
        expected = spec.expected_days
        # A run of coaching or uitvoering stays below the long_in_role threshold (1.5 x expected) for a
        # month after the anchor; only the two youths planned to stay too long cross it.
        longest = int(1.5 * expected) - 45
        stages = [
            _Stage(Phase.AANMELDING.value, "", rng.randint(3, 14)),
            _Stage(Phase.INTAKE.value, Role.REGIE.value, rng.randint(7, 21)),
        ]
        main_days = max(14, min(longest, int(expected * rng.uniform(0.5, 0.8))))
        roles = [spec.main_role]
        if spec.type == LEARN_WORK and rng.random() < 0.5:
            roles = [Role.COACHING.value, Role.UITVOERING.value]
        for role in roles:
            days = main_days // len(roles)
            if rng.random() < 0.15 and days > 28:
                first = rng.randint(14, days - 14)
                stages.append(_Stage(Phase.BEGELEIDING.value, role, first))
                stages.append(_Stage(Phase.TIME_OUT.value, "", rng.randint(14, 42)))
                stages.append(_Stage(Phase.BEGELEIDING.value, role, days - first))
            else:
                stages.append(_Stage(Phase.BEGELEIDING.value, role, days))
        if not runs_course:
            return stages
        if rng.random() < 0.2:
            stages.append(
                _Stage(Phase.TRAJECT_ELDERS.value, Role.REGIE.value, max(21, int(expected * rng.uniform(0.2, 0.4))))
            )
        else:
            stages.append(
                _Stage(Phase.BEGELEIDING.value, Role.REGIE.value, max(14, int(expected * rng.uniform(0.1, 0.3))))
            )
        stages.append(_Stage(Phase.NAZORG.value, Role.MONITORING.value, max(21, int(expected * rng.uniform(0.2, 0.5)))))
        return stages

    def lifetime_hours(self, approaches: Sequence[_ApproachSpec]) -> float:
        """The mean hours a trajectory of these approaches asks over its life: sum of h(role) * days / 365."""
        sampler = random.Random(SEED + 2)  # noqa: S311 - its own stream: sampling does not shift the plan
        total, samples = 0.0, 300
        for _ in range(samples):
            spec = sampler.choices(approaches, weights=[a.weight for a in approaches])[0]
            for stage in self.stages(spec, runs_course=sampler.random() >= 0.15, rng=sampler):
                total += self._hours(spec, stage.role) * stage.days / 365
        return total / samples

    @staticmethod
    def _periods(stages: Sequence[_Stage], start: date, *, open_last: bool) -> list[_PlannedPeriod]:
        periods = []
        day = start
        for number, stage in enumerate(stages):
            end = day + timedelta(days=stage.days)
            last = number == len(stages) - 1
            periods.append(_PlannedPeriod(stage.phase, stage.role, day, None if last and open_last else end, None))
            day = end
        return periods

    def _returning_youth(self, start: date, spec: _ApproachSpec) -> _PlannedYouth | None:
        """An earlier youth that comes back in another approach (for the "already known?" check)."""
        if self.rng.random() >= 0.12:
            return None
        candidates = [
            y
            for y in self.closed_youths
            if y.last_end is not None
            and y.last_end <= start - timedelta(days=14)
            and y.target_group != spec.target_group
        ]
        return self.rng.choice(candidates) if candidates else None

    def trajectory(
        self, spec: _ApproachSpec, worker: int, start: date, end: date | None, periods: list[_PlannedPeriod]
    ) -> _PlannedTrajectory:
        youth = (self._returning_youth(start, spec) if end is None else None) or self.youth(spec, start)
        elements = tuple(e for e in spec.elements if self.rng.random() < 0.75)
        funding = Trajectory.FundingSource.MUNICIPALITY
        if spec.number in (1, 2):
            funding = Trajectory.FundingSource.RMC
        elif spec.number == 5:
            funding = Trajectory.FundingSource.SCHOOL
        elif self.rng.random() < 0.15:
            funding = Trajectory.FundingSource.ESF
        planned = _PlannedTrajectory(
            external_id="",  # numbered when the plan is final
            youth=youth,
            spec=spec,
            worker=worker,
            start=start,
            end=end,
            periods=periods,
            elements=elements,
            funding_source=funding,
        )
        youth.last_end = end or self.anchor
        self.trajectories.append(planned)
        return planned

    def arrival(self, spec: _ApproachSpec, worker: int, start: date) -> tuple[_PlannedTrajectory, str]:
        """A trajectory that started on `start`: closed when its plan ended before the anchor, else
        running, in the stage its plan has reached. Returns it with its role on the anchor day."""
        runs_course = self._evenly_true(spec, "course", RUNS_COURSE)
        stages = self.stages(spec, runs_course=runs_course)
        end = start + timedelta(days=sum(s.days for s in stages))
        if end <= self.anchor:
            periods = self._periods(stages, start, open_last=False)
            periods.append(_PlannedPeriod(Phase.AFGESLOTEN.value, "", end, None, None))
            trajectory = self.trajectory(spec, worker, start, end, periods)
            self._outcomes_at_close(trajectory, runs_course=runs_course)
            self.closed_youths.append(trajectory.youth)
            return trajectory, ""
        elapsed, current = (self.anchor - start).days, 0
        while elapsed >= stages[current].days:
            elapsed -= stages[current].days
            current += 1
        periods = self._periods(stages[: current + 1], start, open_last=True)
        return self.trajectory(spec, worker, start, None, periods), stages[current].role

    def long_in_coaching(self, spec: _ApproachSpec, worker: int, days: int) -> _PlannedTrajectory:
        """A youth that has stayed too long in coaching: one unbroken run of `days` up to the anchor."""
        coaching_start = self.anchor - timedelta(days=days)
        stages = [_Stage(Phase.AANMELDING.value, "", 7), _Stage(Phase.INTAKE.value, Role.REGIE.value, 14)]
        start = coaching_start - timedelta(days=21)
        periods = self._periods(stages, start, open_last=False)
        periods.append(_PlannedPeriod(Phase.BEGELEIDING.value, Role.COACHING.value, coaching_start, None, None))
        return self.trajectory(spec, worker, start, None, periods)

    def handover(self, trajectory: _PlannedTrajectory, to_worker: int, *, from_worker: int) -> None:
        """Warme overdracht at the start of a later period, as ``services.trajectory_handover``
        records it: that period and the ones after it go to `to_worker`, who becomes the
        responsible worker; the earlier periods name `from_worker`."""
        later = [p for p in trajectory.periods[2:] if p.phase != Phase.AFGESLOTEN]
        if not later:
            return
        moment = self.rng.choice(later).start
        trajectory.worker = to_worker
        trajectory.periods = [
            _PlannedPeriod(p.phase, p.role, p.start, p.end, to_worker if p.start >= moment else from_worker)
            for p in trajectory.periods
        ]
        trajectory.handover = (from_worker, to_worker, moment)

    # outcomes

    def _outcomes_at_close(self, trajectory: _PlannedTrajectory, *, runs_course: bool) -> None:
        rng = self.rng
        end = trajectory.end or self.anchor
        day = max(trajectory.start, end - timedelta(days=rng.randint(0, 21)))
        if not runs_course:
            trajectory.outcomes[(_weighted(rng, {"out_of_sight": 0.6, "moved": 0.2, "care": 0.2}), day)] = None
            return
        chances = dict(trajectory.spec.outcomes)
        spec = trajectory.spec
        main = self._evenly(spec, "main", chances | {"none": max(0.05, 1 - sum(chances.values()))})
        if main == "none":
            return
        trajectory.outcomes[(main, day)] = None
        if main == OutcomeType.WORK and trajectory.youth.benefit == Benefit.BIJSTAND:
            trajectory.outcomes[(OutcomeType.BENEFIT_END.value, day)] = None
        if main == OutcomeType.WORK and trajectory.funding_source == Trajectory.FundingSource.ESF:
            # ESF counts an improved labour-market position too: a permanent contract at the end.
            trajectory.outcomes[(OutcomeType.IMPROVED_POSITION.value, end)] = None
        if main == OutcomeType.SCHOOL and self._evenly_true(spec, "diploma", STARTKWALIFICATIE_WITH_SCHOOL):
            trajectory.outcomes[(OutcomeType.STARTKWALIFICATIE.value, end)] = None
        if main != OutcomeType.STABILISED and self._evenly_true(spec, "stabilised", STABILISED_BESIDE_MAIN):
            earlier = max(trajectory.start, day - timedelta(days=rng.randint(20, 60)))
            trajectory.outcomes[(OutcomeType.STABILISED.value, earlier)] = None

    def _evenly(self, spec: _ApproachSpec, key: str, weights: Mapping[str, float]) -> str:
        """The next of an approach's outcomes in an even spread over its trajectories (smooth weighted
        round robin) rather than by chance: with a dozen trajectories in a cohort, chance made one
        quarter's work rate 0% and the next 40%, and so the demo's MKBA swung from negative to
        five times the study's ratio. Now any run of trajectories reaches the planned shares
        within one trajectory."""
        credit = self.outcome_credit.setdefault((spec.number, key), dict.fromkeys(weights, 0.0))
        total = sum(weights.values())
        for name, weight in weights.items():
            credit[name] += weight / total
        chosen = max(credit, key=lambda name: credit[name])  # the first of equals: dicts keep their order
        credit[chosen] -= 1
        return chosen

    def _evenly_true(self, spec: _ApproachSpec, key: str, share: float) -> bool:
        """Yes for ``share`` of the calls of an approach, evenly spread (see ``_evenly``)."""
        return self._evenly(spec, key, {"yes": share, "no": 1 - share}) == "yes"

    def _outcomes_of_running(self) -> None:
        """Youths now in regie or nazorg often found work or school already."""
        for trajectory in self.trajectories:
            if trajectory.end is not None:
                continue
            later = [p for p in trajectory.periods if p.role in (Role.REGIE, Role.MONITORING) and p.phase != "intake"]
            if later and self.rng.random() < 0.5:
                main = _weighted(self.rng, {"work": 0.5, "school": 0.3, "stabilised": 0.2})
                trajectory.outcomes[(main, later[0].start)] = None

    # the whole organisation

    def plan(self) -> None:
        rng = self.rng
        anchor = self.anchor
        self.intake_queue(20)
        worker_starts = [_months_before(anchor, spec.fte[0][0]) for spec in WORKERS]
        by_team = {team: [i for i, w in enumerate(WORKERS) if w.team == team] for team in range(len(TEAM_NAMES))}
        approaches = {team: [a for a in APPROACHES if a.team == team] for team in by_team}
        load = [0.0] * len(WORKERS)
        # The two youths staying too long in coaching (more than 1.5 x the expected duration on the
        # anchor day: 273 days for approach 2, 409 for approach 4).
        for worker, approach_number, days in ((0, 2, 300), (4, 4, 430)):
            long_approach = APPROACHES[approach_number - 1]
            self.long_in_coaching(long_approach, worker, days)
            load[worker] += self._hours(long_approach, Role.COACHING)
        for index, spec in enumerate(WORKERS):
            capacity = float(_fte_on(spec, anchor, anchor)) * PRODUCTIVE_HOURS_PER_FTE
            target, tolerance = spec.utilisation * capacity, 0.03 * capacity
            team_approaches = approaches[spec.team]
            per_year = max(0.0, target - load[index]) / self.lifetime_hours(team_approaches)
            running: list[tuple[_PlannedTrajectory, float]] = []
            # Evenly spaced arrivals with some jitter: random (Poisson) arrivals make a caseload of
            # a dozen heavy trajectories swing by a quarter from one month to the next.
            offset = rng.uniform(0, 365 / per_year) if per_year else HISTORY_DAYS
            while offset < HISTORY_DAYS:
                day = self.earliest + timedelta(days=int(offset))
                ramp = 0.3 + 0.7 * min(1.0, offset / RAMP_DAYS)
                offset += 365 / (per_year * ramp) * rng.uniform(0.75, 1.25)
                if day < worker_starts[index]:
                    continue
                trajectory, role = self.arrival(self._approach(team_approaches), index, day)
                teammates = [w for w in by_team[spec.team] if w != index and worker_starts[w] <= day]
                if trajectory.end is None:
                    running.append((trajectory, self._hours(trajectory.spec, role)))
                    load[index] += running[-1][1]
                elif rng.random() < 0.1 and teammates:
                    self.handover(trajectory, rng.choice(teammates), from_worker=index)
            # On the anchor day: trim the newest running trajectories, or top up, to the target.
            while load[index] > target + tolerance and running:
                trajectory, hours = running.pop()
                self.trajectories.remove(trajectory)
                load[index] -= hours
            # Or top up with recent arrivals, which add to the caseload now rather than to the history.
            misses = 0
            while load[index] < target - tolerance and misses < 200:
                day = anchor - timedelta(days=rng.randint(1, 120))
                trajectory, role = self.arrival(self._approach(team_approaches), index, day)
                hours = self._hours(trajectory.spec, role)
                if trajectory.end is not None or not hours or load[index] + hours > target + tolerance:
                    self.trajectories.remove(trajectory)
                    misses += 1
                    continue
                load[index] += hours
                running.append((trajectory, hours))
            for trajectory, _hours in running:
                teammates = [w for w in by_team[spec.team] if w != index and worker_starts[w] <= trajectory.start]
                if rng.random() < 0.08 and len(trajectory.periods) > 3 and teammates:
                    # Handed over to this worker: the responsible worker is a teammate.
                    self.handover(trajectory, index, from_worker=rng.choice(teammates))
        self._outcomes_of_running()
        self._number()

    def _approach(self, approaches: Sequence[_ApproachSpec]) -> _ApproachSpec:
        return self.rng.choices(approaches, weights=[a.weight for a in approaches])[0]

    def _number(self) -> None:
        """External ids, phone numbers and e-mail addresses in the final order."""
        for number, youth in enumerate(self.youths, start=1):
            youth.external_id = f"DEMO-J{number:04d}"
            youth.phone = f"06-0000{number:04d}"
            plain = f"{youth.first_name}.{youth.last_name}".lower().replace(" ", "").replace("ë", "e")
            youth.email = f"{plain}.{number:04d}@example.org"
        self.trajectories.sort(key=lambda t: (t.start, t.worker))
        for number, trajectory in enumerate(self.trajectories, start=1):
            trajectory.external_id = f"DEMO-T{number:04d}"

    @staticmethod
    def _hours(spec: _ApproachSpec, role: str) -> float:
        """h(role) * f(complexity), SPEC §3; Voorbeeld keeps the default complexity factors (1.0)."""
        return float(spec.norms[role]) if role else 0.0


# --- writing --------------------------------------------------------------------------------------


# Share of the trajectories that run their course (``_Planner.arrival``), of the school outcomes
# that bring a startkwalificatie along and of the other outcomes with a stabilisation beside them
# (``_Planner._outcomes_at_close``).
RUNS_COURSE = 0.85
STARTKWALIFICATIE_WITH_SCHOOL = 0.3
STABILISED_BESIDE_MAIN = 0.2
# The demo's nulalternatief (``_baseline_share``) is at most this share of what the approach reaches.
MAX_BASELINE_SHARE = 0.9
# Without the reference approach's ratio (no reference data loaded): this share.
FALLBACK_BASELINE_SHARE = 0.4
# An approach's set values the outcomes that at least this share of its trajectories reach.
MIN_AIM = 0.1


def _baseline_scaled(parameters: Mapping[str, Any], baseline: float) -> dict[str, Any]:
    """An outcome's parameters with another baseline, its range scaled alike (so the range still
    holds the baseline)."""
    default = float(parameters["baseline"])
    if default == 0 or baseline == default:
        return dict(parameters)
    adjusted = {**parameters, "baseline": baseline}
    if "baseline_range" in parameters:
        low, high = parameters["baseline_range"]
        adjusted["baseline_range"] = [round(low * baseline / default, 3), round(high * baseline / default, 3)]
    return adjusted


def _value_per_outcome(parameters: Mapping[str, Any], discount_rate: float) -> float:
    """The present value of one extra outcome (SPEC §4): attribution x the sum of its streams' PV."""
    value = sum(
        float(
            present_value(
                stream["amount"],
                first_year=int(stream["first_year"]),
                years=int(stream["years"]),
                discount_rate=discount_rate,
            )
        )
        for stream in parameters.get("streams", [])
    )
    return float(parameters.get("attribution", 1.0)) * value


def _baseline_share(
    outcomes: Mapping[str, Mapping[str, Any]],
    rates: Mapping[str, float],
    *,
    cost_per_participant: float,
    reference_ratio: float,
    discount_rate: float,
) -> float:
    """The share of its planned rate that the approach's target group would reach without it (the
    nulalternatief, SPEC §4), chosen so that the approach's expected social ratio is that of the
    reference approach it mimics: benefits ``sum (r - s r) V = ratio x costs``, solved for ``s``.
    An outcome whose default baseline is 0 (voorkomen escalatie: already a comparison) keeps it.
    Between 0 (the ratio stays below the reference's) and ``MAX_BASELINE_SHARE``.

    Issue 15: the shared default's baseline is the average youth's; judged against it the
    Casusregisseur (work 17%, baseline 29%) had a negative social ratio, where the study's
    Casusregisseur has 2.3 and no reference approach is below 1.5."""
    fixed = scalable = 0.0
    for name, parameters in outcomes.items():
        value = rates[name] * _value_per_outcome(parameters, discount_rate)
        if float(parameters["baseline"]) == 0:
            fixed += value
        else:
            scalable += value
    if scalable <= 0:
        return 0.0
    share = 1 - (reference_ratio * cost_per_participant - fixed) / scalable
    return min(max(share, 0.0), MAX_BASELINE_SHARE)


def _working_days(start: date, end: date) -> Iterator[date]:
    day = start
    while day < end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def _round_quarter(minutes: float) -> int:
    return max(15, round(minutes / 15) * 15)


class _Writer:
    def __init__(self, planner: _Planner) -> None:
        self.planner = planner
        self.anchor = planner.anchor
        # A separate stream, so the plan does not shift when the writer changes.
        self.rng = random.Random(SEED + 1)  # noqa: S311 - reproducible demo data, not security
        self.now = timezone.now()
        self.counts: dict[str, int] = {}

    def write(self) -> dict[str, int]:
        organisation = Organisation.objects.create(name=ORGANISATION_NAME, kind=Organisation.Kind.MUNICIPALITY)
        self.organisation = organisation
        teams = Team.objects.bulk_create([Team(organisation=organisation, name=name) for name in TEAM_NAMES])
        self.teams = teams
        self._workers()
        self._names()
        self._youths()
        self._trajectories()
        self._time_entries()
        self._outcomes()
        self._cost_items()
        self._parameter_sets()
        self._users()
        self.counts = {"organisations": 1, "teams": len(teams), **self.counts}
        return self.counts

    def _parameter_sets(self) -> None:
        """Each approach gets its own indicative kengetallen: the shared default set, limited to
        the outcomes the approach works towards (an approach aimed at work is not judged on
        startkwalificaties it never sought), with a nulalternatief for its target group chosen so
        that, at the outcome rates and the costs per participant of its closed trajectories, its
        social ratio is the one of the reference approach it mimics (``_baseline_share``). Without
        the shared default (a flushed test database) the approaches simply use whatever default
        exists when a report is made."""
        default = (
            ParameterSet.objects.filter(organisation__isnull=True, name=DEFAULT_PARAMETER_SET_NAME)
            .order_by("-version")
            .first()
        )
        if default is None:
            return
        reference_ratios = dict(ReferenceApproach.objects.values_list("number", "social_ratio"))
        costs = self._costs_per_participant(float(default.data.get("hourly_rate", 65)))
        discount_rate = float(default.data.get("discount_rate", 0.0225))
        created = 0
        for spec in APPROACHES:
            approach = self.approaches[spec.number]
            rates = self._closed_rates(spec)
            aims = {
                name: parameters
                for name, parameters in default.data["outcomes"].items()
                if rates.get(name, 0.0) >= MIN_AIM  # a real aim, not noise
            }
            if not aims:
                continue
            share = (
                _baseline_share(
                    aims,
                    rates,
                    cost_per_participant=costs[spec.number],
                    reference_ratio=float(reference_ratios[spec.number]),
                    discount_rate=discount_rate,
                )
                if spec.number in reference_ratios and costs.get(spec.number)
                else FALLBACK_BASELINE_SHARE
            )
            outcomes = {
                name: _baseline_scaled(parameters, round(share * rates[name], 3))
                if float(parameters["baseline"])
                else dict(parameters)
                for name, parameters in aims.items()
            }
            main = "work" if "work" in outcomes else next(iter(outcomes))
            document = {**default.data, "name": f"Kengetallen {spec.name}", "main_outcome": main, "outcomes": outcomes}
            parameter_set = parameter_set_create(
                organisation=self.organisation,
                data=document,
                notes=(
                    f"Indicatief: de standaardkengetallen, beperkt tot de resultaten waar {spec.name} op stuurt, "
                    f"met een nulalternatief voor de doelgroep ({spec.target_group}): zonder de aanpak zou "
                    f"{round(share * 100)}% van de jongeren die de aanpak nu bereikt dat resultaat ook halen. "
                    "Gekozen zodat de aanpak bij zijn resultaten en kosten de maatschappelijke KB-verhouding van "
                    "de referentieaanpak uit de meta-analyse heeft (voorbeeldgegevens)."
                ),
                is_indicative=True,
            )
            Approach.objects.filter(pk=approach.pk).update(parameter_set=parameter_set)
            created += 1
        self.counts["parameter_sets"] = created

    def _closed_rates(self, spec: _ApproachSpec) -> dict[str, float]:
        """The share of an approach's closed trajectories with each outcome (SPEC §4's ``r_o``)."""
        closed = [t for t in self.planner.trajectories if t.spec.number == spec.number and t.end is not None]
        reached: dict[str, int] = {}
        for trajectory in closed:
            for name in {outcome for outcome, _day in trajectory.outcomes}:
                reached[name] = reached.get(name, 0) + 1
        return {name: count / len(closed) for name, count in reached.items()} if closed else {}

    def _costs_per_participant(self, hourly_rate: float) -> dict[int, float]:
        """Per approach, what a closed trajectory cost (SPEC §4's cost lines): its client hours x
        the hourly rate, its cost items, and its part of the approach-level items."""
        closed = {
            self.trajectory_pks[t.external_id]: t.spec.number for t in self.planner.trajectories if t.end is not None
        }
        started = {spec.number: 0 for spec in APPROACHES}
        for trajectory in self.planner.trajectories:
            started[trajectory.spec.number] += 1
        totals = {spec.number: 0.0 for spec in APPROACHES}
        minutes = (
            TimeEntry.objects.filter(trajectory_id__in=list(closed), category__in=CLIENT_CATEGORIES)
            .values("trajectory_id")
            .annotate(total=models.Sum("minutes"))
        )
        for row in minutes:
            totals[closed[row["trajectory_id"]]] += row["total"] / 60 * hourly_rate
        items = (
            CostItem.objects.filter(trajectory_id__in=list(closed))
            .values("trajectory_id")
            .annotate(total=models.Sum("amount"))
        )
        for row in items:
            totals[closed[row["trajectory_id"]]] += float(row["total"])
        counts = {spec.number: 0 for spec in APPROACHES}
        for number in closed.values():
            counts[number] += 1
        numbers = {approach.pk: number for number, approach in self.approaches.items()}
        level = (
            CostItem.objects.filter(approach_id__in=list(numbers), trajectory=None)
            .values("approach_id")
            .annotate(total=models.Sum("amount"))
        )
        per_trajectory = {numbers[row["approach_id"]]: float(row["total"]) for row in level}
        return {
            number: totals[number] / counts[number] + per_trajectory.get(number, 0.0) / max(started[number], 1)
            for number in totals
            if counts[number]
        }

    def _workers(self) -> None:
        workers = Worker.objects.bulk_create(
            [
                Worker(external_id=spec.external_id, name=spec.name, team=self.teams[spec.team], function=spec.function)
                for spec in WORKERS
            ]
        )
        self.workers = workers
        fte_periods = [
            FtePeriod(worker=worker, start_date=_months_before(self.anchor, months), fte=Decimal(value))
            for worker, spec in zip(workers, WORKERS, strict=True)
            for months, value in spec.fte
        ]
        FtePeriod.objects.bulk_create(fte_periods)
        self.counts |= {"workers": len(workers), "fte_periods": len(fte_periods)}

    def _names(self) -> None:
        organisation = self.organisation
        # Municipalities (woonplaatsen) are shared by all organisations: reuse the ones that exist.
        self.municipalities = {m.name: m for m in Municipality.objects.filter(name__in=MUNICIPALITY_NAMES)}
        new = [Municipality(name=name) for name in MUNICIPALITY_NAMES if name not in self.municipalities]
        self.municipalities |= {m.name: m for m in Municipality.objects.bulk_create(new)}
        group_names = sorted({spec.target_group for spec in APPROACHES} | {y.target_group for y in self.planner.youths})
        self.target_groups = {
            g.name: g
            for g in TargetGroup.objects.bulk_create(
                [TargetGroup(organisation=organisation, name=n) for n in group_names]
            )
        }
        elements = WorkingElement.objects.bulk_create(
            [WorkingElement(organisation=organisation, name=name) for name in WORKING_ELEMENTS]
        )
        self.elements = {e.name: e for e in elements}
        approaches = Approach.objects.bulk_create(
            [
                Approach(
                    organisation=organisation,
                    name=spec.name,
                    type=spec.type,
                    reference_number=spec.number,
                    expected_duration_days=spec.expected_days,
                    norm_coaching_hours=Decimal(spec.norms["coaching"]),
                    norm_uitvoering_hours=Decimal(spec.norms["uitvoering"]),
                    norm_regie_hours=Decimal(spec.norms["regie"]),
                    norm_monitoring_hours=Decimal(spec.norms["monitoring"]),
                )
                for spec in APPROACHES
            ]
        )
        self.approaches = {spec.number: approach for spec, approach in zip(APPROACHES, approaches, strict=True)}
        through = Approach.working_elements.through
        through.objects.bulk_create(
            [
                through(approach_id=self.approaches[spec.number].pk, workingelement_id=self.elements[name].pk)
                for spec in APPROACHES
                for name in spec.elements
            ]
        )
        self.counts |= {"approaches": len(approaches), "working_elements": len(elements)}

    def _youths(self) -> None:
        planned = self.planner.youths
        youths = Youth.objects.bulk_create(
            [
                Youth(
                    external_id=y.external_id,
                    organisation=self.organisation,
                    first_name=y.first_name,
                    last_name=y.last_name,
                    birth_date=y.birth_date,
                    phone=y.phone,
                    email=y.email,
                    address=y.address,
                    target_group=self.target_groups[y.target_group],
                    education_level=y.education_level,
                    has_startkwalificatie=y.has_startkwalificatie,
                    benefit=y.benefit,
                    life_domains=y.life_domains,
                    complexity=y.complexity,
                    municipality=self.municipalities[y.municipality],
                    referral_route=y.referral_route,
                    reported_on=y.reported_on,
                    first_contact_on=y.first_contact_on,
                )
                for y in planned
            ]
        )
        self.youth_pks = {y.external_id: youth.pk for y, youth in zip(planned, youths, strict=True)}
        in_queue = sum(1 for y in planned if y.first_contact_on is None)
        self.counts |= {"youths": len(youths), "intake_queue": in_queue}

    def _trajectories(self) -> None:
        planned = self.planner.trajectories
        trajectories = Trajectory.objects.bulk_create(
            [
                Trajectory(
                    external_id=t.external_id,
                    youth_id=self.youth_pks[t.youth.external_id],
                    approach=self.approaches[t.spec.number],
                    worker=self.workers[t.worker],
                    start_date=t.start,
                    end_date=t.end,
                    funding_source=t.funding_source,
                )
                for t in planned
            ]
        )
        self.trajectory_pks = {
            t.external_id: trajectory.pk for t, trajectory in zip(planned, trajectories, strict=True)
        }
        periods = [
            (
                self.trajectory_pks[t.external_id],
                p.phase,
                p.role,
                p.start,
                p.end,
                self.workers[p.worker].pk if p.worker is not None else None,
            )
            for t in planned
            for p in t.periods
        ]
        rows_insert(Period, ["trajectory", "phase", "role", "start_date", "end_date", "worker"], periods)
        handovers = [
            Handover(
                trajectory_id=self.trajectory_pks[t.external_id],
                from_worker=self.workers[t.handover[0]],
                to_worker=self.workers[t.handover[1]],
                date=t.handover[2],
                met_together_on=max(t.start, t.handover[2] - timedelta(days=self.rng.randint(0, 7))),
                note="Warme overdracht: samen met de jongere besproken wat er loopt en wat de volgende stap is.",
            )
            for t in planned
            if t.handover is not None
        ]
        Handover.objects.bulk_create(handovers)
        through = Trajectory.working_elements.through
        through.objects.bulk_create(
            [
                through(trajectory_id=self.trajectory_pks[t.external_id], workingelement_id=self.elements[name].pk)
                for t in planned
                for name in t.elements
            ]
        )
        self.counts |= {"trajectories": len(trajectories), "periods": len(periods), "handovers": len(handovers)}

    def _time_entries(self) -> None:
        """Every worker on working days: client time on the youths in their caseload that day, split
        direct/indirect, and overhead; the amount follows the caseload, the overhead share the worker."""
        rng = self.rng
        anchor = self.anchor
        load_bearing: list[list[tuple[date, date, int, float]]] = [[] for _ in WORKERS]
        for t in self.planner.trajectories:
            for p in t.periods:
                if p.role and p.phase not in (Phase.AANMELDING, Phase.AFGESLOTEN):
                    worker = t.worker if p.worker is None else p.worker
                    minutes_per_day = t.spec.norms[p.role] * 60 / 215  # norm hours over ~215 working days
                    pk = self.trajectory_pks[t.external_id]
                    load_bearing[worker].append((p.start, p.end or anchor, pk, minutes_per_day))
        rows: list[tuple[object, ...]] = []
        for index, spec in enumerate(WORKERS):
            worker_pk = self.workers[index].pk
            start = max(anchor - timedelta(days=HISTORY_DAYS), _months_before(anchor, spec.fte[0][0]))
            holidays = self._holidays(start, anchor)
            for day in _working_days(start, anchor):
                if day in holidays or rng.random() < 0.04:
                    continue  # leave or illness
                fte = float(_fte_on(spec, anchor, day))
                active = [(pk, minutes) for (begin, end, pk, minutes) in load_bearing[index] if begin <= day < end]
                client = min(sum(m for _pk, m in active) * rng.uniform(0.85, 1.05), fte * 390 * 1.1)
                # Overhead in proportion to client time, so the share is the worker's habit, not their load.
                overhead = max(15.0, client * spec.overhead / (1 - spec.overhead) * rng.uniform(0.8, 1.2))
                while client >= 15 and active:
                    pk = rng.choices([a[0] for a in active], weights=[a[1] for a in active])[0]
                    direct = rng.random() < 0.65
                    minutes = min(_round_quarter(client), rng.choice([45, 60, 60, 90, 120] if direct else [15, 30, 45]))
                    category = TimeCategory.CLIENT_DIRECT if direct else TimeCategory.CLIENT_INDIRECT
                    rows.append((worker_pk, day, minutes, category.value, pk, "", None, self.now))
                    client -= minutes
                for part in (0.6, 0.4) if overhead >= 90 else (1.0,):
                    note = rng.choice(OVERHEAD_NOTES)
                    rows.append(
                        (
                            worker_pk,
                            day,
                            _round_quarter(overhead * part),
                            TimeCategory.OVERHEAD.value,
                            None,
                            note,
                            None,
                            self.now,
                        )
                    )
        fields = ["worker", "date", "minutes", "category", "trajectory", "note", "import_key", "created_at"]
        rows_insert(TimeEntry, fields, rows)
        self.counts["time_entries"] = len(rows)

    def _holidays(self, start: date, end: date) -> set[date]:
        """Three weeks in summer and the days around new year, per calendar year."""
        days: set[date] = set()
        for year in range(start.year, end.year + 1):
            summer = date(year, 7, 1) + timedelta(days=self.rng.randint(0, 40))
            days |= {summer + timedelta(days=n) for n in range(21)}
            days |= {date(year, 12, 24) + timedelta(days=n) for n in range(8)}
        return days

    def _outcomes(self) -> None:
        planned = [(t, outcome, day) for t in self.planner.trajectories for (outcome, day) in t.outcomes]
        outcomes = Outcome.objects.bulk_create(
            [Outcome(trajectory_id=self.trajectory_pks[t.external_id], outcome=o, date=day) for t, o, day in planned]
        )
        follow_ups = []
        for outcome in outcomes:
            if outcome.outcome not in FOLLOW_UP_OUTCOMES:
                continue
            for months in FOLLOW_UP_MONTHS:
                due = outcome.date + relativedelta(months=months)
                answer, answered_on = "", None
                if due < self.anchor and self.rng.random() < 0.9:
                    answer = _weighted(self.rng, {"still_there": 0.7, "not_there": 0.2, "unknown": 0.1})
                    answered_on = min(due + timedelta(days=self.rng.randint(0, 14)), self.anchor - timedelta(days=1))
                follow_ups.append(
                    FollowUp(outcome=outcome, months_after=months, due_date=due, answer=answer, answered_on=answered_on)
                )
        FollowUp.objects.bulk_create(follow_ups)
        self.counts |= {"outcomes": len(outcomes), "follow_ups": len(follow_ups)}

    def _cost_items(self) -> None:
        """Per trajectory the cost lines of its reference approach (begeleiding is logged time), and
        per quarter the approach-level costs."""
        rng = self.rng
        anchor = self.anchor
        items: list[CostItem] = []
        chance = {"overige_interventie": 0.9, "loon_vergoedingen": 1.0, "extra_zorg": 0.3, "extra_onderwijs": 0.35}
        for t in self.planner.trajectories:
            end = t.end or anchor
            share = 1.0 if t.end else 0.5
            for line, amount in t.spec.costs.items():
                if rng.random() >= chance[line]:
                    continue
                value = Decimal(str(round(amount / chance[line] * share * rng.uniform(0.7, 1.3), 2)))
                day = t.start + timedelta(days=rng.randrange(max(1, (end - t.start).days)))
                items.append(
                    CostItem(
                        approach=self.approaches[t.spec.number],
                        trajectory_id=self.trajectory_pks[t.external_id],
                        date=min(day, anchor - timedelta(days=1)),
                        line=line,
                        amount=value,
                        description=str(CostLine(line).label),
                    )
                )
        for number, (line, amount, description) in APPROACH_QUARTERLY_COSTS.items():
            for quarter in range(8):
                day = _months_before(anchor, 24 - 3 * quarter)
                value = Decimal(str(round(amount * rng.uniform(0.9, 1.1), 2)))
                items.append(
                    CostItem(
                        approach=self.approaches[number], date=day, line=line, amount=value, description=description
                    )
                )
        CostItem.objects.bulk_create(items)
        self.counts["cost_items"] = len(items)

    def _users(self) -> None:
        """The demo logins; a username that already exists is left alone."""
        existing = set(
            User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).values_list(
                "username", flat=True
            )
        )
        password = make_password(DEMO_PASSWORD)  # hashed once: every demo login shares the printed password
        by_external_id = {worker.external_id: worker for worker in self.workers}
        users = []
        for login in DEMO_LOGINS:
            if login.username in existing:
                continue
            worker = by_external_id.get(WORKER_LOGINS.get(login.username, ""))
            first_name, _space, last_name = (worker.name if worker else "").partition(" ")
            user = User(
                username=login.username,
                first_name=first_name or login.username.capitalize(),
                last_name=last_name or "Voorbeeld",
                email=f"{login.username}@example.org",
                role=login.role,
                organisation=self.organisation,
                is_staff=login.role == User.Role.ADMIN,
                # An ordinary beheerder: core.access decides what the admin shows; a superuser
                # exists only when an operator makes one with createsuperuser.
                is_superuser=False,
                password=password,
            )
            validate_password(DEMO_PASSWORD, user=user)
            users.append(user)
        User.objects.bulk_create(users)
        created = {user.username: user for user in User.objects.filter(username__in=[u.username for u in users])}
        linked = []
        for username, external_id in WORKER_LOGINS.items():
            if username in created:
                worker = by_external_id[external_id]
                worker.user = created[username]
                linked.append(worker)
        Worker.objects.bulk_update(linked, ["user"])
        if "teamleider" in created:
            self.teams[TEAM_LEAD_TEAM].leads.add(created["teamleider"])
        self.counts["users"] = len(users)


def demo_anchor() -> date:
    """The first day of the current month: the data looks live and is the same all month."""
    return timezone.localdate().replace(day=1)


def demo_data_counts() -> dict[str, int]:
    """What Gemeente Voorbeeld holds now (a few count queries)."""
    organisation = Organisation.objects.filter(name=ORGANISATION_NAME).first()
    if organisation is None:
        return {}
    trajectories = Trajectory.objects.filter(approach__organisation=organisation)
    outcomes = Outcome.objects.filter(trajectory__approach__organisation=organisation)
    return {
        "organisations": 1,
        "teams": organisation.teams.count(),
        "workers": Worker.objects.filter(team__organisation=organisation).count(),
        "fte_periods": FtePeriod.objects.filter(worker__team__organisation=organisation).count(),
        "approaches": organisation.approaches.count(),
        "working_elements": organisation.working_elements.count(),
        "youths": organisation.youths.count(),
        "intake_queue": organisation.youths.filter(first_contact_on=None, trajectories=None).count(),
        "trajectories": trajectories.count(),
        "periods": Period.objects.filter(trajectory__in=trajectories).count(),
        "handovers": Handover.objects.filter(trajectory__in=trajectories).count(),
        "time_entries": TimeEntry.objects.filter(worker__team__organisation=organisation).count(),
        "outcomes": outcomes.count(),
        "follow_ups": FollowUp.objects.filter(outcome__in=outcomes).count(),
        "cost_items": CostItem.objects.filter(approach__organisation=organisation).count(),
        "parameter_sets": organisation.parameter_sets.count(),
        "users": organisation.users.count(),
    }


def demo_data_load(*, anchor: date | None = None) -> DemoResult:
    """SPEC §6 `demo_data`: create Gemeente Voorbeeld, or do nothing when it exists (re-runnable)."""
    anchor = anchor or demo_anchor()
    with transaction.atomic():
        if Organisation.objects.filter(name=ORGANISATION_NAME).exists():
            return DemoResult(created=False, anchor=anchor, counts=demo_data_counts())
        planner = _Planner(anchor)
        planner.plan()
        counts = _Writer(planner).write()
        _demo_own_scenario()
        case_data_changed(organisation_id=None)  # written in bulk, past the services
    return DemoResult(created=True, anchor=anchor, counts=counts)


def _demo_own_scenario() -> None:
    """An ex-ante scenario of the policy officer's own (issue 17), started from reference approach 1
    for the approach based on it, so the page of own scenarios is not empty."""
    organisation = Organisation.objects.get(name=ORGANISATION_NAME)
    approach = Approach.objects.filter(organisation=organisation, reference_number=1).order_by("pk").first()
    if not ReferenceApproach.objects.exists():  # a database flushed after its migrations loaded them
        return
    own_scenario_create_from_reference(
        organisation=organisation,
        name="Plan 2027: groepstraining voor 40 jongeren",
        reference_number=1,
        participants=40,
        approach=approach,
        description="Vooraf: de kosten en baten per deelnemer van de referentieaanpak, als begin van ons eigen plan.",
    )


# --- stored reports --------------------------------------------------------------------------------

REPORTS_PER_KIND = 3
DEMO_REPORTS_MADE_BY = MADE_BY_DEMO  # the report's page names it in words (reports.documents)
# An MKBA measures a cohort's outcomes: the demo's MKBA cohorts started at least this many months
# before the anchor, so most of their trajectories (six to fifteen months long) have ended.
MKBA_SETTLE_MONTHS = 9


def demo_mkba_period(anchor: date, *, months: int = 12) -> tuple[date, date, date]:
    """The demo's MKBA cohort: ``[from, to)`` of ``months`` months (12, or 3 for a quarter) ending on
    the first day of the calendar quarter at or before ``anchor`` minus ``MKBA_SETTLE_MONTHS``, and
    the measurement date, the day before the anchor. Issue 15: measured on the last day of the
    cohort (as the schedule asks), no trajectory had ended yet, every observed rate was 0 and every
    MKBA negative."""
    settled = _months_before(anchor, MKBA_SETTLE_MONTHS)
    end = date(settled.year, 3 * ((settled.month - 1) // 3) + 1, 1)
    return end - relativedelta(months=months), end, anchor - timedelta(days=1)


def demo_reports_make(*, anchor: date | None = None) -> int:
    """A few stored reports of every registered kind (SPEC §5), so that a new user's report list
    is not empty: what each kind's schedule asks for the period before ``anchor`` (at most
    ``REPORTS_PER_KIND``), and an on-demand kind (no schedule) once for the largest approach over
    the last whole year. Requested and made here, synchronously, through reports.services (the
    job's own code); re-runnable: a report asked for again is the one already made. Returns the
    number of Gemeente Voorbeeld's stored reports."""
    from core import report_kinds
    from reports import services as report_services
    from reports.models import Report

    anchor = anchor or demo_anchor()
    organisation = Organisation.objects.filter(name=ORGANISATION_NAME).first()
    if organisation is None:
        return 0
    approach = (
        Approach.objects.filter(organisation=organisation)
        .annotate(size=models.Count("trajectories"))
        .order_by("-size", "pk")
        .first()
    )
    team = Team.objects.filter(organisation=organisation).order_by("pk").first()
    year_end = date(anchor.year, 1, 1)
    for kind in report_kinds.kinds():
        if kind.uses_parameter_set:  # an MKBA kind: a cohort that has had time to reach its outcomes
            cadence = getattr(kind, "cadence", None)
            start, end, measured_at = demo_mkba_period(anchor, months=3 if cadence == "quarter" else 12)
            started = Approach.objects.filter(
                organisation=organisation, trajectories__start_date__gte=start, trajectories__start_date__lt=end
            ).distinct()
            scope = started.order_by("pk")[:REPORTS_PER_KIND] if cadence else [approach]
            _demo_reports_request(
                report_services,
                kind.value,
                [
                    report_kinds.ReportRequest(
                        organisation=organisation,
                        approach=item,
                        team=None,
                        period_start=start,
                        period_end=end,
                        measured_at=measured_at,
                    )
                    for item in scope
                    if item is not None
                ],
            )
            continue
        try:
            requests = [
                request
                for request in kind.scheduled_requests(today=anchor)
                if request.organisation.pk == organisation.pk
            ][:REPORTS_PER_KIND]
        except ValueError:  # a kind without a schedule
            requests = []
        if not requests:  # on demand: the largest approach (or the first team), the last whole year
            requests = [
                report_kinds.ReportRequest(
                    organisation=organisation,
                    approach=approach if kind.uses_parameter_set else None,
                    team=None if kind.uses_parameter_set else team,
                    period_start=year_end.replace(year=year_end.year - 1),
                    period_end=year_end,
                    measured_at=anchor - timedelta(days=1),
                )
            ]
        _demo_reports_request(report_services, kind.value, requests)
    return Report.objects.filter(organisation=organisation).count()


def _demo_reports_request(report_services: Any, kind: str, requests: Sequence[Any]) -> None:
    """Ask for and make each report (synchronously, the job's own code); a kind that takes no
    measurement date is asked without one."""
    from core.exceptions import ApplicationError

    for request in requests:
        for measured_at in dict.fromkeys([request.measured_at, None]):  # a kind may take none
            try:
                report, _created = report_services.report_request(
                    kind=kind,
                    organisation=request.organisation,
                    approach=request.approach,
                    team=request.team,
                    period_start=request.period_start,
                    period_end=request.period_end,
                    measured_at=measured_at,
                    made_by=DEMO_REPORTS_MADE_BY,
                )
            except (ApplicationError, ValueError):
                continue
            report_services.report_generate(report_id=report.pk)
            break
