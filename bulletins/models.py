"""Issues (期次) of the bulletin: their sections, items and free blocks (the editors'
working copy), the frozen versions that approvals bind to, and the approval chain's
append-only record.

Status is written only by :func:`bulletins.workflow.issue_transition`; content only by
:mod:`bulletins.services`, which refuse to write unless the issue is in an editable status
(checked under a row lock).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .document import DEFAULT_SECTIONS, ISSUER


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "组版中"
    IN_REVIEW = "in_review", "待审核"
    RETURNED = "returned", "退回修改"
    AWAITING_SIGNATURE = "awaiting_signature", "待签发"
    SIGNED = "signed", "已签发"


# The statuses in which the editors may change the content.
EDITABLE_STATUSES = frozenset({IssueStatus.DRAFT, IssueStatus.RETURNED})


class IssueSource(models.TextChoices):
    SYSTEM = "system", "系统内编制"
    IMPORTED = "imported", "导入往期"


class Issue(models.Model):
    """One issue: 「2023年第1期（总第66期）」, dated 2023年3月20日."""

    volume_year = models.PositiveSmallIntegerField(
        "卷年", help_text="期号所属的年份，可与印发日期的年份不同（2023年第6期印于2024年1月）。"
    )
    number = models.PositiveSmallIntegerField("期号", help_text="本年第几期。")
    cumulative_number = models.PositiveIntegerField("总期号", help_text="自创刊以来的总第几期。")
    issued_on = models.DateField("印发日期")
    issuer = models.CharField("印发单位", max_length=60, default=ISSUER)
    status = models.CharField(
        "状态", max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    status_changed_at = models.DateTimeField("进入当前状态的时间", auto_now_add=True)
    # 1 = the original; 2, 3… = corrections (更正版) of a signed issue.
    edition = models.PositiveSmallIntegerField("版次", default=1)
    report_to = models.TextField("报", blank=True)
    send_to = models.TextField("送", blank=True)
    numbering_note = models.CharField(
        "期号说明",
        max_length=200,
        blank=True,
        help_text="期号不接续上一期时须说明理由（如补录旧期）。",
    )
    # The SHA-256 of the working copy's canonical content, kept current by every edit.
    content_sha256 = models.CharField("内容摘要", max_length=64, blank=True, editable=False)
    signed_version = models.ForeignKey(
        "IssueVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="已签发版本",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="edited_issues",
        blank=True,
        verbose_name="编辑过本期的人",
        help_text="不得由其中任何一人签发本期（编辑与签发分离）。",
    )
    # Made in the system, or imported from an old issue's text (bulletins.importer.save):
    # an import may replace an imported issue, never one made here.
    source = models.CharField(
        "来源", max_length=10, choices=IssueSource.choices, default=IssueSource.SYSTEM
    )
    imported_from = models.CharField("导入文件", max_length=200, blank=True)
    # The names printed in an imported issue's end matter (本期编辑/审核/签发): those people
    # are not users of the system, so no approval records them.
    printed_editor = models.CharField("原刊本期编辑", max_length=60, blank=True)
    printed_reviewer = models.CharField("原刊审核", max_length=60, blank=True)
    printed_signer = models.CharField("原刊签发", max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "期次"
        verbose_name_plural = "期次"
        ordering = ["-cumulative_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["volume_year", "number"], name="issue_one_per_year_and_number"
            ),
            models.UniqueConstraint(fields=["cumulative_number"], name="issue_one_per_cumulative"),
            models.CheckConstraint(
                condition=Q(status__in=IssueStatus.values), name="issue_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=99), name="issue_number_range"
            ),
            models.CheckConstraint(
                condition=Q(cumulative_number__gte=1), name="issue_cumulative_1"
            ),
            models.CheckConstraint(
                condition=Q(volume_year__gte=1990) & Q(volume_year__lte=2200),
                name="issue_volume_year_range",
            ),
            models.CheckConstraint(condition=Q(edition__gte=1), name="issue_edition_1"),
            models.CheckConstraint(
                condition=Q(source__in=IssueSource.values), name="issue_source_valid"
            ),
        ]

    def __str__(self):
        return self.issue_line

    @property
    def issue_line(self) -> str:
        return f"{self.volume_year}年第{self.number}期（总第{self.cumulative_number}期）"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_correction(self) -> bool:
        return self.edition > 1

    @property
    def edition_label(self) -> str:
        if self.edition == 1:
            return "原版"
        return "更正版" if self.edition == 2 else f"第{self.edition - 1}次更正版"


class Section(models.Model):
    """A section (栏目) of one issue, printed after 「➤」."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="sections", verbose_name="期次"
    )
    title = models.CharField("栏目名称", max_length=60)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "title"], name="section_title_once_per_issue"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_fixed(self) -> bool:
        return self.title in DEFAULT_SECTIONS


class ItemKind(models.TextChoices):
    SUBMISSION = "submission", "来自投稿"
    EDITORIAL = "editorial", "编辑撰写"


class Item(models.Model):
    """A news item (稿件) placed in a section. Its text is the editors' copy: the
    submission it came from keeps its original untouched."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="items", verbose_name="期次"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="items", verbose_name="栏目"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)
    kind = models.CharField("来源", max_length=12, choices=ItemKind.choices)
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bulletin_items",
        verbose_name="来源投稿",
    )
    alliance = models.ForeignKey(
        "alliances.Alliance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="供稿联盟",
    )
    title = models.CharField("标题", max_length=300)
    toc_title = models.CharField(
        "导读标题", max_length=120, blank=True, help_text="本期导读中用的短标题；留空则用标题。"
    )
    body_html = models.TextField("正文")
    attribution = models.CharField(
        "署名行",
        max_length=200,
        blank=True,
        help_text="留空则自动生成，如“（XX产业技术创新战略联盟秘书处供稿）”；"
        "编辑撰写的政策稿件可写信息来源。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["section__position", "position", "pk"]
        constraints = [
            # A submission is printed once: in one item of one issue.
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(submission__isnull=False),
                name="item_submission_placed_once",
            ),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.EDITORIAL, submission__isnull=True)
                | Q(kind=ItemKind.SUBMISSION, submission__isnull=False),
                name="item_kind_matches_submission",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def toc_label(self) -> str:
        return self.toc_title or self.title


class FreeBlockKind(models.TextChoices):
    THANKS = "thanks", "致谢"
    NOTE = "note", "说明"
    TABLE = "table", "表格"


class FreeBlock(models.Model):
    """A block printed after the sections: a 致谢, a note, a table."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="free_blocks", verbose_name="期次"
    )
    kind = models.CharField("类型", max_length=10, choices=FreeBlockKind.choices)
    title = models.CharField("标题", max_length=120)
    body_html = models.TextField("内容")
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "附加内容"
        verbose_name_plural = "附加内容"
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FreeBlockKind.values), name="freeblock_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title


class IssueVersion(models.Model):
    """A frozen snapshot of an issue's content: the canonical JSON of its IssueDocument
    and its SHA-256. Approvals bind to a version; nothing ever changes a version's content
    (only the preview fields filled in by the renderer)."""

    issue = models.ForeignKey(
        Issue, on_delete=models.PROTECT, related_name="versions", verbose_name="期次"
    )
    number = models.PositiveSmallIntegerField("版本号")
    edition = models.PositiveSmallIntegerField("版次", default=1)
    sha256 = models.CharField("内容摘要", max_length=64)
    document = models.JSONField("内容")
    # anchor -> submission id, for recording where each submission was printed.
    item_refs = models.JSONField("稿件来源", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="生成人"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    # Filled in from a preview render, once the renderer has run on this version.
    pages = models.PositiveSmallIntegerField("页数", null=True, blank=True)
    page_map = models.JSONField("页码表", null=True, blank=True)
    preview_pdf = models.FileField("预览PDF", upload_to="bulletins/previews/", blank=True)
    pdf_sha256 = models.CharField("PDF摘要", max_length=64, blank=True)

    class Meta:
        verbose_name = "期次版本"
        verbose_name_plural = "期次版本"
        ordering = ["issue", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="version_number_per_issue"),
            models.UniqueConstraint(fields=["issue", "sha256"], name="version_content_once"),
        ]

    def __str__(self):
        return f"{self.issue} v{self.number}"

    @property
    def label(self) -> str:
        return f"v{self.number}"

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]


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


class RenditionKind(models.TextChoices):
    PREVIEW = "preview", "送审稿"
    FINAL = "final", "正式版"


class RenditionStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RENDERING = "rendering", "生成中"
    DONE = "done", "已生成"
    FAILED = "failed", "失败"


class Rendition(models.Model):
    """The PDF of one frozen version, of one kind: the preview (marked 「送审稿」) of any
    version, the final (PDF/A-3b, unmarked) of the signed one. Written only by
    :mod:`bulletins.renditions`; one row per version and kind, rendered once."""

    version = models.ForeignKey(
        IssueVersion, on_delete=models.PROTECT, related_name="renditions", verbose_name="版本"
    )
    kind = models.CharField("类型", max_length=10, choices=RenditionKind.choices)
    status = models.CharField(
        "状态", max_length=10, choices=RenditionStatus.choices, default=RenditionStatus.QUEUED
    )
    reason = models.CharField("失败原因", max_length=500, blank=True)
    pdf = models.FileField("PDF", upload_to="bulletins/renditions/", blank=True)
    pages = models.PositiveSmallIntegerField("页数", null=True, blank=True)
    page_map = models.JSONField("页码表", default=dict, blank=True)
    sha256 = models.CharField("PDF摘要", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    queued_at = models.DateTimeField("排队时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "PDF版本"
        verbose_name_plural = "PDF版本"
        ordering = ["version", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="rendition_once_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=RenditionKind.values), name="rendition_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RenditionStatus.values), name="rendition_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RenditionStatus.FAILED) | ~Q(reason=""),
                name="rendition_failed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=RenditionStatus.DONE)
                | (Q(pages__isnull=False) & ~Q(pdf="") & ~Q(sha256="")),
                name="rendition_done_has_pdf",
            ),
        ]

    def __str__(self):
        return f"{self.version} {self.get_kind_display()}"

    @property
    def state_label(self) -> str:
        if self.status == RenditionStatus.DONE:
            return f"已生成（{self.pages}页）"
        if self.status == RenditionStatus.FAILED:
            return f"失败：{self.reason}"
        return self.get_status_display()

    @property
    def is_pending(self) -> bool:
        return self.status in {RenditionStatus.QUEUED, RenditionStatus.RENDERING}
