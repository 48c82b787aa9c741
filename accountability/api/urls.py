"""The accountability endpoints, added to /api/v1/ by config/api_router.py."""

from django.urls import path

from accountability.api import views

urlpatterns = [
    path("indicators/results/", views.ResultIndicatorsView.as_view(), name="api-indicators-results"),
    path("indicators/first-contact/", views.FirstContactView.as_view(), name="api-indicators-first-contact"),
    path("indicators/working-elements/", views.WorkingElementsView.as_view(), name="api-indicators-working-elements"),
    path("vcv/", views.VcvView.as_view(), name="api-vcv"),
]
