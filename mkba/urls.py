from django.urls import path

from mkba import views

app_name = "mkba"

urlpatterns = [
    path("rendement/", views.mkba_report, name="report"),
    path("rendement/rapporten/", views.report_list, name="report_list"),
    path("rendement/rapporten/<int:report_id>/", views.report_detail, name="report_detail"),
    path("rendement/rapporten/<int:report_id>/voortgang/", views.report_progress, name="report_progress"),
    path("rendement/rapporten/<int:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("rendement/rapporten/<int:report_id>/csv/", views.report_csv, name="report_csv"),
    path("kengetallen/", views.parameter_set_list, name="parameter_set_list"),
    path("kengetallen/importeren/", views.parameter_set_import, name="parameter_set_import"),
    path("kengetallen/<int:parameter_set_id>/", views.parameter_set_detail, name="parameter_set_detail"),
    path("kengetallen/<int:parameter_set_id>/bewerken/", views.parameter_set_edit, name="parameter_set_edit"),
    path("kengetallen/<int:parameter_set_id>/export/", views.parameter_set_export, name="parameter_set_export"),
    path("kengetallen/<int:parameter_set_id>/koppelen/", views.parameter_set_assign, name="parameter_set_assign"),
]
