"""Admin classes that know no app."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows written only by services (events, versions, deliveries): the admin shows
    them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
