import pytest
from django.core.management import call_command

from bulletins.models import Rendition, RenditionKind, RenditionStatus


@pytest.mark.django_db
def test_sweep_queues_the_missing_final_of_an_imported_issue(
    editor, capsys, monkeypatch, django_capture_on_commit_callbacks
):
    from bulletins import renditions
    from tests.bulletins.test_importer import MD_SEED
    from tests.bulletins.test_importer_save import save

    sent = []
    monkeypatch.setattr(
        renditions, "_send", lambda version_id, kind: sent.append((version_id, kind))
    )
    call_command("load_alliances", verbosity=0)
    issue, _ = save(MD_SEED, editor)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep")
    assert (issue.signed_version_id, RenditionKind.FINAL) in sent
    row = Rendition.objects.get(version_id=issue.signed_version_id, kind=RenditionKind.FINAL)
    assert row.status == RenditionStatus.QUEUED
    assert "排队生成 PDF" in capsys.readouterr().out
