"""Issue 17, finding 10: an image whose source the allow-list refuses is dropped from free
blocks as from items, whichever way the body comes in (the editors' pages or the
services), not kept as an empty ``<img>``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bulletins import services
from bulletins.models import FreeBlock, Item
from tests.factories import make_issue

pytestmark = pytest.mark.django_db

REFUSED_IMAGES = [
    '<img src="http://attacker.example/x.png" alt="外链">',
    '<img src="data:image/png;base64,AAAA">',
    '<img src="../../etc/passwd">',
    "<img>",
    '<img src="" alt="空">',
]
BODY = "<p>说明正文。</p>" + "".join(REFUSED_IMAGES)


def test_free_blocks_and_items_drop_refused_images_alike(client, editor):
    issue = make_issue(editor)
    client.force_login(editor)
    section = issue.sections.first()
    response = client.post(
        reverse("bulletins:block_new", args=[issue.pk]),
        {"kind": "note", "title": "说明", "body_html": BODY},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("bulletins:item_new", args=[issue.pk]),
        {"section": section.pk, "title": "一则稿件", "body_html": BODY},
    )
    assert response.status_code == 302
    block_by_service = services.block_add(
        issue_id=issue.pk, kind="note", title="说明二", body_html=BODY, actor=editor
    )
    item_by_service = services.item_create(
        issue_id=issue.pk, section_id=section.pk, title="另一则", body_html=BODY, actor=editor
    )
    bodies = {
        "block (page)": FreeBlock.objects.exclude(pk=block_by_service.pk).get().body_html,
        "block (service)": FreeBlock.objects.get(pk=block_by_service.pk).body_html,
        "item (page)": Item.objects.get(issue=issue, title="一则稿件").body_html,
        "item (service)": Item.objects.get(pk=item_by_service.pk).body_html,
    }
    for where, body in bodies.items():
        assert body == "<p>说明正文。</p>", where
    block = FreeBlock.objects.get(pk=block_by_service.pk)
    services.block_update(block_id=block.pk, title="说明二", body_html=BODY, actor=editor)
    block.refresh_from_db()
    assert "<img" not in block.body_html
