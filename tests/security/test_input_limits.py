"""Issue 17, finding 8: over-long input.

- A body longer than ``MAX_BODY_CHARS`` gets a Chinese form error with what was typed
  kept, on every body editor (the secretariat's form, the editors' revision, the item and
  free-block editors), and is refused before anything sanitises or segments it: cheaply.
- What Django itself refuses before any view runs (a multipart header over 1 KB, such as a
  long file name; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``) gets a Chinese 400 page.
"""

from __future__ import annotations

import time
import uuid
from unittest import mock

import pytest
from django.urls import reverse

from bulletins.models import FreeBlock, Item
from core import sanitise as core_sanitise
from core import text as core_text
from core.editor import MAX_BODY_CHARS
from submissions.models import Submission
from tests.factories import make_issue, make_submission

pytestmark = pytest.mark.django_db

TOO_LONG = "<p>" + "长" * (MAX_BODY_CHARS + 1) + "</p>"
MB = 1024 * 1024


@pytest.fixture
def watched():
    """The longest text handed to the sanitiser and to the segmenter while it is used."""
    longest = {"sanitise": 0, "segment": 0}
    sanitise, words = core_sanitise.sanitise_html, core_text.words

    def sanitise_spy(html, **kwargs):
        longest["sanitise"] = max(longest["sanitise"], len(html or ""))
        return sanitise(html, **kwargs)

    def words_spy(text):
        longest["segment"] = max(longest["segment"], len(text or ""))
        return words(text)

    with (
        mock.patch.object(core_sanitise, "sanitise_html", sanitise_spy),
        mock.patch.object(core_text, "words", words_spy),
    ):
        yield longest


def refused(response, typed: str) -> str:
    page = response.content.decode()
    assert response.status_code in {200, 400}, response.status_code
    assert f"超过 {MAX_BODY_CHARS:,} 个字符" in page
    assert typed in page  # the title typed is still in the form
    return page


def secretariat_post(client, body, **extra):
    data = {
        "form_token": str(uuid.uuid4()),
        "title": "化纤联盟召开理事会",
        "body_html": body,
        "suggested_section": "试点联盟及协发网网员单位动态",
        "contact_name": "张明",
        "contact_phone": "010-12345678",
        "call": "",
        "do": "submit",
    }
    return client.post(reverse("submissions:new"), {**data, **extra})


def test_a_too_long_submission_body_is_a_form_error_keeping_what_was_typed(
    client, secretary_a, watched
):
    client.force_login(secretary_a)
    page = refused(secretariat_post(client, TOO_LONG), "化纤联盟召开理事会")
    assert "长" * 1000 in page  # the body typed comes back in the editor
    assert not Submission.objects.filter(status="submitted").exists()
    assert watched["sanitise"] <= MAX_BODY_CHARS and watched["segment"] <= MAX_BODY_CHARS
    # At the limit, it is accepted.
    at_limit = "<p>" + "长" * (MAX_BODY_CHARS - 7) + "</p>"
    assert secretariat_post(client, at_limit).status_code == 302


def test_a_body_of_megabytes_is_refused_cheaply(client, secretary_a, watched):
    client.force_login(secretary_a)
    body = "<p>" + "长文" * (9 * MB // 6) + "</p>" + "<p>" + "x" * (MB // 2) + "</p>"  # 9.5 MB
    assert 9 * MB < len(body.encode()) < 10 * MB
    started = time.perf_counter()
    response = secretariat_post(client, body)
    elapsed = time.perf_counter() - started
    print(f"\n9.5 MB body refused in {elapsed:.2f} s")
    refused(response, "化纤联盟召开理事会")
    assert watched["sanitise"] <= MAX_BODY_CHARS and watched["segment"] <= MAX_BODY_CHARS
    assert elapsed < 5  # it cost 11 s of sanitising and segmenting before


def test_every_body_editor_refuses_a_too_long_body(client, alliance_a, secretary_a, editor):
    client.force_login(editor)
    submission = make_submission(alliance_a, secretary_a, editor=editor)
    response = client.post(
        reverse("submissions:revise", args=[submission.pk]),
        {"title": "修改后的标题", "body_html": TOO_LONG, "note": ""},
    )
    refused(response, "修改后的标题")
    issue = make_issue(editor)
    response = client.post(
        reverse("bulletins:item_new", args=[issue.pk]),
        {"section": issue.sections.first().pk, "title": "新的一则", "body_html": TOO_LONG},
    )
    refused(response, "新的一则")
    assert not Item.objects.filter(title="新的一则").exists()
    response = client.post(
        reverse("bulletins:block_new", args=[issue.pk]),
        {"kind": "note", "title": "本期说明", "body_html": TOO_LONG},
    )
    refused(response, "本期说明")
    assert not FreeBlock.objects.exists()


def multipart(fields: dict, *, filename: str, boundary: str = "citisa-boundary") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n'
    )
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def test_what_django_refuses_before_the_views_gets_a_chinese_400_page(
    client, secretary_a, settings
):
    client.force_login(secretary_a)
    body = multipart(
        {"title": "化纤联盟召开理事会", "body_html": "<p>正文</p>", "do": "save"},
        filename="很长的文件名" * 200 + ".pdf",
    )
    response = client.post(
        reverse("submissions:new"),
        data=body,
        content_type="multipart/form-data; boundary=citisa-boundary",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法处理这次提交" in page and "文件名过长" in page
    assert "Bad Request" not in page
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(reverse("submissions:new"), {"title": "x", "body_html": "长" * 2000})
    assert response.status_code == 400
    assert "无法处理这次提交" in response.content.decode()
