from django.urls import path

from accountability import views

app_name = "accountability"

urlpatterns = [
    path("verantwoording/resultaten/", views.result_indicators, name="result_indicators"),
    path("verantwoording/vcv/", views.vcv, name="vcv"),
    path("verantwoording/vcv/einddeclaratie.csv", views.vcv_csv, name="vcv_csv"),
    path("verantwoording/vcv/einddeclaratie.xlsx", views.vcv_xlsx, name="vcv_xlsx"),
    path("verantwoording/eerste-contact/", views.first_contact, name="first_contact"),
    path("verantwoording/werkzame-elementen/", views.working_elements, name="working_elements"),
    path("monitor/", views.monitor, name="monitor"),
]
