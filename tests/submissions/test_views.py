"""The submission pages: what each role sees, what bad input gets, and the 404 walls."""

import html
import re
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from submissions.confirmation import accept_token
from submissions.models import Submission, SubmissionFile
from tests.factories import make_submission, make_user
from tests.two_factor import force_login_verified

from .files import PDF, make_docx, make_jpeg_with_comment, make_png, make_xlsx

pytestmark = pytest.mark.django_db


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def form_data(**overrides):
    data = {
        "form_token": str(uuid.uuid4()),
        "title": "化纤联盟召开2024年度理事会",
        "body_html": "<p>化纤产业技术创新战略联盟近日在北京召开2024年度理事会。</p>",
        "suggested_section": "试点联盟及协发网网员单位动态",
        "contact_name": "张明",
        "contact_phone": "010-12345678",
        "call": "",
        "do": "save",
    }
    data.update(overrides)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the 404 walls ----------------------------------------------------------------------


@pytest.fixture
def submission_b(alliance_b, secretary_b):
    submission = make_submission(alliance_b, secretary_b, status="draft")
    from core.uploads import check_upload
    from submissions.services import files_add

    files_add(
        submission_id=submission.pk,
        attachments=[check_upload(upload("通知.pdf", PDF))],
        images=[check_upload(upload("图.png", make_png()), allowed={"png"})],
        actor=secretary_b,
    )
    return submission


def _urls(submission):
    file_id = submission.files.filter(kind="attachment").first().pk
    image = submission.files.filter(kind="image").first()
    version_id = submission.versions.first().pk if submission.versions.exists() else 0
    return {
        "detail": ("get", reverse("submissions:detail", args=[submission.pk])),
        "edit": ("get", reverse("submissions:edit", args=[submission.pk])),
        "edit-post": ("post", reverse("submissions:edit", args=[submission.pk])),
        "revise": ("get", reverse("submissions:revise", args=[submission.pk])),
        "transition": ("post", reverse("submissions:transition", args=[submission.pk])),
        "accept": ("get", reverse("submissions:accept", args=[submission.pk])),
        "accept-post": ("post", reverse("submissions:accept", args=[submission.pk])),
        "diff": ("get", reverse("submissions:diff", args=[submission.pk]) + f"?old={version_id}"),
        "diff-htmx": ("htmx", reverse("submissions:diff", args=[submission.pk])),
        "file": ("get", reverse("submissions:file", args=[submission.pk, file_id])),
        "file-remove": ("post", reverse("submissions:file_remove", args=[submission.pk, file_id])),
        "media": (
            "get",
            reverse("submissions:media", args=[submission.pk, image.file.name if image else "x"]),
        ),
    }


URL_NAMES = [
    "detail",
    "edit",
    "edit-post",
    "revise",
    "transition",
    "accept",
    "accept-post",
    "diff",
    "diff-htmx",
    "file",
    "file-remove",
    "media",
]


def _request(client, method, url):
    if method == "post":
        return client.post(url, {"action": "submit", "title": "x", "do": "submit"})
    if method == "htmx":
        return client.get(url, headers={"HX-Request": "true"})
    return client.get(url)


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_another_alliances_submission_is_404_everywhere(
    client, name, status, secretary_a, alliance_b, secretary_b
):
    submission = make_submission(alliance_b, secretary_b, status=status)
    from core.uploads import check_upload
    from submissions.services import file_store

    file_store(
        submission=submission,
        checked=check_upload(upload("通知.pdf", PDF)),
        kind="attachment",
        actor=secretary_b,
    )
    file_store(
        submission=submission,
        checked=check_upload(upload("图.png", make_png()), allowed={"png"}),
        kind="image",
        actor=secretary_b,
    )
    method, url = _urls(submission)[name]
    client.force_login(secretary_a)
    response = _request(client, method, url)
    assert response.status_code == 404
    assert submission.title not in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == status
    assert submission.files.filter(removed_at__isnull=True).count() == 2


@pytest.mark.parametrize("name", URL_NAMES)
def test_a_draft_is_404_for_the_editors_until_it_is_submitted(client, name, editor, submission_b):
    method, url = _urls(submission_b)[name]
    client.force_login(editor)
    assert _request(client, method, url).status_code == 404


@pytest.mark.parametrize("name", ["detail", "file", "diff"])
def test_a_recipient_sees_no_submission(client, name, alliance_b, secretary_b):
    submission = make_submission(alliance_b, secretary_b)
    from core.uploads import check_upload
    from submissions.services import file_store

    file_store(
        submission=submission,
        checked=check_upload(upload("通知.pdf", PDF)),
        kind="attachment",
        actor=secretary_b,
    )
    client.force_login(make_user(Role.RECIPIENT))
    method, url = _urls(submission)[name]
    assert _request(client, method, url).status_code == 404


def test_a_file_of_another_submission_cannot_be_fetched_through_ones_own(
    client, alliance_a, secretary_a, submission_b
):
    own = make_submission(alliance_a, secretary_a, status="draft")
    other_file = submission_b.files.filter(kind="attachment").first()
    other_image = submission_b.files.filter(kind="image").first()
    client.force_login(secretary_a)
    response = client.get(reverse("submissions:file", args=[own.pk, other_file.pk]))
    assert response.status_code == 404
    # Nor an image by its media path, even when one's own body names it.
    from submissions.services import DraftInput, draft_save

    draft_save(
        actor=secretary_a,
        submission_id=own.pk,
        data=DraftInput(title="x", body_html=f'<p>x</p><img src="{other_image.file.name}">'),
    )
    response = client.get(reverse("submissions:media", args=[own.pk, other_image.file.name]))
    assert response.status_code == 404
    page = client.get(reverse("submissions:detail", args=[own.pk])).content.decode()
    assert f"/submissions/{submission_b.pk}/" not in page


def test_the_admin_shows_submissions_read_only(client, alliance_a, secretary_a):
    from accounts.models import Role

    submission = make_submission(alliance_a, secretary_a)
    force_login_verified(client, make_user(Role.ADMINISTRATOR))
    assert client.get(reverse("admin:submissions_submission_changelist")).status_code == 200
    change = client.get(reverse("admin:submissions_submission_change", args=[submission.pk]))
    assert change.status_code == 200 and submission.title in change.content.decode()
    assert client.get(reverse("admin:submissions_submission_add")).status_code == 403


@pytest.mark.parametrize("name", ["inbox", "calls"])
def test_the_editor_pages_are_404_for_a_recipient(client, name):
    client.force_login(make_user(Role.RECIPIENT))
    assert client.get(reverse(f"submissions:{name}")).status_code == 404


def test_a_secretariat_user_sees_no_inbox(client, secretary_a):
    client.force_login(secretary_a)
    assert client.get(reverse("submissions:inbox")).status_code == 404


@pytest.mark.parametrize("name", ["mine", "new"])
def test_the_secretariat_pages_are_404_without_an_alliance(client, name, editor):
    client.force_login(editor)
    assert client.get(reverse(f"submissions:{name}")).status_code == 404


def test_anonymous_users_go_to_the_login_page(client, alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a)
    response = client.get(reverse("submissions:detail", args=[submission.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- writing and submitting -------------------------------------------------------------


def test_submit_a_news_item(client, secretary_a, alliance_a):
    client.force_login(secretary_a)
    response = client.post(reverse("submissions:new"), form_data(do="submit"))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("submissions:detail", args=[submission.pk])
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.alliance == alliance_a and submission.submitted_by == secretary_a
    assert submission.versions.get().kind == "submitted"
    page = client.get(response.url).content.decode()
    assert "化纤联盟召开2024年度理事会" in page and "已投稿" in page


def test_save_a_draft_then_continue(client, secretary_a):
    client.force_login(secretary_a)
    response = client.post(reverse("submissions:new"), form_data(do="save"))
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.DRAFT
    assert response.url == reverse("submissions:edit", args=[submission.pk])
    page = client.get(response.url).content.decode()
    assert "化纤联盟召开2024年度理事会" in page
    assert "data-django-prose-editor-configurable" in page  # the rich-text editor
    assert "/static/django_prose_editor/editor.js" in page  # its own assets, no CDN


def test_empty_title_and_body_are_reported_and_nothing_typed_is_lost(client, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("submissions:new"),
        form_data(title="", body_html="<p></p>", contact_name="王小明", do="submit"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写标题。" in body and "正文不能为空" in body
    assert "没有创建草稿" in "".join(messages_of(response))
    assert 'value="王小明"' in body
    # Nothing but the pre-filled contact: no 「（无标题草稿）」 is left behind.
    assert not Submission.objects.exists()


def test_a_title_alone_is_kept_as_a_draft_that_cannot_be_submitted(client, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("submissions:new"),
        form_data(body_html="<p></p>", contact_name="王小明", do="submit"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "正文不能为空" in body
    assert "草稿已保存，但还不能提交" in "".join(messages_of(response))
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.DRAFT and submission.contact_name == "王小明"
    # The re-shown form now posts to the draft: no second draft on the next try.
    assert f'action="{reverse("submissions:edit", args=[submission.pk])}"' in body


def test_wrong_type_files_are_refused_by_content_and_the_good_ones_kept(client, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("submissions:new"),
        {
            **form_data(do="submit"),
            "attachments": [
                upload("方案.pdf", PDF),
                upload("病毒.pdf", b"MZ\x90\x00 this is a windows program"),
                upload("名单.xlsx", make_xlsx()),
            ],
            "images": [upload("照片.png", b"not really a png")],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "“病毒.pdf”的文件类型不支持" in body
    assert "“照片.png”的文件类型不支持" in body
    assert "化纤联盟召开2024年度理事会" in body  # typed text re-shown
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.DRAFT  # not submitted while a file failed
    names = sorted(submission.files.values_list("original_name", flat=True))
    assert names == ["名单.xlsx", "方案.pdf"]
    assert "方案.pdf" in body  # the stored files are listed: no need to upload them again
    # Submitting again without re-uploading anything works and keeps the files.
    edit_url = reverse("submissions:edit", args=[submission.pk])
    response = client.post(edit_url, form_data(do="submit"))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.files.count() == 2


def test_a_docx_that_is_really_something_else(client, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("submissions:new"),
        {**form_data(do="import"), "docx": upload("稿件.docx", PDF)},
    )
    assert response.status_code == 400
    assert "“稿件.docx”是 PDF 文件，这里只能上传 Word（.docx） 文件" in response.content.decode()
    response = client.post(
        reverse("submissions:new"),
        {**form_data(do="import"), "docx": upload("旧稿.docx", b"\xd0\xcf\x11\xe0 old .doc")},
    )
    assert "扩展名是 .docx，但文件内容并不是Word（.docx）文件" in response.content.decode()


def test_a_docx_with_macros_is_refused(client, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("submissions:new"),
        {**form_data(), "attachments": [upload("宏.docx", make_docx(["x"], macros=True))]},
    )
    assert "含有宏" in response.content.decode()
    assert not SubmissionFile.objects.exists()


def test_oversize_files_are_refused(client, secretary_a, monkeypatch):
    from core import uploads

    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 1024)
    monkeypatch.setattr(
        uploads.check_upload,
        "__kwdefaults__",
        {"allowed": uploads.ATTACHMENT_TYPES, "max_bytes": 1024},
    )
    client.force_login(secretary_a)
    response = client.post(
        reverse("submissions:new"),
        {**form_data(), "attachments": [upload("大文件.pdf", PDF + b"0" * 5000)]},
    )
    assert "“大文件.pdf”有 5 KB，超过了 1 KB 的上限" in response.content.decode()
    assert not SubmissionFile.objects.exists()


def test_script_in_the_body_is_removed_and_the_user_told(client, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("submissions:new"),
        form_data(
            body_html='<p>正文<script>alert(1)</script><a href="javascript:alert(2)">链接</a>'
            '<img src="https://tracker.example/p.gif"></p>',
            do="save",
        ),
        follow=True,
    )
    submission = Submission.objects.get()
    assert "script" not in submission.body_html and "javascript" not in submission.body_html
    assert "tracker.example" not in submission.body_html
    assert "正文" in submission.body_html
    assert any("不安全的内容，已自动移除" in m for m in messages_of(response))


def test_a_double_click_on_submit_stores_one_submission(client, secretary_a):
    client.force_login(secretary_a)
    data = form_data(do="submit")
    first = client.post(reverse("submissions:new"), data)
    second = client.post(reverse("submissions:new"), data, follow=True)
    submission = Submission.objects.get()
    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == reverse("submissions:detail", args=[submission.pk])
    assert any("已经提交过了" in m for m in messages_of(second))
    assert submission.versions.count() == 1
    assert submission.events.filter(action="submit").count() == 1


def test_a_double_click_on_save_stores_one_draft(client, secretary_a):
    client.force_login(secretary_a)
    data = form_data(do="save")
    client.post(reverse("submissions:new"), data)
    client.post(reverse("submissions:new"), data)
    assert Submission.objects.count() == 1


def test_a_second_submit_from_the_edit_page_is_harmless(client, secretary_a, alliance_a):
    submission = make_submission(alliance_a, secretary_a, status="draft")
    client.force_login(secretary_a)
    url = reverse("submissions:edit", args=[submission.pk])
    client.post(url, form_data(do="submit"))
    response = client.post(url, form_data(do="submit"), follow=True)
    assert any("不能修改" in m or "已经提交过了" in m for m in messages_of(response))
    assert submission.events.filter(action="submit").count() == 1


def test_import_a_docx_to_check_before_sending(client, secretary_a):
    client.force_login(secretary_a)
    docx = make_docx(
        ["化纤联盟近日在北京召开年会。", "会议审议了年度工作报告。"],
        title="化纤联盟召开年会",
        image=make_png(),
        links={"恶意链接": "javascript:alert(1)", "联盟网站": "https://citisa.org"},
    )
    response = client.post(
        reverse("submissions:new"),
        {**form_data(title="", body_html="", do="submit"), "docx": upload("稿件.docx", docx)},
    )
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.DRAFT  # the user checks the text first
    assert submission.title == "化纤联盟召开年会"
    assert "会议审议了年度工作报告。" in submission.body_html
    assert "javascript" not in submission.body_html and "127.0.0.1" not in submission.body_html
    image = submission.files.get(kind="image")
    assert f'src="{image.file.name}"' in submission.body_html  # a media path, for printing
    shown = f'src="/submissions/{submission.pk}/media/{image.file.name}"'
    assert shown in html.unescape(response.content.decode())  # in the editor, via the view
    image_response = client.get(f"/submissions/{submission.pk}/media/{image.file.name}")
    assert image_response.status_code == 200
    assert b"".join(image_response.streaming_content).startswith(b"\xff\xd8\xff")
    assert submission.files.filter(kind="source").count() == 1
    notes = " ".join(messages_of(response))
    assert "已从 Word 文档导入正文" in notes and "请核对" in notes
    # (a linked, not embedded, image is refused: tests/security/test_uploads.py)
    assert "会议审议了年度工作报告。" in response.content.decode()


def test_docx_text_is_appended_when_the_body_has_text(client, secretary_a):
    client.force_login(secretary_a)
    client.post(
        reverse("submissions:new"),
        {
            **form_data(body_html="<p>我先写的一段。</p>"),
            "docx": upload("稿件.docx", make_docx(["文档里的一段。"])),
        },
    )
    body = Submission.objects.get().body_html
    assert body.index("我先写的一段。") < body.index("文档里的一段。")


def test_inline_images_are_reencoded_without_metadata(client, secretary_a):
    client.force_login(secretary_a)
    client.post(
        reverse("submissions:new"),
        {**form_data(), "images": [upload("现场.jpg", make_jpeg_with_comment())]},
    )
    submission = Submission.objects.get()
    image = submission.files.get(kind="image")
    data = image.file.read()
    assert data.startswith(b"\xff\xd8\xff") and b"SECRET-HIDDEN-TEXT" not in data
    assert f'<img src="{image.file.name}"' in submission.body_html


def test_a_download_is_an_attachment_outside_the_web_root(client, secretary_a, settings):
    client.force_login(secretary_a)
    client.post(
        reverse("submissions:new"), {**form_data(), "attachments": [upload("方案.pdf", PDF)]}
    )
    row = SubmissionFile.objects.get()
    assert row.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "方案" not in row.file.name  # stored under a random name
    response = client.get(reverse("submissions:file", args=[row.submission_id, row.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_removing_an_attachment(client, secretary_a):
    client.force_login(secretary_a)
    client.post(
        reverse("submissions:new"), {**form_data(), "attachments": [upload("方案.pdf", PDF)]}
    )
    row = SubmissionFile.objects.get()
    client.post(reverse("submissions:file_remove", args=[row.submission_id, row.pk]))
    row.refresh_from_db()
    assert row.removed_at is not None


# --- the editors' side ------------------------------------------------------------------


def test_return_needs_a_comment_and_keeps_what_was_typed(client, editor, alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a)
    client.force_login(editor)
    url = reverse("submissions:transition", args=[submission.pk])
    response = client.post(url, {"action": "request_revision", "comment": ""})
    assert response.status_code == 400
    assert "请填写修改意见" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_the_revision_round_trip(client, editor, alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a)
    client.force_login(editor)
    mail.outbox.clear()
    with_comment = {"action": "request_revision", "comment": "请补充参会单位名单。"}
    with pytest.MonkeyPatch.context():
        response = client.post(
            reverse("submissions:transition", args=[submission.pk]), with_comment
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.REVISION_REQUESTED

    client.force_login(secretary_a)
    mine = client.get(reverse("submissions:mine")).content.decode()
    assert "请补充参会单位名单。" in mine and "退回修改" in mine
    edit_page = client.get(reverse("submissions:edit", args=[submission.pk])).content.decode()
    assert "请补充参会单位名单。" in edit_page and "重新提交" in edit_page
    client.post(
        reverse("submissions:edit", args=[submission.pk]),
        form_data(
            title=submission.title,
            body_html=submission.body_html + "<p>参会单位包括中国纺织科学研究院等。</p>",
            do="submit",
        ),
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.versions.count() == 2

    client.force_login(editor)
    # 采用 from the submission page leads to its confirmation; the confirmed POST accepts.
    page = client.post(
        reverse("submissions:transition", args=[submission.pk]), {"action": "accept"}
    )
    assert "确认采用" in page.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    token = accept_token(submission=submission, user=editor)
    client.post(reverse("submissions:accept", args=[submission.pk]), {"confirmation": token})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    page = client.get(reverse("submissions:detail", args=[submission.pk])).content.decode()
    assert "处理记录" in page and "请补充参会单位名单。" in page


def test_editor_edits_keep_the_submitted_original(client, editor, alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a)
    client.force_login(editor)
    response = client.post(
        reverse("submissions:revise", args=[submission.pk]),
        {
            "title": "化纤联盟协办纺织科技成果对接峰会",
            "body_html": "<p>峰会在晋江举办。</p>",
            "note": "压缩",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    original, edited = submission.versions.order_by("number")
    assert original.kind == "submitted" and "第九届" in original.body_html
    assert edited.kind == "edited" and submission.body_html == "<p>峰会在晋江举办。</p>"
    diff = client.get(
        reverse("submissions:diff", args=[submission.pk]),
        {"old": original.pk, "new": edited.pk},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert '<table class="diff">' in diff and "峰会在晋江举办。" in diff and "第九届" in diff
    assert "<html" not in diff  # a fragment


def test_the_printed_text_is_shown_against_what_was_sent(client, editor, alliance_a, secretary_a):
    from submissions.services import printed_version_record
    from submissions.workflow import submission_transition

    submission = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    printed_version_record(
        submission_id=submission.pk,
        title=submission.title,
        body_html="<p>峰会日前在晋江市举办，吸引近3000人。</p>",
        issue_label="2026年第2期",
        page=5,
    )
    submission_transition(submission_id=submission.pk, action="publish", actor=None)
    client.force_login(secretary_a)
    page = client.get(reverse("submissions:detail", args=[submission.pk])).content.decode()
    assert "投稿原文与刊发稿对照" in page
    assert "峰会日前在晋江市举办，吸引近3000人。" in page
    assert "2026年第2期 第5页" in page


def test_stored_html_is_sanitised_again_when_rendered(client, editor, alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a)
    # Something wrote around the service (a migration, the shell): the page still cleans it.
    Submission.objects.filter(pk=submission.pk).update(
        body_html="<p>正文</p><script>alert(1)</script>"
    )
    client.force_login(editor)
    page = client.get(reverse("submissions:detail", args=[submission.pk])).content.decode()
    assert "alert(1)" not in page


def test_duplicate_warning_is_shown_to_the_editor(
    client, editor, alliance_a, secretary_a, alliance_b, secretary_b
):
    body = (
        "<p>中国纺织科技成果对接峰会暨第九届“中国十大纺织科技”发布会日前在晋江市举办。会议由化纤联盟"
        "理事长单位中国纺织科学研究院有限公司、泉州市发展和改革委员会主办，化纤产业技术创新战略联盟"
        "协办。本次会议以“数字引擎 智慧未来”为主题，共吸引了近3000人。</p>"
    )
    first = make_submission(alliance_a, secretary_a, body_html=body)
    second = make_submission(
        alliance_b,
        secretary_b,
        title="中国纺织科技成果对接峰会举办",
        body_html=body + "<p>特此报道。</p>",
    )
    unrelated = make_submission(
        alliance_b,
        secretary_b,
        title="粉末冶金联盟发布7项团体标准",
        body_html="<p>粉末冶金产业技术创新战略联盟发布《钼铌合金棒材》等7项团体标准。</p>",
    )
    warning = second.duplicate_warnings.get()
    assert warning.other == first and warning.score >= 0.75
    assert not unrelated.duplicate_warnings.exists()
    client.force_login(editor)
    page = client.get(reverse("submissions:detail", args=[second.pk])).content.decode()
    assert "疑似重复稿件" in page and reverse("submissions:detail", args=[first.pk]) in page
    inbox = client.get(reverse("submissions:inbox")).content.decode()
    assert inbox.count("疑似重复") == 1
    # The secretariat is not shown the other alliance's submission.
    client.force_login(secretary_b)
    page = client.get(reverse("submissions:detail", args=[second.pk])).content.decode()
    assert "疑似重复稿件" not in page


# --- lists ------------------------------------------------------------------------------


def test_my_submissions_lists_only_my_alliances(
    client, alliance_a, secretary_a, alliance_b, secretary_b
):
    make_submission(alliance_a, secretary_a, title="甲联盟的稿件")
    make_submission(alliance_b, secretary_b, title="乙联盟的稿件")
    client.force_login(secretary_a)
    page = client.get(reverse("submissions:mine")).content.decode()
    assert "甲联盟的稿件" in page and "乙联盟的稿件" not in page


def test_home_panels_show_counts_and_links(client, alliance_a, secretary_a, editor):
    make_submission(alliance_a, secretary_a, status="draft", title="草稿一")
    make_submission(alliance_a, secretary_a, title="已投一")
    client.force_login(secretary_a)
    page = client.get(reverse("home")).content.decode()
    assert reverse("submissions:new") in page and reverse("submissions:mine") in page
    assert re.search(r"草稿</span><strong>1</strong>", page)
    client.force_login(editor)
    page = client.get(reverse("home")).content.decode()
    assert "投稿收件箱" in page and re.search(r"已投稿</span><strong>1</strong>", page)
    assert reverse("submissions:inbox") in page


@pytest.mark.django_db(transaction=True)
def test_a_double_click_while_the_first_post_is_still_saving_keeps_one_whole_submission(
    secretary_a, monkeypatch
):
    """Found by bench/bench_load.py: the second POST of the same form used to rewrite the
    draft between the first one's files and its submit (the photo vanished from the body),
    then failed with a 500 storing its files on a submission no longer a draft."""
    import threading
    import time

    from django.db import connections
    from django.test import Client

    from submissions import services

    real_files_add = services.files_add

    def slow_files_add(**kwargs):  # widen the window between the files and the submit
        stored = real_files_add(**kwargs)
        time.sleep(0.6)
        return stored

    monkeypatch.setattr(services, "files_add", slow_files_add)
    first = Client(raise_request_exception=True)
    first.force_login(secretary_a)
    second = Client(raise_request_exception=True)
    second.cookies = first.cookies
    data = form_data(do="submit")
    answers = {}

    def post(name, client, delay):
        time.sleep(delay)
        files = {
            "images": upload("现场.png", make_png(), "image/png"),
            "attachments": upload("议程.pdf", PDF, "application/pdf"),
        }
        try:
            answers[name] = client.post(reverse("submissions:new"), {**data, **files})
        except Exception as error:  # a 500
            answers[name] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=("first", first, 0)),
        threading.Thread(target=post, args=("second", second, 0.3)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    submission = Submission.objects.get()
    detail = reverse("submissions:detail", args=[submission.pk])
    assert {name: getattr(a, "status_code", a) for name, a in answers.items()} == {
        "first": 302,
        "second": 302,
    }
    assert answers["first"]["Location"] == answers["second"]["Location"] == detail
    assert submission.status == Submission.Status.SUBMITTED
    files = list(submission.files.filter(removed_at__isnull=True))
    assert sorted(f.kind for f in files) == ["attachment", "image"]
    image = next(f for f in files if f.kind == "image")
    assert f'src="{image.file.name}"' in submission.body_html
    assert submission.versions.count() == 1
    assert f'src="{image.file.name}"' in submission.versions.get().body_html
    assert submission.events.filter(action="submit").count() == 1
