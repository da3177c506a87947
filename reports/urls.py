"""Mounted under ``/alliances/`` beside the registry (``citisa/urls.py``): the pages keep
the paths they had when they were the registry's."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.<str:fmt>", views.statistics_export, name="statistics_export"),
    path("ratings/<int:period_id>/", views.ratings_record, name="ratings_record"),
]
