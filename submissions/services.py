"""Every write to submissions except their status (that is ``workflow.submission_transition``).

Functions are keyword-only, take the acting user as ``actor``, sanitise every HTML they
store (``submissions.bodies`` around ``core.sanitise``) and raise
``ValidationError`` with Chinese messages.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.permissions import can
from core import text as textlib
from core.sanitise import clean_body
from core.text import html_to_text
from core.uploads import CheckedFile, UploadRejected

from . import duplicates, workflow
from .bodies import for_storage, own_images
from .docx import convert_docx
from .models import (
    CallForSubmissions,
    DuplicateWarning,
    Section,
    Submission,
    SubmissionEvent,
    SubmissionFile,
    SubmissionVersion,
)
from .permissions import is_secretariat_of

EDITABLE_BY_SECRETARIAT = Submission.EDITABLE_BY_SECRETARIAT
MAX_FILES_PER_SUBMISSION = 20  # attachments and pictures, the .docx source not counted


class NotEditable(ValidationError):
    """The submission has moved on (e.g. it was submitted by a first click)."""


# --- text -------------------------------------------------------------------------------


def _write_text(submission: Submission, *, title: str, body_html: str) -> list[str]:
    """Set title and sanitised body with the search text and fingerprint derived from them;
    returns the fields changed (for ``update_fields``)."""
    submission.title = " ".join(textlib.visible_text(title).split())[:200]
    submission.body_html = for_storage(body_html, images=own_images(submission.pk))
    plain = html_to_text(submission.body_html)
    submission.search_text = f"{submission.title}\n{plain}".lower()
    submission.fingerprint = textlib.sketch_dump(textlib.sketch(plain)) if plain else ""
    return ["title", "body_html", "search_text", "fingerprint"]


def submission_check_complete(submission: Submission) -> None:
    """Raise ValidationError unless the submission can be sent (title and body present)."""
    errors = {}
    if not submission.title.strip():
        errors["title"] = "请填写标题。"
    if not html_to_text(submission.body_html).strip():
        errors["body_html"] = "正文不能为空：请在编辑器中输入正文，或上传 Word 文档导入正文。"
    if errors:
        raise ValidationError(errors)


@dataclass
class DraftInput:
    title: str = ""
    body_html: str = ""
    suggested_section: str = Section.ALLIANCES
    contact_name: str = ""
    contact_phone: str = ""
    call_id: int | None = None


def _check_call(call_id):
    if call_id is None:
        return None
    call = CallForSubmissions.objects.filter(pk=call_id, closed_at__isnull=True).first()
    if call is None:
        raise ValidationError({"call": "所选征稿已关闭或不存在，请重新选择。"})
    return call


def draft_save(
    *,
    actor,
    alliance=None,
    submission_id: int | None = None,
    client_token: uuid.UUID | None = None,
    data: DraftInput,
) -> tuple[Submission, bool]:
    """Create (``alliance`` + ``client_token``) or update (``submission_id``) a draft.

    A second request with the same ``client_token`` (a double click) updates the draft the
    first one created instead of creating another. Raises ``NotEditable`` when the
    submission is no longer a draft or returned for revision, ``PermissionDenied`` when the
    actor is not of its secretariat. Returns ``(submission, created)``.
    """
    if data.suggested_section not in Section.values:
        raise ValidationError({"suggested_section": "请选择建议栏目。"})
    call = _check_call(data.call_id)
    with transaction.atomic():
        created = False
        if submission_id is None and client_token is not None:
            existing = Submission.objects.filter(client_token=client_token).first()
            submission_id = existing.pk if existing else None
        if submission_id is None:
            if alliance is None or not can(actor, "submission.create", alliance):
                raise PermissionDenied
            submission = Submission(
                alliance=alliance, submitted_by=actor, client_token=client_token
            )
            created = True
        else:
            submission = Submission.objects.select_for_update().get(pk=submission_id)
            if not can(actor, "submission.view", submission):
                raise PermissionDenied
            if submission.status not in EDITABLE_BY_SECRETARIAT:
                raise NotEditable(
                    f"该稿件已是“{submission.get_status_display()}”状态，不能再修改。",
                    code="not_editable",
                )
            if not can(actor, "submission.edit_draft", submission):
                raise PermissionDenied
        fields = _write_text(submission, title=data.title, body_html=data.body_html)
        submission.suggested_section = data.suggested_section
        submission.contact_name = data.contact_name.strip()[:50]
        submission.contact_phone = data.contact_phone.strip()[:40]
        submission.call = call
        if created:
            try:
                with transaction.atomic():
                    submission.save()
            except IntegrityError:
                # A concurrent request with the same token won the race: update that one.
                return draft_save(actor=actor, client_token=client_token, data=data)
            SubmissionEvent.objects.create(
                submission=submission,
                action="create",
                to_status=submission.status,
                actor=actor,
                actor_label=actor.display_name,
            )
        else:
            submission.save(
                update_fields=[
                    *fields,
                    "suggested_section",
                    "contact_name",
                    "contact_phone",
                    "call",
                    "updated_at",
                ]
            )
    return submission, created


def draft_delete(*, submission_id: int, actor) -> str:
    """Delete a draft of the actor's own alliance with its events and uploaded files (the
    stored files after commit: a rolled-back delete keeps them). Returns its title. Raises
    ``PermissionDenied`` for anyone else and ``NotEditable`` once it has been submitted."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if not is_secretariat_of(actor, submission.alliance_id):
            raise PermissionDenied
        if submission.status != Submission.Status.DRAFT:
            raise NotEditable(
                f"该稿件已是“{submission.get_status_display()}”状态，不能删除"
                "（已提交、尚未经编辑处理的投稿可以撤回）。",
                code="not_draft",
            )
        names = [n for n in submission.files.values_list("file", flat=True) if n]
        title = submission.display_title
        submission.delete()
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names], robust=True)
    return title


# --- files ------------------------------------------------------------------------------


def _live_file_count(submission: Submission) -> int:
    return submission.files.filter(removed_at__isnull=True).exclude(kind="source").count()


_written: ContextVar[list[str] | None] = ContextVar("submission_files_written", default=None)


@contextmanager
def _no_files_left_on_error():
    """Files stored inside the block are deleted again when it raises: the transaction
    rolls their rows back, and nothing of a refused upload may stay in MEDIA_ROOT."""
    written: list[str] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    finally:
        _written.reset(token)


def file_store(*, submission: Submission, checked: CheckedFile, kind: str, actor) -> SubmissionFile:
    """Store one checked file with the submission (private media). Raises UploadRejected
    when the submission already has the maximum number of files."""
    if kind != SubmissionFile.Kind.SOURCE and _live_file_count(submission) >= (
        MAX_FILES_PER_SUBMISSION
    ):
        raise UploadRejected(
            f"每篇稿件最多 {MAX_FILES_PER_SUBMISSION} 个附件和图片，"
            f"“{checked.original_name}”未保存。"
        )
    row = SubmissionFile(
        submission=submission,
        kind=kind,
        original_name=checked.original_name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    row.file.save(f"upload.{checked.extension}", ContentFile(checked.data), save=False)
    written = _written.get()
    if written is not None:
        written.append(row.file.name)
    row.save()
    return row


def files_add(*, submission_id: int, attachments=(), images=(), actor) -> list[SubmissionFile]:
    """Store checked attachments and inline images; images are appended to the body (the
    secretariat can move them in the editor). Only while the secretariat may edit."""
    with _no_files_left_on_error(), transaction.atomic():
        submission = _lock_editable(submission_id, actor)
        stored = [
            file_store(submission=submission, checked=c, kind="attachment", actor=actor)
            for c in attachments
        ]
        if images:
            body = submission.body_html
            for checked in images:
                row = file_store(submission=submission, checked=checked, kind="image", actor=actor)
                stored.append(row)
                # A media path: what the renderer prints; pages show it through a view.
                body += f'<p><img src="{row.file.name}" alt=""></p>'
            fields = _write_text(submission, title=submission.title, body_html=body)
            submission.save(update_fields=[*fields, "updated_at"])
    return stored


def file_remove(*, submission_id: int, file_id: int, actor) -> None:
    """Take an attachment off a draft (the stored file stays until the draft is deleted:
    a removed file may be referenced by an earlier version)."""
    with transaction.atomic():
        submission = _lock_editable(submission_id, actor)
        updated = submission.files.filter(pk=file_id, removed_at__isnull=True).update(
            removed_at=timezone.now()
        )
        if not updated:
            raise ValidationError("该附件不存在或已移除。")


def _lock_editable(submission_id: int, actor) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if not can(actor, "submission.view", submission):
        raise PermissionDenied
    if submission.status not in EDITABLE_BY_SECRETARIAT:
        raise NotEditable(
            f"该稿件已是“{submission.get_status_display()}”状态，不能再修改。", code="not_editable"
        )
    if not can(actor, "submission.edit_draft", submission):
        raise PermissionDenied
    return submission


@dataclass
class ImportResult:
    title_taken: bool = False
    appended: bool = False
    notes: list[str] = field(default_factory=list)


def docx_import(*, submission_id: int, checked: CheckedFile, actor) -> ImportResult:
    """Convert a checked .docx into the draft's body for the secretariat to check.

    The body is replaced when empty; otherwise the document's text is appended so nothing
    typed is lost. An empty title is taken from the document's title/first heading. The
    .docx itself is kept with the draft (kind ``source``). Raises UploadRejected (and then
    leaves no file behind).
    """
    with _no_files_left_on_error(), transaction.atomic():
        submission = _lock_editable(submission_id, actor)
        file_store(submission=submission, checked=checked, kind="source", actor=actor)

        def save_image(data: bytes, ext: str) -> str:
            image = CheckedFile(
                original_name=f"Word图片.{ext}",
                extension=ext,
                content_type="image/png" if ext == "png" else "image/jpeg",
                data=data,
            )
            row = file_store(submission=submission, checked=image, kind="image", actor=actor)
            return row.file.name

        converted = convert_docx(checked.data, save_image=save_image)
        if not html_to_text(converted.body_html) and "<img" not in converted.body_html:
            raise UploadRejected(f"“{checked.original_name}”中没有可导入的正文。")
        result = ImportResult(notes=converted.notes)
        title = submission.title
        if not title.strip() and converted.title:
            title, result.title_taken = converted.title, True
        body = converted.body_html
        if html_to_text(submission.body_html).strip():
            body = submission.body_html + converted.body_html
            result.appended = True
        fields = _write_text(submission, title=title, body_html=body)
        submission.save(update_fields=[*fields, "updated_at"])
    return result


# --- versions, editing, printing --------------------------------------------------------


def version_snapshot(*, submission: Submission, kind: str, actor, note: str = ""):
    """Append the submission's current text as a new immutable version."""
    last = submission.versions.aggregate(n=Max("number"))["n"] or 0
    return SubmissionVersion.objects.create(
        submission=submission,
        number=last + 1,
        kind=kind,
        title=submission.title,
        body_html=clean_body(submission.body_html),
        created_by=actor,
        note=note[:200],
    )


def editor_edit(*, submission_id: int, title: str, body_html: str, actor, note: str = ""):
    """An editor's revision of a submitted text: becomes the current text and a new
    ``edited`` version; the submitted original stays untouched in its own version."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if not can(actor, "submission.revise", submission):
            raise PermissionDenied
        before = (submission.title, submission.body_html)
        fields = _write_text(submission, title=title, body_html=body_html)
        submission_check_complete(submission)
        if (submission.title, submission.body_html) == before:
            return submission, None
        submission.save(update_fields=[*fields, "updated_at"])
        version = version_snapshot(
            submission=submission, kind="edited", actor=actor, note=note or "编辑加工"
        )
        SubmissionEvent.objects.create(
            submission=submission,
            action="edit",
            from_status=submission.status,
            to_status=submission.status,
            actor=actor,
            actor_label=actor.display_name,
            comment=note,
        )
    return submission, version


def printed_version_record(
    *,
    submission_id: int,
    title: str,
    body_html: str,
    issue_label: str,
    issue_ref: int | None = None,
    page: int | None = None,
    actor=None,
) -> SubmissionVersion:
    """Record the text as printed in an issue, and where (called by the issue side when the
    issue is published; ``actor`` may be None for the system). Idempotent: recording the
    same text for the same issue again returns the existing version."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        cleaned = clean_body(body_html)
        last = submission.versions.filter(kind="printed").order_by("-number").first()
        if (
            last is not None
            and last.title == title
            and last.body_html == cleaned
            and submission.printed_issue_label == issue_label
            and submission.printed_page == page
        ):
            return last
        submission.printed_issue_label = issue_label[:60]
        submission.printed_issue_ref = issue_ref
        submission.printed_page = page
        submission.save(
            update_fields=["printed_issue_label", "printed_issue_ref", "printed_page", "updated_at"]
        )
        number = (submission.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return SubmissionVersion.objects.create(
            submission=submission,
            number=number,
            kind="printed",
            title=title[:200],
            body_html=cleaned,
            created_by=actor,
            note=f"刊于{issue_label}" + (f"第{page}页" if page else ""),
        )


def submission_publish_elsewhere(
    *, submission_id: int, issue_label: str, page: int | None = None, actor
) -> Submission:
    """Mark an accepted submission published in an issue made outside the system, named by
    the editor (``issue_label`` such as 「2023年第3期」): its current text is recorded as
    printed there, then the workflow's ``publish`` queues the e-mail naming that issue.
    Raises what ``workflow.check_move`` raises, and ValidationError for an empty label."""
    issue_label = issue_label.strip()
    if not issue_label:
        raise ValidationError({"issue_label": "请注明刊发的期次。"})
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        workflow.check_move(submission, "publish", actor)
        printed_version_record(
            submission_id=submission.pk,
            title=submission.title,
            body_html=submission.body_html,
            issue_label=issue_label,
            page=page,
            actor=actor,
        )
        return workflow.submission_transition(
            submission_id=submission.pk,
            action="publish",
            actor=actor,
            comment=f"刊于{issue_label}"
            + (f"第{page}页" if page else "")
            + "（系统外印发，人工登记）",
        )


def duplicates_refresh(*, submission: Submission) -> list[DuplicateWarning]:
    """Recompute the duplicate warnings of a submission (called on submit)."""
    submission.duplicate_warnings.all().delete()
    plain = html_to_text(submission.body_html)
    sketch = textlib.sketch_load(submission.fingerprint)
    if not sketch:
        return []
    matches = duplicates.find_matches(submission, f"{submission.title}\n{plain}".lower(), sketch)
    return DuplicateWarning.objects.bulk_create(
        DuplicateWarning(
            submission=submission,
            other_id=m.candidate.submission_id,
            other_label=m.candidate.label[:300],
            other_url=m.candidate.url[:300],
            score=round(m.score, 3),
        )
        for m in matches
    )
