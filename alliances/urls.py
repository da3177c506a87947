from django.urls import path

from . import views

app_name = "alliances"
urlpatterns = [
    path("", views.alliance_index, name="index"),
    path("<int:alliance_id>/", views.alliance_detail, name="detail"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.<str:fmt>", views.statistics_export, name="statistics_export"),
    path("ratings/", views.ratings_index, name="ratings"),
    path("ratings/<int:period_id>/", views.ratings_record, name="ratings_record"),
]
