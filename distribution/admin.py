from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import (
    ArchiveEntry,
    Contact,
    ContactImport,
    Delivery,
    DeliveryEvent,
    Dispatch,
    DistributionList,
    Organisation,
)


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0
    fields = ["name", "position", "is_active"]


@admin.register(DistributionList)
class DistributionListAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "title", "printed_suffix"]
    inlines = [OrganisationInline]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "email", "is_active"]
    readonly_fields = ["email"]  # addresses are added through the checked forms and imports


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "distribution_list", "position", "is_active"]
    list_filter = ["distribution_list", "is_active"]
    search_fields = ["name"]
    inlines = [ContactInline]

    def has_add_permission(self, request):
        return False  # through the 报送名单 page, which checks names


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "organisation", "is_active"]
    list_filter = ["organisation__distribution_list", "is_active"]
    search_fields = ["name", "email", "organisation__name"]
    fields = ["organisation", "name", "email", "is_active"]
    readonly_fields = ["organisation", "email"]

    def has_add_permission(self, request):
        return False


@admin.register(ContactImport)
class ContactImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "created_by", "created_at", "created_count"]
    readonly_fields = [f.name for f in ContactImport._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ["issue_line", "kind", "edition", "created_at"]
    list_filter = ["kind"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation_name", "dispatch", "status", "first_downloaded_at"]
    list_filter = ["status", "list_kind"]
    search_fields = ["email", "name", "organisation_name"]
    list_select_related = ["dispatch"]


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "action", "to_status", "created_at"]
    list_filter = ["action"]
    list_select_related = ["delivery__dispatch"]


@admin.register(ArchiveEntry)
class ArchiveEntryAdmin(ReadOnlyAdmin):
    list_display = ["issue_line", "issued_on", "edition"]
    list_filter = ["volume_year"]
    exclude = ["document", "search_text"]
