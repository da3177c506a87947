"""Read-only views of submissions for administrators.

Every write goes through the services and the workflow (status, versions and the event
log must stay consistent), so the admin shows and searches but does not edit.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    CallForSubmissions,
    CallReminder,
    DuplicateWarning,
    Submission,
    SubmissionEvent,
    SubmissionFile,
    SubmissionVersion,
)


class VersionInline(ReadOnlyInline):
    model = SubmissionVersion
    fields = ["number", "kind", "title", "created_by", "created_at", "note"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = SubmissionEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor_label", "comment"]
    readonly_fields = fields


class FileInline(ReadOnlyInline):
    model = SubmissionFile
    fields = ["kind", "original_name", "extension", "size", "uploaded_by", "removed_at"]
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["title", "alliance", "status", "suggested_section", "submitted_at"]
    list_filter = ["status", "suggested_section", "call"]
    search_fields = ["title", "alliance__short_name", "alliance__full_name"]
    list_select_related = ["alliance"]
    date_hierarchy = "submitted_at"
    exclude = ["search_text", "fingerprint"]
    inlines = [VersionInline, FileInline, EventInline]


@admin.register(CallForSubmissions)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["title", "issue_label", "deadline", "remind_days_before", "closed_at"]


@admin.register(CallReminder)
class CallReminderAdmin(ReadOnlyAdmin):
    list_display = ["call", "alliance", "claimed_at", "sent_at"]
    list_select_related = ["call", "alliance"]


@admin.register(DuplicateWarning)
class DuplicateWarningAdmin(ReadOnlyAdmin):
    list_display = ["submission", "other_label", "score", "created_at"]
    list_select_related = ["submission"]
