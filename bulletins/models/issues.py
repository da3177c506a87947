"""Issues (期次) and their content: the sections, items and free blocks of the editors'
working copy, and the frozen versions that approvals bind to.

Status is written only by :func:`bulletins.workflow.issue_transition`; content only by
:mod:`bulletins.services`, which refuse to write unless the issue is in an editable status
(checked under a row lock).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..document import DEFAULT_SECTIONS, ISSUER


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
