"""The demo's MKBA is plausible (issue 15): every demo approach has a positive social ratio on the
demo's MKBA cohort, the Casusregisseur near the study's 2.3, and the stored demo MKBA reports too.

The study's ten reference approaches all have ratios from 1.5 to 6.6
(/work/shared/reference/factsheets.json); the demo values each approach's outcomes with the
shared default set and a nulalternatief for its target group (demo.data._baseline_share)."""

import datetime

import pytest

from cases.models import Approach
from demo.data import demo_data_load, demo_mkba_period, demo_reports_make
from mkba import selectors
from reports.models import Report

pytestmark = pytest.mark.django_db

CASUSREGISSEUR_STUDY_RATIO = 2.3  # factsheet 2, "Casusregisseur (RMC)"


@pytest.mark.parametrize("anchor", [datetime.date(2026, 3, 1), datetime.date(2026, 12, 1)])
def test_the_demo_mkba_of_every_approach_has_a_positive_social_ratio(anchor):
    demo_data_load(anchor=anchor)
    start, end, measured_at = demo_mkba_period(anchor)
    ratios = {}
    for approach in Approach.objects.order_by("reference_number"):
        output = selectors.mkba_report_generate(
            approach=approach, date_from=start, date_to=end, measured_at=measured_at
        )
        ratios[approach.name] = output["social_ratio"]
    assert len(ratios) == 10
    assert all(ratio is not None and ratio > 0 for ratio in ratios.values()), ratios
    casusregisseur = ratios["Casusregisseur (RMC)"]
    assert CASUSREGISSEUR_STUDY_RATIO / 2 <= casusregisseur <= CASUSREGISSEUR_STUDY_RATIO * 2, ratios


def test_the_stored_demo_mkba_reports_are_positive_and_measured_after_their_cohort():
    anchor = datetime.date(2026, 12, 1)
    demo_data_load(anchor=anchor)
    demo_reports_make(anchor=anchor)
    reports = Report.objects.filter(kind__startswith="mkba_")
    assert {report.kind for report in reports} == {"mkba_quarterly", "mkba_yearly", "mkba_on_demand"}
    for report in reports:
        assert report.status == Report.Status.DONE
        assert report.result["social_ratio"] > 0, (report.kind, report.approach.name, report.result["social_ratio"])
        # The cohort started at least nine months before the measurement.
        assert (report.measured_at - report.period_end).days >= 8 * 30


def test_the_demo_mkba_period_is_a_settled_quarter_aligned_year():
    assert demo_mkba_period(datetime.date(2026, 12, 1)) == (
        datetime.date(2025, 1, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 11, 30),
    )
    assert demo_mkba_period(datetime.date(2026, 3, 1), months=3) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 4, 1),
        datetime.date(2026, 2, 28),
    )
