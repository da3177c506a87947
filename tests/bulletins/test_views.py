"""The issue pages through the test client: who sees what, every write through a form or
an HTMX request, bad input answered in Chinese with nothing lost, bounded queries."""

import html
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from bulletins import services
from bulletins.document import SECTION_ALLIANCES, SECTION_POLICY
from bulletins.models import Comment, Issue, IssueStatus
from bulletins.workflow import current_version, issue_transition
from tests.factories import (
    confirmed_transition_data,
    make_accepted_submission,
    make_issue,
    make_user,
)
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(editor):
    return make_issue(editor)


def url(name, *args):
    return reverse(f"bulletins:{name}", args=args)


def fill(issue, editor):
    for section in issue.sections.all():
        services.item_create(
            issue_id=issue.pk,
            section_id=section.pk,
            title=f"{section.title}稿件",
            body_html="<p>正文。</p>",
            actor=editor,
        )


# --- Who may see the pages ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "assemble", "history"])
def test_outside_the_office_an_issue_does_not_exist(client, issue, secretary_a, recipient, name):
    for user in (secretary_a, recipient):
        client.force_login(user)
        assert client.get(url(name, issue.pk)).status_code == 404
    client.logout()
    assert client.get(url(name, issue.pk)).status_code == 302  # to the login page


def test_the_list_is_for_office_staff_and_bounded_in_queries(
    client, editor, reviewer, secretary_a, django_assert_max_num_queries
):
    for n in range(2, 7):
        make_issue(editor, volume_year=2023, number=n, cumulative_number=65 + n)
    client.force_login(reviewer)
    with django_assert_max_num_queries(30):
        response = client.get(url("index"))
    assert response.status_code == 200
    assert "2023年第6期（总第71期）" in response.text
    assert "新建期次" not in response.text
    client.force_login(secretary_a)
    assert client.get(url("index")).status_code == 403


def test_only_editors_create_and_assemble(client, issue, reviewer, editor):
    client.force_login(reviewer)
    assert client.get(url("new")).status_code == 403
    response = client.post(url("section_add", issue.pk), {"title": "专题"})
    assert response.status_code == 403
    assert issue.sections.count() == 3
    page = client.get(url("assemble", issue.pk))
    assert page.status_code == 200
    assert "可编入的已采用投稿" not in page.text  # read-only for a reviewer


# --- New issue -----------------------------------------------------------------------------


def test_new_issue_form_proposes_the_next_numbers_and_creates_it(client, editor):
    make_issue(
        editor, volume_year=2023, number=1, cumulative_number=66, issued_on=date(2023, 3, 20)
    )
    client.force_login(editor)
    page = client.get(url("new"))
    assert "上一期是" in page.text and "2023年第1期（总第66期）" in page.text
    assert page.context["form"].initial["cumulative_number"] == 67
    response = client.post(
        url("new"),
        {"volume_year": 2023, "number": 2, "cumulative_number": 67, "issued_on": "2023-05-20"},
    )
    created = Issue.objects.get(cumulative_number=67)
    assert response.status_code == 302
    assert response["Location"] == url("assemble", created.pk)


def test_a_used_number_is_refused_and_the_form_keeps_what_was_typed(client, editor):
    make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    client.force_login(editor)
    response = client.post(
        url("new"),
        {
            "volume_year": 2023,
            "number": 1,
            "cumulative_number": 67,
            "issued_on": "2023-05-20",
            "numbering_note": "我写的理由",
        },
    )
    assert response.status_code == 200
    assert "2023年第1期已经存在" in response.text
    assert 'value="我写的理由"' in response.text
    assert Issue.objects.count() == 1


# --- The assembly page ----------------------------------------------------------------------


def test_assembly_page_lists_sections_items_toc_and_placeable_submissions(
    client, issue, editor, alliance_a, secretary_a, django_assert_max_num_queries
):
    accepted = [
        make_accepted_submission(alliance_a, secretary_a, editor, title=f"甲测试联盟动态{n}")
        for n in range(3)
    ]
    services.item_place_submission(issue_id=issue.pk, submission_id=accepted[0].pk, actor=editor)
    services.item_create(
        issue_id=issue.pk,
        section_id=issue.sections.get(title=SECTION_POLICY).pk,
        title="科技部召开国家碳中和科技专家委员会第一次会议",
        toc_title="国家碳中和科技专家委员会成立",
        body_html="<p>正文</p>",
        actor=editor,
    )
    client.force_login(editor)
    with django_assert_max_num_queries(40):
        page = client.get(url("assemble", issue.pk))
    text = page.text
    assert "本期导读" in text and "国家碳中和科技专家委员会成立" in text  # TOC from items
    assert "（甲测试产业技术创新战略联盟秘书处供稿）" in text
    assert "甲测试联盟动态1" in text and "甲测试联盟动态2" in text  # placeable
    assert text.count("甲测试联盟动态0") >= 2  # in the TOC and in its section
    assert "栏目“联盟联络组及协发网动态”没有稿件" in text  # what blocks the submit


def test_placing_moving_and_removing_items_through_the_page(
    client, issue, editor, alliance_a, secretary_a
):
    submission = make_accepted_submission(alliance_a, secretary_a, editor, title="甲测试联盟动态")
    client.force_login(editor)
    alliances = issue.sections.get(title=SECTION_ALLIANCES)
    response = client.post(
        url("item_place", issue.pk), {"submission": submission.pk, "section": alliances.pk}
    )
    assert response.status_code == 302
    item = issue.items.get()
    # HTMX: the body comes back refreshed, in place.
    policy = issue.sections.get(title=SECTION_POLICY)
    response = client.post(
        url("item_change", issue.pk, item.pk, "move-to"),
        {"section": policy.pk, "index": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "bulletins/_assembly_body.html"
    item.refresh_from_db()
    assert item.section == policy
    response = client.post(url("item_change", issue.pk, item.pk, "remove"), HTTP_HX_REQUEST="true")
    assert not issue.items.exists()
    assert "甲测试联盟动态" not in response.text


def test_bad_input_through_htmx_comes_back_as_a_chinese_alert(client, issue, editor):
    client.force_login(editor)
    response = client.post(
        url("section_add", issue.pk), {"title": SECTION_POLICY}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert f"本期已有栏目“{SECTION_POLICY}”" in response.text


def test_placing_the_same_submission_twice_says_so(client, issue, editor, alliance_a, secretary_a):
    submission = make_accepted_submission(alliance_a, secretary_a, editor, title="甲测试联盟动态")
    client.force_login(editor)
    client.post(url("item_place", issue.pk), {"submission": submission.pk})
    response = client.post(url("item_place", issue.pk), {"submission": submission.pk}, follow=True)
    assert "不能重复编入" in response.text
    assert issue.items.count() == 1


def test_item_form_keeps_the_typed_text_when_refused(client, issue, editor):
    client.force_login(editor)
    policy = issue.sections.get(title=SECTION_POLICY)
    response = client.post(
        url("item_new", issue.pk),
        {"section": policy.pk, "title": "我的标题", "body_html": "<p> </p>", "attribution": "来源"},
    )
    assert response.status_code == 200
    assert "请填写稿件正文" in response.text
    assert 'value="我的标题"' in response.text and 'value="来源"' in response.text
    assert not issue.items.exists()


def test_the_item_editor_shows_the_submissions_pictures_and_stores_their_media_paths(
    client, issue, editor, alliance_a, secretary_a, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import check_upload
    from submissions.models import Submission
    from submissions.services import files_add
    from tests.submissions.files import make_png

    settings.MEDIA_ROOT = tmp_path
    submission = make_accepted_submission(
        alliance_a, secretary_a, editor, title="甲测试联盟召开年会", body_html="<p>年会召开。</p>"
    )
    # A body shows only its submission's own pictures: one uploaded while it was a draft.
    Submission.objects.filter(pk=submission.pk).update(status="draft")
    (row,) = files_add(
        submission_id=submission.pk,
        images=[check_upload(SimpleUploadedFile("会场.png", make_png()), allowed={"png"})],
        actor=secretary_a,
    )
    Submission.objects.filter(pk=submission.pk).update(status="accepted")
    picture = row.file.name
    client.force_login(editor)
    client.post(url("item_place", issue.pk), {"submission": submission.pk})
    item = issue.items.get()
    shown = reverse("submissions:media", args=[submission.pk, picture])

    page = client.get(url("item_edit", issue.pk, item.pk))
    assert page.status_code == 200
    assert "prose-editor" in page.text  # the rich-text editor, not a bare textarea
    assert html.escape(f'src="{shown}"') in page.text  # the browser can fetch this one

    client.post(
        url("item_edit", issue.pk, item.pk),
        {
            "title": item.title,
            "body_html": f'<h4>一、会议</h4><p>年会召开。</p><img src="{shown}">',
        },
    )
    item.refresh_from_db()
    assert item.body_html == f'<h4>一、会议</h4><p>年会召开。</p><img src="{picture}">'
    submission.refresh_from_db()
    assert "<h4>" not in submission.body_html  # the original is kept


def test_editing_an_item_of_another_issue_is_404(client, issue, editor):
    fill(issue, editor)
    other = make_issue(editor, volume_year=2023, number=3, cumulative_number=68)
    item = issue.items.first()
    client.force_login(editor)
    assert client.get(url("item_edit", other.pk, item.pk)).status_code == 404


def test_a_frozen_issue_refuses_edits_with_the_reason(client, issue, editor, reviewer, signer):
    fill(issue, editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    client.force_login(editor)
    response = client.post(url("section_add", issue.pk), {"title": "专题"}, follow=True)
    assert "请先“撤回修改”" in response.text
    assert issue.sections.count() == 3


# --- Read-through, approvals, comments -------------------------------------------------------


def test_reviewer_sees_the_issue_as_printed_with_the_approval_buttons(
    client, issue, editor, reviewer, django_assert_max_num_queries
):
    fill(issue, editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    client.force_login(reviewer)
    with django_assert_max_num_queries(40):
        page = client.get(url("detail", issue.pk))
    assert "审核通过" in page.text and "退回修改" in page.text
    assert "送审稿 · v1" in page.text
    assert "重要政策动态稿件" in page.text


def test_approve_and_return_through_the_page(client, issue, editor, reviewer):
    fill(issue, editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    version = current_version(Issue.objects.get(pk=issue.pk))
    client.force_login(reviewer)
    response = client.post(url("transition", issue.pk), {"action": "return", "comment": ""})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_REVIEW
    response = client.post(
        url("transition", issue.pk),
        confirmed_transition_data(issue, "approve", reviewer, version=version.pk),
        follow=True,
    )
    assert "已审核通过" in response.text
    issue.refresh_from_db()
    assert issue.status == IssueStatus.AWAITING_SIGNATURE


def test_a_refused_return_keeps_the_typed_comment(client, issue, editor, reviewer):
    fill(issue, editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    force_login_verified(client, make_user(Role.SIGNER, username="s2"))  # not the reviewer
    response = client.post(
        url("transition", issue.pk),
        {"action": "return", "comment": "我写了很长的意见"},
        follow=True,
    )
    assert "只有审核人员可以退回修改本期" in response.text
    assert "我写了很长的意见" in response.text


def test_a_redirect_target_outside_the_site_is_ignored(client, issue, editor):
    client.force_login(editor)
    submit = confirmed_transition_data(issue, "submit", editor)
    response = client.post(
        url("transition", issue.pk), {**submit, "next": "https://evil.example/"}
    )  # refused (no items): back to the page it came from, but never off the site
    assert response["Location"] == url("detail", issue.pk)
    response = client.post(
        url("transition", issue.pk), {**submit, "next": url("assemble", issue.pk)}
    )
    assert response["Location"] == url("assemble", issue.pk)


def test_comments_on_the_issue_and_on_an_item(client, issue, editor, reviewer):
    fill(issue, editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    item = issue.items.first()
    client.force_login(reviewer)
    response = client.post(
        url("comment", issue.pk), {"body": "标题太长。", "item": item.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "标题太长。" in response.text
    client.post(url("comment", issue.pk), {"body": "整体可以。"})
    assert list(Comment.objects.values_list("item_id", "body").order_by("pk")) == [
        (item.pk, "标题太长。"),
        (None, "整体可以。"),
    ]
    assert Comment.objects.first().version == current_version(Issue.objects.get(pk=issue.pk))
    response = client.post(url("comment", issue.pk), {"body": " "}, HTTP_HX_REQUEST="true")
    assert "请填写意见内容" in response.text


def test_history_shows_versions_and_the_diff_between_them(client, issue, editor, reviewer):
    fill(issue, editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    issue_transition(issue_id=issue.pk, action="return", actor=reviewer, comment="改标题")
    item = issue.items.first()
    services.item_update(
        item_id=item.pk, title="改好的标题", body_html="<p>正文。</p>", actor=editor
    )
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    v1, v2 = issue.versions.order_by("number")
    client.force_login(reviewer)
    history = client.get(url("history", issue.pk))
    assert "与 v1 对比" in history.text and "改标题" in history.text
    diff = client.get(url("diff", issue.pk) + f"?from={v1.pk}&to={v2.pk}")
    assert [d.text for d in diff.context["diff"] if d.tag == "added"] == ["【稿件】改好的标题"]
    detail = client.get(url("detail", issue.pk))
    assert "与上次送审（v1）相比的修改" in detail.text


def test_home_page_shows_what_waits_for_each_role(client, issue, editor, reviewer, signer):
    fill(issue, editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    force_login_verified(client, reviewer)
    home = client.get(reverse("home"))
    assert "等待您审核的期次" in home.text and "2023年第2期（总第67期）" in home.text
    force_login_verified(client, signer)
    assert "目前没有等待您签发的期次" in client.get(reverse("home")).text
    version = current_version(Issue.objects.get(pk=issue.pk))
    issue_transition(issue_id=issue.pk, action="approve", actor=reviewer, version_id=version.pk)
    assert "等待您签发的期次" in client.get(reverse("home")).text


def test_preview_pdf_is_served_only_to_office_staff(
    client, issue, editor, secretary_a, monkeypatch, settings, tmp_path
):
    from bulletins import rendering, renditions
    from bulletins.rendering import RenderResult

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(renditions, "_send", lambda version_id, kind: None)
    monkeypatch.setattr(
        rendering,
        "render_pdf",
        lambda document, *, pdf_variant=None: RenderResult(
            pdf=b"%PDF-1.7 x", pages=12, sha256="a" * 64
        ),
    )
    fill(issue, editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    version = issue.versions.get()
    renditions.rendition_render(version_id=version.pk, kind="preview")  # what the task runs
    pdf = url("rendition_pdf", issue.pk, version.pk, "preview")
    client.force_login(secretary_a)
    assert client.get(pdf).status_code == 404
    client.force_login(editor)
    response = client.get(pdf)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 x"
    assert "attachment" in response["Content-Disposition"]
    page = client.get(url("assemble", issue.pk)).text
    assert "12 <small>页（v1）" in page and pdf in page
    assert pdf in client.get(url("history", issue.pk)).text


def test_deleting_the_newest_draft_from_the_page(client, editor, reviewer):
    make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    newest = make_issue(editor, volume_year=2023, number=2, cumulative_number=67)
    client.force_login(editor)
    assert "删除2023年第2期（总第67期）" in client.get(url("assemble", newest.pk)).text
    client.force_login(reviewer)
    assert client.post(url("delete", newest.pk)).status_code == 403
    client.force_login(editor)
    response = client.post(url("delete", newest.pk), follow=True)
    assert "已删除2023年第2期（总第67期）" in response.text
    assert list(Issue.objects.values_list("cumulative_number", flat=True)) == [66]


# --- Bodies on the issue page -------------------------------------------------------------


def test_issue_page_shows_images_through_permission_checked_views(
    client, editor, alliance_a, secretary_a, settings, tmp_path
):
    """Bodies store images as media paths (what the PDF prints); the issue page sanitises
    the bodies again and points each image at a view that checks permission."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    from bulletins.selectors.layout import page_image_url
    from core.uploads import check_upload
    from submissions.models import Submission
    from submissions.services import files_add
    from tests.submissions.files import make_png

    settings.MEDIA_ROOT = tmp_path
    submission = make_accepted_submission(alliance_a, secretary_a, editor, title="带图稿件")
    # Images are added while the secretariat drafts: step back to a draft for a moment.
    Submission.objects.filter(pk=submission.pk).update(status="draft")
    files_add(
        submission_id=submission.pk,
        images=[check_upload(SimpleUploadedFile("图.png", make_png()), allowed={"png"})],
        actor=secretary_a,
    )
    Submission.objects.filter(pk=submission.pk).update(status="accepted")
    issue = make_issue(editor)
    services.item_place_submission(issue_id=issue.pk, submission_id=submission.pk, actor=editor)
    client.force_login(editor)
    page = client.get(url("detail", issue.pk)).content.decode()
    sources = re.findall(r'<img[^>]*\ssrc="([^"]+)"', page)
    assert len(sources) == 1 and sources[0].startswith(f"/submissions/{submission.pk}/media/")
    image = client.get(sources[0])
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    # A frozen version's images come through the version's own view.
    version = services.version_snapshot(issue=issue, actor=editor)
    path = submission.files.get(kind="image").file.name
    version_url = page_image_url(issue, version)(path)
    assert version_url == url("version_image", issue.pk, version.pk, path)
    assert client.get(version_url).status_code == 200
    assert page_image_url(issue)("submissions/9/other.jpg") == ""
