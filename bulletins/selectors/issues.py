"""Issues for a user (``access_*`` raise 404), who holds an issue now, and the reads its
buttons need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, User
from accounts.permissions import can

from ..models import (
    Approval,
    Issue,
    IssueEvent,
    IssueVersion,
)
from ..permissions import is_editor_of, separate_editor_and_signer
from ..workflow import HOLDER_ROLE, sign_blocked_by_separation

# --- Access -------------------------------------------------------------------------------


def issues_for_user(user) -> QuerySet[Issue]:
    if can(user, "issue.view"):
        return Issue.objects.all()
    return Issue.objects.none()


def access_issue(user, issue_id) -> Issue:
    """The issue for this user, or 404."""
    try:
        return issues_for_user(user).select_related("created_by", "signed_version").get(pk=issue_id)
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_version(user, issue: Issue, version_id) -> IssueVersion:
    try:
        return issue.versions.get(pk=version_id)
    except (IssueVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def issue_list(*, user) -> QuerySet[Issue]:
    return (
        issues_for_user(user)
        .annotate(item_count=Count("items", distinct=True))
        .select_related("created_by")
        .order_by("-cumulative_number")
    )


# --- Who holds an issue -------------------------------------------------------------------


@dataclass
class Holder:
    role_label: str
    people: list[str]
    since: datetime

    @property
    def waited(self):
        return timezone.now() - self.since

    @property
    def waited_days(self) -> int:
        return self.waited.days


def holders_of(issue: Issue) -> list[User]:
    """The people whose turn it is: every active reviewer (待审核), every signer who may sign
    it (待签发), the issue's editors (组版中, 退回修改); nobody once signed."""
    role = HOLDER_ROLE.get(issue.status)
    if role is None:
        return []
    users = User.objects.filter(is_active=True, role_grants__role=role).distinct()
    if role == Role.EDITOR:
        own = users.filter(pk__in=issue.editors.values("pk")) | users.filter(pk=issue.created_by_id)
        return list(own.distinct().order_by("full_name", "username")) or list(users)
    users = list(users.order_by("full_name", "username"))
    if role == Role.SIGNER and separate_editor_and_signer():
        users = [u for u in users if not is_editor_of(u, issue)]
    return users


def holder(issue: Issue) -> Holder | None:
    role = HOLDER_ROLE.get(issue.status)
    if role is None:
        return None
    return Holder(
        role_label=Role(role).label,
        people=[u.display_name for u in holders_of(issue)],
        since=issue.status_changed_at,
    )


def waiting_for(user, role: str) -> list[dict]:
    """The issues waiting for ``user`` in ``role`` (the home page's "waiting for me")."""
    statuses = [status for status, r in HOLDER_ROLE.items() if r == role]
    rows = []
    issues = (
        issues_for_user(user)
        .filter(status__in=statuses)
        .annotate(item_count=Count("items", distinct=True))
        .order_by("status_changed_at")
    )
    for issue in issues:
        if role == Role.SIGNER and sign_blocked_by_separation(issue, user):
            continue
        step = (
            issue.events.exclude(action__in=["create", "void_approval"])
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )
        rows.append(
            {
                "issue": issue,
                "step": step,
                "since": issue.status_changed_at,
                "waited_days": (timezone.now() - issue.status_changed_at).days,
                "item_count": issue.item_count,
            }
        )
    return rows


def is_deletable(issue: Issue) -> bool:
    """Whether ``services.issue_delete`` would accept this issue (to show the button)."""
    return (
        issue.edition == 1
        and not issue.versions.exists()
        and not Issue.objects.filter(cumulative_number__gt=issue.cumulative_number).exists()
    )


def last_return(issue: Issue) -> IssueEvent | None:
    """The latest return of the current edition (its comment is what the editor must fix)."""
    return (
        issue.events.filter(action="return", edition=issue.edition)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


def valid_approvals(issue: Issue) -> list[Approval]:
    """The approvals that hold for the issue's current edition, review first."""
    return list(
        issue.approvals.filter(edition=issue.edition, voided_at__isnull=True)
        .select_related("actor", "version")
        .order_by("created_at")
    )
