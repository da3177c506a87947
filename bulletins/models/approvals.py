"""The approval chain's record: approvals bound to exact versions, the append-only events
of every move, the comments of the reviewers, and the e-mails each event sends."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .issues import Issue, IssueStatus, IssueVersion, Item


class ApprovalStage(models.TextChoices):
    REVIEW = "review", "审核"
    SIGN = "sign", "签发"


class Approval(models.Model):
    """An approval of one stage for one exact version. Voided (never deleted) when the
    content changes afterwards."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="approvals", verbose_name="期次"
    )
    version = models.ForeignKey(
        IssueVersion, on_delete=models.PROTECT, related_name="approvals", verbose_name="版本"
    )
    edition = models.PositiveSmallIntegerField("版次", default=1)
    stage = models.CharField("环节", max_length=10, choices=ApprovalStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="批准人"
    )
    created_at = models.DateTimeField("批准时间", auto_now_add=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    # The SHA-256 of the final PDF rendered from the signed version (sign stage only).
    pdf_sha256 = models.CharField("正式版PDF摘要", max_length=64, blank=True)

    class Meta:
        verbose_name = "批准记录"
        verbose_name_plural = "批准记录"
        ordering = ["issue", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "edition", "stage"],
                condition=Q(voided_at__isnull=True),
                name="approval_one_valid_per_stage",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=ApprovalStage.values), name="approval_stage_valid"
            ),
        ]

    def __str__(self):
        return f"{self.issue} {self.get_stage_display()} {self.version.label}"


# How each action reads in the history (the transitions are in bulletins.workflow).
EVENT_ACTION_LABELS = {
    "create": "创建期次",
    "submit": "送审",
    "withdraw": "撤回修改",
    "approve": "审核通过",
    "return": "退回修改",
    "sign": "签发",
    "correct": "发起更正",
    "void_approval": "批准作废",
    "import": "导入往期",
    "reimport": "重新导入",
}


class IssueEvent(models.Model):
    """Append-only: one row per decision on an issue (a transition, an approval voided by
    a change). Nothing updates or deletes these rows."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="events", verbose_name="期次"
    )
    action = models.CharField("动作", max_length=20)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    edition = models.PositiveSmallIntegerField("版次", default=1)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    version = models.ForeignKey(
        IssueVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="版本",
    )
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "期次流转记录"
        verbose_name_plural = "期次流转记录"
        ordering = ["issue", "created_at", "pk"]

    def __str__(self):
        return f"{self.issue} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        return EVENT_ACTION_LABELS.get(self.action, self.action)

    @property
    def from_status_label(self) -> str:
        return IssueStatus(self.from_status).label if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return IssueStatus(self.to_status).label if self.to_status else ""


class Comment(models.Model):
    """A comment on an issue or on one of its items (审核意见, 签发意见, the editor's reply)."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="comments", verbose_name="期次"
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="稿件",
    )
    item_title = models.CharField("稿件标题", max_length=300, blank=True)
    version = models.ForeignKey(
        IssueVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="针对的版本",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="作者"
    )
    body = models.TextField("意见")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["issue", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty"),
        ]

    def __str__(self):
        return self.body[:40]


class NotificationKind(models.TextChoices):
    STEP = "step", "流转通知"
    REMINDER = "reminder", "催办提醒"


class Notification(models.Model):
    """One e-mail per step (the event that put the issue where it waits) and kind. The row
    is claimed before sending and ``sent_at`` set after: a crashed send is retried, a
    finished one is never repeated."""

    event = models.ForeignKey(
        IssueEvent, on_delete=models.CASCADE, related_name="notifications", verbose_name="流转记录"
    )
    kind = models.CharField("类型", max_length=10, choices=NotificationKind.choices)
    recipients = models.TextField("收件人", blank=True)
    claimed_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "期次通知"
        verbose_name_plural = "期次通知"
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="notification_once_per_step"),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.get_kind_display()}"
