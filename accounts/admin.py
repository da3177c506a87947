from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    readonly_fields = ["granted_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("简报信息", {"fields": ("full_name", "phone")}),
    )
    list_display = ["username", "full_name", "email", "role_list", "is_active", "last_login"]
    list_filter = ["role_grants__role", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleGrantInline]

    @admin.display(description="角色")
    def role_list(self, obj):
        return "、".join(grant.get_role_display() for grant in obj.role_grants.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_grants")
