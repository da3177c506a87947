"""Forms of the issue pages. They parse and check shapes; the rules live in the services."""

from django import forms

from core.editor import body_field
from core.fields import VisibleCharField
from submissions.bodies import for_display, for_storage

from .models import FreeBlockKind

_EDITOR_HELP = (
    "小标题（如“一、……”）：在工具栏最左边的“段落”菜单中选“小标题”。"
    "工具栏做不到的，可点“编辑 HTML”直接改源代码。保存时会清理不允许的标记。"
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IssueCreateForm(forms.Form):
    volume_year = forms.IntegerField(label="卷年", min_value=1990, max_value=2200)
    number = forms.IntegerField(label="期号（本年第几期）", min_value=1, max_value=99)
    cumulative_number = forms.IntegerField(label="总期号", min_value=1, max_value=99999)
    issued_on = forms.DateField(label="印发日期", widget=_DATE)
    override_numbering = forms.BooleanField(label="期号不接续上一期（须说明理由）", required=False)
    numbering_note = forms.CharField(
        label="理由",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：补录2019年第3期"}),
    )


class IssueUpdateForm(forms.Form):
    issued_on = forms.DateField(label="印发日期", widget=_DATE)
    issuer = VisibleCharField(label="印发单位", max_length=60)
    report_to = VisibleCharField(
        multiline=True, label="报", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    send_to = VisibleCharField(
        multiline=True, label="送", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class SectionForm(forms.Form):
    title = VisibleCharField(
        label="栏目名称", max_length=60, error_messages={"required": "请填写栏目名称。"}
    )


class ItemForm(forms.Form):
    title = VisibleCharField(label="标题", max_length=300)
    toc_title = VisibleCharField(
        label="导读标题（可选）",
        max_length=120,
        required=False,
        help_text="本期导读中用的短标题；留空则用标题。",
    )
    body_html = body_field(required=True, help_text=_EDITOR_HELP)
    attribution = VisibleCharField(
        label="署名行",
        max_length=200,
        required=False,
        help_text="留空则自动生成；政策稿件可写，如“（联盟协发网秘书处和联盟试点工作联络组摘述。"
        "信息来源：新华社）”。",
    )

    # The editor shows a placed submission's images through that submission's
    # permission-checked view; the stored body names them by their media path, which is
    # what the renderer prints. The two conversions live here together.
    @classmethod
    def of_item(cls, item):
        body = item.body_html
        if item.submission_id:
            body = for_display(body, item.submission_id)
        return cls(
            initial={
                "title": item.title,
                "toc_title": item.toc_title,
                "body_html": body,
                "attribution": item.attribution,
            }
        )

    def clean_body_html(self):
        # Whose pictures the body may show is the service's check (bulletins.bodies).
        return for_storage(self.cleaned_data["body_html"], images=None)


class EditorialItemForm(ItemForm):
    section = forms.TypedChoiceField(label="栏目", coerce=int)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, s.title) for s in sections]
        self.order_fields(["section", "title", "toc_title", "body_html", "attribution"])


class BlockForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=FreeBlockKind.choices)
    title = VisibleCharField(label="标题", max_length=120)
    body_html = body_field(label="内容", required=True, help_text=_EDITOR_HELP)


class CommentForm(forms.Form):
    body = VisibleCharField(
        multiline=True,
        label="意见",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写意见内容。"},
    )
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=20)
    comment = VisibleCharField(multiline=True, max_length=4000, required=False)
    version = forms.IntegerField(required=False)
    # From the confirmation page (送审, 审核通过, 签发): its signed token and, for 签发 while a
    # printed organisation has no address, the signer's acknowledgement.
    confirmation = forms.CharField(max_length=1000, required=False)
    acknowledged = forms.BooleanField(required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="往期简报文件",
        help_text="Markdown、纯文本，或从PDF中提取的文字（.txt/.md，UTF-8或GBK编码）。",
    )


class ImportMastheadForm(forms.Form):
    """The numbers of an issue whose text does not print its masthead."""

    year = forms.IntegerField(label="卷年", min_value=1990, max_value=2200, required=False)
    number = forms.IntegerField(label="期号", min_value=1, max_value=99, required=False)
    cumulative = forms.IntegerField(label="总期号", min_value=1, max_value=99999, required=False)
    issued_on = forms.DateField(label="印发日期", widget=_DATE, required=False)
    force = forms.BooleanField(
        label="有问题或有名录中没有的联盟，仍然保存（已核对原件）", required=False
    )

    def options(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("year", "number", "cumulative", "issued_on")}
