"""Issues in the admin: for looking things up. Content and status are changed only on the
issue pages (through the services and the workflow), so everything here is read-only;
events and versions are append-only records."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Approval,
    Comment,
    Issue,
    IssueEvent,
    IssueVersion,
    Item,
    Notification,
    Rendition,
)


class ItemInline(ReadOnlyInline):
    model = Item
    fields = ["section", "position", "title", "kind", "alliance", "submission"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = IssueEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "version", "comment"]
    readonly_fields = fields


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["issue_line", "issued_on", "status", "edition", "created_by"]
    list_filter = ["status", "volume_year"]
    search_fields = ["=cumulative_number", "=volume_year"]
    inlines = [ItemInline, EventInline]
    readonly_fields = [
        "volume_year",
        "number",
        "cumulative_number",
        "issued_on",
        "issuer",
        "status",
        "status_changed_at",
        "edition",
        "numbering_note",
        "content_sha256",
        "signed_version",
        "created_by",
        "created_at",
    ]
    exclude = ["editors", "report_to", "send_to"]

    @admin.display(description="期次", ordering="cumulative_number")
    def issue_line(self, obj):
        return obj.issue_line


@admin.register(IssueVersion)
class IssueVersionAdmin(ReadOnlyAdmin):
    list_display = ["issue", "number", "edition", "short_sha", "pages", "created_by", "created_at"]
    list_select_related = ["issue", "created_by"]
    exclude = ["document", "item_refs", "page_map"]
    readonly_fields = ["issue", "number", "edition", "sha256", "pages", "created_by"]


@admin.register(IssueEvent)
class IssueEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "issue", "action", "from_status", "to_status", "actor"]
    list_filter = ["action"]
    list_select_related = ["issue", "actor"]
    readonly_fields = [
        "issue",
        "action",
        "from_status",
        "to_status",
        "edition",
        "actor",
        "version",
        "comment",
        "created_at",
    ]


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ["issue", "stage", "version", "actor", "created_at", "voided_at"]
    list_filter = ["stage"]
    list_select_related = ["issue", "version", "actor"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "issue", "item_title", "author", "body"]
    list_select_related = ["issue", "author"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["event", "kind", "recipients", "claimed_at", "sent_at"]
    list_select_related = ["event__issue"]


@admin.register(Rendition)
class RenditionAdmin(ReadOnlyAdmin):
    list_display = ["version", "kind", "status", "pages", "attempts", "queued_at", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["version__issue"]
    exclude = ["page_map"]
