"""The caseload endpoints, added to /api/v1/ by config/api_router.py."""

from django.urls import path

from caseload.api import views

urlpatterns = [
    path("caseload/", views.CaseloadView.as_view(), name="api-caseload"),
    path("caseload/plan/", views.CapacityPlanView.as_view(), name="api-caseload-plan"),
    path("caseload/norms/", views.NormCalibrationView.as_view(), name="api-caseload-norms"),
    path("caseload/norm-changes/", views.NormChangesView.as_view(), name="api-caseload-norm-changes"),
    path("caseload/advice/", views.TeamAdviceView.as_view(), name="api-caseload-advice"),
    path("caseload/forecast/", views.ForecastView.as_view(), name="api-caseload-forecast"),
]
