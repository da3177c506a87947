"""The approval chain's pages: the confirmation of 送审, 审核通过 and 签发, the POST that makes
every move of the chain, and the delivery block polled after 签发. Thin: the rules live in
``bulletins.confirmation`` and ``bulletins.workflow``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can
from core.views import safe_next

from .. import confirmation, workflow
from ..confirmation import CONFIRMED_ACTIONS, ConfirmationError
from ..forms import TransitionForm
from ..models import IssueStatus
from ..selectors.issues import access_issue


@login_required
@require_GET
@never_cache
def issue_confirm(request, issue_id, action):
    """The confirmation page of one move (an HTMX request gets the panel alone)."""
    issue = access_issue(request.user, issue_id)
    if action not in CONFIRMED_ACTIONS:
        raise Http404
    try:
        page = confirmation.confirmation_for(issue, action, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("bulletins:detail", issue_id=issue.pk)
    template = "bulletins/_confirm_panel.html" if request.htmx else "bulletins/confirm.html"
    return render(request, template, {"issue": issue, "page": page})


@login_required
@require_POST
def issue_transition_post(request, issue_id):
    """A move of the approval chain posted from the issue pages (through its confirmation
    when it needs one: ``confirmation.confirmed_transition``)."""
    issue = access_issue(request.user, issue_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整，请刷新页面后重试。")
        return redirect("bulletins:detail", issue_id=issue.pk)
    data = form.cleaned_data
    try:
        event = confirmation.confirmed_transition(
            issue_id=issue.pk,
            action=data["action"],
            actor=request.user,
            comment=data["comment"],
            version_id=data["version"],
            token=data["confirmation"],
            acknowledged=data["acknowledged"],
        )
    except ConfirmationError as exc:
        # Nothing changed: back to the confirmation page, which says why.
        messages.error(request, " ".join(exc.messages))
        return redirect("bulletins:confirm", issue_id=issue.pk, action=data["action"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if data["comment"]:
            # Nothing typed is lost: offered again in the form, and shown in full.
            request.session[f"issue-{issue.pk}-comment"] = data["comment"]
            messages.info(request, f"您填写的意见尚未提交，内容如下：{data['comment']}")
        return redirect(safe_next(request, reverse("bulletins:detail", args=[issue.pk])))
    request.session.pop(f"issue-{issue.pk}-comment", None)
    label = workflow.ACTION_LABELS.get(event.action, event.action)
    done = f"已{label}：{issue.issue_line}现为“{IssueStatus(event.to_status).label}”。"
    if event.action == "sign":
        done += "正式版 PDF 生成后即自动发送给报送单位，发送进度见“分发”一栏。"
    messages.success(request, done)
    if event.to_status in {IssueStatus.DRAFT, IssueStatus.RETURNED} and can(
        request.user, "issue.edit", issue
    ):
        return redirect("bulletins:assemble", issue_id=issue.pk)
    return redirect("bulletins:detail", issue_id=issue.pk)


@login_required
@never_cache
def issue_delivery(request, issue_id):
    """The delivery block of a signed issue (HTMX fragment; it polls itself every 2 s until
    every e-mail is sent or failed). ``?panel=1``: as shown on the home page."""
    issue = access_issue(request.user, issue_id)
    context = confirmation.delivery_context(issue, request.user)
    if not context:
        raise Http404
    context["delivery_block"]["panel"] = request.GET.get("panel") == "1"
    return render(request, "bulletins/_delivery.html", context)
