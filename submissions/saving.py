"""The secretariat's save of a draft (保存 / 提交投稿): the text, the files, a Word document,
and the submit, as one write.

One transaction for the whole save:
- if the database goes away half-way (a restart), nothing of it remains, not a draft
  without its attachments nor attachments that a second try would add again;
- a second click on the same form (same token, or the same draft) waits until the first one
  has saved, stored its files and submitted, then finds it submitted. Without it the second
  could rewrite the draft between the first one's files and its submit (the photo went
  missing from the body) and fail.
The e-mails go after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from core.uploads import CheckedFile, UploadRejected

from . import services, workflow
from .models import Submission
from .services import DraftInput, ImportResult, NotEditable


@dataclass
class SaveOutcome:
    submission_id: int | None
    submission: Submission | None = None  # as stored (sanitised body, images added)
    already_submitted: bool = False  # a second click: the first one submitted it
    draft_errors: ValidationError | None = None  # the draft was not saved
    file_problems: list[str] = field(default_factory=list)  # files not stored, in Chinese
    imported: ImportResult | None = None  # a Word document replaced or extended the body
    submitted: bool = False
    submit_errors: ValidationError | None = None  # saved, but not complete enough to submit


def submission_save(
    *,
    actor,
    alliance,
    submission_id: int | None,
    client_token=None,
    data: DraftInput,
    attachments: list[CheckedFile] = (),
    images: list[CheckedFile] = (),
    docx: CheckedFile | None = None,
    file_problems: list[str] = (),
    submit: bool = False,
) -> SaveOutcome:
    """Save the draft (a new one when ``submission_id`` is None, found again by
    ``client_token`` on a second click), store its files and the body of a Word document,
    then submit it when ``submit`` and nothing went wrong (no file problem, no document
    imported: the secretariat checks an imported body first). Writes the submission, its
    files and versions; the submit queues its e-mails on commit. Nothing raises for what
    the secretariat can fix: the outcome says what happened."""
    try:
        with transaction.atomic():
            return _save(
                actor=actor,
                alliance=alliance,
                submission_id=submission_id,
                client_token=client_token,
                data=data,
                attachments=attachments,
                images=images,
                docx=docx,
                file_problems=list(file_problems),
                submit=submit,
            )
    except NotEditable:
        return _already_submitted(submission_id, client_token)


def _already_submitted(submission_id, client_token) -> SaveOutcome:
    if submission_id is None:
        submission_id = (
            Submission.objects.filter(client_token=client_token)
            .values_list("pk", flat=True)
            .first()
        )
    return SaveOutcome(submission_id=submission_id, already_submitted=True)


def _save(
    *,
    actor,
    alliance,
    submission_id,
    client_token,
    data,
    attachments,
    images,
    docx,
    file_problems,
    submit,
) -> SaveOutcome:
    try:
        submission, _created = services.draft_save(
            actor=actor,
            alliance=alliance,
            submission_id=submission_id,
            client_token=client_token,
            data=data,
        )
    except NotEditable:
        return _already_submitted(submission_id, client_token)
    except ValidationError as error:
        return SaveOutcome(submission_id=submission_id, draft_errors=error)

    problems = file_problems
    try:
        services.files_add(
            submission_id=submission.pk, attachments=attachments, images=images, actor=actor
        )
    except UploadRejected as error:
        problems.extend(error.messages)
    imported = None
    if docx is not None:
        try:
            imported = services.docx_import(submission_id=submission.pk, checked=docx, actor=actor)
        except UploadRejected as error:
            problems.extend(error.messages)
    submission.refresh_from_db()
    outcome = SaveOutcome(
        submission_id=submission.pk,
        submission=submission,
        file_problems=problems,
        imported=imported,
    )
    if submit and imported is None and not problems:
        try:
            workflow.submission_transition(
                submission_id=submission.pk, action=workflow.send_action(submission), actor=actor
            )
        except workflow.InvalidTransition:
            outcome.already_submitted = True
        except ValidationError as error:
            outcome.submit_errors = error
        else:
            outcome.submitted = True
    return outcome
