from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("beheer/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("cases.urls")),
    path("", include("caseload.urls")),
    path("", include("mkba.urls")),
    path("", include("core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
