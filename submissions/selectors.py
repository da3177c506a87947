"""Every read of submissions a view, panel or task needs. Those that take a ``user``
return only what that user may see; the others (the inbox, the pool, the reports' counts)
are for callers that have checked the permission first.

Secretariat users see their own alliances' submissions (drafts included); office staff see
everything that has been submitted (a draft is the secretariat's own until it is sent).
Anything else is a 404 through the ``access_*`` functions, so nobody learns that another
alliance's submission exists.
"""

import difflib
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.permissions import can, is_office_staff
from alliances.models import Alliance
from core.text import html_to_text

from .models import (
    CallForSubmissions,
    CallReminder,
    DuplicateWarning,
    Submission,
    SubmissionEvent,
    SubmissionFile,
    SubmissionVersion,
)
from .permissions import secretariat_alliance_ids

LIST_FIELDS = (
    "id",
    "title",
    "status",
    "suggested_section",
    "submitted_at",
    "updated_at",
    "created_at",
    "alliance_id",
    "alliance__short_name",
    "call_id",
    "call__title",
    "printed_issue_label",
    "printed_page",
)


def submissions_for_user(user) -> QuerySet[Submission]:
    own = secretariat_alliance_ids(user)
    if is_office_staff(user):
        visible = ~Q(status=Submission.Status.DRAFT)
        if own:  # an editor who also works for a secretariat sees that one's drafts too
            visible |= Q(alliance_id__in=own)
        return Submission.objects.filter(visible)
    if own:
        return Submission.objects.filter(alliance_id__in=own)
    return Submission.objects.none()


def access_submission(user, submission_id) -> Submission:
    """The submission for this user, or 404."""
    try:
        return (
            submissions_for_user(user)
            .select_related("alliance", "call", "submitted_by")
            .get(pk=submission_id)
        )
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_file(user, submission_id, file_id) -> SubmissionFile:
    submission = access_submission(user, submission_id)
    try:
        return submission.files.get(pk=file_id)
    except (SubmissionFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_version(user, submission_id, version_id) -> SubmissionVersion:
    submission = access_submission(user, submission_id)
    try:
        return submission.versions.get(pk=version_id)
    except (SubmissionVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- the secretariat's list -------------------------------------------------------------


def my_submissions(user) -> QuerySet[Submission]:
    """The user's alliances' submissions, newest activity first, with the last comment."""
    last_comment = (
        SubmissionEvent.objects.filter(submission=OuterRef("pk"))
        .exclude(comment="")
        .order_by("-created_at", "-pk")
    )

    return (
        Submission.objects.filter(alliance_id__in=secretariat_alliance_ids(user))
        .select_related("alliance", "call")
        .only(*LIST_FIELDS)
        .annotate(
            last_comment=Subquery(last_comment.values("comment")[:1]),
        )
        .order_by("-updated_at", "-pk")
    )


def secretariat_counts(user) -> dict[str, int]:
    rows = (
        Submission.objects.filter(alliance_id__in=secretariat_alliance_ids(user))
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {value: counts.get(value, 0) for value in Submission.Status.values}


# --- the editors' inbox -----------------------------------------------------------------


def inbox_base() -> QuerySet[Submission]:
    """What the inbox lists (everything submitted and not withdrawn); filtered by
    ``filters.InboxFilter``."""
    return Submission.objects.exclude(status__in=Submission.NOT_SENT)


def inbox_queryset() -> QuerySet[Submission]:
    """The inbox rows with what a row shows."""
    return (
        inbox_base()
        .select_related("alliance", "call")
        .only(*LIST_FIELDS)
        .annotate(has_duplicate=Exists(DuplicateWarning.objects.filter(submission=OuterRef("pk"))))
    )


def inbox_page(filterset, page_number, *, per_page=25):
    """One page of the inbox, cheap however deep it is, with the counts per status.

    The counts per status (one grouped query over the rows the other filters leave) also
    give the paginator its total, so the rows are not counted twice. The page is found on
    ids alone (an index-only walk past the skipped rows), then only its 25 rows are read
    with their alliance and call. Returns ``(page, counts)``.
    """
    counts = status_counts(filterset.qs_without_status())
    status = filterset.form.cleaned_data.get("status") if filterset.is_bound else None
    # (``qs_without_status`` has validated the form, so ``cleaned_data`` exists.)
    total = sum(n for value, _, n in counts if not status or value == status)
    paginator = Paginator(filterset.qs.values_list("pk", flat=True), per_page)
    paginator.__dict__["count"] = total  # the cached_property, filled from the counts
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in inbox_queryset().filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page, counts


def status_counts(queryset) -> list[tuple[str, str, int]]:
    """``(status, label, n)`` for every status of the inbox, for ``queryset`` (one query)."""
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return [
        (value, label, counts.get(value, 0))
        for value, label in Submission.Status.choices
        if value not in Submission.NOT_SENT
    ]


def inbox_counts() -> dict[str, int]:
    rows = inbox_base().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows.order_by()}
    return {
        value: counts.get(value, 0)
        for value in Submission.Status.values
        if value not in Submission.NOT_SENT
    }


# --- one submission ---------------------------------------------------------------------


def submission_page(submission: Submission) -> dict:
    """Everything the submission page shows besides the submission itself."""
    versions = list(submission.versions.select_related("created_by").order_by("number"))
    events = list(submission.events.select_related("actor").order_by("created_at", "pk"))
    files = [f for f in submission.files.all() if f.removed_at is None]
    warnings = list(
        submission.duplicate_warnings.select_related("other", "other__alliance").order_by("-score")
    )
    return {
        "versions": versions,
        "events": events,
        "attachments": [f for f in files if f.kind == SubmissionFile.Kind.ATTACHMENT],
        "images": [f for f in files if f.kind == SubmissionFile.Kind.IMAGE],
        "sources": [f for f in files if f.kind == SubmissionFile.Kind.SOURCE],
        "duplicate_warnings": warnings,
        "comments": [e for e in events if e.comment],
    }


@dataclass
class DiffRow:
    left_no: int | None
    left: str
    right_no: int | None
    right: str
    kind: str  # "equal", "replace", "delete", "insert"


def side_by_side(old_title, old_html, new_title, new_html) -> list[DiffRow]:
    """The two texts, line by line (one line per paragraph), aligned with ``difflib``."""
    old = [old_title, *html_to_text(old_html).splitlines()]
    new = [new_title, *html_to_text(new_html).splitlines()]
    rows = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        length = max(i2 - i1, j2 - j1)
        for k in range(length):
            i, j = i1 + k, j1 + k
            rows.append(
                DiffRow(
                    left_no=i + 1 if i < i2 else None,
                    left=old[i] if i < i2 else "",
                    right_no=j + 1 if j < j2 else None,
                    right=new[j] if j < j2 else "",
                    kind=tag,
                )
            )
    return rows


def version_pair_for_print(versions: list[SubmissionVersion]):
    """(last text the secretariat sent, printed text), or None when nothing was printed."""
    printed = [v for v in versions if v.kind == SubmissionVersion.Kind.PRINTED]
    sent = [v for v in versions if v.kind == SubmissionVersion.Kind.SUBMITTED]
    if not printed or not sent:
        return None
    return sent[-1], printed[-1]


# --- calls ------------------------------------------------------------------------------


def open_calls() -> QuerySet[CallForSubmissions]:
    return CallForSubmissions.objects.filter(
        closed_at__isnull=True, deadline__gte=timezone.localdate()
    ).order_by("deadline")


def calls_for_board() -> QuerySet[CallForSubmissions]:
    return CallForSubmissions.objects.annotate(
        sent=Count(
            "submissions__alliance",
            filter=~Q(submissions__status__in=Submission.NOT_SENT),
            distinct=True,
        )
    ).order_by("-deadline", "-pk")


def access_call(user, call_id) -> CallForSubmissions:
    if not (can(user, "call.view_board") or secretariat_alliance_ids(user)):
        raise Http404
    try:
        return CallForSubmissions.objects.select_related("opened_by").get(pk=call_id)
    except (CallForSubmissions.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class BoardRow:
    alliance: Alliance
    submissions: list
    reminder: CallReminder | None


def call_board(call: CallForSubmissions) -> tuple[list[BoardRow], list[BoardRow]]:
    """``(sent, not_sent)``: alliances that have submitted to ``call`` and those that can
    (active, with secretariat users) but have not yet."""
    sent_qs = (
        Submission.objects.filter(call=call)
        .exclude(status__in=Submission.NOT_SENT)
        .only("id", "title", "status", "alliance_id", "submitted_at")
        .order_by("submitted_at")
    )
    reminders = {r.alliance_id: r for r in CallReminder.objects.filter(call=call)}
    alliances = (
        Alliance.objects.filter(Q(is_active=True, staff__isnull=False) | Q(submissions__call=call))
        .distinct()
        .prefetch_related(Prefetch("submissions", queryset=sent_qs.filter(), to_attr="to_call"))
        .order_by("code", "full_name")
    )
    sent, not_sent = [], []
    for alliance in alliances:
        row = BoardRow(alliance, alliance.to_call, reminders.get(alliance.pk))
        (sent if alliance.to_call else not_sent).append(row)
    return sent, not_sent


# --- statistics (read by reports.statistics) -----------------------------------------------
# "Accepted" for the statistics: the editors took it (and may since have printed it).
ACCEPTED_STATUSES = (Submission.Status.ACCEPTED, Submission.Status.PUBLISHED)


def submissions_received(*, start, end) -> QuerySet[Submission]:
    """Submissions first sent in ``[start, end)`` (aware datetimes), annotated with
    ``received_at``: the moment of the ``submit`` event. A resubmission after a revision
    request does not move a submission to a later period (``submitted_at`` would).

    Not scoped to a user: only for reports whose view has checked the permission.
    """
    first_sent = (
        SubmissionEvent.objects.filter(submission=OuterRef("pk"), action="submit")
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    return Submission.objects.annotate(received_at=Subquery(first_sent)).filter(
        received_at__gte=start, received_at__lt=end
    )
