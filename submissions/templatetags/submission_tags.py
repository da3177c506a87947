"""Template helpers of the submission pages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from submissions.bodies import for_display
from submissions.models import Submission
from submissions.workflow import COMMENT_LABELS

register = template.Library()

_STATUS_STYLE = {
    "draft": "",
    "submitted": "blue",
    "revision_requested": "orange",
    "accepted": "green",
    "declined": "grey",
    "published": "red",
    "withdrawn": "grey",
}


@register.filter
def body_html(value, submission_id):
    """A stored body, sanitised once more right before it is rendered, its images shown
    through the submission's permission-checked view."""
    return mark_safe(for_display(value, submission_id))  # noqa: S308 - allow-list output


@register.filter
def status_badge(status):
    """「已采用」 as a coloured badge."""
    try:
        label = Submission.Status(status).label
    except ValueError:
        return ""
    return format_html('<span class="badge status {}">{}</span>', _STATUS_STYLE[status], label)


@register.filter
def filesize(n):
    if n is None:
        return ""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{max(1, n // 1024)} KB"


@register.filter
def comment_label(action):
    return COMMENT_LABELS.get(action, "意见")
