"""Importing an old issue from the web: upload → preview → confirm, and who may."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from bulletins.models import Issue, IssueSource, IssueStatus
from tests.factories import make_issue
from tests.two_factor import force_login_verified

from .test_importer import MD_SEED, PDF_SEED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def registry():
    call_command("load_alliances", verbosity=0)


def upload(client, path, name=None):
    file = SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/plain")
    return client.post(reverse("bulletins:import"), {"file": file})


def kept(media) -> list[Path]:
    return list((media / "imports").glob("*.txt")) if (media / "imports").exists() else []


@pytest.mark.parametrize("who", ["editor", "administrator"])
def test_upload_preview_confirm(who, request, client, registry, media):
    force_login_verified(client, request.getfixturevalue(who))
    page = client.get(reverse("bulletins:import"))
    assert page.status_code == 200 and "导入往期简报" in page.content.decode()
    response = upload(client, MD_SEED)
    assert response.status_code == 302
    preview_url = response["Location"]
    assert len(kept(media)) == 1
    assert not Issue.objects.exists()  # the preview writes nothing
    page = client.get(preview_url).content.decode()
    assert "2023年第1期（总第66期）" in page
    assert "3个栏目，25篇稿件" in page
    assert "应急救援装备产业技术创新战略联盟" in page  # the resolved alliance
    assert "本期导读与正文的标题不一致" in page
    assert "杨丹泽" in page
    # Not forced: refused with the reasons, nothing saved, the file still kept.
    page = client.post(preview_url, {"action": "save"}).content.decode()
    assert "没有保存" in page and "确认无误后可强制导入" in page
    assert not Issue.objects.exists() and len(kept(media)) == 1
    response = client.post(preview_url, {"action": "save", "force": "on"})
    issue = Issue.objects.get()
    assert response["Location"] == reverse("bulletins:detail", args=[issue.pk])
    assert issue.status == IssueStatus.SIGNED and issue.source == IssueSource.IMPORTED
    assert issue.items.count() == 25 and issue.imported_from == MD_SEED.name
    assert kept(media) == []
    assert client.get(response["Location"]).status_code == 200
    assert client.get(preview_url).status_code == 404  # the file is gone once saved


def test_a_file_that_is_no_bulletin_is_refused_in_chinese(client, editor, media, tmp_path):
    client.force_login(editor)
    other = tmp_path / "notes.txt"
    other.write_text("今天开会，讨论了三件事。\n", encoding="utf-8")
    page = upload(client, other).content.decode()
    assert "这个文件不是可以导入的简报" in page
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7 ...")
    assert "这是 PDF 文件" in upload(client, pdf).content.decode()
    assert kept(media) == []


def test_missing_masthead_asks_for_the_numbers(client, editor, registry):
    client.force_login(editor)
    preview_url = upload(client, PDF_SEED)["Location"]
    page = client.get(preview_url).content.decode()
    assert "无法确定" in page and "无法确定期次" in page
    numbers = {"year": 2022, "number": 6, "cumulative": 65, "issued_on": "2023-01-16"}
    page = client.post(preview_url, {**numbers, "action": "parse"}).content.decode()
    assert "2022年第6期（总第65期）" in page
    assert not Issue.objects.exists()
    response = client.post(preview_url, {**numbers, "action": "save"})
    assert response.status_code == 302
    assert Issue.objects.get().cumulative_number == 65


def test_a_system_made_issue_is_not_overwritten_from_the_web(client, editor, registry):
    make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    client.force_login(editor)
    preview_url = upload(client, MD_SEED)["Location"]
    assert "系统内编制" in client.get(preview_url).content.decode()
    page = client.post(preview_url, {"action": "save", "force": "on"}).content.decode()
    assert "不能用导入的内容覆盖" in page
    assert Issue.objects.get().source == IssueSource.SYSTEM


@pytest.mark.parametrize("who", ["reviewer", "signer", "secretary_a", "recipient"])
def test_others_may_not_import(who, request, client, editor, media):
    force_login_verified(client, editor)
    preview_url = upload(client, MD_SEED)["Location"]
    force_login_verified(client, request.getfixturevalue(who))
    assert client.get(reverse("bulletins:import")).status_code in (403, 404)
    assert upload(client, MD_SEED).status_code in (403, 404)
    assert client.get(preview_url).status_code in (403, 404)
    assert client.post(preview_url, {"action": "save", "force": "on"}).status_code in (403, 404)
    assert not Issue.objects.exists() and len(kept(media)) == 1


def test_anonymous_is_sent_to_login(client, editor):
    client.force_login(editor)
    preview_url = upload(client, MD_SEED)["Location"]
    client.logout()
    for target in (reverse("bulletins:import"), preview_url):
        response = client.get(target)
        assert response.status_code == 302 and "login" in response["Location"]


def test_another_editors_token_or_a_forged_one_is_404(client, editor, django_user_model):
    from accounts.models import Role
    from tests.factories import make_user

    client.force_login(editor)
    preview_url = upload(client, MD_SEED)["Location"]
    client.force_login(make_user(Role.EDITOR))
    assert client.get(preview_url).status_code == 404
    client.force_login(editor)
    assert client.get(preview_url[:-3] + "xyz/").status_code == 404


def test_the_index_links_to_the_import(client, editor, reviewer):
    client.force_login(editor)
    assert reverse("bulletins:import") in client.get(reverse("bulletins:index")).content.decode()
    client.force_login(reviewer)
    assert (
        reverse("bulletins:import") not in client.get(reverse("bulletins:index")).content.decode()
    )


def test_unconfirmed_uploads_are_pruned_once_their_link_expired(client, editor, registry, media):
    """An upload previewed and never confirmed is removed by the hourly prune (and by
    ``manage.py sweep``) once its preview link can no longer be used; a fresh one stays."""
    import os
    import time

    from bulletins.importer.staging import PREVIEW_MAX_AGE, staged_prune

    client.force_login(editor)
    preview = upload(client, MD_SEED)
    assert preview.status_code == 302
    (old,) = kept(media)
    upload(client, PDF_SEED)
    (fresh,) = [path for path in kept(media) if path != old]
    stale = time.time() - PREVIEW_MAX_AGE - 60
    os.utime(old, (stale, stale))

    assert staged_prune() == 1
    assert kept(media) == [fresh]
    assert client.get(preview.url).status_code == 404  # the link names a file that is gone
    call_command("sweep")
    assert kept(media) == [fresh]
