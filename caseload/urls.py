from django.urls import path

from caseload import views

app_name = "caseload"

urlpatterns = [
    path("team/", views.team_dashboard, name="team_dashboard"),
    path("team/verplaats/", views.youth_move, name="youth_move"),
    path("team/verplaats/opties/", views.team_move_options, name="team_move_options"),
    path("team/advies/", views.team_rebalance, name="team_rebalance"),
    path("team/grafiek/", views.team_chart, name="team_chart"),
    path("planning/", views.planning, name="planning"),
    path("planning/normen/", views.norms, name="norms"),
    path("planning/prognose/", views.load_forecast, name="forecast"),
    path("planning/normen/vaststellen/", views.norm_adopt, name="norm_adopt"),
    path("trajecten/<int:trajectory_id>/overdracht-collegas/", views.handover_options, name="handover_options"),
]

# "Mijn caseload" lives here (the caseload engine for one worker) but keeps its URL names
# cases:my_caseload and cases:week_hours: config/urls.py mounts these in the cases namespace.
case_pages = [
    path("caseload/", views.my_caseload, name="my_caseload"),
    path("caseload/week/", views.week_hours, name="week_hours"),
]
