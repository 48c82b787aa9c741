from django.urls import path
from rest_framework.routers import SimpleRouter

from mkba.api import views

router = SimpleRouter()
router.register("parameter-sets", views.ParameterSetViewSet, basename="parameter-set")
router.register("cost-items", views.CostItemViewSet, basename="cost-item")
router.register("mkba/own-scenarios", views.OwnScenarioViewSet, basename="own-scenario")
router.register("reference-approaches", views.ReferenceApproachViewSet, basename="reference-approach")

urlpatterns = [
    *router.urls,
    path("mkba/scenario/", views.MkbaScenarioView.as_view(), name="mkba-scenario"),
    path("mkba/preview/", views.MkbaPreviewView.as_view(), name="mkba-preview"),
]
