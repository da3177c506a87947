"""Forms of the 活跃度评价 pages (the period form of the statistics is ``reports.forms``)."""

from __future__ import annotations

from django import forms

from .models import ActivityLevel

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


def date_field(label: str, placeholder: str = "2024-01-01") -> forms.DateField:
    """A date typed as text, in any of ``DATE_FORMATS``; its errors say what to type."""
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
    starts_on = date_field("起始日期")
    ends_on = date_field("截止日期", "2024-12-31")
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
