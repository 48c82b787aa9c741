from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from caseload.urls import case_pages
from cases.urls import urlpatterns as case_urlpatterns
from mkba.urls import urlpatterns as mkba_urlpatterns
from reports.urls import mkba_pages

# Pages that moved to another app keep their URL names in their old namespace (issue 13): "Mijn
# caseload" (now caseload's views) stays cases:my_caseload / cases:week_hours, and the report pages
# (now the reports app) stay mkba:report_list ... mkba:report_csv. One include per namespace.
urlpatterns: list[URLPattern | URLResolver] = [
    path("beheer/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((case_urlpatterns + case_pages, "cases"))),
    path("", include("caseload.urls")),
    path("", include((mkba_urlpatterns + mkba_pages, "mkba"))),
    path("", include("accountability.urls")),
    path("", include("core.urls")),
    path("", include("cases.dataset.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
