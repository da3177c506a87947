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
