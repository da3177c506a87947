import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from distribution.demo import load_distribution_lists
from distribution.models import Contact, ContactImport, Organisation
from distribution.services import contact_add, contacts_import
from distribution.sheets import SheetError
from tests.two_factor import force_login_verified

HEADER = ["名单", "单位", "姓名", "电子邮箱"]
ROWS = [
    ["报", "科技部", "张一", "zhang1@example.org"],  # 2: good
    # 3: one mailbox whatever the case of its letters: duplicate of row 2
    ["报", "科技部", "张一", "ZHANG1@Example.org"],
    ["送", "各试点产业技术创新战略联盟", "李二", "li2@example.org"],  # 4: good
    ["送", "各试点产业技术创新战略联盟", "李二", " li2@EXAMPLE.org "],  # 5: duplicate of row 4
    ["报", "科学院", "王三", "wang3@example.org"],  # 6: unknown organisation
    ["报", "财政部", "赵四", "zhao4@example"],  # 7: invalid address
    ["报", "财政部", "钱五", '=HYPERLINK("http://evil")@example.org'],  # 8: formula
    ["报", "财政部", "孙六", "sun\u200b6@example.org"],  # 9: invisible character
    ["抄", "财政部", "周七", "zhou7@example.org"],  # 10: unknown list
    ["报", "财政部", "", "wu8@example.org"],  # 11: no name
    ["", "", "", ""],  # 12: blank, skipped
    ["", "国资委", "郑九", "zheng9@example.org"],  # 13: good, list column left empty
    ["报", "发展改革委", "已有", "fgw@example.org"],  # 14: already a contact (demo data)
    [
        "送",
        "有关地方科技厅（局）",
        "冯十",
        "ｆｅｎｇ10＠ｅｘａｍｐｌｅ．ｏｒｇ",
    ],  # 15: good, full-width
]


def csv_bytes(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def reasons_by_row(report):
    return {entry["row"]: "；".join(entry["reasons"]) for entry in report.rejected}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        lambda: csv_bytes([HEADER, *ROWS]),
        lambda: csv_bytes([HEADER, *ROWS], encoding="gb18030"),
        lambda: xlsx_bytes([HEADER, *ROWS]),
    ],
    ids=["csv-utf8", "csv-gb18030", "xlsx"],
)
def test_import_adds_good_rows_and_reports_every_other_row_in_chinese(payload, editor):
    load_distribution_lists()
    before = Contact.objects.count()
    report = contacts_import(data=payload(), filename="联系人.csv", actor=editor)
    reasons = reasons_by_row(report)
    assert sorted(reasons) == [3, 5, 6, 7, 8, 9, 10, 11, 14]
    assert "与第 2 行重复" in reasons[3]
    assert "与第 4 行重复" in reasons[5]
    assert "未知单位“科学院”" in reasons[6]
    assert "格式不正确" in reasons[7]
    assert "公式" in reasons[8]
    assert "不可见" in reasons[9]
    assert "名单“抄”不存在" in reasons[10]
    assert "姓名为空" in reasons[11]
    assert "已有使用 fgw@example.org" in reasons[14]
    assert report.total_rows == 13 and report.created_count == 4
    assert Contact.objects.count() == before + 4
    assert Contact.objects.get(name="冯十").email == "feng10@example.org"
    assert Contact.objects.get(name="郑九").organisation.name == "国资委"
    # The history records who imported.
    assert (
        Contact.objects.get(name="张一", email="zhang1@example.org").history.get().history_user
        == editor
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\x00\x01binary\x00", "x.csv", "不是 CSV"),
        (b"\xd0\xcf\x11\xe0old-excel", "old.xls", "不支持旧版 .xls"),
        (b"PK\x03\x04not really a zip", "x.xlsx", "已损坏"),
        (csv_bytes([["姓名", "邮箱"], ["张", "a@example.org"]]), "x.csv", "缺少：单位"),
        (b"   ", "x.csv", "空的"),
        (b"a" * (2 * 1024 * 1024 + 1), "x.csv", "超过 2 MB"),
    ],
)
def test_unreadable_files_are_refused_whole_with_a_reason(editor, data, filename, message):
    load_distribution_lists()
    before = Contact.objects.count()
    with pytest.raises(SheetError, match=message):
        contacts_import(data=data, filename=filename, actor=editor)
    assert Contact.objects.count() == before
    assert not ContactImport.objects.exists()


@pytest.mark.django_db
def test_an_organisation_on_both_lists_needs_the_list_column(editor):
    load_distribution_lists()
    from distribution.models import DistributionList, ListKind
    from distribution.services import organisation_add

    organisation_add(
        distribution_list=DistributionList.objects.get(kind=ListKind.SEND), name="科技部"
    )
    report = contacts_import(
        data=csv_bytes([["单位", "姓名", "电子邮箱"], ["科技部", "甲", "jia@example.org"]]),
        filename="x.csv",
        actor=editor,
    )
    assert "都有，请填写“名单”列" in report.rejected[0]["reasons"][0]


@pytest.mark.django_db
def test_import_page_shows_the_report_and_offers_the_refused_rows(client, administrator):
    load_distribution_lists()
    force_login_verified(client, administrator)
    upload = SimpleUploadedFile("名单.csv", csv_bytes([HEADER, *ROWS]), content_type="text/csv")
    response = client.post("/distribution/lists/import/", {"file": upload})
    assert response.status_code == 302
    report = ContactImport.objects.get()
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "未知单位“科学院”" in text and "第 6 行" in text
    # What the user uploaded is kept, escaped: the formula row is shown as text.
    assert "=HYPERLINK(&quot;http://evil&quot;)@example.org" in text
    rejected = client.get(f"/distribution/lists/imports/{report.pk}/rejected.csv")
    assert rejected["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(rejected.content.decode("utf-8-sig"))))
    assert rows[0][0] == "原行号" and len(rows) == 1 + 9
    formula_row = next(row for row in rows if row[3] == "钱五")
    assert formula_row[4].startswith("'=HYPERLINK")  # escaped for the spreadsheet


@pytest.mark.django_db
def test_a_bad_upload_is_answered_on_the_page(client, administrator):
    load_distribution_lists()
    force_login_verified(client, administrator)
    upload = SimpleUploadedFile(
        "old.xls", b"\xd0\xcf\x11\xe0old", content_type="application/vnd.ms-excel"
    )
    response = client.post("/distribution/lists/import/", {"file": upload})
    assert response.status_code == 400
    assert "不支持旧版 .xls 格式" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "reviewer", "secretary_a", "recipient"])
def test_only_administrators_manage_the_lists(client, request, who):
    load_distribution_lists()
    client.force_login(request.getfixturevalue(who))
    upload = SimpleUploadedFile("x.csv", csv_bytes([HEADER, ROWS[0]]), content_type="text/csv")
    assert client.post("/distribution/lists/import/", {"file": upload}).status_code == 403
    org = Organisation.objects.get(name="科技部")
    response = client.post(
        "/distribution/lists/contacts/",
        {"organisation": org.pk, "name": "甲", "email": "j@example.org"},
    )
    assert response.status_code == 403
    assert client.get("/distribution/lists/export.csv").status_code == 403
    assert not Contact.objects.filter(email__in=["zhang1@example.org", "j@example.org"]).exists()


@pytest.mark.django_db
def test_adding_a_contact_on_the_page_keeps_what_was_typed_on_error(client, administrator):
    load_distribution_lists()
    force_login_verified(client, administrator)
    org = Organisation.objects.get(name="科技部")
    response = client.post(
        "/distribution/lists/contacts/",
        {"organisation": org.pk, "name": "张三", "email": "+1@example.org"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "不能以 = + - @ 开头" in text and 'value="张三"' in text
    response = client.post(
        "/distribution/lists/contacts/",
        {"organisation": org.pk, "name": "张三", "email": "zs@Example.org"},
    )
    assert response.status_code == 302
    assert Contact.objects.filter(organisation=org, email="zs@example.org").exists()


@pytest.mark.django_db
def test_export_escapes_every_cell(client, administrator):
    load_distribution_lists()
    org = Organisation.objects.get(name="科技部")
    contact_add(organisation=org, name="+cmd|'/c calc'!A1", email="calc@example.org")
    force_login_verified(client, administrator)
    response = client.get("/distribution/lists/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["名单", "单位", "姓名", "电子邮箱", "接收简报"]
    assert ["报", "科技部", "'+cmd|'/c calc'!A1", "calc@example.org", "是"] in rows
    response = client.get("/distribution/lists/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [
        cell for row in sheet.iter_rows() for cell in row if cell.value and "cmd" in str(cell.value)
    ]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].value.startswith("'+")
    assert client.get("/distribution/lists/export.pdf").status_code == 404


@pytest.mark.django_db
def test_a_sheet_of_endless_blank_rows_is_refused(editor):
    data = ("单位,姓名,电子邮箱\n" + ",,\n" * 10_001).encode()
    with pytest.raises(SheetError, match="一次最多导入 5000 行"):
        contacts_import(data=data, filename="blank.csv", actor=editor)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "reviewer", "secretary_a", "recipient"])
def test_import_reports_are_for_administrators_only(client, request, administrator, who):
    load_distribution_lists()
    report = contacts_import(data=csv_bytes([HEADER, *ROWS]), filename="x.csv", actor=administrator)
    force_login_verified(client, request.getfixturevalue(who))
    assert client.get(f"/distribution/lists/imports/{report.pk}/").status_code == 404
    assert client.get(f"/distribution/lists/imports/{report.pk}/rejected.csv").status_code == 404
    force_login_verified(client, administrator)
    assert client.get(f"/distribution/lists/imports/{report.pk}/").status_code == 200
