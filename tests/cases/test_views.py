import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Handover, Outcome, Period, TimeEntry, Youth
from core.models import AuditLogEntry, User
from core.selectors import audit_entries_for_youth
from tests.factories import FollowUpFactory, OutcomeFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def monday_15_september_2025():
    with time_machine.travel(datetime.datetime(2025, 9, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_my_caseload_lists_own_youths_with_phase_role_and_days_in_role(client, world):
    client.force_login(world.user)

    response = client.get(reverse("cases:my_caseload"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.trajectory.external_id, r.period.role, r.days_in_role) for r in rows] == [
        ("T-1", "coaching", 252)
    ]  # 6 Jan -> 15 Sep 2025
    assert "Ravi" not in response.content.decode()


def test_caseload_filter_by_role(client, world):
    client.force_login(world.user)
    assert client.get(reverse("cases:my_caseload"), {"rol": "regie"}).context["rows"] == []


def test_team_lead_drills_down_but_not_into_another_team(client, world):
    client.force_login(world.lead)
    assert client.get(reverse("cases:my_caseload"), {"begeleider": world.worker.pk}).status_code == 200
    assert client.get(reverse("cases:my_caseload"), {"begeleider": world.other_team_worker.pk}).status_code == 404


def test_dossier_of_another_teams_youth_is_not_found_and_not_logged(client, world):
    client.force_login(world.user)

    assert client.get(reverse("cases:youth_dossier", args=[world.other_youth.pk])).status_code == 404
    assert AuditLogEntry.objects.count() == 0


def test_dossier_read_is_logged(client, world):
    client.force_login(world.user)

    response = client.get(reverse("cases:youth_dossier", args=[world.youth.pk]))

    assert response.status_code == 200
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.action, entry.youth_key) == (world.user, "view", "J-1")


def test_other_organisation_sees_nothing(client, world):
    client.force_login(world.foreign_user)
    assert client.get(reverse("cases:youth_dossier", args=[world.youth.pk])).status_code == 404
    assert list(client.get(reverse("cases:youth_list")).context["youths"]) == []


def test_log_time_from_the_list_with_htmx(client, world):
    client.force_login(world.user)
    url = reverse("cases:time_entry_create")

    response = client.post(
        url,
        {
            "traject": world.trajectory.pk,
            "date": "2025-09-15",
            "minutes": "30",
            "category": "client_direct",
            "note": "",
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "hours-changed"
    assert list(TimeEntry.objects.values_list("worker", "minutes", "trajectory")) == [
        (world.worker.pk, 30, world.trajectory.pk)
    ]


def test_log_negative_minutes_shows_an_error_and_writes_nothing(client, world):
    client.force_login(world.user)

    response = client.post(
        reverse("cases:time_entry_create"),
        {"traject": world.trajectory.pk, "date": "2025-09-15", "minutes": "-5", "category": "client_direct"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Zorg ervoor dat deze waarde minstens 1 is." in response.content.decode()
    assert TimeEntry.objects.count() == 0


def test_log_time_on_another_teams_trajectory_is_not_found(client, world):
    client.force_login(world.user)
    response = client.post(
        reverse("cases:time_entry_create"),
        {"traject": world.other_trajectory.pk, "date": "2025-09-15", "minutes": "30", "category": "client_direct"},
    )
    assert response.status_code == 404
    assert TimeEntry.objects.count() == 0


def test_change_role_on_the_dossier(client, world):
    client.force_login(world.user)

    response = client.post(
        reverse("cases:period_change", args=[world.trajectory.pk]),
        {"date": "2025-09-15", "phase": "begeleiding", "role": "regie"},
    )

    assert response.status_code == 302
    assert list(Period.objects.filter(trajectory=world.trajectory).values_list("role", "end_date")) == [
        ("coaching", D(2025, 9, 15)),
        ("regie", None),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"date": "2025-01-01", "phase": "begeleiding", "role": "regie"},
            "De datum ligt voor de start van het traject.",
        ),
        ({"date": "2025-09-15", "phase": "begeleiding", "role": "coach"}, "Selecteer een geldige keuze."),
    ],
)
def test_bad_role_change_shows_a_clear_message_and_writes_nothing(client, world, data, message):
    client.force_login(world.user)

    response = client.post(reverse("cases:period_change", args=[world.trajectory.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Period.objects.filter(trajectory=world.trajectory).count() == 1


def test_bad_close_date_opens_the_close_panel_only(client, world):
    client.force_login(world.user)

    response = client.post(reverse("cases:close", args=[world.trajectory.pk]), {"date": "2025-01-01"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "De einddatum ligt voor de startdatum." in html
    assert "<details open><summary>Afsluiten</summary>" in html
    assert "<details open><summary>Time-out</summary>" not in html
    world.trajectory.refresh_from_db()
    assert world.trajectory.end_date is None


def test_register_outcome_and_hand_over(client, world):
    client.force_login(world.user)
    client.post(
        reverse("cases:outcome_create", args=[world.trajectory.pk]),
        {"date": "2025-09-15", "outcome": "work", "note": ""},
    )
    response = client.post(
        reverse("cases:handover", args=[world.trajectory.pk]),
        {
            "to_worker": world.colleague.pk,
            "date": "2025-09-15",
            "note": "Bram neemt het over",
            "met_together_on": "2025-09-12",
        },
    )

    assert response.status_code == 302
    assert list(Outcome.objects.values_list("outcome", flat=True)) == ["work"]
    assert Handover.objects.get().to_worker == world.colleague
    # The old worker no longer has the youth in the caseload; the colleague has.
    assert client.get(reverse("cases:my_caseload")).context["rows"] == []
    client.force_login(world.colleague_user)
    assert [r.trajectory.external_id for r in client.get(reverse("cases:my_caseload")).context["rows"]] == ["T-1"]


def test_intake_queue_oldest_first_with_days_waiting(client, world):
    YouthFactory(organisation=world.organisation, external_id="M-2", reported_on=D(2025, 9, 10), first_contact_on=None)
    YouthFactory(organisation=world.organisation, external_id="M-1", reported_on=D(2025, 8, 30), first_contact_on=None)
    YouthFactory(
        organisation=world.foreign_organisation, external_id="M-X", reported_on=D(2025, 8, 1), first_contact_on=None
    )
    client.force_login(world.user)

    response = client.get(reverse("cases:intake_queue"))

    assert [(youth.external_id, days) for youth, days in response.context["entries"]] == [("M-1", 16), ("M-2", 5)]


def test_register_youth_warns_when_already_known(client, world):
    client.force_login(world.user)
    data = {
        "external_id": "J-NEW",
        "first_name": "noa",
        "last_name": "JANSEN",
        "birth_date": "2005-03-14",
        "benefit": "none",
        "complexity": "licht",
    }

    response = client.post(reverse("cases:youth_register"), data)

    assert response.status_code == 200
    assert [y.external_id for y in response.context["known"]] == ["J-1"]
    # The match is shown by its key and earlier trajectories, no name, and the read is audited.
    section = response.content.decode().split('id="already-known"')[1].split("</section>")[0]
    assert "J-1" in section
    assert "Noa" not in section
    entry = AuditLogEntry.objects.get(detail="already-known check")
    assert (entry.user, entry.action, entry.youth_key) == (world.user, "view", "J-1")
    response = client.post(reverse("cases:youth_register"), {**data, "confirm_new": "on"})
    assert response.status_code == 302


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("cases:my_caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_analyst_cannot_open_a_workers_caseload(client, world):
    # Issue 12: a role without the capability to see case contents is refused (403), not "not found".
    client.force_login(world.analyst)
    assert client.get(reverse("cases:my_caseload"), {"begeleider": world.worker.pk}).status_code == 403


# Every dossier action with data that would be written for a user who may see the trajectory.
DOSSIER_ACTIONS = [
    ("cases:period_change", {"date": "2025-09-15", "phase": "begeleiding", "role": "regie"}),
    ("cases:outcome_create", {"date": "2025-09-15", "outcome": "work", "note": ""}),
    ("cases:close", {"date": "2025-09-15"}),
    ("cases:pause", {"date": "2025-09-15"}),
    ("cases:handover", {"date": "2025-09-15", "note": "Bram neemt het over", "met_together_on": "2025-09-12"}),
]


def _periods(trajectory):
    return list(
        Period.objects.filter(trajectory=trajectory)
        .order_by("start_date")
        .values_list("phase", "role", "start_date", "end_date", "worker")
    )


# An outsider and the worker that outsider could pick in the handover form.
OUTSIDERS = [("other_team_user", "colleague"), ("foreign_user", "foreign_worker")]


@pytest.mark.parametrize(("outsider", "handover_to"), OUTSIDERS, ids=[user for user, _ in OUTSIDERS])
@pytest.mark.parametrize(("url_name", "data"), DOSSIER_ACTIONS, ids=[name for name, _ in DOSSIER_ACTIONS])
def test_dossier_action_on_a_trajectory_out_of_scope_is_not_found_and_writes_nothing(
    client, world, outsider, handover_to, url_name, data
):
    if url_name == "cases:handover":
        data = {**data, "to_worker": getattr(world, handover_to).pk}
    periods_before = _periods(world.trajectory)
    counts_before = (Outcome.objects.count(), Handover.objects.count(), AuditLogEntry.objects.count())
    client.force_login(getattr(world, outsider))

    response = client.post(reverse(url_name, args=[world.trajectory.pk]), data)

    assert response.status_code == 404
    assert _periods(world.trajectory) == periods_before
    assert (Outcome.objects.count(), Handover.objects.count(), AuditLogEntry.objects.count()) == counts_before
    world.trajectory.refresh_from_db()
    assert (world.trajectory.end_date, world.trajectory.worker) == (None, world.worker)


@pytest.mark.parametrize("outsider", ["other_team_user", "foreign_user"])
def test_follow_up_answer_on_a_trajectory_out_of_scope_is_not_found_and_writes_nothing(client, world, outsider):
    follow_up = FollowUpFactory(outcome=OutcomeFactory(trajectory=world.trajectory, date=D(2025, 6, 1)))
    client.force_login(getattr(world, outsider))

    response = client.post(reverse("cases:follow_up_answer", args=[follow_up.pk]), {"answer": "still_there"})

    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert (follow_up.answer, follow_up.answered_on) == ("", None)
    assert AuditLogEntry.objects.count() == 0


# --- Issue 12: pages refuse what the API refuses; list pages audited; next= stays on the site ----

REGISTRATION = {
    "external_id": "J-NEW",
    "first_name": "Noa",
    "last_name": "Jansen",
    "birth_date": "2005-03-14",
    "benefit": "none",
    "complexity": "licht",
    "confirm_new": "on",
}


@pytest.mark.parametrize("role", [User.Role.ANALYST, User.Role.ADMIN])
def test_an_analyst_or_admin_cannot_register_a_youth(client, world, role):
    client.force_login(UserFactory(organisation=world.organisation, role=role))

    response = client.post(reverse("cases:youth_register"), REGISTRATION)

    assert response.status_code == 403
    assert sorted(Youth.objects.values_list("external_id", flat=True)) == ["J-1", "J-2"]
    assert AuditLogEntry.objects.count() == 0


def test_an_analyst_gets_no_already_known_answer(client, world):
    # Noa Jansen, born 14 March 2005, is J-1: the answer would re-identify her to an analyst.
    client.force_login(world.analyst)

    response = client.post(reverse("cases:youth_register"), {**REGISTRATION, "confirm_new": ""})

    assert response.status_code == 403
    assert "J-1" not in response.content.decode()
    assert AuditLogEntry.objects.count() == 0


def _names(entry, world):
    """Which of the world's youths an audit row names (through the audit trail's own selector)."""
    return [
        key
        for key in ("J-1", "J-2", "M-1", "M-2")
        if audit_entries_for_youth(organisation_id=world.organisation.pk, youth_key=key).filter(pk=entry.pk).exists()
    ]


@pytest.mark.parametrize(
    ("who", "url", "params", "htmx", "page", "named"),
    [
        ("user", "cases:youth_list", {}, False, "Jongeren", ["J-1"]),
        ("lead", "cases:youth_list", {}, False, "Jongeren", ["J-1"]),
        ("user", "cases:my_caseload", {}, False, "Mijn caseload", ["J-1"]),
        ("user", "cases:my_caseload", {"deel": "tabel"}, True, "Mijn caseload (tabel)", ["J-1"]),
        ("lead", "cases:my_caseload", {"begeleider": "worker"}, False, "Caseload van Anna Bakker", ["J-1"]),
    ],
    ids=["youths-worker", "youths-lead", "caseload", "caseload-table", "caseload-drill-down"],
)
def test_a_list_page_writes_one_audit_row_naming_the_youths_shown(client, world, who, url, params, htmx, page, named):
    if params.get("begeleider"):
        params = {**params, "begeleider": world.worker.pk}
    client.force_login(getattr(world, who))

    response = client.get(reverse(url), params, headers={"HX-Request": "true"} if htmx else {})

    assert response.status_code == 200
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.action, entry.object_type) == (getattr(world, who), "view", "youth")
    assert entry.detail.split(":")[0] == page
    assert _names(entry, world) == named


def test_the_intake_queue_writes_one_audit_row_naming_its_youths(client, world):
    YouthFactory(organisation=world.organisation, external_id="M-2", reported_on=D(2025, 9, 10), first_contact_on=None)
    YouthFactory(organisation=world.organisation, external_id="M-1", reported_on=D(2025, 8, 30), first_contact_on=None)
    client.force_login(world.user)

    client.get(reverse("cases:intake_queue"))

    entry = AuditLogEntry.objects.get()
    assert entry.detail.split(":")[0] == "Intake"
    assert _names(entry, world) == ["M-1", "M-2"]


def test_a_list_that_shows_nobody_writes_no_audit_row(client, world):
    client.force_login(world.user)

    client.get(reverse("cases:youth_list"), {"q": "niemand"})

    assert AuditLogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("https://evil.example/", "/caseload/"),
        ("//evil.example/jongeren/", "/caseload/"),
        ("/jongeren/", "/jongeren/"),
    ],
)
def test_next_after_logging_time_stays_on_the_site(client, world, next_url, location):
    client.force_login(world.user)

    response = client.post(
        reverse("cases:time_entry_create"),
        {"date": "2025-09-15", "minutes": "60", "category": "overhead", "note": "", "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == location
    assert TimeEntry.objects.count() == 1


def test_a_team_lead_without_a_worker_record_is_sent_to_the_team_dashboard(client, world):
    client.force_login(world.lead)

    response = client.get(reverse("cases:my_caseload"), follow=True)

    assert response.redirect_chain[0] == (reverse("caseload:team_dashboard"), 302)
    assert "geen begeleider gekoppeld" in response.content.decode()


def test_the_register_button_is_offered_to_who_may_register(client, world):
    client.force_login(world.user)

    html = client.get(reverse("cases:youth_list")).content.decode()

    assert reverse("cases:youth_register") in html


def _second_youth_of_anna(world, key, name):
    from tests.factories import PeriodFactory, TrajectoryFactory

    youth = YouthFactory(organisation=world.organisation, first_name=name, last_name="Aa", external_id=key)
    trajectory = TrajectoryFactory(
        youth=youth, worker=world.worker, approach=world.approach, start_date=D(2025, 3, 1), external_id=f"T-{key}"
    )
    PeriodFactory(trajectory=trajectory, phase="begeleiding", role="regie", start_date=D(2025, 3, 1))
    return trajectory


def test_next_actions_due_today_or_overdue_come_first_in_my_caseload(client, world):
    # Name order: Aa-Bo (Bo Aa), Aa-Kim (Kim Aa), Noa Jansen; Noa's action is overdue, Kim's today,
    # Bo's next week: Noa (12 Sep), Kim (15 Sep) on top, then Bo.
    bo = _second_youth_of_anna(world, "J-3", "Bo")
    kim = _second_youth_of_anna(world, "J-4", "Kim")
    for trajectory, day, action in (
        (world.trajectory, D(2025, 9, 12), "Bellen met school"),
        (kim, D(2025, 9, 15), "Intake UWV"),
        (bo, D(2025, 9, 22), "Huisbezoek"),
    ):
        trajectory.next_action, trajectory.next_action_on = action, day
        trajectory.save()
    client.force_login(world.user)
    response = client.get(reverse("cases:my_caseload"))
    rows = response.context["rows"]
    assert [r.trajectory.external_id for r in rows] == ["T-1", "T-J-4", "T-J-3"]
    assert [r.next_action_due for r in rows] == [True, True, False]
    html = response.content.decode()
    assert "te laat" in html and "vandaag" in html and "Huisbezoek" in html
    sorted_by_action = client.get(reverse("cases:my_caseload"), {"sorteer": "volgende_actie"}).context["rows"]
    assert [r.trajectory.external_id for r in sorted_by_action] == ["T-1", "T-J-4", "T-J-3"]


def test_one_click_logs_half_an_hour_and_it_can_be_corrected(client, world):
    client.force_login(world.user)
    html = client.get(reverse("cases:my_caseload")).content.decode()
    assert "+30 min" in html
    response = client.post(
        reverse("cases:time_entry_create"),
        {"traject": world.trajectory.pk, "date": "2025-09-15", "minutes": 30, "category": "client_direct"},
        HTTP_HX_REQUEST="true",
    )
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.category, entry.trajectory, entry.date) == (
        30,
        "client_direct",
        world.trajectory,
        D(2025, 9, 15),
    )
    assert "30 minuten cliënt direct geregistreerd op 15 september." in response.content.decode()
    edit_url = reverse("cases:time_entry_edit", args=[entry.pk])
    assert edit_url in response.content.decode()
    assert 'value="30"' in client.get(edit_url, HTTP_HX_REQUEST="true").content.decode()
    corrected = client.post(
        edit_url,
        {"date": "2025-09-15", "minutes": 45, "category": "client_indirect", "note": "verslag"},
        HTTP_HX_REQUEST="true",
    )
    entry.refresh_from_db()
    assert (entry.minutes, entry.category, entry.note) == (45, "client_indirect", "verslag")
    assert "Aangepast: 45 minuten cliënt indirect op 15 september." in corrected.content.decode()
    # Someone else's entry is not theirs to correct.
    client.force_login(world.colleague_user)
    assert client.post(edit_url, {"date": "2025-09-15", "minutes": 5, "category": "client_direct"}).status_code == 404


def test_the_handover_list_offers_colleagues_with_their_room_own_team_first(client, world):
    from tests.factories import FtePeriodFactory

    # Bram (Anna's team) has 1.0 fte and no youths: "ruimte". Chris (team Zuid) has 0.1 fte and
    # Ravi in regie (12 h/yr against 0.1 x 1200 = 120 h): 10% -> "ruimte" too; a fte of 0.01 makes
    # him 12 / 12 = 100%: "vol". Anna herself is not offered.
    FtePeriodFactory(worker=world.colleague, start_date=D(2025, 1, 1), fte=1)
    FtePeriodFactory(worker=world.other_team_worker, start_date=D(2025, 1, 1), fte="0.01")
    client.force_login(world.user)
    html = client.get(
        reverse("caseload:handover_options", args=[world.trajectory.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Anna Bakker" not in html
    assert html.index('label="Eigen team"') < html.index("Bram Smit") < html.index('label="Andere teams"')
    assert "Bram Smit (team Noord) · ruimte" in html
    assert f"{world.other_team_worker.name} (team Zuid) · vol" in html
    assert "%" not in html  # a worker sees a colleague's room in words, not their figures
    client.force_login(world.analyst)
    assert client.get(reverse("caseload:handover_options", args=[world.trajectory.pk])).status_code == 403
    client.force_login(world.foreign_user)
    assert client.get(reverse("caseload:handover_options", args=[world.trajectory.pk])).status_code == 404


def test_the_youth_list_and_the_intake_queue_are_paginated_and_searchable(client, world):
    from tests.factories import PeriodFactory, TrajectoryFactory

    for number in range(60):
        youth = YouthFactory(
            organisation=world.organisation,
            first_name="Lijst",
            last_name=f"J{number:02d}",
            external_id=f"L-{number:02d}",
        )
        PeriodFactory(
            trajectory=TrajectoryFactory(
                youth=youth, worker=world.worker, approach=world.approach, start_date=D(2025, 1, 6)
            ),
            phase="begeleiding",
            role="coaching",
            start_date=D(2025, 1, 6),
        )
        YouthFactory(
            organisation=world.organisation,
            first_name="Melding",
            last_name=f"M{number:02d}",
            external_id=f"M-{number:02d}",
            referral_route="DUO/RMC-melding",
            reported_on=D(2025, 9, 1),
            first_contact_on=None,
        )
    client.force_login(world.user)
    first = client.get(reverse("cases:youth_list"))
    html = first.content.decode()
    assert len(first.context["youths"]) == 50, html[html.find('class="pager"') :][:300]
    # Anna sees her 61 youths and the organisation's 60 waiting meldingen (she may pick them up).
    assert "pagina 1 van 3 (121 in totaal)" in html
    assert len(client.get(reverse("cases:youth_list"), {"pagina": 3}).context["youths"]) == 21
    assert [y.external_id for y in client.get(reverse("cases:youth_list"), {"q": "L-07"}).context["youths"]] == ["L-07"]
    queue = client.get(reverse("cases:intake_queue"))
    assert len(queue.context["entries"]) == 50 and "pagina 1 van 2 (60 in totaal)" in queue.content.decode()
    searched = client.get(reverse("cases:intake_queue"), {"q": "M-42"}).context["entries"]
    assert [youth.external_id for youth, _days in searched] == ["M-42"]


def _worker_with_youths(count, name):
    from tests.factories import ApproachFactory as Approaches
    from tests.factories import (
        FollowUpFactory,
        OrganisationFactory,
        PeriodFactory,
        TeamFactory,
        TimeEntryFactory,
        TrajectoryFactory,
        WorkerFactory,
    )

    organisation = OrganisationFactory(name=f"Schaal {name}")
    user = UserFactory(username=f"worker-{name}", organisation=organisation, role=User.Role.WORKER)
    worker = WorkerFactory(team=TeamFactory(organisation=organisation), user=user)
    approach = Approaches(organisation=organisation)
    for number in range(count):
        trajectory = TrajectoryFactory(
            youth=YouthFactory(organisation=organisation, external_id=f"{name}-{number}"),
            worker=worker,
            approach=approach,
            start_date=D(2025, 1, 6),
            next_action="Bellen",
            next_action_on=D(2025, 9, 15),
        )
        PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 1, 6))
        TimeEntryFactory(worker=worker, trajectory=trajectory, date=D(2025, 9, 1), minutes=30)
        FollowUpFactory(outcome=OutcomeFactory(trajectory=trajectory, date=D(2025, 7, 1)), due_date=D(2025, 8, 1))
        YouthFactory(
            organisation=organisation,
            external_id=f"{name}-M{number}",
            referral_route="DUO/RMC-melding",
            reported_on=D(2025, 9, 1),
            first_contact_on=None,
        )
    return user


def test_the_worker_pages_make_the_same_number_of_queries_at_two_sizes(client, world):
    # Issue 16: Mijn caseload, its HTMX table, the youth list and the intake queue do not grow
    # with the data (3 youths against 40, each with a next action, time, an open check, a melding).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = _worker_with_youths(3, "klein"), _worker_with_youths(40, "groot")

    def count(user, url, **extra):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **extra).status_code == 200
        return len(queries)

    for url, extra in (
        (reverse("cases:my_caseload"), {}),
        (reverse("cases:my_caseload") + "?deel=tabel", {"HTTP_HX_REQUEST": "true"}),
        (reverse("cases:youth_list"), {}),
        (reverse("cases:intake_queue"), {}),
    ):
        assert count(small, url, **extra) == count(large, url, **extra), url
