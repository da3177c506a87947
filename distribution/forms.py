from django import forms

from .models import ListKind, Organisation
from .sheets import MAX_BYTES


class ContactForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="单位",
        queryset=Organisation.objects.select_related("distribution_list").order_by(
            "distribution_list__kind", "position"
        ),
        empty_label="请选择单位",
        error_messages={"required": "请选择单位。", "invalid_choice": "所选单位不存在。"},
    )
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    email = forms.CharField(
        label="电子邮箱", max_length=254, error_messages={"required": "请填写电子邮箱。"}
    )


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label="名单", choices=ListKind.choices)
    name = forms.CharField(
        label="单位名称", max_length=60, error_messages={"required": "请填写单位名称。"}
    )


class ContactImportForm(forms.Form):
    file = forms.FileField(
        label="联系人表格（.xlsx 或 .csv）",
        error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入。"
            )
        return upload


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(label="全文检索", max_length=100, required=False)
    year = forms.IntegerField(label="年份", required=False, min_value=1990, max_value=2200)
