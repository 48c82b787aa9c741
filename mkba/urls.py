from django.urls import path

from mkba import views

app_name = "mkba"

urlpatterns = [
    path("rendement/", views.mkba_report, name="report"),
    path("rendement/kosten/", views.cost_list, name="cost_list"),
    path("rendement/kosten/nieuw/", views.cost_create, name="cost_create"),
    path("rendement/kosten/<int:cost_item_id>/bewerken/", views.cost_edit, name="cost_edit"),
    path("rendement/kosten/<int:cost_item_id>/verwijderen/", views.cost_delete, name="cost_delete"),
    path("rendement/eigen-scenarios/", views.own_scenario_list, name="own_scenario_list"),
    path("rendement/eigen-scenarios/<int:scenario_id>/", views.own_scenario_detail, name="own_scenario_detail"),
    path("rendement/eigen-scenarios/<int:scenario_id>/bewerken/", views.own_scenario_edit, name="own_scenario_edit"),
    path("kengetallen/", views.parameter_set_list, name="parameter_set_list"),
    path("kengetallen/importeren/", views.parameter_set_import, name="parameter_set_import"),
    path("kengetallen/<int:parameter_set_id>/", views.parameter_set_detail, name="parameter_set_detail"),
    path("kengetallen/<int:parameter_set_id>/bewerken/", views.parameter_set_edit, name="parameter_set_edit"),
    path("kengetallen/<int:parameter_set_id>/export/", views.parameter_set_export, name="parameter_set_export"),
    path("kengetallen/<int:parameter_set_id>/koppelen/", views.parameter_set_assign, name="parameter_set_assign"),
]
