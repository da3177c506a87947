import django_filters
from django.db.models import Exists, OuterRef, Q

from .models import Alliance, AllianceKind, AllianceName, NetworkMembership
from .names import normalise


class AllianceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称或编号", method="filter_q")
    kind = django_filters.ChoiceFilter(
        label="类型", choices=AllianceKind.choices, method="filter_kind"
    )
    batch = django_filters.ChoiceFilter(
        label="批次", choices=[(str(n), f"第{n}批") for n in range(1, 10)], method="filter_batch"
    )
    network = django_filters.ChoiceFilter(
        label="协发网网员", choices=[("yes", "现为网员"), ("no", "非网员")], method="filter_network"
    )
    is_active = django_filters.BooleanFilter(label="在册")

    class Meta:
        model = Alliance
        fields = ["q", "kind", "batch", "network", "is_active"]

    def filter_q(self, queryset, _name, value):
        key = normalise(value)
        if not key:
            return queryset
        names = AllianceName.objects.filter(alliance=OuterRef("pk"), normalised__contains=key)
        return queryset.filter(Exists(names) | Q(code__iexact=value.strip()))

    def filter_kind(self, queryset, _name, value):
        if value == AllianceKind.NETWORK:
            return queryset.filter(code__startswith="D")
        if value == AllianceKind.PILOT:
            return queryset.filter(code__isnull=False).exclude(code__startswith="D")
        return queryset.filter(code__isnull=True)

    def filter_batch(self, queryset, _name, value):
        return queryset.filter(code__regex=rf"^{int(value)}\d\d$")

    def filter_network(self, queryset, _name, value):
        open_membership = NetworkMembership.objects.filter(
            alliance=OuterRef("pk"), left_on__isnull=True
        )
        return (
            queryset.filter(Exists(open_membership))
            if value == "yes"
            else queryset.exclude(Exists(open_membership))
        )
