"""The confirmation pages of what is never a bare button on a submission's page: deleting
a draft, withdrawing a submission, recording that one was printed outside the system.

Each GET shows what will happen (rendered by the server, working without JavaScript); the
POST does it through one service. Whoever may not do it at all gets 404 (another alliance
does not learn the submission exists); whoever may, but not in this state, is sent back to
the submission with the reason in Chinese.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from . import selectors, services, workflow
from .forms import PublishElsewhereForm
from .notifications import secretariat_emails
from .permissions import is_secretariat_of


def _back(request, submission, error: ValidationError):
    messages.error(request, "".join(error.messages))
    return redirect("submissions:detail", submission_id=submission.pk)


@login_required
def draft_delete(request, submission_id):
    submission = selectors.access_submission(request.user, submission_id)
    if not is_secretariat_of(request.user, submission.alliance_id):
        raise Http404
    try:
        if request.method == "POST":
            title = services.draft_delete(submission_id=submission.pk, actor=request.user)
            messages.success(request, f"草稿《{title}》已删除，其上传的文件也已一并删除。")
            return redirect("submissions:mine")
        if submission.status != submission.Status.DRAFT:
            raise services.NotEditable(
                f"该稿件已是“{submission.get_status_display()}”状态，不能删除。"
            )
    except services.NotEditable as error:
        return _back(request, submission, error)
    files = submission.files.filter(removed_at__isnull=True).order_by("kind", "pk")
    return render(
        request, "submissions/confirm_delete.html", {"submission": submission, "files": files}
    )


@login_required
def submission_withdraw(request, submission_id):
    submission = selectors.access_submission(request.user, submission_id)
    try:
        workflow.check_move(submission, "withdraw", request.user)
        if request.method == "POST":
            workflow.submission_transition(
                submission_id=submission.pk, action="withdraw", actor=request.user
            )
            messages.success(request, "投稿已撤回。稿件保留在“我的投稿”中，编辑部不再处理。")
            return redirect("submissions:detail", submission_id=submission.pk)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _back(request, submission, error)
    return render(request, "submissions/confirm_withdraw.html", {"submission": submission})


@login_required
def submission_publish(request, submission_id):
    """Record an accepted submission as printed in an issue made outside the system: name
    the issue, confirm on a second page that shows what the e-mail will say, then save."""
    submission = selectors.access_submission(request.user, submission_id)
    try:
        workflow.check_move(submission, "publish", request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _back(request, submission, error)
    form = PublishElsewhereForm(request.POST or None)
    context = {"submission": submission, "form": form}
    if request.method != "POST":
        return render(request, "submissions/publish.html", context)
    if not form.is_valid():
        return render(request, "submissions/publish.html", context, status=400)
    if request.POST.get("confirmed") != "1":
        context["recipients"] = secretariat_emails(submission.alliance_id)
        return render(request, "submissions/publish_confirm.html", context)
    try:
        services.submission_publish_elsewhere(
            submission_id=submission.pk,
            issue_label=form.issue_label,
            page=form.cleaned_data.get("page"),
            actor=request.user,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _back(request, submission, error)
    messages.success(request, f"已登记刊于{form.issue_label}，并通知秘书处。")
    return redirect("submissions:detail", submission_id=submission.pk)
