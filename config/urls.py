from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from core.auth_views import LoginView

admin.site.site_header = _("Caseload beheer")
admin.site.site_title = _("Caseload beheer")

urlpatterns: list[URLPattern | URLResolver] = [
    path("beheer/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before core.urls, which still names Django's plain LoginView at the same address: this one
    # counts sprayed passwords and busy addresses (core.auth) before axes' per-account lock-out.
    path("inloggen/", LoginView.as_view(), name="login"),
    path("wachtwoord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("cases.urls")),
    path("", include("caseload.urls")),
    path("", include("mkba.urls")),
    path("", include("core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
