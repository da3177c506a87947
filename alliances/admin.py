from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyMixin

from . import services
from .filters import AllianceFilter
from .models import (
    ActivityRating,
    Alliance,
    AllianceContact,
    AllianceKind,
    AllianceName,
    EvaluationPeriod,
    NameKind,
    NetworkMembership,
    SecretariatStaff,
)


class KindFilter(admin.SimpleListFilter):
    title = "类型"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return AllianceKind.choices

    def queryset(self, request, queryset):
        if self.value():
            return AllianceFilter().filter_kind(queryset, "kind", self.value())
        return queryset


class NetworkFilter(admin.SimpleListFilter):
    title = "协发网网员"
    parameter_name = "network"

    def lookups(self, request, model_admin):
        return [("yes", "现为网员"), ("no", "非网员")]

    def queryset(self, request, queryset):
        if self.value():
            return AllianceFilter().filter_network(queryset, "network", self.value())
        return queryset


class AliasInlineForm(forms.ModelForm):
    class Meta:
        model = AllianceName
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        alliance = self.instance.alliance if self.instance.alliance_id else None
        try:
            services.name_check_free(name, alliance=alliance, field="name")
        except ValidationError as error:
            raise ValidationError(error.message_dict["name"]) from None
        return name


class AllianceAdminForm(forms.ModelForm):
    website = forms.URLField(label="网站", required=False, assume_scheme="https")

    class Meta:
        model = Alliance
        fields = ["full_name", "short_name", "code", "website", "is_active", "notes"]

    def clean(self):
        cleaned = super().clean()
        alliance = self.instance if self.instance.pk else None
        for field in ("full_name", "short_name"):
            if cleaned.get(field):
                try:
                    services.name_check_free(cleaned[field], alliance=alliance, field=field)
                except ValidationError as error:
                    for message in error.message_dict.get(field, []):
                        self.add_error(field, message)
        return cleaned


class AliasInline(admin.TabularInline):
    model = AllianceName
    form = AliasInlineForm
    extra = 1
    verbose_name = "别名"
    verbose_name_plural = "别名（印在往期简报上的其他写法）"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=NameKind.ALIAS)


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0


class ContactInline(admin.TabularInline):
    model = AllianceContact
    extra = 0


class StaffInline(admin.TabularInline):
    model = SecretariatStaff
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["since"]


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "short_name", "code", "kind_label", "is_active"]
    list_filter = [KindFilter, NetworkFilter, "is_active"]
    search_fields = ["full_name", "short_name", "code", "names__name"]
    inlines = [AliasInline, MembershipInline, ContactInline, StaffInline]
    form = AllianceAdminForm
    fields = ["full_name", "short_name", "code", "website", "is_active", "notes"]

    @admin.display(description="类型")
    def kind_label(self, obj):
        return obj.get_kind_display()

    def save_model(self, request, obj, form, change):
        # Names go through the service so that they stay unique across alliances.
        data = {field: form.cleaned_data[field] for field in self.fields}
        if change:
            services.alliance_update(alliance=obj, actor=request.user, **data)
        else:
            created = services.alliance_create(
                full_name=data["full_name"],
                short_name=data["short_name"],
                code=data["code"],
                website=data["website"],
                actor=request.user,
            )
            obj.pk = created.pk
            obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is not AllianceName:
            return super().save_formset(request, form, formset, change)
        for alias_form in formset.forms:
            if not alias_form.has_changed() and not alias_form.cleaned_data.get("DELETE"):
                continue
            instance = alias_form.instance
            if alias_form.cleaned_data.get("DELETE") and instance.pk:
                services.alias_remove(alias=instance, actor=request.user)
            elif alias_form.cleaned_data.get("name"):
                if instance.pk:
                    services.alias_remove(alias=instance, actor=request.user)
                services.alias_add(
                    alliance=form.instance, name=alias_form.cleaned_data["name"], actor=request.user
                )
        return None


@admin.register(AllianceName)
class AllianceNameAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "alliance"]
    list_filter = ["kind"]
    search_fields = ["name", "alliance__full_name"]
    readonly_fields = ["alliance", "name", "kind"]

    def has_add_permission(self, request):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Ratings are written on the 活跃度评价 pages (through the services); the admin shows
    them and their change history."""


@admin.register(EvaluationPeriod)
class EvaluationPeriodAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "starts_on", "ends_on", "created_by"]


@admin.register(ActivityRating)
class ActivityRatingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["period", "alliance", "level", "recorded_by", "recorded_at"]
    list_filter = ["period", "level"]
    search_fields = ["alliance__full_name", "alliance__short_name"]
