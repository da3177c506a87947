import django_filters
from django.db.models import Q

from .models import Delivery, DeliveryStatus, ListKind


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=DeliveryStatus.choices, empty_label="全部"
    )
    list_kind = django_filters.ChoiceFilter(
        label="名单", choices=ListKind.choices, empty_label="全部"
    )
    opened = django_filters.ChoiceFilter(
        label="签收",
        choices=[("yes", "已签收"), ("no", "未签收")],
        empty_label="全部",
        method="filter_opened",
    )
    q = django_filters.CharFilter(label="姓名、单位或邮箱", method="filter_q")

    class Meta:
        model = Delivery
        fields = ["status", "list_kind", "opened", "q"]

    def filter_opened(self, queryset, _name, value):
        return queryset.filter(first_downloaded_at__isnull=(value != "yes"))

    def filter_q(self, queryset, _name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(organisation_name__icontains=value)
            | Q(email__icontains=value)
        )
