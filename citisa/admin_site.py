"""The admin site, open to users with the 管理员 role (asked of ``accounts.permissions``)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class CitisaAdminSite(admin.AdminSite):
    site_header = "联盟简报编辑系统 · 系统管理"
    site_title = "系统管理"
    index_title = "管理首页"

    def has_permission(self, request):
        from accounts.permissions import can

        return can(request.user, "admin.site")


class CitisaAdminConfig(AdminConfig):
    default_site = "citisa.admin_site.CitisaAdminSite"


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows written only by services (events, versions, deliveries): the admin shows
    them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
