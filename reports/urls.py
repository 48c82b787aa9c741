"""The report pages and the schedules page. Mounted by config/urls.py in the ``mkba`` namespace, where their names
(``mkba:report_list`` ...) and paths (under /rendement/) were before the reports app existed."""

from django.urls import path

from reports import views

mkba_pages = [
    path("rendement/rapporten/", views.report_list, name="report_list"),
    path("rendement/rapporten/<int:report_id>/", views.report_detail, name="report_detail"),
    path("rendement/rapporten/<int:report_id>/voortgang/", views.report_progress, name="report_progress"),
    path("rendement/rapporten/<int:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("rendement/rapporten/<int:report_id>/csv/", views.report_csv, name="report_csv"),
    path("rendement/rapporten/<int:report_id>/xlsx/", views.report_xlsx, name="report_xlsx"),
    # An own scenario (mkba, issue 17 item 6) beside a stored report: here, where the reports are.
    path(
        "rendement/eigen-scenarios/<int:scenario_id>/vergelijken/",
        views.own_scenario_compare,
        name="own_scenario_compare",
    ),
    # When the background jobs run: the beheerder's page (core.access.may_configure).
    path("instellingen/planning/", views.schedule_list, name="schedule_list"),
    path("instellingen/planning/standaard/", views.schedule_reset, name="schedule_reset"),
    path("instellingen/planning/<int:schedule_id>/", views.schedule_change, name="schedule_change"),
]
