"""The alliance registry: one canonical alliance, the names it is printed under, its
network-membership history and the people of its secretariat."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

# Pilot alliances: batch digit + two-digit order in the approval document (102, 354).
# Network members: "D" + digits (D106).
BATCH_CODE_RE = re.compile(r"^(?:[1-9]\d{2}|D\d{1,4})$")


def validate_batch_code(value: str) -> None:
    if not BATCH_CODE_RE.match(value or ""):
        raise ValidationError(
            "批次编号格式不对：试点联盟为三位数字（首位为批次，如 102、354），"
            "协发网网员为 D 加数字（如 D106）。",
            code="batch_code",
        )


class AllianceKind(models.TextChoices):
    PILOT = "pilot", "试点联盟"
    NETWORK = "network", "协发网网员联盟"
    UNKNOWN = "unknown", "未登记批次"


class Alliance(models.Model):
    full_name = models.CharField(
        "全称", max_length=100, unique=True, help_text="如“化纤产业技术创新战略联盟”。"
    )
    short_name = models.CharField(
        "简称", max_length=50, unique=True, help_text="如“化纤联盟”，用于标题和导读。"
    )
    code = models.CharField(
        "批次编号",
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_batch_code],
        help_text="三位数字（如 102）或 D 加数字（如 D106）。",
    )
    website = models.URLField("网站", blank=True)
    is_active = models.BooleanField("在册", default=True)
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        verbose_name="联盟修改记录",
        verbose_name_plural="联盟修改记录",
    )

    class Meta:
        verbose_name = "联盟"
        verbose_name_plural = "联盟"
        ordering = ["code", "full_name"]

    def __str__(self):
        return self.full_name

    @property
    def kind(self) -> str:
        if not self.code:
            return AllianceKind.UNKNOWN
        return AllianceKind.NETWORK if self.code.startswith("D") else AllianceKind.PILOT

    def get_kind_display(self) -> str:
        return AllianceKind(self.kind).label

    @property
    def batch(self) -> int | None:
        """The approval batch of a pilot alliance (1 for 102), else None."""
        return int(self.code[0]) if self.kind == AllianceKind.PILOT else None

    @property
    def attribution(self) -> str:
        """The line printed under its news: 「（XX产业技术创新战略联盟秘书处供稿）」."""
        return f"（{self.full_name}秘书处供稿）"


class NameKind(models.TextChoices):
    FULL = "full", "全称"
    SHORT = "short", "简称"
    ALIAS = "alias", "别名"


class AllianceName(models.Model):
    """Every name an alliance is known by, including its full and short name.

    One table so that one unique constraint guarantees that a name points at exactly
    one alliance. Written only by ``alliances.services``.
    """

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="names", verbose_name="联盟"
    )
    name = models.CharField("名称", max_length=100)
    normalised = models.CharField("规范化名称", max_length=100, unique=True, editable=False)
    kind = models.CharField("类型", max_length=10, choices=NameKind.choices, default=NameKind.ALIAS)

    class Meta:
        verbose_name = "联盟名称"
        verbose_name_plural = "联盟名称与别名"
        ordering = ["alliance", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NameKind.values), name="alliancename_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class NetworkMembership(models.Model):
    """A period in which the alliance was a member (网员) of the alliance network."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="memberships", verbose_name="联盟"
    )
    joined_on = models.DateField("成为网员日期")
    left_on = models.DateField("取消网员资格日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "网员资格记录"
        verbose_name_plural = "网员资格记录"
        ordering = ["alliance", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["alliance"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_open_per_alliance",
            ),
        ]

    def __str__(self):
        end = self.left_on or "至今"
        return f"{self.alliance.short_name} {self.joined_on}—{end}"


class AllianceContact(models.Model):
    """A contact person of the secretariat (not necessarily a user of the system)."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="contacts", verbose_name="联盟"
    )
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)

    class Meta:
        verbose_name = "秘书处联系人"
        verbose_name_plural = "秘书处联系人"
        ordering = ["alliance", "name"]

    def __str__(self):
        return f"{self.name}（{self.alliance.short_name}）"


class SecretariatStaff(models.Model):
    """A user who works for the alliance's secretariat and may submit its news."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="staff", verbose_name="联盟"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="secretariat_posts",
        verbose_name="用户",
    )
    title = models.CharField("职务", max_length=50, blank=True)
    since = models.DateField("起始日期", auto_now_add=True)

    class Meta:
        verbose_name = "秘书处人员"
        verbose_name_plural = "秘书处人员"
        constraints = [
            models.UniqueConstraint(fields=["alliance", "user"], name="staff_one_post_per_alliance")
        ]

    def __str__(self):
        return f"{self.user} @ {self.alliance.short_name}"


class ActivityLevel(models.TextChoices):
    """活跃度评价的四个等级, from the highest."""

    HIGH = "high", "高"
    FAIRLY_HIGH = "fairly_high", "较高"
    AVERAGE = "average", "一般"
    INACTIVE = "inactive", "不活跃"


class EvaluationPeriod(models.Model):
    """An activity-evaluation period (评价期) such as 「2024年度」.

    Periods are ordered by their dates; "consecutive" periods for the A级 derivation are
    neighbours in that order (see ``alliances.ratings``). Written only by
    ``alliances.services``.
    """

    name = models.CharField("评价期名称", max_length=40, unique=True, help_text="如“2024年度”。")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期")
    notes = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(
        verbose_name="活跃度评价期修改记录", verbose_name_plural="活跃度评价期修改记录"
    )

    class Meta:
        verbose_name = "活跃度评价期"
        verbose_name_plural = "活跃度评价期"
        ordering = ["starts_on", "ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="evaluationperiod_ends_after_start",
            ),
            models.UniqueConstraint(fields=["starts_on"], name="evaluationperiod_one_per_start"),
        ]

    def __str__(self):
        return self.name


class ActivityRating(models.Model):
    """One alliance's level in one evaluation period. Changes are kept by simple-history."""

    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.PROTECT, related_name="ratings", verbose_name="评价期"
    )
    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="activity_ratings", verbose_name="联盟"
    )
    level = models.CharField("活跃度", max_length=12, choices=ActivityLevel.choices)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录人",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now=True)
    history = HistoricalRecords(
        verbose_name="活跃度评价修改记录", verbose_name_plural="活跃度评价修改记录"
    )

    class Meta:
        verbose_name = "活跃度评价"
        verbose_name_plural = "活跃度评价"
        ordering = ["period__starts_on", "alliance__code", "alliance__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "alliance"], name="activityrating_one_per_period_alliance"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=ActivityLevel.values),
                name="activityrating_level_valid",
            ),
        ]

    def __str__(self):
        return f"{self.period} · {self.alliance.short_name} · {self.get_level_display()}"
