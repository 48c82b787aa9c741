"""Issue 15: a youth's profile can be edited, a complexity change is dated (SPEC §3), a trajectory
has a dated next action (SPEC §1), and a warme overdracht can go to another organisation (SPEC §7)."""

import datetime

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse

from caseload.selectors import caseload_for_scope, caseload_scope_all
from cases import services
from cases.models import Benefit, ComplexityChange, Handover, Period
from core.exceptions import ApplicationError
from core.models import AuditLogEntry

pytestmark = pytest.mark.django_db
D = datetime.date


def test_profile_update_writes_only_what_changed_and_audits_the_field_names(world):
    services.youth_profile_update(
        user=world.user,
        youth=world.youth,
        data={
            "phone": "06-12345678",
            "benefit": Benefit.WW,
            "has_startkwalificatie": True,
            "life_domains": ["schulden"],
        },
    )
    world.youth.refresh_from_db()
    assert (world.youth.phone, world.youth.benefit, world.youth.has_startkwalificatie, world.youth.life_domains) == (
        "06-12345678",
        "ww",
        True,
        ["schulden"],
    )
    (entry,) = AuditLogEntry.objects.filter(object_type="youth", action="update")
    assert entry.detail == "profile: phone, benefit, has_startkwalificatie, life_domains"
    assert "06-12345678" not in entry.detail
    services.youth_profile_update(user=world.user, youth=world.youth, data={"phone": "06-12345678"})
    assert AuditLogEntry.objects.filter(object_type="youth", action="update").count() == 1  # nothing changed


@time_machine.travel(datetime.datetime(2025, 6, 1, 12, 0), tick=False)
def test_a_complexity_change_holds_from_its_day_and_the_past_keeps_its_figures(world):
    # J-1: coaching with Anna from 6 January 2025 (40 h/yr), meervoudig (factor 1.0); complex weighs 2.0.
    org = world.organisation
    org.factor_complex = 2
    org.save()
    scope = caseload_scope_all(team=str(world.team.pk))

    def anna(**when):
        document = caseload_for_scope(scope=scope, **when)
        return next(row for row in document["workers"] if row["worker_id"] == world.worker.external_id)[
            "expected_hours"
        ]

    may_before = anna(date_from=D(2025, 5, 1), date_to=D(2025, 6, 1))
    today_before = anna(day=D(2025, 6, 1))
    services.youth_complexity_change(user=world.user, youth=world.youth, complexity="complex", valid_from=D(2025, 6, 1))
    world.youth.refresh_from_db()
    assert world.youth.complexity == "complex"
    assert list(
        ComplexityChange.objects.order_by(F("valid_from").asc(nulls_first=True)).values_list("valid_from", "complexity")
    ) == [
        (None, "meervoudig"),
        (D(2025, 6, 1), "complex"),
    ]
    assert anna(day=D(2025, 6, 1)) == today_before * 2  # today: complex
    assert anna(date_from=D(2025, 5, 1), date_to=D(2025, 6, 1)) == may_before  # last month: as it was
    assert anna(day=D(2025, 5, 31)) == today_before


@time_machine.travel(datetime.datetime(2025, 6, 1, 12, 0), tick=False)
def test_a_complexity_change_refuses_the_future_and_a_change_to_the_same(world):
    with pytest.raises(ApplicationError) as future:
        services.youth_complexity_change(
            user=world.user, youth=world.youth, complexity="complex", valid_from=D(2025, 6, 2)
        )
    assert future.value.fields == {"valid_from": ["Uiterlijk 1 juni 2025."]}
    with pytest.raises(ApplicationError) as same:
        services.youth_complexity_change(
            user=world.user, youth=world.youth, complexity="meervoudig", valid_from=D(2025, 5, 1)
        )
    assert same.value.message == "De complexiteit is op 1 mei 2025 al meervoudig."
    assert not ComplexityChange.objects.exists()


def test_next_action_needs_both_what_and_when(world):
    services.trajectory_next_action_set(
        user=world.user, trajectory=world.trajectory, action="Bellen met school", on=D(2025, 3, 3)
    )
    world.trajectory.refresh_from_db()
    assert (world.trajectory.next_action, world.trajectory.next_action_on) == ("Bellen met school", D(2025, 3, 3))
    with pytest.raises(ApplicationError) as error:
        services.trajectory_next_action_set(user=world.user, trajectory=world.trajectory, action="Bellen", on=None)
    assert error.value.fields == {"next_action_on": ["Vul ook dit in."]}
    services.trajectory_next_action_set(user=world.user, trajectory=world.trajectory, action=" ", on=None)
    world.trajectory.refresh_from_db()
    assert (world.trajectory.next_action, world.trajectory.next_action_on) == ("", None)


def test_a_handover_to_another_organisation_closes_the_trajectory_here(world):
    services.trajectory_handover_external(
        user=world.user,
        trajectory=world.trajectory,
        to_organisation="Werkplein Regio",
        date=D(2025, 5, 1),
        note="Samen kennisgemaakt met de klantmanager.",
        met_together_on=D(2025, 4, 29),
    )
    world.trajectory.refresh_from_db()
    assert world.trajectory.end_date == D(2025, 5, 1)
    assert list(Period.objects.filter(trajectory=world.trajectory).values_list("end_date", flat=True)) == [
        D(2025, 5, 1)
    ]
    handover = Handover.objects.get()
    assert (handover.to_worker, handover.to_organisation, handover.from_worker) == (
        None,
        "Werkplein Regio",
        world.worker,
    )
    with pytest.raises(ApplicationError):
        services.trajectory_handover_external(
            user=world.user, trajectory=world.other_trajectory, to_organisation=" ", date=D(2025, 5, 1), note="x"
        )


def test_the_dossier_opens_the_change_form_on_the_running_phase_and_role(client, world):
    services.period_change(
        user=world.user, trajectory=world.trajectory, date=D(2025, 3, 1), phase="begeleiding", role="regie"
    )
    client.force_login(world.user)
    html = client.get(reverse("cases:youth_dossier", args=[world.youth.pk])).content.decode()
    form = html[html.index(reverse("cases:period_change", args=[world.trajectory.pk])) :]
    form = form[: form.index("</form>")]
    assert '<option value="begeleiding" selected>' in form and '<option value="regie" selected>' in form
    assert 'value="time-out"' not in form and 'value="afgesloten"' not in form
    # Changing only the phase keeps the role the form opened on.
    response = client.post(
        reverse("cases:period_change", args=[world.trajectory.pk]),
        {"date": "2025-04-01", "phase": "nazorg", "role": "regie"},
    )
    assert response.status_code == 302
    assert Period.objects.get(trajectory=world.trajectory, end_date=None).role == "regie"


def test_the_dossier_edits_the_profile_and_dates_the_complexity(client, world):
    client.force_login(world.user)
    url = reverse("cases:youth_profile", args=[world.youth.pk])
    data = {
        "first_name": "Noa",
        "last_name": "Jansen",
        "benefit": "bijstand",
        "complexity": "complex",
        "complexity_from": "2025-02-01",
        "education_level": "mbo-2",
        "has_startkwalificatie": "false",
    }
    assert client.post(url, data).status_code == 302
    world.youth.refresh_from_db()
    assert (world.youth.benefit, world.youth.complexity, world.youth.education_level) == (
        "bijstand",
        "complex",
        "mbo-2",
    )
    assert world.youth.has_startkwalificatie is False
    html = client.get(reverse("cases:youth_dossier", args=[world.youth.pk])).content.decode()
    assert "eerst meervoudig; vanaf 1 februari 2025 complex" in html
    # The same complexity from an earlier day (backdated): recorded, not ignored.
    assert client.post(url, {**data, "complexity_from": "2025-01-15"}).status_code == 302
    assert ComplexityChange.objects.filter(
        youth=world.youth, valid_from=datetime.date(2025, 1, 15), complexity="complex"
    ).exists()
    # Bad input: a date in the future, nothing saved, the message beside the field.
    bad = client.post(url, {**data, "complexity": "licht", "complexity_from": "2999-01-01", "phone": "06"})
    assert bad.status_code == 400 and "Uiterlijk" in bad.content.decode()
    world.youth.refresh_from_db()
    assert (world.youth.complexity, world.youth.phone) == ("complex", "")


def test_others_cannot_edit_a_profile(client, world):
    url = reverse("cases:youth_profile", args=[world.youth.pk])
    client.force_login(world.analyst)
    assert client.post(url, {"benefit": "ww", "complexity": "licht"}).status_code == 403
    client.force_login(world.foreign_user)
    assert client.post(url, {"benefit": "ww", "complexity": "licht"}).status_code == 404
