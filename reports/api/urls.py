from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.api import views

# The path and the route names (mkba-report-list, -detail, -result, -pdf, -csv) are older than this app.
router = SimpleRouter()
router.register("mkba/reports", views.ReportViewSet, basename="mkba-report")

urlpatterns = [
    *router.urls,
    path("mkba/own-scenarios/<str:pk>/compare/", views.OwnScenarioCompareView.as_view(), name="own-scenario-compare"),
]
