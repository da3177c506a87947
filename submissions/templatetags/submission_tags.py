"""Template helpers of the submission pages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from bulletins.sanitise import sanitise_html

register = template.Library()

_STATUS_STYLE = {
    "draft": "",
    "submitted": "blue",
    "revision_requested": "orange",
    "accepted": "green",
    "declined": "grey",
    "published": "red",
}


@register.filter
def sanitised(value):
    """Stored HTML, sanitised once more right before it is rendered."""
    return mark_safe(sanitise_html(value))  # noqa: S308 - the allowlist output is safe


@register.filter
def status_badge(status):
    """「已采用」 as a coloured badge."""
    from submissions.models import Submission

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
    from submissions.workflow import COMMENT_LABELS

    return COMMENT_LABELS.get(action, "意见")
