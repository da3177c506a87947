"""Distribution: the 报 and 送 lists, one delivery per recipient of each issue version,
the receipts (签收) and the archive of published issues.

The lists (``DistributionList`` → ``Organisation`` → ``Contact``) are versioned with
django-simple-history. A ``Dispatch`` is one issue version going out; its ``Delivery``
rows copy name, address and organisation from the lists when the dispatch is created, so
the record of whom an issue went to never changes when the lists do.

The issue models live in ``bulletins`` (built in parallel): this app refers to an issue and
its version by id only (``issue_id``, ``version_id``), see ``distribution.publication``.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords


def new_link_nonce() -> str:
    return secrets.token_urlsafe(12)


class ListKind(models.TextChoices):
    REPORT = "report", "报"
    SEND = "send", "送"


class DistributionList(models.Model):
    """The 报 (report-to) or the 送 (send-to) list; printed in the end matter."""

    kind = models.CharField("名单", max_length=10, choices=ListKind.choices, unique=True)
    title = models.CharField("名称", max_length=40, help_text="如“报送单位”。")
    printed_suffix = models.CharField(
        "印刷后缀",
        max_length=40,
        blank=True,
        help_text="印在单位名称之后的文字，如报送名单的“相关司局及部门”。",
    )
    history = HistoricalRecords(
        verbose_name="分发名单修改记录", verbose_name_plural="分发名单修改记录"
    )

    class Meta:
        verbose_name = "分发名单"
        verbose_name_plural = "分发名单"
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ListKind.values), name="distlist_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class Organisation(models.Model):
    """A ministry, an alliance group or a local department on one list, in printed order."""

    distribution_list = models.ForeignKey(
        DistributionList,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name="名单",
    )
    name = models.CharField("单位", max_length=60, help_text="按印刷写法，如“发展改革委”。")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("在列", default=True)
    history = HistoricalRecords(
        verbose_name="分发单位修改记录", verbose_name_plural="分发单位修改记录"
    )

    class Meta:
        verbose_name = "分发单位"
        verbose_name_plural = "分发单位"
        ordering = ["distribution_list", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution_list", "name"], name="organisation_once_per_list"
            ),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person at an organisation who receives the bulletin by e-mail."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts", verbose_name="单位"
    )
    name = models.CharField("姓名", max_length=50)
    # Normalised by ``distribution.addresses.normalise_email`` in the service that writes,
    # kept as entered otherwise; its identity ignores case (``addresses.address_key``).
    email = models.EmailField("电子邮箱", max_length=254)
    is_active = models.BooleanField("接收简报", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="联系人修改记录", verbose_name_plural="联系人修改记录")

    class Meta:
        verbose_name = "联系人"
        verbose_name_plural = "联系人"
        ordering = ["organisation", "name", "pk"]
        constraints = [
            # One mailbox once per organisation, whatever the case of its letters
            # (``Zhang@x.cn`` and ``zhang@x.cn`` are one mailbox): the same identity as
            # ``addresses.address_key``. Functional unique constraints work on SQLite and
            # PostgreSQL alike.
            models.UniqueConstraint(
                "organisation", Lower("email"), name="contact_mailbox_once_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class ContactImport(models.Model):
    """One upload of a contact sheet and what became of each row (kept for the report)."""

    filename = models.CharField("文件名", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="导入人"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    created_count = models.PositiveIntegerField("新增联系人", default=0)
    # [{"row": 7, "values": {...}, "reasons": ["…"]}]: what was refused and why, in Chinese.
    rejected = models.JSONField("未导入的行", default=list)

    class Meta:
        verbose_name = "联系人导入记录"
        verbose_name_plural = "联系人导入记录"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} @ {self.created_at:%Y-%m-%d %H:%M}"


class DispatchKind(models.TextChoices):
    ISSUE = "issue", "印发"
    CORRECTION = "correction", "更正通知"


class Dispatch(models.Model):
    """One signed, rendered version of an issue going out to its recipients.

    Everything the e-mails and the download page need is copied here when the dispatch is
    created, so the tasks need nothing but ids.
    """

    public_id = models.UUIDField("公开编号", default=uuid.uuid4, unique=True, editable=False)
    issue_id = models.PositiveIntegerField("期次编号", db_index=True)
    version_id = models.PositiveIntegerField("版本编号", unique=True)
    edition = models.PositiveSmallIntegerField("版次", default=1)
    kind = models.CharField("类型", max_length=12, choices=DispatchKind.choices)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="更正的分发",
    )
    issue_line = models.CharField("期号", max_length=60)  # 「2023年第1期（总第66期）」
    issued_on = models.DateField("印发日期")
    subject = models.CharField("邮件主题", max_length=200)
    toc = models.JSONField("本期导读", default=list)  # [{"title": 栏目, "items": [标题…]}]
    correction_note = models.TextField("更正说明", blank=True)
    pdf_name = models.CharField("PDF文件", max_length=300)  # a name in default storage
    pdf_sha256 = models.CharField("PDF摘要", max_length=64)
    pdf_size = models.PositiveIntegerField("PDF大小", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    fanned_out_at = models.DateTimeField("最近一次排队时间", null=True, blank=True)

    class Meta:
        verbose_name = "分发批次"
        verbose_name_plural = "分发批次"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DispatchKind.values), name="dispatch_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=DispatchKind.ISSUE, corrects__isnull=True)
                | Q(kind=DispatchKind.CORRECTION, corrects__isnull=False),
                name="dispatch_correction_has_original",
            ),
        ]

    def __str__(self):
        return f"{self.issue_line} {self.get_kind_display()}"

    @property
    def is_correction(self) -> bool:
        return self.kind == DispatchKind.CORRECTION

    @property
    def pdf_filename(self) -> str:
        """The name the recipient's browser saves the PDF under."""
        label = "更正版" if self.is_correction else ""
        return f"联盟试点工作简报{self.issue_line}{label}.pdf"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


OPEN_DELIVERY_STATUSES = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)


class Delivery(models.Model):
    """One e-mail of one dispatch to one address, with its personal download link.

    Status is written only by ``distribution.delivery.delivery_transition``.
    """

    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.PROTECT, related_name="deliveries", verbose_name="分发批次"
    )
    public_id = models.UUIDField("公开编号", default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name="联系人",
    )
    # The snapshot of the recipient at the time of the dispatch.
    list_kind = models.CharField("名单", max_length=10, choices=ListKind.choices)
    organisation_name = models.CharField("单位", max_length=60)
    organisation_position = models.PositiveSmallIntegerField("名单顺序", default=0)
    name = models.CharField("姓名", max_length=50)
    email = models.EmailField("电子邮箱", max_length=254)
    status = models.CharField(
        "状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    status_changed_at = models.DateTimeField("状态时间", auto_now_add=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    # When the next attempt is due; the sweeper re-queues a queued row long past it (its
    # message was lost).
    next_attempt_at = models.DateTimeField("下次发送时间", null=True, blank=True)
    last_error = models.CharField("失败原因", max_length=500, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    link_nonce = models.CharField("链接随机码", max_length=32, default=new_link_nonce)
    link_revoked_at = models.DateTimeField("链接撤销时间", null=True, blank=True)
    first_downloaded_at = models.DateTimeField("签收时间", null=True, blank=True)
    last_downloaded_at = models.DateTimeField("最近下载时间", null=True, blank=True)
    download_count = models.PositiveIntegerField("下载次数", default=0)

    class Meta:
        verbose_name = "投递"
        verbose_name_plural = "投递"
        ordering = ["dispatch", "list_kind", "organisation_position", "name", "pk"]
        constraints = [
            # The same address never gets the same issue version twice from the job.
            models.UniqueConstraint(fields=["dispatch", "email"], name="delivery_once_per_email"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(list_kind__in=ListKind.values), name="delivery_list_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["dispatch", "status"], name="delivery_dispatch_status")]

    def __str__(self):
        return f"{self.dispatch} → {self.email}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DELIVERY_STATUSES


class DeliveryEvent(models.Model):
    """Append-only log of one delivery: queued, sent, failed with the reason, resent…"""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="events", verbose_name="投递"
    )
    action = models.CharField("动作", max_length=20)
    from_status = models.CharField("原状态", max_length=10, blank=True)
    to_status = models.CharField("新状态", max_length=10, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "投递记录"
        verbose_name_plural = "投递记录"
        ordering = ["delivery", "created_at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} {self.action} {self.created_at:%Y-%m-%d %H:%M:%S}"


class ArchiveEntry(models.Model):
    """A published issue in the archive: its latest edition, its content (for the web
    edition), its PDF and the jieba-segmented text that the full-text search runs on."""

    issue_id = models.PositiveIntegerField("期次编号", unique=True)
    version_id = models.PositiveIntegerField("版本编号")
    edition = models.PositiveSmallIntegerField("版次", default=1)
    volume_year = models.PositiveSmallIntegerField("卷年")
    number = models.PositiveSmallIntegerField("期号")
    cumulative_number = models.PositiveIntegerField("总期号")
    issue_line = models.CharField("期号", max_length=60)
    issued_on = models.DateField("印发日期")
    # The IssueDocument as plain data; the web edition is rendered from it on request.
    document = models.JSONField("内容")
    pdf_name = models.CharField("PDF文件", max_length=300)
    pdf_sha256 = models.CharField("PDF摘要", max_length=64)
    # 「 科技 科技部 部署 … 」: jieba terms separated (and surrounded) by single spaces.
    search_text = models.TextField("检索词", blank=True)
    published_at = models.DateTimeField("归档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "往期简报"
        verbose_name_plural = "往期简报"
        ordering = ["-volume_year", "-number"]
        indexes = [models.Index(fields=["volume_year", "number"], name="archive_year_number")]
        # On PostgreSQL migration 0002 adds a GIN index on to_tsvector('simple', search_text).

    def __str__(self):
        return self.issue_line

    @property
    def is_corrected(self) -> bool:
        return self.edition > 1
