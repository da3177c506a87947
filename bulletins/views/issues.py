"""The list of issues, a new issue, and its history with the diff between two versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.permissions import can, require
from core.views import errors_to_form

from ..forms import (
    IssueCreateForm,
)
from ..selectors.history import (
    issue_events,
    issue_versions,
    version_diff,
)
from ..selectors.issues import (
    access_issue,
    access_version,
    holder,
    issue_list,
)
from ..services.issues import (
    issue_create,
    issue_next_numbers,
)


@login_required
def issue_index(request):
    require(request.user, "issue.view")
    issues = list(issue_list(user=request.user)[:200])
    holders = {issue.pk: holder(issue) for issue in issues}
    rows = [(issue, holders[issue.pk]) for issue in issues]
    return render(
        request,
        "bulletins/index.html",
        {
            "rows": rows,
            "may_create": can(request.user, "issue.create"),
            "may_import": can(request.user, "issue.import"),
        },
    )


@login_required
def issue_new(request):
    require(request.user, "issue.create")
    proposal = issue_next_numbers()
    if request.method == "POST":
        form = IssueCreateForm(request.POST)
        if form.is_valid():
            try:
                issue = issue_create(**form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                errors_to_form(exc, form)
            else:
                messages.success(request, f"已新建{issue.issue_line}，请编入稿件。")
                return redirect("bulletins:assemble", issue_id=issue.pk)
    else:
        form = IssueCreateForm(
            initial={
                "volume_year": proposal.volume_year,
                "number": proposal.number,
                "cumulative_number": proposal.cumulative_number,
                "issued_on": timezone.localdate(),
            }
        )
    return render(request, "bulletins/new.html", {"form": form, "proposal": proposal})


@login_required
def issue_history(request, issue_id):
    issue = access_issue(request.user, issue_id)
    versions = issue_versions(issue)
    return render(
        request,
        "bulletins/history.html",
        {
            "issue": issue,
            "events": issue_events(issue),
            "versions": versions,
            "holder": holder(issue),
        },
    )


@login_required
def issue_diff(request, issue_id):
    """What changed between two versions (``from``, ``to``; ``to`` may be ``current``, the
    working copy)."""
    issue = access_issue(request.user, issue_id)
    old = access_version(request.user, issue, request.GET.get("from"))
    to = request.GET.get("to", "current")
    new = issue if to == "current" else access_version(request.user, issue, to)
    return render(
        request,
        "bulletins/diff.html",
        {
            "issue": issue,
            "old": old,
            "new": new,
            "new_label": "当前编辑稿" if new is issue else new.label,
            "diff": version_diff(old, new),
        },
    )
