"""Forms of the submission pages.

The secretariat's form is lenient on purpose: every POST stores what is valid (text,
checked files) with the draft, and reports the rest, so a mistake never loses what was
typed or uploaded. Files are checked by content in :mod:`core.uploads`.
"""

import re
import uuid

from django import forms

from core.editor import body_field
from core.fields import VisibleCharField
from core.text import html_to_text
from core.uploads import IMAGE_TYPES, MAX_DOCX_BYTES, MAX_IMAGE_BYTES, UploadRejected, check_upload

from .bodies import for_storage
from .models import CallForSubmissions, Section
from .selectors import open_calls
from .services import DraftInput

_UNSAFE = re.compile(
    r"<\s*(script|iframe|object|embed|style)\b|javascript:|vbscript:|\son\w+\s*=", re.I
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class RawFileField(forms.FileField):
    """Hands the upload over unchecked: ``uploads.check_upload`` decides, by content, and
    its refusal is reported without making the form (and the typed text) invalid."""

    widget = forms.FileInput

    def clean(self, data, initial=None):
        return data or None


class MultipleFileField(RawFileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


class SubmissionForm(forms.Form):
    """The secretariat's form. ``checked_*`` and ``file_errors`` are filled by
    ``is_valid()``: accepted files are ready to store, refused ones are reported."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    alliance = forms.TypedChoiceField(label="投稿联盟", coerce=int, required=False)
    title = VisibleCharField(
        label="标题",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "size": 60}),
    )
    body_html = body_field()
    docx = RawFileField(
        label="从 Word 文档导入正文",
        required=False,
        help_text="上传 .docx 文件，系统会把其中的文字和图片转成正文，请核对后再提交。",
        widget=forms.FileInput(attrs={"accept": ".docx"}),
    )
    images = MultipleFileField(
        label="正文图片",
        required=False,
        help_text=(
            "JPG 或 PNG，每张不超过 10 MB；上传后图片会放在正文末尾，可在编辑器中拖动调整位置。"
        ),
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text="PDF、Word（.docx）、Excel（.xlsx）、JPG、PNG，每个不超过 20 MB。",
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    suggested_section = forms.ChoiceField(
        label="建议栏目",
        choices=Section.choices,
        initial=Section.ALLIANCES,
        widget=forms.RadioSelect,
    )
    call = forms.TypedChoiceField(label="响应的征稿", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, alliances=(), calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].choices = [(a.pk, a.full_name) for a in alliances]
        if len(self.fields["alliance"].choices) <= 1:
            self.fields["alliance"].widget = forms.HiddenInput()
        self.fields["call"].choices = [("", "（不针对具体征稿）")] + [
            (c.pk, f"{c.title}（{c.deadline:%Y年%m月%d日}截止）") for c in calls
        ]
        self.checked_docx = None
        self.checked_images = []
        self.checked_attachments = []
        self.file_errors: list[str] = []

    def clean_form_token(self):
        return self.cleaned_data.get("form_token") or uuid.uuid4()

    def _check(self, name, **limits):
        accepted = []
        for upload in self.cleaned_data.get(name) or []:
            try:
                accepted.append(check_upload(upload, **limits))
            except UploadRejected as error:
                self.file_errors.extend(error.messages)
        return accepted

    def clean(self):
        data = super().clean()
        # Files never make the form invalid: good ones are stored, bad ones reported.
        docx = data.get("docx")
        if docx:
            checked = self._check_one(docx, allowed={"docx"}, max_bytes=MAX_DOCX_BYTES)
            self.checked_docx = checked
        self.checked_images = self._check("images", allowed=IMAGE_TYPES, max_bytes=MAX_IMAGE_BYTES)
        self.checked_attachments = self._check("attachments")
        return data

    def _check_one(self, upload, **limits):
        try:
            return check_upload(upload, **limits)
        except UploadRejected as error:
            self.file_errors.extend(error.messages)
            return None

    def is_blank(self) -> bool:
        """No title, no body text or picture, no file chosen (what was sent, valid or not):
        nothing worth a draft. Contact fields and the section come pre-filled."""
        body = self.data.get(self.add_prefix("body_html"), "")
        return not (
            self.data.get(self.add_prefix("title"), "").strip()
            or html_to_text(body).strip()
            or "<img" in body
            or any(self.files.getlist(self.add_prefix(name)) for name in self.FILE_FIELDS)
        )

    FILE_FIELDS = ("docx", "images", "attachments")

    @property
    def had_unsafe_markup(self) -> bool:
        raw = self.data.get(self.add_prefix("body_html"), "")
        return bool(_UNSAFE.search(raw)) and for_storage(raw, images=None) != raw

    def draft_input(self, *, fallback=None) -> DraftInput:
        """The text fields as the service takes them; a field that did not validate keeps
        ``fallback``'s value (the stored draft) while the form re-shows what was typed."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}

        def pick(name, default=""):
            if name in data and name not in self.errors:
                return data[name] if data[name] is not None else default
            return getattr(fallback, name, default) if fallback is not None else default

        call_id = pick("call", None) if "call" in data else getattr(fallback, "call_id", None)
        return DraftInput(
            title=pick("title"),
            body_html=pick("body_html"),
            suggested_section=pick("suggested_section", Section.ALLIANCES) or Section.ALLIANCES,
            contact_name=pick("contact_name"),
            contact_phone=pick("contact_phone"),
            call_id=call_id,
        )


def open_call_choices():
    return list(open_calls())


class DecisionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = VisibleCharField(
        multiline=True,
        label="意见",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EditorEditForm(forms.Form):
    title = VisibleCharField(
        label="标题", max_length=200, widget=forms.TextInput(attrs={"size": 60})
    )
    body_html = body_field()
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class CallForm(forms.ModelForm):
    title = VisibleCharField(label="征稿标题", max_length=200)

    class Meta:
        model = CallForSubmissions
        fields = ["title", "issue_label", "deadline", "remind_days_before", "description"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class PublishElsewhereForm(forms.Form):
    """The issue, printed outside the system, that carried an accepted submission."""

    volume_year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="期号", min_value=1, max_value=99)
    cumulative_number = forms.IntegerField(
        label="总期号", min_value=1, max_value=9999, required=False
    )
    page = forms.IntegerField(label="页码", min_value=1, max_value=999, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "volume_year": "请填写刊发的年份（四位数字，如 2023）。",
            "number": "请填写当年的第几期（1–99）。",
            "cumulative_number": "总期号应为正整数，不知道可不填。",
            "page": "页码应为正整数，不知道可不填。",
        }
        for name, text in messages.items():
            for code in ("required", "invalid", "min_value", "max_value"):
                self.fields[name].error_messages[code] = text

    @property
    def issue_label(self) -> str:
        data = self.cleaned_data
        label = f"{data['volume_year']}年第{data['number']}期"
        if data.get("cumulative_number"):
            label += f"（总第{data['cumulative_number']}期）"
        return label
