from django.contrib.auth import views as auth_views
from django.urls import path

from core import views
from core.auth_views import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/csv/", views.audit_log_csv, name="audit_log_csv"),
    path("meldingen/", views.notification_list, name="notification_list"),
    path("meldingen/gelezen/", views.notifications_read, name="notifications_read"),
    # core.auth_views.LoginView counts sprayed passwords and busy addresses (core.auth) before
    # axes' per-account lock-out.
    path("inloggen/", LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
