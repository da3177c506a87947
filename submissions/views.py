"""Thin views: parse with a form, fetch with an ``access_*``/selector, call a service.

Every page, fragment and file of a submission is fetched through
``selectors.access_submission``: another alliance's submission answers 404.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can
from alliances.models import Alliance
from core.sanitise import media_path_from_url
from core.views import errors_to_form

from . import bodies, confirm_views, saving, selectors, services, workflow
from .bodies import for_display
from .filters import InboxFilter
from .forms import DecisionForm, EditorEditForm, SubmissionForm, open_call_choices
from .models import Submission, SubmissionFile
from .permissions import secretariat_alliance_ids

S = Submission.Status


def _my_alliances(user):
    alliances = list(Alliance.objects.filter(pk__in=secretariat_alliance_ids(user)).order_by("pk"))
    if not alliances:
        raise Http404
    return alliances


# --- the secretariat --------------------------------------------------------------------


@login_required
def my_submissions(request):
    _my_alliances(request.user)
    queryset = selectors.my_submissions(request.user)
    status = request.GET.get("status")
    if status in S.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    counts = selectors.secretariat_counts(request.user)
    return render(
        request,
        "submissions/mine.html",
        {
            "page": page,
            "counts": [(value, label, counts[value]) for value, label in S.choices],
            "total": sum(counts.values()),
            "current_status": status,
            "open_calls": list(selectors.open_calls()),
        },
    )


@login_required
def submission_new(request):
    alliances = _my_alliances(request.user)
    calls = open_call_choices()
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, alliances=alliances, calls=calls)
        return _save(request, form, alliances=alliances, submission=None)
    call_id = request.GET.get("call")
    form = SubmissionForm(
        initial={
            "form_token": uuid.uuid4(),
            "alliance": alliances[0].pk,
            "call": call_id if call_id and call_id.isdigit() else "",
            "contact_name": request.user.full_name,
            "contact_phone": request.user.phone,
        },
        alliances=alliances,
        calls=calls,
    )
    return render(request, "submissions/edit.html", {"form": form, "submission": None})


@login_required
def submission_edit(request, submission_id):
    submission = selectors.access_submission(request.user, submission_id)
    if not can(request.user, "submission.edit_draft", submission):
        if can(request.user, "submission.revise", submission):
            return redirect("submissions:revise", submission_id=submission.pk)
        messages.info(request, f"该稿件当前为“{submission.get_status_display()}”，不能修改。")
        return redirect("submissions:detail", submission_id=submission.pk)
    alliances = [submission.alliance]
    calls = open_call_choices()
    if submission.call and submission.call not in calls:
        calls.append(submission.call)
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, alliances=alliances, calls=calls)
        return _save(request, form, alliances=alliances, submission=submission)
    form = SubmissionForm(
        initial={
            "alliance": submission.alliance_id,
            "title": submission.title,
            "body_html": for_display(submission.body_html, submission.pk),
            "contact_name": submission.contact_name,
            "contact_phone": submission.contact_phone,
            "suggested_section": submission.suggested_section,
            "call": submission.call_id or "",
        },
        alliances=alliances,
        calls=calls,
    )
    return _render_form(request, form, submission)


def _render_form(request, form, submission, *, status=200):
    context = {"form": form, "submission": submission}
    if submission is not None:
        context.update(selectors.submission_page(submission))
    return render(request, "submissions/edit.html", context, status=status)


def _save(request, form, *, alliances, submission):
    """Store what is valid, then submit if asked and possible (``saving.submission_save``);
    otherwise re-show the form with what was typed and everything that was stored."""
    form.is_valid()  # fills cleaned_data and checks the uploads (the slow part) first
    wants_submit = request.POST.get("do") == "submit"
    if submission is None and form.is_blank():
        # A click on 保存 or 提交 before typing anything must not leave an untitled draft.
        messages.warning(request, "表单是空的（没有标题、正文或文件），没有创建草稿。")
        if wants_submit:
            try:  # what is missing, in the words submitting a draft would use
                services.submission_check_complete(Submission())
            except ValidationError as error:
                errors_to_form(error, form)
        return _render_form(request, form, None)
    by_pk = {a.pk: a for a in alliances}
    data = form.draft_input(fallback=submission)
    outcome = saving.submission_save(
        actor=request.user,
        alliance=by_pk.get(form.cleaned_data.get("alliance")) or alliances[0],
        submission_id=submission.pk if submission else None,
        client_token=form.cleaned_data.get("form_token") if submission is None else None,
        data=data,
        attachments=form.checked_attachments,
        images=form.checked_images,
        docx=form.checked_docx,
        file_problems=form.file_errors,
        submit=wants_submit and not form.errors,
    )
    if outcome.already_submitted:
        messages.info(request, "该稿件已经提交过了，无需重复提交。")
        return redirect("submissions:detail", submission_id=outcome.submission_id)
    if outcome.draft_errors is not None:
        errors_to_form(outcome.draft_errors, form)
        return _render_form(request, form, submission, status=400)
    _note_foreign_images(request, data.body_html, outcome.submission_id)
    return _saved(request, form, outcome, alliances=alliances, wants_submit=wants_submit)


def _saved(request, form, outcome, *, alliances, wants_submit):
    """The answer to a draft that was saved: where to go, or the form again."""
    submission, problems, imported = outcome.submission, outcome.file_problems, outcome.imported
    if form.had_unsafe_markup:
        messages.warning(request, "正文中含有脚本等不安全的内容，已自动移除，请核对正文。")
    if imported is not None:
        note = "已从 Word 文档导入正文"
        if imported.appended:
            note += "（正文原有内容保留，导入内容接在其后）"
        if imported.title_taken:
            note += "，并取文档标题作为稿件标题"
        messages.success(request, note + "。请核对、修改后再点“提交投稿”。")
        for line in imported.notes:
            messages.warning(request, line)
    elif outcome.submitted:
        messages.success(request, "投稿已提交，编辑处理后您会收到邮件通知。")
        return redirect("submissions:detail", submission_id=submission.pk)
    elif outcome.submit_errors is not None:
        errors_to_form(outcome.submit_errors, form)
        messages.error(request, "草稿已保存，但还不能提交，请按提示补充后再提交。")
    elif not wants_submit and not problems and not form.errors:
        messages.success(request, "草稿已保存。")
        return redirect("submissions:edit", submission_id=submission.pk)

    if problems:
        messages.error(request, "草稿已保存，但有文件未能上传：")
    # Re-show what was typed, with the stored (sanitised, images added) body and title.
    data = request.POST.copy()
    if "body_html" not in form.errors:  # a refused body (too long) is shown as typed
        data["body_html"] = for_display(submission.body_html, submission.pk)
    if "title" not in form.errors:
        data["title"] = submission.title
    reshown = SubmissionForm(data, alliances=alliances, calls=open_call_choices())
    reshown.is_valid()
    for field, errors in form.errors.items():
        if field not in reshown.errors:
            for error in errors:
                reshown.add_error(field if field != "__all__" else None, error)
    reshown.file_errors = problems
    return _render_form(request, reshown, submission, status=400 if problems else 200)


def _note_foreign_images(request, body_html: str, submission_id: int) -> None:
    """Say so when the stored body lost pictures that are not the submission's own."""
    _, dropped = bodies.stored(body_html, images=bodies.own_images(submission_id))
    if dropped:
        messages.warning(request, bodies.foreign_images_note(len(dropped), owner="本稿件"))


# --- one submission ---------------------------------------------------------------------


@login_required
def submission_detail(request, submission_id, decision_form=None, status=200):
    submission = selectors.access_submission(request.user, submission_id)
    context = selectors.submission_page(submission)
    pair = selectors.version_pair_for_print(context["versions"])
    if pair:
        sent, printed = pair
        context["print_diff"] = selectors.side_by_side(
            sent.title, sent.body_html, printed.title, printed.body_html
        )
        context["print_pair"] = pair
    actions = workflow.available_actions(submission, request.user)
    context.update(
        {
            "submission": submission,
            "actions": [a for a in actions if not a[1].confirm_url],
            "confirmed_actions": [a for a in actions if a[1].confirm_url],
            "may_edit_draft": can(request.user, "submission.edit_draft", submission),
            "may_revise": can(request.user, "submission.revise", submission),
            "decision_form": decision_form or DecisionForm(),
            "is_office": can(request.user, "submission.inbox"),
        }
    )
    return render(request, "submissions/detail.html", context, status=status)


@login_required
@require_POST
def submission_action_post(request, submission_id):
    """A bare button of the submission page (``workflow.submission_transition``); 采用 is
    handed to ``confirm_views.submission_accept``, moves with a confirmation page refused."""
    submission = selectors.access_submission(request.user, submission_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return submission_detail(request, submission.pk, decision_form=form, status=400)
    action = form.cleaned_data["action"]
    move = workflow.move_named(action)
    if move is not None and move.confirm_url:
        # Made only through its confirmation page (e.g. publish names the issue there).
        messages.error(request, f"“{move.label}”需要在确认页面上完成，请点击稿件页面上的按钮。")
        return submission_detail(request, submission.pk, decision_form=form, status=400)
    if action == "accept":  # 采用 is made from its confirmation page (confirm_views)
        return confirm_views.submission_accept(request, submission.pk)
    try:
        workflow.submission_transition(
            submission_id=submission.pk,
            action=action,
            actor=request.user,
            comment=form.cleaned_data["comment"],
        )
    except PermissionDenied:
        raise
    except ValidationError as error:
        errors_to_form(error, form, fields=("comment",))
        messages.error(request, "操作未完成，请看下面的提示。")
        return submission_detail(request, submission.pk, decision_form=form, status=400)
    messages.success(request, f"已{move.label}。")
    return redirect("submissions:detail", submission_id=submission.pk)


@login_required
def submission_revise(request, submission_id):
    """An editor's revision of the submitted text (kept as a new version)."""
    submission = selectors.access_submission(request.user, submission_id)
    if not can(request.user, "submission.revise", submission):
        raise Http404
    if request.method == "POST":
        form = EditorEditForm(request.POST)
        if form.is_valid():
            try:
                _, version = services.editor_edit(
                    submission_id=submission.pk,
                    title=form.cleaned_data["title"],
                    body_html=form.cleaned_data["body_html"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                errors_to_form(error, form)
            else:
                _note_foreign_images(request, form.cleaned_data["body_html"], submission.pk)
                if version is None:
                    messages.info(request, "内容没有变化，未生成新版本。")
                else:
                    messages.success(request, f"已保存为第{version.number}版，投稿原文仍完整保留。")
                return redirect("submissions:detail", submission_id=submission.pk)
    else:
        form = EditorEditForm(
            initial={
                "title": submission.title,
                "body_html": for_display(submission.body_html, submission.pk),
            }
        )
    return render(request, "submissions/revise.html", {"form": form, "submission": submission})


@login_required
def version_diff(request, submission_id):
    """Side-by-side diff of two versions (a fragment for HTMX, or a page)."""
    submission = selectors.access_submission(request.user, submission_id)
    versions = list(submission.versions.order_by("number"))
    if not versions:
        raise Http404
    by_pk = {str(v.pk): v for v in versions}
    old = by_pk.get(request.GET.get("old", ""), versions[0])
    new = by_pk.get(request.GET.get("new", ""), versions[-1])
    if (request.GET.get("old") and request.GET["old"] not in by_pk) or (
        request.GET.get("new") and request.GET["new"] not in by_pk
    ):
        raise Http404
    context = {
        "submission": submission,
        "versions": versions,
        "old": old,
        "new": new,
        "rows": selectors.side_by_side(old.title, old.body_html, new.title, new.body_html),
    }
    template = "submissions/_diff.html" if request.htmx else "submissions/diff.html"
    return render(request, template, context)


@login_required
def file_download(request, submission_id, file_id):
    row = selectors.access_file(request.user, submission_id, file_id)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=row.original_name, content_type=row.content_type
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def media_file(request, submission_id, path):
    """An image of the submission's body, by its media path (see ``bodies``)."""
    submission = selectors.access_submission(request.user, submission_id)
    path = media_path_from_url(path)
    if path is None:
        raise Http404
    row = submission.files.filter(file=path, kind=SubmissionFile.Kind.IMAGE).first()
    if row is None:
        raise Http404
    return file_download(request, submission.pk, row.pk)


@login_required
@require_POST
def file_remove(request, submission_id, file_id):
    submission = selectors.access_submission(request.user, submission_id)
    selectors.access_file(request.user, submission_id, file_id)
    try:
        services.file_remove(submission_id=submission.pk, file_id=file_id, actor=request.user)
    except (ValidationError, PermissionDenied):
        messages.error(request, "该附件不能移除。")
    else:
        messages.success(request, "附件已移除。")
    return redirect("submissions:edit", submission_id=submission.pk)


# --- the editors ------------------------------------------------------------------------


@login_required
def inbox(request):
    if not can(request.user, "submission.inbox"):
        raise Http404
    filterset = InboxFilter(request.GET, queryset=selectors.inbox_base())
    # Counts per status are for the current filters, whatever status is chosen.
    page, counts = selectors.inbox_page(filterset, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
    return render(
        request,
        "submissions/inbox.html",
        {
            "filter": filterset,
            "page": page,
            "counts": counts,
            "total": sum(n for _, _, n in counts),
            "query": query.urlencode(),
            "status_query": status_query.urlencode(),
            "current_status": request.GET.get("status", ""),
        },
    )
