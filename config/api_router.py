"""All REST endpoints under /api/v1/; each app contributes its own urls."""

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accountability.api.urls import urlpatterns as accountability_api_urlpatterns
from caseload.api.urls import urlpatterns as caseload_api_urlpatterns
from cases.api.urls import urlpatterns as cases_api_urlpatterns
from core.api.urls import urlpatterns as core_api_urlpatterns
from mkba.api.urls import urlpatterns as mkba_api_urlpatterns
from reports.api.urls import urlpatterns as reports_api_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    # Both need a login (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); the documentation page sends
    # an anonymous visitor to the login page instead of a bare 403. The split view serves its
    # start-up script as a file of its own (?script), so the page runs under script-src 'self'.
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]
urlpatterns += cases_api_urlpatterns
urlpatterns += core_api_urlpatterns
urlpatterns += caseload_api_urlpatterns
urlpatterns += mkba_api_urlpatterns
urlpatterns += accountability_api_urlpatterns
urlpatterns += reports_api_urlpatterns
