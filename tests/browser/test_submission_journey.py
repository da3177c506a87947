"""A submission's round trip in a real browser (Chromium through Playwright):
the secretariat submits with a .docx and an image, the editor returns it with a comment,
the secretariat revises and resubmits, the editor accepts. A real Celery worker sends the
e-mails."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from submissions.models import Submission
from tests.conftest import wait_for
from tests.factories import PASSWORD, AllianceFactory, make_secretary, make_user
from tests.submissions.files import make_docx, make_png

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text(f"您好，{user.display_name}")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def test_submit_return_revise_accept(live_server, page, artifacts_dir, celery_worker_process):
    shots = artifacts_dir / "submissions"
    shots.mkdir(exist_ok=True)
    alliance = AllianceFactory(
        full_name="化纤产业技术创新战略联盟", short_name="化纤联盟", code="118"
    )
    secretary = make_secretary(
        alliance, username="huaxian_test", full_name="张明", email="huaxian@example.org"
    )
    editor = make_user(Role.EDITOR, username="editor_test", full_name="杨丹泽")
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. The secretariat imports a .docx, adds a photo, checks the text and submits.
    log_in(page, base, secretary)
    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="投稿", exact=True
    ).click()
    expect(page.get_by_role("heading", name="投稿", exact=True)).to_be_visible()
    expect(
        page.locator(".ProseMirror[contenteditable=true]")
    ).to_be_visible()  # the rich-text editor is running
    docx = make_docx(
        [
            "中国纺织科技成果对接峰会暨第九届“中国十大纺织科技”发布会日前在晋江市举办。",
            "会议以“数字引擎 智慧未来”为主题，共吸引了近3000人。",
        ],
        title="化纤联盟协办中国纺织科技成果对接峰会",
        image=make_png((120, 80)),
    )
    page.get_by_label("从 Word 文档导入正文").set_input_files(
        files=[{"name": "投稿.docx", "mimeType": "application/octet-stream", "buffer": docx}]
    )
    page.get_by_role("button", name="上传并导入正文").click()
    expect(page.get_by_text("已从 Word 文档导入正文")).to_be_visible()
    expect(page.get_by_label("标题")).to_have_value("化纤联盟协办中国纺织科技成果对接峰会")
    editor_box = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor_box).to_contain_text("共吸引了近3000人")
    expect(editor_box.locator("img")).to_have_count(1)  # the picture inside the document
    page.get_by_label("正文图片").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": make_png((200, 120))}]
    )
    page.get_by_label("联系电话").fill("010-6877 1234")
    page.screenshot(path=str(shots / "01-secretariat-form.png"), full_page=True)
    page.get_by_role("button", name="提交投稿").click()
    expect(page.get_by_text("投稿已提交")).to_be_visible()
    expect(page.locator(".article img")).to_have_count(2)
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.files.filter(kind="image").count() == 2
    page.screenshot(path=str(shots / "02-submitted.png"), full_page=True)
    log_out(page)

    # 2. The editor finds it in the inbox and returns it with a comment.
    comment = f"请补充参会单位名单。（{uuid.uuid4().hex[:6]}）"
    log_in(page, base, editor)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="投稿收件箱").click()
    page.get_by_role("searchbox", name="关键词").fill("纺织 峰会")
    page.get_by_role("button", name="筛选").click()
    page.screenshot(path=str(shots / "03-editor-inbox.png"), full_page=True)
    page.get_by_role("link", name="化纤联盟协办中国纺织科技成果对接峰会").click()
    page.get_by_role("button", name="退回修改").click()  # without a comment first
    expect(page.get_by_text("请填写修改意见")).to_be_visible()
    page.get_by_label(re.compile("^意见")).fill(comment)
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回修改。")).to_be_visible()
    page.screenshot(path=str(shots / "04-editor-returned.png"), full_page=True)
    log_out(page)

    # The real worker sent the secretariat an e-mail with the comment.
    mail_dir = artifacts_dir / "mail"
    wait_for(
        lambda: (
            mail_dir.exists()
            and any(comment in p.read_text(errors="replace") for p in mail_dir.glob("*.log"))
        ),
        timeout=60,
    )

    # 3. The secretariat sees the comment, revises in the editor and resubmits.
    log_in(page, base, secretary)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的投稿").click()
    expect(page.get_by_text(comment)).to_be_visible()
    page.screenshot(path=str(shots / "05-my-submissions.png"), full_page=True)
    page.get_by_role("link", name="修改", exact=True).click()
    expect(page.locator(".comment")).to_contain_text(comment)
    editor_box = page.locator(".ProseMirror[contenteditable=true]")
    # Put the caret at the end of the second paragraph (through the editor itself: a mouse
    # click can land elsewhere while the toolbar is still laying out), then type.
    editor_box.evaluate(
        """(el) => {
            const editor = el.editor;
            let end = null;
            editor.state.doc.descendants((node, pos) => {
                if (node.isTextblock && node.textContent.includes("3000人")) {
                    end = pos + node.nodeSize - 1;
                }
            });
            editor.chain().focus().setTextSelection(end).run();
        }"""
    )
    expect(editor_box).to_be_focused()  # the editor focuses on the next animation frame
    page.keyboard.press("Enter")
    page.keyboard.insert_text(
        "参会单位包括中国纺织科学研究院有限公司等。"
    )  # as an IME commits text
    # The editor wrote it back into the form as a paragraph of its own after the last one.
    expect(page.locator("textarea[name=body_html]")).to_have_value(
        re.compile(r"3000人。</p><p>参会单位包括中国纺织科学研究院有限公司等。</p>")
    )
    page.get_by_role("button", name="重新提交").click()
    expect(page.get_by_text("投稿已提交")).to_be_visible()
    log_out(page)

    # 4. The editor compares the versions and accepts.
    log_in(page, base, editor)
    page.goto(f"{base}/submissions/{submission.pk}/")
    page.get_by_role("button", name="显示差异").click()
    expect(page.locator("#diff-area table.diff tr.insert")).to_contain_text(
        "参会单位包括中国纺织科学研究院有限公司等。"
    )
    page.screenshot(path=str(shots / "06-editor-diff.png"), full_page=True)
    page.get_by_role("button", name="采用…", exact=True).click()
    expect(page.get_by_role("heading", name="确认采用")).to_be_visible()
    page.get_by_role("button", name="确认采用").click()
    expect(page.get_by_text("已采用。")).to_be_visible()
    page.screenshot(path=str(shots / "07-accepted.png"), full_page=True)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    assert list(submission.versions.values_list("kind", flat=True)) == ["submitted", "submitted"]
    assert [e.action for e in submission.events.order_by("pk")] == [
        "create",
        "submit",
        "request_revision",
        "resubmit",
        "accept",
    ]


def test_a_call_for_submissions_from_opening_to_the_board(live_server, page, artifacts_dir):
    from datetime import timedelta

    from django.utils import timezone

    shots = artifacts_dir / "submissions"
    shots.mkdir(exist_ok=True)
    huaxian = AllianceFactory(
        full_name="化纤产业技术创新战略联盟", short_name="化纤联盟", code="118"
    )
    fenmo = AllianceFactory(
        full_name="粉末冶金产业技术创新战略联盟", short_name="粉末冶金联盟", code="320"
    )
    secretary = make_secretary(huaxian, username="huaxian_call", full_name="张明")
    make_secretary(fenmo, username="fenmo_call", full_name="刘芳")
    editor = make_user(Role.EDITOR, username="editor_call", full_name="杨丹泽")
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # The editor opens a call.
    log_in(page, base, editor)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="征稿").click()
    page.locator("summary", has_text="发起征稿").click()
    page.get_by_label("征稿标题").fill("2026年第2期简报征稿")
    page.get_by_label("拟用期次").fill("2026年第2期")
    deadline = timezone.localdate() + timedelta(days=10)
    page.get_by_label("截止日期").fill(deadline.isoformat())
    page.get_by_label("征稿说明").fill("请报送近期工作动态，每篇800字以内。")
    page.get_by_role("button", name="发起征稿").click()
    expect(page.get_by_role("heading", name="尚未投稿（2 个联盟）")).to_be_visible()
    log_out(page)

    # The secretariat sees it on the home page and answers it, typing into the editor.
    log_in(page, base, secretary)
    expect(page.get_by_text("正在征稿")).to_be_visible()
    page.screenshot(path=str(shots / "08-secretariat-home.png"), full_page=True)
    page.get_by_role("link", name="为此投稿").first.click()
    expect(page.get_by_label("响应的征稿")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("标题").fill("化纤联盟召开2026年度理事会")
    page.get_by_label("联系电话").fill("010-6877 1234")
    page.get_by_role("button", name="提交投稿").click()  # the body is still empty
    expect(page.get_by_text("正文不能为空")).to_be_visible()
    expect(page.get_by_label("标题")).to_have_value("化纤联盟召开2026年度理事会")
    expect(page.get_by_label("联系电话")).to_have_value("010-6877 1234")
    page.screenshot(path=str(shots / "08b-empty-body-error.png"), full_page=True)
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    expect(body).to_be_focused()
    page.keyboard.insert_text("化纤产业技术创新战略联盟近日在北京召开2026年度理事会。")
    page.get_by_role("button", name="提交投稿").click()
    expect(page.get_by_text("投稿已提交")).to_be_visible()
    log_out(page)

    # The editor's home and the board show who has and has not sent news.
    log_in(page, base, editor)
    expect(page.get_by_role("heading", name="投稿收件箱")).to_be_visible()
    page.screenshot(path=str(shots / "09-editor-home.png"), full_page=True)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="征稿").click()
    page.screenshot(path=str(shots / "10-calls.png"), full_page=True)
    page.get_by_role("link", name="2026年第2期简报征稿").click()
    expect(page.get_by_role("heading", name="已投稿（1 个联盟）")).to_be_visible()
    expect(page.get_by_role("heading", name="尚未投稿（1 个联盟）")).to_be_visible()
    expect(page.get_by_role("link", name="化纤联盟召开2026年度理事会")).to_be_visible()
    page.screenshot(path=str(shots / "11-call-board.png"), full_page=True)
    submission = Submission.objects.get()
    assert submission.call.title == "2026年第2期简报征稿"
    assert "2026年度理事会" in submission.body_html
