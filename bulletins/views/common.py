"""What the issue pages share: the issue header (who holds it, its actions, its PDFs), the
issue for an editor, and the texts of errors shown as messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.permissions import can, require

from .. import workflow
from ..selectors.history import (
    latest_pages,
)
from ..selectors.issues import (
    access_issue,
    holder,
)
from ..selectors.renditions import issue_renditions


def header_context(request, issue) -> dict:
    return {
        "holder": holder(issue),
        "actions": workflow.available_actions(issue, request.user),
        "sign_blocked": workflow.sign_blocked_by_separation(issue, request.user),
        "current_version": workflow.current_version(issue),
        "pages_version": latest_pages(issue),
        **issue_renditions(issue),
        "may_edit": can(request.user, "issue.edit", issue),
    }


def editor_issue(request, issue_id):
    issue = access_issue(request.user, issue_id)
    require(request.user, "issue.edit", issue)
    return issue


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def item_of(issue, item_id):
    item = issue.items.select_related("section", "submission", "alliance").filter(pk=item_id)
    item = item.first()
    if item is None:
        raise Http404
    return item


def error_text(exc: ValidationError) -> str:
    """A service's error as one message line."""
    return " ".join(exc.messages)


def form_error_text(form) -> str:
    """A form's errors as one message line, each after its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)
