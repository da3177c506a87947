"""投稿: what secretariats send, its versions, the editors' decisions on it, and the calls
for submissions (征稿) that ask for it.

A submission's ``status`` is written only by
:func:`submissions.workflow.submission_transition`; its text is written only by
:mod:`submissions.services`. Every text that was ever sent, edited or
printed is kept as an immutable :class:`SubmissionVersion`; every status change is an
append-only :class:`SubmissionEvent`.
"""

import uuid

from django.conf import settings
from django.db import models

from core.bulletin import DEFAULT_SECTIONS


class Section(models.TextChoices):
    """The three fixed sections of the bulletin (``core.bulletin.DEFAULT_SECTIONS``)."""

    POLICY = DEFAULT_SECTIONS[0], DEFAULT_SECTIONS[0]
    NETWORK = DEFAULT_SECTIONS[1], DEFAULT_SECTIONS[1]
    ALLIANCES = DEFAULT_SECTIONS[2], DEFAULT_SECTIONS[2]


class CallForSubmissions(models.Model):
    """征稿: the editors ask the alliances for news for an upcoming issue, by a deadline."""

    title = models.CharField("征稿标题", max_length=200)
    issue_label = models.CharField(
        "拟用期次", max_length=60, blank=True, help_text="如“2026年第2期”。"
    )
    description = models.TextField("征稿说明", blank=True)
    deadline = models.DateField("截止日期")
    remind_days_before = models.PositiveSmallIntegerField(
        "提前提醒天数", default=3, help_text="截止日期前几天给尚未投稿的联盟发提醒邮件。"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "征稿"
        verbose_name_plural = "征稿"
        ordering = ["-deadline", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remind_days_before__lte=60), name="call_remind_days_sane"
            ),
        ]

    def __str__(self):
        return self.title


class CallReminder(models.Model):
    """One reminder e-mail per call per alliance: the row is claimed before sending and
    ``sent_at`` is set after, so a crashed run resends but a finished one never does."""

    call = models.ForeignKey(
        CallForSubmissions, on_delete=models.CASCADE, related_name="reminders", verbose_name="征稿"
    )
    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="+", verbose_name="联盟"
    )
    recipients = models.TextField("收件人", blank=True)
    claimed_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "征稿提醒"
        verbose_name_plural = "征稿提醒"
        constraints = [
            models.UniqueConstraint(fields=["call", "alliance"], name="reminder_once_per_call")
        ]

    def __str__(self):
        return f"{self.call} → {self.alliance}"


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已投稿"
        REVISION_REQUESTED = "revision_requested", "退回修改"
        ACCEPTED = "accepted", "已采用"
        DECLINED = "declined", "未采用"
        PUBLISHED = "published", "已刊发"
        WITHDRAWN = "withdrawn", "已撤回"

    # Who may change the text in which status: the secretariat before and after a return,
    # editors (as new versions, the original kept) once it is in the office's hands.
    EDITABLE_BY_SECRETARIAT = frozenset({Status.DRAFT, Status.REVISION_REQUESTED})
    REVISABLE_BY_EDITOR = frozenset({Status.SUBMITTED, Status.ACCEPTED})
    # Not in the office's hands: a draft not yet sent, a submission its alliance withdrew
    # (kept for the record). Neither is in the inbox, its counts or a call's replies.
    NOT_SENT = frozenset({Status.DRAFT, Status.WITHDRAWN})

    alliance = models.ForeignKey(
        "alliances.Alliance",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="联盟",
    )
    call = models.ForeignKey(
        CallForSubmissions,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="响应的征稿",
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The current text: what the secretariat is editing (draft / revision) or what the
    # editors last edited. Every submitted or edited text is also a SubmissionVersion.
    title = models.CharField("标题", max_length=200, blank=True)
    suggested_section = models.CharField(
        "建议栏目", max_length=30, choices=Section.choices, default=Section.ALLIANCES
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="投稿人",
    )
    # The token of the form that created the draft: a double click creates one draft.
    client_token = models.UUIDField("表单令牌", null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("投稿时间", null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    # Where it was printed; written by ``services.printed_version_record`` from the issue side.
    printed_issue_label = models.CharField("刊发期次", max_length=60, blank=True)
    printed_issue_ref = models.PositiveIntegerField("刊发期次编号", null=True, blank=True)
    printed_page = models.PositiveSmallIntegerField("刊发页码", null=True, blank=True)
    # Plain text of title and body for the keyword search (written with the text).
    search_text = models.TextField("检索文本", blank=True, editable=False)
    # A bottom-k sketch of the text's jieba term shingles, for the duplicate check.
    fingerprint = models.TextField("文本指纹", blank=True, editable=False)
    body_html = models.TextField("正文", blank=True)

    class Meta:
        verbose_name = "投稿"
        verbose_name_plural = "投稿"
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # Covers the inbox's default order and its "not a draft" test, so a deep page
            # walks the index alone.
            models.Index(fields=["-submitted_at", "-id", "status"], name="submission_inbox_cover"),
            models.Index(fields=["alliance", "status"], name="submission_alliance_status"),
            models.Index(fields=["call", "alliance"], name="submission_call_alliance"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "revision_requested",
                        "accepted",
                        "declined",
                        "published",
                        "withdrawn",
                    ]
                ),
                name="submission_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(suggested_section__in=DEFAULT_SECTIONS),
                name="submission_section_valid",
            ),
            # Anything past the draft has been submitted at some moment.
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="submission_submitted_at_set",
            ),
        ]

    def __str__(self):
        return self.title or "（无标题草稿）"

    @property
    def display_title(self) -> str:
        return self.title or "（无标题草稿）"


class SubmissionVersion(models.Model):
    """An immutable snapshot of a submission's text.

    ``submitted``: what the secretariat sent (each submit and resubmit);
    ``edited``: an editor's revision (the submitted original stays as it was);
    ``printed``: the text as it appeared in the published issue (recorded by the issue side).
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "投稿原文"
        EDITED = "edited", "编辑修改稿"
        PRINTED = "printed", "刊发稿"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions", verbose_name="投稿"
    )
    number = models.PositiveIntegerField("版本号")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body_html = models.TextField("正文")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "投稿版本"
        verbose_name_plural = "投稿版本"
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["submitted", "edited", "printed"]),
                name="version_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.submission} · 第{self.number}版（{self.get_kind_display()}）"


class SubmissionEvent(models.Model):
    """Append-only log of what happened to a submission (written by ``workflow`` and the
    services in the same transaction as the change)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name="投稿"
    )
    action = models.CharField("操作", max_length=30)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人名称", max_length=100, blank=True)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "投稿处理记录"
        verbose_name_plural = "投稿处理记录"
        ordering = ["submission", "created_at", "pk"]

    def __str__(self):
        return f"{self.submission} · {self.action}"

    def save(self, *args, **kwargs):
        # Append-only: a row, once written, is never changed.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("SubmissionEvent rows are append-only")
        super().save(*args, **kwargs)


class EventNotification(models.Model):
    """The e-mail about an event has gone out (so the task and the sweeper send it once)."""

    event = models.OneToOneField(
        SubmissionEvent, on_delete=models.CASCADE, related_name="notification"
    )
    recipients = models.TextField("收件人", blank=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "处理通知邮件"
        verbose_name_plural = "处理通知邮件"

    def __str__(self):
        return f"{self.event} → {self.recipients}"


def _file_path(instance, filename):
    # Never the user's file name: a random name, the extension we decided on.
    return f"submissions/{instance.submission.alliance_id}/{uuid.uuid4().hex}.{instance.extension}"


class SubmissionFile(models.Model):
    """An attachment or inline image, checked by content and stored under MEDIA_ROOT
    (never served by the web server; see ``views.file_download``)."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", "附件"
        IMAGE = "image", "正文图片"
        SOURCE = "source", "Word 原稿"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name="投稿"
    )
    kind = models.CharField("用途", max_length=12, choices=Kind.choices)
    file = models.FileField("文件", upload_to=_file_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=200)
    extension = models.CharField("类型", max_length=8)
    content_type = models.CharField("MIME 类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上传人",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    class Meta:
        verbose_name = "投稿文件"
        verbose_name_plural = "投稿文件"
        ordering = ["submission", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["attachment", "image", "source"]),
                name="submissionfile_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(extension__in=["pdf", "docx", "xlsx", "jpg", "png"]),
                name="submissionfile_extension_valid",
            ),
        ]

    def __str__(self):
        return self.original_name


class DuplicateWarning(models.Model):
    """“This looks like …”: computed when a submission is submitted, shown to the editors.

    ``other`` is a submission; a match against something else (a published item) leaves
    it empty and fills ``other_label``/``other_url`` (see ``duplicates.register_source``).
    """

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="duplicate_warnings"
    )
    other = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_label = models.CharField("相似稿件", max_length=300, blank=True)
    other_url = models.CharField("链接", max_length=300, blank=True)
    score = models.FloatField("相似度")
    created_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "疑似重复稿件"
        verbose_name_plural = "疑似重复稿件"
        ordering = ["-score"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=1),
                name="duplicate_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.submission} ≈ {self.other_label}（{self.score:.0%}）"
