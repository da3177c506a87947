from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import ReadOnlyAdmin

from .models import RoleGrant, SecurityEvent, User
from .permissions import can
from .services import two_factor_reset


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    readonly_fields = ["granted_at"]


@admin.action(description="重置所选用户的两步验证（手机丢失时）")
def two_factor_reset_action(modeladmin, request, queryset):

    done, refused = [], []
    for user in queryset:
        if can(request.user, "account.two_factor_reset", user):
            two_factor_reset(user=user, actor=request.user, note="在系统管理中重置")
            done.append(user.display_name)
        else:
            refused.append(user.display_name)
    if done:
        modeladmin.message_user(
            request,
            f"已重置 {len(done)} 位用户的两步验证：{'、'.join(done)}。"
            "需要两步验证的用户下次登录时将重新设置。",
            messages.SUCCESS,
        )
    if refused:
        modeladmin.message_user(
            request,
            f"不能重置自己的两步验证：{'、'.join(refused)}。请由另一位管理员操作。",
            messages.ERROR,
        )


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
    actions = [two_factor_reset_action]

    @admin.display(description="角色")
    def role_list(self, obj):
        return "、".join(grant.get_role_display() for grant in obj.role_grants.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_grants")


# Second factors are not edited in the admin: the reset below goes through the audited
# service, and nobody (administrators included) gets to read or plant a user's secret.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "kind", "actor", "note"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "actor"]
