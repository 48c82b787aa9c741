"""Durability checks (SPEC 4b): planned at the organisation's months in calendar months, answered
from Mijn caseload (inline, HTMX or a plain form) and from the dossier."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases import services
from cases.models import FollowUp, OutcomeType, Trajectory
from core.models import AuditLogEntry
from tests.factories import OutcomeFactory, PeriodFactory, TrajectoryFactory, YouthFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def tuesday_2_december_2025():
    with time_machine.travel(datetime.datetime(2025, 12, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _checks(outcome):
    return list(FollowUp.objects.filter(outcome=outcome).values_list("months_after", "due_date", "answer"))


def test_a_work_outcome_plans_checks_at_the_organisations_months(world):
    world.organisation.follow_up_months = [3, 24]
    world.organisation.save(update_fields=["follow_up_months"])

    outcome = services.outcome_register(
        user=world.user, trajectory=world.trajectory, date=D(2025, 11, 30), outcome=OutcomeType.WORK
    )

    # 30 Nov 2025 + 3 months: February 2026 has no 30th -> 28 Feb; + 24 months: 30 Nov 2027.
    assert _checks(outcome) == [(3, D(2026, 2, 28), ""), (24, D(2027, 11, 30), "")]


def test_an_improved_position_plans_the_default_checks_with_month_ends(world):
    outcome = services.outcome_register(
        user=world.user, trajectory=world.trajectory, date=D(2025, 1, 31), outcome=OutcomeType.IMPROVED_POSITION
    )

    # 31 Jan 2025: + 1 -> 28 Feb 2025 (not a leap year), + 6 -> 31 Jul 2025, + 12 -> 31 Jan 2026.
    assert _checks(outcome) == [(1, D(2025, 2, 28), ""), (6, D(2025, 7, 31), ""), (12, D(2026, 1, 31), "")]


@pytest.mark.parametrize("outcome_type", ["work_subsidised", "school"])
def test_the_other_follow_up_types_plan_checks_too(world, outcome_type):
    outcome = services.outcome_register(
        user=world.user, trajectory=world.trajectory, date=D(2025, 8, 29), outcome=outcome_type
    )
    assert [due for _m, due, _a in _checks(outcome)] == [D(2025, 9, 29), D(2026, 2, 28), D(2026, 8, 29)]


def test_improved_position_has_a_dutch_name_and_explanation():
    assert str(OutcomeType.IMPROVED_POSITION.label) == "Verbeterde arbeidsmarktpositie"
    help_text = str(FollowUp._meta.get_field("outcome").related_model._meta.get_field("outcome").help_text)
    assert "vast in plaats van een tijdelijk contract" in help_text
    assert "hoger loon" in help_text


def _open_check(world, *, trajectory=None):
    outcome = OutcomeFactory(trajectory=trajectory or world.trajectory, date=D(2025, 10, 1), outcome="work")
    return FollowUp.objects.create(outcome=outcome, months_after=1, due_date=D(2025, 11, 1))


def test_mijn_caseload_offers_each_open_check_with_the_three_dutch_answers(client, world):
    check = _open_check(world)
    FollowUp.objects.create(outcome=check.outcome, months_after=6, due_date=D(2026, 4, 1))  # not yet due
    client.force_login(world.user)

    response = client.get(reverse("cases:my_caseload"))

    (row,) = response.context["rows"]
    assert row.open_follow_ups == 1
    assert [c.pk for c in row.open_checks] == [check.pk]
    page = response.content.decode()
    assert reverse("cases:follow_up_answer", args=[check.pk]) in page
    assert "Duurzaamheidscheck werk (regulier), na 1 mnd (1 november 2025)" in page
    for label in ("Nog aan het werk / op school", "Niet meer", "Onbekend"):
        assert label in page


def test_answering_a_check_from_mijn_caseload_returns_there_with_the_filters(client, world):
    check = _open_check(world)
    client.force_login(world.user)
    page = reverse("cases:my_caseload")

    response = client.post(
        reverse("cases:follow_up_answer", args=[check.pk]),
        {"answer": "still_there", "next": f"{page}?rol=coaching", "next_htmx": f"{page}?rol=coaching&deel=tabel"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{page}?rol=coaching"
    check.refresh_from_db()
    assert (check.answer, check.answered_on) == ("still_there", D(2025, 12, 2))
    assert AuditLogEntry.objects.filter(detail="follow-up +1: still_there").count() == 1
    rows = client.get(page).context["rows"]
    assert rows[0].open_follow_ups == 0


def test_answering_with_htmx_swaps_in_the_table(client, world):
    check = _open_check(world)
    client.force_login(world.user)
    page = reverse("cases:my_caseload")

    response = client.post(
        reverse("cases:follow_up_answer", args=[check.pk]),
        {"answer": "not_there", "next": page, "next_htmx": f"{page}?deel=tabel"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )

    assert response.redirect_chain == [(f"{page}?deel=tabel", 302)]
    assert response.templates[0].name == "cases/partials/caseload_table.html"
    assert FollowUp.objects.get(pk=check.pk).answer == "not_there"


def test_an_answer_from_elsewhere_does_not_leave_the_site(client, world):
    check = _open_check(world)
    client.force_login(world.user)
    response = client.post(
        reverse("cases:follow_up_answer", args=[check.pk]), {"answer": "unknown", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("cases:youth_dossier", kwargs={"youth_id": world.youth.pk})


def test_no_answer_chosen_changes_nothing(client, world):
    check = _open_check(world)
    client.force_login(world.user)
    client.post(reverse("cases:follow_up_answer", args=[check.pk]), {"answer": "", "next": "/"})
    assert FollowUp.objects.get(pk=check.pk).answer == ""


def test_answering_asks_write_case_data(client, world):
    check = _open_check(world)
    client.force_login(world.analyst)
    response = client.post(reverse("cases:follow_up_answer", args=[check.pk]), {"answer": "still_there"})
    assert response.status_code == 403
    assert FollowUp.objects.get(pk=check.pk).answer == ""


def test_a_colleague_outside_the_youths_scope_cannot_answer(client, world):
    check = _open_check(world)
    client.force_login(world.other_team_user)
    response = client.post(reverse("cases:follow_up_answer", args=[check.pk]), {"answer": "still_there"})
    assert response.status_code == 404
    assert FollowUp.objects.get(pk=check.pk).answer == ""


def test_the_dossier_offers_the_three_answers(client, world):
    check = _open_check(world)
    client.force_login(world.user)
    page = client.get(reverse("cases:youth_dossier", kwargs={"youth_id": world.youth.pk})).content.decode()
    assert reverse("cases:follow_up_answer", args=[check.pk]) in page
    for value, label in (
        ("still_there", "Nog aan het werk / op school"),
        ("not_there", "Niet meer"),
        ("unknown", "Onbekend"),
    ):
        assert f'<option value="{value}">{label}</option>' in page


@pytest.mark.parametrize("extra", [1, 6])
def test_mijn_caseload_with_open_checks_makes_a_bounded_number_of_queries(
    client, world, extra, django_assert_max_num_queries
):
    for number in range(extra):
        youth = YouthFactory(organisation=world.organisation, external_id=f"J-X{number}")
        trajectory = TrajectoryFactory(
            youth=youth,
            worker=world.worker,
            approach=world.approach,
            start_date=D(2025, 1, 6),
            external_id=f"T-X{number}",
        )
        PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 1, 6))
        _open_check(world, trajectory=trajectory)
    client.force_login(world.user)
    client.get(reverse("cases:my_caseload"))  # warm up (session, content types)

    with django_assert_max_num_queries(25):
        response = client.get(reverse("cases:my_caseload"))

    assert sum(row.open_follow_ups for row in response.context["rows"]) == extra
    assert Trajectory.objects.count() == 2 + extra
