"""The PDFs of frozen versions (written by :mod:`bulletins.renditions`)."""

from django.db import models
from django.db.models import Q

from .issues import IssueVersion


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
