from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

from . import views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("alliances/", include("alliances.urls")),
    path("alliances/", include("reports.urls")),  # statistics and rating sheets
    path("submissions/", include("submissions.urls")),
    path("issues/", include("bulletins.urls")),
    path("", include("distribution.urls")),
    path("healthz", views.health, name="health"),
    path("admin/", admin.site.urls),
]
handler500 = "citisa.views.server_error"
