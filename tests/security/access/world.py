"""One object of every kind the URLs point at, built through the services as the
application builds them, for the access matrix (``test_access_matrix``).

``build_world()`` returns a ``World`` whose attributes the expectations table names in its
URL arguments (``"issue_id": "draft"`` means ``world.draft.pk``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from bulletins import renditions
from bulletins.models import FreeBlockKind, IssueVersion, RenditionKind
from bulletins.services import item_place_submission
from core.uploads import check_upload
from distribution.demo import load_distribution_lists
from distribution.links import link_token
from distribution.models import ArchiveEntry, Dispatch
from distribution.services import contacts_import
from submissions.calls import call_open
from submissions.services import files_add
from submissions.workflow import submission_transition
from tests.bulletins.test_workflow import act, ready_issue
from tests.factories import AllianceFactory, make_secretary, make_submission, make_user
from tests.seeds import SEEDS
from tests.submissions.files import PDF, make_png

ROLES = (
    "anonymous",
    "secretary_a",
    "secretary_b",
    "editor",
    "reviewer",
    "signer",
    "recipient",
    "administrator",
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def value(self, ref):
        """A URL argument: ``"name"`` → that object's pk, ``"name.attr"`` → an attribute,
        anything else (ints, ``"=literal"``) as it is."""
        if isinstance(ref, int):
            return ref
        if ref.startswith("="):
            return ref[1:]
        name, *attrs = ref.split(".")
        value = self.objects[name]
        for attr in attrs or ["pk"]:
            value = getattr(value, attr)
        return value


def _upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _submission_with_files(alliance, secretary, editor, title):
    submission = make_submission(
        alliance, secretary, status="revision_requested", editor=editor, title=title
    )
    files_add(
        submission_id=submission.pk,
        attachments=[check_upload(_upload("通知.pdf", PDF))],
        images=[check_upload(_upload("图.png", make_png()), allowed={"png"})],
        actor=secretary,
    )
    return submission


def build_world(*, import_token_for) -> World:
    """Everything the URLs need. ``import_token_for(user)`` uploads a bulletin to the
    importer as ``user`` and returns its token (the token is bound to the uploader)."""
    w = World()
    alliance_a = AllianceFactory(
        full_name="甲测试产业技术创新战略联盟", short_name="甲测试联盟", code="901"
    )
    alliance_b = AllianceFactory(
        full_name="乙测试产业技术创新战略联盟", short_name="乙测试联盟", code="D901"
    )
    editor = make_user(Role.EDITOR, username="editor1", full_name="杨丹泽")
    reviewer = make_user(Role.REVIEWER, username="reviewer1", full_name="尚辉良")
    signer = make_user(Role.SIGNER, username="signer1", full_name="李新男")
    w.users = {
        "anonymous": None,
        "secretary_a": make_secretary(alliance_a, username="secretary_a"),
        "secretary_b": make_secretary(alliance_b, username="secretary_b"),
        "editor": editor,
        "reviewer": reviewer,
        "signer": signer,
        "recipient": make_user(Role.RECIPIENT, username="recipient1"),
        "administrator": make_user(Role.ADMINISTRATOR, username="admin1"),
    }
    from tests.two_factor import give_authenticator

    give_authenticator(signer)  # two-factor login is required for 签发 and 管理员
    give_authenticator(w.users["administrator"])
    o = w.objects
    o["alliance_a"], o["alliance_b"] = alliance_a, alliance_b

    # Submissions of both alliances, each with an attachment and a body image.
    o["call"] = call_open(
        title="2024年第1期征稿", deadline=timezone.localdate() + timedelta(days=7), actor=editor
    )
    for key, alliance in (("a", alliance_a), ("b", alliance_b)):
        sub = _submission_with_files(
            alliance, w.users[f"secretary_{key}"], editor, f"{alliance.short_name}召开理事会"
        )
        o[f"submission_{key}"] = sub
        o[f"attachment_{key}"] = sub.files.get(kind="attachment")
        o[f"image_{key}"] = sub.files.get(kind="image")

    # A signed issue: frozen version, preview and final PDFs rendered for real, published,
    # distributed (dispatch and deliveries) and archived.
    send, renditions._send = renditions._send, lambda version_id, kind: None  # see below
    try:
        signed = ready_issue(editor, volume_year=2023, number=2, cumulative_number=67)
        # A submission with a picture placed in it, so that the issue's image URLs have
        # one to serve (a body may show only the pictures of the issue's submissions).
        printed = make_submission(
            alliance_a, w.users["secretary_a"], status="draft", title="甲测试联盟召开年会"
        )
        picture = check_upload(_upload("会场.png", make_png()), allowed={"png"})
        files_add(submission_id=printed.pk, images=[picture], actor=w.users["secretary_a"])
        submission_transition(
            submission_id=printed.pk, action="submit", actor=w.users["secretary_a"]
        )
        submission_transition(submission_id=printed.pk, action="accept", actor=editor)
        item_place_submission(issue_id=signed.pk, submission_id=printed.pk, actor=editor)
        o["printed_image"] = printed.files.get(kind="image")
        version = act(signed, "submit", editor).version
        act(signed, "approve", reviewer)
        load_distribution_lists()
        act(signed, "sign", signer)
    finally:
        renditions._send = send
    # Rendered here, in this process, instead of by a worker.
    renditions.rendition_render(version_id=version.pk, kind=RenditionKind.PREVIEW)
    renditions.rendition_render(version_id=version.pk, kind=RenditionKind.FINAL)
    o["signed"], o["version"] = signed, IssueVersion.objects.get(pk=version.pk)
    o["dispatch"] = Dispatch.objects.get(issue_id=signed.pk)
    o["delivery"] = o["dispatch"].deliveries.first()
    o["archived"] = ArchiveEntry.objects.get(issue_id=signed.pk)
    o["link"] = SimpleNamespace(pk=link_token(o["delivery"]))

    # A draft issue being assembled: sections, an item, a free block.
    draft = ready_issue(editor, volume_year=2023, number=3, cumulative_number=68)
    o["draft"] = draft
    o["section"] = draft.sections.first()
    o["item"] = o["section"].items.first()
    from bulletins.services.layout import block_add

    o["block"] = block_add(
        issue_id=draft.pk,
        kind=FreeBlockKind.NOTE,
        title="说明",
        body_html="<p>本期增加一则说明。</p>",
        actor=editor,
    )

    # A past issue imported from its text (archived with its PDF).
    from bulletins.demo import SEED_OPTIONS
    from bulletins.importer import decode_bulletin, parse_bulletin
    from bulletins.importer.save import import_save

    seed = sorted(SEEDS.glob("002_*.txt"))[0]
    result = parse_bulletin(decode_bulletin(seed.read_bytes()), **SEED_OPTIONS["002_"])
    imported, _ = import_save(result, actor=editor, source_name=seed.name, force=True)
    imported_version = imported.versions.order_by("-number").first()
    renditions.rendition_render(version_id=imported_version.pk, kind=RenditionKind.FINAL)
    o["imported"], o["imported_version"] = imported, imported_version

    # The distribution lists: a contact import with a rejected row.
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [
            ["名单", "单位", "姓名", "电子邮箱"],
            ["报", "科技部", "张一", "zhang1@example.org"],
            ["报", "科学院", "王三", "wang3@example.org"],  # unknown organisation: rejected
        ]
    )
    o["contact_import"] = contacts_import(
        data=buffer.getvalue().encode("utf-8-sig"), filename="联系人.csv", actor=editor
    )

    # The importer's preview token belongs to the editor who uploaded the file.
    o["import_token"] = SimpleNamespace(pk=import_token_for(editor))
    o["bad_token"] = SimpleNamespace(pk=signing.dumps({"key": "x"}, salt="nothing"))
    # An evaluation period of 活跃度评价 (its rating sheet has a URL).
    from datetime import date

    from alliances.services import activity_ratings_record, evaluation_period_create

    o["period"] = evaluation_period_create(
        name="2023年度", starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31), actor=editor
    )
    activity_ratings_record(
        period_id=o["period"].pk, decisions={alliance_a.pk: ("high", "")}, actor=editor
    )
    return w
