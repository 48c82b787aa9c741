from django.urls import path

from cases import views

app_name = "cases"

# "Mijn caseload" (caseload/, caseload/week/) is caseload's: caseload.urls.case_pages, mounted in this
# namespace by config/urls.py so its names stay cases:my_caseload and cases:week_hours.
urlpatterns = [
    path("tijd/", views.time_entry_create, name="time_entry_create"),
    path("tijd/<int:entry_id>/", views.time_entry_edit, name="time_entry_edit"),
    path("intake/", views.intake_queue, name="intake_queue"),
    path("jongeren/", views.youth_list, name="youth_list"),
    path("jongeren/nieuw/", views.youth_register, name="youth_register"),
    path("jongeren/<int:youth_id>/", views.youth_dossier, name="youth_dossier"),
    path("jongeren/<int:youth_id>/inzage/", views.youth_inzage, name="youth_inzage"),
    path("jongeren/<int:youth_id>/inzage/download/", views.youth_export, name="youth_export"),
    path("inzage/", views.inzage_lookup, name="inzage_lookup"),
    path("jongeren/<int:youth_id>/oppakken/", views.youth_pick_up, name="youth_pick_up"),
    path("jongeren/<int:youth_id>/traject/", views.trajectory_start, name="trajectory_start"),
    path("jongeren/<int:youth_id>/profiel/", views.youth_profile, name="youth_profile"),
    path("trajecten/<int:trajectory_id>/fase/", views.period_change, name="period_change"),
    path("trajecten/<int:trajectory_id>/volgende-actie/", views.next_action, name="next_action"),
    path("trajecten/<int:trajectory_id>/resultaat/", views.outcome_create, name="outcome_create"),
    path("trajecten/<int:trajectory_id>/overdracht/", views.handover, name="handover"),
    path("trajecten/<int:trajectory_id>/time-out/", views.pause, name="pause"),
    path("trajecten/<int:trajectory_id>/hervatten/", views.resume, name="resume"),
    path("trajecten/<int:trajectory_id>/afsluiten/", views.close, name="close"),
    path("trajecten/<int:trajectory_id>/werkzame-elementen/", views.working_elements, name="working_elements"),
    path("duurzaamheid/<int:follow_up_id>/", views.follow_up_answer, name="follow_up_answer"),
]
