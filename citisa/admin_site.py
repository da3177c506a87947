"""The admin site, open to users with the 管理员 role (asked of ``accounts.permissions``)
whose session has passed the second step of the login (django-otp's ``is_verified``)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class CitisaAdminSite(admin.AdminSite):
    site_header = "联盟简报编辑系统 · 系统管理"
    site_title = "系统管理"
    index_title = "管理首页"

    def has_permission(self, request):
        # Imported here: this module is imported while INSTALLED_APPS are read (the
        # AdminConfig above), before models may be; accounts.permissions imports models.
        from accounts.permissions import can

        is_verified = getattr(request.user, "is_verified", None)
        return can(request.user, "admin.site") and is_verified is not None and is_verified()

    def login(self, request, extra_context=None):
        # One way in: the application's login with its second step, never the admin's own
        # password-only form. (Imported here for the same reason: auth's views import models.)
        from django.contrib.auth.views import redirect_to_login
        from django.urls import reverse

        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url)


class CitisaAdminConfig(AdminConfig):
    default_site = "citisa.admin_site.CitisaAdminSite"
