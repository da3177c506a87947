"""Issue 17, finding 9: titles and comments.

Section add and rename go through the section form (a 61-character title is refused, not
cut to 60); every title (sections, items, free blocks, submissions, the editors' revision,
calls, the issuer) and every comment loses NUL, the other controls, zero-width and bidi
characters (``core.text.visible_text``, the helper file names use too), so a title
of only such characters is refused as empty; a comment with a NUL is not answered
"请填写意见内容。".
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bulletins import services
from bulletins.models import Comment, FreeBlock, Item, Section
from core.text import visible_text
from core.uploads import display_name
from submissions.models import CallForSubmissions, Submission
from tests.factories import make_issue, make_submission

pytestmark = pytest.mark.django_db

HIDDEN = "\x00\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\x07\x1b"
ONLY_HIDDEN = "\u200b\u202e"


def hide_in(text: str) -> str:
    """``text`` with every hidden character slipped in after its first character."""
    return text[0] + HIDDEN + text[1:] + "\u202e"


def test_the_one_helper_drops_what_cannot_be_seen():
    assert visible_text(hide_in("国家政策")) == "国家政策"
    assert visible_text(ONLY_HIDDEN) == ""
    assert visible_text("第一行\x00\r\n\t第二行", multiline=True) == "第一行\n\t第二行"
    # File names are cleaned by the same helper.
    assert display_name("\u202egpj.exe") == "gpj.exe"


@pytest.fixture
def issue(client, editor):
    client.force_login(editor)
    return make_issue(editor)


def messages_text(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_section_add_and_rename_go_through_the_form(client, issue):
    add = reverse("bulletins:section_add", args=[issue.pk])
    count = issue.sections.count()
    response = client.post(add, {"title": "长" * 61}, follow=True)
    assert "60" in messages_text(response)
    assert issue.sections.count() == count
    response = client.post(add, {"title": ONLY_HIDDEN}, follow=True)
    assert "请填写栏目名称" in messages_text(response)
    assert issue.sections.count() == count
    client.post(add, {"title": hide_in("专题报道")})
    assert Section.objects.filter(issue=issue, title="专题报道").exists()
    section = Section.objects.get(issue=issue, title="专题报道")
    rename = reverse("bulletins:section_change", args=[issue.pk, section.pk, "rename"])
    response = client.post(rename, {"title": "名" * 61}, follow=True)
    assert "60" in messages_text(response)
    response = client.post(rename, {"title": ONLY_HIDDEN}, follow=True)
    assert "请填写栏目名称" in messages_text(response)
    client.post(rename, {"title": hide_in("专题")})
    section.refresh_from_db()
    assert section.title == "专题"
    # The service refuses too, for callers without the form.
    with pytest.raises(ValidationError, match="60"):
        services.section_add(issue_id=issue.pk, title="长" * 61, actor=issue.created_by)


def test_item_and_block_titles(client, issue):
    section = issue.sections.first()
    body = "<p>正文。</p>"
    new_item = reverse("bulletins:item_new", args=[issue.pk])
    response = client.post(
        new_item, {"section": section.pk, "title": ONLY_HIDDEN, "body_html": body}
    )
    assert response.status_code == 200 and "必填" in response.content.decode()
    client.post(
        new_item,
        {
            "section": section.pk,
            "title": hide_in("联盟召开理事会"),
            "toc_title": hide_in("理事会"),
            "body_html": body,
            "attribution": hide_in("（联盟秘书处供稿）"),
        },
    )
    item = Item.objects.get(issue=issue, title="联盟召开理事会")
    assert (item.toc_title, item.attribution) == ("理事会", "（联盟秘书处供稿）")
    new_block = reverse("bulletins:block_new", args=[issue.pk])
    response = client.post(new_block, {"kind": "note", "title": ONLY_HIDDEN, "body_html": body})
    assert response.status_code == 200 and not FreeBlock.objects.exists()
    client.post(new_block, {"kind": "note", "title": hide_in("说明"), "body_html": body})
    assert FreeBlock.objects.get().title == "说明"
    # Past the forms, the services drop them as well.
    other = services.item_create(
        issue_id=issue.pk, section_id=section.pk, title=hide_in("另一则"), body_html=body,
        actor=issue.created_by,
    )  # fmt: skip
    assert other.title == "另一则"
    with pytest.raises(ValidationError, match="请填写"):
        services.block_add(
            issue_id=issue.pk, kind="note", title=ONLY_HIDDEN, body_html=body,
            actor=issue.created_by,
        )  # fmt: skip


def test_issue_comments_say_what_is_wrong(client, issue):
    url = reverse("bulletins:comment", args=[issue.pk])
    response = client.post(url, {"body": "标题\x00有误\u202e，请改。"}, HTTP_HX_REQUEST="true")
    assert "请填写意见内容" not in response.content.decode()
    assert Comment.objects.get().body == "标题有误，请改。"
    response = client.post(url, {"body": ONLY_HIDDEN + "\x00"}, HTTP_HX_REQUEST="true")
    assert "请填写意见内容" in response.content.decode()
    assert Comment.objects.count() == 1
    response = client.post(url, {"body": "长" * 4001}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "4000" in page and "请填写意见内容" not in page
    assert "长" * 4001 in page  # what was typed is kept


def test_submission_titles_and_the_editors_revision(client, alliance_a, secretary_a, editor):
    client.force_login(secretary_a)
    client.post(
        reverse("submissions:new"),
        {
            "form_token": str(uuid.uuid4()),
            "title": hide_in("化纤联盟召开理事会"),
            "body_html": "<p>联盟近日召开理事会。</p>",
            "suggested_section": "试点联盟及协发网网员单位动态",
            "contact_name": "张明",
            "contact_phone": "010-12345678",
            "call": "",
            "do": "save",
        },
    )
    assert Submission.objects.get().title == "化纤联盟召开理事会"
    submitted = make_submission(alliance_a, secretary_a, title=ONLY_HIDDEN + "标题")
    assert submitted.title == "标题"
    client.force_login(editor)
    response = client.post(
        reverse("submissions:revise", args=[submitted.pk]),
        {"title": ONLY_HIDDEN, "body_html": "<p>正文。</p>", "note": ""},
    )
    assert response.status_code == 200 and "必填" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.title == "标题"
    client.post(
        reverse("submissions:revise", args=[submitted.pk]),
        {"title": hide_in("修改后的标题"), "body_html": "<p>正文。</p>", "note": ""},
    )
    submitted.refresh_from_db()
    assert submitted.title == "修改后的标题"


def test_call_titles(client, editor):
    client.force_login(editor)
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    url = reverse("submissions:calls")
    data = {"issue_label": "2026年第3期", "deadline": deadline, "remind_days_before": 5}
    response = client.post(url, {**data, "title": ONLY_HIDDEN})
    assert response.status_code == 200 and not CallForSubmissions.objects.exists()
    client.post(url, {**data, "title": hide_in("2026年第3期征稿")})
    assert CallForSubmissions.objects.get().title == "2026年第3期征稿"


def test_the_issuer(client, issue):
    url = reverse("bulletins:update", args=[issue.pk])
    client.post(
        url,
        {
            "issued_on": "2023-05-20",
            "issuer": hide_in("联盟协发网秘书处"),
            "report_to": hide_in("科技部\n发展改革委"),
            "send_to": hide_in("各试点联盟"),
        },
    )
    issue.refresh_from_db()
    assert issue.issuer == "联盟协发网秘书处"
    assert (issue.report_to, issue.send_to) == ("科技部\n发展改革委", "各试点联盟")
