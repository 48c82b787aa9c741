from django.urls import path

from caseload import views

app_name = "caseload"

urlpatterns = [
    path("team/", views.team_dashboard, name="team_dashboard"),
    path("team/verplaats/", views.youth_move, name="youth_move"),
    path("planning/", views.planning, name="planning"),
]
