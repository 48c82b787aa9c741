from django.urls import path

from mkba import views

app_name = "mkba"

urlpatterns = [
    path("rendement/", views.mkba_report, name="report"),
    path("kengetallen/", views.parameter_set_list, name="parameter_set_list"),
    path("kengetallen/importeren/", views.parameter_set_import, name="parameter_set_import"),
    path("kengetallen/<int:parameter_set_id>/", views.parameter_set_detail, name="parameter_set_detail"),
    path("kengetallen/<int:parameter_set_id>/bewerken/", views.parameter_set_edit, name="parameter_set_edit"),
    path("kengetallen/<int:parameter_set_id>/export/", views.parameter_set_export, name="parameter_set_export"),
    path("kengetallen/<int:parameter_set_id>/koppelen/", views.parameter_set_assign, name="parameter_set_assign"),
]
