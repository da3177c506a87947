"""The backup drill: real data through the services, back up, wipe, restore, compare.

Transactional tests: a backup reads the database from outside the test's connection
(SQLite's backup API, pg_dump), so the data must be committed; the restore replaces the
whole test database with the same schema, and the usual flush empties it afterwards.
"""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from bulletins.models import IssueStatus, Rendition, RenditionKind, RenditionStatus
from citisa.backups import current_row_counts, media_hashes
from core.uploads import check_upload
from distribution.links import download_url
from distribution.models import Dispatch
from submissions.services import files_add
from tests.bulletins.test_workflow import bring_to, ready_issue
from tests.distribution.helpers import lists_with_contacts, pdf_bytes
from tests.factories import make_submission
from tests.submissions.files import make_png

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.SITE_URL = "http://testserver"
    return tmp_path


def backup(*args) -> Path:
    out = io.StringIO()
    call_command("backup", *args, stdout=out)
    line = out.getvalue().splitlines()[0]
    return Path(line.split(": ", 1)[1])


def restore(archive, *args) -> str:
    out = io.StringIO()
    call_command("restore", str(archive), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def office(alliance_a, secretary_a, editor, reviewer, signer, celery_eager):
    """A submission with an image and an attachment, and an issue signed, rendered (real
    WeasyPrint) and distributed, its e-mails sent: every kind of row and file there is."""
    submission = make_submission(alliance_a, secretary_a, status="draft")
    files_add(
        submission_id=submission.pk,
        attachments=[check_upload(SimpleUploadedFile("通知.pdf", pdf_bytes("通知")))],
        images=[
            check_upload(SimpleUploadedFile("现场.png", make_png()), allowed={"png"}),
        ],
        actor=secretary_a,
    )
    lists_with_contacts(report=1, send=1)
    issue = ready_issue(editor)
    bring_to(IssueStatus.SIGNED, issue, editor, reviewer, signer)
    final = Rendition.objects.get(version__issue=issue, kind=RenditionKind.FINAL)
    assert final.status == RenditionStatus.DONE, final.reason
    dispatch = Dispatch.objects.get(issue_id=issue.pk)
    delivery = dispatch.deliveries.order_by("pk").first()
    return {"submission": submission, "dispatch": dispatch, "delivery": delivery}


def test_drill_backup_wipe_restore_gives_back_every_row_file_and_link(
    office, client, settings, folders
):
    dispatch, delivery = office["dispatch"], office["delivery"]
    link = download_url(delivery).removeprefix("http://testserver")
    with default_storage.open(dispatch.pdf_name, "rb") as handle:
        pdf = handle.read()
    counts, hashes = current_row_counts(), media_hashes()
    assert counts["submissions.SubmissionFile"] == 2 and counts["distribution.Delivery"] >= 2
    # attachment, image, preview and final PDF (the dispatch sends the final one)
    assert len(hashes) == 4 and dispatch.pdf_name in hashes

    archive = backup("--compress", "zst", "--keep", "2")
    assert archive.parent == folders / "backups" and archive.name.endswith(".tar.zst")
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = read_manifest(archive)
    assert manifest["row_counts"] == counts and manifest["media"] == hashes
    assert manifest["database"]["vendor"] in {"sqlite", "postgresql"}
    assert "bulletins" in manifest["migrations"] and manifest["django_version"].startswith("5.")

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert User.objects.count() == 0 and client.get(link + "pdf").status_code == 404

    output = restore(archive, "--yes")
    assert "行数 row counts 一致 match" in output and "文件 media 一致 match" in output
    assert current_row_counts() == counts
    assert media_hashes() == hashes
    # The link signed with SECRET_KEY before the backup still opens the same PDF.
    page = client.get(link)
    assert page.status_code == 200
    response = client.get(link + "pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert not list(Path(settings.MEDIA_ROOT).parent.glob(".media-*"))  # no leftovers


def read_manifest(archive: Path) -> dict:
    from citisa.backups.archive import tar_reader

    with tar_reader(archive) as tar:
        for member in tar:
            if member.name == "manifest.json":
                return json.loads(tar.extractfile(member).read())
    raise AssertionError("no manifest")


def rewrite(archive: Path, target: Path, *, change=None, drop=(), add=None, manifest=None):
    """A copy of an (uncompressed) archive with a member's bytes changed, members left out,
    a member added, or the manifest edited."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            if member.name in drop:
                continue
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif change and member.name == change:
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        if add:
            info = tarfile.TarInfo(add)
            info.size = 3
            out.addfile(info, io.BytesIO(b"bad"))
    return target


def _drop_last_migration(manifest):
    manifest["migrations"]["bulletins"] = manifest["migrations"]["bulletins"][:-1]
    return manifest


def _future_migration(manifest):
    manifest["migrations"]["bulletins"].append("9999_from_the_future")
    return manifest


BAD_ARCHIVES = {
    "media file changed": (
        lambda a, t, m: rewrite(a, t, change="media/" + next(iter(m))),
        "校验值不符",
    ),
    "database dump changed": (
        lambda a, t, m: rewrite(a, t, change=m and _db_name(a)),
        "校验值不符 database/",
    ),
    "media file missing": (
        lambda a, t, m: rewrite(a, t, drop={"media/" + next(iter(m))}),
        "缺少文件 media/",
    ),
    "file not in manifest": (
        lambda a, t, m: rewrite(a, t, add="media/extra.txt"),
        "清单之外的文件 media/extra.txt",
    ),
    "path traversal": (
        lambda a, t, m: rewrite(a, t, add="media/../../evil.txt"),
        "不安全的路径",
    ),
    "no manifest": (
        lambda a, t, m: rewrite(a, t, drop={"manifest.json"}),
        "没有可识别的清单",
    ),
    "truncated": (
        lambda a, t, m: t.write_bytes(a.read_bytes()[: len(a.read_bytes()) // 2]) and t,
        "已损坏",
    ),
    "not an archive": (lambda a, t, m: t.write_bytes(b"hello" * 100) and t, "已损坏"),
    "older migrations": (
        lambda a, t, m: rewrite(a, t, manifest=_drop_last_migration),
        "--migrate",
    ),
    "newer migrations": (
        lambda a, t, m: rewrite(a, t, manifest=_future_migration),
        "比当前代码新",
    ),
}


def _db_name(archive):
    with tarfile.open(archive) as tar:
        return next(n for n in tar.getnames() if n.startswith("database/"))


@pytest.mark.parametrize("case", list(BAD_ARCHIVES))
def test_a_bad_archive_is_refused_with_a_clear_message_and_nothing_changes(
    case, alliance_a, settings, folders
):
    default_storage.save("submissions/a.pdf", io.BytesIO(pdf_bytes("a")))
    default_storage.save("bulletins/b.pdf", io.BytesIO(pdf_bytes("b")))
    archive = backup(str(folders / "good.tar"))
    media = read_manifest(archive)["media"]
    make_bad, message = BAD_ARCHIVES[case]
    bad = make_bad(archive, folders / "bad.tar", media)
    # What is there now differs from the archive: a failed restore must leave it so.
    User.objects.create(username="after-the-backup")
    default_storage.save("submissions/later.pdf", io.BytesIO(pdf_bytes("later")))
    counts, hashes = current_row_counts(), media_hashes()

    with pytest.raises(CommandError, match=message) as refused:
        restore(bad, "--yes")
    assert "Nothing was changed" in str(refused.value)
    assert current_row_counts() == counts and media_hashes() == hashes
    assert sorted(p.name for p in folders.iterdir()) == ["bad.tar", "good.tar", "media"]


def test_older_migrations_restore_with_migrate(alliance_a, folders):
    archive = backup(str(folders / "good.tar"))
    bad = rewrite(archive, folders / "old.tar", manifest=_drop_last_migration)
    output = restore(bad, "--yes", "--migrate")
    assert "已运行 migrate / migrated" in output


def test_restore_asks_first_and_a_refusal_changes_nothing(alliance_a, folders, monkeypatch):
    archive = backup(str(folders / "good.tar"))
    User.objects.create(username="after-the-backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        restore(archive)
    assert User.objects.filter(username="after-the-backup").exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    restore(archive)
    assert not User.objects.filter(username="after-the-backup").exists()


def test_keep_prunes_older_archives_only(alliance_a, folders):
    folder = folders / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    for n in range(3):
        old = folder / f"citisa-backup-2020010{n + 1}-000000.tar.gz"
        old.write_bytes(b"old")
    newest = backup("--keep", "2")
    names = sorted(p.name for p in folder.iterdir())
    assert newest.name in names and "notes.txt" in names
    assert len([n for n in names if n.startswith("citisa-backup-")]) == 2


def test_a_failing_database_restore_leaves_the_media_in_place(
    alliance_a, folders, settings, monkeypatch
):
    default_storage.save("submissions/a.pdf", io.BytesIO(pdf_bytes("a")))
    archive = backup(str(folders / "good.tar"))
    default_storage.save("submissions/later.pdf", io.BytesIO(pdf_bytes("later")))
    hashes = media_hashes()
    from citisa.backups import BackupError
    from citisa.backups import restore as restore_module

    def broken(dump):
        raise BackupError("数据库恢复（pg_restore）失败：connection refused")

    monkeypatch.setattr(restore_module, "restore_sqlite", broken)
    monkeypatch.setattr(restore_module, "restore_postgresql", broken)
    with pytest.raises(CommandError, match="原有文件（MEDIA_ROOT）未被替换"):
        restore(archive, "--yes")
    assert media_hashes() == hashes
    assert sorted(p.name for p in folders.iterdir()) == ["good.tar", "media"]


def test_a_failing_media_swap_keeps_the_old_media_and_says_where_the_restored_files_are(
    alliance_a, folders, monkeypatch
):
    default_storage.save("submissions/a.pdf", io.BytesIO(pdf_bytes("a")))
    archive = backup(str(folders / "good.tar"))
    default_storage.save("submissions/later.pdf", io.BytesIO(pdf_bytes("later")))
    hashes = media_hashes()
    from citisa.backups import restore as restore_module

    real_replace = restore_module.os.replace

    def replace(source, target):
        if Path(source).name == "media" and ".media-restore-" in str(source):
            raise OSError(16, "Device or resource busy")
        return real_replace(source, target)

    monkeypatch.setattr(restore_module.os, "replace", replace)
    with pytest.raises(CommandError, match="数据库已恢复，但替换文件目录失败") as failed:
        restore(archive, "--yes")
    assert media_hashes() == hashes  # the old folder was put back
    staged = next(folders.glob(".media-restore-*/media"))
    assert str(staged) in str(failed.value)
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*.pdf")) == [
        "submissions/a.pdf"
    ]
