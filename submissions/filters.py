"""The editors' inbox filters.

The keyword search cuts the query with jieba and keeps the rows whose search text contains
*every* term (「化纤联盟年会」 finds 「化纤联盟2024年年会」, which a plain substring search
would miss). It is a ``LIKE`` per term on ``Submission.search_text`` (lower-cased title and
plain body), so it behaves the same on SQLite and PostgreSQL.
"""

from datetime import datetime, time, timedelta

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from alliances.models import Alliance
from core.text import search_terms

from .models import CallForSubmissions, Section, Submission

STATUS_CHOICES = [
    (v, label) for v, label in Submission.Status.choices if v not in Submission.NOT_SENT
]


class QuickSelect(forms.Select):
    """A ``<select>`` rendered in Python: the inbox's alliance list has 130 options, and
    rendering each through the widget templates cost more than all the page's queries."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) in chosen else "", label)
                for v, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class _ListedChoiceIterator(ModelChoiceIterator):
    """The options of a ``ListedModelChoiceField``, from the list it read once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.options:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.options) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.options)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice whose options are read once per form: the chosen value is looked up
    among the options the ``<select>`` shows, not fetched again (one query, not two, for
    each of the inbox's alliance and call filters)."""

    iterator = _ListedChoiceIterator

    @cached_property
    def options(self) -> list:
        return list(self.queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.__dict__.pop("options", None)  # each form reads its own
        return result

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for obj in self.options:
            if str(getattr(obj, key)) == str(value).strip():
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class InboxFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            # Both dropped from the filters (an impossible range would list nothing),
            # both kept in the fields as typed.
            self.add_error("submitted_from", "开始日期晚于结束日期。")
            self.add_error(
                "submitted_to",
                f"结束日期 {end:%Y-%m-%d} 早于开始日期 {start:%Y-%m-%d}，请改正；"
                "日期条件暂未生效。",
            )
        return data


class InboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="关键词",
        method="filter_keywords",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "标题或正文中的词语"}),
    )
    status = django_filters.ChoiceFilter(label="状态", choices=STATUS_CHOICES, empty_label="全部")
    alliance = ListedModelChoiceFilter(
        label="联盟",
        queryset=Alliance.objects.only("id", "full_name").order_by("full_name"),
        empty_label="全部联盟",
        widget=QuickSelect,
    )
    section = django_filters.ChoiceFilter(
        label="建议栏目",
        field_name="suggested_section",
        choices=Section.choices,
        empty_label="全部",
    )
    call = ListedModelChoiceFilter(
        label="征稿",
        queryset=CallForSubmissions.objects.only("id", "title").order_by("-deadline"),
        empty_label="全部",
        widget=QuickSelect,
    )
    submitted_from = django_filters.DateFilter(
        label="投稿日期从",
        method="filter_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = django_filters.DateFilter(
        label="至", method="filter_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    o = django_filters.OrderingFilter(
        label="排序",
        fields=(
            ("submitted_at", "submitted_at"),
            ("alliance__short_name", "alliance"),
            ("status", "status"),
            ("title", "title"),
        ),
        # Every label given (django-filter's descending label is English); the descending
        # keys are the URL parameters ("-alliance"), the ascending ones the fields.
        field_labels={
            "submitted_at": "投稿时间（从旧到新）",
            "-submitted_at": "投稿时间（从新到旧）",
            "alliance__short_name": "联盟（正序）",
            "-alliance": "联盟（倒序）",
            "status": "状态（正序）",
            "-status": "状态（倒序）",
            "title": "标题（正序）",
            "-title": "标题（倒序）",
        },
        empty_label="最新投稿在前",
    )

    class Meta:
        model = Submission
        form = InboxFilterForm
        fields = ["q", "status", "alliance", "section", "call", "submitted_from", "submitted_to"]

    def filter_keywords(self, queryset, _name, value):
        for term in search_terms(value):
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def filter_from(self, queryset, _name, value):
        return queryset.filter(submitted_at__gte=_day_start(value))

    def filter_to(self, queryset, _name, value):
        return queryset.filter(submitted_at__lt=_day_start(value + timedelta(days=1)))

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("o"):
            queryset = queryset.order_by("-submitted_at", "-pk")
        else:
            queryset = queryset.order_by(*queryset.query.order_by, "-pk")
        return queryset

    def qs_without_status(self):
        """The filtered rows before the status filter (for the counts per status)."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.errors  # noqa: B018 - validates the form, as ``qs`` does
        for name, value in self.form.cleaned_data.items():
            if name in {"status", "o"}:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset
