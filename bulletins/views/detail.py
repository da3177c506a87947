"""The read-through (审阅): the issue as it will print, with the approval buttons and the
comments on it and its items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..forms import CommentForm
from ..selectors.issues import access_issue
from ..selectors.readthrough import issue_read_through
from ..services.comments import comment_add as comment_write
from .common import error_text, form_error_text, header_context, int_or_none


@login_required
def issue_detail(request, issue_id):
    """The issue as it will print, with the approval buttons and per-item comments."""
    issue = access_issue(request.user, issue_id)
    context = header_context(request, issue)
    context.update(issue_read_through(issue, request.user, context["current_version"]))
    context.update(
        {
            "issue": issue,
            "typed_comment": request.session.pop(f"issue-{issue.pk}-comment", ""),
            "binds_version": any(move.binds_version for _a, move in context["actions"]),
        }
    )
    return render(request, "bulletins/detail.html", context)


@login_required
@require_POST
def comment_add(request, issue_id):
    issue = access_issue(request.user, issue_id)
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            comment_write(
                issue_id=issue.pk,
                item_id=form.cleaned_data["item"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
        except ValidationError as exc:
            error = error_text(exc)
        except PermissionDenied as exc:
            error = str(exc)
    else:
        error = form_error_text(form)
    item_id = (
        form.cleaned_data.get("item") if form.is_valid() else int_or_none(request.POST.get("item"))
    )
    if request.htmx:
        comments = issue.comments.select_related("author").order_by("created_at")
        comments = comments.filter(item_id=item_id) if item_id else comments.filter(item=None)
        return render(
            request,
            "bulletins/_comments.html",
            {
                "issue": issue,
                "comments": list(comments),
                "item_id": item_id,
                "error": error,
                "typed": request.POST.get("body", "") if error else "",
                "may_comment": True,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "意见已记录。")
    anchor = f"#item-{item_id}" if item_id else "#comments"
    return redirect(reverse("bulletins:detail", args=[issue.pk]) + anchor)
