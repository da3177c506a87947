from django.urls import path

from . import views

app_name = "alliances"
urlpatterns = [
    path("", views.alliance_index, name="index"),
    path("<int:alliance_id>/", views.alliance_detail, name="detail"),
    path("ratings/", views.ratings_index, name="ratings"),
]
