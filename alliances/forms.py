"""Forms of the activity statistics and the 活跃度评价 pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import ActivityLevel
from .statistics import Period

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
MAX_RANGE_DAYS = 10 * 366


def _date_field(label: str, placeholder: str = "2024-01-01") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        # Text, not type=date: a browser date input shows an impossible date as empty, and the
        # person would lose what they typed.
        widget=forms.TextInput(attrs={"placeholder": placeholder, "inputmode": "numeric"}),
        error_messages={
            "invalid": f"{label}不是有效的日期：日期不存在（如 2月30日）或格式不对，"
            "请按 2024-01-31 的格式填写。"
        },
    )


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
    date_from = _date_field("起始日期")
    date_to = _date_field("截止日期", "2024-12-31")

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


class EvaluationPeriodForm(forms.Form):
    name = forms.CharField(
        label="评价期名称",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "2024年度"}),
        error_messages={
            "required": "请填写评价期名称，如“2024年度”。",
            "max_length": "评价期名称最多 %(limit_value)d 个字。",
        },
    )
    starts_on = _date_field("起始日期")
    ends_on = _date_field("截止日期", "2024-12-31")
    notes = forms.CharField(
        label="说明",
        max_length=200,
        required=False,
        error_messages={"max_length": "说明最多 %(limit_value)d 个字。"},
    )

    def clean(self):
        cleaned = super().clean()
        for key, label in (("starts_on", "起始日期"), ("ends_on", "截止日期")):
            if key not in self.errors and not cleaned.get(key):
                self.add_error(key, f"请填写{label}。")
        first, last = cleaned.get("starts_on"), cleaned.get("ends_on")
        if first and last and first > last:
            self.add_error("ends_on", "截止日期不能早于起始日期。")
        return cleaned


LEVEL_CHOICES = [("", "未评"), *ActivityLevel.choices]


class RatingSheetForm(forms.Form):
    """One level and one note per alliance: fields ``level_<id>`` and ``note_<id>``."""

    def __init__(self, *args, alliance_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.alliance_ids = alliance_ids
        for pk in alliance_ids:
            self.fields[f"level_{pk}"] = forms.ChoiceField(
                label="活跃度",
                choices=LEVEL_CHOICES,
                required=False,
                error_messages={
                    "invalid_choice": "“%(value)s”不是可选的等级，请在高、较高、一般、不活跃中选择。"
                },
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label="备注",
                max_length=200,
                required=False,
                error_messages={
                    "max_length": "备注最多 %(limit_value)d 个字（现有 %(show_value)d 个）。"
                },
            )

    def decisions(self) -> dict[int, tuple[str, str]]:
        return {
            pk: (self.cleaned_data[f"level_{pk}"], self.cleaned_data[f"note_{pk}"])
            for pk in self.alliance_ids
        }
