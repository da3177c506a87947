"""Users and the roles they hold.

A person may hold several roles (a small office has an editor who also reviews), so roles
are rows, not a single field. Which alliances a secretariat user works for is kept by the
alliance registry (``alliances.SecretariatStaff``).
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", "联盟秘书处"
    EDITOR = "editor", "编辑"
    REVIEWER = "reviewer", "审核"
    SIGNER = "signer", "签发"
    RECIPIENT = "recipient", "简报接收人"
    ADMINISTRATOR = "administrator", "管理员"


class User(AbstractUser):
    full_name = models.CharField(
        "姓名", max_length=50, blank=True, help_text="印在简报版记上的名字，如“杨丹泽”。"
    )
    phone = models.CharField("电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The codes of the roles this user holds (one query, then cached on the instance)."""
        if not self.is_active:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name="用户"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_one_per_user_role"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="rolegrant_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class SecurityEventKind(models.TextChoices):
    TWO_FACTOR_ENABLED = "two_factor_enabled", "启用两步验证"
    TWO_FACTOR_DISABLED = "two_factor_disabled", "停用两步验证"
    TWO_FACTOR_RESET = "two_factor_reset", "管理员重置两步验证"
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", "重新生成恢复码"
    PASSWORD_CHANGED = "password_changed", "修改密码"


class SecurityEvent(models.Model):
    """Append-only record of changes to how a user signs in (second factor, password)."""

    Kind = SecurityEventKind

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="security_events", verbose_name="用户"
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="操作人",
    )
    kind = models.CharField("事件", max_length=40, choices=Kind.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "账号安全记录"
        verbose_name_plural = "账号安全记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SecurityEventKind.values),
                name="securityevent_kind_valid",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
