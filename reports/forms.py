"""The form of the statistics pages: which period every count is for."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from alliances.forms import date_field

from .statistics import Period

MAX_RANGE_DAYS = 10 * 366


class PeriodForm(forms.Form):
    """A calendar year, or a range of days (both ends included). A plain form, not a
    FilterSet: it does not filter a queryset, it chooses the period that every count uses."""

    year = forms.IntegerField(
        label="年份",
        required=False,
        min_value=1990,
        max_value=2200,
        widget=forms.NumberInput(attrs={"placeholder": "2024"}),
        error_messages={
            "invalid": "年份请填写四位数字，如 2024。",
            "min_value": "年份不能早于 %(limit_value)s 年。",
            "max_value": "年份不能晚于 %(limit_value)s 年。",
        },
    )
    date_from = date_field("起始日期")
    date_to = date_field("截止日期", "2024-12-31")

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        if not any((data.get(key) or "").strip() for key in ("year", "date_from", "date_to")):
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        typed_from = (self.data.get("date_from") or "").strip()
        typed_to = (self.data.get("date_to") or "").strip()
        if typed_from or typed_to:
            if typed_from and not typed_to:
                self.add_error("date_to", "按日期范围统计时请同时填写截止日期。")
            elif typed_to and not typed_from:
                self.add_error("date_from", "按日期范围统计时请同时填写起始日期。")
            elif first and last and first > last:
                self.add_error(
                    "date_to",
                    f"截止日期（{last:%Y-%m-%d}）早于起始日期（{first:%Y-%m-%d}），"
                    "请检查是否填反。",
                )
            elif first and last and (last - first).days > MAX_RANGE_DAYS:
                self.add_error("date_to", "统计范围最长 10 年，请缩短日期范围。")
        return cleaned

    def period(self) -> Period:
        """The chosen period (only after ``is_valid()``): the range when dates are given."""
        cleaned = self.cleaned_data
        if cleaned.get("date_from") and cleaned.get("date_to"):
            return Period(cleaned["date_from"], cleaned["date_to"])
        return Period.year(cleaned["year"])
