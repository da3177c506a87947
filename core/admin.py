"""Admin classes that know no app."""

from django.contrib import admin


class ReadOnlyMixin:
    """For rows written only by services (events, versions, deliveries, ratings): the admin
    shows them and changes nothing. Mixed into a ModelAdmin (or SimpleHistoryAdmin) or an
    inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False
