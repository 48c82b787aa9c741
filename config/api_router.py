"""All REST endpoints under /api/v1/; each app contributes its own urls."""

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from caseload.api.urls import urlpatterns as caseload_api_urlpatterns
from cases.api.urls import urlpatterns as cases_api_urlpatterns
from core.api.urls import urlpatterns as core_api_urlpatterns
from mkba.api.urls import urlpatterns as mkba_api_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
urlpatterns += cases_api_urlpatterns
urlpatterns += core_api_urlpatterns
urlpatterns += caseload_api_urlpatterns
urlpatterns += mkba_api_urlpatterns
