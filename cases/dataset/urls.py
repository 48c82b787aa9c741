"""URLs of the dataset pages (namespace `dataset`): import (upload, job), export."""

from django.urls import path

from cases.dataset import views

app_name = "dataset"

urlpatterns = [
    path("beheer-dataset/import/", views.dataset_import_page, name="import"),
    path("beheer-dataset/import/<str:job_id>/", views.dataset_import_job, name="import_job"),
    path("beheer-dataset/export/", views.dataset_export_page, name="export"),
]
