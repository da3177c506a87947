"""The admin site, open to users with the 管理员 role (asked of ``accounts.permissions``)
whose session has passed the second step of the login (django-otp's ``is_verified``)."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


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

    def admin_view(self, view, cacheable=False):
        """A signed-in user who may not use the admin is told so (403), not sent to the login:
        the login would send a signed-in user straight back, round and round."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                return self.forbidden(request)
            return inner(request, *args, **kwargs)

        return guarded

    def forbidden(self, request):
        # Imported here for the same reason as in has_permission above.
        from accounts.permissions import can

        if can(request.user, "admin.site"):
            reason = "系统管理需要两步验证：请退出后重新登录，并完成两步验证。"
        else:
            reason = "系统管理只对管理员开放，您的账号没有管理员角色。"
        response = render(request, "403.html", {"reason": reason}, status=403)
        add_never_cache_headers(response)
        return response

    def login(self, request, extra_context=None):
        # One way in: the application's login with its second step, never the admin's own
        # password-only form. Who is already signed in would only be sent back here.
        if request.user.is_authenticated and not self.has_permission(request):
            return self.forbidden(request)
        # Imported here as above: auth's views import models.
        from django.contrib.auth.views import redirect_to_login

        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url)


class CitisaAdminConfig(AdminConfig):
    default_site = "citisa.admin_site.CitisaAdminSite"
